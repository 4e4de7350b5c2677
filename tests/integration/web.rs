//! The web pages, as a browser without JavaScript sees them.

use crate::on_both_backends;
use crate::work::{create_document, create_task, redirected_id, signed_in};

/// What a page carries for the browser: the WebAssembly loader and data to hydrate with.
fn loads_webassembly(body: &str) -> bool {
    body.contains("/pkg/tiendo.js") || body.contains("/pkg/tiendo.wasm")
}

fn carries_hydration_data(body: &str) -> bool {
    body.contains("__RESOLVED_RESOURCES[") || body.contains("__SERIALIZED_ERRORS.push")
}

on_both_backends! {
    fn pages_load_no_webassembly_and_carry_no_hydration_data(app) {
        // Pages render on the server only (islands mode, and no page has an island): no code
        // beyond the small progressive scripts, and nothing sent twice as data.
        for path in ["/", "/login", "/units", "/feedback"] {
            let page = app.get(path);
            assert_eq!(page.status, 200, "{path}");
            assert!(!loads_webassembly(&page.body), "{path}: {}", page.body);
            assert!(!carries_hydration_data(&page.body), "{path}");
            assert!(page.body.contains("src=\"/forms.js\""), "{path}: forms say they are pending");
        }
        // A task the centre hands to Huế, on which Huế's officer reports.
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "60-NQ/TW-IS", "internal");
        let task = redirected_id(
            &create_task(&centre, document, None, "Số hóa hồ sơ", "TW", "internal"),
            "/tasks/",
        );
        let cascaded = centre.call("/api/tasks/cascade", &format!("id={task}&target=units&units=46"));
        assert!(cascaded.status < 400, "{}", cascaded.body);
        let officer = signed_in(&app, "hue.canbo");
        let work = officer.get("/my-work?view=all");
        assert!(!loads_webassembly(&work.body) && !carries_hydration_data(&work.body));
        let report_form = work
            .body
            .split("href=\"/tasks/")
            .skip(1)
            .filter_map(|rest| rest.split('"').next().map(|id| officer.get(&format!("/tasks/{id}"))))
            .find(|page| page.body.contains("id=\"report-files\""))
            .expect("a task Huế's officer may report on");
        assert!(!loads_webassembly(&report_form.body) && !carries_hydration_data(&report_form.body));
        // The evidence input carries the server's limits and sentences for forms.js.
        for expected in [
            "data-max-files=\"5\"",
            "data-max-bytes=\"10485760\"",
            "data-chosen=\"Đã chọn {count} tệp, tổng {size}.\"",
            "data-too-large=\"Tệp quá lớn: tối đa 10 MB mỗi tệp.\"",
        ] {
            assert!(report_form.body.contains(expected), "{expected}: {}", report_form.body);
        }
    }

    fn units_overview_lists_34_provinces_with_their_communes(app) {
        let page = app.get("/units");
        assert_eq!(page.status, 200);
        assert!(page.header("content-type").unwrap().starts_with("text/html"));
        // One row per province, each linking to its page; the communes add up to 3,321.
        assert_eq!(page.count("<td class=\"code\">"), 34, "{}", page.body);
        assert!(page.body.contains("href=\"/units/01\""));
        assert!(page.body.contains("Thành phố Hà Nội"));
        assert!(page.body.contains("Cà Mau"));
        assert!(page.body.contains("3.321"), "the commune total is shown");
        assert!(page.body.contains("Văn phòng Trung ương Đảng"));
        assert!(page.body.contains("Đảng ủy Chính phủ"));
    }

    fn a_province_shows_its_trail_and_communes(app) {
        let page = app.get("/units/01");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("<h1>Thành phố Hà Nội</h1>"), "{}", page.body);
        assert!(page.body.contains("href=\"/units/TW\""), "the trail leads to the centre");
        assert!(page.body.contains("href=\"/units/00004\""), "Ba Đình is listed");
        assert!(page.body.contains("Phường Ba Đình"));
        // Hà Nội has 126 communes and wards after the 2025 rearrangement.
        assert_eq!(page.count("<td class=\"code\">"), 126);
    }

    fn a_commune_shows_its_province(app) {
        let page = app.get("/units/00004");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("<h1>Phường Ba Đình</h1>"));
        assert!(page.body.contains("href=\"/units/01\""));
        assert!(page.body.contains("aria-current=\"page\""));
    }

    fn search_ignores_diacritics_and_case(app) {
        let page = app.get("/units?q=ha+noi");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("href=\"/units/01\""), "ha noi finds Hà Nội");

        let page = app.get("/units?q=BA%20DINH");
        assert!(page.body.contains("href=\"/units/00004\""), "ba dinh finds Phường Ba Đình");

        let page = app.get("/units?q=ph%C6%B0%E1%BB%9Dng%20ba%20%C4%91%C3%ACnh");
        assert!(page.body.contains("href=\"/units/00004\""), "with diacritics too");

        let page = app.get("/units?q=00004");
        assert!(page.body.contains("href=\"/units/00004\""), "a code finds its unit");
    }

    fn search_without_match_says_so(app) {
        let page = app.get("/units?q=zzzzqqq");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Không tìm thấy đơn vị nào"));
    }

    fn search_wildcards_are_literal(app) {
        let page = app.get("/units?q=%25");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Không tìm thấy đơn vị nào"), "% matches nothing");
    }

    fn an_overlong_search_is_refused_clearly(app) {
        let long = "a".repeat(101);
        let page = app.get(&format!("/units?q={long}"));
        assert_eq!(page.status, 400);
        assert!(page.body.contains("tối đa 100 ký tự"), "{}", page.body);
    }

    fn unknown_units_and_paths_are_404_pages(app) {
        for path in ["/units/99999", "/units/..%2F..%2Fetc%2Fpasswd", "/no/such/page"] {
            let page = app.get(path);
            assert_eq!(page.status, 404, "{path}");
            assert!(page.body.contains("Không tìm thấy trang"), "{path}: {}", page.body);
            assert!(page.body.contains("<header"), "{path}: the 404 keeps the layout");
        }
    }

    fn healthz_reports_the_database(app) {
        let page = app.get("/healthz");
        assert_eq!(page.status, 200);
        let health = page.json();
        assert_eq!(health["status"], "ok");
        assert_eq!(health["database"], "ok");
        assert_eq!(page.header("cache-control"), Some("no-store"));
    }

    fn pages_carry_the_security_headers(app) {
        for path in ["/", "/units", "/no/such/page"] {
            let page = app.get(path);
            assert_eq!(page.header("x-content-type-options"), Some("nosniff"), "{path}");
            assert_eq!(page.header("referrer-policy"), Some("same-origin"), "{path}");
            let csp = page.header("content-security-policy").unwrap_or_default();
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            let nonce = csp
                .split("'nonce-")
                .nth(1)
                .and_then(|rest| rest.split('\'').next())
                .expect("a script nonce");
            assert!(page.body.contains(&format!("nonce=\"{nonce}\"")), "{path}: the page uses it");
            assert!(page.header("x-request-id").is_some(), "{path}");
        }
    }

    fn pages_are_compressed_as_the_browser_accepts(app) {
        // The page's nonce, from its policy: the only part that differs between two loads.
        let nonce = |policy: Option<&str>| {
            let policy = policy.unwrap_or_default();
            policy.split("'nonce-").nth(1).unwrap_or_default()[..32].to_owned()
        };
        let plain = app.get("/units");
        assert_eq!(plain.header("content-encoding"), None, "nothing asked, nothing encoded");
        let expected = plain
            .body
            .replace(&nonce(plain.header("content-security-policy")), "N");
        for (accepted, chosen) in [
            ("gzip, deflate, br, zstd", Some("zstd")),
            ("gzip, deflate, br", Some("br")),
            ("zstd;q=0, gzip, br", Some("br")),
            ("gzip", Some("gzip")),
            ("identity", None),
        ] {
            let mut response = app
                .browser
                .agent
                .get(app.url("/units"))
                .header("accept-encoding", accepted)
                .call()
                .unwrap();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_owned())
            };
            assert_eq!(header("content-encoding").as_deref(), chosen, "{accepted}");
            assert_eq!(header("vary").as_deref(), Some("accept-encoding"), "{accepted}");
            let used = nonce(header("content-security-policy").as_deref());
            let length = header("content-length");
            let body = response.body_mut().read_to_vec().unwrap();
            if chosen == Some("zstd") {
                // Compressed whole: its length is known.
                assert_eq!(length, Some(body.len().to_string()));
                let page = String::from_utf8(zstd::stream::decode_all(&body[..]).unwrap())
                    .unwrap()
                    .replace("<!>", "")
                    .replace(&used, "N");
                assert!(page == expected, "the page decodes whole:\n{page}");
                assert!(body.len() * 3 < page.len(), "{} of {} bytes", body.len(), page.len());
            }
        }
    }

    fn public_pages_are_kept_until_the_units_change(app) {
        let nonce = |page: &crate::common::Page| {
            let policy = page.header("content-security-policy").unwrap_or_default();
            policy.split("'nonce-").nth(1).unwrap_or_default()[..32].to_owned()
        };
        // Two visitors, one page: the same text, each with a nonce of its own in it.
        let first = app.get("/units/01");
        let second = app.new_browser().get("/units/01");
        let (one, two) = (nonce(&first), nonce(&second));
        assert_ne!(one, two);
        assert!(second.body.contains(&format!("nonce=\"{two}\"")), "{}", second.body);
        assert!(!second.body.contains(&one));
        assert_eq!(
            first.body.replace(&one, "N").replace("<!>", ""),
            second.body.replace(&two, "N").replace("<!>", "")
        );
        // A change to the units shows at the next visit, on every page that shows them.
        app.execute("UPDATE units SET name = 'Thủ đô Hà Nội' WHERE code = '01'");
        for path in ["/units/01", "/units", "/units/00004"] {
            assert!(app.get(path).body.contains("Thủ đô Hà Nội"), "{path}");
        }
        // An official gets a page of their own, and the next visitor does not get theirs.
        let official = signed_in(&app, "hanoi.canbo");
        assert!(official.get("/units/01").body.contains("href=\"/my-work\""));
        let anonymous = app.new_browser().get("/units/01");
        assert!(!anonymous.body.contains("href=\"/my-work\""), "{}", anonymous.body);
        // The feedback form (documents and units): each visitor draws a challenge of their
        // own, and a new public document is offered at once.
        let challenge = |page: &crate::common::Page| {
            let rest = &page.body[page.body.find("name=\"challenge\"").expect("a challenge")..];
            let value = &rest[rest.find("value=\"").expect("a value") + 7..];
            value[..value.find('"').expect("a closing quote")].to_owned()
        };
        let forms = [app.new_browser().get("/feedback"), app.new_browser().get("/feedback")];
        assert_ne!(challenge(&forms[0]), challenge(&forms[1]));
        assert!(!forms[1].body.contains(&nonce(&forms[0])));
        let centre = signed_in(&app, "tw.lanhdao");
        create_document(&centre, "99-NQ/TW-KEPT", "public");
        assert!(app.new_browser().get("/feedback").body.contains("99-NQ/TW-KEPT"));
        // Each visitor gets their language.
        let english = app.new_browser();
        english.set_cookie("i18n_pref_locale", "en");
        for _ in 0..2 {
            assert!(english.get("/login").body.contains("<html lang=\"en\""));
            assert!(app.new_browser().get("/login").body.contains("<html lang=\"vi\""));
        }
    }

    fn english_is_one_switch_away(app) {
        let page = app.post_form("/api/locale", "locale=en&next=%2Funits");
        assert_eq!(page.status, 302);
        assert_eq!(page.header("location"), Some("/units"));
        let cookie = page.header("set-cookie").unwrap();
        assert!(cookie.starts_with("i18n_pref_locale=en"), "{cookie}");
        assert!(cookie.contains("Path=/"), "{cookie}");

        let english = app.get("/units");
        assert!(english.body.contains("<html lang=\"en\""), "{}", &english.body[..200]);
        assert!(english.body.contains("Provinces and cities"));
        assert!(english.body.contains("3,321"));
    }

    fn the_language_switch_refuses_foreign_redirects(app) {
        let page = app.post_form("/api/locale", "locale=en&next=%2F%2Fevil.example");
        assert_eq!(page.status, 302);
        assert_eq!(page.header("location"), Some("/"));

        app.browser.clear_cookies();
        let page = app.post_form("/api/locale", "locale=xx&next=%2Funits");
        assert!(app.browser.cookie("i18n_pref_locale").is_none(), "nothing set");
        assert_ne!(page.status, 200);
    }
}

