//! Starting the real server (router, database, everything) on a random port with a fresh
//! database, and talking to it as a browser or another system would.

use std::net::SocketAddr;
use tiendo::server::ServeConfig;
use tiendo::server::http::Server;
use tokio::runtime::Runtime;
use tokio::sync::oneshot;

/// The environment variable naming a PostgreSQL database to create test databases from.
pub const POSTGRES_ENV: &str = "TIENDO_TEST_DATABASE_URL";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A folder that is removed, with everything in it, when the test ends.
pub struct TempDir(std::path::PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let path = std::env::temp_dir().join(format!("tiendo-test-{}", random_suffix()));
        std::fs::create_dir_all(&path).expect("a temporary folder");
        TempDir(path)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A database that exists for one test and is removed after it.
pub struct TestDatabase {
    pub url: String,
    /// For SQLite: the folder that holds the file.
    _folder: Option<TempDir>,
    /// For PostgreSQL: the server's admin URL and the database's name, to drop it.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// A fresh SQLite database in `folder`, which outlives it.
    pub fn sqlite_in(folder: &std::path::Path) -> TestDatabase {
        TestDatabase {
            url: format!("sqlite://{}/tiendo.db", folder.display()),
            _folder: None,
            postgres: None,
        }
    }

    /// A fresh, empty database, or `None` when the backend is not configured here.
    pub fn create(backend: Backend) -> Option<TestDatabase> {
        match backend {
            Backend::Sqlite => {
                let folder = TempDir::new();
                let url = format!("sqlite://{}/tiendo.db", folder.path().display());
                Some(TestDatabase {
                    url,
                    _folder: Some(folder),
                    postgres: None,
                })
            }
            Backend::Postgres => {
                let admin = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.is_empty())?;
                let name = format!("tiendo_test_{}", random_suffix());
                run_sql(&admin, &format!("CREATE DATABASE {name}"));
                let base = admin
                    .rsplit_once('/')
                    .map(|(server, _)| server.to_owned())
                    .expect("the PostgreSQL URL names a database");
                Some(TestDatabase {
                    url: format!("{base}/{name}"),
                    _folder: None,
                    postgres: Some((admin, name)),
                })
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.postgres {
            run_sql(
                admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

/// Runs one statement on its own small runtime: callable from `Drop` and from sync tests.
fn run_sql(url: &str, sql: &str) {
    let url = url.to_owned();
    let sql = sql.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            use sea_orm::ConnectionTrait;
            let db = sea_orm::Database::connect(&url)
                .await
                .expect("connects to PostgreSQL");
            db.execute_unprepared(&sql)
                .await
                .expect("runs the statement");
            db.close().await.ok();
        });
    })
    .join()
    .expect("the statement ran");
}

/// Unique within the machine: the process id and a counter, plus the clock for reruns.
fn random_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{}_{n}_{nanos}", std::process::id())
}

/// The server, running on its own runtime for the length of one test.
pub struct TestApp {
    /// The browser that the shortcuts (`get`, `post_form`, `call`, `login`) use.
    pub browser: Browser,
    stop: Option<oneshot::Sender<()>>,
    runtime: Option<Runtime>,
    pub database: TestDatabase,
    /// Where this server keeps report evidence.
    pub evidence: TempDir,
}

impl TestApp {
    /// Starts the server on a fresh database of the backend, or `None` when the backend
    /// is not configured on this machine. Cookies are not marked Secure (plain http).
    pub fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, false)
    }

    pub fn spawn_with(backend: Backend, secure_cookies: bool) -> Option<TestApp> {
        let database = TestDatabase::create(backend)?;
        Some(Self::start(database, |config| {
            config.secure_cookies = secure_cookies
        }))
    }

    /// Starts the server on `database`, configured by `configure`.
    pub fn start(database: TestDatabase, configure: impl FnOnce(&mut ServeConfig)) -> TestApp {
        Self::start_on(1, database, configure)
    }

    /// Starts the server on a runtime of `workers` threads, for races between them.
    pub fn start_on(
        workers: usize,
        database: TestDatabase,
        configure: impl FnOnce(&mut ServeConfig),
    ) -> TestApp {
        if let Ok(filter) = std::env::var("TIENDO_TEST_LOG") {
            // Server logs while debugging a test; only the first test's call takes effect.
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
        let evidence = TempDir::new();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .build()
            .expect("a runtime");
        let (server, db) = runtime.block_on(async {
            let db = tiendo::server::open_database(&database.url)
                .await
                .expect("the database opens");
            tiendo::server::seed::demo_users(&db)
                .await
                .expect("demo accounts");
            let mut config = ServeConfig::new(SocketAddr::from(([127, 0, 0, 1], 0)), false);
            config.evidence_dir = evidence.path().to_owned();
            configure(&mut config);
            (Server::bind(config).await.expect("binds a port"), db)
        });
        let addr = server.local_addr().expect("a local address");
        let (stop, stopped) = oneshot::channel::<()>();
        runtime.spawn(server.run(db, async {
            let _ = stopped.await;
        }));
        TestApp {
            browser: Browser::new(format!("http://{addr}")),
            stop: Some(stop),
            runtime: Some(runtime),
            database,
            evidence,
        }
    }

    pub fn url(&self, path: &str) -> String {
        self.browser.url(path)
    }

    /// Another browser, with no cookies yet.
    pub fn new_browser(&self) -> Browser {
        Browser::new(self.url(""))
    }

    pub fn get(&self, path: &str) -> Page {
        self.browser.get(path)
    }

    pub fn post_form(&self, path: &str, body: &str) -> Page {
        self.browser.post_form(path, body)
    }

    pub fn call(&self, path: &str, body: &str) -> Page {
        self.browser.call(path, body)
    }

    pub fn login(&self, username: &str, password: &str) -> Page {
        self.browser.login(username, password)
    }

    /// An opinion posted through Open311, as a partner system sends it: no cookie, no
    /// `Origin`, a form-encoded body.
    pub fn open311_post(&self, body: &str) -> Page {
        Page::from(
            self.new_browser()
                .agent
                .post(self.url("/open311/v2/requests.json"))
                .content_type("application/x-www-form-urlencoded")
                .send(body.to_owned())
                .expect("the server answers"),
        )
    }

    /// Runs async code (database checks) on the server's runtime.
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.as_ref().expect("running").block_on(future)
    }

    /// A connection of the test's own to the server's database.
    pub fn db(&self) -> tiendo::server::db::Db {
        self.block_on(tiendo::server::db::Db::connect(&self.database.url))
            .expect("connects to the test database")
    }

    /// The first row of a query on a connection of the test's own, read by `get`.
    fn first_row<T>(&self, sql: &str, get: impl FnOnce(&sea_orm::QueryResult) -> T) -> T {
        use sea_orm::ConnectionTrait;
        let db = self.db();
        let row = self
            .block_on(db.read.query_one_raw(sea_orm::Statement::from_string(
                db.backend(),
                sql.to_owned(),
            )))
            .expect("the query runs")
            .expect("a row");
        let value = get(&row);
        self.block_on(db.close());
        value
    }

    /// One value from the database: `SELECT <expression> ...` returning an integer.
    pub fn count(&self, sql: &str) -> i64 {
        self.first_row(sql, |row| {
            // PostgreSQL tells INTEGER from BIGINT; SQLite does not.
            row.try_get_by_index::<i64>(0)
                .or_else(|_| row.try_get_by_index::<i32>(0).map(i64::from))
                .expect("an integer")
        })
    }

    /// One text value from the database, such as SQLite's `PRAGMA integrity_check`.
    pub fn text(&self, sql: &str) -> String {
        self.first_row(sql, |row| row.try_get_by_index(0).expect("a text"))
    }

    /// Runs a statement on the server's database.
    pub fn execute(&self, sql: &str) {
        use sea_orm::ConnectionTrait;
        let db = self.db();
        self.block_on(db.write.execute_unprepared(sql))
            .expect("the statement runs");
        self.block_on(db.close());
    }
}

