//! The access holes of issue 12, each as an attacker or an ordinary official would meet
//! it over HTTP: oversight granted, not implied; a document's classification as a floor
//! for its tasks; histories, counts and parents that tell nothing above clearance; every
//! read of a classified record audited.

use crate::common::{Page, TestApp, encode};
use crate::on_both_backends;
use crate::work::{
    add_account, call_report, child_led_by, create_document, create_task, redirected_id, signed_in,
    task_json,
};
use tiendo::model::Role;

/// Sends an opinion through Open311 and returns its code.
fn opinion(app: &TestApp, extra: &str) -> String {
    let page = app.open311_post(&format!(
        "service_code=other&description={}{extra}",
        encode("Đề nghị công khai tiến độ thực hiện.")
    ));
    assert_eq!(page.status, 201, "{}", page.body);
    page.json()[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn act(official: &crate::common::Browser, code: &str, action: &str, extra: &str) -> Page {
    let version = official
        .call("/api/feedback/item", &format!("code={code}"))
        .json()["version"]
        .as_i64()
        .unwrap_or_default();
    official.call(
        "/api/feedback/act",
        &format!("code={code}&version={version}&action={action}{extra}"),
    )
}

fn edit_document(
    leader: &crate::common::Browser,
    id: i32,
    code: &str,
    classification: &str,
) -> Page {
    let version = leader.call("/api/document", &format!("id={id}")).json()["version"]
        .as_i64()
        .unwrap();
    leader.call(
        "/api/documents/update",
        &format!(
            "id={id}&version={version}&code={}&kind=plan&title={}&issuing_body=X&issued_on=2026-01-01&summary=&classification={classification}",
            encode(code),
            encode("Kế hoạch số hóa")
        ),
    )
}

on_both_backends! {
    fn national_oversight_is_granted_not_implied(app) {
        add_account(&app, "btctw.lanhdao", "BTCTW", Role::Leader, "secret");
        let hanoi = signed_in(&app, "hanoi.lanhdao");
        let document = create_document(&hanoi, "20-KH/TU-GS", "internal");
        let task = redirected_id(&create_task(&hanoi, document, None, "Việc riêng của Hà Nội", "01", "internal"), "/tasks/");
        let code = opinion(&app, "");
        let centre = signed_in(&app, "tw.lanhdao");
        assert_eq!(act(&centre, &code, "assign", "&unit=01").status, 200);

        let body = signed_in(&app, "btctw.lanhdao");
        let outside = |who: &crate::common::Browser| {
            assert_eq!(who.call("/api/document", &format!("id={document}")).status, 404);
            assert_eq!(who.call("/api/task", &format!("id={task}")).status, 404);
            assert_eq!(who.call("/api/dashboard", "code=01").status, 404);
            assert_eq!(who.call("/api/feedback/inbox", "").json()["total"], 0);
            assert_eq!(who.call("/api/feedback/item", &format!("code={code}")).status, 404);
            let documents = who.call("/api/documents", "").json();
            assert!(!documents.to_string().contains("20-KH/TU-GS"));
        };
        // A leader of a central body is not the centre: they see their own subtree.
        outside(&body);
        assert_eq!(act(&body, &code, "note", "&text=x").status, 404);

        // Only the centre's administrators grant oversight.
        add_account(&app, "hanoi.qtv", "01", Role::Admin, "secret");
        let province_admin = signed_in(&app, "hanoi.qtv");
        let refused = province_admin.call("/api/admin/oversight/set", "code=BTCTW&granted=true");
        assert_eq!(refused.status, 400, "{}", refused.body);
        let admin = signed_in(&app, "admin");
        let listed = admin.call("/api/admin/oversight", "").json();
        assert_eq!(listed["may_change"], true);
        assert!(listed["rows"].as_array().unwrap().iter().any(|r| r["unit"]["code"] == "TW" && r["granted"] == true));
        assert_eq!(admin.call("/api/admin/oversight/set", "code=01&granted=true").status, 400, "a province is not a central body");
        assert_eq!(admin.call("/api/admin/oversight/set", "code=BTCTW&granted=true").status, 200);
        // From its next request, the body sees the whole country.
        assert_eq!(body.call("/api/task", &format!("id={task}")).status, 200);
        assert_eq!(body.call("/api/dashboard", "code=01").status, 200);
        assert_eq!(body.call("/api/feedback/inbox", "").json()["total"], 1);
        assert_eq!(admin.call("/api/admin/oversight/set", "code=BTCTW&granted=false").status, 200);
        outside(&body);
        for action in ["oversight_granted", "oversight_withdrawn"] {
            assert_eq!(
                app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = '{action}' AND object_id = 'BTCTW'")),
                1
            );
        }
        // The page lists it, without JavaScript.
        let page = admin.get("/admin/oversight");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("BTCTW"));
    }

    fn a_document_classification_is_a_floor_for_its_tasks(app) {
        let leader = signed_in(&app, "hanoi.lanhdao");
        let document = create_document(&leader, "21-KH/TU-SN", "internal");
        let task = redirected_id(&create_task(&leader, document, None, "Số hóa hồ sơ lưu trữ", "01", "internal"), "/tasks/");
        let officer = signed_in(&app, "hanoi.canbo");
        let sent = officer.call_multipart(
            "/api/reports/submit",
            &[("task_id", &task.to_string()), ("progress", "20"), ("text", "Bước đầu"), ("submission_key", "floor-report-0001")],
            &[("so-hoa.pdf", b"%PDF-1.7 so hoa")],
        );
        assert!(sent.status < 400, "{}", sent.body);
        let file = task_json(&leader, task)["reports"][0]["attachments"][0]["id"].as_i64().unwrap();
        assert_eq!(officer.get(&format!("/files/{file}")).status, 200);

        // Raised to Mật: every task of it, with its reports and evidence, follows at once.
        let raised = edit_document(&leader, document, "21-KH/TU-SN", "confidential");
        assert!(raised.status < 400, "{}", raised.body);
        let detail = task_json(&leader, task);
        assert_eq!(detail["row"]["classification"], "confidential");
        let change = &detail["history"][0];
        assert_eq!(change["kind"], "edited");
        assert_eq!(change["changes"][0], serde_json::json!(["classification", "internal", "confidential"]));
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = 'classification_raised' AND object_id = '{task}'")),
            1
        );
        // The officer, cleared for "internal", no longer sees any of it.
        assert_eq!(officer.call("/api/task", &format!("id={task}")).status, 404);
        assert_eq!(officer.call("/api/document", &format!("id={document}")).status, 404);
        assert_eq!(officer.get(&format!("/files/{file}")).status, 404);
        assert_eq!(officer.call("/api/my-work", "").json()["total"], 0);
        let listed = officer.call("/api/documents", "").json();
        assert!(!listed.to_string().contains("21-KH/TU-SN"));

        // A public document an opinion named: once classified, neither the published
        // answers nor an official without the clearance see it named.
        let plan = create_document(&leader, "22-KH/TU-CK", "public");
        let code = opinion(&app, &format!("&attribute[document]={plan}"));
        let centre = signed_in(&app, "tw.lanhdao");
        assert_eq!(act(&centre, &code, "answer", "&text=%C4%90%C3%A3%20tr%E1%BA%A3%20l%E1%BB%9Di").status, 200);
        assert_eq!(act(&centre, &code, "publish", "").status, 200);
        assert!(app.new_browser().call("/api/feedback/answers", "").body.contains("22-KH/TU-CK"));
        assert!(edit_document(&leader, plan, "22-KH/TU-CK", "internal").status < 400);
        let answers = app.new_browser().call("/api/feedback/answers", "");
        assert_eq!(answers.status, 200);
        assert!(!answers.body.contains("22-KH/TU-CK"), "{}", answers.body);
        assert!(!app.new_browser().get("/feedback/answers").body.contains("22-KH/TU-CK"));
        add_account(&app, "tw.congkhai", "TW", Role::Viewer, "public");
        let public_only = signed_in(&app, "tw.congkhai");
        let item = public_only.call("/api/feedback/item", &format!("code={code}"));
        assert_eq!(item.status, 200);
        assert!(!item.body.contains("22-KH/TU-CK"), "{}", item.body);
        assert!(centre.call("/api/feedback/item", &format!("code={code}")).body.contains("22-KH/TU-CK"));
    }

    fn histories_counts_and_parents_tell_nothing_above_clearance(app) {
        add_account(&app, "hanoi.phobithu", "01", Role::Leader, "secret");
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "82-NQ/TW-LS", "internal");
        // Led by Hà Nội, with Hồ Chí Minh City coordinating.
        let created = centre.call(
            "/api/tasks/create",
            &format!("document_id={document}&title={}&lead_unit=01&coordinators=79&start_on=2026-01-01&due_on=2026-12-31&priority=high&weight=1&classification=internal", encode("Phối hợp liên vùng")),
        );
        let task = redirected_id(&created, "/tasks/");
        // Hà Nội breaks it down into a confidential subtask, and cascades it to two wards.
        let hanoi = signed_in(&app, "hanoi.lanhdao");
        let secret = redirected_id(&create_task(&hanoi, document, Some(task), "Phần Mật", "01", "confidential"), "/tasks/");
        let cascaded = hanoi.call("/api/tasks/cascade", &format!("id={task}&target=units&units=00004,00008"));
        assert!(cascaded.status < 400, "{}", cascaded.body);
        let ward_task = child_led_by(&task_json(&hanoi, task), "00004");

        // The coordinating city sees the task, not what Hà Nội did inside it.
        let hcm = signed_in(&app, "hcm.lanhdao");
        let seen = task_json(&hcm, task);
        assert_eq!(seen["children"].as_array().unwrap().len(), 0);
        assert_eq!(seen["row"]["child_count"], 0);
        let kinds: Vec<&str> = seen["history"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["created"], "no breakdown, no cascade: {seen}");
        assert!(!seen.to_string().contains("Phần Mật"));

        // An officer cleared for "internal" sees the cascade to two wards, not the subtask.
        let officer = signed_in(&app, "hanoi.canbo");
        let seen = task_json(&officer, task);
        let history = seen["history"].as_array().unwrap();
        assert!(history.iter().all(|e| e["kind"] != "broken_down" && e["detail"]["subtask"] != secret), "{seen}");
        let cascade = history.iter().find(|e| e["kind"] == "cascaded").expect("the cascade");
        assert_eq!(cascade["detail"]["units"], 2);
        assert!(cascade["detail"]["skipped"].is_null());
        assert_eq!(seen["row"]["child_count"], 2);

        // A ward sees its own copy, but neither its parent nor where it came from.
        let ward = signed_in(&app, "badinh.canbo");
        let own = task_json(&ward, ward_task);
        assert!(own["parent"].is_null());
        assert!(own["row"]["parent_id"].is_null(), "{own}");
        assert!(own["history"].as_array().unwrap().iter().all(|e| e["detail"]["cascaded_from"].is_null()));
        let listed = ward.call("/api/my-work", "").json();
        assert!(listed["rows"][0]["parent_id"].is_null(), "{listed}");
        let page = ward.get(&format!("/tasks/{ward_task}"));
        assert_eq!(page.status, 200);
        for form in [format!("\"parent_id\":{task}"), format!("\\\"parent_id\\\":{task}")] {
            assert!(!page.body.contains(&form), "the page's data names no parent");
        }
        assert!(page.body.contains("parent_id"), "the page carries its data");

        // A copy raised above a leader's clearance is not told apart when they cascade
        // again: it counts among the units reached, not among those that had it.
        let deputy = signed_in(&app, "hanoi.phobithu");
        let version = task_json(&deputy, ward_task)["version"].as_i64().unwrap();
        let raised = deputy.call(
            "/api/tasks/update",
            &format!("id={ward_task}&version={version}&title=X&description=&expected_result=&coordinators=&start_on=2026-01-01&due_on=2026-12-31&priority=high&weight=1&classification=secret"),
        );
        assert!(raised.status < 400, "{}", raised.body);
        let again = hanoi.call("/api/tasks/cascade", &format!("id={task}&target=units&units=00004,00008"));
        let location = again.header("location").unwrap_or_default().to_owned();
        assert!(location.contains("created=1&skipped=1"), "{location}");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM tasks WHERE parent_id = {task}")), 3, "no copy made twice");

        // A report on a task whose only subtasks are above the officer's clearance does
        // not confirm that they exist: the form is offered, and the answer is "not found".
        let other = redirected_id(&create_task(&hanoi, document, Some(task), "Một phần khác", "01", "internal"), "/tasks/");
        redirected_id(&create_task(&hanoi, document, Some(other), "Phần Mật thứ hai", "01", "confidential"), "/tasks/");
        let seen = task_json(&officer, other);
        assert_eq!(seen["actions"]["report"], true);
        assert_eq!(seen["children"].as_array().unwrap().len(), 0);
        let answer = call_report(&officer, other, "50", false, "hidden-subtask-001");
        assert_eq!(answer.status, 404, "{}", answer.body);
        assert!(!answer.body.contains("has_subtasks"));
        // Where the subtasks are seen, the answer says why.
        let leader_answer = call_report(&hanoi, other, "50", false, "seen-subtask-0001");
        assert_eq!(leader_answer.status, 400);
        assert!(leader_answer.body.contains("has_subtasks"));
    }

    fn every_read_of_a_classified_record_is_audited(app) {
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "83-NQ/TW-MAT", "confidential");
        let task = redirected_id(&create_task(&centre, document, None, "Việc Mật", "01", "confidential"), "/tasks/");
        let reads = |object: &str, id: i32| {
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'classified_read' AND object_type = '{object}' AND object_id = '{id}' AND actor_name = 'hanoi.lanhdao'"
            ))
        };
        let leader = signed_in(&app, "hanoi.lanhdao");
        let mut expected_task = 0;
        let mut expected_document = 0;
        for (path, body, task_rows, document_rows) in [
            ("/api/documents", String::new(), 0, 1),
            ("/api/document", format!("id={document}"), 1, 1),
            ("/api/task", format!("id={task}"), 1, 1),
            ("/api/my-work", String::new(), 1, 0),
            ("/api/dashboard", String::new(), 1, 1),
        ] {
            let page = leader.call(path, &body);
            assert_eq!(page.status, 200, "{path}: {}", page.body);
            expected_task += task_rows;
            expected_document += document_rows;
            assert_eq!(reads("task", task), expected_task, "{path}");
            assert_eq!(reads("document", document), expected_document, "{path}");
        }
        // The pages too, not only their server functions.
        assert_eq!(leader.get(&format!("/tasks/{task}")).status, 200);
        assert!(reads("task", task) > expected_task);
        // Public records leave no such trace.
        let open = create_document(&centre, "84-NQ/TW-CK", "public");
        leader.call("/api/documents", "");
        assert_eq!(reads("document", open), 0);
    }
}
