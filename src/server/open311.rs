//! Open311 GeoReport v2 under `/open311/v2/`: the feedback categories as services, the
//! published items as service requests, and a way for other systems to send opinions in.
//!
//! For other systems, not browsers: no session is read and no cookie is set, so the
//! `Origin` rule (which protects cookie-authenticated routes) does not apply. Posting
//! counts on the same per-address limit as the public form. Errors follow the standard:
//! `[{"code": 400, "description": "..."}]` with a 4xx status.
//!
//! Only published items are listed, and no response carries the sender's name, email,
//! phone or place: a request is public once its answer is. The sender (or the partner
//! that posted it) can read an unpublished one with the `token` it got back.

use super::AppState;
use super::feedback::{
    Open311Filter, Open311Request, check_open311, new_submission_key, open311_request,
    open311_requests, store,
};
use super::security::{FEEDBACK_BODY_MAX, size_text};
use super::work::Failure;
use crate::i18n::Locale;
use crate::model::feedback::{Category, FeedbackStatus, parse_reference_code};
use crate::model::{AppError, Problem};
use axum::Router;
use axum::extract::{ConnectInfo, Path, RawQuery, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::SocketAddr;

/// Where the API lives.
pub const PREFIX: &str = "/open311/v2";
/// The most requests one list answers, as the standard lets a server choose.
pub const LIST_MAX: u64 = 1000;
/// Without dates, a list covers the last 90 days, as the standard says.
pub const DEFAULT_DAYS: i64 = 90;

pub fn router(_state: AppState) -> Router<AppState> {
    Router::new()
        .route("/open311/v2/discovery.json", get(discovery))
        .route("/open311/v2/services.json", get(services))
        .route("/open311/v2/requests.json", get(list).post(create))
        .route("/open311/v2/requests/{file}", get(one))
        .route("/open311/v2/{*rest}", any(unknown))
        .route("/open311/v2", any(unknown))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(cors_for_reads))
}

/// The query string's parameters; a malformed one is read as well as it can be rather
/// than refused in a shape the standard does not know.
fn query_map(raw: Option<String>) -> HashMap<String, String> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

async fn method_not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "this resource does not answer that method",
    )
}

/// An error in the standard's shape.
pub fn error(status: StatusCode, description: impl Into<String>) -> Response {
    answer(
        status,
        json!([{ "code": status.as_u16(), "description": description.into() }]),
    )
}

fn answer(status: StatusCode, body: Value) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// Any site's script may read what is public anyway (no credentials are involved), so
/// reads carry `Access-Control-Allow-Origin: *`. Posting is for partner systems, which are
/// servers: no browser script elsewhere gets permission to send opinions in a visitor's
/// name.
async fn cors_for_reads(request: Request, next: axum::middleware::Next) -> Response {
    let read = matches!(*request.method(), http::Method::GET | http::Method::HEAD);
    let mut response = next.run(request).await;
    if read {
        response.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
    response
}

/// English unless the caller asks for Vietnamese: the names are for other systems'
/// people, who may read either.
fn locale(headers: &HeaderMap, query: &HashMap<String, String>) -> Locale {
    let asked = query
        .get("locale")
        .map(String::as_str)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
        })
        .unwrap_or_default();
    if asked.trim_start().to_ascii_lowercase().starts_with("vi") {
        Locale::vi
    } else {
        Locale::en
    }
}

fn category_name(locale: Locale, category: Category) -> String {
    crate::components::labels::category_label_in(locale, category).to_owned()
}

fn category_description(locale: Locale, category: Category) -> String {
    crate::components::labels::category_help_in(locale, category).to_owned()
}

