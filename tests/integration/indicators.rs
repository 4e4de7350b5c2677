//! Indicators: created with a planned path, assigned down with each unit's own targets,
//! reported per period (a closed period's value corrected only with a reason, audited),
//! evaluated by the assigning unit, rolled up, and judged against the plan.

use crate::common::{Browser, Page, TestApp, encode};
use crate::on_both_backends;
use crate::work::{redirected_id, signed_in};
use chrono::{Duration, Utc};
use serde_json::Value;
use tiendo::model::indicator::{Direction, Plan, PlanPoint, Thresholds};
use tiendo::model::period::{Cycle, Period};
use tiendo::model::time::Day;
use tiendo::server::indicators::standing;

fn today() -> Day {
    let today = (Utc::now() + Duration::hours(7)).date_naive();
    Day::parse(&today.to_string()).unwrap()
}

/// A quarterly document whose periods close on their last day (cut-off 31): the current
/// quarter is always open and the one before it always closed, whatever today is.
fn document(centre: &Browser, code: &str) -> i32 {
    let page = centre.call(
        "/api/documents/create",
        &format!(
            "code={}&kind=resolution&title={}&issuing_body={}&issued_on=2024-12-22&summary=&classification=internal&reporting_cycle=quarterly&cut_off_day=31",
            encode(code),
            encode("Về đột phá phát triển khoa học, công nghệ"),
            encode("Bộ Chính trị"),
        ),
    );
    redirected_id(&page, "/documents/")
}

/// The digital economy's share of GDP: 18.3 % in 2024, 20 % by the end of 2025, 30 %
/// by the end of 2030, the provinces' shares weighted by their GDP.
fn create(centre: &Browser, document: i32, milestones: &str) -> Page {
    centre.call(
        "/api/indicators/create",
        &format!(
            "document_id={document}&name={}&measure={}&direction=higher&baseline_year=2024&baseline_value=18%2C3&{milestones}&roll_up=weighted_mean&weight_name=GDP&on_track=&at_risk=&data_source={}&classification=internal",
            encode("Tỷ trọng kinh tế số trong GDP"),
            encode("% GDP"),
            encode("Tổng cục Thống kê"),
        ),
    )
}

const PATH: &str =
    "milestone_1_on=2025-12-31&milestone_1_value=20&milestone_2_on=2030-12-31&milestone_2_value=30";

fn assign(browser: &Browser, id: i32, unit: &str, baseline: &str, values: [&str; 2]) -> Page {
    browser.call(
        "/api/indicators/assign",
        &format!(
            "indicator_id={id}&unit={unit}&baseline_value={baseline}&milestone_1_value={}&milestone_2_value={}",
            values[0], values[1]
        ),
    )
}

fn report(browser: &Browser, id: i32, period: &str, value: &str, reason: &str, seen: i64) -> Page {
    report_with(browser, id, period, value, reason, seen, &[])
}

/// A value sent as the page's multipart form sends it, with evidence `files`.
fn report_with(
    browser: &Browser,
    id: i32,
    period: &str,
    value: &str,
    reason: &str,
    seen: i64,
    files: &[(&str, &[u8])],
) -> Page {
    browser.call_multipart(
        "/api/indicators/report",
        &[
            ("indicator_id", &id.to_string()),
            ("period", period),
            ("value", value),
            ("weight", "120"),
            ("source_note", "Cục Thống kê thành phố, số liệu sơ bộ"),
            ("reason", reason),
            ("seen", &seen.to_string()),
        ],
        files,
    )
}

fn detail(browser: &Browser, id: i32) -> Value {
    let page = browser.call("/api/indicator", &format!("id={id}"));
    assert_eq!(page.status, 200, "indicator {id}: {}", page.body);
    page.json()
}

