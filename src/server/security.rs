//! The security baseline around every request: who is asking, whether a state-changing
//! request comes from our own pages, how often one address may try to sign in, and the
//! headers that every response carries.

use super::AppState;
use super::auth::{self, Authenticated, CurrentUser};
use crate::api::PUBLIC_SERVER_FNS;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use leptos::prelude::*;
use std::net::SocketAddr;
use tower_sessions::Session;

/// Where the server functions live.
pub const SERVER_FN_PREFIX: &str = "/api/";

/// The script nonce of one request, made by [`content_security_policy`] and used by the
/// page that answers it.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Content-Security-Policy for one page, allowing only the scripts that carry its nonce.
/// `wasm-unsafe-eval` lets the browser compile the app's WebAssembly; nothing else is eval'd.
pub fn policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Mints a nonce for the request and puts the policy on every HTML answer. The page gets
/// the same nonce through [`provide_csp_nonce`]. Done here rather than while the page
/// renders, so that every HTML response carries the header, error pages included.
pub async fn content_security_policy(mut request: Request, next: Next) -> Response {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    let nonce: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html && let Ok(value) = HeaderValue::from_str(&policy(&nonce)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// Gives the page being rendered the request's nonce (instead of one Leptos would make).
pub fn provide_csp_nonce() {
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// Whether a state-changing request comes from one of our own pages. Browsers send
/// `Sec-Fetch-Site` (and `Origin`) with every POST; a cross-site form, script or image
/// cannot forge them. Server functions have no CSRF protection of their own.
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    let (Some(origin), Some(host)) = (headers.get(header::ORIGIN), headers.get(header::HOST))
    else {
        return false;
    };
    let (Ok(origin), Ok(host)) = (origin.to_str(), host.to_str()) else {
        return false;
    };
    origin.split_once("://").is_some_and(|(scheme, authority)| {
        matches!(scheme, "http" | "https") && authority.eq_ignore_ascii_case(host)
    })
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Files of the built site: no session is read for them.
fn is_static_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
        || matches!(path, "/favicon.svg" | "/pow.js" | "/forms.js" | "/healthz")
}

/// How long a browser keeps a file of the built site. In `/pkg/` a release build's names
/// carry their content's hash and never change: a year, `immutable`, so a commune's phone
/// downloads them once per release. Everything else is asked again each time and answered
/// 304 when unchanged (a round trip, never a download, and scripts are deferred).
fn static_cache_policy(path: &str, hashed_names: bool) -> Option<&'static str> {
    if path.starts_with("/pkg/") && hashed_names {
        Some("public, max-age=31536000, immutable")
    } else if path.starts_with("/pkg/") || matches!(path, "/favicon.svg" | "/pow.js" | "/forms.js")
    {
        Some("no-cache")
    } else {
        None
    }
}

/// Puts [`static_cache_policy`] on the built site's files.
pub async fn cache_static_files(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let policy = static_cache_policy(request.uri().path(), state.leptos_options.hash_files);
    let mut response = next.run(request).await;
    let served = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    if let Some(policy) = policy.filter(|_| served) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// The server functions an official with a temporary password may call: the account page
/// and its password change, signing out, and what every page's frame reads.
const WHILE_PASSWORD_IS_TEMPORARY: [&str; 7] = [
    <crate::api::account::SetMailPreferences as leptos::server_fn::ServerFn>::PATH,
    <crate::api::account::GetAccount as leptos::server_fn::ServerFn>::PATH,
    <crate::api::account::RevokeSession as leptos::server_fn::ServerFn>::PATH,
    <crate::api::account::ChangePassword as leptos::server_fn::ServerFn>::PATH,
    <crate::api::auth::Logout as leptos::server_fn::ServerFn>::PATH,
    <crate::api::auth::GetViewer as leptos::server_fn::ServerFn>::PATH,
    <crate::api::locale::SetLocale as leptos::server_fn::ServerFn>::PATH,
];

/// Pages that need a signed-in official. Without one, the browser is sent to sign in.
/// (The data behind every page is guarded again by its server functions.)
const SIGNED_IN_PAGES: [&str; 8] = [
    "/account",
    "/notifications",
    "/dashboard",
    "/admin",
    "/documents",
    "/tasks",
    "/my-work",
    "/files",
];

fn needs_sign_in(path: &str) -> bool {
    SIGNED_IN_PAGES
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")))
}

/// The longest way back a sign-in redirect carries: no page of ours needs more, and a
/// huge query encoded again would make a `Location` header clients refuse.
const NEXT_MAX_BYTES: usize = 2048;

/// `/login?next=<path and query>`, the way back after signing in (the path alone when the
/// whole would be too long).
pub fn login_redirect(path_and_query: &str) -> String {
    // Slashes stay readable; everything else that is not plain is encoded.
    let encode = |target: &str| crate::model::nav::encode_query_value(target).replace("%2F", "/");
    let mut next = encode(path_and_query);
    if next.len() > NEXT_MAX_BYTES {
        let path = path_and_query.split('?').next().unwrap_or("/");
        next = encode(path);
        if next.len() > NEXT_MAX_BYTES {
            next = "/".to_owned();
        }
    }
    format!("/login?next={next}")
}

fn client_ip(request: &Request) -> Option<String> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

fn json_error(status: StatusCode, error: &crate::model::AppError) -> Response {
    let body = serde_json::to_string(error).unwrap_or_default();
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// Refuses state-changing requests that do not come from our own pages.
pub async fn require_same_origin(request: Request, next: Next) -> Response {
    if !is_safe_method(request.method()) && !is_same_origin(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "cross-origin request refused");
        return json_error(StatusCode::FORBIDDEN, &crate::model::AppError::Forbidden);
    }
    next.run(request).await
}

/// The largest feedback submission: the longest text and every other field, URL-encoded.
pub const FEEDBACK_BODY_MAX: usize = 64 * 1024;

/// Caps request bodies: most requests are small forms; a progress report may carry its
/// evidence files; a feedback submission (public, anonymous) gets the smallest cap.
/// Beyond the cap the answer is 413: before the body is read when it declares its length,
/// as soon as it passes the cap when it does not (chunked), whoever was reading it.
/// A body left unread (a request refused before its body mattered) closes the connection
/// after the answer, and the answer says so: the client must not send its next request
/// on a connection that still carries the rest of this one.
pub async fn limit_request_body(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    use crate::model::task::{EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES};
    use http_body::Body as _;
    let path = request.uri().path().to_owned();
    let limit = if is_upload(&path) {
        EVIDENCE_MAX_FILES * EVIDENCE_MAX_BYTES + 1024 * 1024
    } else if path == crate::api::feedback::SUBMIT_FEEDBACK_PATH || path.starts_with("/open311/") {
        FEEDBACK_BODY_MAX
    } else {
        state.config.body_limit_bytes
    };
    if declared_length(request.headers()).is_some_and(|length| length > limit) {
        super::http::body::drain(request.into_body()).await;
        return close_connection(payload_too_large(&path, limit));
    }
    let has_body = !request.body().is_end_stream();
    let (parts, body) = request.into_parts();
    let (body, watch) = super::http::body::Watched::new(body, limit);
    let mut response = next
        .run(Request::from_parts(parts, axum::body::Body::new(body)))
        .await;
    if watch.too_large() && response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        response = payload_too_large(&path, limit);
    }
    if has_body && !watch.finished() && !watch.too_large() {
        // Refused before its body mattered: a small rest is read so the connection can go
        // on; a rest that does not end soon closes it.
        let ended = match watch.take_rest() {
            Some(rest) => super::http::body::drain(rest).await,
            None => false,
        };
        if !ended {
            response = close_connection(response);
        }
    } else if watch.too_large() {
        if let Some(rest) = watch.take_rest() {
            super::http::body::drain(rest).await;
        }
        response = close_connection(response);
    }
    response
}

/// Refuses an upload that is not `multipart/form-data` with a boundary: server_fn 0.8
/// panics on one (runs after authentication, so anonymous callers still get 401; the
/// unread body is dealt with by [`limit_request_body`]).
pub async fn require_multipart_upload(request: Request, next: Next) -> Response {
    if is_upload(request.uri().path())
        && request.method() == Method::POST
        && !is_multipart(request.headers())
    {
        return json_error(StatusCode::BAD_REQUEST, &crate::model::AppError::Request);
    }
    next.run(request).await
}

/// The forms that carry evidence files: a progress report, an indicator value.
fn is_upload(path: &str) -> bool {
    path == crate::api::tasks::SUBMIT_REPORT_PATH
        || path == crate::api::indicators::REPORT_VALUE_PATH
}

/// Whether the body is `multipart/form-data` with a boundary, as the upload reads it.
fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|content_type| multer::parse_boundary(content_type).is_ok())
}

