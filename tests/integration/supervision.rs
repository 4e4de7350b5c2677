//! Supervision: who is told what, under the access rule; the reminder ladder through
//! forty days; one sweep acting once across servers, also when one is killed mid-sweep.

use crate::common::{Backend, TestApp, TestDatabase, encode};
use crate::on_both_backends;
use crate::work::{
    add_account, child_led_by, create_document, create_task, pending_report, redirected_id,
    signed_in, task_json,
};
use tiendo::model::Role;
use tiendo::model::time::Day;
use tiendo::server::supervision::{Ladder, Sweeper, sweep};

/// Noon in Vietnam on `day`, as the sweep's clock.
fn noon(day: Day) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(i64::from(day.0) * 86_400 + 5 * 3600, 0).unwrap()
}

fn notifications(app: &TestApp, username: &str, kind: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE u.username = '{username}' AND n.kind = '{kind}'"
    ))
}

/// The unread count in the header of a page, as a browser without scripts shows it.
fn header_count(page: &str) -> Option<u64> {
    let start = page.find("class=\"badge\"")?;
    let rest = &page[start..];
    let text = &rest[rest.find('>')? + 1..];
    text[..text.find('<')?].trim_end_matches('+').parse().ok()
}

/// A task led by Huế (46), cascaded from the centre's task in an internal document.
fn hue_task(app: &TestApp, classification: &str) -> (i32, i32) {
    let centre = signed_in(app, "tw.lanhdao");
    let document = create_document(&centre, &format!("S-{classification}/TW"), classification);
    let parent = redirected_id(
        &create_task(
            &centre,
            document,
            None,
            "Đôn đốc chuyển đổi số",
            "TW",
            classification,
        ),
        "/tasks/",
    );
    let cascaded = centre.call(
        "/api/tasks/cascade",
        &format!("id={parent}&target=units&units=46"),
    );
    assert!(cascaded.status < 400, "{}", cascaded.body);
    (parent, child_led_by(&task_json(&centre, parent), "46"))
}

