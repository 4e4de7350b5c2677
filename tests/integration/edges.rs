//! The edges of HTTP, spoken by hand on one connection: refusals that leave the
//! connection fit for the next request, and bodies past their cap answered 413 whether
//! they declare their length or come in chunks.

use crate::common::{Backend, TestApp};
use crate::work::{create_document, create_task, redirected_id, signed_in};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// One answer as it came off the wire.
struct Answer {
    status: u16,
    /// Lower-case names.
    headers: Vec<(String, String)>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn closes(&self) -> bool {
        self.header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }
}

fn connect(app: &TestApp) -> BufReader<TcpStream> {
    let address = app.url("").trim_start_matches("http://").to_owned();
    let stream = TcpStream::connect(address.trim_end_matches('/')).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    BufReader::new(stream)
}

/// Reads one answer, its body included (by length or in chunks).
fn read_answer(reader: &mut BufReader<TcpStream>) -> Answer {
    let mut line = String::new();
    reader.read_line(&mut line).expect("a status line");
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line, not {line:?}"));
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("a header");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').expect("name: value");
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let answer = Answer { status, headers };
    if let Some(length) = answer.header("content-length") {
        let mut body = vec![0; length.parse().unwrap()];
        reader.read_exact(&mut body).expect("the body");
    } else if answer.header("transfer-encoding") == Some("chunked") {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).expect("a chunk size");
            let size = usize::from_str_radix(size.trim(), 16).expect("hex");
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).expect("a chunk");
            if size == 0 {
                break;
            }
        }
    }
    answer
}

fn head(app: &TestApp, method: &str, path: &str, extra: &[(&str, &str)]) -> String {
    let host = app
        .url("")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut text =
        format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n");
    for (name, value) in extra {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text
}

/// Sends a body in chunks of 64 KiB without declaring its length, as a chunked upload
/// does; stops sending if the server has closed.
fn send_chunked(stream: &mut TcpStream, head: &str, prefix: &[u8], body_size: usize) {
    let _ = stream.write_all(format!("{head}Transfer-Encoding: chunked\r\n\r\n").as_bytes());
    let _ = stream.write_all(
        &[
            format!("{:x}\r\n", prefix.len()).as_bytes(),
            prefix,
            b"\r\n",
        ]
        .concat(),
    );
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = prefix.len();
    while sent < body_size {
        let piece = &chunk[..chunk.len().min(body_size - sent)];
        let framed = [format!("{:x}\r\n", piece.len()).as_bytes(), piece, b"\r\n"].concat();
        if stream.write_all(&framed).is_err() {
            return;
        }
        sent += piece.len();
    }
    let _ = stream.write_all(b"0\r\n\r\n");
}

#[test]
fn a_refused_request_leaves_its_connection_fit_for_the_next() {
    let app = TestApp::spawn(Backend::Sqlite).unwrap();
    let body = "username=admin&password=tiendo-demo-2026&next=%2F";
    let refusals = [
        // From another site: 403 before the body is read.
        ("/api/login", vec![("Origin", "http://evil.example")], 403),
        // Anonymous, to a function for officials: 401 before the body is read.
        ("/api/account", vec![("Origin", "")], 401),
    ];
    let mut reader = connect(&app);
    for (path, extra, expected) in refusals {
        let origin = app.url("");
        let extra: Vec<(&str, &str)> = extra
            .into_iter()
            .map(|(n, v)| {
                (
                    n,
                    if v.is_empty() {
                        origin.trim_end_matches('/')
                    } else {
                        v
                    },
                )
            })
            .collect();
        let text = format!(
            "{}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            head(&app, "POST", path, &extra),
            body.len()
        );
        reader.get_mut().write_all(text.as_bytes()).unwrap();
        let refused = read_answer(&mut reader);
        assert_eq!(refused.status, expected, "{path}");
        assert!(
            !refused.closes(),
            "{path}: a small body is read, the connection goes on"
        );
        // The next request on the same connection is answered as usual.
        reader
            .get_mut()
            .write_all(format!("{}\r\n", head(&app, "GET", "/healthz", &[])).as_bytes())
            .unwrap();
        assert_eq!(read_answer(&mut reader).status, 200, "after {path}");
    }
}

#[test]
fn bodies_past_their_cap_are_413_with_or_without_a_length() {
    let app = TestApp::spawn(Backend::Sqlite).unwrap();
    let origin = app.url("").trim_end_matches('/').to_owned();
    // A task that a ward official reports on.
    let centre = signed_in(&app, "tw.lanhdao");
    let document = create_document(&centre, "57-NQ/TW-BG", "internal");
    let task = redirected_id(
        &create_task(&centre, document, None, "Số hoá hồ sơ", "00004", "internal"),
        "/tasks/",
    );
    let official = signed_in(&app, "badinh.canbo");
    let cookie = format!(
        "tiendo_session={}",
        official.cookie("tiendo_session").expect("a session")
    );
    let form = ("Content-Type", "application/x-www-form-urlencoded");
    let text_field: &[u8] = b"description=";
    let mut report_fields = String::new();
    for (name, value) in [
        ("task_id", task.to_string()),
        ("progress", "50".to_owned()),
        ("text", "Báo cáo kèm biên bản".to_owned()),
        ("submission_key", "edges-report-0001".to_owned()),
    ] {
        report_fields.push_str(&format!(
            "--XYZ\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    report_fields.push_str(
        "--XYZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"bien-ban.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n%PDF-1.7\n",
    );
    let file_part = report_fields.as_bytes();
    // Path, headers, the start of the body, the size of the body.
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a [u8], usize);
    let cases: Vec<Case> = vec![
        // Sign-in: the general cap of 2 MB.
        (
            "/api/login",
            vec![("Origin", &origin), form],
            text_field,
            3 * 1024 * 1024,
        ),
        // The public feedback form: 64 KB.
        (
            "/api/feedback/submit",
            vec![("Origin", &origin), form],
            text_field,
            200 * 1024,
        ),
        // Open311: 64 KB.
        (
            "/open311/v2/requests.json",
            vec![form],
            text_field,
            200 * 1024,
        ),
        // A progress report with its evidence: 51 MB, for a signed-in official.
        (
            "/api/reports/submit",
            vec![
                ("Origin", &origin),
                ("Cookie", &cookie),
                ("Content-Type", "multipart/form-data; boundary=XYZ"),
            ],
            file_part,
            52 * 1024 * 1024,
        ),
    ];
    for (path, extra, prefix, size) in cases {
        // Chunked: no length to refuse it by before reading.
        let mut reader = connect(&app);
        send_chunked(
            reader.get_mut(),
            &head(&app, "POST", path, &extra),
            prefix,
            size,
        );
        let answer = read_answer(&mut reader);
        assert_eq!(answer.status, 413, "{path}, chunked");
        assert!(answer.closes(), "{path}: the rest of the body is not read");
        // With its length declared: refused before reading.
        let mut reader = connect(&app);
        let text = format!(
            "{}Content-Length: {size}\r\n\r\n",
            head(&app, "POST", path, &extra)
        );
        reader.get_mut().write_all(text.as_bytes()).unwrap();
        let _ = reader.get_mut().write_all(&vec![b'a'; 256 * 1024]);
        let answer = read_answer(&mut reader);
        assert_eq!(answer.status, 413, "{path}, with a length");
        assert!(answer.closes(), "{path}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments"), 0);
}

/// Panics on the server's worker threads (a render reading values of a page already
/// thrown away, or looking for a context no longer there).
static SERVER_PANICS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Counts them from here on, in every server of the process; every panic still reaches
/// the hook that was there before.
fn count_server_panics() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some("tokio-rt-worker") {
                SERVER_PANICS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            previous(info);
        }));
    });
}