/// One part of a multipart form: a field, or a file of the `files` input.
pub enum Part<'a> {
    Field(&'a str, &'a str),
    File(&'a str, &'a [u8]),
}

/// A browser: its own cookie jar, sending what a browser sends.
pub struct Browser {
    base: String,
    pub agent: ureq::Agent,
    jar: std::cell::RefCell<std::collections::BTreeMap<String, String>>,
}

impl Browser {
    pub fn new(base: String) -> Browser {
        Browser {
            base,
            agent: agent(),
            jar: Default::default(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A page, as a browser asks for it.
    pub fn get(&self, path: &str) -> Page {
        let request = self
            .agent
            .get(self.url(path))
            .header("Accept", "text/html")
            .header("Cookie", self.cookie_header());
        self.keep_cookies(Page::from(request.call().expect("the server answers")))
    }

    /// A plain HTML form post from one of the application's own pages (no JavaScript).
    pub fn post_form(&self, path: &str, body: &str) -> Page {
        self.post(path, body, "text/html")
    }

    /// A plain HTML form post from the page at `from` (no JavaScript): an error is sent
    /// back to that page.
    pub fn post_form_from(&self, from: &str, path: &str, body: &str) -> Page {
        let request = self
            .agent
            .post(self.url(path))
            .header("Accept", "text/html")
            .header("Origin", self.url(""))
            .header("Referer", self.url(from))
            .header("Cookie", self.cookie_header())
            .content_type("application/x-www-form-urlencoded");
        self.keep_cookies(Page::from(request.send(body).expect("the server answers")))
    }

    /// A server function called as the WebAssembly client calls it.
    pub fn call(&self, path: &str, body: &str) -> Page {
        self.post(path, body, "application/json")
    }

    /// A server-function call that may be cut off by the server (a body over the limit):
    /// `None` when the connection was closed before an answer.
    pub fn try_call(&self, path: &str, body: &str) -> Option<Page> {
        let request = self
            .agent
            .post(self.url(path))
            .header("Accept", "application/json")
            .header("Origin", self.url(""))
            .header("Cookie", self.cookie_header())
            .content_type("application/x-www-form-urlencoded");
        request.send(body).ok().map(Page::from)
    }

    fn post(&self, path: &str, body: &str, accept: &str) -> Page {
        let request = self
            .agent
            .post(self.url(path))
            .header("Accept", accept)
            .header("Origin", self.url(""))
            .header("Referer", self.url("/"))
            .header("Cookie", self.cookie_header())
            .content_type("application/x-www-form-urlencoded");
        self.keep_cookies(Page::from(request.send(body).expect("the server answers")))
    }

    /// A multipart form (with files) as a browser sends it without JavaScript.
    pub fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &[u8])],
    ) -> Page {
        self.multipart(path, fields, files, "text/html")
    }

