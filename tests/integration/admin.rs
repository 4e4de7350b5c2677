//! Administrators manage the accounts of their own subtree, and nothing beyond it.

use crate::common::{Browser, TestApp, encode};
use crate::on_both_backends;
use tiendo::server::seed::DEMO_PASSWORD;

fn signed_in(app: &TestApp, username: &str, password: &str) -> Browser {
    let browser = app.new_browser();
    let page = browser.login(username, password);
    assert!(
        matches!(page.status, 200 | 302),
        "{username}: {}",
        page.body
    );
    browser
}

/// Creates an account through the administration form; returns its id and password.
fn create(
    admin: &Browser,
    username: &str,
    unit: &str,
    role: &str,
    clearance: &str,
) -> (i32, String) {
    let page = admin.call(
        "/api/admin/users/create",
        &format!(
            "username={username}&full_name={}&email=&unit={unit}&role={role}&clearance={clearance}",
            encode("Nguyễn Thị Mai")
        ),
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let location = page.header("location").unwrap_or_default().to_owned();
    let id: i32 = location
        .trim_start_matches("/admin/users/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirected to the new account: {location:?}"));
    let detail = admin.call("/api/admin/user", &format!("id={id}")).json();
    let password = detail["new_password"]
        .as_str()
        .expect("shown once")
        .to_owned();
    let again = admin.call("/api/admin/user", &format!("id={id}")).json();
    assert!(again["new_password"].is_null(), "and only once");
    (id, password)
}

/// The usernames of a page of the list.
fn usernames(listed: &serde_json::Value) -> Vec<&str> {
    listed["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["username"].as_str().unwrap())
        .collect()
}

fn user_id(app: &TestApp, username: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM users WHERE username = '{username}'"
    ))
}

