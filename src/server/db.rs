//! Connecting to the database: SQLite (embedded default) or PostgreSQL, from the same code.

use super::generation::KeptReads;
use anyhow::{Context, Result, bail};
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::pool::PoolConnectionMetadata;
use sea_orm::sqlx::sqlite::{SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

pub const DEFAULT_URL: &str = "sqlite://data/tiendo.db";

/// How long a query waits for a connection or a lock before it fails.
const WAIT: Duration = Duration::from_secs(5);

/// The database as the application uses it: a pool for reads and a pool for writes.
/// On SQLite the writer is a single connection (SQLite serialises writers anyway, and one
/// connection avoids busy errors between our own writers) and the readers open the file
/// read-only; on PostgreSQL both are the same pool.
#[derive(Clone, Debug)]
pub struct Db {
    pub read: DatabaseConnection,
    pub write: DatabaseConnection,
    /// What is kept between writes to this database.
    pub kept: Arc<KeptReads>,
}

impl Db {
    fn new(read: DatabaseConnection, write: DatabaseConnection) -> Db {
        Db {
            read,
            write,
            kept: Arc::default(),
        }
    }

    /// Connects without touching the schema.
    pub async fn connect(url: &str) -> Result<Db> {
        match Backend::of(url)? {
            Backend::Sqlite(file) => connect_sqlite(url, file.as_deref()).await,
            Backend::Postgres => {
                let mut options = ConnectOptions::new(url);
                options
                    .max_connections(16)
                    .min_connections(1)
                    .connect_timeout(WAIT)
                    .acquire_timeout(WAIT)
                    .sqlx_logging(false);
                let pool = Database::connect(options)
                    .await
                    .map_err(|e| connect_error(url, e))?;
                Ok(Db::new(pool.clone(), pool))
            }
        }
    }

    /// Connects and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Db> {
        let db = Db::connect(url).await?;
        Migrator::up(&db.write, None)
            .await
            .context("cannot apply the database migrations")?;
        Ok(db)
    }

    pub fn backend(&self) -> DbBackend {
        self.write.get_database_backend()
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so that it never fails half-way on a lock upgrade.
    pub async fn begin_write(&self) -> Result<DatabaseTransaction, DbErr> {
        let mut options = TransactionOptions::default();
        if self.backend() == DbBackend::Sqlite {
            options.sqlite_transaction_mode = Some(SqliteTransactionMode::Immediate);
        }
        self.write.begin_with_options(options).await
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        self.read.ping().await.is_ok() && self.write.ping().await.is_ok()
    }

    pub async fn close(self) {
        // Errors on close leave nothing to do: the process is ending.
        let _ = self.read.close().await;
        let _ = self.write.close().await;
    }
}

enum Backend {
    /// The file, or `None` for an in-memory database.
    Sqlite(Option<PathBuf>),
    Postgres,
}

impl Backend {
    fn of(url: &str) -> Result<Backend> {
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let rest = rest.strip_prefix("//").unwrap_or(rest);
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                return Ok(Backend::Sqlite(None));
            }
            Ok(Backend::Sqlite(Some(PathBuf::from(path))))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            bail!(
                "unsupported database URL `{}`: use sqlite://<file> or postgres://...",
                redact(url)
            )
        }
    }
}

async fn connect_sqlite(url: &str, file: Option<&Path>) -> Result<Db> {
    let Some(file) = file else {
        // An in-memory database lives in one connection: readers and the writer share it.
        let mut options = ConnectOptions::new(url);
        options.max_connections(1).sqlx_logging(false);
        let db = Database::connect(options)
            .await
            .map_err(|e| connect_error(url, e))?;
        return Ok(Db::new(db.clone(), db));
    };
    if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the data folder {}", folder.display()))?;
    }

    let mut writer = ConnectOptions::new(url);
    writer
        .max_connections(1)
        .min_connections(1)
        .acquire_timeout(WAIT)
        .sqlx_logging(false)
        .map_sqlx_sqlite_pool_opts(|pool| {
            pool.after_connect(stable_plans)
                .after_release(writer_is_clean)
        })
        .map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(WAIT)
                .foreign_keys(true)
                // 64 MiB of pages (the default is 2 MiB): a write touches a handful of
                // indexes spread over a database of gigabytes at national scale.
                .pragma("cache_size", "-65536")
        });
    let write = Database::connect(writer)
        .await
        .map_err(|e| connect_error(url, e))?;

    let readers = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32 * 2;
    let mut reader = ConnectOptions::new(url);
    // Every reader opened at start: a server that starts under load would otherwise open
    // them while its first requests wait (each opening reads the schema of a database of
    // gigabytes and plans its statements anew).
    reader
        .max_connections(readers)
        .min_connections(readers)
        .acquire_timeout(WAIT)
        .sqlx_logging(false)
        .map_sqlx_sqlite_pool_opts(|pool| pool.after_connect(stable_plans))
        .map_sqlx_sqlite_opts(|o| {
            o.read_only(true)
                .busy_timeout(WAIT)
                .pragma("cache_size", "-16384")
        });
    let read = Database::connect(reader)
        .await
        .map_err(|e| connect_error(url, e))?;
    Ok(Db::new(read, write))
}

