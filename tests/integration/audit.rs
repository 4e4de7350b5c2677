//! The audit log's viewer and export against the raw rows: each administrator sees the
//! events of their subtree within their clearance, filtered as asked; bad filters are
//! refused; the log cannot be changed, and only the retention removes old rows.

use crate::common::{TestApp, encode};
use crate::on_both_backends;
use crate::work::{add_account, create_document, signed_in};
use sea_orm::{ConnectionTrait, EntityTrait};
use tiendo::model::Role;
use tiendo::server::entity::{audit_event, unit, user};

/// Which raw rows a filter keeps.
type Keep = Box<dyn Fn(&audit_event::Model) -> bool>;

/// What the rule lets an administrator see, from the rows: their subtree (everything for
/// a unit with national oversight), within their clearance; newest first.
fn oracle(app: &TestApp, admin: &str, keep: impl Fn(&audit_event::Model) -> bool) -> Vec<i64> {
    let db = app.db();
    let (events, users, units) = app.block_on(async {
        (
            audit_event::Entity::find().all(&db.read).await.unwrap(),
            user::Entity::find().all(&db.read).await.unwrap(),
            unit::Entity::find().all(&db.read).await.unwrap(),
        )
    });
    app.block_on(db.close());
    let me = users.iter().find(|u| u.username == admin).unwrap();
    let unit = units.iter().find(|u| u.id == me.unit_id).unwrap();
    let mut seen: Vec<&audit_event::Model> = events
        .iter()
        .filter(|e| e.classification <= me.clearance)
        .filter(|e| {
            unit.national_oversight
                || e.unit_path
                    .as_deref()
                    .is_some_and(|p| p.starts_with(&unit.path))
        })
        .filter(|e| keep(e))
        .collect();
    seen.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    seen.into_iter().map(|e| e.id).collect()
}

