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

/// The notifications of a kind that reach the official, counted from the rows: addressed
/// to them, or to an audience of their unit they belong to (not for their own action,
/// not from before they joined it), within their clearance.
fn notifications(app: &TestApp, username: &str, kind: &str) -> i64 {
    app.count(&format!(
        "{RECEIVED} WHERE u.username = '{username}' AND n.kind = '{kind}'"
    ))
}

const RECEIVED: &str = "SELECT COUNT(*) FROM notifications n JOIN users u \
     ON (n.user_id = u.id OR (n.unit_id = u.unit_id AND n.id > u.notices_after \
       AND (n.except_user_id IS NULL OR n.except_user_id <> u.id) \
       AND ((n.audience = 'staff' AND u.role IN ('leader', 'officer')) \
         OR (n.audience = 'officers' AND u.role = 'officer') \
         OR (n.audience = 'leaders' AND u.role = 'leader')))) \
       AND n.clearance <= u.clearance \
       AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = n.task_id AND t.classification > u.clearance)";

/// The unread count in the header of a page, as a browser without scripts shows it.
fn header_count(page: &str) -> Option<u64> {
    let start = page.find("class=\"badge\"")?;
    let rest = &page[start..];
    let text = &rest[rest.find('>')? + 1..];
    text[..text.find('<')?].trim_end_matches('+').parse().ok()
}

