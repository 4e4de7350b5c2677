//! The web server: routes, middleware, start and graceful stop.

pub mod body;
pub mod compress;
pub mod executor;
pub mod kept_pages;
pub mod refused;

use super::limits::RateLimiter;
use super::sessions::DbSessionStore;
use super::{AppState, ServeConfig, Shared, db::Db, security};
use crate::app::{App, shell};
use crate::model::account::{LOGIN_ATTEMPTS_PER_IP, LOGIN_WINDOW_MINUTES, SESSION_IDLE_MINUTES};
use anyhow::{Context, Result};
use axum::extract::State;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use http::{HeaderName, HeaderValue, Request, StatusCode, header};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer};
use tracing::Level;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What every page's render starts with, under its root owner: the watch that ends its
/// tasks with it (first, before the page makes owners of its own), and the request's nonce.
fn page_context() {
    executor::watch_page();
    security::provide_csp_nonce();
}

/// The whole application as one axum router.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let config = state.config.clone();
    let hsts = config
        .secure_cookies
        .then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    let secure = config.secure_cookies;
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        // `__Host-` binds the cookie to this host and path `/`, over https only.
        .with_name(if secure {
            "__Host-tiendo_session"
        } else {
            "tiendo_session"
        })
        .with_secure(secure)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            SESSION_IDLE_MINUTES,
        )));
    // Layers run outside in: origin check, session, sign-in limit, authentication, kept
    // public pages, refused forms' values, upload format.
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/files/{id}", get(super::files::download))
        .route(
            "/indicators/files/{id}",
            get(super::files::download_value_file),
        )
        .route("/admin/audit.csv", get(super::files::audit_export))
        .leptos_routes_with_context(&state, routes, page_context, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(page_context, shell))
        .layer(from_fn_with_state(
            state.clone(),
            security::cache_static_files,
        ))
        .layer(from_fn(security::require_multipart_upload))
        .layer(from_fn(refused::keep_typed_values))
        .layer(from_fn_with_state(
            state.clone(),
            kept_pages::serve_kept_pages,
        ))
        .layer(from_fn_with_state(state.clone(), security::authenticate))
        .layer(from_fn_with_state(
            state.clone(),
            security::limit_sign_in_attempts,
        ))
        .layer(from_fn_with_state(
            state.clone(),
            security::limit_feedback_submissions,
        ))
        .layer(sessions)
        .layer(from_fn(security::require_same_origin))
        .layer(from_fn(security::content_security_policy))
        // Open311 is for other systems: no session, no cookie, no `Origin` rule.
        .merge(super::open311::router(state.clone()))
        .layer(from_fn_with_state(
            state.clone(),
            security::limit_request_body,
        ))
        .with_state(state);
    // Outermost first: every response, errors and static files included, gets the headers.
    app.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, RandomRequestId))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|request: &Request<_>| {
                        let id = request
                            .headers()
                            .get(REQUEST_ID)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default();
                        tracing::info_span!(
                            "request",
                            id,
                            method = %request.method(),
                            path = %request.uri().path()
                        )
                    })
                    .on_response(DefaultOnResponse::new().level(Level::INFO)),
            )
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::REFERRER_POLICY,
                // Not `no-referrer`: a form without JavaScript is sent back to its page by Referer.
                HeaderValue::from_static("same-origin"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static("DENY"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::STRICT_TRANSPORT_SECURITY,
                hsts,
            ))
            // Pages are compressed on every request. zstd 3 (what current browsers take)
            // costs a tenth of brotli 5 for 20 % more bytes; older browsers get brotli 3,
            // 2.5 times cheaper than 5 for 15 % more (a 260 KB page: `make profile`).
            .layer(CompressionLayer::new().quality(CompressionLevel::Precise(3)))
            // Inside it: pages and JSON compressed whole when zstd is taken.
            .layer(from_fn(compress::compress_pages))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                config.request_timeout,
            )),
    )
}

