//! Accounts, sessions and the security baseline, as a browser and an attacker meet them.

use crate::common::{Backend, Page, TestApp};
use crate::on_both_backends;
use tiendo::model::account::{LOCKOUT_THRESHOLD, LOGIN_ATTEMPTS_PER_IP};
use tiendo::server::seed::DEMO_PASSWORD;

const COOKIE: &str = "tiendo_session";

fn assert_signed_in(page: &Page) {
    // A plain form gets a 302; the WebAssembly client a 200 with a redirect header.
    assert!(
        matches!(page.status, 200 | 302),
        "{} {}",
        page.status,
        page.body
    );
    assert!(
        page.header("set-cookie").is_some(),
        "a session cookie is set"
    );
}

/// Whether the browser's session is accepted by a guarded server function.
fn account_status(browser: &crate::common::Browser) -> u16 {
    browser.call("/api/account", "").status
}

on_both_backends! {
    fn session_cookie_has_every_attribute(app) {
        let page = app.login("admin", DEMO_PASSWORD);
        assert_signed_in(&page);
        let cookie = page.header("set-cookie").unwrap();
        assert!(cookie.starts_with("tiendo_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(cookie.contains("Path=/"), "{cookie}");
        assert!(cookie.contains("Max-Age=1800"), "idle timeout of 30 minutes: {cookie}");
        assert!(!cookie.contains("Secure"), "plain http in this test: {cookie}");
        assert!(!cookie.contains("Domain"), "{cookie}");
    }

    fn signing_in_issues_a_new_session_id(app) {
        // A session id planted before sign-in (session fixation) is not the one used after.
        app.browser.set_cookie(COOKIE, "AAAAAAAAAAAAAAAAAAAAAA");
        assert_signed_in(&app.login("hanoi.canbo", DEMO_PASSWORD));
        let first = app.browser.cookie(COOKIE).unwrap();
        assert_ne!(first, "AAAAAAAAAAAAAAAAAAAAAA");

        // Signing in again from the same browser cycles the id, and the old one dies.
        assert_signed_in(&app.login("hanoi.canbo", DEMO_PASSWORD));
        let second = app.browser.cookie(COOKIE).unwrap();
        assert_ne!(first, second);
        let old = app.new_browser();
        old.set_cookie(COOKIE, &first);
        assert_eq!(account_status(&old), 401);
        assert_eq!(account_status(&app.browser), 200);
    }

    fn the_old_cookie_is_refused_after_logout(app) {
        assert_signed_in(&app.login("badinh.canbo", DEMO_PASSWORD));
        let cookie = app.browser.cookie(COOKIE).unwrap();
        assert_eq!(account_status(&app.browser), 200);

        let out = app.post_form("/api/logout", "");
        assert_eq!(out.status, 302);
        assert_eq!(out.header("location"), Some("/"));

        let replay = app.new_browser();
        replay.set_cookie(COOKIE, &cookie);
        assert_eq!(account_status(&replay), 401, "the session ended on the server");
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions"), 0);
    }

    fn a_session_ended_or_changed_by_another_program_is_followed_at_once(app) {
        // The server keeps sessions and officials between requests: what another
        // program (or an operator's SQL) changes must still count on the next request.
        assert_signed_in(&app.login("hanoi.canbo", DEMO_PASSWORD));
        assert_eq!(account_status(&app.browser), 200);
        assert_eq!(account_status(&app.browser), 200);
        app.execute("UPDATE users SET full_name = 'Tên mới' WHERE username = 'hanoi.canbo'");
        assert!(app.browser.get("/account").body.contains("Tên mới"));
        app.execute("DELETE FROM sessions");
        assert_eq!(account_status(&app.browser), 401, "ended elsewhere");
        assert_eq!(app.browser.get("/account").status, 303);
    }

    fn a_password_change_ends_the_other_sessions(app) {
        let phone = app.new_browser();
        let desk = app.new_browser();
        assert_signed_in(&phone.login("hue.xem", DEMO_PASSWORD));
        assert_signed_in(&desk.login("hue.xem", DEMO_PASSWORD));
        let desk_cookie_before = desk.cookie(COOKIE).unwrap();

        let changed = desk.call(
            "/api/account/password",
            "current=tiendo-demo-2026&new=m%E1%BB%99t%20c%C3%A2u%20m%E1%BA%ADt%20kh%E1%BA%A9u%20m%E1%BB%9Bi&confirm=m%E1%BB%99t%20c%C3%A2u%20m%E1%BA%ADt%20kh%E1%BA%A9u%20m%E1%BB%9Bi",
        );
        assert!(changed.status < 400, "{} {}", changed.status, changed.body);
        assert_eq!(account_status(&phone), 401, "the other session ended");
        assert_eq!(account_status(&desk), 200, "the changing session goes on");
        assert_ne!(desk.cookie(COOKIE).unwrap(), desk_cookie_before, "with a new id");

        // The new password works, the old one does not.
        let fresh = app.new_browser();
        assert_eq!(fresh.login("hue.xem", DEMO_PASSWORD).status, 401);
        assert_signed_in(&fresh.login("hue.xem", "một câu mật khẩu mới"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'password_changed'"),
            1
        );
    }

    fn password_changes_follow_the_policy(app) {
        assert_signed_in(&app.login("hanoi.lanhdao", DEMO_PASSWORD));
        let attempt = |current: &str, new: &str, confirm: &str| {
            let body = format!(
                "current={}&new={}&confirm={}",
                crate::common::encode(current),
                crate::common::encode(new),
                crate::common::encode(confirm)
            );
            app.call("/api/account/password", &body)
        };
        let cases = [
            (DEMO_PASSWORD, "short", "short", "too_short"),
            (DEMO_PASSWORD, &"x".repeat(129), &"x".repeat(129), "too_long"),
            (DEMO_PASSWORD, "qwertyuiop123", "qwertyuiop123", "common"),
            (DEMO_PASSWORD, "Password12345", "Password12345", "common"),
            (DEMO_PASSWORD, "một câu đủ dài", "một câu khác", "mismatch"),
            ("wrong current one", "một câu đủ dài", "một câu đủ dài", "incorrect"),
            ("", "một câu đủ dài", "một câu đủ dài", "required"),
        ];
        for (current, new, confirm, problem) in cases {
            let page = attempt(current, new, confirm);
            assert_eq!(page.status, 400, "{problem}: {}", page.body);
            assert!(page.body.contains(problem), "{problem}: {}", page.body);
        }
        // Nothing changed: the demo password still signs in.
        assert_signed_in(&app.new_browser().login("hanoi.lanhdao", DEMO_PASSWORD));
    }

    fn repeated_failures_lock_the_account(app) {
        for _ in 0..LOCKOUT_THRESHOLD {
            assert_eq!(app.login("tw.lanhdao", "not the password").status, 401);
        }
        // Locked: even the right password is refused, with the same answer.
        let refused = app.login("tw.lanhdao", DEMO_PASSWORD);
        assert_eq!(refused.status, 401);
        let wrong = app.login("tw.lanhdao", "not the password");
        assert_eq!(refused.body, wrong.body, "locked and wrong look the same");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'account_locked'"),
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users WHERE username = 'tw.lanhdao' AND locked_until IS NOT NULL"),
            1
        );
        // Other accounts are not affected.
        assert_signed_in(&app.new_browser().login("admin", DEMO_PASSWORD));
        // When the lock runs out, the right password works again.
        app.execute("UPDATE users SET locked_until = NULL WHERE username = 'tw.lanhdao'");
        assert_signed_in(&app.login("tw.lanhdao", DEMO_PASSWORD));
    }

    fn unknown_users_get_the_same_answer(app) {
        let unknown = app.login("no.such.user", "not the password");
        let wrong = app.login("admin", "not the password");
        assert_eq!(unknown.status, 401);
        assert_eq!(unknown.body, wrong.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'login_failed'"),
            2
        );
    }

    fn bad_sign_in_input_changes_nothing(app) {
        let long = "a".repeat(10 * 1024);
        let cases = [
            ("", DEMO_PASSWORD, 400),
            ("admin", "", 400),
            (long.as_str(), DEMO_PASSWORD, 401),
            ("admin", long.as_str(), 401),
            ("ad\u{0}min", DEMO_PASSWORD, 401),
            ("admin\n", DEMO_PASSWORD, 401),
            ("admin", "tiendo-demo-2026\u{7}", 401),
        ];
        for (username, password, status) in cases {
            let page = app.login(username, password);
            assert_eq!(page.status, status, "{:?}: {}", &username.get(..20), page.body);
            assert!(!page.body.contains("panicked") && !page.body.contains("SQL"));
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions"), 0, "no session started");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users WHERE failed_logins > 0 OR locked_until IS NOT NULL"),
            1,
            "only the wrong password for a real account counted"
        );
    }

    fn next_accepts_local_paths_only(app) {
        for (next, expected) in [
            ("%2Faccount", "/account"),
            ("%2F%2Fevil.example", "/"),
            ("https%3A%2F%2Fevil.example", "/"),
            ("%2F%5Cevil.example", "/"),
        ] {
            let browser = app.new_browser();
            let page = browser.post_form(
                "/api/login",
                &format!("username=admin&password={DEMO_PASSWORD}&next={next}"),
            );
            assert_eq!(page.status, 302);
            assert_eq!(page.header("location"), Some(expected), "{next}");
        }
    }

    fn a_tampered_or_expired_cookie_is_anonymous(app) {
        for value in ["garbage", "", "AAAAAAAAAAAAAAAAAAAAAA", &"A".repeat(4000), "%00%0A"] {
            let browser = app.new_browser();
            browser.set_cookie(COOKIE, value);
            assert_eq!(account_status(&browser), 401, "{value:.20}");
            let page = browser.get("/account");
            assert_eq!(page.status, 303, "{value:.20}");
        }
        assert_signed_in(&app.login("admin", DEMO_PASSWORD));
        app.execute("UPDATE sessions SET expires_at = '2000-01-01 00:00:00+00:00'");
        assert_eq!(account_status(&app.browser), 401, "an expired session is over");
    }

    fn a_role_change_cycles_the_session_id(app) {
        assert_signed_in(&app.login("hanoi.canbo", DEMO_PASSWORD));
        let before = app.browser.cookie(COOKIE).unwrap();
        app.execute("UPDATE users SET role = 'leader' WHERE username = 'hanoi.canbo'");
        assert_eq!(account_status(&app.browser), 200);
        let after = app.browser.cookie(COOKIE).unwrap();
        assert_ne!(before, after, "new privileges, new session id");
        let old = app.new_browser();
        old.set_cookie(COOKIE, &before);
        assert_eq!(account_status(&old), 401);

        app.execute("UPDATE users SET clearance = 3 WHERE username = 'hanoi.canbo'");
        assert_eq!(account_status(&app.browser), 200);
        assert_ne!(after, app.browser.cookie(COOKIE).unwrap());
    }

    fn a_disabled_account_loses_its_sessions(app) {
        assert_signed_in(&app.login("hue.xem", DEMO_PASSWORD));
        app.execute("UPDATE users SET active = FALSE WHERE username = 'hue.xem'");
        assert_eq!(account_status(&app.browser), 401);
        assert_eq!(app.new_browser().login("hue.xem", DEMO_PASSWORD).status, 401);
    }

    fn an_official_sees_and_ends_their_sessions(app) {
        let phone = app.new_browser();
        assert_signed_in(&phone.login("badinh.canbo", DEMO_PASSWORD));
        assert_signed_in(&app.login("badinh.canbo", DEMO_PASSWORD));
        let account = app.call("/api/account", "");
        assert_eq!(account.status, 200);
        let sessions = account.json()["sessions"].as_array().unwrap().clone();
        assert_eq!(sessions.len(), 2);
        let other = sessions.iter().find(|s| s["current"] == false).unwrap();
        let handle = other["handle"].as_str().unwrap();

        // Another official cannot end it.
        let stranger = app.new_browser();
        assert_signed_in(&stranger.login("hanoi.canbo", DEMO_PASSWORD));
        assert_eq!(stranger.call("/api/account/revoke", &format!("handle={handle}")).status, 404);
        assert_eq!(account_status(&phone), 200);

        let revoked = app.call("/api/account/revoke", &format!("handle={handle}"));
        assert!(revoked.status < 400, "{}", revoked.body);
        assert_eq!(account_status(&phone), 401);
        assert_eq!(account_status(&app.browser), 200);
    }

    fn rehashes_old_parameters_at_sign_in(app) {
        use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
        let weak = argon2::Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            argon2::Params::new(4096, 1, 1, None).unwrap(),
        )
        .hash_password(DEMO_PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
        app.execute(&format!("UPDATE users SET password_hash = '{weak}' WHERE username = 'admin'"));
        assert_signed_in(&app.login("admin", DEMO_PASSWORD));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users WHERE username = 'admin' AND password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'"),
            1
        );
    }

    fn a_wrong_current_password_counts_towards_the_lockout(app) {
        let browser = app.new_browser();
        assert_signed_in(&browser.login("hue.canbo", DEMO_PASSWORD));
        let change = |current: &str| {
            browser.call(
                "/api/account/password",
                &format!(
                    "current={}&new={n}&confirm={n}",
                    crate::common::encode(current),
                    n = crate::common::encode("sông hương núi ngự mùa thu")
                ),
            )
        };
        for _ in 0..LOCKOUT_THRESHOLD {
            let page = change("a wrong guess");
            assert_eq!(page.status, 400, "{}", page.body);
            assert!(page.body.contains("incorrect"), "{}", page.body);
        }
        // Locked: the right password is refused too, here and at sign-in.
        let locked = change(DEMO_PASSWORD);
        assert_eq!(locked.status, 400);
        assert!(locked.body.contains("locked"), "{}", locked.body);
        assert_eq!(app.new_browser().login("hue.canbo", DEMO_PASSWORD).status, 401);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'account_locked'"),
            1
        );
        app.execute("UPDATE users SET locked_until = NULL WHERE username = 'hue.canbo'");
        assert_eq!(change(DEMO_PASSWORD).status, 200);
    }

    fn a_temporary_password_opens_only_the_password_change(app) {
        use tiendo::server::users::{NewUser, create};
        let password = "mật khẩu tạm thời của quản trị";
        app.block_on(async {
            let db = tiendo::server::db::Db::connect(&app.database.url).await.unwrap();
            create(
                &db,
                NewUser {
                    username: "hanoi.moi".into(),
                    full_name: "Cán bộ mới".into(),
                    email: None,
                    unit_code: "01".into(),
                    role: tiendo::model::Role::Leader,
                    clearance: tiendo::model::Classification::Internal,
                    password: password.into(),
                    must_change_password: true,
                },
            )
            .await
            .unwrap();
            db.close().await;
        });
        let browser = app.new_browser();
        browser.login("hanoi.moi", password);
        for path in ["/api/documents", "/api/my-work", "/api/dashboard", "/api/feedback/inbox"] {
            let page = browser.call(path, "");
            assert_eq!(page.status, 403, "{path}: {}", page.body);
            assert_eq!(page.json()["error"], "password_change_required", "{path}");
        }
        let created = browser.call(
            "/api/documents/create",
            "code=1-KH%2FTU&kind=plan&title=X&issuing_body=X&issued_on=2026-01-01&summary=&classification=public",
        );
        assert_eq!(created.status, 403);
        assert_eq!(app.count("SELECT COUNT(*) FROM documents"), 0);
        // A form posted without JavaScript is sent to the account page.
        let form = browser.post_form("/api/documents", "");
        assert_eq!(form.header("location"), Some("/account"));
        // What the account page needs still works.
        assert_eq!(browser.call("/api/account", "").status, 200);
        assert_eq!(browser.call("/api/viewer", "").status, 200);
        assert_eq!(browser.call("/api/account/revoke", "handle=none").status, 404, "ending a session is allowed");
        let changed = browser.call(
            "/api/account/password",
            &format!(
                "current={}&new={n}&confirm={n}",
                crate::common::encode(password),
                n = crate::common::encode("hoa sữa thơm phố cổ")
            ),
        );
        assert_eq!(changed.status, 200, "{}", changed.body);
        assert_eq!(browser.call("/api/documents", "").status, 200);
    }

    fn sign_in_is_audited(app) {
        assert_signed_in(&app.login("admin", DEMO_PASSWORD));
        assert_eq!(app.login("admin", "nope nope nope").status, 401);
        app.post_form("/api/logout", "");
        for (action, n) in [("login_succeeded", 1), ("login_failed", 1), ("logout", 1)] {
            assert_eq!(
                app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = '{action}' AND ip = '127.0.0.1'")),
                n,
                "{action}"
            );
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_events WHERE detail LIKE '%nope%' OR actor_name LIKE '%nope%'"),
            0,
            "no password in the audit trail"
        );
        // A password typed into the username field is not kept either.
        assert_eq!(app.login("my-secret-passphrase", "x").status, 401);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'login_failed' AND detail = 'unknown user'"),
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_events WHERE actor_name LIKE '%passphrase%' OR detail LIKE '%passphrase%'"),
            0
        );
    }

    fn signed_in_pages_redirect_anonymous_browsers(app) {
        let page = app.get("/account");
        assert_eq!(page.status, 303);
        assert_eq!(page.header("location"), Some("/login?next=/account"));
        assert_signed_in(&app.login("admin", DEMO_PASSWORD));
        let page = app.get("/account");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Quản trị hệ thống"));
        assert_eq!(page.header("cache-control"), Some("no-store"));
    }
}

