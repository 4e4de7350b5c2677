//! Fuzzing over HTTP: hostile values in every form the pages draw, every server function,
//! every page's query string and path, the Open311 API and report uploads. Whatever comes
//! in, the server answers, and never with a server error: bad input is the client's fault
//! (4xx, or a page that says what is wrong), not a bug (500) and not a panic (a dropped
//! connection fails the test too). The cases are seeded (see `hostile.rs`): every run
//! sends the same requests.

#[path = "../../src/model/hostile.rs"]
mod hostile;

use crate::common::{Browser, Page, TestApp, encode};
use crate::on_both_backends;
use crate::work::signed_in;
use hostile::{hostile_text, runner};
use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::BTreeSet;

/// Field names no page draws in a form but the server reads: the islands' calls,
/// list filters, Open311 parameters.
const MORE_NAMES: &[&str] = &[
    "id",
    "version",
    "task_id",
    "report_id",
    "document_id",
    "parent_id",
    "filter[page]",
    "filter[kind]",
    "filter[status]",
    "filter[classification]",
    "filter[q]",
    "filter[view]",
    "filter[sort]",
    "filter[document]",
    "filter[period]",
    "filter[from]",
    "filter[to]",
    "page",
    "q",
    "code",
    "action",
    "of",
    "verdict",
    "progress",
    "submission_key",
];

const OPEN311_NAMES: &[&str] = &[
    "service_code",
    "service_request_id",
    "description",
    "email",
    "first_name",
    "last_name",
    "phone",
    "lat",
    "long",
    "address_string",
    "media_url",
    "jurisdiction_id",
    "start_date",
    "end_date",
    "status",
    "page",
    "page_size",
    "lang",
    "attribute[document]",
];

/// What one case sends.
#[derive(Clone, Debug)]
enum Target {
    /// A page, its path parameters and query string hostile.
    Page(Index, String),
    /// A form as its page drew it, some of its fields hostile, posted without JavaScript.
    Form(Index, Vec<bool>),
    /// A server function, posted as a browser (HTML) or a script (JSON) would.
    Post(Index, bool),
    Open311Get,
    Open311Post(bool),
    Upload(Vec<u8>, String),
}

fn target() -> impl Strategy<Value = Target> {
    let magic = prop_oneof![
        Just(Vec::new()),
        Just(b"%PDF-".to_vec()),
        Just(b"\x89PNG\r\n\x1a\n".to_vec()),
        Just(b"\xFF\xD8\xFF".to_vec()),
        Just(b"RIFF\0\0\0\0WEBP".to_vec()),
        Just(b"PK\x03\x04[Content_Types].xml word/".to_vec()),
        Just(b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.text".to_vec()),
        Just(b"<html><script>".to_vec()),
    ];
    let file = (magic, proptest::collection::vec(any::<u8>(), 0..2048)).prop_map(|(m, rest)| {
        let mut bytes = m;
        bytes.extend(rest);
        bytes
    });
    prop_oneof![
        3 => (any::<Index>(), hostile_text()).prop_map(|(i, p)| Target::Page(i, p)),
        4 => (any::<Index>(), proptest::collection::vec(proptest::bool::weighted(0.3), 24))
            .prop_map(|(i, hostile)| Target::Form(i, hostile)),
        3 => (any::<Index>(), any::<bool>()).prop_map(|(i, html)| Target::Post(i, html)),
        1 => Just(Target::Open311Get),
        1 => any::<bool>().prop_map(Target::Open311Post),
        1 => (file, hostile_text()).prop_map(|(bytes, name)| Target::Upload(bytes, name)),
    ]
}

/// Up to eight fields: a known name (or a hostile one) and a hostile value.
fn fields() -> impl Strategy<Value = Vec<(Index, Option<String>, String)>> {
    proptest::collection::vec(
        (
            any::<Index>(),
            proptest::option::weighted(0.1, hostile_text()),
            hostile_text(),
        ),
        0..8,
    )
}

/// A form a page draws: where it posts, and its fields with the values the page put in
/// them (hidden ids and versions, current texts).
#[derive(Clone, Debug)]
struct Form {
    action: String,
    fields: Vec<(String, String)>,
}

/// The forms of `html`. Tags are read plainly: a field belongs to the last form opened.
fn forms(html: &str) -> Vec<Form> {
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = tag[start..].find('"')? + start;
        Some(
            tag[start..end]
                .replace("&amp;", "&")
                .replace("&quot;", "\""),
        )
    };
    let mut found: Vec<Form> = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        match tag.split_whitespace().next().unwrap_or("") {
            "form" => found.push(Form {
                action: attribute(tag, "action").unwrap_or_default(),
                fields: Vec::new(),
            }),
            "input" | "select" | "textarea" | "button" => {
                if let (Some(form), Some(name)) = (found.last_mut(), attribute(tag, "name")) {
                    form.fields
                        .push((name, attribute(tag, "value").unwrap_or_default()));
                }
            }
            _ => {}
        }
    }
    found.retain(|form| form.action.starts_with('/'));
    found
}