on_both_backends! {
    fn each_kind_reaches_its_officials_and_nobody_else(app) {
        add_account(&app, "hue.lanhdao", "46", Role::Leader, "confidential");
        let (_, hue) = hue_task(&app, "internal");
        // Assigned: Huế's officer and leader; not the centre's leader who assigned it, not
        // another province, not Huế's viewer.
        assert_eq!(notifications(&app, "hue.canbo", "task_assigned"), 1);
        assert_eq!(notifications(&app, "hue.lanhdao", "task_assigned"), 1);
        for other in ["tw.lanhdao", "hanoi.canbo", "hanoi.lanhdao", "hcm.lanhdao", "hue.xem"] {
            assert_eq!(notifications(&app, other, "task_assigned"), 0, "{other}");
        }
        // A confidential task: not to an officer cleared for internal only.
        hue_task(&app, "confidential");
        assert_eq!(notifications(&app, "hue.canbo", "task_assigned"), 1);
        assert_eq!(notifications(&app, "hue.lanhdao", "task_assigned"), 2);

        // A report awaits the assigning unit's leaders; its verdict goes back to Huế.
        let officer = signed_in(&app, "hue.canbo");
        let sent = officer.call_multipart(
            "/api/reports/submit",
            &[("task_id", &hue.to_string()), ("progress", "40"), ("text", "Đã triển khai"), ("submission_key", "sup-report-0001")],
            &[],
        );
        assert!(sent.status < 400, "{}", sent.body);
        assert_eq!(notifications(&app, "tw.lanhdao", "report_awaiting"), 1);
        assert_eq!(notifications(&app, "hue.lanhdao", "report_awaiting"), 0, "not the lead unit's");
        let centre = signed_in(&app, "tw.lanhdao");
        let report = pending_report(&task_json(&centre, hue));
        let returned = centre.call(
            "/api/reports/evaluate",
            &format!("report_id={report}&verdict=return&reason={}", encode("Thiếu số liệu")),
        );
        assert!(returned.status < 400, "{}", returned.body);
        assert_eq!(notifications(&app, "hue.canbo", "report_returned"), 1);
        assert_eq!(notifications(&app, "hanoi.canbo", "report_returned"), 0);

        // Feedback assigned to Huế: its officials, nobody in Hà Nội.
        let posted = app.open311_post("service_code=other&description=G%C3%B3p%20%C3%BD%20v%E1%BB%81%20th%E1%BB%A7%20t%E1%BB%A5c");
        assert_eq!(posted.status, 201, "{}", posted.body);
        let code = posted.json()[0]["service_request_id"].as_str().unwrap().to_owned();
        let assigned = centre.call("/api/feedback/act", &format!("code={code}&version=0&action=assign&unit=46"));
        assert!(assigned.status < 400, "{}", assigned.body);
        assert_eq!(notifications(&app, "hue.canbo", "feedback_assigned"), 1);
        assert_eq!(notifications(&app, "hanoi.canbo", "feedback_assigned"), 0);

        // What the officer sees: the page and the header's count agree with the rows.
        let list = officer.call("/api/notifications", "page=1").json();
        assert_eq!(list["unread"], 3, "{list}");
        assert_eq!(list["items"].as_array().unwrap().len(), 3);
        assert_eq!(header_count(&officer.get("/my-work").body), Some(3));
        let page = officer.get("/notifications");
        assert!(page.body.contains(&code), "the feedback's code is named");
        assert!(page.body.contains(&format!("/tasks/{hue}")));

        // Another province's official cannot read or mark them.
        let first = list["items"][0]["id"].as_i64().unwrap();
        let hanoi = signed_in(&app, "hanoi.canbo");
        assert_eq!(hanoi.call("/api/notifications", "page=1").json()["unread"], 0);
        assert_eq!(hanoi.call("/api/notifications/read", &format!("id={first}&page=1")).status, 404);

        // A task raised above the reader's clearance takes its notifications away, title
        // and count alike.
        let before = officer.get("/notifications").body;
        let title = "Đôn đốc chuyển đổi số";
        assert!(before.contains(title));
        app.execute(&format!("UPDATE tasks SET classification = 3 WHERE id = {hue}"));
        let after = officer.call("/api/notifications", "page=1").json();
        assert_eq!(after["unread"], 1, "only the feedback is left: {after}");
        assert!(!officer.get("/notifications").body.contains(title));
        assert_eq!(header_count(&officer.get("/my-work").body), Some(1));
        app.execute(&format!("UPDATE tasks SET classification = 1 WHERE id = {hue}"));

        // Marking read: one, then all up to the newest shown.
        assert!(officer.call("/api/notifications/read", &format!("id={first}&page=1")).status < 400);
        assert_eq!(officer.call("/api/notifications", "page=1").json()["unread"], 2);
        let newest = officer.call("/api/notifications", "page=1").json()["newest"].as_i64().unwrap();
        assert!(officer.call("/api/notifications/read-all", &format!("up_to={newest}")).status < 400);
        assert_eq!(officer.call("/api/notifications", "page=1").json()["unread"], 0);
        assert_eq!(header_count(&officer.get("/my-work").body), None);
    }

    fn the_ladder_fires_each_step_once_through_forty_days(app) {
        add_account(&app, "hue.lanhdao", "46", Role::Leader, "confidential");
        let (parent, hue) = hue_task(&app, "internal");
        let due = Day::from_ymd(2027, 3, 31);
        app.execute(&format!(
            "UPDATE tasks SET due_on = '{}', start_on = '{}' WHERE id = {hue}",
            due.iso(),
            due.plus_days(-60).iso()
        ));
        app.execute(&format!("UPDATE tasks SET due_on = '2030-12-31', start_on = '2030-01-01' WHERE id = {parent}"));
        let db = app.db();
        let sweeper = Sweeper::new(Ladder::default(), "test", std::time::Duration::from_secs(600));
        let mut fired_on: Vec<(String, i32)> = Vec::new();
        for offset in -35..=40 {
            let now = noon(due.plus_days(offset));
            let before = app.count("SELECT COUNT(*) FROM task_reminders");
            let report = app.block_on(sweep(&db, &sweeper, now)).unwrap().expect("the lease is free");
            // A second sweep the same day finds everything done.
            let again = app.block_on(sweep(&db, &sweeper, now + chrono::Duration::hours(1))).unwrap().unwrap();
            assert_eq!(again.reminders(), 0, "day {offset}");
            assert_eq!(again.summaries, 0, "day {offset}");
            let after = app.count("SELECT COUNT(*) FROM task_reminders");
            assert_eq!(after - before, report.reminders() as i64);
            for (step, n) in report.fired {
                for _ in 0..n {
                    fired_on.push((step.key(), offset));
                }
            }
        }
        fired_on.sort_by_key(|(_, day)| *day);
        assert_eq!(
            fired_on,
            [("quiet", -30), ("before_7", -7), ("before_3", -3), ("before_1", -1), ("overdue", 1), ("overdue_leaders", 3), ("overdue_assigner", 7)]
                .map(|(s, d)| (s.to_owned(), d))
        );
        // Each step to its audience, once: Huế's officer the reminders, its leader the
        // first escalation, the centre's leader the assigning unit's two.
        assert_eq!(notifications(&app, "hue.canbo", "due_soon"), 3);
        assert_eq!(notifications(&app, "hue.canbo", "overdue"), 1);
        assert_eq!(notifications(&app, "hue.canbo", "overdue_daily"), 40, "one summary a day while overdue");
        assert_eq!(notifications(&app, "hue.lanhdao", "escalated"), 1);
        assert_eq!(notifications(&app, "hue.lanhdao", "due_soon"), 0);
        assert_eq!(notifications(&app, "tw.lanhdao", "escalated"), 2);
        for other in ["hue.xem", "hanoi.canbo", "hanoi.lanhdao", "hcm.lanhdao"] {
            assert_eq!(app.count(&format!("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = '{other}'")), 0, "{other}");
        }
        // Recorded under the system, never a person; the task page lists the steps.
        assert!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'reminders_sent' AND actor_name = 'system' AND actor_id IS NULL") >= 7);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'reminders_sent' AND actor_id IS NOT NULL"), 0);
        let officer = signed_in(&app, "hue.canbo");
        let task = task_json(&officer, hue);
        assert_eq!(task["reminders"].as_array().unwrap().len(), 7, "{task}");
        let page = officer.get(&format!("/tasks/{hue}"));
        assert!(page.body.contains("Nhắc trước hạn 7 ngày"), "the task page shows its reminders");

        // A new due date starts the ladder again for that date.
        let moved = due.plus_days(50);
        app.execute(&format!("UPDATE tasks SET due_on = '{}' WHERE id = {hue}", moved.iso()));
        let report = app.block_on(sweep(&db, &sweeper, noon(moved.plus_days(-7)))).unwrap().unwrap();
        assert_eq!(report.fired.iter().find(|(s, _)| s.key() == "before_7").unwrap().1, 1);
        app.block_on(db.close());
    }
}

