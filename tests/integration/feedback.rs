//! Feedback from citizens and businesses: the public form without JavaScript, tracking,
//! the officials' inbox under the access rule, published answers, abuse limits and
//! Open311 GeoReport v2.

use crate::common::{Browser, Page, encode};
use crate::on_both_backends;
use crate::work::{create_document, signed_in};
use tiendo::server::feedback::{POW_BITS, proof_holds};

const NAME: &str = "Phạm Thị Riêng Tư";
const EMAIL: &str = "rieng.tu@example.vn";
const PHONE: &str = "0912 345 678";

/// The challenge of a freshly drawn form, read from the page as a browser sees it.
fn challenge(browser: &Browser) -> String {
    let page = browser.get("/feedback");
    assert_eq!(page.status, 200, "{}", page.body);
    let at = page
        .body
        .find("name=\"challenge\"")
        .expect("the form carries a challenge");
    let rest = &page.body[at..];
    let value = &rest[rest.find("value=\"").expect("a value") + 7..];
    value[..value.find('"').expect("a closing quote")].to_owned()
}

/// What the browser's script finds.
fn solve(challenge: &str) -> String {
    (0u64..)
        .find(|n| proof_holds(challenge, &n.to_string(), POW_BITS))
        .expect("a proof")
        .to_string()
}

/// A complete form body. `extra` (`&name=value` pairs, encoded) replaces the fields it
/// names and adds the others.
fn form(challenge: &str, proof: &str, subject: &str, extra: &str) -> String {
    let text =
        encode("Đề nghị cho phép nộp hồ sơ <b>hoàn toàn</b> trực tuyến, không phải mang bản giấy.");
    let mut fields: Vec<(String, String)> = [
        ("kind", "citizen".to_owned()),
        ("category", "digital_transformation".to_owned()),
        ("document", String::new()),
        ("subject", encode(subject)),
        ("text", text),
        ("name", String::new()),
        ("email", String::new()),
        ("phone", String::new()),
        ("province", String::new()),
        ("commune", String::new()),
        ("website", String::new()),
        ("challenge", encode(challenge)),
        ("proof", proof.to_owned()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    for pair in extra.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value.to_owned(),
            None => fields.push((name.to_owned(), value.to_owned())),
        }
    }
    fields
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn personal() -> String {
    format!(
        "&name={}&email={}&phone={}&province=01&commune={}&consent=yes",
        encode(NAME),
        encode(EMAIL),
        encode(PHONE),
        encode("ba dinh")
    )
}

/// The code and secret in the tracking link a submission was sent on to.
fn receipt(page: &Page) -> (String, String, String) {
    assert_eq!(page.status, 302, "{}", page.body);
    let location = page.header("location").expect("a redirect").to_owned();
    let query = location
        .strip_prefix("/feedback/track?")
        .unwrap_or_else(|| panic!("sent to the tracking page: {location}"));
    let value = |name: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .unwrap_or_default()
            .to_owned()
    };
    (value("code"), value("secret"), location)
}

fn act(official: &Browser, code: &str, version: i32, action: &str, extra: &str) -> Page {
    official.call(
        "/api/feedback/act",
        &format!("code={code}&version={version}&action={action}{extra}"),
    )
}

fn assert_no_personal_data(page: &Page, place: &str) {
    for secret in [NAME, EMAIL, PHONE, "rieng.tu"] {
        assert!(
            !page.body.contains(secret),
            "{place} shows personal data {secret}"
        );
    }
}