/// A task led by Huế (46), cascaded from the centre's task in an internal document.
fn hue_task(app: &TestApp, classification: &str) -> (i32, i32) {
    static MADE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let centre = signed_in(app, "tw.lanhdao");
    let document = create_document(
        &centre,
        &format!("S{n}-{classification}/TW"),
        classification,
    );
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

    fn a_notification_reaches_those_in_the_unit_when_it_was_sent(app) {
        add_account(&app, "hue.lanhdao", "46", Role::Leader, "internal");
        hue_task(&app, "internal");
        let unread = |who: &str| signed_in(&app, who).call("/api/notifications", "page=1").json()["unread"].as_i64().unwrap();
        assert_eq!(unread("hue.canbo"), 1);
        // An officer who joins Huế afterwards is not told of what came before...
        add_account(&app, "hue.moi", "46", Role::Officer, "internal");
        assert_eq!(unread("hue.moi"), 0);
        // ...but of what comes next, as is every other officer.
        let (_, second) = hue_task(&app, "internal");
        assert_eq!(unread("hue.moi"), 1);
        assert_eq!(unread("hue.canbo"), 2);
        // Moved to Hà Nội as a leader: Huế's notifications stay in Huế.
        let admin = signed_in(&app, "admin");
        let id = app.count("SELECT id FROM users WHERE username = 'hue.moi'");
        let version = admin.call("/api/admin/user", &format!("id={id}")).json()["version"].as_i64().unwrap();
        let moved = admin.call(
            "/api/admin/users/update",
            &format!("id={id}&version={version}&full_name=Moi&email=&unit=01&role=leader&clearance=internal"),
        );
        assert_eq!(moved.status, 200, "{}", moved.body);
        assert_eq!(unread("hue.moi"), 0);
        // The official who acts is not told of their own action: Huế's leader breaks
        // Huế's task down into a subtask for Huế; its officers are told, the leader is not.
        let leader = signed_in(&app, "hue.lanhdao");
        let document = task_json(&leader, second)["document"]["id"].as_i64().unwrap() as i32;
        let sub = create_task(&leader, document, Some(second), "Việc con của Huế", "46", "internal");
        assert!(sub.status < 400, "{}", sub.body);
        assert_eq!(notifications(&app, "hue.canbo", "task_assigned"), 3);
        assert_eq!(notifications(&app, "hue.lanhdao", "task_assigned"), 2, "not of the leader's own");
    }

    fn a_units_own_reminder_days_replace_the_servers(app) {
        add_account(&app, "hue.lanhdao", "46", Role::Leader, "internal");
        let (parent, hue) = hue_task(&app, "internal");
        let centre = signed_in(&app, "tw.lanhdao");
        let cascaded = centre.call("/api/tasks/cascade", &format!("id={parent}&target=units&units=01"));
        assert!(cascaded.status < 400, "{}", cascaded.body);
        let hanoi = child_led_by(&task_json(&centre, parent), "01");
        let due = Day::from_ymd(2027, 3, 31);
        app.execute(&format!("UPDATE tasks SET due_on = '2030-12-31', start_on = '2030-01-01' WHERE id = {parent}"));
        app.execute(&format!(
            "UPDATE tasks SET due_on = '{}', start_on = '{}' WHERE id IN ({hue}, {hanoi})",
            due.iso(),
            due.plus_days(-20).iso()
        ));
        let set = |who: &str, days: &str| {
            signed_in(&app, who).call("/api/notifications/reminder-days", &format!("days={}", encode(days)))
        };
        // Bad input is refused, naming the field, and changes nothing; an officer may not.
        for bad in ["7;3", "0", "400", "6,5,4,3,2,1"] {
            let refused = set("hue.lanhdao", bad);
            assert_eq!(refused.status, 400, "{bad}: {}", refused.body);
            assert!(refused.body.contains("days"), "{bad}: {}", refused.body);
        }
        assert_eq!(set("hue.canbo", "5").status, 403);
        assert_eq!(app.count("SELECT COUNT(*) FROM units WHERE remind_before IS NOT NULL"), 0);
        // Huế's leader chooses 5 and 2 days; the page shows them, the log has it.
        assert!(set("hue.lanhdao", " 2, 5").status < 400);
        assert_eq!(app.text("SELECT remind_before FROM units WHERE code = '46'"), "5,2");
        assert!(signed_in(&app, "hue.lanhdao").get("/notifications").body.contains("value=\"5, 2\""));
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'reminder_days_changed' AND actor_name = 'hue.lanhdao'"), 1);
        // Huế's task is reminded on its unit's days, Hà Nội's on the server's.
        let db = app.db();
        let sweeper = Sweeper::new(Ladder::default(), "test", std::time::Duration::from_secs(600));
        for offset in -9..=0 {
            app.block_on(sweep(&db, &sweeper, noon(due.plus_days(offset)))).unwrap().unwrap();
        }
        app.block_on(db.close());
        let steps = |task: i32| -> Vec<&str> {
            ["before_7", "before_5", "before_3", "before_2", "before_1"]
                .into_iter()
                .filter(|step| {
                    app.count(&format!("SELECT COUNT(*) FROM task_reminders WHERE task_id = {task} AND step = '{step}'")) == 1
                })
                .collect()
        };
        assert_eq!(steps(hue), ["before_5", "before_2"]);
        assert_eq!(steps(hanoi), ["before_7", "before_3", "before_1"]);
        // Emptied: the server's days again.
        assert!(set("hue.lanhdao", "").status < 400);
        assert_eq!(app.count("SELECT COUNT(*) FROM units WHERE remind_before IS NOT NULL"), 0);
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
            assert_eq!(app.count(&format!("{RECEIVED} WHERE u.username = '{other}'")), 0, "{other}");
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

/// Notifications written twice for one audience, task and step (there must be none).
const DUPLICATES: &str = "SELECT COUNT(*) FROM (SELECT unit_id, audience, task_id, step \
     FROM notifications WHERE step IS NOT NULL \
     GROUP BY unit_id, audience, task_id, step HAVING COUNT(*) > 1) d";

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
    // Sweeps as of another day never hold the servers' own lease.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM job_leases WHERE name = 'reminders'"),
        0
    );

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

/// A mail server for one test: answers SMTP on a port of its own and keeps what it is sent.
struct SmtpSink {
    addr: std::net::SocketAddr,
    received: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl SmtpSink {
    fn start() -> SmtpSink {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let store = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let store = store.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut say = |text: &str| stream.write_all(text.as_bytes()).is_ok();
                    say("220 sink.test ESMTP\r\n");
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let command = line.trim_end().to_ascii_uppercase();
                        if command.starts_with("EHLO") {
                            say("250-sink.test\r\n250 8BITMIME\r\n");
                        } else if command == "DATA" {
                            say("354 end with .\r\n");
                            let mut message = String::new();
                            loop {
                                line.clear();
                                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                                    return;
                                }
                                if line == ".\r\n" {
                                    break;
                                }
                                message.push_str(&line);
                            }
                            store.lock().unwrap().push(message);
                            say("250 queued\r\n");
                        } else if command == "QUIT" {
                            say("221 bye\r\n");
                            return;
                        } else {
                            say("250 ok\r\n");
                        }
                    }
                });
            }
        });
        SmtpSink { addr, received }
    }

    fn messages(&self) -> Vec<Mail> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|m| Mail::parse(m))
            .collect()
    }
}