/// `2026-11-30T09:15:00+07:00`: W3C date and time, in Vietnam's time.
fn w3c(at: DateTime<Utc>) -> String {
    match FixedOffset::east_opt(7 * 3600) {
        Some(vietnam) => at
            .with_timezone(&vietnam)
            .to_rfc3339_opts(SecondsFormat::Secs, false),
        None => at.to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}

async fn discovery() -> Response {
    answer(
        StatusCode::OK,
        json!({
            "changeset": "2026-12-02T00:00:00+07:00",
            "contact": "Tiến Độ",
            "key_service": "Partner systems will get keys with API tokens; until then `api_key` is optional.",
            "endpoints": [{
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": PREFIX,
                "changeset": "2026-12-02T00:00:00+07:00",
                "type": "production",
                "formats": ["application/json"]
            }]
        }),
    )
}

async fn services(headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let query = query_map(query);
    let locale = locale(&headers, &query);
    let group = match locale {
        Locale::vi => "Góp ý",
        Locale::en => "Feedback",
    };
    let services: Vec<Value> = Category::ALL
        .iter()
        .map(|category| {
            json!({
                "service_code": category.as_str(),
                "service_name": category_name(locale, *category),
                "description": category_description(locale, *category),
                "metadata": false,
                "type": "realtime",
                "keywords": "",
                "group": group,
            })
        })
        .collect();
    answer(StatusCode::OK, Value::Array(services))
}

fn request_json(locale: Locale, request: &Open311Request) -> Value {
    json!({
        "service_request_id": request.code,
        "status": request.status.open311(),
        "status_notes": request.answer.clone().or_else(|| status_note(locale, request.status)),
        "service_name": category_name(locale, request.category),
        "service_code": request.category.as_str(),
        "description": request.description,
        "agency_responsible": request.agency,
        "service_notice": Value::Null,
        "requested_datetime": w3c(request.requested),
        "updated_datetime": w3c(request.updated),
        "expected_datetime": Value::Null,
        "address": Value::Null,
        "address_id": Value::Null,
        "zipcode": Value::Null,
        "lat": Value::Null,
        "long": Value::Null,
        "media_url": Value::Null,
    })
}

/// Our finer status, for a request that has no published answer to show.
fn status_note(locale: Locale, status: FeedbackStatus) -> Option<String> {
    Some(crate::components::labels::feedback_status_label_in(locale, status).to_owned())
}

/// A W3C date or date-time: `2026-11-30`, `2026-11-30T09:00:00Z`, `...+07:00`.
fn parse_w3c(name: &str, value: &str) -> Result<Option<DateTime<Utc>>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Ok(Some(at.with_timezone(&Utc)));
    }
    if let Some(day) = crate::model::time::Day::parse(value) {
        // A bare date is a day in Vietnam.
        return Ok(DateTime::from_timestamp(
            i64::from(day.0) * 86_400 - 7 * 3600,
            0,
        ));
    }
    Err(format!(
        "{name} is not a W3C date-time (for example 2026-11-30T09:00:00+07:00)"
    ))
}

fn comma_list(value: Option<&String>) -> Vec<String> {
    value
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A failure that is not the client's: a database that cannot take the request now
/// (503 with `Retry-After`), or a bug under a reference (500).
fn failed(failure: Failure) -> Response {
    match failure.shown() {
        AppError::Unavailable {
            retry_after_secs,
            cause,
        } => {
            let mut response = self::error(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the service cannot take requests now ({cause:?}); try again in {retry_after_secs} seconds"
                ),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            response
        }
        AppError::Internal { reference } => self::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("internal error, reference {reference}"),
        ),
        other => self::error(
            StatusCode::from_u16(other.status_code()).unwrap_or(StatusCode::BAD_REQUEST),
            other.to_string(),
        ),
    }
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query_map(query);
    let locale = locale(&headers, &query);
    let mut filter = Open311Filter::default();
    let ids = comma_list(query.get("service_request_id"));
    if !ids.is_empty() {
        // The standard: with ids, the other filters are ignored.
        filter.codes = ids
            .iter()
            .map(|code| code.to_ascii_uppercase())
            .filter(|code| parse_reference_code(code).is_some())
            .collect();
        if filter.codes.is_empty() {
            return answer(StatusCode::OK, json!([]));
        }
    } else {
        for code in comma_list(query.get("service_code")) {
            match code.parse::<Category>() {
                Ok(category) => filter.categories.push(category),
                Err(_) => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        format!("service_code {code} is not a service of this server"),
                    );
                }
            }
        }
        let statuses = comma_list(query.get("status"));
        let mut open = false;
        let mut closed = false;
        for status in &statuses {
            match status.as_str() {
                "open" => open = true,
                "closed" => closed = true,
                other => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        format!("status {other} is neither open nor closed"),
                    );
                }
            }
        }
        filter.open = (open != closed).then_some(open);
        let date = |name: &str| parse_w3c(name, query.get(name).map_or("", |v| v));
        let (start, end) = match (date("start_date"), date("end_date")) {
            (Ok(start), Ok(end)) => (start, end),
            (Err(problem), _) | (_, Err(problem)) => {
                return error(StatusCode::BAD_REQUEST, problem);
            }
        };
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            return error(StatusCode::BAD_REQUEST, "end_date is before start_date");
        }
        filter.start = start.or_else(|| {
            end.is_none()
                .then(|| Utc::now() - chrono::Duration::days(DEFAULT_DAYS))
        });
        filter.end = end;
    }
    match open311_requests(&state.db, &filter, LIST_MAX).await {
        Ok(requests) => answer(
            StatusCode::OK,
            Value::Array(requests.iter().map(|r| request_json(locale, r)).collect()),
        ),
        Err(failure) => failed(failure),
    }
}

