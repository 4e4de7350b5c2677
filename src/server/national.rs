//! `tiendo seed national`: the whole country's data, to measure the dashboards against.
//!
//! The seven major resolutions; 1,800 central tasks led by the centre, each cascaded to
//! the 34 provinces and one in five of them on to every commune of each province (about
//! 1.26 million tasks); reports in every state over the past year, about three per commune
//! task, consistent with the tasks' progress and status; 150,000 officials spread over the
//! units, sharing one password hash; twenty indicators per resolution, assigned to every
//! province, with quarterly values for two years (`indicators::national`). Dates are
//! planned in Rust; the bulk is copied by set-based SQL, portable between SQLite and
//! PostgreSQL, one document per transaction with the tally triggers paused and the
//! tallies recounted before commit.

use super::db::Db;
use super::entity::{document, task, unit, user};
use super::password;
use super::seed::DEMO_PASSWORD;
use super::tallies;
use super::users::search_key;
use super::work::{Failure, to_naive, today};
use crate::model::task::TaskStatus;
use crate::model::text::fold;
use crate::model::time::Day;
use crate::model::{Classification, Role, UnitLevel};
use anyhow::{Context, Result};
use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Statement, Value,
};
use std::collections::HashMap;

const RESOLUTIONS_CSV: &str = include_str!("../../migrations/data/resolutions-2025.csv");

/// The shape of the data set: the national one, or a small one for tests.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Central tasks over all seven resolutions.
    pub central_tasks: u32,
    /// One central task in this many is cascaded on to every commune.
    pub commune_share: u32,
    /// Officials per unit: the centre, a central body, a province, a commune.
    pub users: [u32; 4],
}

impl Shape {
    pub const NATIONAL: Shape = Shape {
        central_tasks: 1800,
        commune_share: 5,
        users: [400, 100, 650, 38],
    };

    /// The tasks the shape makes: central, province and commune copies.
    pub fn task_count(&self, communes: u64) -> u64 {
        let central = u64::from(self.central_tasks);
        let to_communes = central.div_ceil(u64::from(self.commune_share.max(1)));
        central + central * 34 + to_communes * communes
    }
}

/// What a step of the seed did, for the progress bar.
#[derive(Clone, Debug)]
pub struct Progress {
    pub step: String,
    /// Rows written so far and the rows the whole seed will write (an estimate).
    pub done: u64,
    pub total: u64,
}

/// What the seed added.
#[derive(Clone, Debug, Default)]
pub struct NationalReport {
    pub users: u64,
    pub documents: u64,
    pub tasks: u64,
    pub reports: u64,
}

/// The username of an official of the national data set: `nat.<unit code>.<n>`.
pub fn username(unit_code: &str, n: u32) -> String {
    format!("nat.{}.{n}", unit_code.to_lowercase())
}

/// Officials number 1 and 3 lead their unit, every fifth from 5 on only reads, the others
/// are officers.
fn role_of(n: u32) -> Role {
    match n {
        1 | 3 => Role::Leader,
        n if n >= 5 && n % 5 == 0 => Role::Viewer,
        _ => Role::Officer,
    }
}

fn clearance_of(level: UnitLevel, role: Role) -> Classification {
    match (level, role) {
        (UnitLevel::Central | UnitLevel::Agency, Role::Leader) => Classification::Secret,
        (_, Role::Leader) => Classification::Confidential,
        _ => Classification::Internal,
    }
}

const FAMILY: [&str; 12] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quốc", "Thanh"];
const GIVEN: [&str; 16] = [
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Khánh", "Lan", "Long", "Mai",
    "Nam", "Phương", "Quân", "Tâm",
];

fn full_name(i: usize) -> String {
    format!(
        "{} {} {}",
        FAMILY[i % FAMILY.len()],
        MIDDLE[(i / 7) % MIDDLE.len()],
        GIVEN[(i / 3) % GIVEN.len()]
    )
}

/// What the central tasks of a resolution are about: actions and their objects.
const ACTIONS: [&str; 10] = [
    "Xây dựng và ban hành",
    "Triển khai",
    "Rà soát, hoàn thiện",
    "Tổ chức thực hiện",
    "Sơ kết, đánh giá",
    "Kiện toàn",
    "Đẩy mạnh",
    "Hướng dẫn thực hiện",
    "Kiểm tra, giám sát việc thực hiện",
    "Bố trí nguồn lực cho",
];