#[test]
fn vietnamese_is_the_default_language() {
    let app = crate::common::TestApp::spawn(crate::common::Backend::Sqlite).unwrap();
    let page = app.get("/");
    assert!(
        page.body.contains("<html lang=\"vi\""),
        "{}",
        &page.body[..200]
    );
    assert!(page.body.contains("Theo dõi thực hiện nghị quyết"));

    // A browser set to English still gets Vietnamese until its user chooses English.
    let response = app
        .browser
        .agent
        .get(app.url("/units"))
        .header("Accept-Language", "en-US,en;q=0.9")
        .call()
        .unwrap();
    let page = crate::common::Page::from(response);
    assert!(page.body.contains("<html lang=\"vi\""));
    assert!(page.body.contains("Tỉnh, thành phố"));
}

/// Pages rendered in parallel on the multi-threaded runtime all complete: a title that read
/// the locale signal while the head was written once made some of them panic or stall.
#[test]
fn pages_render_completely_under_parallel_load() {
    let app = crate::common::TestApp::spawn(crate::common::Backend::Sqlite).unwrap();
    let base = app.url("");
    let statuses: Vec<(u16, bool)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..8)
            .map(|_| {
                let browser = crate::common::Browser::new(base.clone());
                scope.spawn(move || {
                    let mut seen = Vec::new();
                    for path in [
                        "/",
                        "/units",
                        "/units/01",
                        "/units?q=ha+noi",
                        "/login",
                        "/nothing",
                    ] {
                        for _ in 0..4 {
                            let page = browser.get(path);
                            seen.push((page.status, page.body.contains("</footer>")));
                        }
                    }
                    seen
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("the worker finishes"))
            .collect()
    });
    assert_eq!(statuses.len(), 8 * 6 * 4);
    for (status, complete) in statuses {
        assert!(matches!(status, 200 | 404), "{status}");
        assert!(complete, "a whole page");
    }
}

