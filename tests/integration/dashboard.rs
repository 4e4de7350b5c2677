//! Dashboards: every figure equals a count made here from the raw task rows, under the
//! access rule; the clock moves overdue counts; pages drill down and draw their charts
//! without JavaScript.

use crate::common::{Browser, TestApp, encode};
use crate::on_both_backends;
use crate::work::{create_document, create_task, redirected_id, signed_in, task_json};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use tiendo::server::national::{self, Shape};

/// A small country: 14 central tasks over the seven resolutions, cascaded to the 34
/// provinces, two of them on to every commune; two officials per unit.
const SMALL: Shape = Shape {
    central_tasks: 14,
    commune_share: 7,
    users: [2, 2, 2, 2],
};

fn seed_small(app: &TestApp) {
    let db = app.db();
    let report = app
        .block_on(national::seed(&db, SMALL, &mut |_| {}))
        .expect("the small national data set seeds");
    assert_eq!(report.documents, 7);
    assert_eq!(report.tasks, SMALL.task_count(3321));
    app.block_on(db.close());
}

/// One task as stored.
#[derive(Clone, Debug)]
struct Raw {
    id: i32,
    lead_path: String,
    document_id: i32,
    classification: i16,
    status: String,
    progress: i64,
    due_on: NaiveDate,
    completed_on: Option<NaiveDate>,
    original_due_on: Option<NaiveDate>,
    is_key: bool,
    last_report_on: Option<NaiveDate>,
}

/// What was sent, as stored: by the sending unit's path, for a document, under a
/// classification, on a day (in Vietnam). Progress reports and indicator values alike.
#[derive(Clone, Debug)]
struct Sent {
    path: String,
    document_id: i32,
    classification: i16,
    on: NaiveDate,
}

/// Indicators as stored, and whether each stands in its document's current period.
#[derive(Clone, Debug)]
struct Carried {
    path: String,
    document_id: i32,
    classification: i16,
    current: bool,
}

/// Freshness inputs counted from raw rows: what was sent and the indicators.
fn raw_freshness(app: &TestApp) -> (Vec<Sent>, Vec<Carried>, HashMap<i32, NaiveDate>) {
    let db = app.db();
    let rows = |sql: &str| {
        app.block_on(
            db.read
                .query_all_raw(sea_orm::Statement::from_string(db.backend(), sql)),
        )
        .unwrap()
    };
    let vietnam = |at: chrono::DateTime<Utc>| (at + chrono::Duration::hours(7)).date_naive();
    // Progress reports (not the completion requests subtasks raise) and indicator values.
    let sent: Vec<Sent> = [
        "SELECT u.path, t.document_id, t.classification, r.created_at AS at FROM reports r \
         JOIN tasks t ON t.id = r.task_id JOIN units u ON u.id = r.unit_id \
         WHERE r.kind = 'progress'",
        "SELECT i.unit_path AS path, i.document_id, i.classification, v.submitted_at AS at \
         FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id",
    ]
    .into_iter()
    .flat_map(&rows)
    .map(|r| Sent {
        path: r.try_get("", "path").unwrap(),
        document_id: r.try_get("", "document_id").unwrap(),
        classification: r.try_get("", "classification").unwrap(),
        on: vietnam(r.try_get("", "at").unwrap()),
    })
    .collect();
    // The period under way in a document's reporting cycle.
    let current = |r: &sea_orm::QueryResult| {
        let cycle: String = r.try_get("", "reporting_cycle").unwrap();
        let cycle = tiendo::model::period::Cycle::parse(&cycle).unwrap();
        let today = tiendo::model::time::Day::parse(&today().to_string()).unwrap();
        tiendo::model::period::Period::containing(cycle, today)
    };
    let starts: HashMap<i32, NaiveDate> = rows("SELECT id, reporting_cycle FROM documents")
        .iter()
        .map(|r| {
            let start = current(r).first_day().iso();
            (
                r.try_get("", "id").unwrap(),
                NaiveDate::parse_from_str(&start, "%Y-%m-%d").unwrap(),
            )
        })
        .collect();
    let standing: std::collections::HashSet<(i32, String)> =
        rows("SELECT indicator_id, period FROM indicator_standings")
            .iter()
            .map(|r| {
                (
                    r.try_get("", "indicator_id").unwrap(),
                    r.try_get("", "period").unwrap(),
                )
            })
            .collect();
    let carried = rows("SELECT i.id, i.unit_path, i.document_id, i.classification, d.reporting_cycle FROM indicators i JOIN documents d ON d.id = i.document_id")
        .iter()
        .map(|r| {
            let code = current(r).code();
            Carried {
                path: r.try_get("", "unit_path").unwrap(),
                document_id: r.try_get("", "document_id").unwrap(),
                classification: r.try_get("", "classification").unwrap(),
                current: standing.contains(&(r.try_get("", "id").unwrap(), code)),
            }
        })
        .collect();
    app.block_on(db.close());
    (sent, carried, starts)
}

