//! The chain from a resolution at the centre to a report from a commune and back up.

use crate::common::{Browser, Page, TestApp, encode};
use crate::on_both_backends;
use tiendo::server::seed::DEMO_PASSWORD;

pub fn signed_in(app: &TestApp, username: &str) -> Browser {
    let browser = app.new_browser();
    let page = browser.login(username, DEMO_PASSWORD);
    assert!(
        matches!(page.status, 200 | 302),
        "{username}: {}",
        page.body
    );
    browser
}

/// The id at the end of the redirect a server function answered with.
pub fn redirected_id(page: &Page, prefix: &str) -> i32 {
    assert!(page.status < 400, "{} {}", page.status, page.body);
    let location = page.header("location").unwrap_or_default();
    location
        .strip_prefix(prefix)
        .and_then(|rest| rest.split(['?', '/']).next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirected to {prefix}<id>: {location:?}"))
}

pub fn create_document(leader: &Browser, code: &str, classification: &str) -> i32 {
    let page = leader.call(
        "/api/documents/create",
        &format!(
            "code={}&kind=resolution&title={}&issuing_body={}&issued_on=2024-12-22&summary={}&classification={classification}",
            encode(code),
            encode("Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"),
            encode("Bộ Chính trị"),
            encode("Thử nghiệm")
        ),
    );
    redirected_id(&page, "/documents/")
}

#[allow(clippy::too_many_arguments)]
pub fn create_task(
    browser: &Browser,
    document: i32,
    parent: Option<i32>,
    title: &str,
    lead: &str,
    classification: &str,
) -> Page {
    let parent = parent
        .map(|p| format!("&parent_id={p}"))
        .unwrap_or_default();
    browser.call(
        "/api/tasks/create",
        &format!(
            "document_id={document}{parent}&title={}&description={}&expected_result={}&lead_unit={lead}&coordinators=&start_on=2026-01-01&due_on=2026-12-31&priority=high&weight=1&classification={classification}",
            encode(title),
            encode("Mô tả"),
            encode("Kế hoạch được ban hành")
        ),
    )
}

pub fn task_json(browser: &Browser, id: i32) -> serde_json::Value {
    let page = browser.call("/api/task", &format!("id={id}"));
    assert_eq!(page.status, 200, "task {id}: {}", page.body);
    page.json()
}

pub fn child_led_by(task: &serde_json::Value, unit: &str) -> i32 {
    task["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["lead"]["code"] == unit)
        .unwrap_or_else(|| panic!("a subtask led by {unit}: {task}"))["id"]
        .as_i64()
        .unwrap() as i32
}

fn report(
    browser: &Browser,
    task: i32,
    progress: &str,
    claims: bool,
    key: &str,
    files: &[(&str, &[u8])],
) -> Page {
    let mut fields = vec![
        ("task_id", task.to_string()),
        ("progress", progress.to_owned()),
        (
            "text",
            "Đã tổ chức hội nghị triển khai; báo cáo kèm theo.".to_owned(),
        ),
        ("submission_key", key.to_owned()),
    ];
    if claims {
        fields.push(("claims_completion", "on".to_owned()));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post_multipart("/api/reports/submit", &fields, files)
}

pub fn pending_report(task: &serde_json::Value) -> i32 {
    task["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "pending")
        .unwrap_or_else(|| panic!("a pending report: {task}"))["id"]
        .as_i64()
        .unwrap() as i32
}

/// A report sent as a script would: an error comes back as its status and JSON.
pub fn call_report(browser: &Browser, task: i32, progress: &str, claims: bool, key: &str) -> Page {
    let task = task.to_string();
    let mut fields = vec![
        ("task_id", task.as_str()),
        ("progress", progress),
        ("text", "Đã thực hiện; báo cáo kèm theo."),
        ("submission_key", key),
    ];
    if claims {
        fields.push(("claims_completion", "on"));
    }
    browser.call_multipart("/api/reports/submit", &fields, &[])
}

/// Adds an official with the demo password.
pub fn add_account(
    app: &TestApp,
    username: &str,
    unit: &str,
    role: tiendo::model::Role,
    clearance: &str,
) {
    app.block_on(async {
        let db = tiendo::server::db::Db::connect(&app.database.url)
            .await
            .unwrap();
        tiendo::server::users::create(
            &db,
            tiendo::server::users::NewUser {
                username: username.into(),
                full_name: format!("Cán bộ {username}"),
                email: None,
                unit_code: unit.into(),
                role,
                clearance: clearance.parse().unwrap(),
                password: DEMO_PASSWORD.into(),
                must_change_password: false,
            },
        )
        .await
        .unwrap();
        db.close().await;
    });
}

on_both_backends! {
    fn from_the_centre_to_a_commune_and_back(app) {
        // A central leader registers a resolution and a task, and cascades it to provinces.
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "57-NQ/TW-TN", "internal");
        let task = redirected_id(
            &create_task(&centre, document, None, "Xây dựng kế hoạch chuyển đổi số", "TW", "internal"),
            "/tasks/",
        );
        let cascaded = centre.call("/api/tasks/cascade", &format!("id={task}&target=units&units=01,46"));
        assert!(cascaded.status < 400, "{}", cascaded.body);
        assert!(cascaded.header("location").unwrap().contains("created=2"));
        // Cascading again adds nothing twice.
        let again = centre.call("/api/tasks/cascade", &format!("id={task}&target=units&units=01,46"));
        assert!(again.header("location").unwrap().contains("created=0&skipped=2"));
        let central_task = task_json(&centre, task);
        assert_eq!(central_task["children"].as_array().unwrap().len(), 2);
        let hanoi_task = child_led_by(&central_task, "01");

        // A province officer breaks it down within the province; the province's leader
        // cascades it to two wards (an officer may not assign work below).
        let province = signed_in(&app, "hanoi.canbo");
        assert_eq!(province.call("/api/task", &format!("id={task}")).status, 404, "not the centre's task");
        let sub = create_task(&province, document, Some(hanoi_task), "Rà soát hạ tầng số của thành phố", "01", "internal");
        redirected_id(&sub, "/tasks/");
        let by_officer = province.call("/api/tasks/cascade", &format!("id={hanoi_task}&target=units&units=00004,00008"));
        assert_eq!(by_officer.status, 404, "{}", by_officer.body);
        let province_leader = signed_in(&app, "hanoi.lanhdao");
        let to_wards = province_leader.call("/api/tasks/cascade", &format!("id={hanoi_task}&target=units&units=00004,00008"));
        assert!(to_wards.status < 400, "{}", to_wards.body);
        let hanoi = task_json(&province, hanoi_task);
        assert_eq!(hanoi["children"].as_array().unwrap().len(), 3);
        let ba_dinh_task = child_led_by(&hanoi, "00004");

        // A ward officer reports with a file; the province leader returns it with a reason.
        let ward = signed_in(&app, "badinh.canbo");
        let first = report(&ward, ba_dinh_task, "60", false, "first-report-0001", &[("bien-ban.pdf", b"%PDF-1.7 bien ban hoi nghi")]);
        assert!(first.status < 400, "{} {}", first.status, first.body);
        let leader = signed_in(&app, "hanoi.lanhdao");
        let waiting = task_json(&leader, ba_dinh_task);
        assert_eq!(waiting["actions"]["evaluate"], true);
        let report_id = pending_report(&waiting);
        let files = waiting["reports"][0]["attachments"].as_array().unwrap().clone();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0]["content_type"], "application/pdf");
        assert_eq!(files[0]["file_name"], "bien-ban.pdf");
        let stored: Vec<_> = std::fs::read_dir(app.evidence.path()).unwrap().collect();
        assert_eq!(stored.len(), 1, "stored under a random name in the evidence folder");
        let no_reason = leader.call("/api/reports/evaluate", &format!("report_id={report_id}&verdict=return&reason="));
        assert_eq!(no_reason.status, 400, "a return needs a reason");
        let returned = leader.call(
            "/api/reports/evaluate",
            &format!("report_id={report_id}&verdict=return&reason={}", encode("Thiếu danh sách cán bộ tham dự")),
        );
        assert!(returned.status < 400, "{}", returned.body);
        let after_return = task_json(&ward, ba_dinh_task);
        assert_eq!(after_return["row"]["status"], "returned");
        assert_eq!(after_return["reports"][0]["reason"], "Thiếu danh sách cán bộ tham dự");

        // The ward reports again, claiming completion; the province leader accepts.
        let second = report(&ward, ba_dinh_task, "100", true, "second-report-0002", &[]);
        assert!(second.status < 400, "{}", second.body);
        let report_id = pending_report(&task_json(&leader, ba_dinh_task));
        let accepted = leader.call("/api/reports/evaluate", &format!("report_id={report_id}&verdict=accept&reason="));
        assert!(accepted.status < 400, "{}", accepted.body);

        // The roll-up shows at the ward, the province and the centre.
        let done = task_json(&ward, ba_dinh_task);
        assert_eq!(done["row"]["status"], "done");
        assert_eq!(done["row"]["progress"], 100);
        let hanoi = task_json(&province, hanoi_task);
        assert_eq!(hanoi["row"]["progress"], 33, "one of three subtasks done");
        assert_eq!(hanoi["row"]["status"], "in_progress");
        let central = task_json(&centre, task);
        assert_eq!(central["row"]["progress"], 17, "33 and 0, halved and rounded");
        let history: Vec<String> = task_json(&ward, ba_dinh_task)["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(history, ["accepted", "reported", "returned", "reported", "created"]);

        // The document shows its overall progress to the centre.
        let doc = centre.call("/api/document", &format!("id={document}")).json();
        assert_eq!(doc["summary"]["progress"], 17);
    }
}