fn topics(code: &str) -> [&'static str; 6] {
    match code {
        "57-NQ/TW" => [
            "nền tảng dữ liệu dùng chung",
            "hạ tầng số và điện toán đám mây",
            "chính quyền số cấp xã",
            "nguồn nhân lực khoa học, công nghệ",
            "dịch vụ công trực tuyến toàn trình",
            "an toàn, an ninh mạng",
        ],
        "59-NQ/TW" => [
            "chương trình hội nhập quốc tế",
            "cam kết thương mại tự do",
            "hợp tác quốc tế về khoa học",
            "thu hút đầu tư nước ngoài có chọn lọc",
            "đội ngũ cán bộ làm công tác đối ngoại",
            "thông tin đối ngoại",
        ],
        "66-NQ/TW" => [
            "văn bản quy phạm pháp luật",
            "quy trình xây dựng pháp luật",
            "cơ sở dữ liệu pháp luật",
            "công tác phổ biến, giáo dục pháp luật",
            "kiểm tra văn bản",
            "thi hành pháp luật ở cơ sở",
        ],
        "68-NQ/TW" => [
            "thủ tục hành chính cho doanh nghiệp",
            "hỗ trợ doanh nghiệp nhỏ và vừa",
            "tiếp cận tín dụng của kinh tế tư nhân",
            "đối thoại với doanh nghiệp",
            "cụm công nghiệp cho doanh nghiệp tư nhân",
            "khởi nghiệp sáng tạo",
        ],
        "70-NQ/TW" => [
            "quy hoạch năng lượng",
            "tiết kiệm năng lượng",
            "lưới điện phân phối",
            "năng lượng tái tạo",
            "dự trữ năng lượng",
            "chuyển đổi năng lượng xanh",
        ],
        "71-NQ/TW" => [
            "chương trình giáo dục phổ thông",
            "đội ngũ nhà giáo",
            "cơ sở vật chất trường học",
            "chuyển đổi số trong giáo dục",
            "giáo dục nghề nghiệp",
            "học tập suốt đời",
        ],
        _ => [
            "y tế cơ sở",
            "hồ sơ sức khỏe điện tử",
            "chăm sóc sức khỏe ban đầu",
            "phòng, chống dịch bệnh",
            "bảo hiểm y tế toàn dân",
            "nhân lực y tế",
        ],
    }
}

struct Resolution {
    code: String,
    issuer: String,
    issued_on: Day,
    title: String,
}

fn resolutions() -> Result<Vec<Resolution>> {
    let mut reader = csv::Reader::from_reader(RESOLUTIONS_CSV.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.context("resolutions list")?;
        let field = |i: usize| record.get(i).unwrap_or_default().trim().to_owned();
        if field(1) != "resolution" {
            continue;
        }
        out.push(Resolution {
            code: field(0),
            issuer: field(2),
            issued_on: Day::parse(&field(3)).context("resolutions list: issued_on")?,
            title: field(4),
        });
    }
    Ok(out)
}

/// A deterministic spread of `a` and `b` over `0..m` (`salt` picks another spread): the
/// same expression in SQL and, for the central tasks, in Rust.
fn spread_sql(a: &str, b: &str, salt: u32, m: u32) -> String {
    format!(
        "((((({a}) * 31 + ({b})) % 1000003) * {}) % {m})",
        2_654_435_761u64 + u64::from(salt)
    )
}

fn spread(a: u64, b: u64, salt: u32, m: u32) -> u64 {
    (((a * 31 + b) % 1_000_003) * (2_654_435_761 + u64::from(salt))) % u64::from(m)
}

/// How many completion plans each central task offers its copies.
const PLANS: u32 = 16;

