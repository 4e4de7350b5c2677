//! Demo data, so that a new user meets a living system.

use super::access::Reader;
use super::db::Db;
use super::deadlines;
use super::documents::{self, DocumentInput};
use super::entity::user;
use super::entity::{document, task, unit};
use super::evidence::{EvidenceStore, Upload};
use super::feedback;
use super::reports::{self, ReportInput};
use super::tasks::{self, CascadeTargets, TaskInput};
use super::users::{self, NewUser, UserError};
use super::work::{Failure, today};
use super::{hierarchy, password};
use crate::model::feedback::{Category, FeedbackCommand, SenderKind};
use crate::model::task::Verdict;
use crate::model::time::Day;
use crate::model::{Classification, Role};
use anyhow::Result;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

/// The demo accounts' shared password. Printed at start while the demo admin still uses it.
pub const DEMO_PASSWORD: &str = "tiendo-demo-2026";
pub const DEMO_ADMIN: &str = "admin";

struct DemoUser {
    username: &'static str,
    full_name: &'static str,
    unit_code: &'static str,
    role: Role,
    clearance: Classification,
}

const DEMO_USERS: [DemoUser; 11] = [
    DemoUser {
        username: DEMO_ADMIN,
        full_name: "Quản trị hệ thống",
        unit_code: hierarchy::ROOT_CODE,
        role: Role::Admin,
        clearance: Classification::TopSecret,
    },
    DemoUser {
        username: "tw.lanhdao",
        full_name: "Nguyễn Văn Trung",
        unit_code: hierarchy::ROOT_CODE,
        role: Role::Leader,
        clearance: Classification::Secret,
    },
    DemoUser {
        username: "hanoi.lanhdao",
        full_name: "Trần Thị Hà",
        unit_code: "01",
        role: Role::Leader,
        clearance: Classification::Confidential,
    },
    DemoUser {
        username: "hanoi.canbo",
        full_name: "Lê Minh Tuấn",
        unit_code: "01",
        role: Role::Officer,
        clearance: Classification::Internal,
    },
    DemoUser {
        username: "badinh.canbo",
        full_name: "Phạm Thu Trang",
        unit_code: "00004",
        role: Role::Officer,
        clearance: Classification::Internal,
    },
    DemoUser {
        username: "btctw.canbo",
        full_name: "Lý Quốc Bảo",
        unit_code: "BTCTW",
        role: Role::Officer,
        clearance: Classification::Confidential,
    },
    DemoUser {
        username: "hue.xem",
        full_name: "Hoàng Đức Huy",
        unit_code: "46",
        role: Role::Viewer,
        clearance: Classification::Internal,
    },
    DemoUser {
        username: "hue.canbo",
        full_name: "Ngô Thị Thảo",
        unit_code: "46",
        role: Role::Officer,
        clearance: Classification::Internal,
    },
    DemoUser {
        username: "hcm.lanhdao",
        full_name: "Võ Minh Khoa",
        unit_code: "79",
        role: Role::Leader,
        clearance: Classification::Confidential,
    },
    DemoUser {
        username: "ngocha.canbo",
        full_name: "Đỗ Văn Nam",
        unit_code: "00008",
        role: Role::Officer,
        clearance: Classification::Internal,
    },
    DemoUser {
        username: "giangvo.canbo",
        full_name: "Bùi Thị Lan",
        unit_code: "00025",
        role: Role::Officer,
        clearance: Classification::Internal,
    },
];

/// What seeding did.
#[derive(Debug, Default)]
pub struct SeedReport {
    pub users_added: usize,
    pub documents_added: usize,
    pub feedback_added: usize,
}

/// Adds the demo data that is not there yet; running it twice adds nothing the second time.
pub async fn demo(db: &Db, evidence: &EvidenceStore) -> Result<SeedReport> {
    let mut report = demo_users(db).await?;
    report.documents_added = demo_work(db, evidence).await?;
    report.feedback_added = demo_feedback(db).await?;
    Ok(report)
}