on_both_backends! {
    fn an_admin_creates_an_account_that_must_choose_its_password(app) {
        let admin = signed_in(&app, "admin", DEMO_PASSWORD);
        let (id, password) = create(&admin, "mai.nguyen", "00004", "officer", "internal");
        assert_eq!(password.chars().count(), 20);
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = 'user_created' AND object_id = '{id}'")),
            1
        );

        let mai = signed_in(&app, "mai.nguyen", &password);
        // Sent to choose a password before anything else.
        let home = mai.get("/");
        assert_eq!(home.status, 303);
        assert_eq!(home.header("location"), Some("/account"));
        let changed = mai.call(
            "/api/account/password",
            &format!("current={}&new={n}&confirm={n}", encode(&password), n = encode("hoa sen nở giữa hồ")),
        );
        assert_eq!(changed.status, 200, "{}", changed.body);
        assert_eq!(mai.get("/").status, 200);
    }

    fn a_province_admin_reaches_their_province_only(app) {
        let admin = signed_in(&app, "admin", DEMO_PASSWORD);
        let (_, password) = create(&admin, "hanoi.admin", "01", "admin", "confidential");
        let hanoi_admin = signed_in(&app, "hanoi.admin", &password);
        hanoi_admin.call(
            "/api/account/password",
            &format!("current={}&new={n}&confirm={n}", encode(&password), n = encode("ba đình mùa thu")),
        );

        let listed = hanoi_admin.call("/api/admin/users", "").json();
        let names = usernames(&listed);
        assert_eq!(
            names,
            ["badinh.canbo", "giangvo.canbo", "hanoi.admin", "hanoi.canbo", "hanoi.lanhdao", "ngocha.canbo"]
        );
        assert_eq!(listed["total"], 6);

        // Accounts outside the province do not exist for them.
        let hue = user_id(&app, "hue.xem");
        assert_eq!(hanoi_admin.call("/api/admin/user", &format!("id={hue}")).status, 404);
        let central = user_id(&app, "admin");
        assert_eq!(
            hanoi_admin.call("/api/admin/users/active", &format!("id={central}&active=false")).status,
            404
        );
        assert_eq!(hanoi_admin.call("/api/admin/users/reset", &format!("id={hue}")).status, 404);

        // They cannot place an account outside, or grant more than their own clearance.
        let outside = hanoi_admin.call(
            "/api/admin/users/create",
            "username=hue.someone&full_name=A&email=&unit=46&role=viewer&clearance=internal",
        );
        assert_eq!(outside.status, 400);
        assert!(outside.body.contains("out_of_reach") && outside.body.contains("unit"), "{}", outside.body);
        let too_secret = hanoi_admin.call(
            "/api/admin/users/create",
            "username=hanoi.secret&full_name=A&email=&unit=01&role=viewer&clearance=secret",
        );
        assert_eq!(too_secret.status, 400);
        assert!(too_secret.body.contains("clearance"), "{}", too_secret.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE username IN ('hue.someone', 'hanoi.secret')"), 0);

        // What may be granted: up to their own clearance, from their own province.
        let grantable = hanoi_admin.call("/api/admin/grantable", "").json();
        assert_eq!(grantable["unit"]["code"], "01");
        assert_eq!(grantable["clearances"].as_array().unwrap().len(), 3);
    }

    fn only_administrators_manage_accounts(app) {
        let leader = signed_in(&app, "hanoi.lanhdao", DEMO_PASSWORD);
        for (path, body) in [
            ("/api/admin/users", ""),
            ("/api/admin/grantable", ""),
            ("/api/admin/user", "id=1"),
            ("/api/admin/users/create", "username=x.y.z&full_name=A&email=&unit=01&role=admin&clearance=public"),
            ("/api/admin/users/reset", "id=1"),
            ("/api/admin/users/active", "id=1&active=false"),
        ] {
            assert_eq!(leader.call(path, body).status, 403, "{path}");
        }
        let page = leader.get("/admin/users");
        assert_eq!(page.status, 403);
        assert!(page.body.contains("không có quyền"), "{}", page.body);
    }

    fn a_stale_edit_is_refused_and_changes_nothing(app) {
        let admin = signed_in(&app, "admin", DEMO_PASSWORD);
        let id = user_id(&app, "hanoi.canbo");
        let read = admin.call("/api/admin/user", &format!("id={id}")).json();
        let version = read["version"].as_i64().unwrap();
        let edit = |full_name: &str, role: &str, version: i64| {
            admin.call(
                "/api/admin/users/update",
                &format!(
                    "id={id}&version={version}&full_name={}&email=&unit=01&role={role}&clearance=internal",
                    encode(full_name)
                ),
            )
        };
        assert_eq!(edit("Lê Minh Tuấn (sửa)", "leader", version).status, 200);
        // A second edit made from the same, now stale, reading.
        let stale = edit("Lê Minh Tuấn (ghi đè)", "viewer", version);
        assert_eq!(stale.status, 409, "{}", stale.body);
        assert_eq!(stale.json()["error"], "conflict");
        let now = admin.call("/api/admin/user", &format!("id={id}")).json();
        assert_eq!(now["row"]["full_name"], "Lê Minh Tuấn (sửa)");
        assert_eq!(now["row"]["role"], "leader");
        assert_eq!(now["version"].as_i64().unwrap(), version + 1);
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = 'role_changed' AND object_id = '{id}'")),
            1
        );
    }

    fn disabling_ends_sessions_and_enabling_restores_sign_in(app) {
        let admin = signed_in(&app, "admin", DEMO_PASSWORD);
        let officer = signed_in(&app, "badinh.canbo", DEMO_PASSWORD);
        let id = user_id(&app, "badinh.canbo");
        assert_eq!(admin.call("/api/admin/users/active", &format!("id={id}&active=false")).status, 200);
        assert_eq!(officer.call("/api/account", "").status, 401);
        assert_eq!(app.new_browser().login("badinh.canbo", DEMO_PASSWORD).status, 401);
        assert_eq!(admin.call("/api/admin/users/active", &format!("id={id}&active=true")).status, 200);
        signed_in(&app, "badinh.canbo", DEMO_PASSWORD);
        for action in ["user_disabled", "user_enabled"] {
            assert_eq!(app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = '{action}'")), 1);
        }
    }

    fn a_reset_password_is_shown_once_and_ends_sessions(app) {
        let admin = signed_in(&app, "admin", DEMO_PASSWORD);
        let viewer = signed_in(&app, "hue.xem", DEMO_PASSWORD);
        let id = user_id(&app, "hue.xem");
        assert_eq!(admin.call("/api/admin/users/reset", &format!("id={id}")).status, 200);
        assert_eq!(viewer.call("/api/account", "").status, 401);
        let shown = admin.call("/api/admin/user", &format!("id={id}")).json();
        let password = shown["new_password"].as_str().unwrap().to_owned();
        assert!(shown["must_change_password"].as_bool().unwrap());
        assert_eq!(app.new_browser().login("hue.xem", DEMO_PASSWORD).status, 401);
        signed_in(&app, "hue.xem", &password);
    }

    fn administrators_cannot_lock_themselves_out(app) {
        let admin = signed_in(&app, "admin", DEMO_PASSWORD);
        let id = user_id(&app, "admin");
        let version = admin.call("/api/admin/user", &format!("id={id}")).json()["version"].as_i64().unwrap();
        let demote = admin.call(
            "/api/admin/users/update",
            &format!("id={id}&version={version}&full_name=Admin&email=&unit=TW&role=viewer&clearance=top_secret"),
        );
        assert_eq!(demote.status, 400);
        assert!(demote.body.contains("role"));
        assert_eq!(admin.call("/api/admin/users/active", &format!("id={id}&active=false")).status, 400);
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE username = 'admin' AND role = 'admin' AND active = TRUE"), 1);
    }

    fn an_administrator_acts_only_below_themselves(app) {
        let admin = signed_in(&app, "admin", DEMO_PASSWORD);
        // A secret-cleared leader of Hà Nội, and two administrators of Hà Nội cleared for
        // "internal": the attacker, and a colleague of the same unit.
        let (leader, _) = create(&admin, "hanoi.bithu", "01", "leader", "secret");
        let (_, password) = create(&admin, "hanoi.qtv", "01", "admin", "internal");
        let (colleague, _) = create(&admin, "hanoi.qtv2", "01", "admin", "internal");
        let attacker = signed_in(&app, "hanoi.qtv", &password);
        let chosen = "cây đa đầu làng mùa gặt";
        attacker.call(
            "/api/account/password",
            &format!("current={}&new={n}&confirm={n}", encode(&password), n = encode(chosen)),
        );
        let before = |id: i32| {
            app.count(&format!(
                "SELECT COUNT(*) FROM users WHERE id = {id} AND version = 0 AND active = TRUE AND must_change_password = TRUE"
            ))
        };
        for id in [leader, colleague] {
            assert_eq!(before(id), 1);
            for (path, body) in [
                ("/api/admin/user", format!("id={id}")),
                ("/api/admin/users/reset", format!("id={id}")),
                ("/api/admin/users/active", format!("id={id}&active=false")),
                ("/api/admin/users/active", format!("id={id}&active=true")),
                (
                    "/api/admin/users/update",
                    format!("id={id}&version=0&full_name=X&email=&unit=01&role=viewer&clearance=internal"),
                ),
            ] {
                let page = attacker.call(path, &body);
                assert_eq!(page.status, 404, "{path} on {id}: {}", page.body);
                assert!(!page.body.contains("hanoi.bithu") && !page.body.contains("hanoi.qtv2"));
            }
            assert_eq!(before(id), 1, "nothing changed");
        }
        let listed = attacker.call("/api/admin/users", "").json();
        let names = usernames(&listed);
        assert!(names.contains(&"hanoi.qtv") && names.contains(&"hanoi.canbo"), "{names:?}");
        for hidden in ["hanoi.bithu", "hanoi.qtv2", "hanoi.lanhdao"] {
            assert!(!names.contains(&hidden), "{hidden} is above or beside them: {names:?}");
        }
        // Nor can they make an account what they could not manage.
        let peer = attacker.call(
            "/api/admin/users/create",
            "username=hanoi.qtv3&full_name=A&email=&unit=01&role=admin&clearance=public",
        );
        assert_eq!(peer.status, 400, "{}", peer.body);
        assert!(peer.body.contains("role"), "{}", peer.body);
        let officer = user_id(&app, "hanoi.canbo");
        let promote = attacker.call(
            "/api/admin/users/update",
            &format!("id={officer}&version=0&full_name=A&email=&unit=01&role=admin&clearance=internal"),
        );
        assert_eq!(promote.status, 400, "{}", promote.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE role = 'admin'"), 3);
        // Below them, an administrator of a ward is theirs to make.
        create(&attacker, "badinh.qtv", "00004", "admin", "internal");
        // The central administrator, above both, still manages them.
        assert_eq!(admin.call("/api/admin/users/reset", &format!("id={colleague}")).status, 200);
        assert_eq!(admin.call("/api/admin/users/reset", &format!("id={leader}")).status, 200);
    }

    fn an_administrator_does_not_reset_their_own_password(app) {
        let admin = signed_in(&app, "admin", DEMO_PASSWORD);
        let id = user_id(&app, "admin");
        let page = admin.call("/api/admin/users/reset", &format!("id={id}"));
        assert_eq!(page.status, 400, "{}", page.body);
        assert!(page.body.contains("password"), "{}", page.body);
        // Still signed in, with the same password.
        assert_eq!(admin.call("/api/account", "").status, 200);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users WHERE username = 'admin' AND must_change_password = FALSE"),
            1
        );
        signed_in(&app, "admin", DEMO_PASSWORD);
        // The page offers the account page instead.
        let own = admin.get(&format!("/admin/users/{id}"));
        assert!(own.body.contains("Mật khẩu của chính bạn"), "{}", own.body);
        assert!(!own.body.contains("/api/admin/users/reset"));
    }

    fn a_one_time_password_never_rests_in_a_session_row(app) {
        let admin = signed_in(&app, "admin", DEMO_PASSWORD);
        let id = user_id(&app, "hue.xem");
        assert_eq!(admin.call("/api/admin/users/reset", &format!("id={id}")).status, 200);
        // Between the reset and the page that shows it, the session row holds no password.
        let db = app.db();
        let rows: Vec<String> = app.block_on(async {
            use sea_orm::{ConnectionTrait, Statement};
            db.read
                .query_all_raw(Statement::from_string(db.backend(), "SELECT data FROM sessions".to_owned()))
                .await
                .unwrap()
                .iter()
                .map(|row| row.try_get_by_index::<String>(0).unwrap_or_default())
                .collect()
        });
        let shown = admin.call("/api/admin/user", &format!("id={id}")).json();
        let password = shown["new_password"].as_str().unwrap().to_owned();
        assert!(!rows.is_empty());
        for row in rows {
            assert!(!row.contains(&password), "a session row holds the password: {row}");
        }
        signed_in(&app, "hue.xem", &password);
    }

    fn the_list_filters_and_pages(app) {
        let admin = signed_in(&app, "admin", DEMO_PASSWORD);
        app.block_on(async {
            let db = tiendo::server::db::Db::connect(&app.database.url).await.unwrap();
            for n in 0..30 {
                tiendo::server::users::create(
                    &db,
                    tiendo::server::users::NewUser {
                        username: format!("xa.{n:02}"),
                        full_name: format!("Đặng Văn Số {n}"),
                        email: None,
                        unit_code: "00008".into(),
                        role: tiendo::model::Role::Viewer,
                        clearance: tiendo::model::Classification::Public,
                        password: "một mật khẩu đủ dài".into(),
                        must_change_password: false,
                    },
                )
                .await
                .unwrap();
            }
            db.close().await;
        });
        let list = |query: &str| admin.call("/api/admin/users", query).json();
        let all = list("");
        assert_eq!(all["total"], 41, "11 demo accounts and 30 more");
        assert_eq!(all["pages"], 2);
        assert_eq!(all["rows"].as_array().unwrap().len(), 25);
        assert_eq!(list("filter[page]=2")["rows"].as_array().unwrap().len(), 16);
        // Diacritics and case ignored.
        assert_eq!(list("filter[q]=dang%20van")["total"], 30);
        assert_eq!(list("filter[q]=TR%E1%BA%A6N%20th%E1%BB%8B")["total"], 1);
        assert_eq!(list("filter[role]=leader")["total"], 3);
        assert_eq!(list("filter[unit]=01")["total"], 35, "Hà Nội's subtree");
        assert_eq!(list("filter[unit]=00008")["total"], 31);
        assert_eq!(list("filter[active]=false")["total"], 0);
        let unknown = admin.call("/api/admin/users", "filter[unit]=nowhere");
        assert_eq!(unknown.status, 400);

        // The page lists them too, without JavaScript.
        let page = admin.get("/admin/users?q=dang+van&page=2");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Đặng Văn Số"), "{}", page.body);
        assert!(page.body.contains("Trang 2/2"));
    }
}
