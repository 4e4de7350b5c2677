//! The access rule on every endpoint of documents, tasks, reports and files; conflicts;
//! and every bad input of the issue.

use crate::common::{Browser, Page, Part, TestApp, encode};
use crate::on_both_backends;
use crate::work::{
    add_account, call_report, child_led_by, create_document, create_task, pending_report,
    redirected_id, signed_in, task_json,
};

/// Records that only Hà Nội's leaders may see: a confidential plan, its task, a report
/// with a file.
struct Secret {
    document: i32,
    task: i32,
    report: i32,
    file: i32,
    /// A request for more time, awaiting a decision.
    extension: i32,
    /// The plan's indicator, and a value of it awaiting evaluation, with a file.
    indicator: i32,
    value: i32,
    value_file: i32,
}

const SECRET_TITLE: &str = "Phương án bảo vệ hạ tầng số trọng yếu của Thủ đô";

fn secret_records(app: &TestApp) -> Secret {
    let leader = signed_in(app, "hanoi.lanhdao");
    let document = create_document(&leader, "09-KH/TU-MAT", "confidential");
    let task = redirected_id(
        &create_task(&leader, document, None, SECRET_TITLE, "01", "confidential"),
        "/tasks/",
    );
    let reported = leader.post_multipart(
        "/api/reports/submit",
        &[
            ("task_id", &task.to_string()),
            ("progress", "30"),
            ("text", SECRET_TITLE),
            ("submission_key", "secret-report-0001"),
        ],
        &[("phuong-an.pdf", b"%PDF-1.7 phuong an")],
    );
    assert!(reported.status < 400, "{}", reported.body);
    let detail = task_json(&leader, task);
    let report = detail["reports"][0]["id"].as_i64().unwrap() as i32;
    let file = detail["reports"][0]["attachments"][0]["id"]
        .as_i64()
        .unwrap() as i32;
    let asked = leader.call(
        "/api/tasks/extension/ask",
        &format!(
            "task_id={task}&to_on=2099-12-31&reason={}",
            encode(SECRET_TITLE)
        ),
    );
    assert!(asked.status < 400, "{}", asked.body);
    let extension = task_json(&leader, task)["due_changes"][0]["id"]
        .as_i64()
        .unwrap() as i32;
    let indicator = redirected_id(
        &leader.call(
            "/api/indicators/create",
            &format!(
                "document_id={document}&name={}&measure=%25&direction=higher&baseline_year=2024&baseline_value=10&milestone_1_on=2030-12-31&milestone_1_value=50&roll_up=sum&classification=confidential",
                encode(SECRET_TITLE)
            ),
        ),
        "/indicators/",
    );
    let sent = leader.call_multipart(
        "/api/indicators/report",
        &[
            ("indicator_id", &indicator.to_string()),
            ("period", &current_quarter()),
            ("value", "12"),
            ("source_note", SECRET_TITLE),
        ],
        &[("phuong-an.pdf", b"%PDF-1.7 so lieu")],
    );
    assert!(sent.status < 400, "{}", sent.body);
    let detail = leader
        .call("/api/indicator", &format!("id={indicator}"))
        .json();
    let value = detail["values"][0]["id"].as_i64().unwrap() as i32;
    let value_file = detail["values"][0]["files"][0]["id"].as_i64().unwrap() as i32;
    Secret {
        document,
        task,
        report,
        file,
        extension,
        indicator,
        value,
        value_file,
    }
}

/// The code of the quarter it is (the default cycle of a document).
fn current_quarter() -> String {
    use tiendo::model::period::{Cycle, Period};
    Period::containing(Cycle::Quarterly, tiendo::server::work::today()).code()
}

/// Adds a viewer to Hà Nội, cleared for the secret: the lower role.
fn hanoi_viewer(app: &TestApp) -> Browser {
    add_account(
        app,
        "hanoi.xem",
        "01",
        tiendo::model::Role::Viewer,
        "secret",
    );
    signed_in(app, "hanoi.xem")
}