/// A client that leaves while its page is being rendered (a closed tab, a dropped mobile
/// link) must not leave the render running on into values already thrown away.
#[test]
fn clients_leaving_mid_page_leave_no_panic() {
    count_server_panics();
    let Some(database) = crate::common::TestDatabase::create(Backend::Sqlite) else {
        return;
    };
    // Several workers: the request's owner is dropped on one thread while the tasks its
    // render spawned run on another.
    let app = TestApp::start_on(4, database, |_| {});
    let address = app
        .url("")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let official = signed_in(&app, "hanoi.lanhdao");
    let session = format!(
        "tiendo_session={}",
        official.cookie("tiendo_session").expect("a session")
    );
    let before = SERVER_PANICS.load(std::sync::atomic::Ordering::SeqCst);
    // Public pages, and an official's pages with several parts loading at once.
    let pages = [
        ("/units", ""),
        ("/units?q=ha", ""),
        ("/", ""),
        ("/login", ""),
        ("/feedback", ""),
        ("/dashboard", session.as_str()),
        ("/documents", session.as_str()),
        ("/my-work", session.as_str()),
    ];
    std::thread::scope(|scope| {
        for client in 0..4 {
            let address = &address;
            let pages = &pages;
            scope.spawn(move || {
                for visit in 0..300 {
                    let (path, cookie) = pages[(client + visit) % pages.len()];
                    let Ok(mut stream) = TcpStream::connect(address) else {
                        continue;
                    };
                    let request = format!(
                        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAccept: text/html\r\nCookie: {cookie}\r\n\r\n"
                    );
                    if stream.write_all(request.as_bytes()).is_err() {
                        continue;
                    }
                    if visit % 2 == 1 {
                        let mut start = [0; 64];
                        let _ = stream.read(&mut start);
                    }
                    drop(stream);
                }
            });
        }
    });
    // Whatever the renders left behind runs out.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(app.get("/units").status, 200, "the server still answers");
    let after = SERVER_PANICS.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(after - before, 0, "panics while clients left mid-page");
}