fn raw_tasks(app: &TestApp) -> Vec<Raw> {
    let db = app.db();
    let rows = app
        .block_on(db.read.query_all_raw(sea_orm::Statement::from_string(
            db.backend(),
            "SELECT id, lead_path, document_id, classification, status, progress, due_on, \
             completed_on, original_due_on, is_key, last_report_on FROM tasks",
        )))
        .unwrap();
    let tasks = rows
        .iter()
        .map(|r| Raw {
            id: r.try_get("", "id").unwrap(),
            lead_path: r.try_get("", "lead_path").unwrap(),
            document_id: r.try_get("", "document_id").unwrap(),
            classification: r.try_get("", "classification").unwrap(),
            status: r.try_get("", "status").unwrap(),
            progress: i64::from(r.try_get::<i16>("", "progress").unwrap()),
            due_on: r.try_get("", "due_on").unwrap(),
            completed_on: r.try_get("", "completed_on").unwrap(),
            original_due_on: r.try_get("", "original_due_on").unwrap(),
            is_key: r.try_get("", "is_key").unwrap(),
            last_report_on: r.try_get("", "last_report_on").unwrap(),
        })
        .collect();
    app.block_on(db.close());
    tasks
}

/// Every unit's materialised path, by code.
fn unit_paths(app: &TestApp) -> HashMap<String, String> {
    let db = app.db();
    let rows = app
        .block_on(db.read.query_all_raw(sea_orm::Statement::from_string(
            db.backend(),
            "SELECT code, path FROM units",
        )))
        .unwrap();
    app.block_on(db.close());
    rows.iter()
        .map(|r| {
            (
                r.try_get("", "code").unwrap(),
                r.try_get("", "path").unwrap(),
            )
        })
        .collect()
}

/// The day it is in Vietnam (UTC+7), as the server counts.
fn today() -> NaiveDate {
    (Utc::now() + chrono::Duration::hours(7)).date_naive()
}

fn is_open(status: &str) -> bool {
    matches!(status, "not_started" | "in_progress" | "returned")
}

fn is_closed(status: &str) -> bool {
    matches!(status, "done" | "done_late")
}

/// The figures a dashboard shows for a set of tasks.
const FIGURES: [&str; 8] = [
    "tasks",
    "done",
    "done_late",
    "in_progress",
    "not_started",
    "overdue",
    "progress_sum",
    "extended",
];

/// The figures, counted here from raw rows.
fn recount<'a>(tasks: impl Iterator<Item = &'a Raw>) -> BTreeMap<&'static str, i64> {
    let today = today();
    let mut f: BTreeMap<&'static str, i64> = FIGURES.into_iter().map(|k| (k, 0)).collect();
    for t in tasks {
        if t.status == "cancelled" {
            continue;
        }
        *f.get_mut("tasks").unwrap() += 1;
        *f.get_mut("progress_sum").unwrap() += t.progress;
        let key = match t.status.as_str() {
            "done" => "done",
            "done_late" => "done_late",
            "not_started" => "not_started",
            _ => "in_progress",
        };
        *f.get_mut(key).unwrap() += 1;
        if is_open(&t.status) && t.due_on < today {
            *f.get_mut("overdue").unwrap() += 1;
        }
        // Extended: moved later than the date it was assigned with (a date moved
        // earlier is not).
        if t.original_due_on
            .is_some_and(|original| t.due_on > original)
        {
            *f.get_mut("extended").unwrap() += 1;
        }
    }
    f
}