/// A panic becomes a generic error with a reference; the panic's message goes to the log.
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    let crate::model::AppError::Internal { reference } =
        super::error::internal(format!("panic: {detail}"))
    else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let body = format!(
        "<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><title>500</title>\
         <p>Hệ thống gặp lỗi. Vui lòng thử lại sau. Mã tham chiếu: {reference}.</p>\
         <p lang=\"en\">The system hit an error. Please try again later. Reference: {reference}.</p></html>"
    );
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CACHE_CONTROL, "no-store")],
        axum::response::Html(body),
    )
        .into_response()
}

#[derive(Clone, Copy)]
struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&super::error::new_reference())
            .ok()
            .map(RequestId::new)
    }
}

/// `GET /healthz`: whether the server and its database answer.
async fn healthz(State(state): State<AppState>) -> Response {
    let database_ok = state.db.ping().await;
    let body = serde_json::json!({
        "status": if database_ok { "ok" } else { "unavailable" },
        "database": if database_ok { "ok" } else { "unreachable" },
        "version": env!("CARGO_PKG_VERSION"),
    });
    let status = if database_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

/// A server bound to its port, not yet answering.
pub struct Server {
    listener: TcpListener,
    config: ServeConfig,
}

impl Server {
    /// Takes the port first, so that a port in use fails before anything else is touched.
    pub async fn bind(config: ServeConfig) -> Result<Server> {
        executor::init();
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        Ok(Server { listener, config })
    }

    pub fn local_addr(&self) -> Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// Answers until `stop` completes, then finishes the requests in flight and closes
    /// the database.
    pub async fn run(self, db: Db, stop: impl Future<Output = ()> + Send + 'static) -> Result<()> {
        let mut leptos_options = get_configuration(None)
            .context("cannot read the Leptos configuration")?
            .leptos_options;
        leptos_options.site_addr = self.listener.local_addr()?;
        let state = AppState::new(Shared {
            leptos_options,
            db: db.clone(),
            login_limiter: Arc::new(RateLimiter::new(
                LOGIN_ATTEMPTS_PER_IP,
                Duration::from_secs(LOGIN_WINDOW_MINUTES * 60),
            )),
            evidence: super::evidence::EvidenceStore::new(self.config.evidence_dir.clone()),
            intake: Arc::new(
                super::feedback::Intake::load(&db, self.config.feedback_per_ip)
                    .await
                    .context("cannot read the feedback key")?,
            ),
            config: Arc::new(self.config),
        });
        let cleanup = tokio::spawn(delete_expired_sessions(DbSessionStore::new(db.clone())));
        serve(self.listener, router(state), stop).await;
        cleanup.abort();
        db.close().await;
        Ok(())
    }
}

/// How long a client may take to send a request's headers. A client that trickles them
/// would otherwise hold its connection (and a slot of the machine) for ever.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a stop waits for the requests in flight: whatever the clients do, the process
/// is gone within ten seconds of SIGTERM.
const STOP_GRACE: Duration = Duration::from_secs(7);

/// Accepts connections until `stop`, then lets the requests in flight finish, for at most
/// [`STOP_GRACE`].
async fn serve(listener: TcpListener, app: Router, stop: impl Future<Output = ()> + Send) {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use tower::ServiceExt;

    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    builder.http2().timer(TokioTimer::new());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, most likely: wait for some to close.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
            let mut request = request.map(axum::body::Body::new);
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(remote));
            app.clone().oneshot(request)
        });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended on an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(STOP_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still unfinished {} s after the stop: closing their connections",
            STOP_GRACE.as_secs()
        );
    }
}

/// Deletes expired sessions every five minutes.
async fn delete_expired_sessions(store: DbSessionStore) {
    let mut every = tokio::time::interval(Duration::from_secs(300));
    loop {
        every.tick().await;
        if let Err(error) = store.delete_expired().await {
            tracing::warn!(%error, "cannot delete expired sessions");
        }
    }
}

/// Completes at Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("stopping: finishing the requests in flight");
}