/// Turns on SQLite's query planner stability guarantee. The bundled SQLite keeps value
/// statistics (STAT4): without the guarantee, a statement whose plan might depend on a
/// bound value is compiled again each time it is bound to new values, which took 2 to 12 %
/// of the server's time on the national data set's pages (the flame graphs of
/// `make profile`). Plans then come from the statistics alone, the same for every value.
fn stable_plans(
    conn: &mut SqliteConnection,
    _: PoolConnectionMetadata,
) -> BoxFuture<'_, Result<(), sea_orm::sqlx::Error>> {
    Box::pin(async move {
        match planner_stability(conn, 1).await? {
            Some(true) => Ok(()),
            _ => Err(sea_orm::sqlx::Error::Configuration(
                "SQLite refused the query planner setting".into(),
            )),
        }
    })
}

/// Sets the planner stability guarantee of a connection (1 on, 0 off, -1 leaves it) and
/// returns whether it is on, or `None` when SQLite refuses.
async fn planner_stability(
    conn: &mut SqliteConnection,
    value: std::ffi::c_int,
) -> Result<Option<bool>, sea_orm::sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let mut on: std::ffi::c_int = -1;
    // SAFETY: the handle is locked for us, so no statement of the connection runs while
    // its configuration is read or changed; `on` outlives the call.
    let code = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            handle.as_raw_handle().as_ptr(),
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            value,
            &mut on as *mut std::ffi::c_int,
        )
    };
    Ok((code == libsqlite3_sys::SQLITE_OK).then_some(on == 1))
}

/// Whether the writer may go back to the pool after use. SQLite ends a transaction on its
/// own after some failures (a full disk, an I/O error): sqlx still counts it as open, its
/// ROLLBACK fails, and the connection's next "transaction" becomes a savepoint inside a
/// transaction that never commits, so every later write is answered "saved" and lost.
/// A writer that holds a transaction, by sqlx's count or by SQLite's own word, is closed
/// instead, and the pool opens a clean one.
fn writer_is_clean(
    conn: &mut SqliteConnection,
    _: PoolConnectionMetadata,
) -> BoxFuture<'_, Result<bool, sea_orm::sqlx::Error>> {
    Box::pin(async move {
        // Locking the handle waits for the worker to run what was queued before, such as
        // the rollback of a dropped transaction.
        let autocommit = {
            let mut handle = conn.lock_handle().await?;
            // SAFETY: the handle is locked for us: no other thread uses it meanwhile, and
            // sqlite3_get_autocommit only reads the connection's state.
            unsafe { libsqlite3_sys::sqlite3_get_autocommit(handle.as_raw_handle().as_ptr()) != 0 }
        };
        // sqlx's own count of open transactions on the connection.
        let counted_open = sea_orm::sqlx::Connection::is_in_transaction(conn);
        if autocommit && !counted_open {
            Ok(true)
        } else {
            tracing::warn!(
                autocommit,
                counted_open,
                "closing a database writer left inside a transaction"
            );
            Ok(false)
        }
    })
}

fn connect_error(url: &str, error: DbErr) -> anyhow::Error {
    anyhow::anyhow!(
        "cannot open the database {}: {}",
        redact(url),
        root_cause(&error)
    )
}

/// The innermost message of a database error, without the layers of wrapping.
fn root_cause(error: &DbErr) -> String {
    let mut source: &dyn std::error::Error = error;
    while let Some(next) = source.source() {
        source = next;
    }
    source.to_string()
}

/// The URL without its password, fit for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Escapes `%`, `_` and the escape character `\` for a `LIKE ... ESCAPE '\'` pattern.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// A `LIKE` pattern matching text that contains `term` literally.
pub fn contains_pattern(term: &str) -> sea_orm::sea_query::LikeExpr {
    sea_orm::sea_query::LikeExpr::new(format!("%{}%", escape_like(term))).escape('\\')
}

/// A consistent copy of a live database, into a new file.
pub async fn backup(db: &Db, target: &Path) -> Result<()> {
    if db.backend() != DbBackend::Sqlite {
        bail!("backup copies SQLite databases only; for PostgreSQL use pg_dump");
    }
    if target.exists() {
        bail!("{} already exists; choose a new file", target.display());
    }
    let target_text = target
        .to_str()
        .context("the backup file name is not valid UTF-8")?;
    // VACUUM INTO reads one snapshot, so writers may carry on during the copy.
    let statement = sea_orm::Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO $1",
        [target_text.into()],
    );
    db.write
        .execute_raw(statement)
        .await
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", target.display(), root_cause(&e)))?;
    Ok(())
}

/// What [`restore`] did.
pub struct Restored {
    pub database: PathBuf,
    /// Where the database that was replaced now is, if there was one.
    pub replaced: Option<PathBuf>,
}