fn figures_of(json: &Value) -> BTreeMap<&'static str, i64> {
    FIGURES
        .into_iter()
        .map(|k| (k, json[k].as_i64().unwrap_or(-1)))
        .collect()
}

/// What a viewer's dashboard counts: tasks led in the scope's subtree, within clearance,
/// narrowed as the filter says.
struct Expectation<'a> {
    paths: &'a HashMap<String, String>,
    scope_path: String,
    clearance: i16,
    document: Option<i32>,
    classification: Option<i16>,
    period: Option<(NaiveDate, NaiveDate)>,
    tasks: &'a [Raw],
    sent: &'a [Sent],
    carried: &'a [Carried],
    /// Each document's current period's first day.
    starts: &'a HashMap<i32, NaiveDate>,
}

impl<'a> Expectation<'a> {
    fn counted(&self, t: &Raw, with_period: bool) -> bool {
        t.lead_path.starts_with(&self.scope_path)
            && t.classification <= self.clearance
            && self.document.is_none_or(|d| d == t.document_id)
            && self.classification.is_none_or(|c| c == t.classification)
            && (!with_period
                || self
                    .period
                    .is_none_or(|(from, to)| t.due_on >= from && t.due_on <= to))
    }

    fn tasks(&self) -> impl Iterator<Item = &'a Raw> + '_ {
        self.tasks.iter().filter(|t| self.counted(t, true))
    }