/// Whether the request is a browser's plain navigation or form post (no JavaScript in
/// between), which gets pages and redirects rather than JSON.
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

fn close_connection(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The body length a request declares, if it declares one.
pub fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
}

/// How a size limit reads: "64 KB", "2 MB".
pub fn size_text(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", bytes / (1024 * 1024))
    } else {
        format!("{} KB", bytes / 1024)
    }
}

/// 413 in the caller's format: JSON for the Open311 API, a page for everyone else.
fn payload_too_large(path: &str, limit: usize) -> Response {
    let size = size_text(limit);
    if path.starts_with("/open311/") {
        return super::open311::error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request is too large: at most {size}"),
        );
    }
    let body = format!(
        "<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><title>413</title>\
         <p>Dữ liệu gửi lên quá lớn: tối đa {size}.</p>\
         <p lang=\"en\">What was sent is too large: at most {size}.</p></html>"
    );
    (StatusCode::PAYLOAD_TOO_LARGE, axum::response::Html(body)).into_response()
}

/// Limits failed sign-ins per address: 429 with `Retry-After` beyond the limit. Every
/// attempt counts as it arrives, before its password is checked, so that a burst of
/// parallel attempts cannot all get through before the first has failed; a successful
/// sign-in is then forgiven (`api::auth::login`), so a whole office behind one address can
/// still sign in in the morning.
pub async fn limit_sign_in_attempts(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_sign_in =
        request.method() == Method::POST && request.uri().path() == crate::api::auth::LOGIN_PATH;
    if is_sign_in
        && let Some(ConnectInfo(addr)) = request.extensions().get::<ConnectInfo<SocketAddr>>()
        && let Err(retry_after) = state.login_limiter.check(addr.ip())
    {
        tracing::warn!(ip = %addr.ip(), "sign-in attempts over the limit");
        return too_many_requests(retry_after);
    }
    next.run(request).await
}