/// Seeds the national data set. Each resolution already seeded is skipped, so running
/// it again adds nothing.
pub async fn seed(
    db: &Db,
    shape: Shape,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<NationalReport> {
    let today = today();
    let units: Vec<unit::Model> = unit::Entity::find().all(&db.read).await?;
    let communes = units
        .iter()
        .filter(|u| u.level == UnitLevel::Commune.as_str())
        .count() as u64;
    let tasks_total = shape.task_count(communes);
    let users_total: u64 = units
        .iter()
        .map(|u| u64::from(users_per_unit(&shape, u)))
        .sum();
    // Tasks, about three reports and one history line each.
    let total = users_total + tasks_total * 5;
    let mut done = 0u64;
    let mut report = NationalReport::default();
    if db.backend() == DbBackend::Sqlite {
        // A bigger page cache for the bulk inserts into several indexes.
        db.write
            .execute_unprepared("PRAGMA cache_size = -262144")
            .await?;
    }

    report.users = seed_users(db, &shape, &units).await?;
    done += users_total;
    progress(Progress {
        step: "officials".into(),
        done,
        total,
    });

    let root = units
        .iter()
        .find(|u| u.parent_id.is_none())
        .context("the centre is missing: run `tiendo migrate` first")?;
    let seeder = user::Entity::find()
        .filter(user::Column::Username.eq(username(&root.code, 1)))
        .one(&db.read)
        .await?
        .context("the national officials are missing")?;
    let staff = staff(db).await?;

    let resolutions = resolutions()?;
    let per_document = shape
        .central_tasks
        .div_ceil(resolutions.len().max(1) as u32);
    let mut ordinal = 0u32;
    for resolution in &resolutions {
        let count = per_document.min(shape.central_tasks.saturating_sub(ordinal));
        let label = resolution.code.clone();
        let step_tasks = tasks_total * u64::from(count) / u64::from(shape.central_tasks.max(1));
        let added = seed_document(
            db, &shape, resolution, root, &seeder, &staff, ordinal, count, today,
        )
        .await
        .with_context(|| format!("seeding {label}"))?;
        ordinal += count;
        if let Some((tasks, reports)) = added {
            report.documents += 1;
            report.tasks += tasks;
            report.reports += reports;
        }
        done += step_tasks * 5;
        progress(Progress {
            step: label,
            done: done.min(total),
            total,
        });
    }

    progress(Progress {
        step: "statistics for the query planner".into(),
        done: total,
        total,
    });
    match db.backend() {
        DbBackend::Sqlite => {
            db.write
                .execute_unprepared("PRAGMA analysis_limit = 2000; ANALYZE;")
                .await?;
        }
        _ => {
            // VACUUM also marks the new pages all-visible, so index-only scans need no
            // visit to the table (autovacuum would do it, later).
            db.write.execute_unprepared("VACUUM ANALYZE").await?;
        }
    }
    Ok(report)
}

fn users_per_unit(shape: &Shape, unit: &unit::Model) -> u32 {
    let level: UnitLevel = unit.level.parse().unwrap_or(UnitLevel::Commune);
    match level {
        UnitLevel::Central => shape.users[0],
        UnitLevel::Agency => shape.users[1],
        UnitLevel::Province => shape.users[2],
        UnitLevel::Commune => shape.users[3],
    }
}

/// The officials, unless they are there already. One password hash for all of them.
async fn seed_users(db: &Db, shape: &Shape, units: &[unit::Model]) -> Result<u64> {
    let marker = units
        .iter()
        .find(|u| u.parent_id.is_none())
        .map(|u| username(&u.code, 1))
        .unwrap_or_default();
    if user::Entity::find()
        .filter(user::Column::Username.eq(marker))
        .count(&db.read)
        .await?
        > 0
    {
        return Ok(0);
    }
    let hash = tokio::task::spawn_blocking(|| password::hash(DEMO_PASSWORD))
        .await?
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?;
    let now = Utc::now();
    let mut batch = Vec::new();
    let mut added = 0u64;
    let txn = db.begin_write().await?;
    for unit in units {
        let level: UnitLevel = unit.level.parse().unwrap_or(UnitLevel::Commune);
        for n in 1..=users_per_unit(shape, unit) {
            let name = username(&unit.code, n);
            let full_name = full_name(unit.id as usize * 131 + n as usize);
            let role = role_of(n);
            batch.push(user::ActiveModel {
                search_key: Set(search_key(&name, &full_name)),
                username: Set(name),
                full_name: Set(full_name),
                email: Set(None),
                password_hash: Set(hash.clone()),
                unit_id: Set(unit.id),
                role: Set(role.as_str().to_owned()),
                clearance: Set(clearance_of(level, role).rank()),
                active: Set(true),
                failed_logins: Set(0),
                locked_until: Set(None),
                must_change_password: Set(false),
                password_changed_at: Set(now),
                created_at: Set(now),
                last_login_at: Set(None),
                version: Set(0),
                ..Default::default()
            });
            if batch.len() == 1000 {
                added += batch.len() as u64;
                user::Entity::insert_many(std::mem::take(&mut batch))
                    .exec_without_returning(&txn)
                    .await?;
            }
        }
    }
    if !batch.is_empty() {
        added += batch.len() as u64;
        user::Entity::insert_many(batch)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(added)
}

/// Per unit: an officer who reports and a leader who evaluates (officials 2 and 1).
async fn staff(db: &Db) -> Result<Vec<(i32, i32, i32)>> {
    let officials: Vec<(i32, i32, String)> = user::Entity::find()
        .select_only()
        .columns([
            user::Column::Id,
            user::Column::UnitId,
            user::Column::Username,
        ])
        .filter(
            sea_orm::Condition::any()
                .add(user::Column::Username.like("nat.%.1"))
                .add(user::Column::Username.like("nat.%.2")),
        )
        .into_tuple()
        .all(&db.read)
        .await?;
    let mut by_unit: HashMap<i32, (i32, i32)> = HashMap::new();
    for (id, unit_id, name) in officials {
        let entry = by_unit.entry(unit_id).or_insert((id, id));
        if name.ends_with(".2") {
            entry.0 = id;
        } else {
            entry.1 = id;
        }
    }
    Ok(by_unit
        .into_iter()
        .map(|(unit, (officer, leader))| (unit, officer, leader))
        .collect())
}

/// A central task as planned in Rust.
struct Central {
    title: String,
    start: Day,
    due: Day,
    priority: i16,
    classification: i16,
    to_communes: bool,
    /// One central task in six is key; its copies are too.
    key: bool,
}

fn plan_central(code: &str, ordinal: u32, shape: &Shape, today: Day) -> Central {
    let topics = topics(code);
    let i = ordinal as usize;
    let action = ACTIONS[i % ACTIONS.len()];
    let topic = topics[(i / ACTIONS.len()) % topics.len()];
    let round = i / (ACTIONS.len() * topics.len()) + 1;
    let title = if round > 1 {
        format!("{action} {topic} (giai đoạn {round})")
    } else {
        format!("{action} {topic}")
    };
    // Due from eleven months ago to eight months ahead; started 4 to 12 months before.
    let due = today.plus_days(spread(u64::from(ordinal), 1, 3, 570) as i32 - 330);
    let start = due.plus_days(-(120 + spread(u64::from(ordinal), 2, 5, 240) as i32));
    let classification = if ordinal % 97 == 5 {
        Classification::Secret
    } else if ordinal % 20 == 3 {
        Classification::Confidential
    } else if ordinal.is_multiple_of(2) {
        Classification::Internal
    } else {
        Classification::Public
    };
    Central {
        title,
        start,
        due,
        priority: (spread(u64::from(ordinal), 4, 7, 4)) as i16,
        classification: classification.rank(),
        to_communes: ordinal.is_multiple_of(shape.commune_share.max(1)),
        key: spread(u64::from(ordinal), 5, 6, 6) == 0,
    }
}

fn at(day: Day, hour: u32) -> DateTime<Utc> {
    let (y, m, d) = day.ymd();
    // Vietnam is UTC+7: an hour of the Vietnamese working day, in UTC.
    Utc.with_ymd_and_hms(
        i32::try_from(y).unwrap_or(1970),
        m,
        d,
        hour.saturating_sub(7),
        0,
        0,
    )
    .single()
    .unwrap_or_default()
}

/// Seeds one resolution and its tasks in one transaction; `None` when it already has its
/// national tasks.
#[allow(clippy::too_many_arguments)]
async fn seed_document(
    db: &Db,
    shape: &Shape,
    resolution: &Resolution,
    root: &unit::Model,
    seeder: &user::Model,
    staff: &[(i32, i32, i32)],
    first_ordinal: u32,
    count: u32,
    today: Day,
) -> Result<Option<(u64, u64)>> {
    let now = Utc::now();
    let txn = db.begin_write().await?;
    let existing = document::Entity::find()
        .filter(document::Column::CodeKey.eq(super::documents::code_key(
            root.id,
            Classification::Public.rank(),
            &resolution.code,
        )))
        .one(&txn)
        .await?;
    let document_id = match existing {
        Some(doc) => {
            let seeded = task::Entity::find()
                .filter(task::Column::DocumentId.eq(doc.id))
                .filter(task::Column::CreatedBy.eq(seeder.id))
                .count(&txn)
                .await?;
            if seeded > 0 {
                return Ok(None);
            }
            doc.id
        }
        None => {
            let title = resolution.title.clone();
            document::Entity::insert(document::ActiveModel {
                code_key: Set(super::documents::code_key(
                    root.id,
                    Classification::Public.rank(),
                    &resolution.code,
                )),
                code: Set(resolution.code.clone()),
                kind: Set("resolution".into()),
                search_key: Set(fold(&format!(
                    "{} {} {}",
                    resolution.code, title, resolution.issuer
                ))),
                title: Set(title),
                issuing_body: Set(resolution.issuer.clone()),
                issued_on: Set(to_naive(resolution.issued_on)),
                summary: Set(format!(
                    "Nghị quyết {} của {}.",
                    resolution.code, resolution.issuer
                )),
                classification: Set(Classification::Public.rank()),
                owner_unit_id: Set(root.id),
                owner_path: Set(root.path.clone()),
                status: Set("active".into()),
                version: Set(0),
                created_by: Set(seeder.id),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(&txn)
            .await?
            .last_insert_id
        }
    };
    tallies::pause(&txn, true).await.map_err(failure)?;

    // The central tasks, planned in Rust.
    let planned: Vec<Central> = (first_ordinal..first_ordinal + count)
        .map(|ordinal| plan_central(&resolution.code, ordinal, shape, today))
        .collect();
    let models = planned.iter().map(|c| task::ActiveModel {
        document_id: Set(document_id),
        parent_id: Set(None),
        root_id: Set(None),
        depth: Set(0),
        title: Set(c.title.clone()),
        description: Set(format!(
            "Thực hiện Nghị quyết {}: {}.",
            resolution.code,
            c.title.to_lowercase()
        )),
        expected_result: Set("Báo cáo kết quả thực hiện kèm văn bản, số liệu minh chứng.".into()),
        lead_unit_id: Set(root.id),
        lead_path: Set(root.path.clone()),
        assigner_unit_id: Set(root.id),
        assigner_path: Set(root.path.clone()),
        start_on: Set(to_naive(c.start)),
        due_on: Set(to_naive(c.due)),
        priority: Set(c.priority),
        weight: Set(1),
        classification: Set(c.classification),
        status: Set(TaskStatus::NotStarted.as_str().to_owned()),
        progress: Set(0),
        completed_on: Set(None),
        is_key: Set(c.key),
        version: Set(0),
        created_by: Set(seeder.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    });
    task::Entity::insert_many(models)
        .exec_without_returning(&txn)
        .await?;
    exec(
        &txn,
        format!(
            "UPDATE tasks SET root_id = id WHERE document_id = {document_id} AND root_id IS NULL"
        ),
    )
    .await?;
    let centrals: Vec<(i32, chrono::NaiveDate)> = task::Entity::find()
        .select_only()
        .columns([task::Column::Id, task::Column::DueOn])
        .filter(task::Column::DocumentId.eq(document_id))
        .filter(task::Column::CreatedBy.eq(seeder.id))
        .filter(task::Column::Depth.eq(0))
        .into_tuple()
        .all(&txn)
        .await?;
    let mut centrals = centrals;
    centrals.sort_by_key(|(id, _)| *id);
    let to_communes: Vec<i32> = centrals
        .iter()
        .zip(&planned)
        .filter(|(_, c)| c.to_communes)
        .map(|((id, _), _)| *id)
        .collect();

    create_temp_tables(&txn).await?;
    fill_plans(&txn, &centrals, today).await?;
    fill_staff(&txn, staff).await?;

    // Province copies of every central task, then commune copies of one in five. Each
    // copy's fate (status, progress, completion) is spread over its plans by its ids.
    let backend = txn.get_database_backend();
    exec(
        &txn,
        copy_sql(backend, document_id, 0, UnitLevel::Province, ""),
    )
    .await?;
    if !to_communes.is_empty() {
        let roots = to_communes
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let only = format!(" AND p.root_id IN ({roots})");
        exec(
            &txn,
            copy_sql(backend, document_id, 1, UnitLevel::Commune, &only),
        )
        .await?;
    }
    let reports = insert_reports(&txn, document_id).await?;
    if backend == DbBackend::Postgres {
        // Statistics that include what was just inserted (ANALYZE counts the rows of its
        // own transaction): the statements below join the new rows, and plans made for
        // the tables as they were before lose minutes on each resolution.
        exec(&txn, "ANALYZE units, tasks, reports".to_owned()).await?;
    }
    // Tasks with subtasks take their progress and status from them, bottom up.
    for depth in [1, 0] {
        exec(&txn, roll_up_sql(document_id, depth)).await?;
    }
    exec(
        &txn,
        format!(
            "INSERT INTO task_events (task_id, at, actor_id, kind, detail) \
             SELECT id, created_at, created_by, 'created', \
             CASE WHEN parent_id IS NULL THEN '{{\"lead\":\"{root}\"}}' \
             ELSE '{{\"cascaded_from\":' || CAST(parent_id AS TEXT) || '}}' END \
             FROM tasks WHERE document_id = {document_id} AND created_by = {seeder}",
            root = root.code,
            seeder = seeder.id,
        ),
    )
    .await?;
    let tasks = task::Entity::find()
        .filter(task::Column::DocumentId.eq(document_id))
        .filter(task::Column::CreatedBy.eq(seeder.id))
        .count(&txn)
        .await?;
    drop_temp_tables(&txn).await?;
    super::indicators::national::seed(&txn, document_id, root, staff, seeder.id, today).await?;
    // The tasks' last reports were written with them (`copy_sql`, `roll_up_sql`).
    migration::freshness::recount_sent(&txn, Some(document_id)).await?;
    tallies::rebuild(&txn, Some(document_id), today)
        .await
        .map_err(failure)?;
    tallies::pause(&txn, false).await.map_err(failure)?;
    txn.commit().await?;
    Ok(Some((tasks, reports)))
}

fn failure(error: Failure) -> anyhow::Error {
    anyhow::anyhow!("{error}")
}

async fn exec(txn: &DatabaseTransaction, sql: String) -> Result<u64> {
    Ok(txn.execute_unprepared(&sql).await?.rows_affected())
}

async fn create_temp_tables(txn: &DatabaseTransaction) -> Result<()> {
    let (timestamp, on_commit) = match txn.get_database_backend() {
        DbBackend::Postgres => ("TIMESTAMPTZ", " ON COMMIT DROP"),
        _ => ("TEXT", ""),
    };
    // Each central task's completion plans: the day a copy would finish (from 45 days
    // early to 30 days late), whether that day has come, and four report times.
    exec(
        txn,
        format!(
            "CREATE TEMP TABLE seed_plans (root_id INTEGER NOT NULL, k INTEGER NOT NULL, \
             finished INTEGER NOT NULL, late INTEGER NOT NULL, done_on DATE NOT NULL, \
             at1 {timestamp} NOT NULL, at2 {timestamp} NOT NULL, at3 {timestamp} NOT NULL, \
             at4 {timestamp} NOT NULL, PRIMARY KEY (root_id, k)){on_commit}"
        ),
    )
    .await?;
    exec(
        txn,
        format!(
            "CREATE TEMP TABLE seed_staff (unit_id INTEGER NOT NULL PRIMARY KEY, \
             officer_id INTEGER NOT NULL, leader_id INTEGER NOT NULL){on_commit}"
        ),
    )
    .await?;
    Ok(())
}

async fn drop_temp_tables(txn: &DatabaseTransaction) -> Result<()> {
    if txn.get_database_backend() != DbBackend::Postgres {
        exec(txn, "DROP TABLE seed_plans".into()).await?;
        exec(txn, "DROP TABLE seed_staff".into()).await?;
    }
    Ok(())
}

async fn fill_plans(
    txn: &DatabaseTransaction,
    centrals: &[(i32, chrono::NaiveDate)],
    today: Day,
) -> Result<()> {
    let yesterday = today.plus_days(-1);
    let now = Utc::now();
    let mut rows: Vec<Vec<Value>> = Vec::new();
    for (root, due) in centrals {
        let due = super::work::from_naive(*due);
        for k in 0..PLANS {
            let planned = due.plus_days(-45 + 5 * k as i32);
            let finished = planned <= yesterday;
            let done_on = planned.min(yesterday);
            rows.push(vec![
                (*root).into(),
                (k as i32).into(),
                i32::from(finished).into(),
                i32::from(planned > due).into(),
                to_naive(done_on).into(),
                at(done_on.plus_days(-60), 9).into(),
                at(done_on.plus_days(-30), 10).into(),
                at(done_on, 15).into(),
                at(done_on.plus_days(1), 8).min(now).into(),
            ]);
        }
    }
    insert_rows(
        txn,
        "seed_plans (root_id, k, finished, late, done_on, at1, at2, at3, at4)",
        rows,
    )
    .await
}

async fn fill_staff(txn: &DatabaseTransaction, staff: &[(i32, i32, i32)]) -> Result<()> {
    let rows = staff
        .iter()
        .map(|(unit, officer, leader)| vec![(*unit).into(), (*officer).into(), (*leader).into()])
        .collect();
    insert_rows(txn, "seed_staff (unit_id, officer_id, leader_id)", rows).await
}

/// Inserts rows in chunks of 500, each as one statement with bound values.
pub(crate) async fn insert_rows(
    txn: &DatabaseTransaction,
    into: &str,
    rows: Vec<Vec<Value>>,
) -> Result<()> {
    let backend = txn.get_database_backend();
    for chunk in rows.chunks(500) {
        let mut values = Vec::new();
        let mut tuples = Vec::new();
        for row in chunk {
            let first = values.len();
            tuples.push(format!(
                "({})",
                (1..=row.len())
                    .map(|i| format!("${}", first + i))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            values.extend(row.iter().cloned());
        }
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            format!("INSERT INTO {into} VALUES {}", tuples.join(", ")),
            values,
        ))
        .await?;
    }
    Ok(())
}

/// Which of the four fates a leaf copy meets, by its parent and unit: 0-29 completion
/// (if its planned day has come), 30-61 in progress, 62-71 returned, 72-99 not started.
fn fate(p: &str, u: &str) -> String {
    spread_sql(p, u, 11, 100)
}

/// Which completion plan of its central task a copy follows.
fn plan_of(p: &str, u: &str) -> String {
    spread_sql(p, u, 13, PLANS)
}

/// Progress of a copy in progress (10 to 90) or returned (10 to 50), in steps of 5.
fn progress_of(p: &str, u: &str, steps: u32) -> String {
    format!("(10 + 5 * {})", spread_sql(p, u, 17, steps))
}

/// Copies every task of depth `parent_depth` of the document to the child units of its
/// lead unit at `level`, each copy with its fate. A leaf copy's day last reported on is
/// that of the latest report `insert_reports` gives its fate; a copy with subtasks takes
/// its subtasks' latest in `roll_up_sql`.
fn copy_sql(
    backend: DbBackend,
    document_id: i32,
    parent_depth: i32,
    level: UnitLevel,
    only_roots: &str,
) -> String {
    let fate = fate("p.id", "u.id");
    let in_progress = progress_of("p.id", "u.id", 17);
    let returned = progress_of("p.id", "u.id", 9);
    let done = format!("(pl.finished = 1 AND {fate} < 30)");
    let last_report = migration::freshness::day_of(
        backend,
        &format!(
            "CASE WHEN {done} THEN pl.at3 WHEN {fate} < 62 THEN pl.at4 \
             WHEN {fate} < 72 THEN pl.at3 ELSE pl.at4 END"
        ),
    );
    format!(
        "INSERT INTO tasks (document_id, parent_id, root_id, depth, title, description, \
         expected_result, lead_unit_id, lead_path, assigner_unit_id, assigner_path, start_on, \
         due_on, priority, weight, classification, status, progress, completed_on, is_key, \
         version, created_by, created_at, updated_at, last_report_on) \
         SELECT p.document_id, p.id, p.root_id, p.depth + 1, p.title, p.description, \
         p.expected_result, u.id, u.path, p.lead_unit_id, p.lead_path, p.start_on, p.due_on, \
         p.priority, 1, p.classification, \
         CASE WHEN {done} AND pl.late = 1 THEN 'done_late' WHEN {done} THEN 'done' \
              WHEN {fate} < 62 THEN 'in_progress' WHEN {fate} < 72 THEN 'returned' \
              ELSE 'not_started' END, \
         CASE WHEN {done} THEN 100 WHEN {fate} < 62 THEN {in_progress} \
              WHEN {fate} < 72 THEN {returned} ELSE 0 END, \
         CASE WHEN {done} THEN pl.done_on ELSE NULL END, \
         p.is_key, 0, p.created_by, p.created_at, p.created_at, {last_report} \
         FROM tasks p \
         JOIN units u ON u.parent_id = p.lead_unit_id AND u.level = '{level}' \
         JOIN seed_plans pl ON pl.root_id = p.root_id AND pl.k = {plan} \
         WHERE p.document_id = {document_id} AND p.depth = {parent_depth}{only_roots} \
         ORDER BY p.id, u.id",
        level = level.as_str(),
        plan = plan_of("p.id", "u.id"),
    )
}

/// The reports of every leaf copy of the document, consistent with its fate:
/// completed (accepted 50 %, returned, accepted 100 % with the claim of completion),
/// in progress (accepted half, returned, accepted, one awaiting evaluation), returned
/// (accepted, then returned twice), not started (one awaiting evaluation).
async fn insert_reports(txn: &DatabaseTransaction, document_id: i32) -> Result<u64> {
    // (statuses of the task, report number, progress, claims completion, status, time,
    // evaluated)
    let half = "(t.progress / 2)";
    let reports: [(&str, u32, &str, bool, &str, &str); 11] = [
        ("('done', 'done_late')", 1, "50", false, "accepted", "at1"),
        ("('done', 'done_late')", 2, "90", false, "returned", "at2"),
        ("('done', 'done_late')", 3, "100", true, "accepted", "at3"),
        ("('in_progress')", 1, half, false, "accepted", "at1"),
        ("('in_progress')", 2, "t.progress", false, "returned", "at2"),
        ("('in_progress')", 3, "t.progress", false, "accepted", "at3"),
        (
            "('in_progress')",
            4,
            "(t.progress + 10)",
            false,
            "pending",
            "at4",
        ),
        ("('returned')", 1, "t.progress", false, "accepted", "at1"),
        (
            "('returned')",
            2,
            "(t.progress + 5)",
            false,
            "returned",
            "at2",
        ),
        (
            "('returned')",
            3,
            "(t.progress + 10)",
            false,
            "returned",
            "at3",
        ),
        ("('not_started')", 1, "10", false, "pending", "at4"),
    ];
    let mut added = 0;
    for (statuses, n, progress, claims, status, time) in reports {
        let evaluated = status != "pending";
        let (evaluator, evaluated_at) = if evaluated {
            ("s2.leader_id", format!("pl.{time}"))
        } else {
            ("NULL", "NULL".to_owned())
        };
        let reason = if status == "returned" {
            "'Đề nghị bổ sung số liệu và văn bản minh chứng kết quả thực hiện.'"
        } else {
            "NULL"
        };
        added += exec(
            txn,
            format!(
                "INSERT INTO reports (task_id, unit_id, author_id, progress, claims_completion, \
                 text, status, submission_key, created_at, evaluator_id, evaluated_at, reason) \
                 SELECT t.id, t.lead_unit_id, s.officer_id, {progress}, {claims}, \
                 'Báo cáo tiến độ lần {n}: đã triển khai theo kế hoạch, số liệu kèm theo.', \
                 '{status}', 'nat-' || CAST(t.id AS TEXT) || '-{n}', pl.{time}, {evaluator}, \
                 {evaluated_at}, {reason} \
                 FROM tasks t \
                 JOIN seed_plans pl ON pl.root_id = t.root_id AND pl.k = {plan} \
                 JOIN seed_staff s ON s.unit_id = t.lead_unit_id \
                 JOIN seed_staff s2 ON s2.unit_id = t.assigner_unit_id \
                 WHERE t.document_id = {document_id} AND t.depth > 0 AND t.status IN {statuses} \
                 AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id) \
                 ORDER BY t.id",
                claims = if claims { "TRUE" } else { "FALSE" },
                plan = plan_of("t.parent_id", "t.lead_unit_id"),
            ),
        )
        .await?;
    }
    Ok(added)
}

/// Sets the progress, status and day last reported on of the document's tasks at `depth`
/// that have subtasks from those subtasks, as `tasks::roll_up` and
/// `freshness::reported_up` do one task at a time.
fn roll_up_sql(document_id: i32, depth: i32) -> String {
    format!(
        "UPDATE tasks SET progress = c.progress, \
         status = CASE WHEN c.open = 0 THEN \
                     CASE WHEN c.last_done > tasks.due_on THEN 'done_late' ELSE 'done' END \
                  WHEN c.progress > 0 OR c.started > 0 THEN 'in_progress' \
                  ELSE 'not_started' END, \
         completed_on = CASE WHEN c.open = 0 THEN c.last_done ELSE NULL END, \
         last_report_on = c.last_report \
         FROM (SELECT parent_id, \
                 (SUM(progress * weight) + SUM(weight) / 2) / SUM(weight) AS progress, \
                 SUM(CASE WHEN status IN ('done', 'done_late') THEN 0 ELSE 1 END) AS open, \
                 SUM(CASE WHEN status = 'not_started' THEN 0 ELSE 1 END) AS started, \
                 MAX(completed_on) AS last_done, MAX(last_report_on) AS last_report \
               FROM tasks WHERE document_id = {document_id} AND depth = {child} \
               AND status <> 'cancelled' GROUP BY parent_id) c \
         WHERE tasks.id = c.parent_id AND tasks.depth = {depth}",
        child = depth + 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_shape_has_the_size_the_issue_asks_for() {
        let tasks = Shape::NATIONAL.task_count(3321);
        assert_eq!(tasks, 1800 + 1800 * 34 + 360 * 3321);
        assert!((1_250_000..1_270_000).contains(&tasks));
        let users = 400 + 13 * 100 + 34 * 650 + 3321 * 38;
        assert!((149_000..151_000).contains(&users), "{users}");
    }

    #[test]
    fn spreads_agree_between_rust_and_sql_and_stay_in_range() {
        for (a, b) in [(1, 2), (1_300_000, 4533), (7, 0)] {
            assert!(spread(a, b, 11, 100) < 100);
        }
        assert_eq!(
            spread_sql("a", "b", 0, 7),
            "(((((a) * 31 + (b)) % 1000003) * 2654435761) % 7)"
        );
    }

    #[test]
    fn usernames_are_valid() {
        assert!(crate::model::user::username::is_valid(&username("TW", 1)));
        assert!(crate::model::user::username::is_valid(&username(
            "00004", 38
        )));
        assert_eq!(role_of(1), Role::Leader);
        assert_eq!(role_of(2), Role::Officer);
        assert_eq!(role_of(10), Role::Viewer);
    }

    #[test]
    fn seven_resolutions() {
        let list = resolutions().expect("the bundled list parses");
        assert_eq!(list.len(), 7);
        assert!(list.iter().any(|r| r.code == "57-NQ/TW"));
    }
}
