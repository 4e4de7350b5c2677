//! Public pages kept whole for visitors who are not signed in. The home page, the unit
//! hierarchy, the feedback form and the sign-in page are the same for every such visitor
//! who asks for the same address in the same language: rendered once, each serves until
//! what it reads changes (the database's generation, moved by the same transaction as the
//! change), and the sign-in page, which reads nothing, for as long as the server runs.
//!
//! What a page hands to one visitor only is made afresh for each: the script nonce (which
//! the Content-Security-Policy outside names) and the feedback form's challenge replace the
//! kept page's own.

use super::super::AppState;
use super::super::auth::Authenticated;
use super::super::generation::{self, Kept};
use super::super::security::CspNonce;
use super::refused;
use crate::app::LOCALE_COOKIE;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, header};
use leptos::prelude::use_context;
use std::sync::{Arc, Mutex, PoisonError};

/// Longer addresses (or language cookies) are served, not kept.
const LONGEST_KEY: usize = 512;

/// What a kept page is read from, besides its address and language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ReadsFrom {
    /// Nothing that changes while the server runs.
    Nothing,
    /// What the database's generation follows (here the units and the documents).
    Database,
}

/// A page that may be kept: what it reads, and whether it carries a feedback challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct KeptRoute {
    reads_from: ReadsFrom,
    challenge: bool,
}

/// The pages kept, by address: each reads only what it says (`server::units`, the public
/// documents of the feedback form, or nothing). The feedback form is kept only without a
/// query: a `draft` brings back what one sender typed.
fn kept_route(path: &str, query: Option<&str>) -> Option<KeptRoute> {
    let route = |reads_from, challenge| {
        Some(KeptRoute {
            reads_from,
            challenge,
        })
    };
    match path {
        "/login" => route(ReadsFrom::Nothing, false),
        "/" | "/units" => route(ReadsFrom::Database, false),
        "/feedback" if query.is_none_or(str::is_empty) => route(ReadsFrom::Database, true),
        _ => path
            .strip_prefix("/units/")
            .filter(|code| !code.is_empty() && !code.contains('/'))
            .and_then(|_| route(ReadsFrom::Database, false)),
    }
}

/// The challenge the feedback form drew for this request, written down by the form itself
/// ([`challenge_drawn`]) so that a kept copy of the page can be given a new one.
#[derive(Clone, Debug, Default)]
pub struct DrawnChallenge(Arc<Mutex<Option<String>>>);