#[test]
fn sign_in_attempts_per_address_are_limited() {
    let app = TestApp::spawn(Backend::Sqlite).unwrap();
    for _ in 0..LOGIN_ATTEMPTS_PER_IP {
        assert_eq!(app.login("no.such.user", "whatever").status, 401);
    }
    let limited = app.login("admin", DEMO_PASSWORD);
    assert_eq!(limited.status, 429);
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=600).contains(&retry), "{retry}");
    assert!(limited.body.contains("Quá nhiều lần thử"));
    // Other pages still answer.
    assert_eq!(app.get("/units").status, 200);
}

#[test]
fn a_burst_of_parallel_sign_ins_is_limited_as_it_arrives() {
    let app = TestApp::spawn(Backend::Sqlite).unwrap();
    let burst = 60;
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(burst));
    let statuses: Vec<(u16, Option<String>)> = std::thread::scope(|scope| {
        let attempts: Vec<_> = (0..burst)
            .map(|_| {
                let browser = app.new_browser();
                let barrier = barrier.clone();
                scope.spawn(move || {
                    barrier.wait();
                    let page = browser.login("admin", "not the password at all");
                    (page.status, page.header("retry-after").map(str::to_owned))
                })
            })
            .collect();
        attempts.into_iter().map(|a| a.join().unwrap()).collect()
    });
    let checked = statuses.iter().filter(|(status, _)| *status == 401).count();
    let limited = statuses.iter().filter(|(status, _)| *status == 429).count();
    let busy = statuses.iter().filter(|(status, _)| *status == 503).count();
    assert_eq!(
        checked + limited + busy,
        burst,
        "every attempt answered: {statuses:?}"
    );
    assert!(
        checked <= LOGIN_ATTEMPTS_PER_IP as usize,
        "{checked} passwords checked from one address in a burst"
    );
    for (status, retry) in &statuses {
        if *status != 401 {
            assert!(retry.is_some(), "{status} says when to try again");
        }
    }
    // Whether the burst itself met the limit depends on how fast the machine checks
    // passwords (an attempt told "busy" is not counted). What does not: once the burst is
    // over, the address has exactly its allowance left, then 429.
    let mut after = 0;
    loop {
        let page = app.login("admin", "not the password at all");
        if page.status == 429 {
            break;
        }
        assert_eq!(page.status, 401, "one attempt at a time is checked");
        after += 1;
        assert!(checked + after <= LOGIN_ATTEMPTS_PER_IP as usize);
    }
    assert_eq!(
        checked + after,
        LOGIN_ATTEMPTS_PER_IP as usize,
        "{limited} limited, {busy} busy in the burst"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'login_failed'") as usize,
        checked + after
    );
}