fn newest_value(detail: &Value) -> i64 {
    detail["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_i64().unwrap())
        .max()
        .unwrap_or(0)
}

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

fn count(app: &TestApp, table: &str) -> i64 {
    app.text(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}"))
        .parse()
        .unwrap()
}

on_both_backends! {
    fn an_indicator_is_planned_assigned_reported_corrected_and_judged(app) {
        let centre = signed_in(&app, "tw.lanhdao");
        let document = document(&centre, "57-NQ/TW-CT");

        // A plan that cannot be measured is refused, field by field, and nothing is kept.
        for (milestones, field, problem) in [
            ("milestone_1_on=2030-12-31&milestone_1_value=30&milestone_2_on=2025-12-31&milestone_2_value=20", "milestones", "milestone_out_of_order"),
            ("milestone_1_on=2030-12-31&milestone_1_value=18.3", "milestones", "target_is_baseline"),
            ("milestone_1_on=2030-12-31&milestone_1_value=10", "milestones", "target_against_direction"),
            ("milestone_1_on=2030-12-31&milestone_1_value=1.234,5", "milestone_1_value", "malformed"),
            ("milestone_1_on=", "milestones", "required"),
        ] {
            let page = create(&centre, document, milestones);
            assert_eq!(refused(&page), (field.to_owned(), problem.to_owned()), "{milestones}");
        }
        assert_eq!(count(&app, "indicators"), 0);
        // Only the owner unit's leaders create its indicators.
        let hanoi_leader = signed_in(&app, "hanoi.lanhdao");
        assert_eq!(create(&hanoi_leader, document, PATH).status, 404);

        let root = redirected_id(&create(&centre, document, PATH), "/indicators/");
        let shown = detail(&centre, root);
        assert_eq!(shown["plan"]["baseline"]["value"], 18.3);
        assert_eq!(shown["plan"]["milestones"].as_array().unwrap().len(), 2);
        assert_eq!(shown["thresholds"]["on_track"], 90.0, "the default thresholds");
        assert!(shown["chart"].as_str().unwrap().starts_with("<svg"));

        // Assigned to Hà Nội with its own targets; not twice, not past the units below.
        let refusal = assign(&centre, root, "01", "20", ["", "35"]);
        assert_eq!(refused(&refusal), ("milestone_1_value".to_owned(), "required".to_owned()));
        let hanoi = redirected_id(&assign(&centre, root, "01", "20", ["22", "35"]), "/indicators/");
        assert_eq!(hanoi, root, "the page of the indicator assigned");
        let hanoi: i32 = app
            .text("SELECT CAST(id AS TEXT) FROM indicators WHERE parent_id IS NOT NULL")
            .parse()
            .unwrap();
        assert_eq!(refused(&assign(&centre, root, "01", "20", ["22", "35"])), ("unit".to_owned(), "taken".to_owned()));
        assert_eq!(refused(&assign(&centre, root, "00004", "20", ["22", "35"])).1, "out_of_reach");
        // Who may not act for the unit carrying it does not see the form's endpoint.
        assert_eq!(assign(&signed_in(&app, "hanoi.canbo"), root, "46", "1", ["2", "3"]).status, 404);

        // Hà Nội sees its own copy, and through it the document; Huế sees neither.
        let officer = signed_in(&app, "hanoi.canbo");
        let own = detail(&officer, hanoi);
        assert_eq!(own["unit"]["code"], "01");
        assert_eq!(own["plan"]["baseline"]["value"], 20.0);
        assert_eq!(own["asks_weight"], true);
        assert!(own["parent"].is_null(), "the centre's own indicator is not Hà Nội's to see");
        assert_eq!(officer.call("/api/indicator", &format!("id={root}")).status, 404);
        let section = officer.call("/api/documents/indicators", &format!("document_id={document}"));
        assert_eq!(section.status, 200, "{}", section.body);
        let rows: Vec<i64> = section.json()["rows"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert_eq!(rows, vec![i64::from(hanoi)]);
        let hue = signed_in(&app, "hue.canbo");
        assert_eq!(hue.call("/api/indicator", &format!("id={hanoi}")).status, 404);
        assert_eq!(hue.call("/api/documents/indicators", &format!("document_id={document}")).status, 404);
        assert_eq!(hue.get(&format!("/indicators/{hanoi}")).status, 404);
        let page = officer.get(&format!("/indicators/{hanoi}"));
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Tỷ trọng kinh tế số trong GDP"));

        // Values: for a period of the document's cycle that has begun.
        let current = Period::containing(Cycle::Quarterly, today());
        let closed = current.previous();
        assert_eq!(refused(&report(&officer, hanoi, &current.next().code(), "21", "", 0)), ("period".to_owned(), "period_not_begun".to_owned()));
        assert_eq!(refused(&report(&officer, hanoi, "2026-M03", "21", "", 0)), ("period".to_owned(), "unknown".to_owned()));
        assert_eq!(refused(&report(&officer, hanoi, &closed.code(), "hai mươi", "", 0)), ("value".to_owned(), "malformed".to_owned()));
        assert_eq!(report(&hue, hanoi, &closed.code(), "21", "", 0).status, 404);
        assert_eq!(count(&app, "indicator_values"), 0);

        // Evidence is checked by its content: a program is refused, nothing is kept.
        let refused_file = report_with(&officer, hanoi, &current.code(), "20,5", "", 0, &[("so-lieu.pdf", b"MZ\x90\x00 not a pdf")]);
        assert_eq!(refused(&refused_file), ("files".to_owned(), "forbidden_type".to_owned()));
        assert_eq!(count(&app, "indicator_values"), 0);
        assert_eq!(count(&app, "indicator_value_files"), 0);
        // And an official of another province sends no file to Hà Nội's indicator.
        assert_eq!(report_with(&hue, hanoi, &current.code(), "20,5", "", 0, &[("a.pdf", b"%PDF-1.7 a")]).status, 404);
        assert_eq!(count(&app, "indicator_value_files"), 0);

        // Sent for the open quarter with its evidence, then sent again before its
        // cut-off: replaced (the first value keeps its file).
        let sent = report_with(&officer, hanoi, &current.code(), "20,5", "", 0, &[("bao-cao-quy.pdf", b"%PDF-1.7 bao cao quy")]);
        assert!(sent.status < 400, "{}", sent.body);
        let with_file = detail(&officer, hanoi);
        let file = &with_file["values"][0]["files"][0];
        assert_eq!(file["file_name"], "bao-cao-quy.pdf");
        assert_eq!(file["content_type"], "application/pdf");
        let file_id = file["id"].as_i64().unwrap();
        let downloaded = hanoi_leader.get(&format!("/indicators/files/{file_id}"));
        assert_eq!((downloaded.status, downloaded.body.as_str()), (200, "%PDF-1.7 bao cao quy"));
        assert_eq!(hue.get(&format!("/indicators/files/{file_id}")).status, 404);
        let page = officer.get(&format!("/indicators/{hanoi}"));
        assert!(page.body.contains(&format!("href=\"/indicators/files/{file_id}\"")), "the value lists its file");
        let seen = newest_value(&with_file);
        assert!(report(&officer, hanoi, &current.code(), "20,7", "", seen).status < 400);
        // A page read before a value was sent conflicts instead of overwriting it.
        assert_eq!(report(&officer, hanoi, &current.code(), "20,9", "", seen).status, 409);

        // The closed quarter: a late value first, then a correction only with a reason.
        assert!(report(&officer, hanoi, &closed.code(), "21", "", 0).status < 400);
        let seen = newest_value(&detail(&officer, hanoi));
        assert_eq!(refused(&report(&officer, hanoi, &closed.code(), "21,5", "", seen)), ("reason".to_owned(), "required".to_owned()));
        assert!(report(&officer, hanoi, &closed.code(), "21,5", "Số liệu chính thức", seen).status < 400);
        let own = detail(&officer, hanoi);
        let states: Vec<(String, f64, String)> = own["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (v["period"]["index"].to_string(), v["value"].as_f64().unwrap(), v["state"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(states.len(), 4, "every value sent stays: {states:?}");
        assert_eq!(
            states.iter().filter(|s| s.2 == "replaced").count(),
            2,
            "{states:?}"
        );
        assert!(own["values"][0]["late"].as_bool().unwrap(), "sent after the cut-off");
        assert_eq!(own["values"][0]["reason"], "Số liệu chính thức");
        assert_eq!(
            app.text("SELECT CAST(COUNT(*) AS TEXT) FROM audit_events WHERE action = 'indicator_value_corrected'"),
            "1"
        );

        // Evaluated by the assigning unit's leaders only; returning needs an answer.
        let waiting = own["values"][0]["id"].as_i64().unwrap();
        let evaluate = |browser: &Browser, verdict: &str, answer: &str| {
            browser.call(
                "/api/indicators/evaluate",
                &format!("value_id={waiting}&verdict={verdict}&answer={}", encode(answer)),
            )
        };
        assert_eq!(evaluate(&hanoi_leader, "accept", "").status, 404);
        assert_eq!(refused(&evaluate(&centre, "return", "")), ("answer".to_owned(), "required".to_owned()));
        // The centre's leaders were told of each value sent, the officer who sent them not.
        let told = |browser: &Browser, kind: &str| -> Vec<i64> {
            browser.call("/api/notifications", "page=1").json()["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| n["kind"] == kind)
                .map(|n| n["indicator"]["id"].as_i64().unwrap())
                .collect()
        };
        assert_eq!(told(&centre, "value_awaiting"), vec![i64::from(hanoi); 4]);
        assert!(told(&officer, "value_awaiting").is_empty());
        assert!(told(&hue, "value_awaiting").is_empty());
        let page = centre.get("/notifications");
        assert!(page.body.contains(&format!("href=\"/indicators/{hanoi}\"")), "the indicator is linked");
        assert!(evaluate(&centre, "accept", "").status < 400);
        assert_eq!(evaluate(&centre, "accept", "").status, 409, "decided already");
        // And Hà Nội's staff, of the decision.
        assert_eq!(told(&officer, "value_accepted"), vec![i64::from(hanoi)]);
        assert_eq!(told(&hanoi_leader, "value_accepted"), vec![i64::from(hanoi)]);
        assert!(told(&hue, "value_accepted").is_empty());

        // The centre carries no value of its own: Hà Nội's rolls up (the weighted mean of
        // one unit is its value), and is judged against the centre's plan at the closed
        // quarter's end.
        let centre_view = detail(&centre, root);
        let standing = &centre_view["standing"];
        assert_eq!(standing["period"]["index"].as_u64().unwrap(), u64::from(closed.index));
        assert_eq!(standing["value"], 21.5);
        assert_eq!(standing["rolled_up"], true);
        let plan = Plan {
            direction: Direction::Higher,
            baseline: PlanPoint { on: Day::from_ymd(2024, 12, 31), value: 18.3 },
            milestones: vec![
                PlanPoint { on: Day::from_ymd(2025, 12, 31), value: 20.0 },
                PlanPoint { on: Day::from_ymd(2030, 12, 31), value: 30.0 },
            ],
        };
        let achieved = plan.achievement(21.5, closed.last_day());
        assert!((standing["achievement"].as_f64().unwrap() - achieved * 100.0).abs() < 1e-6);
        let status = Thresholds::default().status(Some(achieved));
        assert_eq!(standing["status"], status.as_str());
        let below = centre_view["below"].as_array().unwrap();
        assert_eq!(below.len(), 1);
        assert_eq!(below[0]["unit"]["code"], "01");
        assert_eq!(below[0]["standing"]["rolled_up"], false);

        // The dashboards count where each unit's indicator stands; Hà Nội's against its
        // own plan.
        let hanoi_plan = Plan {
            direction: Direction::Higher,
            baseline: PlanPoint { on: Day::from_ymd(2024, 12, 31), value: 20.0 },
            milestones: vec![
                PlanPoint { on: Day::from_ymd(2025, 12, 31), value: 22.0 },
                PlanPoint { on: Day::from_ymd(2030, 12, 31), value: 35.0 },
            ],
        };
        let hanoi_status = Thresholds::default().status(Some(hanoi_plan.achievement(21.5, closed.last_day())));
        let dashboard = centre.call("/api/dashboard", "code=TW");
        assert_eq!(dashboard.status, 200, "{}", dashboard.body);
        let dashboard = dashboard.json();
        let mut expected = std::collections::BTreeMap::new();
        for status in [status, hanoi_status] {
            *expected.entry(status.as_str().to_owned()).or_insert(0u64) += 1;
        }
        for (status, n) in &expected {
            assert_eq!(dashboard["indicators"][status].as_u64(), Some(*n), "{status}: {}", dashboard["indicators"]);
        }
        let row = dashboard["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["unit"]["code"] == "01")
            .unwrap();
        assert_eq!(row["indicators"][hanoi_status.as_str()], 1);

        // `/periods`: Hà Nội's value for the closed quarter was accepted; this quarter's
        // waits for evaluation.
        let periods = |period: &str| {
            let page = hanoi_leader.call(
                "/api/periods",
                &format!("filter[unit]=01&filter[document]={document}&filter[period]={period}"),
            );
            assert_eq!(page.status, 200, "{}", page.body);
            page.json()
        };
        let closed_page = periods(&closed.code());
        assert_eq!(closed_page["value_totals"]["accepted"], 1, "{}", closed_page["value_totals"]);
        assert_eq!(closed_page["rows"][0]["own_values"], "accepted");
        let open_page = periods(&current.code());
        assert_eq!(open_page["value_totals"]["submitted"], 1, "{}", open_page["value_totals"]);
        // A period before any indicator was assigned expects nobody.
        let before = periods(&closed.previous().previous().previous().previous().code());
        assert_eq!(before["value_totals"]["missing"], 0);

        // Where units stand is kept at write time: this quarter's value rolls up to the
        // centre; returned, it no longer counts there either. A recount agrees.
        let kept = |id: i32| {
            app.text(&format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM indicator_standings \
                 WHERE indicator_id = {id} AND period = '{}'",
                current.code()
            ))
        };
        assert_eq!(kept(root), "1");
        let waiting = detail(&officer, hanoi)["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["state"] == "submitted")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let returned = centre.call(
            "/api/indicators/evaluate",
            &format!("value_id={waiting}&verdict=return&answer={}", encode("Thiếu nguồn số liệu")),
        );
        assert!(returned.status < 400, "{}", returned.body);
        assert_eq!((kept(root), kept(hanoi)), ("0".to_owned(), "0".to_owned()));
        assert!(app.block_on(standing::consistent(&app.db())).unwrap(), "kept standings equal a recount");
    }
}

fn edit(
    browser: &Browser,
    id: i32,
    version: i64,
    name: &str,
    on_track: &str,
    at_risk: &str,
) -> Page {
    browser.call(
        "/api/indicators/edit",
        &format!(
            "indicator_id={id}&version={version}&name={}&on_track={on_track}&at_risk={at_risk}&data_source={}",
            encode(name),
            encode("Cục Thống kê, Bộ Tài chính"),
        ),
    )
}

/// The status an achievement has between two thresholds (all in percent), as the issue
/// defines it.
fn status_by(achievement: f64, on_track: f64, at_risk: f64) -> &'static str {
    if achievement >= on_track {
        "on_track"
    } else if achievement >= at_risk {
        "at_risk"
    } else {
        "off_track"
    }
}

on_both_backends! {
    fn the_document_s_indicator_is_edited_for_every_unit_carrying_it(app) {
        let centre = signed_in(&app, "tw.lanhdao");
        let document = document(&centre, "57-NQ/TW-SUA");
        let root = redirected_id(&create(&centre, document, PATH), "/indicators/");
        assert!(assign(&centre, root, "01", "20", ["22", "35"]).status < 400);
        let hanoi: i32 = app
            .text("SELECT CAST(id AS TEXT) FROM indicators WHERE parent_id IS NOT NULL")
            .parse()
            .unwrap();
        let officer = signed_in(&app, "hanoi.canbo");
        // The quarter judged is the one before (this one's cut-off is its last day).
        let judged_period = Period::containing(Cycle::Quarterly, today()).previous();
        assert!(report(&officer, hanoi, &judged_period.code(), "20,5", "", 0).status < 400);
        let judged = |id: i32| {
            let shown = detail(&centre, id);
            let standing = &shown["standing"];
            (standing["achievement"].as_f64().unwrap(), standing["status"].as_str().unwrap().to_owned())
        };
        for id in [root, hanoi] {
            let (achievement, status) = judged(id);
            assert_eq!(status, status_by(achievement, 90.0, 75.0), "indicator {id} by the default thresholds");
        }
        let version = detail(&centre, root)["version"].as_i64().unwrap();
        assert_eq!(detail(&centre, root)["can_edit"], true);
        let hanoi_leader = signed_in(&app, "hanoi.lanhdao");
        assert_eq!(detail(&hanoi_leader, hanoi)["can_edit"], false, "a copy is edited through the document's own");
        assert!(centre.get(&format!("/indicators/{root}")).body.contains("Sửa chỉ tiêu"));
        assert!(!hanoi_leader.get(&format!("/indicators/{hanoi}")).body.contains("Sửa chỉ tiêu"));

        // Bad input is named, and changes nothing; nor does anyone but the owner's leaders.
        for (name, on_track, at_risk, field, problem) in [
            ("", "90", "75", "name", "required"),
            ("Kinh tế số", "chín mươi", "75", "on_track", "malformed"),
            ("Kinh tế số", "70", "75", "at_risk", "out_of_range"),
        ] {
            let page = edit(&centre, root, version, name, on_track, at_risk);
            assert_eq!(refused(&page), (field.to_owned(), problem.to_owned()), "{name} {on_track} {at_risk}");
        }
        assert_eq!(edit(&hanoi_leader, hanoi, version, "Kinh tế số", "90", "75").status, 404);
        assert_eq!(edit(&hanoi_leader, root, version, "Kinh tế số", "90", "75").status, 404);
        assert_eq!(edit(&officer, hanoi, version, "Kinh tế số", "90", "75").status, 404);
        assert_eq!(detail(&centre, root)["version"].as_i64().unwrap(), version);

        // Thresholds low enough for any progress: every unit is on track at once.
        let edited = edit(&centre, root, version, "Tỷ trọng kinh tế số trong GDP (%)", "1", "0,5");
        assert_eq!(redirected_id(&edited, "/indicators/"), root);
        for id in [root, hanoi] {
            let (achievement, status) = judged(id);
            assert!(achievement >= 1.0, "{achievement}");
            assert_eq!(status, "on_track", "indicator {id}");
        }
        let copy = detail(&officer, hanoi);
        assert_eq!(copy["name"], "Tỷ trọng kinh tế số trong GDP (%)");
        assert_eq!(copy["data_source"], "Cục Thống kê, Bộ Tài chính");
        assert_eq!(copy["thresholds"]["on_track"], 1.0);
        assert!(app.block_on(standing::consistent(&app.db())).unwrap(), "kept standings equal a recount");
        assert_eq!(
            app.text("SELECT detail FROM audit_events WHERE action = 'indicator_edited'"),
            "name,thresholds,data_source"
        );

        // A form filled before that edit conflicts instead of undoing it.
        let stale = edit(&centre, root, version, "Kinh tế số", "90", "75");
        assert_eq!(stale.status, 409, "{}", stale.body);
        assert_eq!(detail(&centre, root)["thresholds"]["on_track"], 1.0);
        // Back to the defaults, from the version shown now.
        let version = detail(&centre, root)["version"].as_i64().unwrap();
        assert!(edit(&centre, root, version, "Tỷ trọng kinh tế số trong GDP", "90", "75").status < 400);
        for id in [root, hanoi] {
            let (achievement, status) = judged(id);
            assert_eq!(status, status_by(achievement, 90.0, 75.0), "indicator {id}");
        }
    }
}