on_both_backends! {
    fn a_citizen_sends_an_official_answers_and_the_citizen_reads_it(app) {
        let citizen = app.new_browser();
        let form_page = citizen.get("/feedback");
        for label in ["for=\"fb-subject\"", "for=\"fb-text\"", "for=\"fb-email\"", "for=\"fb-website\""] {
            assert!(form_page.body.contains(label), "{label}");
        }
        let challenge = challenge(&citizen);
        let body = form(&challenge, &solve(&challenge), "Nộp hồ sơ trực tuyến trọn vẹn", &personal());
        // Without JavaScript: a plain form post, answered with a redirect.
        let sent = citizen.post_form("/api/feedback/submit", &body);
        let (code, secret, location) = receipt(&sent);
        assert!(code.starts_with("PA-20") && code.len() == 14, "{code}");
        // A double-clicked submit stores one item and shows the same link.
        let again = citizen.post_form("/api/feedback/submit", &body);
        assert_eq!(receipt(&again).2, location);
        assert_eq!(app.count("SELECT COUNT(*) FROM feedback"), 1);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM feedback WHERE text LIKE '%<b>%'"),
            0,
            "HTML is stripped"
        );

        let tracked = citizen.get(&location);
        assert_eq!(tracked.status, 200);
        assert!(tracked.body.contains(&code));
        assert!(tracked.body.contains("Đã tiếp nhận"));
        assert!(tracked.body.contains("Cảm ơn bạn"));
        assert_no_personal_data(&tracked, "the tracking page");
        // A wrong secret and an unknown code get the same answer.
        let wrong = citizen.get(&format!("/feedback/track?code={code}&secret=AAAA-BBBB-CCCC-DDDD"));
        let unknown = citizen.get(&format!("/feedback/track?code=PA-2026-999999&secret={secret}"));
        assert_eq!(wrong.status, 404);
        assert_eq!(unknown.status, 404);
        assert!(wrong.body.contains("Không tìm thấy góp ý"));
        assert!(!wrong.body.contains("Nộp hồ sơ trực tuyến trọn vẹn"));
        assert!(unknown.body.contains("Không tìm thấy góp ý"));
        let as_script = citizen.call("/api/feedback/track", &format!("code={code}&secret=x"));
        assert_eq!(as_script.status, 404);

        // Nobody has been given it yet: the centre sees it, a province does not.
        let centre = signed_in(&app, "tw.lanhdao");
        let inbox = centre.get("/admin/feedback");
        assert!(inbox.body.contains(&code), "{}", inbox.body);
        let item = centre.get(&format!("/admin/feedback/{code}"));
        assert!(item.body.contains(NAME) && item.body.contains(EMAIL) && item.body.contains(PHONE));
        assert!(item.body.contains("Phường Ba Đình"), "the place is resolved");
        let hanoi = signed_in(&app, "hanoi.lanhdao");
        assert_eq!(hanoi.get(&format!("/admin/feedback/{code}")).status, 404);
        assert!(!hanoi.get("/admin/feedback").body.contains(&code));
        assert_eq!(hanoi.call("/api/feedback/item", &format!("code={code}")).status, 404);
        assert_eq!(act(&hanoi, &code, 0, "note", "&text=x").status, 404);

        // The centre gives it to Hà Nội: Hà Nội sees it, Hồ Chí Minh City does not.
        assert_eq!(act(&centre, &code, 0, "assign", "&unit=01").status, 200);
        assert_eq!(hanoi.get(&format!("/admin/feedback/{code}")).status, 200);
        let hcm = signed_in(&app, "hcm.lanhdao");
        assert_eq!(hcm.get(&format!("/admin/feedback/{code}")).status, 404);
        assert!(!hcm.get("/admin/feedback").body.contains(&code));
        // A province may not hand it to another province.
        let refused = act(&hanoi, &code, 1, "assign", "&unit=79");
        assert_eq!(refused.status, 400);

        let officer = signed_in(&app, "hanoi.canbo");
        assert_eq!(act(&officer, &code, 1, "note", &format!("&text={}", encode("Ghi chú nội bộ bí mật"))).status, 200);
        // An officer may not publish or reject.
        assert_eq!(act(&officer, &code, 2, "reject", "&text=x").status, 403);
        // A stale version is a conflict, not an overwrite.
        let stale = act(&hanoi, &code, 1, "answer", "&text=Cũ");
        assert_eq!(stale.status, 409, "{}", stale.body);
        let answer = "Thành phố đã bỏ yêu cầu nộp bản giấy từ tháng 12.";
        assert_eq!(act(&hanoi, &code, 2, "answer", &format!("&text={}", encode(answer))).status, 200);
        let unpublished = app.new_browser().get("/feedback/answers");
        assert!(!unpublished.body.contains(answer), "not published yet");
        assert_eq!(act(&hanoi, &code, 3, "publish", "").status, 200);
        // Once published, changing the answer is a leader's decision.
        assert_eq!(act(&officer, &code, 4, "answer", "&text=Khác").status, 403);

        let tracked = citizen.get(&location);
        assert!(tracked.body.contains(answer));
        assert!(tracked.body.contains("Đã trả lời"));
        assert!(!tracked.body.contains("Ghi chú nội bộ bí mật"), "notes stay inside");
        assert_no_personal_data(&tracked, "the tracking page");

        // Published, and found without diacritics; nothing about the sender.
        let public = app.new_browser().get("/feedback/answers?q=NOP%20HO%20SO%20TRUC%20TUYEN");
        assert!(public.body.contains(answer), "{}", public.body);
        assert!(public.body.contains(&code));
        assert_no_personal_data(&public, "the published answers");
        let none = app.new_browser().get("/feedback/answers?q=khongcogi");
        assert!(!none.body.contains(answer));

        // Open311 lists it (published), without personal data.
        let listed = app.new_browser().agent.get(app.url("/open311/v2/requests.json")).call().unwrap();
        let listed = Page::from(listed);
        assert!(listed.body.contains(&code));
        assert_no_personal_data(&listed, "Open311");

        // The history keeps every change, for the officials.
        let history = hanoi.get(&format!("/admin/feedback/{code}"));
        for entry in ["Tiếp nhận", "Giao xử lý", "Ghi chú nội bộ bí mật", "Công bố trả lời"] {
            assert!(history.body.contains(entry), "{entry}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM feedback_events"), 5);

        // The dashboards count it, under the access rule.
        let national = centre.call("/api/dashboard", "code=").json();
        assert_eq!(national["feedback"]["total"]["received"], 1);
        assert_eq!(national["feedback"]["total"]["answered"], 1);
        assert!(national["feedback"]["total"]["median_hours_to_answer"].is_number());
        let hanoi_row = &national["feedback"]["by_unit"][0];
        assert_eq!(hanoi_row[0]["code"], "01");
        let by_hcm = hcm.call("/api/dashboard", "code=").json();
        assert_eq!(by_hcm["feedback"]["total"]["received"], 0);
        let page = centre.get("/dashboard");
        assert!(page.body.contains("Góp ý của người dân, doanh nghiệp"));
    }

    fn bad_feedback_is_refused_and_nothing_is_stored(app) {
        let citizen = app.new_browser();
        let leader = signed_in(&app, "tw.lanhdao");
        let internal_document = create_document(&leader, "99-NQ/TW-NB", "internal");
        let challenge = challenge(&citizen);
        let proof = solve(&challenge);
        let cases: Vec<(String, &str)> = vec![
            ("&subject=".into(), "subject"),
            ("&subject=%20%3Cb%3E%20%3C%2Fb%3E".into(), "subject"),
            ("&text=".into(), "text"),
            (format!("&text={}", "a".repeat(4001)), "text"),
            ("&email=not-an-email&consent=yes".into(), "email"),
            ("&phone=12ab&consent=yes".into(), "phone"),
            (format!("&subject={}", encode("<script>alert(1)</script>")), "subject"),
            (format!("&name={}&consent=yes", encode("<script>x</script>")), "name"),
            (format!("&text={}", encode("<img src=x onerror=alert(1)>")), "text"),
            ("&category=weather".into(), "category"),
            ("&kind=robot".into(), "kind"),
            ("&document=999999".into(), "document"),
            (format!("&document={internal_document}"), "document"),
            (format!("&email={}", encode(EMAIL)), "consent"),
            ("&province=99".into(), "province"),
            ("&province=01&commune=Atlantis&consent=yes".into(), "commune"),
        ];
        for (extra, field) in cases {
            let answer = citizen.call("/api/feedback/submit", &form(&challenge, &proof, "Tiêu đề", &extra));
            assert_eq!(answer.status, 400, "{extra}: {}", answer.body);
            assert_eq!(answer.json()["field"], field, "{extra}");
        }
        // One form, sent again with another opinion, is stale: the first item is not shown.
        let first = citizen.post_form("/api/feedback/submit", &form(&challenge, &proof, "Ý kiến thứ nhất", ""));
        receipt(&first);
        let other = citizen.call("/api/feedback/submit", &form(&challenge, &proof, "Ý kiến khác", ""));
        assert_eq!(other.status, 400, "{}", other.body);
        assert_eq!(other.json()["field"], "challenge");
        app.execute("DELETE FROM feedback_events");
        app.execute("DELETE FROM feedback");
        // A challenge this server did not sign.
        let forged = citizen.call("/api/feedback/submit", &form("1.abc.def", "1", "Tiêu đề", ""));
        assert_eq!(forged.status, 400);
        assert_eq!(forged.json()["field"], "challenge");
        assert_eq!(app.count("SELECT COUNT(*) FROM feedback"), 0);
        // A 1 MB body is refused before it is read.
        let huge = citizen.try_call(
            "/api/feedback/submit",
            &form(&challenge, &proof, "Tiêu đề", &format!("&text={}", "a".repeat(1 << 20))),
        );
        if let Some(huge) = huge {
            assert_eq!(huge.status, 413);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM feedback"), 0);
        // Without JavaScript the error comes back to the form, in Vietnamese.
        let page = citizen.post_form_from("/feedback", "/api/feedback/submit", &form(&challenge, &proof, "Tiêu đề", "&text="));
        assert_eq!(page.status, 302);
        let location = page.header("location").unwrap().replace(&app.url(""), "");
        assert!(location.starts_with("/feedback?draft="), "{location}");
        let back = citizen.get(&location);
        assert!(back.body.contains("Vui lòng nhập thông tin này"), "{}", back.body);
        // What was typed comes back with it, with the same challenge.
        assert!(back.body.contains("value=\"Tiêu đề\""), "{}", back.body);
        assert!(back.body.contains(&challenge));
        assert_eq!(app.count("SELECT COUNT(*) FROM feedback"), 0);
        // Officials' mistakes change nothing either.
        let sent = citizen.post_form("/api/feedback/submit", &form(&challenge, &proof, "Tiêu đề", &personal()));
        let (code, _, _) = receipt(&sent);
        assert_eq!(act(&leader, &code, 0, "reject", "&text=").json()["field"], "reason");
        assert_eq!(act(&leader, &code, 0, "answer", "&text=").json()["field"], "answer");
        assert_eq!(act(&leader, &code, 0, "duplicate", &format!("&of={code}")).json()["field"], "of");
        assert_eq!(act(&leader, &code, 0, "assign", "&unit=nowhere").json()["field"], "unit");
        assert_eq!(act(&leader, &code, 0, "publish", "").json()["field"], "status");
        assert_eq!(act(&leader, &code, 0, "dance", "").json()["field"], "action");
        assert_eq!(app.count("SELECT COUNT(*) FROM feedback_events"), 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM feedback WHERE version = 0 AND status = 'received'"), 1);
        // A viewer reads an item of their province but does not act on it.
        let viewer = signed_in(&app, "hue.xem");
        assert_eq!(act(&viewer, &code, 0, "note", "&text=x").status, 404, "not given to Huế yet");
        assert_eq!(act(&leader, &code, 0, "assign", "&unit=46").status, 200);
        let seen = viewer.get(&format!("/admin/feedback/{code}"));
        assert_eq!(seen.status, 200);
        assert!(!seen.body.contains("rieng.tu"), "viewers do not see contact details");
        assert_eq!(act(&viewer, &code, 1, "note", "&text=x").status, 403);
    }

    fn abuse_is_limited_and_people_without_javascript_still_get_in(app) {
        let citizen = app.new_browser();
        // The honeypot: a robot is answered like a person, and nothing is stored.
        let challenge_one = challenge(&citizen);
        let robot = citizen.post_form(
            "/api/feedback/submit",
            &form(&challenge_one, &solve(&challenge_one), "Mua ngay", "&website=http%3A%2F%2Fspam.example"),
        );
        assert_eq!(receipt(&robot).0.len(), 14);
        assert_eq!(app.count("SELECT COUNT(*) FROM feedback"), 0);
        // Without a proof of work, a form sent at once is a script's. A challenge of its
        // own, drawn just before: solving the one above may take seconds on a busy machine.
        let fresh = challenge(&citizen);
        let too_fast = citizen.call("/api/feedback/submit", &form(&fresh, "", "Nhanh", ""));
        assert_eq!(too_fast.status, 400);
        assert_eq!(too_fast.json()["problem"]["kind"], "not_now");
        // After a few seconds, a person without JavaScript is admitted, under a tighter
        // limit: six in ten minutes from one address (a fifth of thirty).
        let challenges: Vec<String> = (0..7).map(|_| challenge(&citizen)).collect();
        std::thread::sleep(std::time::Duration::from_secs(4));
        for (n, challenge) in challenges.iter().enumerate() {
            let answer = citizen.post_form("/api/feedback/submit", &form(challenge, "", &format!("Không JavaScript {n}"), ""));
            if n < 6 {
                receipt(&answer);
            } else {
                assert_eq!(answer.status, 302);
                let back = answer.header("location").unwrap();
                assert!(back.contains("__err"), "{back}");
            }
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM feedback"), 6);
        // A flood from one address: every attempt counts, and the answer becomes 429.
        let mut limited = None;
        for _ in 0..40 {
            let answer = citizen.call("/api/feedback/submit", "subject=");
            if answer.status == 429 {
                limited = Some(answer);
                break;
            }
        }
        let limited = limited.expect("the flood is stopped");
        let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
        assert!(retry > 0 && retry <= 600);
        assert_eq!(limited.json()["error"], "rate_limited");
        let as_page = citizen.post_form("/api/feedback/submit", "subject=");
        assert_eq!(as_page.status, 429);
        assert!(as_page.body.contains("Vui lòng thử lại sau"));
        // Open311 counts on the same limit, and says so in its own format.
        let open311 = Page::from(
            app.new_browser()
                .agent
                .post(app.url("/open311/v2/requests.json"))
                .content_type("application/x-www-form-urlencoded")
                .send("service_code=other&description=x")
                .unwrap(),
        );
        assert_eq!(open311.status, 429);
        assert_eq!(open311.json()[0]["code"], 429);
        assert!(open311.header("retry-after").is_some());
        assert_eq!(app.count("SELECT COUNT(*) FROM feedback"), 6);
    }

    fn open311_follows_georeport_v2(app) {
        let agent = app.new_browser().agent;
        let get = |path: &str| Page::from(agent.get(app.url(path)).call().unwrap());
        let post = |body: &str| {
            // Another system: no cookie, no Origin, no Referer.
            Page::from(
                agent
                    .post(app.url("/open311/v2/requests.json"))
                    .content_type("application/x-www-form-urlencoded")
                    .send(body)
                    .unwrap(),
            )
        };

        let services = get("/open311/v2/services.json");
        assert_eq!(services.status, 200);
        assert!(services.header("content-type").unwrap().starts_with("application/json"));
        let services = services.json();
        let list = services.as_array().unwrap();
        assert_eq!(list.len(), 7);
        for service in list {
            let keys: Vec<&str> = service.as_object().unwrap().keys().map(String::as_str).collect();
            for key in ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"] {
                assert!(keys.contains(&key), "{key}");
            }
            assert_eq!(service["metadata"], false);
            assert_eq!(service["type"], "realtime");
        }
        let vietnamese = Page::from(
            agent.get(app.url("/open311/v2/services.json")).header("Accept-Language", "vi").call().unwrap(),
        );
        assert!(vietnamese.body.contains("Thủ tục hành chính"));

        // Errors in the standard's shape.
        for (body, status) in [
            ("description=x", 400),
            ("service_code=weather&description=x", 400),
            ("service_code=other&description=", 400),
            ("service_code=other&description=%3Cscript%3Ex%3C%2Fscript%3E", 400),
            ("service_code=other&description=x&email=bad", 400),
            ("service_code=other&description=x&email=a%40b.vn", 400),
        ] {
            let answer = post(body);
            assert_eq!(answer.status, status, "{body}: {}", answer.body);
            let error = answer.json();
            assert_eq!(error[0]["code"], status);
            assert!(error[0]["description"].as_str().unwrap().len() > 5);
        }
        // The server may answer before the client has sent it all, and close.
        let huge = agent
            .post(app.url("/open311/v2/requests.json"))
            .content_type("application/x-www-form-urlencoded")
            .send(format!("service_code=other&description={}", "a".repeat(1 << 20)))
            .ok()
            .map(Page::from);
        if let Some(huge) = huge {
            assert_eq!(huge.status, 413);
            assert_eq!(huge.json()[0]["code"], 413);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM feedback"), 0);

        let created = post(&format!(
            "service_code=procedure&description={}&email={}&first_name={}&last_name=X&phone={}&api_key=partner-1&attribute[consent]=true",
            encode("Thủ tục cấp phép kéo dài quá hạn."),
            encode(EMAIL),
            encode("Phạm Thị"),
            encode(PHONE)
        ));
        assert_eq!(created.status, 201, "{}", created.body);
        assert!(created.header("set-cookie").is_none(), "no cookies for other systems");
        assert_no_personal_data(&created, "the Open311 answer");
        let created = created.json();
        let code = created[0]["service_request_id"].as_str().unwrap().to_owned();
        let token = created[0]["token"].as_str().unwrap().to_owned();
        assert!(code.starts_with("PA-"));

        // Not published: not listed, not readable without its token.
        assert_eq!(get("/open311/v2/requests.json").json(), serde_json::json!([]));
        let hidden = get(&format!("/open311/v2/requests/{code}.json"));
        assert_eq!(hidden.status, 404);
        assert_eq!(hidden.json()[0]["code"], 404);
        let own = get(&format!("/open311/v2/requests/{code}.json?token={token}"));
        assert_eq!(own.status, 200, "{}", own.body);
        assert_no_personal_data(&own, "an Open311 request");
        let request = &own.json()[0];
        let mut keys: Vec<&str> = request.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "address", "address_id", "agency_responsible", "description", "expected_datetime",
                "lat", "long", "media_url", "requested_datetime", "service_code", "service_name",
                "service_notice", "service_request_id", "status", "status_notes", "updated_datetime",
                "zipcode"
            ]
        );
        assert_eq!(request["status"], "open");
        assert_eq!(request["service_code"], "procedure");
        let requested = request["requested_datetime"].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(requested).is_ok() && requested.ends_with("+07:00"),
            "{requested}"
        );

        // Answered and published: listed, filtered by status and service, closed.
        let leader = signed_in(&app, "tw.lanhdao");
        assert_eq!(act(&leader, &code, 0, "answer", "&text=%C4%90%C3%A3%20x%E1%BB%AD%20l%C3%BD.").status, 200);
        assert_eq!(act(&leader, &code, 1, "publish", "").status, 200);
        let listed = get("/open311/v2/requests.json?status=closed&service_code=procedure,other").json();
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert_eq!(listed[0]["service_request_id"], code.as_str());
        assert_eq!(listed[0]["status"], "closed");
        assert_eq!(listed[0]["status_notes"], "Đã xử lý.");
        assert_eq!(get("/open311/v2/requests.json?status=open").json(), serde_json::json!([]));
        assert_eq!(
            get(&format!("/open311/v2/requests.json?service_request_id={code}")).json()[0]["service_request_id"],
            code.as_str()
        );
        assert_eq!(get("/open311/v2/requests.json?start_date=2100-01-01T00:00:00Z").json(), serde_json::json!([]));
        let bad_date = get("/open311/v2/requests.json?start_date=yesterday");
        assert_eq!(bad_date.status, 400);
        assert_eq!(bad_date.json()[0]["code"], 400);
        assert_eq!(get("/open311/v2/requests.json?status=maybe").status, 400);
        assert_eq!(get("/open311/v2/requests.xml").json()[0]["code"], 404);
        let published = get(&format!("/open311/v2/requests/{code}.json"));
        assert_eq!(published.status, 200);
        assert_no_personal_data(&published, "an Open311 request");
    }

    fn open311_posts_are_unproven_and_carry_no_cross_site_permission(app) {
        let agent = app.new_browser().agent;
        // A page elsewhere cannot make its visitors' browsers post: a browser says where
        // it comes from.
        for (name, value) in [("Origin", "https://elsewhere.example"), ("Sec-Fetch-Site", "cross-site")] {
            let from_a_page = Page::from(
                agent
                    .post(app.url("/open311/v2/requests.json"))
                    .header(name, value)
                    .content_type("application/x-www-form-urlencoded")
                    .send("service_code=other&description=x")
                    .unwrap(),
            );
            assert_eq!(from_a_page.status, 403, "{name}: {}", from_a_page.body);
            assert_eq!(from_a_page.json()[0]["code"], 403);
            assert!(from_a_page.header("access-control-allow-origin").is_none());
        }
        let post = |body: &str| app.open311_post(body);
        // Markup that stripping would turn active is refused, however it is nested.
        for nested in [
            "%3C%3Cb%3Eimg%20src%3Dx%20onerror%3Dalert(1)%3E",
            "%3C%3Ci%3E%3C%2Fi%3Escript%3Ealert(1)%3C%2Fscript%3E",
        ] {
            let answer = post(&format!("service_code=other&description={nested}"));
            assert_eq!(answer.status, 400, "{}", answer.body);
            assert!(answer.body.contains("active markup"), "{}", answer.body);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM feedback"), 0);
        // Without a partner key, posts count like forms sent without a proof of work:
        // six stored in ten minutes from one address, then 429.
        for n in 0..6 {
            let answer = post(&format!("service_code=other&description=G%C3%B3p%20%C3%BD%20{n}"));
            assert_eq!(answer.status, 201, "{}", answer.body);
            assert!(
                answer.header("access-control-allow-origin").is_none(),
                "a script elsewhere may not post"
            );
        }
        let limited = post("service_code=other&description=one%20more");
        assert_eq!(limited.status, 429, "{}", limited.body);
        assert!(limited.header("retry-after").is_some());
        assert_eq!(app.count("SELECT COUNT(*) FROM feedback"), 6);
        // Reading what is public stays open to any site's script.
        let read = Page::from(agent.get(app.url("/open311/v2/services.json")).call().unwrap());
        assert_eq!(read.header("access-control-allow-origin"), Some("*"));
    }
}