#[test]
fn cross_origin_requests_that_change_state_are_refused() {
    let app = TestApp::spawn(Backend::Sqlite).unwrap();
    let post = |headers: &[(&str, &str)]| {
        let mut request = app
            .browser
            .agent
            .post(app.url("/api/login"))
            .header("Accept", "application/json")
            .content_type("application/x-www-form-urlencoded");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Page::from(
            request
                .send("username=admin&password=tiendo-demo-2026&next=%2F")
                .unwrap(),
        )
    };
    assert_eq!(post(&[("Origin", "http://evil.example")]).status, 403);
    assert_eq!(post(&[("Origin", "null")]).status, 403);
    assert_eq!(post(&[("Sec-Fetch-Site", "cross-site")]).status, 403);
    assert_eq!(
        post(&[("Sec-Fetch-Site", "same-site"), ("Origin", &app.url(""))]).status,
        403
    );
    assert_eq!(post(&[]).status, 403, "no origin at all");
    assert_eq!(post(&[("Sec-Fetch-Site", "same-origin")]).status, 200);
    assert_eq!(post(&[("Origin", &app.url(""))]).status, 200);
}

#[test]
fn every_guarded_server_function_answers_401_to_anonymous_callers() {
    let app = TestApp::spawn(Backend::Sqlite).unwrap();
    let routes: Vec<(&str, http::Method)> = leptos::server_fn::axum::server_fn_paths().collect();
    assert!(
        routes.len() >= 10,
        "the list comes from the app itself: {routes:?}"
    );
    assert!(routes.iter().any(|(path, _)| *path == "/api/account"));
    for public in tiendo::api::PUBLIC_SERVER_FNS {
        assert!(
            routes.iter().any(|(path, _)| path == public),
            "{public} is a server function"
        );
    }
    let mut guarded = 0;
    for (path, method) in routes {
        if tiendo::api::PUBLIC_SERVER_FNS.contains(&path) {
            continue;
        }
        let request = http::Request::builder()
            .method(method)
            .uri(app.url(path))
            .header("Accept", "application/json")
            .header("Origin", app.url(""))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(String::new())
            .unwrap();
        let page = Page::from(app.browser.agent.run(request).unwrap());
        assert_eq!(page.status, 401, "{path}: {}", page.body);
        assert_eq!(page.json()["error"], "unauthorized", "{path}");
        guarded += 1;
    }
    assert!(guarded >= 3);
}

