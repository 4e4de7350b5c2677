//! `GET /files/{id}` and `GET /indicators/files/{id}`: an evidence file, to an official
//! who may see its task or its indicator.

use super::AppState;
use super::access::Reader;
use super::auth::Authenticated;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CACHE_CONTROL, "no-store")],
        "Không tìm thấy tệp. / File not found.",
    )
        .into_response()
}

/// `attachment; filename="..."; filename*=UTF-8''...`: an ASCII name for old browsers and
/// the real one, percent-encoded, for the others.
fn disposition(file_name: &str) -> String {
    let ascii: String = crate::model::text::fold(file_name)
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// What serving an evidence file needs of its row: report and indicator value files
/// have the same shape.
struct Stored {
    id: i32,
    file_name: String,
    content_type: String,
    storage_key: String,
}

macro_rules! stored_from {
    ($($entity:ident),*) => {$(
        impl From<super::entity::$entity::Model> for Stored {
            fn from(file: super::entity::$entity::Model) -> Self {
                Stored {
                    id: file.id,
                    file_name: file.file_name,
                    content_type: file.content_type,
                    storage_key: file.storage_key,
                }
            }
        }
    )*};
}
stored_from!(attachment, indicator_value_file);

/// `GET /files/{id}`: a progress report's evidence file.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Extension(Authenticated(user)): Extension<Authenticated>,
) -> Response {
    serve(
        &state,
        user,
        &id,
        "attachment",
        super::reports::attachment_for,
    )
    .await
}

/// `GET /indicators/files/{id}`: an indicator value's evidence file.
pub async fn download_value_file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Extension(Authenticated(user)): Extension<Authenticated>,
) -> Response {
    let find = super::indicators::value_file_for;
    serve(&state, user, &id, "indicator_value_file", find).await
}

/// Sends the file `find` gives the signed-in reader, with its classification (a state
/// secret's reading is audited under `kind`, the audit trail's name), or says why not.
async fn serve<F: Into<Stored>>(
    state: &AppState,
    user: Option<super::auth::CurrentUser>,
    id: &str,
    kind: &'static str,
    find: impl AsyncFnOnce(&super::db::Db, &Reader, i32) -> super::work::Outcome<Option<(F, i16)>>,
) -> Response {
    let Some(user) = user else {
        return (
            StatusCode::UNAUTHORIZED,
            "Vui lòng đăng nhập. / Please sign in.",
        )
            .into_response();
    };
    let Ok(id) = id.parse::<i32>() else {
        return not_found();
    };
    let reader = Reader::of(&user);
    let (file, classification): (Stored, i16) = match find(&state.db, &reader, id).await {
        Ok(Some((file, classification))) => (file.into(), classification),
        Ok(None) => return not_found(),
        Err(error) => {
            let shown = super::error::internal(error);
            return (StatusCode::INTERNAL_SERVER_ERROR, shown.to_string()).into_response();
        }
    };
    let bytes = match state.evidence.read(&file.storage_key).await {
        Ok(bytes) => bytes,
        Err(error) => {
            let shown = super::error::internal(error);
            return (StatusCode::INTERNAL_SERVER_ERROR, shown.to_string()).into_response();
        }
    };
    let recorded =
        super::access::audit_reads(&state.db, &reader, [(kind, file.id, classification)]).await;
    if let Err(error) = recorded {
        // Reading a state secret without leaving a trace is not allowed.
        let shown = super::error::internal(error);
        return (StatusCode::INTERNAL_SERVER_ERROR, shown.to_string()).into_response();
    }
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&file.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&disposition(&file.file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    response
}

/// `GET /admin/audit.csv?<the viewer's filters>`: the audit log's matching events as a
/// spreadsheet, for administrators, within the same reach as the viewer.
pub async fn audit_export(
    State(state): State<AppState>,
    axum::extract::Query(filter): axum::extract::Query<crate::model::audit::AuditFilter>,
    Extension(Authenticated(user)): Extension<Authenticated>,
) -> Response {
    let Some(user) = user.filter(|u| u.viewer.role == crate::model::Role::Admin) else {
        return (
            StatusCode::FORBIDDEN,
            [(header::CACHE_CONTROL, "no-store")],
            "Chỉ quản trị viên. / Administrators only.",
        )
            .into_response();
    };
    let reader = Reader::of(&user);
    match super::audit::viewer::export(&state.db, &reader, &filter).await {
        Ok(csv) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment; filename=\"audit.csv\""),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            csv,
        )
            .into_response(),
        Err(failure) => {
            let error = failure.shown();
            let status =
                StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::BAD_REQUEST);
            (
                status,
                [(header::CACHE_CONTROL, "no-store")],
                error.to_string(),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn download_names_are_safe_headers() {
        assert_eq!(
            disposition("Biên bản.pdf"),
            "attachment; filename=\"bien ban.pdf\"; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n.pdf"
        );
        assert!(!disposition("a\"b.pdf").contains("a\"b"));
    }
}