    /// Checks every figure of a dashboard answer.
    fn check(&self, dashboard: &Value, what: &str) {
        assert_eq!(
            figures_of(&dashboard["figures"]),
            recount(self.tasks()),
            "{what}: headline"
        );
        assert_eq!(
            figures_of(&dashboard["key"]),
            recount(self.tasks().filter(|t| t.is_key)),
            "{what}: key tasks"
        );
        for row in dashboard["documents"].as_array().unwrap() {
            let id = row["document"]["id"].as_i64().unwrap() as i32;
            assert_eq!(
                figures_of(&row["figures"]),
                recount(self.tasks().filter(|t| t.document_id == id)),
                "{what}: document {id}"
            );
        }
        let with_tasks: i64 = dashboard["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["figures"]["tasks"].as_i64().unwrap())
            .sum();
        assert_eq!(
            with_tasks,
            recount(self.tasks())["tasks"],
            "{what}: documents add up"
        );
        for row in dashboard["children"].as_array().unwrap() {
            let code = row["unit"]["code"].as_str().unwrap();
            let child = &self.paths[code];
            let counted = recount(self.tasks().filter(|t| t.lead_path.starts_with(child)));
            assert_eq!(figures_of(&row["figures"]), counted, "{what}: unit {code}");
        }
        self.check_trend(dashboard, what);
        self.check_deadlines(dashboard, what);
        self.check_freshness(dashboard, what);
    }

    fn narrowed(&self, document_id: i32, classification: i16) -> bool {
        classification <= self.clearance
            && self.document.is_none_or(|d| d == document_id)
            && self.classification.is_none_or(|c| c == classification)
    }

    /// The freshness of the scope and of each child, recounted: it ignores the period of
    /// due dates, and follows the rest of the filter.
    fn check_freshness(&self, dashboard: &Value, what: &str) {
        let today = today();
        let expected = |root: &str| -> Value {
            let open: Vec<&Raw> = self
                .tasks
                .iter()
                .filter(|t| {
                    self.counted(t, false) && t.lead_path.starts_with(root) && is_open(&t.status)
                })
                .collect();
            let updated = |t: &Raw| {
                t.last_report_on
                    .is_some_and(|on| on >= self.starts[&t.document_id])
            };
            let carried: Vec<&Carried> = self
                .carried
                .iter()
                .filter(|c| {
                    c.path.starts_with(root) && self.narrowed(c.document_id, c.classification)
                })
                .collect();
            let last = self
                .sent
                .iter()
                .filter(|s| {
                    s.path.starts_with(root) && self.narrowed(s.document_id, s.classification)
                })
                .map(|s| s.on)
                .max();
            // Units below the dashboard's own with open tasks or indicators of their own
            // that sent no report or value this period.
            let sent_now: std::collections::HashSet<&str> = self
                .sent
                .iter()
                .filter(|s| {
                    self.narrowed(s.document_id, s.classification)
                        && s.on >= self.starts[&s.document_id]
                })
                .map(|s| s.path.as_str())
                .collect();
            let silent = open
                .iter()
                .map(|t| t.lead_path.as_str())
                .chain(carried.iter().map(|c| c.path.as_str()))
                .filter(|path| *path != self.scope_path && !sent_now.contains(path))
                .collect::<std::collections::HashSet<_>>()
                .len();
            serde_json::json!({
                "last_update": last.map(|d| d.to_string()),
                "days_quiet": last.map(|d| (today - d).num_days()),
                "open_tasks": open.len(),
                "tasks_updated": open.iter().filter(|t| updated(t)).count(),
                "indicators": carried.len(),
                "indicators_updated": carried.iter().filter(|c| c.current).count(),
                "units_silent": silent,
            })
        };
        assert_eq!(
            dashboard["freshness"],
            expected(&self.scope_path),
            "{what}: freshness"
        );
        for row in dashboard["children"].as_array().unwrap() {
            let code = row["unit"]["code"].as_str().unwrap();
            assert_eq!(
                row["freshness"],
                expected(&self.paths[code]),
                "{what}: freshness of {code}"
            );
        }
    }

    /// The ten open tasks due soonest from today, and the ten overdue the longest.
    fn check_deadlines(&self, dashboard: &Value, what: &str) {
        let today = today();
        let mut open: Vec<&Raw> = self.tasks().filter(|t| is_open(&t.status)).collect();
        open.sort_by_key(|t| (t.due_on, t.id));
        let ids = |list: &str| -> Vec<i64> {
            dashboard[list]
                .as_array()
                .unwrap()
                .iter()
                .map(|row| row["id"].as_i64().unwrap())
                .collect()
        };
        let expected = |due: &dyn Fn(&Raw) -> bool| -> Vec<i64> {
            open.iter()
                .filter(|t| due(t))
                .take(10)
                .map(|t| i64::from(t.id))
                .collect()
        };
        assert_eq!(
            ids("nearest"),
            expected(&|t| t.due_on >= today),
            "{what}: nearest deadlines"
        );
        assert_eq!(
            ids("most_overdue"),
            expected(&|t| t.due_on < today),
            "{what}: most overdue"
        );
    }

    fn check_trend(&self, dashboard: &Value, what: &str) {
        let today = today();
        let weeks = dashboard["trend"].as_array().unwrap();
        assert!(!weeks.is_empty(), "{what}: a trend");
        let all: Vec<&Raw> = self
            .tasks
            .iter()
            .filter(|t| self.counted(t, false) && t.status != "cancelled")
            .collect();
        for (i, week) in weeks.iter().enumerate() {
            let start = NaiveDate::parse_from_str(week["week_start"].as_str().unwrap(), "%Y-%m-%d")
                .unwrap();
            assert_eq!(
                start.weekday(),
                chrono::Weekday::Mon,
                "{what}: weeks start on Monday"
            );
            let end = start + chrono::Duration::days(7);
            let completed = all
                .iter()
                .filter(|t| {
                    is_closed(&t.status) && t.completed_on.is_some_and(|c| c >= start && c < end)
                })
                .count() as i64;
            assert_eq!(
                week["completed"].as_i64().unwrap(),
                completed,
                "{what}: completed in the week of {start}"
            );
            let overdue = if i + 1 == weeks.len() && today < end {
                all.iter()
                    .filter(|t| is_open(&t.status) && t.due_on < today)
                    .count() as i64
            } else {
                all.iter()
                    .filter(|t| {
                        t.due_on < end
                            && !(is_closed(&t.status) && t.completed_on.is_some_and(|c| c < end))
                    })
                    .count() as i64
            };
            assert_eq!(
                week["overdue"].as_i64().unwrap(),
                overdue,
                "{what}: overdue at the end of the week of {start}"
            );
        }
    }
}

fn dashboard(browser: &Browser, code: &str, filter: &str) -> (u16, Value) {
    let page = browser.call("/api/dashboard", &format!("code={}{filter}", encode(code)));
    let json = if page.status == 200 {
        page.json()
    } else {
        Value::Null
    };
    (page.status, json)
}

/// Work done through the application after the bulk load, so that the triggers move
/// the tallies: a resolution of the centre, cascaded, reported on, returned, accepted.
fn work_through_the_app(app: &TestApp) {
    let centre = signed_in(app, "tw.lanhdao");
    let document = create_document(&centre, "99-NQ/TW-DB", "internal");
    let task = redirected_id(
        &create_task(&centre, document, None, "Số hóa hồ sơ", "TW", "internal"),
        "/tasks/",
    );
    let cascaded = centre.call(
        "/api/tasks/cascade",
        &format!("id={task}&target=units&units=01,46"),
    );
    assert!(cascaded.status < 400, "{}", cascaded.body);
    let hanoi_task = task_json(&centre, task)["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["lead"]["code"] == "01")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let province = signed_in(app, "hanoi.lanhdao");
    let to_wards = province.call(
        "/api/tasks/cascade",
        &format!("id={hanoi_task}&target=units&units=00004,00008"),
    );
    assert!(to_wards.status < 400, "{}", to_wards.body);
    let ward_task = task_json(&province, hanoi_task as i32)["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["lead"]["code"] == "00004")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let ward = signed_in(app, "badinh.canbo");
    let leader = signed_in(app, "hanoi.lanhdao");
    // The ward asks for more time and Hà Nội grants it: an extended task.
    let later = today() + chrono::Duration::days(400);
    let asked = ward.call(
        "/api/tasks/extension/ask",
        &format!(
            "task_id={ward_task}&to_on={later}&reason={}",
            encode("Chờ kinh phí")
        ),
    );
    assert!(asked.status < 400, "{}", asked.body);
    let change = task_json(&leader, ward_task as i32)["due_changes"][0]["id"]
        .as_i64()
        .unwrap();
    let granted = leader.call(
        "/api/tasks/extension/decide",
        &format!("change_id={change}&decision=grant&answer="),
    );
    assert!(granted.status < 400, "{}", granted.body);
    for (key, progress, claims, verdict) in [
        ("dash-report-1", "40", false, "return&reason=Thi%E1%BA%BFu"),
        ("dash-report-2", "100", true, "accept&reason="),
    ] {
        let mut fields = vec![
            ("task_id", ward_task.to_string()),
            ("progress", progress.to_owned()),
            ("text", "Báo cáo".to_owned()),
            ("submission_key", key.to_owned()),
        ];
        if claims {
            fields.push(("claims_completion", "on".to_owned()));
        }
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let sent = ward.post_multipart("/api/reports/submit", &fields, &[]);
        assert!(sent.status < 400, "{}", sent.body);
        let report = task_json(&leader, ward_task as i32)["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["status"] == "pending")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let evaluated = leader.call(
            "/api/reports/evaluate",
            &format!("report_id={report}&verdict={verdict}"),
        );
        assert!(evaluated.status < 400, "{}", evaluated.body);
    }
    // An edit that moves a due date into the past and raises the classification.
    let detail = task_json(&province, hanoi_task as i32);
    let version = detail["version"].as_i64().unwrap();
    let edited = centre.call(
        "/api/tasks/update",
        &format!(
            "id={hanoi_task}&version={version}&title={}&description=&expected_result=&coordinators=&start_on=2025-01-01&due_on=2025-06-30&priority=high&weight=2&classification=confidential&due_reason={}",
            encode("Số hóa hồ sơ của Hà Nội"),
            encode("Theo kết luận của Ban Thường vụ")
        ),
    );
    assert!(edited.status < 400, "{}", edited.body);
    // The ward's reports freshen the tasks above its own, which are reported on through it.
    for id in [task, hanoi_task as i32] {
        assert_eq!(
            app.text(&format!(
                "SELECT CAST(last_report_on AS TEXT) FROM tasks WHERE id = {id}"
            )),
            today().to_string(),
            "task {id}"
        );
    }
}

fn assert_tallies_consistent(app: &TestApp) {
    let db = app.db();
    assert!(
        app.block_on(tiendo::server::tallies::consistent(&db))
            .unwrap(),
        "the tallies equal a recount of the tasks"
    );
    assert!(
        app.block_on(tiendo::server::dashboard::freshness::consistent(&db))
            .unwrap(),
        "the days last reported on and each unit's last activity equal a recount"
    );
    app.block_on(db.close());
}

on_both_backends! {
    fn every_figure_equals_a_count_of_the_raw_rows(app) {
        seed_small(&app);
        work_through_the_app(&app);
        assert_tallies_consistent(&app);
        let tasks = raw_tasks(&app);
        let (sent, carried, starts) = raw_freshness(&app);
        let document = {
            let db = app.db();
            let row = app
                .block_on(db.read.query_one_raw(sea_orm::Statement::from_string(
                    db.backend(),
                    "SELECT id FROM documents WHERE code = '57-NQ/TW'",
                )))
                .unwrap()
                .unwrap();
            app.block_on(db.close());
            row.try_get::<i32>("", "id").unwrap()
        };
        assert!(tasks.iter().any(|t| t.classification == 3), "a secret task to hide");

        let centre = signed_in(&app, "tw.lanhdao");
        let province = signed_in(&app, "hanoi.lanhdao");
        let ward = signed_in(&app, "badinh.canbo");
        let internal_at_centre = signed_in(&app, "nat.tw.2");
        let a_year_ago = today() - chrono::Duration::days(365);
        let period = format!("&filter[from]={a_year_ago}&filter[to]={}", today());
        let paths = unit_paths(&app);
        // (what, viewer, their clearance, unit code, filter as sent, and as expected)
        let cases = [
            ("central leader, the country", &centre, 3, "TW", String::new(), None, None, false),
            ("central leader, a province", &centre, 3, "01", String::new(), None, None, false),
            ("central leader, a ward", &centre, 3, "00004", String::new(), None, None, false),
            ("central officer cleared for internal", &internal_at_centre, 1, "TW", String::new(), None, None, false),
            ("province leader, own province", &province, 2, "01", String::new(), None, None, false),
            ("province leader, own unit by default", &province, 2, "", String::new(), None, None, false),
            ("ward officer", &ward, 1, "00004", String::new(), None, None, false),
            ("one document", &centre, 3, "TW", format!("&filter[document]={document}"), Some(document), None, false),
            ("one classification", &centre, 3, "01", "&filter[classification]=internal".into(), None, Some(1), false),
            ("a period", &centre, 3, "TW", period.clone(), None, None, true),
            ("a period in a province", &province, 2, "01", format!("{period}&filter[document]={document}"), Some(document), None, true),
        ];
        for (what, browser, clearance, code, filter, document, classification, with_period) in cases {
            let (status, json) = dashboard(browser, code, &filter);
            assert_eq!(status, 200, "{what}: {json}");
            let scope = if code.is_empty() { "01" } else { code };
            Expectation {
                paths: &paths,
                scope_path: paths[scope].clone(),
                clearance,
                document,
                classification,
                period: with_period.then_some((a_year_ago, today())),
                tasks: &tasks,
                sent: &sent,
                carried: &carried,
                starts: &starts,
            }
            .check(&json, what);
        }

        // The children of the country are the provinces, then the central bodies; each
        // row drills down.
        let (_, national) = dashboard(&centre, "TW", "");
        let children = national["children"].as_array().unwrap();
        assert_eq!(children.len(), 34 + 13);
        assert_eq!(children[0]["unit"]["level"], "province");
        assert_eq!(children[46]["unit"]["level"], "agency");
        assert!(national["figures"]["tasks"].as_i64().unwrap() > 7000);
        // The data set is alive: completions and overdue tasks in the trend, tasks in
        // every state.
        let trend = national["trend"].as_array().unwrap();
        assert_eq!(trend.len(), 26);
        assert!(trend.iter().map(|w| w["completed"].as_i64().unwrap()).sum::<i64>() > 0);
        assert!(trend.iter().all(|w| w["overdue"].as_i64().unwrap() > 0));
        for figure in ["done", "done_late", "in_progress", "not_started", "overdue"] {
            assert!(national["figures"][figure].as_i64().unwrap() > 0, "{figure}");
        }
        // Twenty indicators per resolution, the centre's and each province's: every
        // status among them, and each province's own twenty for each resolution below.
        let statuses = ["on_track", "at_risk", "off_track", "no_data"];
        let counted = |counts: &Value| -> i64 {
            statuses.iter().map(|s| counts[s].as_i64().unwrap()).sum()
        };
        assert_eq!(counted(&national["indicators"]), 7 * 20 * 35);
        assert!(
            app.block_on(tiendo::server::indicators::standing::consistent(&app.db()))
                .unwrap(),
            "the seed's standings equal a recount"
        );
        for status in statuses {
            assert!(national["indicators"][status].as_i64().unwrap() > 0, "{status}: {}", national["indicators"]);
        }
        assert_eq!(counted(&children[0]["indicators"]), 7 * 20);
        // Freshness is alive too: some open work updated this period, some not.
        let fresh = &national["freshness"];
        for figure in ["tasks_updated", "indicators_updated"] {
            assert!(fresh[figure].as_u64().unwrap() > 0, "{figure}: {fresh}");
        }
        assert!(fresh["tasks_updated"].as_u64() < fresh["open_tasks"].as_u64(), "{fresh}");
        assert!(fresh["days_quiet"].as_u64().is_some(), "{fresh}");
        // Sorted by days without update, the quietest first; filtered to the quiet ones.
        let (_, quiet) = dashboard(&centre, "TW", "&filter[sort]=quiet&filter[descending]=true");
        let days: Vec<u64> = quiet["children"].as_array().unwrap().iter()
            .map(|c| c["freshness"]["days_quiet"].as_u64().unwrap_or(u64::MAX)).collect();
        assert!(days.windows(2).all(|w| w[0] >= w[1]), "{days:?}");
        let (_, filtered) = dashboard(&centre, "TW", "&filter[quiet]=30");
        let kept: Vec<&Value> = filtered["children"].as_array().unwrap().iter().collect();
        assert!(kept.iter().all(|c| c["freshness"]["days_quiet"].as_u64().is_none_or(|d| d >= 30)));
        assert_eq!(
            kept.len(),
            days.iter().filter(|d| **d >= 30).count(),
            "every quiet unit and only them"
        );
        assert_eq!(counted(&children[46]["indicators"]), 0, "a central body carries none");
        // Sorted by overdue, most first.
        let (_, sorted) = dashboard(&centre, "TW", "&filter[sort]=overdue&filter[descending]=true");
        let overdue: Vec<i64> = sorted["children"].as_array().unwrap().iter()
            .map(|c| c["figures"]["overdue"].as_i64().unwrap()).collect();
        assert!(overdue.windows(2).all(|w| w[0] >= w[1]), "{overdue:?}");

        // Out of reach: another province, the level above, a unit that does not exist.
        assert_eq!(dashboard(&province, "46", "").0, 404, "another province");
        assert_eq!(dashboard(&province, "TW", "").0, 404, "the level above");
        assert_eq!(dashboard(&ward, "01", "").0, 404, "a ward's official and the province");
        assert_eq!(dashboard(&centre, "NO-SUCH", "").0, 404);
        // Bad filters: a clear refusal.
        for (filter, field) in [
            ("&filter[classification]=top_secret", "classification"),
            ("&filter[from]=2026-13-01", "from"),
            ("&filter[from]=2026-06-01&filter[to]=2026-01-01", "to"),
            ("&filter[document]=999999", "document"),
            ("&filter[quiet]=0", "quiet"),
            ("&filter[quiet]=ba", "quiet"),
        ] {
            let page = province.call("/api/dashboard", &format!("code=01{filter}"));
            assert_eq!(page.status, 400, "{filter}: {}", page.body);
            assert!(page.body.contains(field), "{filter}: {}", page.body);
        }
    }

    fn the_clock_moves_overdue_counts(app) {
        seed_small(&app);
        let centre = signed_in(&app, "tw.lanhdao");
        let tasks = raw_tasks(&app);
        let (sent, carried, starts) = raw_freshness(&app);
        let paths = unit_paths(&app);
        let expect = |json: &Value| {
            Expectation {
                paths: &paths,
                scope_path: paths["TW"].clone(),
                clearance: 3,
                document: None,
                classification: None,
                period: None,
                tasks: &tasks,
                sent: &sent,
                carried: &carried,
                starts: &starts,
            }
            .check(json, "after the clock moved")
        };
        // The tallies were last counted 40 days ago, or 40 days ahead: the first read
        // brings them to today.
        for shift in [-40i64, 40] {
            let db = app.db();
            app.block_on(async {
                let txn = db.begin_write().await.unwrap();
                let then = tiendo::model::time::Day::in_vietnam(Utc::now().timestamp() + shift * 86_400);
                tiendo::server::tallies::rebuild(&txn, None, then).await.unwrap();
                txn.commit().await.unwrap();
            });
            app.block_on(db.close());
            let (status, json) = dashboard(&centre, "TW", "");
            assert_eq!(status, 200);
            expect(&json);
            assert_tallies_consistent(&app);
        }
    }

    fn the_figures_follow_every_write(app) {
        // Figures are kept between writes (on SQLite): each read below must still equal a
        // recount, whether the change came through the server or from another process.
        seed_small(&app);
        let centre = signed_in(&app, "tw.lanhdao");
        let paths = unit_paths(&app);
        let check = |what: &str| {
            let tasks = raw_tasks(&app);
            let (sent, carried, starts) = raw_freshness(&app);
            for code in ["TW", "01", "00004"] {
                let (status, json) = dashboard(&centre, code, "");
                assert_eq!(status, 200, "{what}: {json}");
                Expectation {
                    paths: &paths,
                    scope_path: paths[code].clone(),
                    clearance: 3,
                    document: None,
                    classification: None,
                    period: None,
                    tasks: &tasks,
                    sent: &sent,
                    carried: &carried,
                    starts: &starts,
                }
                .check(&json, &format!("{what}, {code}"));
            }
        };
        check("first read");
        check("read again");
        work_through_the_app(&app);
        check("after work through the server");

        // Another process on the same database: a ward's open task falls overdue.
        let db = app.db();
        app.block_on(db.write.execute_unprepared(
            "UPDATE tasks SET due_on = '2020-01-06' WHERE id = (SELECT MIN(id) FROM tasks \
             WHERE lead_path LIKE (SELECT path || '%' FROM units WHERE code = '00004') \
             AND status IN ('not_started', 'in_progress') AND due_on > '2020-01-06')",
        ))
        .unwrap();
        app.block_on(db.close());
        check("after a change by another process");

        // Feedback counts move too.
        let received = |json: &Value| json["feedback"]["total"]["received"].as_i64().unwrap();
        let before = received(&dashboard(&centre, "TW", "").1);
        let sent = app
            .new_browser()
            .agent
            .post(app.url("/open311/v2/requests.json"))
            .content_type("application/x-www-form-urlencoded")
            .send("service_code=other&description=%C4%90%C6%B0%E1%BB%9Dng%20h%E1%BB%8Fng")
            .unwrap();
        assert!(sent.status().as_u16() < 300, "{}", sent.status());
        assert_eq!(received(&dashboard(&centre, "TW", "").1), before + 1);
    }

    fn pages_drill_down_and_draw_without_javascript(app) {
        seed_small(&app);
        let centre = signed_in(&app, "tw.lanhdao");
        let national = centre.get("/dashboard");
        assert_eq!(national.status, 200);
        for needle in ["<svg", "viewBox", "<figcaption", "href=\"/dashboard/01\"", "57-NQ/TW", "<details"] {
            assert!(national.body.contains(needle), "national page has {needle}");
        }
        let province = centre.get("/dashboard/01");
        assert_eq!(province.status, 200);
        assert!(province.body.contains("href=\"/dashboard/00004\""), "communes drill down");
        assert!(province.body.contains("href=\"/dashboard/TW\""), "the way back up");
        let ward = centre.get("/dashboard/00004");
        assert_eq!(ward.status, 200);
        assert!(ward.body.contains("href=\"/tasks/"), "a ward's deadlines open their tasks");
        assert!(ward.body.contains("<svg"));
        // Filters travel in the address and are kept while drilling down.
        let filtered = centre.get("/dashboard/01?classification=internal&sort=overdue&desc=1");
        assert_eq!(filtered.status, 200);
        assert!(filtered.body.contains("classification=internal"), "links keep the filter");
        // Signed out: sent to sign in.
        let anonymous = app.new_browser().get("/dashboard");
        assert!(matches!(anonymous.status, 302 | 303), "{}", anonymous.status);
        assert!(anonymous.header("location").unwrap_or_default().starts_with("/login"));
        // Out of reach: the not-found page, no figures.
        let hue = signed_in(&app, "hue.canbo");
        let refused = hue.get("/dashboard/01");
        assert_eq!(refused.status, 404);
    }
}