/// Server functions that are not about documents, tasks, reports or files.
const OTHER_AREAS: &[&str] = &[
    "/api/login",
    "/api/logout",
    "/api/viewer",
    "/api/locale",
    "/api/units/overview",
    "/api/units/detail",
    "/api/units/search",
    "/api/account",
    "/api/account/password",
    "/api/account/revoke",
    "/api/account/mail",
    "/api/admin/users",
    "/api/admin/grantable",
    "/api/admin/user",
    "/api/admin/users/create",
    "/api/admin/users/update",
    "/api/admin/users/active",
    "/api/admin/users/reset",
    // Which units oversee the country: administrators only, no record.
    "/api/admin/oversight",
    "/api/admin/oversight/set",
    // The audit log: administrators only, their subtree within their clearance, checked
    // against the raw rows in `audit`.
    "/api/admin/audit",
    // Registers a new document for the caller's own unit: it reads no record.
    "/api/documents/create",
    // Feedback has its own access checks, in `feedback`.
    "/api/feedback/form",
    "/api/feedback/submit",
    "/api/feedback/track",
    "/api/feedback/answers",
    "/api/feedback/inbox",
    "/api/feedback/item",
    "/api/feedback/act",
    // The caller's own notifications, read through the rule: checked against the access
    // model's oracle, and in `supervision`.
    "/api/notifications",
    "/api/notifications/read",
    "/api/notifications/read-all",
    // A leader sets their own unit's reminder days: it reads no record (`supervision`).
    "/api/notifications/reminder-days",
];

/// Lists: the record must simply be absent.
const LISTS: &[&str] = &[
    "/api/documents",
    "/api/my-work",
    "/api/dashboard",
    "/api/periods",
];

/// How each record endpoint is called, by `{doc}`, `{task}`, `{report}`; and whether
/// a reader of lower role may use it (reads: yes; actions: no).
fn record_calls(secret: &Secret) -> Vec<(&'static str, String, bool)> {
    let fields = "title=X&description=&expected_result=&coordinators=&start_on=2026-01-01&due_on=2026-02-01&priority=low&weight=1&classification=confidential";
    vec![
        ("/api/document", format!("id={}", secret.document), true),
        ("/api/task", format!("id={}", secret.task), true),
        (
            "/api/documents/update",
            format!(
                "id={}&version=0&code=X-1&kind=plan&title=X&issuing_body=X&issued_on=2026-01-01&summary=&classification=confidential",
                secret.document
            ),
            false,
        ),
        (
            "/api/tasks/create",
            format!(
                "document_id={}&parent_id={}&lead_unit=01&{fields}",
                secret.document, secret.task
            ),
            false,
        ),
        (
            "/api/tasks/update",
            format!("id={}&version=0&{fields}", secret.task),
            false,
        ),
        (
            "/api/tasks/cascade",
            format!("id={}&target=units&units=00004", secret.task),
            false,
        ),
        (
            "/api/reports/evaluate",
            format!("report_id={}&verdict=accept", secret.report),
            false,
        ),
        ("/api/reports/submit", String::new(), false),
        (
            "/api/tasks/extension/ask",
            format!("task_id={}&to_on=2099-06-30&reason=X", secret.task),
            false,
        ),
        (
            "/api/tasks/extension/decide",
            format!("change_id={}&decision=grant&answer=", secret.extension),
            false,
        ),
        ("/api/indicator", format!("id={}", secret.indicator), true),
        (
            "/api/documents/indicators",
            format!("document_id={}", secret.document),
            true,
        ),
        (
            "/api/indicators/create",
            format!(
                "document_id={}&name=X&measure=X&direction=higher&baseline_year=2024&baseline_value=1&milestone_1_on=2030-12-31&milestone_1_value=2&roll_up=sum&classification=confidential",
                secret.document
            ),
            false,
        ),
        (
            "/api/indicators/assign",
            format!(
                "indicator_id={}&unit=00004&baseline_value=1&milestone_1_value=2",
                secret.indicator
            ),
            false,
        ),
        (
            "/api/indicators/edit",
            format!(
                "indicator_id={}&version=1&name=X&on_track=90&at_risk=75&data_source=",
                secret.indicator
            ),
            false,
        ),
        (
            "/api/indicators/report",
            format!(
                "indicator_id={}&period={}&value=1&source_note=X",
                secret.indicator,
                current_quarter()
            ),
            false,
        ),
        (
            "/api/indicators/evaluate",
            format!("value_id={}&verdict=accept", secret.value),
            false,
        ),
    ]
}

fn assert_nothing_leaks(page: &Page, what: &str) {
    assert_eq!(page.status, 404, "{what}: {}", page.body);
    for secret in [SECRET_TITLE, "09-KH/TU-MAT", "phuong-an.pdf"] {
        assert!(!page.body.contains(secret), "{what} leaks `{secret}`");
    }
}

