//! Reporting periods: a document's cycle and cut-off day, set, shown and refused when
//! they make no sense.

use crate::common::encode;
use crate::on_both_backends;
use crate::work::{redirected_id, signed_in};

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