/// Notifications written twice for one recipient, task and step (there must be none).
const DUPLICATES: &str = "SELECT COUNT(*) FROM (SELECT user_id, task_id, step FROM notifications \
     WHERE step IS NOT NULL GROUP BY user_id, task_id, step HAVING COUNT(*) > 1) d";

/// Two servers sweep one PostgreSQL database at once, and one is killed mid-sweep and
/// restarted: every reminder the ladder calls for is there exactly once.
#[test]
fn two_servers_on_postgres_sweep_each_reminder_exactly_once() {
    let Some(database) = TestDatabase::create(Backend::Postgres) else {
        eprintln!("skipped: {} is not set", crate::common::POSTGRES_ENV);
        return;
    };
    let app = TestApp::start(database, |_| {});
    let (parent, _) = hue_task(&app, "internal");
    // 3,000 open tasks led by Huế and by Hà Nội, due over 60 days around the sweep day.
    let today = Day::from_ymd(2027, 3, 1);
    app.execute(&format!(
        "INSERT INTO tasks (document_id, parent_id, root_id, depth, title, description, expected_result, \
         lead_unit_id, lead_path, assigner_unit_id, assigner_path, start_on, due_on, priority, weight, \
         classification, status, progress, version, created_by, created_at, updated_at) \
         SELECT p.document_id, p.id, p.id, 1, 'Việc ' || g, '', '', u.id, u.path, p.lead_unit_id, p.lead_path, \
         DATE '{start}' + (g % 40), DATE '{start}' + 30 + (g % 60), 1, 1, 1, 'not_started', 0, 0, p.created_by, now(), now() \
         FROM tasks p, generate_series(1, 3000) g, units u \
         WHERE p.id = {parent} AND u.code = CASE WHEN g % 2 = 0 THEN '46' ELSE '01' END",
        start = today.plus_days(-60).iso()
    ));
    let tiendo = |instance: &str, extra: &[(&str, &str)]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"));
        command
            .env("TIENDO_DATABASE_URL", &app.database.url)
            .args(["sweep", "--today", &today.iso(), "--instance", instance])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        for (name, value) in extra {
            command.env(name, value);
        }
        command
    };
    // Killed after its first steps are written, while it holds the lease.
    let mut killed = tiendo("server-a", &[("TIENDO_SWEEP_STEP_PAUSE_MS", "400")])
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while app.count("SELECT COUNT(*) FROM task_reminders") == 0 {
        assert!(
            started.elapsed().as_secs() < 60,
            "the sweep writes its first step"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    killed.kill().unwrap();
    killed.wait().unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM job_leases WHERE done_through IS NULL"),
        1,
        "killed before it finished"
    );
    // The other server waits for the lease; the killed one, restarted under its name,
    // takes it back and finishes what was left. Both are started at once.
    let other = tiendo("server-b", &[]).spawn().unwrap();
    let restarted = tiendo("server-a", &[]).spawn().unwrap();
    let other = other.wait_with_output().unwrap();
    let restarted = restarted.wait_with_output().unwrap();
    assert!(
        other.status.success(),
        "{}",
        String::from_utf8_lossy(&other.stderr)
    );
    assert!(
        restarted.status.success(),
        "{}",
        String::from_utf8_lossy(&restarted.stderr)
    );
    assert!(String::from_utf8_lossy(&other.stdout).contains("another server is sweeping"));

    // What the ladder calls for on that day, from the rows: each step once, none lost.
    let ladder = Ladder::default();
    let db = app.db();
    let expected: i64 = {
        use sea_orm::ConnectionTrait;
        let rows = app
            .block_on(db.read.query_all_raw(sea_orm::Statement::from_string(
                db.backend(),
                "SELECT due_on, start_on, \
                 (SELECT COUNT(*) FROM tasks c WHERE c.parent_id = t.id) AS children \
                 FROM tasks t WHERE status IN ('not_started', 'in_progress', 'returned')",
            )))
            .unwrap();
        let from = today.plus_days(-tiendo::server::supervision::ladder::FIRST_CATCH_UP_DAYS);
        rows.iter()
            .map(|row| {
                let due = tiendo::server::work::from_naive(row.try_get("", "due_on").unwrap());
                let start = tiendo::server::work::from_naive(row.try_get("", "start_on").unwrap());
                let children: i64 = row.try_get("", "children").unwrap();
                ladder
                    .due_steps(due, start, today, from)
                    .into_iter()
                    .filter(|step| {
                        children == 0 || *step != tiendo::model::notification::Step::Quiet
                    })
                    .count() as i64
            })
            .sum()
    };
    app.block_on(db.close());
    assert!(
        expected > 500,
        "the data calls for many reminders: {expected}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM task_reminders"), expected);
    assert_eq!(app.count(DUPLICATES), 0);
    // Every reminder to Huế's officer was told once.
    assert_eq!(
        notifications(&app, "hue.canbo", "due_soon") + notifications(&app, "hue.canbo", "overdue"),
        app.count(
            "SELECT COUNT(*) FROM task_reminders r JOIN tasks t ON t.id = r.task_id \
             JOIN units u ON u.id = t.lead_unit_id WHERE u.code = '46' AND r.step IN ('before_7', 'before_3', 'before_1', 'overdue')"
        )
    );
}