fn call_record(browser: &Browser, secret: &Secret, path: &str, body: &str) -> Page {
    if path == "/api/indicators/report" {
        let fields: Vec<(&str, &str)> = body
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .collect();
        return browser.call_multipart(path, &fields, &[]);
    }
    if path == "/api/reports/submit" {
        let task = secret.task.to_string();
        let key = format!(
            "intruder-{}",
            browser.cookie("tiendo_session").unwrap_or_default().len()
        );
        return browser.call_multipart(
            path,
            &[
                ("task_id", &task),
                ("progress", "50"),
                ("text", "x"),
                ("submission_key", &key),
            ],
            &[],
        );
    }
    browser.call(path, body)
}

#[test]
fn the_access_matrix_covers_every_endpoint_of_the_area() {
    let app = TestApp::spawn(crate::common::Backend::Sqlite).unwrap();
    let secret = secret_records(&app);
    let calls = record_calls(&secret);

    // Every server function is either of another area, a list, or a record endpoint here:
    // a new one fails this test until it is placed.
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        let known = OTHER_AREAS.contains(&path)
            || LISTS.contains(&path)
            || calls.iter().any(|(p, _, _)| *p == path);
        assert!(known, "{path} is not in the access matrix");
    }
    // Every page with an id in its path: documents, tasks and files are checked below.
    let routes = app.block_on(async { leptos_axum::generate_route_list(tiendo::app::App) });
    for route in routes {
        let path = route.path();
        if path.contains('{') {
            assert!(
                [
                    "/units/{code}",
                    "/admin/users/{id}",
                    "/documents/{id}",
                    "/tasks/{id}",
                    "/indicators/{id}",
                    // Checked in `dashboard`: figures of a unit, never a record's title.
                    "/dashboard/{code}",
                    // Checked in `feedback`.
                    "/admin/feedback/{code}"
                ]
                .contains(&path),
                "{path} is not in the access matrix"
            );
        }
    }

    let other_province = signed_in(&app, "hue.canbo");
    let other_leader = signed_in(&app, "hcm.lanhdao");
    let lower_clearance = signed_in(&app, "hanoi.canbo");
    let lower_role = hanoi_viewer(&app);
    let outsiders = [
        ("another province", &other_province),
        ("another province's leader", &other_leader),
        ("lower clearance", &lower_clearance),
    ];

    for (who, browser) in outsiders {
        for (path, body, _) in &calls {
            assert_nothing_leaks(
                &call_record(browser, &secret, path, body),
                &format!("{who} {path}"),
            );
        }
        for page in [
            format!("/documents/{}", secret.document),
            format!("/tasks/{}", secret.task),
            format!("/indicators/{}", secret.indicator),
            format!("/files/{}", secret.file),
            format!("/indicators/files/{}", secret.value_file),
        ] {
            assert_nothing_leaks(&browser.get(&page), &format!("{who} {page}"));
        }
        for list in LISTS {
            let page = browser.call(list, "");
            assert_eq!(page.status, 200, "{who} {list}");
            assert!(
                !page.body.contains(SECRET_TITLE) && !page.body.contains("09-KH/TU-MAT"),
                "{who} {list}: {}",
                page.body
                    .find(SECRET_TITLE)
                    .or_else(|| page.body.find("09-KH/TU-MAT"))
                    .and_then(|at| page.body.get(at.saturating_sub(300)..at + 100))
                    .unwrap_or_default()
            );
        }
        let search = browser.call("/api/documents", "filter[q]=bao%20ve%20ha%20tang");
        assert_eq!(
            search.json()["total"],
            0,
            "{who}: no count leaks through search"
        );
    }

    // The lower role reads, but may not act.
    for (path, body, readable) in &calls {
        let page = call_record(&lower_role, &secret, path, body);
        if *readable {
            assert_eq!(page.status, 200, "a viewer reads {path}");
        } else {
            assert_nothing_leaks(&page, &format!("a viewer {path}"));
        }
    }
    assert_eq!(
        lower_role.get(&format!("/files/{}", secret.file)).status,
        200
    );
    let value_file = lower_role.get(&format!("/indicators/files/{}", secret.value_file));
    assert_eq!(value_file.status, 200);
    assert_eq!(value_file.body, "%PDF-1.7 so lieu");

    // Nothing changed.
    let leader = signed_in(&app, "hanoi.lanhdao");
    let task = task_json(&leader, secret.task);
    assert_eq!(task["row"]["title"], SECRET_TITLE);
    assert_eq!(task["children"].as_array().unwrap().len(), 0);
    assert_eq!(task["reports"].as_array().unwrap().len(), 1);
    assert_eq!(task["reports"][0]["status"], "pending");
    assert_eq!(task["due_changes"].as_array().unwrap().len(), 1);
    assert_eq!(task["due_changes"][0]["state"], "asked");
    let indicator = leader.call("/api/indicator", &format!("id={}", secret.indicator));
    assert_eq!(indicator.json()["name"], SECRET_TITLE);
    assert_eq!(indicator.json()["thresholds"]["on_track"], 90.0);
    // And the owner sees it all, file included.
    let file = leader.get(&format!("/files/{}", secret.file));
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert!(
        file.header("content-disposition")
            .unwrap()
            .starts_with("attachment")
    );
    assert!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('classified_read', 'evidence_downloaded')") > 0,
        "reading Mật records leaves a trace"
    );
}

