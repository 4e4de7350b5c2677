//! Reporting periods: a document's cycle and cut-off day, set, shown and refused when
//! they make no sense.

use crate::common::encode;
use crate::on_both_backends;
use crate::work::{
    add_account, call_report, child_led_by, create_document, create_task, pending_report,
    redirected_id, signed_in, task_json,
};
use tiendo::model::Role;
use tiendo::model::period::{Cycle, Period, PeriodsPage, StateCounts, Submission, SubmissionState};
use tiendo::model::task::Verdict;
use tiendo::model::time::Day;
use tiendo::server::work::today;

fn document_fields(code: &str, cycle: &str, cut_off: &str) -> String {
    format!(
        "code={}&kind=resolution&title={}&issuing_body={}&issued_on=2025-01-15&summary=&classification=internal&reporting_cycle={cycle}&cut_off_day={cut_off}",
        encode(code),
        encode("Về phát triển kinh tế tư nhân"),
        encode("Bộ Chính trị"),
    )
}

on_both_backends! {
    fn a_document_sets_its_cycle_and_cut_off_day(app) {
        let centre = signed_in(&app, "tw.lanhdao");
        // Bad input: named, and nothing created.
        for (cycle, cut_off, field, problem) in [
            ("weekly", "25", "reporting_cycle", "unknown"),
            ("monthly", "0", "cut_off_day", "out_of_range"),
            ("monthly", "32", "cut_off_day", "out_of_range"),
            ("monthly", "ngày 5", "cut_off_day", "malformed"),
        ] {
            let page = centre.call("/api/documents/create", &document_fields("68-NQ/TW-KY", cycle, cut_off));
            assert_eq!(page.status, 400, "{cycle} {cut_off}: {}", page.body);
            assert_eq!(page.json()["field"], field);
            assert_eq!(page.json()["problem"]["kind"], problem);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM documents"), 0);

        let created = centre.call("/api/documents/create", &document_fields("68-NQ/TW-KY", "monthly", "20"));
        let id = redirected_id(&created, "/documents/");
        let document = centre.call("/api/document", &format!("id={id}")).json();
        assert_eq!(document["summary"]["cycle"], "monthly");
        assert_eq!(document["summary"]["cut_off_day"], 20);
        assert_eq!(document["current_period"]["cycle"], "monthly");

        // Left out (an older client), they are quarterly and the 25th.
        let plain = centre.call(
            "/api/documents/create",
            &format!(
                "code=71-NQ/TW-KY&kind=resolution&title={}&issuing_body=BCT&issued_on=2025-01-15&summary=&classification=internal",
                encode("Về giáo dục")
            ),
        );
        let plain = redirected_id(&plain, "/documents/");
        let document = centre.call("/api/document", &format!("id={plain}")).json();
        assert_eq!(document["summary"]["cycle"], "quarterly");
        assert_eq!(document["summary"]["cut_off_day"], 25);

        // Changed with an edit; the page names the cycle and the current period's cut-off.
        let edited = centre.call(
            "/api/documents/update",
            &format!("id={id}&version=0&{}", document_fields("68-NQ/TW-KY", "six_monthly", "31")),
        );
        assert!(edited.status < 400, "{}", edited.body);
        let page = centre.get(&format!("/documents/{id}"));
        assert_eq!(page.status, 200);
        assert!(page.body.contains("6 tháng, chốt ngày 31 tháng cuối kỳ"), "{}", page.body);
        // The first half ends in June, whose last day stands for the 31st.
        let (year, month) = {
            let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
            (chrono::Datelike::year(&today), chrono::Datelike::month(&today))
        };
        let expected = if month <= 6 {
            format!("6 tháng đầu năm {year}, hạn báo cáo 30/06/{year}")
        } else {
            format!("6 tháng cuối năm {year}, hạn báo cáo 31/12/{year}")
        };
        assert!(page.body.contains(&expected), "{expected}");
    }
}

/// The units' states in `page`, recounted from the raw rows: the units expected to report
/// (leading a task of the document without subtasks they may see, begun by the period's
/// end and not finished before it began) and each one's latest progress report sent in
/// the period, ranked among all the reports.
fn recounted(
    app: &crate::common::TestApp,
    page: &PeriodsPage,
    unit: &str,
    clearance: i16,
) -> StateCounts {
    use sea_orm::{ConnectionTrait, Statement};
    let document = page.document.as_ref().expect("a document").id;
    let (first, last) = (page.period.first_day(), page.period.last_day());
    let day = |d: Day| {
        let (y, m, dd) = d.ymd();
        chrono::NaiveDate::from_ymd_opt(y as i32, m, dd).unwrap()
    };
    let start =
        |d: Day| chrono::DateTime::from_timestamp(i64::from(d.0) * 86_400 - 7 * 3600, 0).unwrap();
    let scope_path = app.text(&format!("SELECT path FROM units WHERE code = '{unit}'"));
    let scope_path = scope_path.as_str();
    let db = app.db();
    let below = format!("{scope_path}:");
    let reporters = app
        .block_on(db.read.query_all_raw(Statement::from_sql_and_values(
            db.backend(),
            "SELECT DISTINCT t.lead_unit_id AS unit FROM tasks t WHERE t.document_id = $1 \
             AND t.classification <= $2 AND t.lead_path >= $3 AND t.lead_path < $4 \
             AND t.status <> 'cancelled' AND t.start_on <= $5 \
             AND (t.completed_on IS NULL OR t.completed_on >= $6) \
             AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id \
             AND c.status <> 'cancelled' AND c.classification <= $2)",
            [
                document.into(),
                clearance.into(),
                scope_path.into(),
                below.clone().into(),
                day(last).into(),
                day(first).into(),
            ],
        )))
        .unwrap();
    let reports = app
        .block_on(db.read.query_all_raw(Statement::from_sql_and_values(
            db.backend(),
            "SELECT r.id, r.unit_id AS unit, r.created_at, r.status FROM reports r \
             JOIN tasks t ON t.id = r.task_id WHERE t.document_id = $1 \
             AND t.classification <= $2 AND t.lead_path >= $3 AND t.lead_path < $4 \
             AND r.kind = 'progress' AND r.created_at >= $5 AND r.created_at < $6",
            [
                document.into(),
                clearance.into(),
                scope_path.into(),
                below.into(),
                start(first).into(),
                start(last.plus_days(1)).into(),
            ],
        )))
        .unwrap();
    app.block_on(db.close());
    let mut latest: std::collections::HashMap<i32, (chrono::DateTime<chrono::Utc>, i32, String)> =
        Default::default();
    for row in &reports {
        let unit: i32 = row.try_get("", "unit").unwrap();
        let sent = (
            row.try_get("", "created_at").unwrap(),
            row.try_get("", "id").unwrap(),
            row.try_get("", "status").unwrap(),
        );
        let kept = latest.entry(unit).or_insert_with(|| sent.clone());
        if (sent.0, sent.1) > (kept.0, kept.1) {
            *kept = sent;
        }
    }
    let mut counts = StateCounts::default();
    for row in &reporters {
        let unit: i32 = row.try_get("", "unit").unwrap();
        let submission = latest.get(&unit).map(|(at, _, status)| Submission {
            sent_on: Day::in_vietnam(at.timestamp()),
            verdict: match status.as_str() {
                "accepted" => Some(Verdict::Accept),
                "returned" => Some(Verdict::Return),
                _ => None,
            },
        });
        counts.add(SubmissionState::of(
            page.period,
            page.cut_off_day,
            submission,
            page.today,
        ));
    }
    counts
}

fn periods_of(
    browser: &crate::common::Browser,
    unit: &str,
    document: i32,
    period: Option<Period>,
) -> PeriodsPage {
    let period = period
        .map(|p| format!("&filter[period]={}", p.code()))
        .unwrap_or_default();
    let page = browser.call(
        "/api/periods",
        &format!("filter[unit]={unit}&filter[document]={document}{period}"),
    );
    assert_eq!(page.status, 200, "{}", page.body);
    serde_json::from_str(&page.body).unwrap()
}

fn own_state(page: &PeriodsPage, unit: &str) -> Option<SubmissionState> {
    page.rows
        .iter()
        .find(|row| row.unit.code == unit)
        .and_then(|row| row.own)
}

on_both_backends! {
    fn each_unit_s_state_follows_its_latest_report(app) {
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "57-NQ/TW-KY", "internal");
        let task = redirected_id(&create_task(&centre, document, None, "Chuyển đổi số", "TW", "internal"), "/tasks/");
        let cascaded = centre.call("/api/tasks/cascade", &format!("id={task}&target=units&units=01"));
        assert!(cascaded.status < 400, "{}", cascaded.body);
        let hanoi_task = child_led_by(&task_json(&centre, task), "01");
        let leader = signed_in(&app, "hanoi.lanhdao");
        let to_wards = leader.call("/api/tasks/cascade", &format!("id={hanoi_task}&target=units&units=00004,00008"));
        assert!(to_wards.status < 400, "{}", to_wards.body);
        let ba_dinh_task = child_led_by(&task_json(&leader, hanoi_task), "00004");
        let ward = signed_in(&app, "badinh.canbo");
        let clearance = |username: &str| {
            app.count(&format!("SELECT CAST(clearance AS INTEGER) FROM users WHERE username = '{username}'")) as i16
        };
        let check = |expected: Option<SubmissionState>| {
            let page = periods_of(&leader, "01", document, None);
            assert_eq!(own_state(&page, "00004"), expected);
            assert_eq!(page.totals, recounted(&app, &page, "01", clearance("hanoi.lanhdao")));
            let national = periods_of(&centre, "TW", document, None);
            assert_eq!(national.totals, recounted(&app, &national, "TW", clearance("tw.lanhdao")));
            page
        };
        let before = check(Some(SubmissionState::of(
            Period::containing(Cycle::Quarterly, today()), 25, None, today(),
        )));
        assert_eq!(before.totals.expected(), 2, "both wards report on the resolution");

        // Sent, returned, sent again and accepted: the latest report of the period is the
        // unit's state, whatever the earlier ones became.
        let late_or_sent = |page: &PeriodsPage| {
            if page.today > page.period.cut_off(page.cut_off_day) { SubmissionState::Late } else { SubmissionState::Submitted }
        };
        let sent = call_report(&ward, ba_dinh_task, "40", false, "periods-state-0001");
        assert!(sent.status < 400, "{}", sent.body);
        check(Some(late_or_sent(&before)));
        let first = pending_report(&task_json(&leader, ba_dinh_task));
        let returned = leader.call("/api/reports/evaluate", &format!("report_id={first}&verdict=return&reason={}", encode("Thiếu số liệu")));
        assert!(returned.status < 400, "{}", returned.body);
        check(Some(SubmissionState::Returned));
        let again = call_report(&ward, ba_dinh_task, "60", false, "periods-state-0002");
        assert!(again.status < 400, "{}", again.body);
        check(Some(late_or_sent(&before)));
        let second = pending_report(&task_json(&leader, ba_dinh_task));
        let accepted = leader.call("/api/reports/evaluate", &format!("report_id={second}&verdict=accept&reason="));
        assert!(accepted.status < 400, "{}", accepted.body);
        check(Some(SubmissionState::Accepted));
        // The period before knew nothing of them.
        let earlier = periods_of(&leader, "01", document, Some(before.period.previous()));
        assert_eq!(earlier.totals.submitted + earlier.totals.late + earlier.totals.accepted + earlier.totals.returned, 0);

        // Raised to confidential, the wards' work leaves what an official cleared for
        // internal documents counts; what was sent counts under the new classification.
        let version = task_json(&leader, hanoi_task)["version"].as_i64().unwrap();
        let raised = centre.call(
            "/api/tasks/update",
            &format!(
                "id={hanoi_task}&version={version}&title={}&description=&expected_result=&coordinators=&start_on=2026-01-01&due_on=2026-12-31&priority=high&weight=1&classification=confidential",
                encode("Chuyển đổi số"),
            ),
        );
        assert!(raised.status < 400, "{}", raised.body);
        assert!(app.block_on(tiendo::server::dashboard::freshness::consistent(&app.db())).unwrap());
        check(Some(SubmissionState::Accepted));
        add_account(&app, "hanoi.noibo", "01", Role::Leader, "internal");
        let internal = signed_in(&app, "hanoi.noibo");
        // Nothing of the document is left within their clearance: it is not offered.
        let page = internal.call("/api/periods", &format!("filter[unit]=01&filter[document]={document}"));
        assert_eq!(page.status, 400, "{}", page.body);
        assert_eq!(page.json()["field"], "document");
    }
}