/// Both languages are complete: the same keys, nothing empty, the same placeholders, and
/// no English sentence left in Vietnamese (proper names excepted) or copied unchanged.
#[test]
fn both_languages_have_every_sentence() {
    fn flat(
        prefix: &str,
        value: &serde_json::Value,
        out: &mut std::collections::BTreeMap<String, String>,
    ) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    flat(&format!("{prefix}{key}."), value, out);
                }
            }
            other => {
                out.insert(
                    prefix.trim_end_matches('.').to_owned(),
                    other.as_str().unwrap_or_default().to_owned(),
                );
            }
        }
    }
    let load = |language: &str| {
        let path = format!("{}/locales/{language}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out = std::collections::BTreeMap::new();
        flat("", &serde_json::from_str(&text).unwrap(), &mut out);
        out
    };
    let (vi, en) = (load("vi"), load("en"));
    let placeholders = |text: &str| {
        let mut names: Vec<String> = text
            .split("{{")
            .skip(1)
            .filter_map(|rest| rest.split_once("}}"))
            .map(|(name, _)| name.trim().to_owned())
            .collect();
        names.sort();
        names
    };
    // Vietnamese in an English sentence only as a name: of the application, of places, of
    // the classification levels as written on documents.
    let names_in_english = [
        "app.name",
        "app.footer",
        "home.lead",
        "clearance.confidential",
        "clearance.secret",
        "clearance.top_secret",
        "admin.unit_hint",
        "fb.commune_hint",
        "notifications.mail_intro",
        "notifications.mail_subject",
    ];
    // The same in both: a name and a pattern of placeholders only.
    let same_in_both = ["app.name", "tasks.reported_by"];
    let vietnamese_letters = "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ";
    let mut problems = Vec::new();
    for key in vi
        .keys()
        .chain(en.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        match (vi.get(key), en.get(key)) {
            (Some(v), Some(e)) => {
                if v.trim().is_empty() || e.trim().is_empty() {
                    problems.push(format!("{key}: empty"));
                }
                if placeholders(v) != placeholders(e) {
                    problems.push(format!("{key}: placeholders differ"));
                }
                if !names_in_english.contains(&key.as_str())
                    && e.to_lowercase()
                        .chars()
                        .any(|c| vietnamese_letters.contains(c))
                {
                    problems.push(format!("{key}: Vietnamese in English: {e}"));
                }
                if v == e && !same_in_both.contains(&key.as_str()) {
                    problems.push(format!("{key}: not translated: {e}"));
                }
            }
            (None, _) => problems.push(format!("{key}: missing in Vietnamese")),
            (_, None) => problems.push(format!("{key}: missing in English")),
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