fn query(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn no_server_error(page: &Page, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        page.status < 500,
        "{what}: {} {}",
        page.status,
        page.body.chars().take(400).collect::<String>()
    );
    Ok(())
}

on_both_backends! {
    fn hostile_input_never_gets_a_server_error(app) {
        fuzz(&app);
    }

    // PostgreSQL refuses text with a NUL character where SQLite finds nothing: a code, a
    // search or a name carrying one is the request's fault on both.
    fn a_nul_character_is_bad_input_not_a_failure(app) {
        let leader = signed_in(&app, "hanoi.lanhdao");
        for page in [
            leader.get("/units/%00"),
            leader.get("/units?q=a%00"),
            leader.get("/documents?q=%00"),
            leader.call("/api/units/search", "query=%00"),
            leader.call("/api/units/detail", "code=0%001"),
            app.new_browser().post_form("/api/login", "username=a%00&password=x"),
        ] {
            assert!(page.status < 500, "{} {}", page.status, page.body);
        }
    }
}

fn fuzz(app: &TestApp) {
    let leader = signed_in(app, "hanoi.lanhdao");
    let anonymous = app.new_browser();

    // The pages as the routes name them, with a real document, task and unit in their
    // paths; the forms they draw give the field names and the places they post to.
    let routes = app.block_on(async { leptos_axum::generate_route_list(tiendo::app::App) });
    let pages: Vec<String> = routes
        .iter()
        .map(|route| route.path().to_owned())
        .filter(|path| !path.contains('*'))
        .collect();
    let mut drawn: Vec<(bool, Form)> = Vec::new();
    for path in &pages {
        let real = path.replace("{id}", "1").replace("{code}", "01");
        for (as_leader, browser) in [(true, &leader), (false, &anonymous)] {
            let page = browser.get(&real);
            assert!(page.status < 500, "{real}: {}", page.status);
            drawn.extend(forms(&page.body).into_iter().map(|form| (as_leader, form)));
        }
    }
    let mut names: BTreeSet<String> = MORE_NAMES.iter().map(|n| (*n).to_owned()).collect();
    names.extend(
        drawn
            .iter()
            .flat_map(|(_, f)| f.fields.iter().map(|(n, _)| n.clone())),
    );
    let actions: BTreeSet<String> = drawn.iter().map(|(_, f)| f.action.clone()).collect();
    // Signing out or revoking sessions would end the leader's session for the cases after.
    let posts: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .chain(actions)
        .filter(|path| !["/api/logout", "/api/account/revoke"].contains(&path.as_str()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let names: Vec<String> = names.into_iter().collect();
    assert!(drawn.len() > 20, "the pages draw their forms: {drawn:?}");
    eprintln!(
        "fuzzing {} pages, {} forms, {} posts, {} field names",
        pages.len(),
        drawn.len(),
        posts.len(),
        names.len()
    );

    let pick = |fields: &[(Index, Option<String>, String)], from: &[String]| {
        fields
            .iter()
            .map(|(i, other, value)| {
                let name = other.clone().unwrap_or_else(|| i.get(from).clone());
                (name, value.clone())
            })
            .collect::<Vec<_>>()
    };
    let open311_names: Vec<String> = OPEN311_NAMES.iter().map(|n| (*n).to_owned()).collect();
    let sent = std::cell::Cell::new(0u32);
    runner(1500)
        .run(
            &(target(), fields(), any::<bool>()),
            |(target, fields, as_leader)| {
                let browser: &Browser = if as_leader { &leader } else { &anonymous };
                sent.set(sent.get() + 1);
                match target {
                    Target::Page(i, segment) => {
                        let path = i
                            .get(&pages)
                            .replace("{id}", &encode(&segment))
                            .replace("{code}", &encode(&segment));
                        let url = format!("{path}?{}", query(&pick(&fields, &names)));
                        no_server_error(&browser.get(&url), &format!("GET {url}"))
                    }
                    Target::Form(i, hostile) => {
                        // As drawn for whom it was drawn, some values replaced.
                        let (for_leader, form) = i.get(&drawn);
                        let browser = if *for_leader { &leader } else { &anonymous };
                        let mut values = fields.iter().map(|(_, _, value)| value);
                        let pairs: Vec<(String, String)> = form
                            .fields
                            .iter()
                            .zip(hostile.iter().cycle())
                            .map(|((name, value), hostile)| {
                                let value = match (hostile, values.next()) {
                                    (true, Some(other)) => other.clone(),
                                    _ => value.clone(),
                                };
                                (name.clone(), value)
                            })
                            .collect();
                        let body = query(&pairs);
                        let page = browser.post_form(&form.action, &body);
                        no_server_error(&page, &format!("form {} {body}", form.action))
                    }
                    Target::Post(i, html) => {
                        let path = i.get(&posts);
                        let body = query(&pick(&fields, &names));
                        let page = if html {
                            browser.post_form(path, &body)
                        } else {
                            browser.call(path, &body)
                        };
                        no_server_error(&page, &format!("POST {path} {body}"))
                    }
                    Target::Open311Get => {
                        let url = format!(
                            "/open311/v2/requests.json?{}",
                            query(&pick(&fields, &open311_names))
                        );
                        no_server_error(&browser.get(&url), &format!("GET {url}"))
                    }
                    Target::Open311Post(json) => {
                        let pairs = pick(&fields, &open311_names);
                        let page = if json {
                            let object: serde_json::Map<String, serde_json::Value> = pairs
                                .iter()
                                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                                .collect();
                            Page::from(
                                browser
                                    .agent
                                    .post(app.url("/open311/v2/requests.json"))
                                    .content_type("application/json")
                                    .send(serde_json::Value::Object(object).to_string())
                                    .expect("the server answers"),
                            )
                        } else {
                            app.open311_post(&query(&pairs))
                        };
                        no_server_error(&page, &format!("POST Open311 {pairs:?}"))
                    }
                    Target::Upload(bytes, file_name) => {
                        let pairs = pick(&fields, &names);
                        let fields: Vec<(&str, &str)> = pairs
                            .iter()
                            .map(|(k, v)| (k.as_str(), v.as_str()))
                            .collect();
                        let page = browser.post_multipart(
                            "/api/reports/submit",
                            &fields,
                            &[(file_name.as_str(), &bytes)],
                        );
                        no_server_error(&page, &format!("upload {file_name:?} {pairs:?}"))
                    }
                }
            },
        )
        .unwrap();
    eprintln!("{} requests, none answered with a server error", sent.get());
}