    /// A multipart server function called as a script would: errors come as JSON.
    pub fn call_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &[u8])],
    ) -> Page {
        self.multipart(path, fields, files, "application/json")
    }

    fn multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &[u8])],
        accept: &str,
    ) -> Page {
        let parts: Vec<Part> = fields
            .iter()
            .map(|(name, value)| Part::Field(name, value))
            .chain(files.iter().map(|(name, bytes)| Part::File(name, bytes)))
            .collect();
        self.multipart_parts(path, &parts, accept)
    }

    /// A multipart form with its parts in the order given.
    pub fn multipart_parts(&self, path: &str, parts: &[Part], accept: &str) -> Page {
        let boundary = "----tiendo-test-boundary-7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = Vec::new();
        for part in parts {
            match part {
                Part::Field(name, value) => body.extend_from_slice(
                    format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                        .as_bytes(),
                ),
                Part::File(file_name, bytes) => {
                    body.extend_from_slice(
                        format!(
                            "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    body.extend_from_slice(bytes);
                    body.extend_from_slice(b"\r\n");
                }
            }
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = self
            .agent
            .post(self.url(path))
            .header("Accept", accept)
            .header("Origin", self.url(""))
            .header("Referer", self.url("/"))
            .header("Cookie", self.cookie_header())
            .content_type(format!("multipart/form-data; boundary={boundary}"));
        self.keep_cookies(Page::from(
            request.send(&body[..]).expect("the server answers"),
        ))
    }

    /// Signs in through the sign-in form.
    pub fn login(&self, username: &str, password: &str) -> Page {
        self.call(
            "/api/login",
            &format!(
                "username={}&password={}&next=%2F",
                encode(username),
                encode(password)
            ),
        )
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.borrow().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.jar
            .borrow_mut()
            .insert(name.to_owned(), value.to_owned());
    }

    pub fn clear_cookies(&self) {
        self.jar.borrow_mut().clear();
    }

    fn cookie_header(&self) -> String {
        self.jar
            .borrow()
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&self, page: Page) -> Page {
        for set in page.headers.get_all("set-cookie") {
            let Some((name, value)) = set
                .to_str()
                .ok()
                .and_then(|s| s.split(';').next())
                .and_then(|pair| pair.split_once('='))
            else {
                continue;
            };
            let expired = set.to_str().is_ok_and(|s| s.contains("Max-Age=0"));
            let mut jar = self.jar.borrow_mut();
            if expired || value.is_empty() {
                jar.remove(name.trim());
            } else {
                jar.insert(name.trim().to_owned(), value.trim().to_owned());
            }
        }
        page
    }
}

/// Percent-encodes a form value.
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(std::time::Duration::from_secs(5));
        }
    }
}

/// A client that, like a test should, sees every status and follows no redirect.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

/// A response, read whole, without Leptos' hydration markers.
pub struct Page {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }

    /// How many times `needle` occurs in the body.
    pub fn count(&self, needle: &str) -> usize {
        self.body.matches(needle).count()
    }
}

impl From<http::Response<ureq::Body>> for Page {
    fn from(mut response: http::Response<ureq::Body>) -> Self {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        // Hydration markers (`<!>`) are dropped so tests can assert on plain markup.
        let body = response
            .body_mut()
            .read_to_string()
            .expect("a readable body")
            .replace("<!>", "");
        Page {
            status,
            headers,
            body,
        }
    }
}

/// Declares a test that runs once on SQLite and once on PostgreSQL (when
/// `TIENDO_TEST_DATABASE_URL` is set; otherwise the PostgreSQL half says it was skipped).
#[macro_export]
macro_rules! on_both_backends {
    ($(fn $name:ident($app:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn sqlite() {
                let $app = $crate::common::TestApp::spawn($crate::common::Backend::Sqlite)
                    .expect("SQLite is always available");
                $body
            }

            #[test]
            fn postgres() {
                let Some($app) = $crate::common::TestApp::spawn($crate::common::Backend::Postgres)
                else {
                    eprintln!("skipped: {} is not set", $crate::common::POSTGRES_ENV);
                    return;
                };
                $body
            }
        }
    )*};
}