impl DrawnChallenge {
    fn take(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Notes the challenge a page being rendered hands out (when its page may be kept).
pub fn challenge_drawn(challenge: &str) {
    if let Some(drawn) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<DrawnChallenge>().cloned())
    {
        *drawn.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(challenge.to_owned());
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct PageKey {
    path_and_query: String,
    locale: Option<String>,
}

/// A rendered page: its headers, its bytes, and where in them stand the values made for
/// one visitor (the nonce, and the challenge if it has one).
#[derive(Debug)]
pub struct KeptPage {
    headers: HeaderMap,
    body: Bytes,
    /// For each value made for one visitor: its length and where it stands.
    fresh_at: Vec<(usize, Vec<usize>)>,
}

impl KeptPage {
    /// `None` when one of the values is not in the page: it was put there some other way.
    fn new(headers: HeaderMap, body: Bytes, fresh: &[&str]) -> Option<KeptPage> {
        let fresh_at: Vec<(usize, Vec<usize>)> = fresh
            .iter()
            .map(|value| {
                let value = value.as_bytes();
                let at = body
                    .windows(value.len())
                    .enumerate()
                    .filter(|(_, window)| *window == value)
                    .map(|(at, _)| at)
                    .collect();
                (value.len(), at)
            })
            .collect();
        fresh_at
            .iter()
            .all(|(_, at)| !at.is_empty())
            .then_some(KeptPage {
                headers,
                body,
                fresh_at,
            })
    }

    /// The page for one more visitor, with values of their own in place of the kept ones
    /// (in the same order); `None` when one has another length than the one it replaces.
    fn answer(&self, fresh: &[&str]) -> Option<Response> {
        if fresh.len() != self.fresh_at.len()
            || fresh
                .iter()
                .zip(&self.fresh_at)
                .any(|(value, (length, _))| value.len() != *length)
        {
            return None;
        }
        let mut bytes = self.body.to_vec();
        for (value, (length, positions)) in fresh.iter().zip(&self.fresh_at) {
            for &at in positions {
                bytes[at..at + length].copy_from_slice(value.as_bytes());
            }
        }
        let mut response = Response::new(Body::from(bytes));
        *response.headers_mut() = self.headers.clone();
        Some(response)
    }
}

/// The public pages kept between writes to one database.
#[derive(Debug)]
pub struct KeptPages {
    /// Pages that read nothing: kept at a generation of their own that never moves.
    unchanging: Kept<PageKey, KeptPage>,
    /// Pages that read the database: kept at its generation.
    of_data: Kept<PageKey, KeptPage>,
}

impl Default for KeptPages {
    fn default() -> Self {
        // 3,355 units could each have a page of 10 to 30 KB: keep the most asked for.
        KeptPages {
            unchanging: Kept::new(64),
            of_data: Kept::new(512),
        }
    }
}

/// Serves a kept public page to a visitor who is not signed in, or renders it and keeps it.
pub async fn serve_kept_pages(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let route = kept_route(request.uri().path(), request.uri().query());
    let (Some(route), Some(key), Some(nonce)) = (
        route.filter(|_| is_anonymous_read(&request)),
        page_key(&request),
        request.extensions().get::<CspNonce>().map(|n| n.0.clone()),
    ) else {
        return next.run(request).await;
    };
    let kept = &state.db.kept.pages;
    let (pages, generation) = match route.reads_from {
        ReadsFrom::Nothing => (&kept.unchanging, 0),
        // Read before the page: a change committed while it renders moves the generation
        // past the one the page is kept at.
        ReadsFrom::Database => match generation::current(&state.db).await {
            Ok(Some(generation)) => (&kept.of_data, generation),
            // PostgreSQL keeps no generation; an outage is the page's to report.
            Ok(None) | Err(_) => return next.run(request).await,
        },
    };
    if let Some(page) = pages.get(generation, &key) {
        let challenge = route
            .challenge
            .then(|| state.intake.challenge(chrono::Utc::now().timestamp()));
        if let Some(answer) = page.answer(&made_for_one(&nonce, challenge.as_deref())) {
            return answer;
        }
    }
    let drawn = DrawnChallenge::default();
    request.extensions_mut().insert(drawn.clone());
    let response = next.run(request).await;
    let challenge = drawn.take();
    if !worth_keeping(&response) || route.challenge != challenge.is_some() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match super::compress::whole(body).await {
        Ok(bytes) => bytes,
        Err(failed) => return failed,
    };
    let made = made_for_one(&nonce, challenge.as_deref());
    if let Some(page) = KeptPage::new(parts.headers.clone(), bytes.clone(), &made) {
        pages.put(generation, key, Arc::new(page));
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The values a page hands to one visitor only, in the order a kept page stores them.
fn made_for_one<'a>(nonce: &'a str, challenge: Option<&'a str>) -> Vec<&'a str> {
    std::iter::once(nonce).chain(challenge).collect()
}

/// A plain GET by a visitor who is not signed in. A page that shows a refused form's
/// error may put back what the visitor typed (kept in their session): never kept.
fn is_anonymous_read(request: &Request) -> bool {
    request.method() == Method::GET
        && request
            .extensions()
            .get::<Authenticated>()
            .is_some_and(|who| who.0.is_none())
        && request
            .uri()
            .query()
            .and_then(refused::refused_path)
            .is_none()
}

/// The address and the chosen language: all a kept page differs by.
fn page_key(request: &Request) -> Option<PageKey> {
    let path_and_query = request.uri().path_and_query()?.as_str();
    let locale = locale_cookie(request.headers())?;
    let length = path_and_query.len() + locale.map_or(0, str::len);
    (length <= LONGEST_KEY).then(|| PageKey {
        path_and_query: path_and_query.to_owned(),
        locale: locale.map(str::to_owned),
    })
}

/// The language cookie's value, if any: `None` when the request sends it more than once
/// (which of them the page would read is not this module's to guess).
fn locale_cookie(headers: &HeaderMap) -> Option<Option<&str>> {
    let mut sent = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(name, _)| *name == LOCALE_COOKIE)
        .map(|(_, value)| value);
    let first = sent.next();
    sent.next().is_none().then_some(first)
}

/// A complete HTML page that says nothing about its visitor.
fn worth_keeping(response: &Response) -> bool {
    let headers = response.headers();
    response.status() == StatusCode::OK
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
        && !headers.contains_key(header::SET_COOKIE)
        && !headers.contains_key(header::CACHE_CONTROL)
        && !headers.contains_key(header::CONTENT_ENCODING)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_pages_that_read_what_the_generation_follows_are_kept() {
        let reads = |path, query| kept_route(path, query).map(|r| (r.reads_from, r.challenge));
        assert_eq!(reads("/login", None), Some((ReadsFrom::Nothing, false)));
        assert_eq!(
            reads("/login", Some("next=%2Fmy-work")),
            Some((ReadsFrom::Nothing, false))
        );
        assert_eq!(reads("/", None), Some((ReadsFrom::Database, false)));
        assert_eq!(
            reads("/units", Some("q=ha")),
            Some((ReadsFrom::Database, false))
        );
        assert_eq!(reads("/units/01", None), Some((ReadsFrom::Database, false)));
        assert_eq!(reads("/feedback", None), Some((ReadsFrom::Database, true)));
        assert_eq!(
            reads("/feedback", Some("")),
            Some((ReadsFrom::Database, true))
        );
        // A draft brings back one sender's text.
        assert_eq!(reads("/feedback", Some("draft=abc")), None);
        for private in [
            "/units/",
            "/units/01/x",
            "/feedback/track",
            "/feedback/answers",
            "/my-work",
            "/dashboard",
            "/documents",
            "/api/units/overview",
        ] {
            assert_eq!(reads(private, None), None, "{private}");
        }
    }

    #[tokio::test]
    async fn the_values_made_for_one_visitor_are_replaced_wherever_they_stand() {
        let old = "0123456789abcdef0123456789abcdef";
        let new = "fedcba9876543210fedcba9876543210";
        let html = format!(
            "<script nonce=\"{old}\"></script><input value=\"1.c\"><script nonce=\"{old}\">"
        );
        let page = KeptPage::new(HeaderMap::new(), Bytes::from(html.clone()), &[old, "1.c"]);
        let page = page.expect("both values are in the page");
        let answer = page.answer(&[new, "2.d"]).unwrap();
        let body = axum::body::to_bytes(answer.into_body(), 1 << 20)
            .await
            .unwrap();
        assert_eq!(
            body,
            html.replace(old, new).replace("1.c", "2.d").as_bytes()
        );
        // A value of another length, or one missing, makes the page afresh.
        assert!(page.answer(&[new, "22.d"]).is_none());
        assert!(page.answer(&[new]).is_none());
        // A value that is not in the page: the page is not kept.
        assert!(KeptPage::new(HeaderMap::new(), Bytes::from(html), &[old, "9.z"]).is_none());
    }

    #[test]
    fn a_page_that_may_put_back_typed_values_is_not_a_plain_read() {
        let read = |uri: &str| {
            let mut request = Request::get(uri).body(Body::empty()).unwrap();
            request.extensions_mut().insert(Authenticated(None));
            is_anonymous_read(&request)
        };
        assert!(read("/feedback"));
        assert!(read("/units?q=__err"));
        assert!(!read("/feedback?__path=/api/feedback&__err=x"));
        // Escaped names are still the same names to the layer that puts values back.
        assert!(!read("/feedback?%5F%5Fpath=/api/feedback&%5F_err=x"));
        // Not known to be anonymous: not kept.
        assert!(!is_anonymous_read(
            &Request::get("/").body(Body::empty()).unwrap()
        ));
    }

    #[test]
    fn the_language_is_the_cookie_the_page_reads() {
        let mut headers = HeaderMap::new();
        assert_eq!(locale_cookie(&headers), Some(None));
        headers.insert(
            header::COOKIE,
            "tiendo_session=abc; i18n_pref_locale=en".parse().unwrap(),
        );
        assert_eq!(locale_cookie(&headers), Some(Some("en")));
        // Sent twice: which one the page reads is not guessed.
        headers.append(header::COOKIE, "i18n_pref_locale=vi".parse().unwrap());
        assert_eq!(locale_cookie(&headers), None);
    }
}