/// The demo officials, at the centre, in three provinces and in three wards of Hà Nội.
pub async fn demo_users(db: &Db) -> Result<SeedReport> {
    let mut report = SeedReport::default();
    for demo in &DEMO_USERS {
        if users::find_by_username(db, demo.username).await?.is_some() {
            continue;
        }
        let created = users::create(
            db,
            NewUser {
                username: demo.username.into(),
                full_name: demo.full_name.into(),
                email: None,
                unit_code: demo.unit_code.into(),
                role: demo.role,
                clearance: demo.clearance,
                password: DEMO_PASSWORD.into(),
                must_change_password: false,
            },
        )
        .await;
        match created {
            Ok(_) => report.users_added += 1,
            // Another process seeded the same user in between: that is the goal anyway.
            Err(UserError::UsernameTaken(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(report)
}

/// Whether the database holds no accounts yet: a first start.
pub async fn is_empty(db: &Db) -> Result<bool> {
    Ok(user::Entity::find().count(&db.read).await? == 0)
}

/// The demo admin's login while it still works, to print at start.
pub async fn demo_login(db: &Db) -> Result<Option<(String, String)>> {
    let Some(admin) = users::find_by_username(db, DEMO_ADMIN).await? else {
        return Ok(None);
    };
    let still_demo =
        tokio::task::spawn_blocking(move || password::verify(DEMO_PASSWORD, &admin.password_hash))
            .await?;
    Ok(still_demo.then(|| (DEMO_ADMIN.to_owned(), DEMO_PASSWORD.to_owned())))
}

/// A demo official as the services see them.
async fn reader(db: &Db, username: &str) -> Result<Reader> {
    Reader::load(db, username).await
}

/// The key of the centre's public document with this code: codes are unique per owner
/// unit and classification, not across the country.
async fn centre_code_key(db: &Db, code: &str) -> Result<String> {
    let centre = unit::Entity::find()
        .filter(unit::Column::Code.eq(hierarchy::ROOT_CODE))
        .one(&db.read)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the centre is missing"))?;
    Ok(documents::code_key(
        centre.id,
        crate::model::Classification::Public.rank(),
        code,
    ))
}

fn failure(error: Failure) -> anyhow::Error {
    anyhow::anyhow!("demo data: {error}")
}

fn task_input(
    title: &str,
    lead: &str,
    start: Day,
    due: Day,
    priority: &str,
    expected: &str,
) -> TaskInput {
    TaskInput {
        title: title.to_owned(),
        description: String::new(),
        expected_result: expected.to_owned(),
        lead_unit: lead.to_owned(),
        coordinators: String::new(),
        start_on: start.iso(),
        due_on: due.iso(),
        priority: priority.to_owned(),
        weight: 1,
        classification: "internal".to_owned(),
        ..TaskInput::default()
    }
}

/// The latest change of a task's due date (the one just asked for).
async fn latest_change(db: &Db, task_id: i32) -> Result<i32> {
    use super::entity::due_date_change;
    due_date_change::Entity::find()
        .filter(due_date_change::Column::TaskId.eq(task_id))
        .order_by_desc(due_date_change::Column::Id)
        .one(&db.read)
        .await?
        .map(|c| c.id)
        .ok_or_else(|| anyhow::anyhow!("task {task_id} has no change of due date"))
}

async fn child_led_by(db: &Db, parent: i32, unit_code: &str) -> Result<i32> {
    let unit = unit::Entity::find()
        .filter(unit::Column::Code.eq(unit_code))
        .one(&db.read)
        .await?
        .ok_or_else(|| anyhow::anyhow!("unit {unit_code} is missing"))?;
    Ok(task::Entity::find()
        .filter(task::Column::ParentId.eq(parent))
        .filter(task::Column::LeadUnitId.eq(unit.id))
        .one(&db.read)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no subtask of {parent} for {unit_code}"))?
        .id)
}

/// A small but real PDF, as evidence.
pub(crate) fn demo_pdf(title: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
         2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
         3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n\
         % {title}\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

async fn report(
    db: &Db,
    evidence: &EvidenceStore,
    who: &Reader,
    task_id: i32,
    progress: i32,
    completed: bool,
    text: &str,
    file: Option<&str>,
) -> Result<i32> {
    let files = file
        .map(|name| {
            vec![Upload {
                file_name: name.to_owned(),
                bytes: demo_pdf(name),
            }]
        })
        .unwrap_or_default();
    reports::submit(
        db,
        evidence,
        who,
        task_id,
        ReportInput {
            progress,
            text: text.to_owned(),
            claims_completion: completed,
            submission_key: format!("demo-{task_id}-{progress}-{}", text.len()),
            files,
        },
    )
    .await
    .map_err(failure)
}

/// Resolution 57-NQ/TW and a few more, tasks cascaded to three provinces and three
/// wards, and reports in every state, dated around today so the demo stays current.
pub async fn demo_work(db: &Db, evidence: &EvidenceStore) -> Result<usize> {
    let exists = document::Entity::find()
        .filter(document::Column::CodeKey.eq(centre_code_key(db, "57-NQ/TW").await?))
        .one(&db.read)
        .await?
        .is_some();
    if exists {
        return Ok(0);
    }
    let centre = reader(db, "tw.lanhdao").await?;
    let hanoi_leader = reader(db, "hanoi.lanhdao").await?;
    let hanoi_officer = reader(db, "hanoi.canbo").await?;
    let hue_officer = reader(db, "hue.canbo").await?;
    let hcm_leader = reader(db, "hcm.lanhdao").await?;
    let ba_dinh = reader(db, "badinh.canbo").await?;
    let ngoc_ha = reader(db, "ngocha.canbo").await?;
    let giang_vo = reader(db, "giangvo.canbo").await?;
    let today = today();
    let day = |offset: i32| today.plus_days(offset);

    let document =
        |code: &str, kind: &str, title: &str, issued: &str, summary: &str| DocumentInput {
            code: code.to_owned(),
            kind: kind.to_owned(),
            title: title.to_owned(),
            issuing_body: "Bộ Chính trị".to_owned(),
            issued_on: issued.to_owned(),
            summary: summary.to_owned(),
            // The Politburo's resolutions are published: citizens may send feedback on them.
            classification: "public".to_owned(),
            ..DocumentInput::default()
        };
    let nq57 = documents::create(
        db,
        &centre,
        &document(
            "57-NQ/TW",
            "resolution",
            "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
            "2024-12-22",
            "Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia là đột phá quan trọng hàng đầu, là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại.",
        ),
    )
    .await
    .map_err(failure)?;
    let mut added = 1;
    for (code, title, issued, summary) in [
        (
            "66-NQ/TW",
            "Về đổi mới công tác xây dựng và thi hành pháp luật đáp ứng yêu cầu phát triển đất nước trong kỷ nguyên mới",
            "2025-04-30",
            "Pháp luật là lợi thế cạnh tranh; hoàn thiện thể chế là đột phá của đột phá.",
        ),
        (
            "68-NQ/TW",
            "Về phát triển kinh tế tư nhân",
            "2025-05-04",
            "Kinh tế tư nhân là một động lực quan trọng nhất của nền kinh tế quốc gia.",
        ),
        (
            "71-NQ/TW",
            "Về đột phá phát triển giáo dục và đào tạo",
            "2025-08-22",
            "Giáo dục và đào tạo là quốc sách hàng đầu, quyết định tương lai dân tộc.",
        ),
    ] {
        documents::create(
            db,
            &centre,
            &document(code, "resolution", title, issued, summary),
        )
        .await
        .map_err(failure)?;
        added += 1;
    }

    // Task 1: institutions for digital transformation, overdue in two provinces.
    let institutions = tasks::create(
        db,
        &centre,
        nq57,
        None,
        &TaskInput {
            is_key: true,
            ..task_input(
                "Rà soát, hoàn thiện thể chế, chính sách về chuyển đổi số của địa phương",
                hierarchy::ROOT_CODE,
                day(-200),
                day(-20),
                "high",
                "Báo cáo rà soát và danh mục văn bản cần sửa đổi, bổ sung",
            )
        },
    )
    .await
    .map_err(failure)?;
    tasks::cascade(
        db,
        &centre,
        institutions,
        &CascadeTargets::Units(vec!["01".into(), "46".into(), "79".into()]),
    )
    .await
    .map_err(failure)?;
    let hue_institutions = child_led_by(db, institutions, "46").await?;
    let id = report(
        db,
        evidence,
        &hue_officer,
        hue_institutions,
        40,
        false,
        "Đã rà soát 12/30 văn bản quy phạm pháp luật của tỉnh; đang lấy ý kiến các sở, ngành.",
        Some("bao-cao-ra-soat-the-che.pdf"),
    )
    .await?;
    reports::evaluate(db, &centre, id, Verdict::Accept, "")
        .await
        .map_err(failure)?;
    // Hà Nội asked for more time and the centre granted it: no longer overdue, and done
    // late whenever it is done (on time is measured against the original date).
    let hanoi_institutions = child_led_by(db, institutions, "01").await?;
    deadlines::ask(
        db,
        &hanoi_officer,
        hanoi_institutions,
        &day(40).iso(),
        "Chờ Hội đồng nhân dân thành phố thông qua 4 nghị quyết sửa đổi tại kỳ họp chuyên đề.",
    )
    .await
    .map_err(failure)?;
    let asked = latest_change(db, hanoi_institutions).await?;
    deadlines::decide(db, &centre, asked, true, "Đồng ý; báo cáo ngay sau kỳ họp.")
        .await
        .map_err(failure)?;

    // Task 2: digital skills for commune officials, cascaded down to three wards.
    let skills = tasks::create(
        db,
        &centre,
        nq57,
        None,
        &TaskInput {
            is_key: true,
            ..task_input(
                "Bồi dưỡng kỹ năng số cho cán bộ, công chức cấp xã",
                hierarchy::ROOT_CODE,
                day(-90),
                day(5),
                "urgent",
                "100% cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số cơ bản",
            )
        },
    )
    .await
    .map_err(failure)?;
    tasks::cascade(
        db,
        &centre,
        skills,
        &CascadeTargets::Units(vec!["01".into(), "46".into()]),
    )
    .await
    .map_err(failure)?;
    let hanoi_skills = child_led_by(db, skills, "01").await?;
    tasks::create(
        db,
        &hanoi_officer,
        nq57,
        Some(hanoi_skills),
        &task_input(
            "Xây dựng tài liệu bồi dưỡng kỹ năng số dùng chung cho các phường",
            "01",
            day(-60),
            day(-10),
            "normal",
            "Bộ tài liệu được Thành ủy phê duyệt",
        ),
    )
    .await
    .map_err(failure)?;
    tasks::cascade(
        db,
        &hanoi_leader,
        hanoi_skills,
        &CascadeTargets::Units(vec!["00004".into(), "00008".into(), "00025".into()]),
    )
    .await
    .map_err(failure)?;
    // Ba Đình: done, accepted with evidence.
    let ba_dinh_task = child_led_by(db, hanoi_skills, "00004").await?;
    let id = report(
        db,
        evidence,
        &ba_dinh,
        ba_dinh_task,
        100,
        true,
        "Đã tổ chức 3 lớp bồi dưỡng cho 45/45 cán bộ, công chức phường; kèm danh sách và biên bản.",
        Some("bien-ban-boi-duong-ba-dinh.pdf"),
    )
    .await?;
    reports::evaluate(db, &hanoi_leader, id, Verdict::Accept, "")
        .await
        .map_err(failure)?;
    // Ngọc Hà: a report awaiting evaluation.
    let ngoc_ha_task = child_led_by(db, hanoi_skills, "00008").await?;
    report(
        db,
        evidence,
        &ngoc_ha,
        ngoc_ha_task,
        60,
        false,
        "Đã bồi dưỡng 2 đợt, 27/44 cán bộ hoàn thành; đợt 3 dự kiến tuần tới.",
        None,
    )
    .await?;
    // Ngọc Hà also asks for more time: the request awaits Hà Nội's leaders.
    deadlines::ask(
        db,
        &ngoc_ha,
        ngoc_ha_task,
        &day(35).iso(),
        "Đợt bồi dưỡng thứ 3 phải dời lịch vì trùng kỳ họp Hội đồng nhân dân phường.",
    )
    .await
    .map_err(failure)?;
    // Giảng Võ: returned, to be reported again.
    let giang_vo_task = child_led_by(db, hanoi_skills, "00025").await?;
    let id = report(
        db,
        evidence,
        &giang_vo,
        giang_vo_task,
        80,
        false,
        "Đã hoàn thành phần lớn nội dung.",
        None,
    )
    .await?;
    reports::evaluate(
        db,
        &hanoi_leader,
        id,
        Verdict::Return,
        "Báo cáo chưa nêu số cán bộ đã được bồi dưỡng và chưa có minh chứng.",
    )
    .await
    .map_err(failure)?;

    // Task 3: a national database, led by the Central Organisation Commission, done late.
    let database = tasks::create(
        db,
        &centre,
        nq57,
        None,
        &task_input(
            "Số hoá hồ sơ đảng viên và kết nối cơ sở dữ liệu đảng viên với cơ sở dữ liệu quốc gia về dân cư",
            "BTCTW",
            day(-300),
            day(-40),
            "high",
            "Cơ sở dữ liệu được kết nối, vận hành",
        ),
    )
    .await
    .map_err(failure)?;
    let organisation = reader(db, "btctw.canbo").await?;
    let id = report(db, evidence, &organisation, database, 100, true,
        "Đã số hoá 5,2 triệu hồ sơ đảng viên; kết nối với cơ sở dữ liệu quốc gia về dân cư đã vận hành.",
        Some("bao-cao-ket-noi-csdl.pdf")).await?;
    reports::evaluate(db, &centre, id, Verdict::Accept, "")
        .await
        .map_err(failure)?;

    // A plan of Hồ Chí Minh City carrying the resolution out, led there.
    let plan = documents::create(
        db,
        &hcm_leader,
        &DocumentInput {
            code: "15-KH/TU".to_owned(),
            kind: "plan".to_owned(),
            title: "Kế hoạch thực hiện Nghị quyết 57-NQ/TW của Bộ Chính trị trên địa bàn Thành phố"
                .to_owned(),
            issuing_body: "Thành ủy Thành phố Hồ Chí Minh".to_owned(),
            issued_on: day(-150).iso(),
            summary: "Cụ thể hoá Nghị quyết 57-NQ/TW thành các nhiệm vụ của Thành phố.".to_owned(),
            classification: "internal".to_owned(),
            // The city follows its plan month by month, by the 20th.
            reporting_cycle: "monthly".to_owned(),
            cut_off_day: "20".to_owned(),
        },
    )
    .await
    .map_err(failure)?;
    added += 1;
    tasks::create(
        db,
        &hcm_leader,
        plan,
        None,
        &task_input(
            "Triển khai nền tảng số dùng chung cho các phường, xã",
            "79",
            day(-100),
            day(60),
            "normal",
            "Nền tảng vận hành tại 100% phường, xã",
        ),
    )
    .await
    .map_err(failure)?;
    super::indicators::demo::resolution_57(db, evidence, nq57).await?;
    Ok(added)
}

/// One demo opinion: who sends it, about what, how long ago, and what happened to it.
struct DemoFeedback {
    kind: SenderKind,
    category: Category,
    about_nq57: bool,
    subject: &'static str,
    text: &'static str,
    name: Option<&'static str>,
    email: Option<&'static str>,
    days_ago: i64,
    /// (official, hours after arrival, command) in order.
    steps: &'static [(&'static str, i64, DemoStep)],
}

#[derive(Clone, Copy)]
enum DemoStep {
    Assign(&'static str),
    Note(&'static str),
    Answer(&'static str),
    Publish,
    Close,
    Reject(&'static str),
    DuplicateOfFirstPublished,
}

const DEMO_FEEDBACK: [DemoFeedback; 12] = [
    DemoFeedback {
        kind: SenderKind::Citizen,
        category: Category::OnlineService,
        about_nq57: false,
        subject: "Cổng dịch vụ công yêu cầu nhập lại thông tin đã có trên căn cước",
        text: "Khi nộp hồ sơ đăng ký thường trú trực tuyến, tôi vẫn phải nhập lại họ tên, ngày sinh, địa chỉ dù đã đăng nhập bằng tài khoản định danh điện tử. Đề nghị tự động điền các thông tin đã có.",
        name: Some("Nguyễn Thị Mai"),
        email: Some("mai.nguyen@example.vn"),
        days_ago: 40,
        steps: &[
            ("tw.lanhdao", 5, DemoStep::Assign("01")),
            (
                "hanoi.canbo",
                30,
                DemoStep::Note(
                    "Đã chuyển bộ phận quản trị cổng dịch vụ công của Thành phố kiểm tra.",
                ),
            ),
            (
                "hanoi.lanhdao",
                52,
                DemoStep::Answer(
                    "Cảm ơn bà đã góp ý. Từ ngày 15/11, biểu mẫu đăng ký thường trú trên Cổng dịch vụ công Thành phố đã tự động điền họ tên, ngày sinh và nơi cư trú từ Cơ sở dữ liệu quốc gia về dân cư khi người dân đăng nhập bằng VNeID.",
                ),
            ),
            ("hanoi.lanhdao", 53, DemoStep::Publish),
            ("hanoi.lanhdao", 200, DemoStep::Close),
        ],
    },
    DemoFeedback {
        kind: SenderKind::Business,
        category: Category::DigitalTransformation,
        about_nq57: true,
        subject: "Đề nghị công khai lộ trình kết nối dữ liệu giữa các cơ quan",
        text: "Doanh nghiệp chúng tôi cung cấp giải pháp phần mềm cho cấp xã. Đề nghị công bố lộ trình và chuẩn kết nối dữ liệu giữa các cơ quan để doanh nghiệp chuẩn bị sản phẩm phù hợp.",
        name: Some("Công ty TNHH Giải pháp Số Việt"),
        email: Some("lienhe@giaiphapso.example.vn"),
        days_ago: 30,
        steps: &[
            (
                "tw.lanhdao",
                20,
                DemoStep::Answer(
                    "Khung kiến trúc và danh mục chuẩn kết nối, chia sẻ dữ liệu được công bố trên Cổng thông tin của Bộ Khoa học và Công nghệ; lộ trình kết nối các cơ sở dữ liệu quốc gia thực hiện theo Nghị quyết 57-NQ/TW, hoàn thành trong năm 2026.",
                ),
            ),
            ("tw.lanhdao", 21, DemoStep::Publish),
        ],
    },
    DemoFeedback {
        kind: SenderKind::Citizen,
        category: Category::Apparatus,
        about_nq57: false,
        subject: "Thời gian làm việc của bộ phận một cửa sau sáp nhập xã",
        text: "Sau khi sáp nhập, trụ sở bộ phận một cửa xa nhà hơn 10 km. Đề nghị bố trí điểm tiếp nhận lưu động hoặc kéo dài giờ làm việc vào sáng thứ Bảy.",
        name: None,
        email: None,
        days_ago: 21,
        steps: &[
            ("tw.lanhdao", 10, DemoStep::Assign("46")),
            (
                "hue.canbo",
                70,
                DemoStep::Answer(
                    "Ủy ban nhân dân các xã sau sắp xếp đã bố trí điểm tiếp nhận hồ sơ tại trụ sở cũ vào thứ Ba và thứ Năm hằng tuần, và tiếp nhận vào sáng thứ Bảy tại trụ sở mới.",
                ),
            ),
        ],
    },
    DemoFeedback {
        kind: SenderKind::Citizen,
        category: Category::Procedure,
        about_nq57: false,
        subject: "Giấy xác nhận tình trạng hôn nhân vẫn phải nộp bản giấy",
        text: "Tôi đã nộp hồ sơ trực tuyến nhưng cán bộ vẫn yêu cầu mang bản giấy đến đối chiếu. Như vậy dịch vụ trực tuyến chưa giảm được đi lại cho người dân.",
        name: Some("Trần Văn Hùng"),
        email: None,
        days_ago: 12,
        steps: &[
            ("tw.lanhdao", 3, DemoStep::Assign("01")),
            ("hanoi.lanhdao", 24, DemoStep::Assign("00004")),
        ],
    },
    DemoFeedback {
        kind: SenderKind::Business,
        category: Category::Business,
        about_nq57: false,
        subject: "Thanh tra chồng chéo trong cùng một năm",
        text: "Trong năm 2026 doanh nghiệp đã tiếp ba đoàn kiểm tra với nội dung tương tự nhau. Đề nghị cơ quan có thẩm quyền phối hợp kế hoạch kiểm tra.",
        name: Some("Công ty Cổ phần Thực phẩm Sông Hồng"),
        email: Some("phaply@songhong.example.vn"),
        days_ago: 9,
        steps: &[("tw.lanhdao", 6, DemoStep::Assign("79"))],
    },
    DemoFeedback {
        kind: SenderKind::Citizen,
        category: Category::DigitalTransformation,
        about_nq57: true,
        subject: "Ứng dụng nộp phản ánh hiện trường cho người cao tuổi",
        text: "Ứng dụng hiện nay chữ nhỏ và nhiều bước. Đề nghị có chế độ hiển thị chữ lớn và gọi điện hỗ trợ.",
        name: None,
        email: None,
        days_ago: 6,
        steps: &[
            (
                "tw.lanhdao",
                30,
                DemoStep::Answer(
                    "Cảm ơn ý kiến của bạn. Phiên bản mới của ứng dụng đã có chế độ chữ lớn và nút gọi tổng đài hỗ trợ 1022.",
                ),
            ),
            ("tw.lanhdao", 31, DemoStep::Publish),
        ],
    },
    DemoFeedback {
        kind: SenderKind::Citizen,
        category: Category::Other,
        about_nq57: false,
        subject: "Quảng cáo bán hàng",
        text: "Mua hàng giá rẻ tại trang web của chúng tôi.",
        name: None,
        email: None,
        days_ago: 5,
        steps: &[(
            "tw.lanhdao",
            2,
            DemoStep::Reject("Nội dung quảng cáo, không phải góp ý về các lĩnh vực tiếp nhận."),
        )],
    },
    DemoFeedback {
        kind: SenderKind::Citizen,
        category: Category::OnlineService,
        about_nq57: false,
        subject: "Biểu mẫu thường trú không tự điền thông tin",
        text: "Cổng dịch vụ công bắt nhập lại thông tin cá nhân khi đăng ký thường trú.",
        name: None,
        email: None,
        days_ago: 4,
        steps: &[("tw.lanhdao", 4, DemoStep::DuplicateOfFirstPublished)],
    },
    DemoFeedback {
        kind: SenderKind::Citizen,
        category: Category::Resolution,
        about_nq57: true,
        subject: "Hỗ trợ chuyển đổi số cho hợp tác xã nông nghiệp",
        text: "Đề nghị có chính sách hỗ trợ hợp tác xã nông nghiệp sử dụng phần mềm quản lý và sàn thương mại điện tử theo tinh thần Nghị quyết 57.",
        name: Some("Lê Văn Tám"),
        email: Some("tam.le@example.vn"),
        days_ago: 3,
        steps: &[],
    },
    DemoFeedback {
        kind: SenderKind::Business,
        category: Category::Procedure,
        about_nq57: false,
        subject: "Thời hạn cấp giấy phép xây dựng nhà xưởng",
        text: "Hồ sơ cấp phép xây dựng nhà xưởng của chúng tôi đã quá hạn giải quyết 20 ngày mà chưa có thông báo.",
        name: None,
        email: None,
        days_ago: 2,
        steps: &[],
    },
    DemoFeedback {
        kind: SenderKind::Citizen,
        category: Category::Apparatus,
        about_nq57: false,
        subject: "Tra cứu địa chỉ mới sau khi sắp xếp đơn vị hành chính",
        text: "Đề nghị có trang tra cứu địa chỉ mới tương ứng với địa chỉ cũ để người dân cập nhật giấy tờ.",
        name: None,
        email: None,
        days_ago: 15,
        steps: &[
            ("tw.lanhdao", 12, DemoStep::Assign("79")),
            (
                "hcm.lanhdao",
                40,
                DemoStep::Answer(
                    "Trang tra cứu đơn vị hành chính mới đã vận hành trên Cổng thông tin điện tử Thành phố; người dân nhập địa chỉ cũ để biết địa chỉ mới tương ứng.",
                ),
            ),
            ("hcm.lanhdao", 41, DemoStep::Publish),
        ],
    },
    DemoFeedback {
        kind: SenderKind::Citizen,
        category: Category::DigitalTransformation,
        about_nq57: false,
        subject: "Wi-Fi miễn phí tại nhà văn hóa phường",
        text: "Đề nghị lắp Wi-Fi miễn phí tại nhà văn hóa để người dân làm thủ tục trực tuyến.",
        name: None,
        email: None,
        days_ago: 1,
        steps: &[],
    },
];

/// Feedback in every status, some answered and published, spread over the last weeks.
pub async fn demo_feedback(db: &Db) -> Result<usize> {
    use super::entity::feedback as item;
    if item::Entity::find().count(&db.read).await? > 0 {
        return Ok(0);
    }
    let intake = feedback::Intake::load(db, 0).await?;
    let nq57 = document::Entity::find()
        .filter(document::Column::CodeKey.eq(centre_code_key(db, "57-NQ/TW").await?))
        .one(&db.read)
        .await?
        .map(|d| d.id);
    let now = chrono::Utc::now();
    let mut first_published: Option<String> = None;
    for demo in &DEMO_FEEDBACK {
        let received = now - chrono::Duration::days(demo.days_ago);
        let receipt = feedback::store(
            db,
            &intake,
            feedback::NewFeedback {
                kind: demo.kind,
                category: demo.category,
                document_id: if demo.about_nq57 { nq57 } else { None },
                subject: demo.subject.to_owned(),
                text: demo.text.to_owned(),
                name: demo.name.map(str::to_owned),
                email: demo.email.map(str::to_owned),
                phone: None,
                location_unit_id: None,
                source: "form",
            },
            &feedback::new_submission_key(),
            received,
        )
        .await
        .map_err(failure)?;
        for (version, (username, hours, step)) in demo.steps.iter().enumerate() {
            let official = reader(db, username).await?;
            let command = match *step {
                DemoStep::Assign(unit) => FeedbackCommand::Assign { unit: unit.into() },
                DemoStep::Note(text) => FeedbackCommand::Note { text: text.into() },
                DemoStep::Answer(text) => FeedbackCommand::Answer { text: text.into() },
                DemoStep::Publish => FeedbackCommand::Publish,
                DemoStep::Close => FeedbackCommand::Close,
                DemoStep::Reject(reason) => FeedbackCommand::Reject {
                    reason: reason.into(),
                },
                DemoStep::DuplicateOfFirstPublished => FeedbackCommand::MarkDuplicate {
                    of: first_published.clone().unwrap_or_default(),
                },
            };
            let at = received + chrono::Duration::hours(*hours);
            feedback::act(
                db,
                &official,
                &receipt.code,
                i32::try_from(version).unwrap_or(0),
                command,
                at,
            )
            .await
            .map_err(failure)?;
            if matches!(step, DemoStep::Publish) && first_published.is_none() {
                first_published = Some(receipt.code.clone());
            }
        }
    }
    Ok(DEMO_FEEDBACK.len())
}
