//! Pages and JSON answers compressed whole with zstd, for the clients that take it (every
//! current browser). A streaming encoder (tower-http's, kept for brotli and gzip) builds a
//! context for the largest input at every response: 0.8 MB of tables to allocate and clear,
//! about 150 µs of a 300 µs sign-in page (`make profile`). Compressed whole, zstd knows the
//! size, sizes its tables to it, and each worker thread keeps its context from one response
//! to the next.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use std::cell::RefCell;

/// zstd's default level: what tower-http used for these answers (`CompressionLevel::Precise(3)`).
const LEVEL: i32 = 3;

/// Smaller answers go as they are: the frame would outweigh the saving.
const SMALLEST: usize = 256;

thread_local! {
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { RefCell::new(None) };
}

/// Compresses `text/html` and `application/json` answers with zstd when the request
/// accepts it; anything else passes on to the streaming compression outside.
pub async fn compress_pages(request: Request, next: Next) -> Response {
    let wanted = request.method() != Method::HEAD && accepts_zstd(request.headers());
    let response = next.run(request).await;
    if !wanted || !compressible(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match whole(body).await {
        Ok(bytes) => bytes,
        Err(failed) => return failed,
    };
    add_vary(&mut parts.headers);
    if bytes.len() < SMALLEST {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let Some(compressed) = compress(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts
        .headers
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("zstd"));
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(compressed.len()));
    Response::from_parts(parts, Body::from(compressed))
}

/// An answer's body read whole. A page that failed while it was being written becomes an
/// error with a reference: what a streamed answer would have cut short.
pub async fn whole(body: Body) -> Result<Bytes, Response> {
    axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|error| {
            let shown = super::super::error::internal(format!("page body failed: {error}"));
            (StatusCode::INTERNAL_SERVER_ERROR, shown.to_string()).into_response()
        })
}

/// `bytes` compressed with this thread's context (made at its first use).
fn compress(bytes: &[u8]) -> Option<Vec<u8>> {
    COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = zstd::bulk::Compressor::new(LEVEL).ok();
        }
        match cell.as_mut()?.compress(bytes) {
            Ok(compressed) => Some(compressed),
            Err(error) => {
                tracing::warn!(%error, "zstd failed: the answer goes uncompressed");
                // A context that failed is not trusted again.
                *cell = None;
                None
            }
        }
    })
}

/// A whole answer of a kind worth compressing, not compressed yet and not a range.
fn compressible(response: &Response) -> bool {
    let headers = response.headers();
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    response.status() != StatusCode::NO_CONTENT
        && response.status() != StatusCode::NOT_MODIFIED
        && !headers.contains_key(header::CONTENT_ENCODING)
        && !headers.contains_key(header::CONTENT_RANGE)
        && (kind.starts_with("text/html") || kind.starts_with("application/json"))
}

/// Whether `Accept-Encoding` names zstd with a weight above zero.
pub fn accepts_zstd(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or_default().trim();
            name.eq_ignore_ascii_case("zstd")
                && parts.all(|parameter| {
                    let parameter = parameter.trim();
                    match parameter
                        .strip_prefix("q=")
                        .or_else(|| parameter.strip_prefix("Q="))
                    {
                        Some(weight) => weight.trim().parse::<f32>().is_ok_and(|q| q > 0.0),
                        None => true,
                    }
                })
        })
}

/// Caches keep one copy per `Accept-Encoding`.
fn add_vary(headers: &mut HeaderMap) {
    let named = headers.get_all(header::VARY).iter().any(|value| {
        value
            .to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    });
    if !named {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn zstd_is_taken_only_when_named_with_a_weight_above_zero() {
        assert!(accepts_zstd(&accepting("gzip, deflate, br, zstd")));
        assert!(accepts_zstd(&accepting("ZSTD;q=0.5")));
        assert!(!accepts_zstd(&accepting("gzip, br")));
        assert!(!accepts_zstd(&accepting("zstd;q=0, gzip")));
        assert!(!accepts_zstd(&accepting("zstd;q=0.0")));
        assert!(!accepts_zstd(&accepting("zstdx")));
        assert!(!accepts_zstd(&HeaderMap::new()));
    }

    #[test]
    fn a_compressed_answer_decodes_to_the_page() {
        let page = "<!DOCTYPE html><p>Tiến độ</p>".repeat(200);
        let compressed = compress(page.as_bytes()).unwrap();
        assert!(compressed.len() < page.len() / 10);
        let back = zstd::bulk::decompress(&compressed, page.len()).unwrap();
        assert_eq!(back, page.as_bytes());
        // The thread's context serves the next answer too.
        let again = compress(b"{\"rows\":[]}").unwrap();
        assert_eq!(
            zstd::bulk::decompress(&again, 64).unwrap(),
            b"{\"rows\":[]}"
        );
    }
}