on_both_backends! {
    fn a_stale_task_edit_is_refused_and_shows_the_other_change(app) {
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "71-NQ/TW-TN", "internal");
        let task = redirected_id(&create_task(&centre, document, None, "Đổi mới chương trình", "TW", "internal"), "/tasks/");
        let version = task_json(&centre, task)["version"].as_i64().unwrap();
        let edit = |title: &str, due: &str| {
            centre.call(
                "/api/tasks/update",
                &format!(
                    "id={task}&version={version}&title={}&description=&expected_result=&coordinators=&start_on=2026-01-01&due_on={due}&priority=normal&weight=1&classification=internal",
                    encode(title)
                ),
            )
        };
        assert!(edit("Đổi mới chương trình giáo dục phổ thông", "2026-12-31").status < 400);
        let stale = edit("Bản ghi đè", "2026-06-30");
        assert_eq!(stale.status, 409);
        assert_eq!(stale.json()["error"], "conflict");
        let now = task_json(&centre, task);
        assert_eq!(now["row"]["title"], "Đổi mới chương trình giáo dục phổ thông");
        assert_eq!(now["row"]["due_on"], "2026-12-31", "nothing of the stale edit was saved");
        let latest = &now["history"][0];
        assert_eq!(latest["kind"], "edited");
        let title = latest["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|change| change[0] == "title")
            .unwrap_or_else(|| panic!("the other change is shown: {latest}"));
        assert_eq!(title[1], "Đổi mới chương trình");
        assert_eq!(title[2], "Đổi mới chương trình giáo dục phổ thông");

        // Documents too.
        let doc = centre.call("/api/document", &format!("id={document}")).json();
        let update = |title: &str| {
            centre.call(
                "/api/documents/update",
                &format!(
                    "id={document}&version={}&code=71-NQ/TW-TN&kind=resolution&title={}&issuing_body=B&issued_on=2025-08-22&summary=&classification=internal",
                    doc["version"], encode(title)
                ),
            )
        };
        assert!(update("Lần một").status < 400);
        assert_eq!(update("Lần hai").status, 409);
    }

    fn bad_task_input_is_refused_and_changes_nothing(app) {
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "72-NQ/TW-TN", "confidential");
        let base = |overrides: &[(&str, &str)]| {
            let mut fields = vec![
                ("document_id", document.to_string()),
                ("title", "Nhiệm vụ".to_owned()),
                ("lead_unit", "TW".to_owned()),
                ("start_on", "2026-01-01".to_owned()),
                ("due_on", "2026-06-30".to_owned()),
                ("priority", "normal".to_owned()),
                ("weight", "1".to_owned()),
                ("classification", "confidential".to_owned()),
            ];
            for (key, value) in overrides {
                fields.retain(|(k, _)| k != key);
                fields.push((key, (*value).to_owned()));
            }
            fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
        };
        type Override<'a> = (&'a str, &'a str);
        let cases: Vec<(&str, Vec<Override>, &str)> = vec![
            ("due before start", vec![("due_on", "2025-12-31")], "before_start"),
            ("empty title", vec![("title", "   ")], "required"),
            ("an impossible date", vec![("due_on", "2026-02-30")], "malformed"),
            ("unknown unit", vec![("lead_unit", "99999")], "unknown"),
            ("below the document", vec![("classification", "internal")], "below_document"),
            ("above the owner's clearance", vec![("classification", "top_secret")], "out_of_reach"),
            ("weight", vec![("weight", "0")], "out_of_range"),
        ];
        for (what, overrides, problem) in cases {
            let page = centre.call("/api/tasks/create", &base(&overrides));
            assert_eq!(page.status, 400, "{what}: {}", page.body);
            assert!(page.body.contains(problem), "{what}: {}", page.body);
        }
        let long = centre.call("/api/tasks/create", &base(&[("title", &"x".repeat(501))]));
        assert_eq!(long.status, 400);
        assert!(long.body.contains("too_long"), "{}", long.body);
        // A 10 MB title never reaches the server function: 413 before the body is read
        // (the server may close the connection while the client is still sending).
        let huge = "x".repeat(10 * 1024 * 1024);
        if let Some(page) = centre.try_call("/api/tasks/create", &base(&[("title", &huge)])) {
            assert_eq!(page.status, 413);
        }
        // A province leader cannot give a task to a unit outside their subtree.
        let province = signed_in(&app, "hanoi.lanhdao");
        let plan = create_document(&province, "10-KH/TU", "internal");
        let outside = province.call(
            "/api/tasks/create",
            &format!("document_id={plan}&title=X&lead_unit=46&start_on=2026-01-01&due_on=2026-02-01&priority=low&weight=1&classification=internal"),
        );
        assert_eq!(outside.status, 400);
        assert!(outside.body.contains("out_of_reach"), "{}", outside.body);
        let cascade_outside = province.call("/api/tasks/cascade", "id=1&target=units&units=46");
        assert_eq!(cascade_outside.status, 404, "no such task for them");
        assert_eq!(app.count("SELECT COUNT(*) FROM tasks"), 0, "nothing was created");
        // A document above its owner's clearance.
        let too_secret = province.call(
            "/api/documents/create",
            "code=X-TM&kind=plan&title=X&issuing_body=X&issued_on=2026-01-01&summary=&classification=top_secret",
        );
        assert_eq!(too_secret.status, 400);
        assert!(too_secret.body.contains("out_of_reach"));
    }

    fn bad_reports_are_refused_and_a_double_submit_stores_one(app) {
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "73-NQ/TW-TN", "internal");
        let task = redirected_id(&create_task(&centre, document, None, "Báo cáo thử", "TW", "internal"), "/tasks/");
        let send = |progress: &str, key: &str, files: &[(&str, &[u8])]| {
            centre.post_multipart(
                "/api/reports/submit",
                &[("task_id", &task.to_string()), ("progress", progress), ("text", "Nội dung"), ("submission_key", key)],
                files,
            )
        };
        // Without JavaScript the error comes back in the address of the page, which shows
        // it beside its field.
        let error_of = |page: &Page, message: &str| {
            assert_eq!(page.status, 302, "{}", page.body);
            let location = page.header("location").unwrap_or_default().to_owned();
            let query = location.split_once('?').map(|(_, q)| q).unwrap_or_default();
            assert!(query.contains("__err="), "{location}");
            let shown = centre.get(&format!("/tasks/{task}?{query}"));
            assert!(shown.body.contains(message), "{message:?} on the task page: {location}");
        };
        error_of(&send("101", "bad-progress-01", &[]), "Phải từ 0 đến 100.");
        error_of(&send("-5", "bad-progress-02", &[]), "Phải từ 0 đến 100.");
        error_of(&send("50", "bad-type-00001", &[("virus.exe", b"MZ\x90\x00 program")]), "Loại tệp không được chấp nhận");
        error_of(&send("50", "bad-type-00002", &[("trang.html", b"<html><script>alert(1)</script>")]), "Loại tệp không được chấp nhận");
        let big = vec![b'a'; 10 * 1024 * 1024 + 1];
        error_of(&send("50", "too-big-000001", &[("lon.txt", &big)]), "Tệp quá lớn: tối đa 10 MB mỗi tệp.");
        assert_eq!(app.count("SELECT COUNT(*) FROM reports"), 0);
        assert_eq!(std::fs::read_dir(app.evidence.path()).map(|d| d.count()).unwrap_or(0), 0, "no file kept");

        // A traversal in the name is only a name.
        let ok = send("40", "double-submit-1", &[("../../etc/passwd", b"bao cao tien do")]);
        assert!(ok.status < 400 && !ok.header("location").unwrap_or_default().contains("__err"), "{:?}", ok.header("location"));
        let again = send("40", "double-submit-1", &[("../../etc/passwd", b"bao cao tien do")]);
        assert!(again.status < 400 && !again.header("location").unwrap_or_default().contains("__err"));
        assert_eq!(app.count("SELECT COUNT(*) FROM reports"), 1, "one report for a form sent twice");
        assert_eq!(app.count("SELECT COUNT(*) FROM attachments"), 1);
        let detail = task_json(&centre, task);
        assert_eq!(detail["reports"][0]["attachments"][0]["file_name"], "passwd");
        assert!(!std::path::Path::new("/etc/passwd.tiendo").exists());
        // A second report while one awaits evaluation.
        let waiting = send("60", "while-pending-01", &[]);
        assert!(waiting.header("location").unwrap_or_default().contains("__err"));
        assert_eq!(app.count("SELECT COUNT(*) FROM reports"), 1);
    }

    fn codes_files_and_searches_tell_nothing_and_cost_little(app) {
        // A code held by a document the official may not see is theirs to use.
        let centre = signed_in(&app, "tw.lanhdao");
        create_document(&centre, "99-NQ/TW-TM", "secret");
        let hanoi = signed_in(&app, "hanoi.lanhdao");
        create_document(&hanoi, "99-NQ/TW-TM", "internal");
        // One they can see is taken, with the usual message.
        for (who, level) in [(&hanoi, "internal"), (&centre, "public")] {
            let again = who.call(
                "/api/documents/create",
                &format!("code=99-NQ%2FTW-TM&kind=plan&title=X&issuing_body=X&issued_on=2026-01-01&summary=&classification={level}"),
            );
            assert_eq!(again.status, 400, "{}", again.body);
            assert!(again.body.contains("taken") && again.body.contains("code"), "{}", again.body);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM documents WHERE code = '99-NQ/TW-TM'"), 2);

        // Evidence is read only after the task it is for: a file before the task's id is
        // refused, and nothing is kept.
        let document = create_document(&hanoi, "12-KH/TU-TN", "internal");
        let task = redirected_id(&create_task(&hanoi, document, None, "Tệp trước", "01", "internal"), "/tasks/");
        let officer = signed_in(&app, "hanoi.canbo");
        let task_id = task.to_string();
        let early = officer.multipart_parts(
            "/api/reports/submit",
            &[
                Part::File("bao-cao.pdf", b"%PDF-1.7 bao cao"),
                Part::Field("task_id", &task_id),
                Part::Field("progress", "10"),
                Part::Field("text", "Tệp gửi trước"),
                Part::Field("submission_key", "file-first-000001"),
            ],
            "application/json",
        );
        assert_eq!(early.status, 404, "{}", early.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM reports"), 0);
        assert_eq!(std::fs::read_dir(app.evidence.path()).map(|d| d.count()).unwrap_or(0), 0);

        // A search of ten thousand words runs as one of eight.
        let words = encode(&"nghi quyet ".repeat(5_000));
        let found = hanoi.call("/api/documents", &format!("filter[q]={words}"));
        assert_eq!(found.status, 200, "{}", found.body);
        let admin = signed_in(&app, "admin");
        assert_eq!(admin.call("/api/admin/users", &format!("filter[q]={words}")).status, 200);
        assert_eq!(admin.call("/api/feedback/inbox", &format!("filter[q]={words}")).status, 200);
    }

    fn officers_report_and_break_down_only_leaders_assign(app) {
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "80-NQ/TW-TN", "internal");
        let task = redirected_id(&create_task(&centre, document, None, "Giao xuống tỉnh", "TW", "internal"), "/tasks/");
        centre.call("/api/tasks/cascade", &format!("id={task}&target=units&units=01"));
        let hanoi_task = child_led_by(&task_json(&centre, task), "01");
        let officer = signed_in(&app, "hanoi.canbo");
        let before = app.count("SELECT COUNT(*) FROM tasks");
        // The officer may not cascade (to one ward, nor to every commune of the city),
        // give a subtask to a unit below, or share it with a coordinating unit.
        for target in ["target=units&units=00004", "target=communes", "target=children"] {
            let page = officer.call("/api/tasks/cascade", &format!("id={hanoi_task}&{target}"));
            assert_eq!(page.status, 404, "{target}: {}", page.body);
        }
        let to_ward = create_task(&officer, document, Some(hanoi_task), "Cho phường", "00004", "internal");
        assert_eq!(to_ward.status, 400);
        assert!(to_ward.body.contains("lead_unit") && to_ward.body.contains("out_of_reach"), "{}", to_ward.body);
        let shared = officer.call(
            "/api/tasks/create",
            &format!("document_id={document}&parent_id={hanoi_task}&title=X&lead_unit=01&coordinators=79&start_on=2026-01-01&due_on=2026-02-01&priority=low&weight=1&classification=internal"),
        );
        assert_eq!(shared.status, 400);
        assert!(shared.body.contains("coordinators"), "{}", shared.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM tasks"), before, "nothing was created");
        // Breaking down within the unit is theirs; editing the assignment is not.
        let own = redirected_id(&create_task(&officer, document, Some(hanoi_task), "Trong đơn vị", "01", "internal"), "/tasks/");
        let own_detail = task_json(&officer, own);
        assert_eq!(own_detail["actions"]["edit"], false);
        assert_eq!(own_detail["actions"]["assign_below"], false);
        assert_eq!(own_detail["actions"]["break_down"], true);
        let version = own_detail["version"].as_i64().unwrap();
        let edit = officer.call(
            "/api/tasks/update",
            &format!("id={own}&version={version}&title=X&description=&expected_result=&coordinators=&start_on=2026-01-01&due_on=2027-12-31&priority=low&weight=9&classification=internal"),
        );
        assert_eq!(edit.status, 404, "{}", edit.body);
        assert_eq!(task_json(&officer, own)["weight"], 1);
        // The leader assigns below, and shares within the province, not beyond it.
        let leader = signed_in(&app, "hanoi.lanhdao");
        let beyond = leader.call(
            "/api/tasks/create",
            &format!("document_id={document}&parent_id={hanoi_task}&title=X&lead_unit=00004&coordinators=79&start_on=2026-01-01&due_on=2026-02-01&priority=low&weight=1&classification=internal"),
        );
        assert_eq!(beyond.status, 400);
        assert!(beyond.body.contains("coordinators") && beyond.body.contains("out_of_reach"), "{}", beyond.body);
        let within = leader.call(
            "/api/tasks/create",
            &format!("document_id={document}&parent_id={hanoi_task}&title=X&lead_unit=00004&coordinators=00008&start_on=2026-01-01&due_on=2026-02-01&priority=low&weight=1&classification=internal"),
        );
        redirected_id(&within, "/tasks/");
        let cascaded = leader.call("/api/tasks/cascade", &format!("id={hanoi_task}&target=communes"));
        assert!(cascaded.status < 400, "{}", cascaded.body);
        assert!(task_json(&leader, hanoi_task)["actions"]["assign_below"] == true);
    }

    fn completion_needs_the_assigning_unit(app) {
        add_account(&app, "hanoi.phobithu", "01", tiendo::model::Role::Leader, "secret");
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "81-NQ/TW-TN", "internal");
        let task = redirected_id(&create_task(&centre, document, None, "Nhiệm vụ của Trung ương", "TW", "internal"), "/tasks/");
        centre.call("/api/tasks/cascade", &format!("id={task}&target=units&units=01"));
        let hanoi_task = child_led_by(&task_json(&centre, task), "01");
        // The province's leader adds a subtask of their own unit, reports 100 % on it and
        // tries to accept their own report.
        let leader = signed_in(&app, "hanoi.lanhdao");
        let own = redirected_id(&create_task(&leader, document, Some(hanoi_task), "Tự giao", "01", "internal"), "/tasks/");
        let sent = call_report(&leader, own, "100", true, "self-report-00001");
        assert!(sent.status < 400, "{}", sent.body);
        let report = pending_report(&task_json(&leader, own));
        assert_eq!(task_json(&leader, own)["reports"][0]["by_viewer"], true);
        let self_accept = leader.call("/api/reports/evaluate", &format!("report_id={report}&verdict=accept"));
        assert_eq!(self_accept.status, 400, "{}", self_accept.body);
        assert!(self_accept.body.contains("own_report"), "{}", self_accept.body);
        // Another leader of the province accepts the subtask: the centre's task is not done
        // by it. It waits for the centre, with the subtasks as its evidence.
        let deputy = signed_in(&app, "hanoi.phobithu");
        assert!(deputy.call("/api/reports/evaluate", &format!("report_id={report}&verdict=accept")).status < 400);
        let waiting = task_json(&leader, hanoi_task);
        assert_eq!(waiting["row"]["status"], "in_progress");
        assert_eq!(waiting["row"]["progress"], 100);
        assert_eq!(waiting["reports"][0]["kind"], "completion");
        assert_eq!(waiting["reports"][0]["status"], "pending");
        assert_eq!(waiting["actions"]["evaluate"], false, "the province does not accept its own completion");
        assert_eq!(waiting["history"][0]["kind"], "completion_requested");
        let completion = pending_report(&waiting);
        assert_eq!(
            leader.call("/api/reports/evaluate", &format!("report_id={completion}&verdict=accept")).status,
            404
        );
        assert_ne!(task_json(&centre, task)["row"]["status"], "done");
        // The centre finds it awaiting its evaluation.
        let queue = centre.call("/api/my-work", "filter[view]=evaluate").json();
        assert_eq!(queue["rows"][0]["id"], hanoi_task);
        // A subtask added meanwhile withdraws the request; the old request no longer stands.
        let late = redirected_id(&create_task(&leader, document, Some(hanoi_task), "Bổ sung", "01", "internal"), "/tasks/");
        let withdrawn = task_json(&centre, hanoi_task);
        assert_eq!(withdrawn["reports"][0]["status"], "withdrawn");
        assert_eq!(
            centre.call("/api/reports/evaluate", &format!("report_id={completion}&verdict=accept")).status,
            409
        );
        // A progress report on a task broken down since is withdrawn with it.
        let officer = signed_in(&app, "hanoi.canbo");
        assert!(call_report(&officer, late, "50", false, "before-breakdown-1").status < 400);
        let stale = pending_report(&task_json(&leader, late));
        redirected_id(&create_task(&officer, document, Some(late), "Chia nhỏ", "01", "internal"), "/tasks/");
        let broken_down = task_json(&leader, late);
        assert_eq!(broken_down["reports"][0]["status"], "withdrawn");
        assert_eq!(
            leader.call("/api/reports/evaluate", &format!("report_id={stale}&verdict=accept")).status,
            409
        );
        // Once every subtask is done again, the centre accepts and the task is done.
        let leaf = child_led_by(&task_json(&leader, late), "01");
        assert!(call_report(&officer, leaf, "100", true, "leaf-done-000001").status < 400);
        let leaf_report = pending_report(&task_json(&leader, leaf));
        assert!(leader.call("/api/reports/evaluate", &format!("report_id={leaf_report}&verdict=accept")).status < 400);
        let again = task_json(&centre, hanoi_task);
        assert_eq!(again["row"]["status"], "in_progress");
        let request = pending_report(&again);
        assert!(centre.call("/api/reports/evaluate", &format!("report_id={request}&verdict=accept")).status < 400);
        assert_eq!(task_json(&centre, hanoi_task)["row"]["status"], "done");
        // The centre's own task, which it assigned itself, completes with its only child.
        assert_eq!(task_json(&centre, task)["row"]["status"], "done");
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM reports WHERE task_id = {hanoi_task} AND kind = 'completion' AND status = 'accepted'")),
            1
        );
    }

    fn cascading_to_every_commune_gives_each_its_task(app) {
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "74-NQ/TW-TN", "internal");
        let task = redirected_id(&create_task(&centre, document, None, "Toàn quốc", "TW", "internal"), "/tasks/");
        let page = centre.call("/api/tasks/cascade", &format!("id={task}&target=communes"));
        assert!(page.header("location").unwrap().contains("created=3321"), "{:?}", page.header("location"));
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM tasks WHERE parent_id = {task}")), 3321);
        assert_eq!(
            app.count(&format!("SELECT COUNT(DISTINCT lead_unit_id) FROM tasks WHERE parent_id = {task}")),
            3321
        );
        // A ward officer sees their own, and only that one.
        let ward = signed_in(&app, "badinh.canbo");
        let work = ward.call("/api/my-work", "").json();
        assert_eq!(work["total"], 1);
        assert_eq!(work["rows"][0]["lead"]["code"], "00004");
        assert_eq!(ward.call("/api/task", &format!("id={task}")).status, 404);
    }
}