async fn one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query_map(query);
    let locale = locale(&headers, &query);
    let Some(code) = file.strip_suffix(".json") else {
        return error(StatusCode::NOT_FOUND, "only the json format is served");
    };
    let token = query.get("token").map(String::as_str);
    match open311_request(&state.db, code, token).await {
        Ok(Some(request)) => answer(StatusCode::OK, json!([request_json(locale, &request)])),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            format!("service request {code} not found"),
        ),
        Err(failure) => failed(failure),
    }
}

async fn unknown() -> Response {
    error(StatusCode::NOT_FOUND, "no such resource in this API")
}

/// The fields of a POST: `application/x-www-form-urlencoded` as the standard says, or
/// a JSON object of strings.
fn fields(headers: &HeaderMap, body: &[u8]) -> Option<HashMap<String, String>> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        let object: serde_json::Map<String, Value> = serde_json::from_slice(body).ok()?;
        return Some(
            object
                .into_iter()
                .map(|(key, value)| {
                    let text = match value {
                        Value::String(text) => text,
                        Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    (key, text)
                })
                .collect(),
        );
    }
    Some(
        form_urlencoded::parse(body)
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect(),
    )
}

fn problem_description(field: &str, problem: &Problem) -> String {
    let what = match problem {
        Problem::Required => "is required".to_owned(),
        Problem::TooLong { max } => format!("is too long (at most {max} characters)"),
        Problem::Unknown => "names nothing this server knows".to_owned(),
        Problem::Markup => "may not contain scripts or active markup".to_owned(),
        _ => "is not in the right form".to_owned(),
    };
    format!("{field} {what}")
}

fn too_many(retry_after: u64) -> Response {
    let mut response = error(
        StatusCode::TOO_MANY_REQUESTS,
        format!("too many requests from this address; try again in {retry_after} seconds"),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

async fn create(State(state): State<AppState>, request: Request) -> Response {
    // Posting is for partner systems, which are servers. A browser says where it comes
    // from (`Origin`, `Sec-Fetch-Site`); a page elsewhere must not make its visitors send
    // opinions in their name. People use the form at `/feedback`.
    let headers = request.headers();
    let from_a_browser = headers.contains_key(header::ORIGIN)
        || headers
            .get("sec-fetch-site")
            .is_some_and(|site| site.as_bytes() != b"none");
    if from_a_browser {
        return error(
            StatusCode::FORBIDDEN,
            "posting is for partner systems; people send opinions with the form at /feedback",
        );
    }
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if let Err(retry_after) = state.intake.admit(ip) {
        return too_many(retry_after);
    }
    // The body cap (413 past it, declared or not) is `security::limit_request_body`'s.
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, FEEDBACK_BODY_MAX).await else {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the request is too large: at most {}",
                size_text(FEEDBACK_BODY_MAX)
            ),
        );
    };
    let Some(fields) = fields(&parts.headers, &body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "the body is not a form or a JSON object",
        );
    };
    let now = Utc::now();
    let stored = async {
        let new = check_open311(&state.db, &fields).await?;
        // No partner key can prove a sender yet (API tokens come with data sharing):
        // every opinion stored through here counts on the smaller limit of the form sent
        // without its proof of work.
        if let Err(retry_after_secs) = state.intake.admit_unproven(ip) {
            return Err(Failure::App(AppError::RateLimited { retry_after_secs }));
        }
        store(&state.db, &state.intake, new, &new_submission_key(), now).await
    }
    .await;
    match stored {
        Ok(receipt) => answer(
            StatusCode::CREATED,
            json!([{
                "service_request_id": receipt.code,
                "token": receipt.secret,
                "service_notice": format!(
                    "Received. The sender can follow it at {}",
                    receipt.tracking_path()
                ),
                "account_id": Value::Null,
            }]),
        ),
        Err(Failure::App(AppError::RateLimited { retry_after_secs })) => too_many(retry_after_secs),
        Err(Failure::App(AppError::Invalid { field, problem })) => error(
            StatusCode::BAD_REQUEST,
            problem_description(&field, &problem),
        ),
        Err(Failure::App(other)) => error(
            StatusCode::from_u16(other.status_code()).unwrap_or(StatusCode::BAD_REQUEST),
            other.to_string(),
        ),
        Err(failure) => failed(failure),
    }
}