/// A received message: its recipient, and its subject and body decoded.
struct Mail {
    to: String,
    subject: String,
    body: String,
}

impl Mail {
    fn parse(raw: &str) -> Mail {
        use base64::Engine;
        let decode = |text: &str| {
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .unwrap(),
            )
            .unwrap()
        };
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        // Headers unfolded: a line starting with a space continues the one before.
        let head = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        let header = |name: &str| {
            head.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                .unwrap_or_default()
                .to_owned()
        };
        // RFC 2047: the space between two encoded words is not part of the text.
        let mut subject = String::new();
        let mut after_encoded = false;
        for word in header("Subject").split_whitespace() {
            let encoded =
                word.to_ascii_lowercase().starts_with("=?utf-8?b?") && word.ends_with("?=");
            if !(subject.is_empty() || encoded && after_encoded) {
                subject.push(' ');
            }
            subject.push_str(&if encoded {
                decode(&word[10..word.len() - 2])
            } else {
                word.to_owned()
            });
            after_encoded = encoded;
        }
        let body: String = body.lines().collect();
        Mail {
            to: header("To"),
            subject,
            body: decode(body.trim()),
        }
    }
}

on_both_backends! {
    fn the_daily_digest_reaches_each_official_in_their_language(app) {
        use tiendo::server::supervision::mail::{Mailer, compose, send_due};
        add_account(&app, "hue.lanhdao", "46", Role::Leader, "confidential");
        app.execute("UPDATE users SET email = 'thao.ngo@hue.example.vn' WHERE username = 'hue.canbo'");
        app.execute("UPDATE users SET email = 'lanh.dao@hue.example.vn' WHERE username = 'hue.lanhdao'");
        // The leader reads in English: the language they chose last.
        let leader = signed_in(&app, "hue.lanhdao");
        assert!(leader.post_form("/api/locale", "locale=en&next=/").status < 400);
        // The officer wants everything but feedback by email.
        let officer = signed_in(&app, "hue.canbo");
        let kinds = ["task_assigned", "report_awaiting", "report_accepted", "report_returned", "due_soon", "overdue", "overdue_daily", "escalated"];
        let ticked = kinds.map(|k| format!("{k}=on")).join("&");
        assert!(officer.call("/api/account/mail", &ticked).status < 400);
        assert!(officer.get("/account").body.contains("id=\"mail-feedback_assigned\""));

        let (_, open) = hue_task(&app, "internal");
        let (_, secret) = hue_task(&app, "confidential");
        let posted = app.open311_post("service_code=other&description=G%C3%B3p%20%C3%BD");
        let code = posted.json()[0]["service_request_id"].as_str().unwrap().to_owned();
        let centre = signed_in(&app, "tw.lanhdao");
        assert!(centre.call("/api/feedback/act", &format!("code={code}&version=0&action=assign&unit=46")).status < 400);

        let sink = SmtpSink::start();
        let mailer = Mailer::new(&format!("smtp://{}", sink.addr), "Tiến Độ <noreply@tiendo.test>", Some("https://tiendo.test/"), 7, "test").unwrap();
        let db = app.db();
        let morning = noon(Day::from_ymd(2027, 4, 5));
        assert_eq!(app.block_on(compose(&db, &mailer, morning)).unwrap(), Some(2));
        assert_eq!(app.block_on(send_due(&db, &mailer, morning)).unwrap(), Some((2, 0)));
        let mails = sink.messages();
        assert_eq!(mails.len(), 2);
        let to_officer = mails.iter().find(|m| m.to.contains("thao.ngo@hue.example.vn")).unwrap();
        assert!(to_officer.subject.contains("thông báo mới ngày 05/04/2027"), "{}", to_officer.subject);
        assert!(to_officer.body.contains("Nhiệm vụ mới giao cho đơn vị"), "{}", to_officer.body);
        assert!(to_officer.body.contains("Đôn đốc chuyển đổi số"));
        assert!(to_officer.body.contains(&format!("https://tiendo.test/tasks/{open}")));
        assert!(!to_officer.body.contains(&code), "feedback was opted out: {}", to_officer.body);
        assert!(!to_officer.body.contains(&format!("/tasks/{secret}")), "above the officer's clearance");
        let to_leader = mails.iter().find(|m| m.to.contains("lanh.dao@hue.example.vn")).unwrap();
        assert!(to_leader.subject.contains("new notifications on 05/04/2027"), "{}", to_leader.subject);
        assert!(to_leader.body.contains("A new task was assigned to your unit"), "{}", to_leader.body);
        assert!(to_leader.body.contains(&code), "feedback, in the leader's digest");
        // The confidential task is named by its link only, never by its title.
        assert!(to_leader.body.contains(&format!("/tasks/{secret}")));
        assert!(to_leader.body.contains("A classified task"));
        assert_eq!(to_leader.body.matches("Đôn đốc chuyển đổi số").count(), 1, "only the internal task's title");

        // Once a day: a second run that day mails nothing.
        assert_eq!(app.block_on(compose(&db, &mailer, morning + chrono::Duration::hours(3))).unwrap(), None);
        assert_eq!(app.block_on(send_due(&db, &mailer, morning + chrono::Duration::hours(3))).unwrap(), Some((0, 0)));

        // The next day the mail server is away: the digest waits, with back-off, and goes
        // out once it is back; requests never waited for it.
        hue_task(&app, "internal");
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let away = Mailer::new(&format!("smtp://{closed}"), "Tiến Độ <noreply@tiendo.test>", None, 7, "test").unwrap();
        let next = morning + chrono::Duration::days(1);
        assert_eq!(app.block_on(compose(&db, &away, next)).unwrap(), Some(2));
        assert_eq!(app.block_on(send_due(&db, &away, next)).unwrap(), Some((0, 2)));
        assert_eq!(app.count("SELECT COUNT(*) FROM mail_digests WHERE sent_at IS NULL AND attempts = 1 AND last_error IS NOT NULL"), 2);
        assert_eq!(app.block_on(send_due(&db, &mailer, next + chrono::Duration::seconds(30))).unwrap(), Some((0, 0)), "not yet due again");
        assert_eq!(app.block_on(send_due(&db, &mailer, next + chrono::Duration::minutes(2))).unwrap(), Some((2, 0)));
        assert_eq!(sink.messages().len(), 4);
        assert_eq!(app.count("SELECT COUNT(*) FROM mail_digests WHERE sent_at IS NULL"), 0);
        app.block_on(db.close());
    }
}