#[test]
fn my_work_shows_the_views_of_the_unit() {
    let app = TestApp::spawn(crate::common::Backend::Sqlite).unwrap();
    let db = app.db();
    let store = tiendo::server::evidence::EvidenceStore::new(app.evidence.path());
    app.block_on(tiendo::server::seed::demo(&db, &store))
        .unwrap();
    let leader = signed_in(&app, "hanoi.lanhdao");
    let view = |name: &str| {
        leader
            .call("/api/my-work", &format!("filter[view]={name}"))
            .json()
    };
    assert_eq!(view("evaluate")["total"], 1, "Ngọc Hà's report awaits them");
    assert_eq!(view("evaluate")["rows"][0]["lead"]["code"], "00008");
    let all = view("all");
    assert_eq!(all["total"], 3, "Hà Nội leads three tasks in the demo");
    assert!(view("overdue")["total"].as_u64().unwrap() >= 1);
    let giang_vo = signed_in(&app, "giangvo.canbo");
    let returned = giang_vo
        .call("/api/my-work", "filter[view]=returned")
        .json();
    assert_eq!(returned["total"], 1);
    assert_eq!(returned["rows"][0]["status"], "returned");
    let due_soon = giang_vo
        .call("/api/my-work", "filter[view]=due_soon")
        .json();
    assert_eq!(due_soon["total"], 1, "due in five days");
    // Sorting and the page without JavaScript.
    let page = leader.get("/my-work?view=all&sort=progress");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Bồi dưỡng kỹ năng số"));
}
