//! The plan kept honest: a due date moves only with a reason, the lead unit asks for more
//! time and the assigning unit's leader grants or refuses, the original date stays, and
//! "on time" is measured against it. Key tasks are marked, filtered and counted apart.

use crate::common::{Browser, Page, TestApp, encode};
use crate::on_both_backends;
use crate::work::{create_document, redirected_id, signed_in, task_json};
use chrono::{Duration, NaiveDate, Utc};
use serde_json::Value;

/// The day it is in Vietnam (UTC+7), as the server counts.
fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

fn day(offset: i64) -> String {
    (today() + Duration::days(offset)).to_string()
}

/// A task of the centre led by Hà Nội, due in ten days.
fn hanoi_task(centre: &Browser, document: i32, key: bool) -> i32 {
    let key = if key { "&is_key=on" } else { "" };
    let page = centre.call(
        "/api/tasks/create",
        &format!(
            "document_id={document}&title={}&lead_unit=01&start_on={}&due_on={}&priority=high&weight=1&classification=internal{key}",
            encode("Hoàn thiện cơ sở dữ liệu cán bộ"),
            day(-30),
            day(10),
        ),
    );
    redirected_id(&page, "/tasks/")
}

fn ask(browser: &Browser, task: i32, to_on: &str, reason: &str) -> Page {
    browser.call(
        "/api/tasks/extension/ask",
        &format!("task_id={task}&to_on={to_on}&reason={}", encode(reason)),
    )
}

fn decide(browser: &Browser, change: i64, decision: &str, answer: &str) -> Page {
    browser.call(
        "/api/tasks/extension/decide",
        &format!(
            "change_id={change}&decision={decision}&answer={}",
            encode(answer)
        ),
    )
}

