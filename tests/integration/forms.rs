//! A refused form comes back as it was typed, without JavaScript: values put back (never
//! a password), the problem named at the top and beside its field, focus on that field.

use crate::common::{Browser, Page, encode};
use crate::on_both_backends;
use crate::work::{create_document, create_task, redirected_id, signed_in};

/// The page `from` a refused plain form is sent back to, as the browser follows the
/// redirect (the address server_fn builds from the `Referer`, with the error).
fn come_back(browser: &Browser, refused: &Page, from: &str) -> Page {
    assert_eq!(refused.status, 302, "{}", refused.body);
    let location = refused.header("location").unwrap_or_default().to_owned();
    let query = location.split_once('?').map(|(_, q)| q).unwrap_or_default();
    assert!(query.contains("__err="), "{location}");
    browser.get(&format!("{from}?{query}"))
}

/// The opening tag of the element with `id`.
fn tag_of<'a>(page: &'a Page, id: &str) -> &'a str {
    let at = page
        .body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("#{id} on the page"));
    let start = page.body[..at].rfind('<').unwrap_or(0);
    let end = at + page.body[at..].find('>').unwrap_or(0);
    &page.body[start..=end]
}

on_both_backends! {
    fn a_refused_document_comes_back_as_typed(app) {
        let leader = signed_in(&app, "tw.lanhdao");
        let title = "Về phát triển kinh tế tư nhân <thử> & \"trích dẫn\"";
        let refused = leader.post_form_from(
            "/documents/new",
            "/api/documents/create",
            &format!(
                "code=&kind=directive&title={}&issuing_body={}&issued_on=2025-05-04&summary={}&classification=public",
                encode(title),
                encode("Ban Bí thư"),
                encode("Dòng một\nDòng hai"),
            ),
        );
        let page = come_back(&leader, &refused, "/documents/new");
        assert_eq!(page.status, 200);
        // What was typed, escaped as text, in its field; the choice as chosen.
        assert!(page.body.contains("Về phát triển kinh tế tư nhân &lt;thử&gt; &amp; \"trích dẫn\"</textarea>"), "title kept");
        assert!(tag_of(&page, "issuing_body").contains("value=\"Ban Bí thư\""), "{}", tag_of(&page, "issuing_body"));
        assert!(tag_of(&page, "issued_on").contains("value=\"2025-05-04\""));
        assert!(page.body.contains("<option value=\"directive\" selected"), "kind kept");
        assert!(page.body.contains("<option value=\"public\" selected"), "classification kept");
        // The field to correct: marked, focused, named in the summary at the top.
        let code = tag_of(&page, "code");
        assert!(code.contains("aria-invalid=\"true\"") && code.contains("autofocus"), "{code}");
        assert!(!tag_of(&page, "title").contains("aria-invalid"));
        assert!(page.body.contains("role=\"alert\" class=\"notice notice-error error-summary\""));
        assert!(page.body.contains("href=\"#code\""));
        assert_eq!(app.count("SELECT COUNT(*) FROM documents WHERE title LIKE 'Về phát triển kinh tế tư nhân%'"), 0);
        // Once: the same address again shows the error but no longer the values.
        let again = come_back(&leader, &refused, "/documents/new");
        assert!(!again.body.contains("Ban Bí thư"), "typed values are given back once");
        // And never to someone else's session.
        let other = signed_in(&app, "hanoi.lanhdao");
        other.post_form_from(
            "/documents/new",
            "/api/documents/create",
            &format!("code=&kind=resolution&title={}&issuing_body=x&issued_on=2025-05-04&summary=&classification=public", encode("Riêng")),
        );
        let seen = come_back(&leader, &refused, "/documents/new");
        assert!(!seen.body.contains("Riêng"));
    }

    fn a_textarea_cannot_be_closed_by_what_it_holds(app) {
        // Stored text shown for editing stays text: no markup gets out of the field, and an
        // entity typed by an official comes back as typed.
        let leader = signed_in(&app, "tw.lanhdao");
        let hostile = "Hết </textarea><b id=\"injected\">x</b> &lt;";
        let page = leader.call(
            "/api/documents/create",
            &format!(
                "code=HOSTILE-1&kind=resolution&title={}&issuing_body=x&issued_on=2025-05-04&summary={}&classification=internal",
                encode(hostile),
                encode(hostile)
            ),
        );
        let id = redirected_id(&page, "/documents/");
        let page = leader.get(&format!("/documents/{id}"));
        assert!(!page.body.contains("<b id=\"injected\">"), "markup escaped the textarea");
        assert!(page.body.contains("Hết &lt;/textarea&gt;&lt;b id=\"injected\"&gt;x&lt;/b&gt; &amp;lt;</textarea>"));
    }

    fn a_refused_sign_in_keeps_the_name_and_never_the_password(app) {
        let browser = app.new_browser();
        let secret = "khong-dung-9f3a1c";
        let refused = browser.post_form_from(
            "/login",
            "/api/login",
            &format!("username=hue.canbo&password={secret}&next=%2Fmy-work"),
        );
        let page = come_back(&browser, &refused, "/login");
        assert!(tag_of(&page, "username").contains("value=\"hue.canbo\""), "{}", tag_of(&page, "username"));
        assert!(!page.body.contains(secret));
        assert!(!tag_of(&page, "password").contains("value="));
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM sessions WHERE data LIKE '%{secret}%'")), 0);
        // Nor the new passwords of a refused change.
        let official = signed_in(&app, "hue.canbo");
        let refused = official.post_form_from(
            "/account",
            "/api/account/password",
            "current=sai-roi-123&new=mot-mat-khau-moi-1&confirm=mot-mat-khau-moi-1",
        );
        let page = come_back(&official, &refused, "/account");
        assert!(!page.body.contains("mot-mat-khau-moi-1"));
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions WHERE data LIKE '%mot-mat-khau-moi%' OR data LIKE '%sai-roi%'"), 0);
        assert!(tag_of(&page, "current").contains("aria-invalid=\"true\""), "{}", tag_of(&page, "current"));
    }

    fn a_refused_report_keeps_its_text_and_the_other_forms_keep_theirs(app) {
        let centre = signed_in(&app, "tw.lanhdao");
        let document = create_document(&centre, "72-NQ/TW-FM", "internal");
        let task = redirected_id(&create_task(&centre, document, None, "Nhiệm vụ gốc", "TW", "internal"), "/tasks/");
        let from = format!("/tasks/{task}");
        // A report with progress out of range: its text and tick come back (files cannot).
        let text = "Đã tổ chức 3 hội nghị quán triệt";
        let refused = centre.post_multipart(
            "/api/reports/submit",
            &[("task_id", &task.to_string()), ("submission_key", "forms-report-001"), ("progress", "150"), ("text", text), ("claims_completion", "on")],
            &[],
        );
        let page = come_back(&centre, &refused, &from);
        assert!(page.body.contains(text), "report text kept");
        assert!(tag_of(&page, "report-progress").contains("value=\"150\""));
        assert!(tag_of(&page, "report-progress").contains("aria-invalid=\"true\""));
        assert!(tag_of(&page, "report-claims").contains("checked"));
        // A refused subtask: its title comes back to the subtask form only; the edit form
        // shows the task as it is.
        let refused = centre.post_form_from(
            &from,
            "/api/tasks/create",
            &format!(
                "document_id={document}&parent_id={task}&title={}&description=&expected_result=&lead_unit=TW&coordinators=&start_on=2026-05-01&due_on=2026-01-01&priority=high&weight=1&classification=internal",
                encode("Nhiệm vụ con gõ dở")
            ),
        );
        let page = come_back(&centre, &refused, &from);
        assert!(tag_of(&page, "task-due_on").contains("value=\"2026-01-01\""));
        assert!(tag_of(&page, "task-due_on").contains("autofocus"), "{}", tag_of(&page, "task-due_on"));
        assert!(page.body.contains("Nhiệm vụ con gõ dở"));
        assert!(!tag_of(&page, "edit-due_on").contains("2026-01-01"), "the edit form is not the refused one");
        assert!(!tag_of(&page, "edit-due_on").contains("aria-invalid"));
        assert!(page.body.contains("href=\"#task-due_on\""));
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM tasks WHERE parent_id = {task}")), 0);
    }
}

on_both_backends! {
    fn a_page_showing_an_error_writes_no_session(app) {
        // Showing an error with nothing kept for it is a read: the official's session is
        // not written (it is touched at most once a minute otherwise), and a visitor gets
        // no session at all.
        let official = signed_in(&app, "hue.canbo");
        let updated = || app.text("SELECT CAST(updated_at AS TEXT) FROM sessions WHERE user_id IS NOT NULL");
        let before = updated();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let error = "__path=%2Fapi%2Freports%2Fsubmit&__err=eyJlcnJvciI6InJlcXVlc3QifQ%3D%3D";
        assert_eq!(official.get(&format!("/my-work?{error}")).status, 200);
        assert_eq!(updated(), before, "the session was written");
        let sessions = app.count("SELECT COUNT(*) FROM sessions");
        let page = app.get(&format!("/login?{error}"));
        assert_eq!(page.status, 200);
        assert!(page.header("set-cookie").is_none(), "{:?}", page.header("set-cookie"));
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions"), sessions);
    }
}