/// Every page of the viewer for one filter, as ids.
fn viewer(browser: &crate::common::Browser, filter: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut page = 1;
    loop {
        let answer = browser.call("/api/admin/audit", &format!("{filter}&filter[page]={page}"));
        assert_eq!(answer.status, 200, "{filter}: {}", answer.body);
        let list = answer.json();
        ids.extend(
            list["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_i64().unwrap()),
        );
        if page >= list["pages"].as_u64().unwrap() {
            return ids;
        }
        page += 1;
    }
}

on_both_backends! {
    fn each_administrator_sees_their_subtree_within_clearance(app) {
        add_account(&app, "hanoi.quantri", "01", Role::Admin, "internal");
        // Events across the country: sign-ins, a failed one under an unknown name, and
        // classified reads at the centre and in Hà Nội.
        for name in ["hanoi.canbo", "badinh.canbo", "hue.canbo", "hanoi.lanhdao"] {
            signed_in(&app, name);
        }
        assert_eq!(app.new_browser().login("ke.gian", "sai-mat-khau-123").status, 401);
        let centre = signed_in(&app, "tw.lanhdao");
        let secret = create_document(&centre, "99-NQ/TW-AUDIT", "confidential");
        assert_eq!(centre.call("/api/document", &format!("id={secret}")).status, 200);
        let hanoi_leader = signed_in(&app, "hanoi.lanhdao");
        // A Hà Nội leader reads a confidential document of the city.
        let hanoi_doc = create_document(&hanoi_leader, "12-KH/TU-AUDIT", "confidential");
        assert_eq!(hanoi_leader.call("/api/document", &format!("id={hanoi_doc}")).status, 200);
        assert!(app.count("SELECT COUNT(*) FROM audit_events WHERE classification >= 2 AND unit_path IS NOT NULL") >= 2);
        assert!(app.count("SELECT COUNT(*) FROM audit_events WHERE unit_path IS NULL") >= 1);

        let today = tiendo::server::work::today();
        let filters: Vec<(String, Keep)> = vec![
            ("filter[actor]=".into(), Box::new(|_| true)),
            ("filter[actor]=badinh.canbo".into(), Box::new(|e| e.actor_name.as_deref() == Some("badinh.canbo"))),
            ("filter[action]=login_failed".into(), Box::new(|e| e.action == "login_failed")),
            ("filter[action]=classified_read".into(), Box::new(|e| e.action == "classified_read")),
            ("filter[unit]=00004".into(), Box::new(|e| e.actor_name.as_deref() == Some("badinh.canbo"))),
            (format!("filter[object_type]=document&filter[object_id]={hanoi_doc}"), Box::new(move |e| e.object_type.as_deref() == Some("document") && e.object_id.as_deref() == Some(&hanoi_doc.to_string()))),
            (format!("filter[from]={}&filter[to]={}", today.iso(), today.iso()), Box::new(|_| true)),
            (format!("filter[from]={}", today.plus_days(1).iso()), Box::new(|_| false)),
        ];
        for admin in ["admin", "hanoi.quantri"] {
            let browser = signed_in(&app, admin);
            for (filter, keep) in &filters {
                assert_eq!(viewer(&browser, filter), oracle(&app, admin, keep), "{admin}: {filter}");
            }
            // The export holds the same rows, in the same order.
            let csv = browser.get("/admin/audit.csv?actor=&action=");
            assert_eq!(csv.status, 200);
            assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
            let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().skip(1).collect();
            let expected = oracle(&app, admin, |_| true);
            assert_eq!(lines.len(), expected.len(), "{admin}: the CSV");
            let db = app.db();
            let rows = app.block_on(audit_event::Entity::find().all(&db.read)).unwrap();
            app.block_on(db.close());
            for (line, id) in lines.iter().zip(&expected) {
                let event = rows.iter().find(|e| e.id == *id).unwrap();
                assert!(line.contains(&event.action), "{line} is {event:?}");
                assert!(line.starts_with(&event.at.to_rfc3339()), "{line}");
            }
        }
        // The province's administrator: nothing of Huế, nothing confidential, no event
        // without an official.
        let province = signed_in(&app, "hanoi.quantri");
        let shown = province.get("/admin/audit");
        assert_eq!(shown.status, 200);
        assert!(!shown.body.contains("hue.canbo"));
        assert!(!shown.body.contains("ke.gian"));
        assert!(shown.body.contains("badinh.canbo"));
        assert_eq!(province.call("/api/admin/audit", "filter[unit]=46").status, 400, "Huế is not theirs");

        // Impossible dates are refused, saying which.
        let admin = signed_in(&app, "admin");
        let bad = admin.call("/api/admin/audit", "filter[from]=2026-02-30");
        assert_eq!(bad.status, 400);
        assert_eq!(bad.json()["field"], "from");
        let reversed = admin.call("/api/admin/audit", "filter[from]=2026-12-10&filter[to]=2026-12-01");
        assert_eq!(reversed.status, 400);
        assert_eq!(reversed.json()["field"], "to");
        let page = admin.get(&format!("/admin/audit?from={}&to=2026-01-01", encode("2026-12-10")));
        assert_eq!(page.status, 400);
        assert!(page.body.contains("role=\"alert\""));
        assert_eq!(admin.get("/admin/audit.csv?from=2026-13-01").status, 400);

        // Not for officials who are not administrators.
        let officer = signed_in(&app, "hanoi.canbo");
        assert_eq!(officer.call("/api/admin/audit", "").status, 403);
        assert_eq!(officer.get("/admin/audit.csv").status, 403);
    }

    fn the_log_is_append_only_and_the_retention_records_what_it_removes(app) {
        signed_in(&app, "hanoi.canbo");
        let db = app.db();
        let backend = db.backend();
        for statement in [
            "UPDATE audit_events SET action = 'nothing'",
            "DELETE FROM audit_events",
        ] {
            let refused = app.block_on(db.write.execute_unprepared(statement));
            assert!(refused.is_err(), "{statement}");
            assert!(format!("{:?}", refused.unwrap_err()).contains("append-only"));
        }
        // Six years old: the retention removes it, and says so under the system's name.
        let old = match backend {
            sea_orm::DbBackend::Postgres => "TIMESTAMPTZ '2020-06-01 00:00:00+00'",
            _ => "'2020-06-01T00:00:00+00:00'",
        };
        app.block_on(db.write.execute_unprepared(&format!(
            "INSERT INTO audit_events (at, actor_name, action, outcome, classification) \
             VALUES ({old}, 'hanoi.canbo', 'login_succeeded', 'success', 0)"
        )))
        .unwrap();
        let before = app.count("SELECT COUNT(*) FROM audit_events");
        let removed = app
            .block_on(tiendo::server::audit::retention::expire(&db.write, chrono::Utc::now(), 1826))
            .unwrap();
        assert_eq!(removed, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_events"), before, "one removed, one recorded");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'audit_expired' AND actor_name = 'system' AND actor_id IS NULL"),
            1
        );
        app.block_on(db.close());
    }
}