/// A malformed mail setting stops the server at start, saying what is wrong.
#[test]
fn a_malformed_smtp_setting_fails_at_start() {
    for (flag, value, says) in [
        (
            "--smtp-url",
            "mail.example.vn:25",
            "the SMTP URL is not valid",
        ),
        ("--mail-from", "not an address", "the sender address"),
        ("--digest-hour", "25", "the digest hour must be 0 to 23"),
        ("--remind-before", "7,x", "`x` is not a number of days"),
    ] {
        let folder = crate::common::TempDir::new();
        let mut args = vec!["serve", "--listen", "127.0.0.1:0", flag, value];
        if flag != "--smtp-url" {
            args.extend(["--smtp-url", "smtp://127.0.0.1:2525"]);
        }
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .env(
                "TIENDO_DATABASE_URL",
                format!("sqlite://{}/t.db", folder.path().display()),
            )
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{flag} {value}");
        assert!(stderr.contains(says), "{flag} {value}: {stderr}");
    }
}

/// Notifications written one per official (before migration 13) stay each official's,
/// read or unread as they were, and new ones follow their ids.
#[test]
fn notifications_kept_one_per_official_stay_theirs() {
    use migration::MigratorTrait;
    use sea_orm::ConnectionTrait;
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(database) = TestDatabase::create(backend) else {
            continue;
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let url = match backend {
                Backend::Sqlite => format!("{}?mode=rwc", database.url),
                Backend::Postgres => database.url.clone(),
            };
            let db = sea_orm::Database::connect(&url).await.unwrap();
            migration::Migrator::up(&db, Some(12)).await.unwrap();
            let count = |sql: &'static str| {
                let db = &db;
                async move {
                    let row = db
                        .query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql))
                        .await
                        .unwrap()
                        .unwrap();
                    row.try_get_by_index::<i64>(0).unwrap()
                }
            };
            for sql in [
                "INSERT INTO units (id, code, name, level, path, search_key, created_at) VALUES \
                 (1, '46', 'Huế', 'province', '/46/', 'hue', CURRENT_TIMESTAMP), \
                 (2, '01', 'Hà Nội', 'province', '/01/', 'ha noi', CURRENT_TIMESTAMP)",
                "INSERT INTO users (id, username, full_name, password_hash, unit_id, role, clearance, \
                 password_changed_at, created_at) VALUES \
                 (1, 'a', 'A', 'x', 1, 'officer', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
                 (2, 'b', 'B', 'x', 1, 'leader', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
                 (3, 'c', 'C', 'x', 2, 'leader', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                // One feedback item assigned to Huế, told to both its officials; the
                // officer read it. One escalation told to Hà Nội's leader.
                "INSERT INTO notifications (user_id, kind, feedback_id, created_at, read_at) VALUES \
                 (1, 'feedback_assigned', 7, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
                 (2, 'feedback_assigned', 7, CURRENT_TIMESTAMP, NULL), \
                 (3, 'escalated', NULL, CURRENT_TIMESTAMP, NULL)",
            ] {
                db.execute_unprepared(sql).await.unwrap();
            }
            migration::Migrator::up(&db, None).await.unwrap();
            // Each stays its official's, under its id; the officer's read stays read.
            assert_eq!(count("SELECT COUNT(*) FROM notifications").await, 3, "{backend:?}");
            assert_eq!(
                count("SELECT COUNT(*) FROM notifications WHERE user_id = id AND unit_id IS NULL").await,
                3
            );
            assert_eq!(
                count("SELECT COUNT(*) FROM notification_reads WHERE user_id = 1 AND notification_id = 1").await,
                1
            );
            assert_eq!(count("SELECT COUNT(*) FROM notification_reads").await, 1);
            // New rows get ids after the moved ones.
            db.execute_unprepared(
                "INSERT INTO notifications (kind, unit_id, audience, created_at) \
                 VALUES ('task_assigned', 1, 'staff', CURRENT_TIMESTAMP)",
            )
            .await
            .unwrap();
            assert_eq!(count("SELECT MAX(id) FROM notifications").await, 4);
            db.close().await.unwrap();
        });
    }
}