#[test]
fn secure_cookies_get_the_host_prefix_and_hsts() {
    let app = TestApp::spawn_with(Backend::Sqlite, true).unwrap();
    let page = app.login("admin", DEMO_PASSWORD);
    let cookie = page.header("set-cookie").unwrap();
    assert!(cookie.starts_with("__Host-tiendo_session="), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(
        cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
    for path in ["/", "/units", "/favicon.svg", "/no/such/page"] {
        let page = app.get(path);
        assert_eq!(
            page.header("strict-transport-security"),
            Some("max-age=31536000; includeSubDomains"),
            "{path}"
        );
    }
}

#[test]
fn security_headers_on_every_kind_of_response() {
    let app = TestApp::spawn(Backend::Sqlite).unwrap();
    assert_signed_in(&app.login("admin", DEMO_PASSWORD));
    let responses = [
        ("page", app.get("/account")),
        ("server function", app.call("/api/account", "")),
        ("static file", app.get("/favicon.svg")),
        ("stylesheet", app.get("/pkg/tiendo.css")),
        ("404", app.get("/no/such/page")),
        ("error", app.call("/api/account/revoke", "handle=nothing")),
    ];
    for (kind, page) in &responses {
        assert_eq!(
            page.header("x-content-type-options"),
            Some("nosniff"),
            "{kind}"
        );
        assert_eq!(page.header("x-frame-options"), Some("DENY"), "{kind}");
        assert_eq!(
            page.header("referrer-policy"),
            Some("same-origin"),
            "{kind}"
        );
        assert!(
            page.header("strict-transport-security").is_none(),
            "plain http: {kind}"
        );
    }
    for (kind, page) in &responses[..2] {
        assert_eq!(page.header("cache-control"), Some("no-store"), "{kind}");
    }
    for (kind, page) in [&responses[0], &responses[4]] {
        let csp = page.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{kind}: {csp}");
        assert!(csp.contains("script-src 'nonce-"), "{kind}: {csp}");
    }
    assert_eq!(responses[2].1.status, 200);
    assert_eq!(
        responses[3].1.status, 200,
        "the stylesheet is built before the tests"
    );
    assert_eq!(responses[4].1.status, 404);
}

#[test]
fn a_database_failure_shows_a_reference_and_no_internals() {
    let app = TestApp::spawn(Backend::Sqlite).unwrap();
    app.execute("ALTER TABLE units RENAME TO units_gone");
    let page = app.get("/units");
    assert_eq!(page.status, 500);
    let call = app.call("/api/units/overview", "");
    assert_eq!(call.status, 500);
    let error = call.json();
    assert_eq!(error["error"], "internal");
    let reference = error["reference"].as_str().unwrap();
    assert_eq!(reference.len(), 10);
    for shown in [&page.body, &call.body] {
        for secret in [
            "SELECT",
            "sqlite",
            "no such table",
            "units_gone",
            "/tmp",
            ".rs",
            "panicked",
        ] {
            assert!(!shown.contains(secret), "`{secret}` leaked: {shown}");
        }
    }
    assert!(
        page.body.contains("Mã tham chiếu"),
        "the page gives a reference"
    );
}