/// Limits feedback submissions through the public form per address, counting every
/// attempt: 429 with `Retry-After` beyond the limit. (Open311 counts on the same limiter.)
pub async fn limit_feedback_submissions(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_submission = request.method() == Method::POST
        && request.uri().path() == crate::api::feedback::SUBMIT_FEEDBACK_PATH;
    if is_submission
        && let Some(ConnectInfo(addr)) = request.extensions().get::<ConnectInfo<SocketAddr>>()
        && let Err(retry_after) = state.intake.admit(Some(addr.ip()))
    {
        tracing::warn!(ip = %addr.ip(), "feedback submissions over the limit");
        if !wants_html(request.headers()) {
            let error = crate::model::AppError::RateLimited {
                retry_after_secs: retry_after,
            };
            let mut response = json_error(StatusCode::TOO_MANY_REQUESTS, &error);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            return response;
        }
        return too_many_requests(retry_after);
    }
    next.run(request).await
}

/// A 429 that a browser without JavaScript can show, and a script can read.
fn too_many_requests(retry_after: u64) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><title>429</title>\
         <p>Quá nhiều lần thử từ địa chỉ của bạn. Vui lòng thử lại sau {retry_after} giây.</p>\
         <p lang=\"en\">Too many attempts from your address. Please try again in {retry_after} seconds.</p></html>"
    );
    let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::response::Html(body)).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