/// Puts a copy made by [`backup`] in place of the SQLite database at `url`, then brings
/// its schema up to date. The copy must pass SQLite's integrity check; the database must
/// not be open anywhere else (stop the server first); the database it replaces is kept
/// beside it under a new name, never deleted.
pub async fn restore(url: &str, source: &Path) -> Result<Restored> {
    use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteLockingMode};
    use sea_orm::sqlx::{ConnectOptions as _, Connection as _};

    let Backend::Sqlite(Some(file)) = Backend::of(url)? else {
        bail!("restore brings back SQLite copies; for PostgreSQL use pg_restore (see the README)");
    };
    let source_text = source
        .to_str()
        .context("the backup file name is not valid UTF-8")?;
    let mut copy = SqliteConnectOptions::new()
        .filename(source)
        .read_only(true)
        .connect()
        .await
        .with_context(|| format!("cannot open the backup {source_text}"))?;
    let check: String = sea_orm::sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut copy)
        .await
        .with_context(|| format!("{source_text} is not a SQLite database"))?;
    if check != "ok" {
        bail!("{source_text} fails SQLite's integrity check: {check}");
    }
    let migrations: Result<i64, _> =
        sea_orm::sqlx::query_scalar("SELECT COUNT(*) FROM seaql_migrations")
            .fetch_one(&mut copy)
            .await;
    if migrations.is_err() {
        bail!("{source_text} is not a Tiến Độ database");
    }
    copy.close().await.ok();

    // Holding the database in exclusive mode proves nobody else has it open, and keeps
    // it so until it has been moved aside.
    let mut live = None;
    if file.exists() {
        let mut connection = SqliteConnectOptions::new()
            .filename(&file)
            .locking_mode(SqliteLockingMode::Exclusive)
            .busy_timeout(Duration::ZERO)
            .connect()
            .await
            .with_context(|| format!("cannot open {}", file.display()))?;
        let locked =
            sea_orm::sqlx::raw_sql("BEGIN EXCLUSIVE; COMMIT; PRAGMA wal_checkpoint(TRUNCATE);")
                .execute(&mut connection)
                .await;
        if locked.is_err() {
            bail!(
                "{} is in use: stop the server (and anything else that has it open) first",
                file.display()
            );
        }
        live = Some(connection);
    }

    let staged = with_suffix(&file, ".restoring");
    std::fs::copy(source, &staged)
        .and_then(|_| std::fs::File::open(&staged)?.sync_all())
        .with_context(|| format!("cannot copy {source_text} to {}", staged.display()))?;
    let replaced = if live.is_some() {
        let aside = with_suffix(
            &file,
            &format!(".replaced-{}", chrono::Utc::now().format("%Y%m%dT%H%M%SZ")),
        );
        std::fs::rename(&file, &aside)
            .with_context(|| format!("cannot move {} aside", file.display()))?;
        for journal in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(&file, journal));
        }
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&staged, &file)
        .with_context(|| format!("cannot put the copy in place of {}", file.display()))?;
    if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::File::open(folder).and_then(|f| f.sync_all()).ok();
    }
    if let Some(connection) = live {
        connection.close().await.ok();
    }
    Db::open(url).await?.close().await;
    Ok(Restored {
        database: file,
        replaced,
    })
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_backends_from_urls() {
        assert!(matches!(
            Backend::of("sqlite://data/tiendo.db"),
            Ok(Backend::Sqlite(Some(p))) if p == Path::new("data/tiendo.db")
        ));
        assert!(matches!(
            Backend::of("sqlite:///tmp/x.db?mode=rwc"),
            Ok(Backend::Sqlite(Some(p))) if p == Path::new("/tmp/x.db")
        ));
        assert!(matches!(
            Backend::of("sqlite::memory:"),
            Ok(Backend::Sqlite(None))
        ));
        assert!(matches!(
            Backend::of("postgres://u@h/db"),
            Ok(Backend::Postgres)
        ));
        assert!(Backend::of("mysql://h/db").is_err());
    }

    /// Whether SQLite's planner stability guarantee is on for a connection of `pool`.
    async fn plans_are_stable(pool: &DatabaseConnection) -> bool {
        let mut conn = pool.get_sqlite_connection_pool().acquire().await.unwrap();
        planner_stability(&mut conn, -1).await.unwrap() == Some(true)
    }

    #[tokio::test]
    async fn sqlite_connections_keep_one_plan_per_statement() {
        let folder = std::env::temp_dir().join(format!("tiendo-plans-{}", std::process::id()));
        let url = format!("sqlite://{}/plans.db", folder.display());
        let db = Db::connect(&url).await.unwrap();
        assert!(plans_are_stable(&db.write).await, "the writer");
        assert!(plans_are_stable(&db.read).await, "a reader");
        drop(db);
        let _ = std::fs::remove_dir_all(folder);
    }

    #[test]
    fn escapes_like_wildcards() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(escape_like("ha noi"), "ha noi");
    }

    #[test]
    fn hides_passwords() {
        assert_eq!(
            redact("postgres://app:s3cret@db.example/tiendo"),
            "postgres://app:***@db.example/tiendo"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(redact("sqlite://data/tiendo.db"), "sqlite://data/tiendo.db");
    }
}
