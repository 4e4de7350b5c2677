//! Everything that runs only on the server.

pub mod access;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod charts;
pub mod crypto;
pub mod dashboard;
pub mod db;
pub mod deadlines;
pub mod documents;
pub mod entity;
pub mod error;
pub mod evidence;
pub mod feedback;
pub mod files;
pub mod generation;
pub mod hierarchy;
pub mod http;
pub mod indicators;
pub mod limits;
pub mod national;
pub mod open311;
pub mod password;
pub mod periods;
pub mod reports;
pub mod security;
pub mod seed;
pub mod sessions;
pub mod supervision;
pub mod tallies;
pub mod tasks;
pub mod units;
pub mod users;
pub mod work;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// How the web server runs.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    /// Cookies get `Secure` and the `__Host-` prefix, and pages get HSTS. Off only for
    /// local plain-http use.
    pub secure_cookies: bool,
    pub request_timeout: Duration,
    pub body_limit_bytes: usize,
    /// Where report evidence is stored: outside the web root, read only by the handler
    /// that applies the access rule.
    pub evidence_dir: std::path::PathBuf,
    /// Feedback submissions (form and Open311) per client address in ten minutes;
    /// 0 turns the limits off, for measuring throughput.
    pub feedback_per_ip: u32,
    /// The server's reminder days before a due date, for units without their own.
    pub remind_before: Vec<u16>,
}

impl ServeConfig {
    pub fn new(listen: SocketAddr, secure_cookies: bool) -> Self {
        ServeConfig {
            listen,
            secure_cookies,
            request_timeout: Duration::from_secs(30),
            body_limit_bytes: 2 * 1024 * 1024,
            evidence_dir: std::path::PathBuf::from("data/evidence"),
            feedback_per_ip: feedback::DEFAULT_PER_IP,
            remind_before: supervision::Ladder::default().before,
        }
    }
}

/// What every request handler, page and server function can reach. Cloned by every
/// middleware and extractor of every request: one reference count, not the fields.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The state behind [`AppState`].
#[derive(Debug)]
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub db: db::Db,
    pub config: Arc<ServeConfig>,
    /// Sign-in attempts per client address.
    pub login_limiter: Arc<limits::RateLimiter>,
    pub evidence: evidence::EvidenceStore,
    /// Takes feedback in: the form's signing key and the per-address limits.
    pub intake: Arc<feedback::Intake>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Connects, brings the schema up to date and makes sure the unit hierarchy is loaded:
/// what every command that uses the database does first.
pub async fn open_database(url: &str) -> anyhow::Result<db::Db> {
    let db = db::Db::open(url).await?;
    let txn = db.begin_write().await?;
    let report = hierarchy::load_reference_units(&txn).await?;
    txn.commit().await?;
    users::fill_search_keys(&db).await?;
    indicators::standing::fill_missing(&db).await?;
    if report.added > 0 || report.renamed > 0 {
        tracing::info!(
            added = report.added,
            renamed = report.renamed,
            "unit hierarchy loaded"
        );
    }
    Ok(db)
}