/// Works out who is asking (once per request) and keeps anonymous callers out of what
/// needs a signed-in official: server functions answer 401, pages redirect to sign-in.
/// Responses to signed-in officials and from server functions are never cached.
pub async fn authenticate(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if is_static_asset(&path) {
        return next.run(request).await;
    }
    let arrived = std::time::Instant::now();
    let mut user: Option<CurrentUser> = match auth::session_user(&state.db, &session, arrived).await
    {
        Ok(user) => user,
        Err(error) => {
            let shown = super::error::internal(error);
            return json_error(StatusCode::INTERNAL_SERVER_ERROR, &shown);
        }
    };
    let is_server_fn = path.starts_with(SERVER_FN_PREFIX);
    // The header's unread count: read for pages only, not for every server function.
    if let Some(current) = user.as_mut()
        && !is_server_fn
        && request.method() == Method::GET
    {
        let reader = super::access::Reader::of(current);
        match super::supervision::inbox::unread_count(&state.db, &reader, arrived).await {
            Ok(unread) => {
                current.viewer.unread = unread;
                current.unread_counted = true;
            }
            // The page itself reports an outage; the header only leaves the count out.
            Err(error) => tracing::warn!(%error, "unread notifications not counted"),
        }
    }
    if user.is_none() {
        if is_server_fn && !PUBLIC_SERVER_FNS.contains(&path.as_str()) {
            return json_error(
                StatusCode::UNAUTHORIZED,
                &crate::model::AppError::Unauthorized,
            );
        }
        if !is_server_fn && needs_sign_in(&path) {
            let target = request
                .uri()
                .path_and_query()
                .map_or(path.as_str(), |pq| pq.as_str());
            return Redirect::to(&login_redirect(target)).into_response();
        }
    }
    // An official whose password was set by someone else chooses their own first: pages
    // lead to `/account`, and server functions other than the few that page needs refuse.
    if let Some(current) = &user
        && current.viewer.must_change_password
    {
        if is_server_fn
            && !WHILE_PASSWORD_IS_TEMPORARY.contains(&path.as_str())
            && !PUBLIC_SERVER_FNS.contains(&path.as_str())
        {
            if wants_html(request.headers()) {
                return Redirect::to("/account").into_response();
            }
            return json_error(
                StatusCode::FORBIDDEN,
                &crate::model::AppError::PasswordChangeRequired,
            );
        }
        if !is_server_fn && request.method() == Method::GET && path != "/account" {
            return Redirect::to("/account").into_response();
        }
    }

    let signed_in = user.is_some();
    let client = auth::Client {
        ip: client_ip(&request),
        user_agent: request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    request.extensions_mut().insert(Authenticated(user));
    request.extensions_mut().insert(client);
    // A tracking page carries its item's secret in its address and its text; the form
    // carries a challenge meant for one sender.
    let private = signed_in || is_server_fn || path.starts_with("/feedback");
    let mut response = next.run(request).await;
    if private {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_built_files_are_kept_for_a_year() {
        let year = Some("public, max-age=31536000, immutable");
        assert_eq!(static_cache_policy("/pkg/tiendo.3f9a1c.wasm", true), year);
        assert_eq!(
            static_cache_policy("/pkg/tiendo.css", false),
            Some("no-cache")
        );
        assert_eq!(static_cache_policy("/forms.js", true), Some("no-cache"));
        assert_eq!(static_cache_policy("/dashboard", true), None);
        assert_eq!(static_cache_policy("/files/7", true), None);
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_origin_by_fetch_metadata_or_origin() {
        assert!(is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(!is_same_origin(&headers(&[
            ("sec-fetch-site", "same-site"),
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ])));
        assert!(is_same_origin(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "http://evil.example"),
            ("host", "127.0.0.1:3000"),
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "null"),
            ("host", "h")
        ])));
        assert!(!is_same_origin(&headers(&[("host", "127.0.0.1:3000")])));
    }

    #[test]
    fn login_redirect_keeps_the_way_back() {
        assert_eq!(login_redirect("/account"), "/login?next=/account");
        assert_eq!(
            login_redirect("/admin/users?q=a b&role=leader"),
            "/login?next=/admin/users%3Fq%3Da%20b%26role%3Dleader"
        );
        let long = format!("/admin/users?q={}", "ă".repeat(2000));
        assert_eq!(login_redirect(&long), "/login?next=/admin/users");
        assert_eq!(
            login_redirect(&format!("/{}", "ă".repeat(2000))),
            "/login?next=/"
        );
    }

    #[test]
    fn pages_that_need_sign_in() {
        assert!(needs_sign_in("/account"));
        assert!(needs_sign_in("/admin/users/3"));
        assert!(!needs_sign_in("/accounting"));
        assert!(!needs_sign_in("/units/01"));
        assert!(!needs_sign_in("/"));
    }
}