/// The field and problem of a refusal.
fn refused(page: &Page) -> (String, String) {
    assert_eq!(page.status, 400, "{}", page.body);
    let json = page.json();
    (
        json["field"].as_str().unwrap_or_default().to_owned(),
        json["problem"]["kind"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

fn changes(task: &Value) -> Vec<(String, String, String)> {
    task["due_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_owned(),
                c["state"].as_str().unwrap().to_owned(),
                c["to_on"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn latest_change(task: &Value) -> i64 {
    task["due_changes"].as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// The task's due dates and status as stored.
fn stored(app: &TestApp, task: i32) -> (String, String, String) {
    (
        app.text(&format!(
            "SELECT CAST(due_on AS TEXT) FROM tasks WHERE id = {task}"
        )),
        app.text(&format!(
            "SELECT COALESCE(CAST(original_due_on AS TEXT), '') FROM tasks WHERE id = {task}"
        )),
        app.text(&format!("SELECT status FROM tasks WHERE id = {task}")),
    )
}

fn edit_due(browser: &Browser, task: i32, version: i64, due_on: &str, reason: &str) -> Page {
    browser.call(
        "/api/tasks/update",
        &format!(
            "id={task}&version={version}&title={}&start_on={}&due_on={due_on}&priority=high&weight=1&classification=internal&due_reason={}",
            encode("Hoàn thiện cơ sở dữ liệu cán bộ"),
            day(-30),
            encode(reason),
        ),
    )
}

on_both_backends! {
    fn an_extension_is_refused_then_granted_and_the_original_date_stays(app) {
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "90-NQ/TW-GH", "internal");
        let task = hanoi_task(&centre, document, false);
        let officer = signed_in(&app, "hanoi.canbo");
        let before = stored(&app, task);
        assert_eq!(before, (day(10), String::new(), "not_started".to_owned()));
        assert_eq!(task_json(&officer, task)["actions"]["ask_extension"], true);

        // Bad requests: a clear refusal naming the field, and nothing changed.
        let reason = "Chờ kết quả rà soát của các sở, ngành.";
        for (to_on, why, field, problem) in [
            (day(-1), reason, "to_on", "before_today"),
            (day(10), reason, "to_on", "not_later"),
            (day(5), reason, "to_on", "not_later"),
            ("2026-02-30".to_owned(), reason, "to_on", "malformed"),
            (String::new(), reason, "to_on", "required"),
            (day(40), "  ", "reason", "required"),
        ] {
            let answer = ask(&officer, task, &to_on, why);
            assert_eq!(refused(&answer), (field.to_owned(), problem.to_owned()), "{to_on} {why:?}");
        }
        // The centre sees the task but does not lead it; another province cannot see it.
        let not_lead = ask(&centre, task, &day(40), reason);
        assert_eq!(refused(&not_lead), ("task".to_owned(), "not_lead_unit".to_owned()));
        let elsewhere = signed_in(&app, "hue.canbo");
        assert_eq!(ask(&elsewhere, task, &day(40), reason).status, 404);
        assert_eq!(stored(&app, task), before);
        assert_eq!(app.count("SELECT COUNT(*) FROM due_date_changes"), 0);

        // Asked once; a second request waits for the first answer.
        let asked = ask(&officer, task, &day(40), reason);
        assert!(asked.status < 400, "{}", asked.body);
        let again = ask(&officer, task, &day(50), reason);
        assert_eq!(refused(&again), ("task".to_owned(), "awaiting_decision".to_owned()));
        let seen = task_json(&officer, task);
        assert_eq!(changes(&seen), [("extension".into(), "asked".into(), day(40))]);
        assert_eq!(seen["actions"]["ask_extension"], false);
        assert_eq!(seen["actions"]["decide_extension"], false);
        let change = latest_change(&seen);
        assert_eq!(task_json(&centre, task)["actions"]["decide_extension"], true);
        // The leader is told; only the assigning unit's leaders decide.
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM notifications WHERE kind = 'extension_asked' AND task_id = {task}"
            )),
            1
        );
        assert_eq!(decide(&officer, change, "grant", "").status, 404);

        // Refused: an answer is required; the date stays.
        let bare = decide(&centre, change, "refuse", "");
        assert_eq!(refused(&bare), ("answer".to_owned(), "required".to_owned()));
        let refusal = decide(&centre, change, "refuse", "Hạn này gắn với kỳ báo cáo Trung ương.");
        assert!(refusal.status < 400, "{}", refusal.body);
        assert_eq!(stored(&app, task), before);
        assert_eq!(decide(&centre, change, "grant", "").status, 409, "decided already");

        // Asked again and granted: the due date moves, the original one is kept.
        let asked = ask(&officer, task, &day(30), "Bổ sung dữ liệu của 3 huyện cũ.");
        assert!(asked.status < 400, "{}", asked.body);
        let change = latest_change(&task_json(&officer, task));
        let granted = decide(&centre, change, "grant", "");
        assert!(granted.status < 400, "{}", granted.body);
        assert_eq!(stored(&app, task), (day(30), day(10), "not_started".to_owned()));
        let seen = task_json(&officer, task);
        assert_eq!(seen["original_due_on"], day(10));
        assert_eq!(seen["row"]["due_on"], day(30));
        assert_eq!(
            changes(&seen),
            [
                ("extension".into(), "refused".into(), day(40)),
                ("extension".into(), "granted".into(), day(30)),
            ]
        );
        let history: Vec<&str> = seen["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            history,
            ["extension_granted", "extension_asked", "extension_refused", "extension_asked", "created"]
        );
        // Both decisions and both requests are in the audit trail.
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'due_date_changed' AND object_id = '{task}'"
            )),
            4
        );

        // The assigning unit moves the date itself: only with a reason, and the original
        // date stays the first one.
        let version = task_json(&centre, task)["version"].as_i64().unwrap();
        let silent = edit_due(&centre, task, version, &day(60), "");
        assert_eq!(refused(&silent), ("due_reason".to_owned(), "required".to_owned()));
        let moved = edit_due(&centre, task, version, &day(60), "Gộp với nhiệm vụ số hoá hồ sơ.");
        assert!(moved.status < 400, "{}", moved.body);
        assert_eq!(stored(&app, task), (day(60), day(10), "not_started".to_owned()));
        let seen = task_json(&officer, task);
        assert_eq!(changes(&seen).last().unwrap(), &("moved".into(), "granted".into(), day(60)));

        // Completed within the extension but after the original date: done late. The
        // clock cannot move here, so the original date is set in the past directly.
        app.execute(&format!(
            "UPDATE tasks SET original_due_on = '{}' WHERE id = {task}",
            day(-3)
        ));
        let report = officer.post_multipart(
            "/api/reports/submit",
            &[
                ("task_id", &task.to_string()),
                ("progress", "100"),
                ("text", "Đã hoàn thành."),
                ("submission_key", "deadline-report-01"),
                ("claims_completion", "on"),
            ],
            &[],
        );
        assert!(report.status < 400, "{}", report.body);
        let report_id = crate::work::pending_report(&task_json(&centre, task));
        let accepted = centre.call(
            "/api/reports/evaluate",
            &format!("report_id={report_id}&verdict=accept&reason="),
        );
        assert!(accepted.status < 400, "{}", accepted.body);
        assert_eq!(stored(&app, task).2, "done_late");
        assert_eq!(ask(&officer, task, &day(90), reason).status, 400, "a closed task");
    }

    fn key_tasks_are_marked_filtered_and_counted(app) {
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "91-NQ/TW-TT", "internal");
        let key = hanoi_task(&centre, document, true);
        let plain = hanoi_task(&centre, document, false);
        assert_eq!(task_json(&centre, key)["row"]["key"], true);
        assert_eq!(task_json(&centre, plain)["row"]["key"], false);
        // A cascade keeps the mark all the way down.
        let leader = signed_in(&app, "hanoi.lanhdao");
        let cascaded = leader.call(
            "/api/tasks/cascade",
            &format!("id={key}&target=units&units=00004,00008"),
        );
        assert!(cascaded.status < 400, "{}", cascaded.body);
        let copies = task_json(&leader, key)["children"].as_array().unwrap().clone();
        assert_eq!(copies.len(), 2);
        assert!(copies.iter().all(|c| c["key"] == true));

        // `/my-work` filters key tasks.
        let officer = signed_in(&app, "hanoi.canbo");
        let listed = |filter: &str| -> Vec<i64> {
            let page = officer.call("/api/my-work", filter);
            assert_eq!(page.status, 200, "{}", page.body);
            page.json()["rows"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect()
        };
        let all = listed("");
        assert!(all.contains(&i64::from(key)) && all.contains(&i64::from(plain)));
        assert_eq!(listed("filter[key_only]=true"), [i64::from(key)]);
        let page = officer.get("/my-work?key=on");
        assert_eq!(page.status, 200);
        assert!(page.body.contains(&format!("/tasks/{key}")));
        assert!(!page.body.contains(&format!("/tasks/{plain}\"")));

        // The mark is an assignment: it changes with an edit, in the history.
        let version = task_json(&centre, plain)["version"].as_i64().unwrap();
        let marked = centre.call(
            "/api/tasks/update",
            &format!(
                "id={plain}&version={version}&title={}&start_on={}&due_on={}&priority=high&weight=1&classification=internal&is_key=on",
                encode("Hoàn thiện cơ sở dữ liệu cán bộ"),
                day(-30),
                day(10),
            ),
        );
        assert!(marked.status < 400, "{}", marked.body);
        let seen = task_json(&centre, plain);
        assert_eq!(seen["row"]["key"], true);
        assert_eq!(seen["history"][0]["changes"][0][0], "key");

        // The dashboards count key tasks apart: four tasks led in Hà Nội, all key now.
        let dashboard = leader.call("/api/dashboard", "code=01").json();
        assert_eq!(dashboard["key"]["tasks"], 4, "{}", dashboard["key"]);
        assert_eq!(dashboard["figures"]["tasks"], 4);
        let national = centre.call("/api/dashboard", "code=TW").json();
        assert_eq!(national["key"]["tasks"], 4);
    }
}
