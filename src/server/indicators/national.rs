//! The national data set's indicators: twenty per resolution, each assigned by the centre
//! to all 34 provinces with targets of their own, and their quarterly values for the last
//! two years (accepted by the centre, the latest quarter awaiting it, a few missing).

use crate::model::UnitLevel;
use crate::model::indicator::{ValueState, judged_period};
use crate::model::period::{Cycle, Period};
use crate::model::time::Day;
use crate::server::entity::{indicator, unit};
use crate::server::work::{day_start, to_naive};
use anyhow::Result;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QuerySelect, Value,
};
use std::collections::HashMap;

/// Indicators per resolution.
pub const PER_DOCUMENT: usize = 20;
/// Quarters of values.
const QUARTERS: u32 = 8;

/// What each resolution measures: a name, a unit of measure and whether lower is better.
const MEASURES: [(&str, &str, bool); PER_DOCUMENT] = [
    (
        "Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến toàn trình",
        "%",
        false,
    ),
    ("Tỷ lệ nhiệm vụ hoàn thành đúng hạn", "%", false),
    ("Số doanh nghiệp thành lập mới", "doanh nghiệp", false),
    ("Tỷ lệ cán bộ được bồi dưỡng kỹ năng số", "%", false),
    ("Thời gian giải quyết thủ tục bình quân", "ngày", true),
    (
        "Tỷ lệ cơ sở dữ liệu chuyên ngành được kết nối, chia sẻ",
        "%",
        false,
    ),
    ("Tỷ lệ văn bản điện tử ký số", "%", false),
    ("Vốn đầu tư cho khoa học, công nghệ", "tỷ đồng", false),
    (
        "Tỷ lệ người dân có tài khoản định danh điện tử mức 2",
        "%",
        false,
    ),
    ("Số sáng kiến, giải pháp được công nhận", "sáng kiến", false),
    ("Tỷ lệ hộ gia đình có kết nối băng rộng cố định", "%", false),
    (
        "Tỷ lệ phản ánh, kiến nghị được trả lời đúng hạn",
        "%",
        false,
    ),
    (
        "Tỷ lệ doanh nghiệp nhỏ và vừa ứng dụng nền tảng số",
        "%",
        false,
    ),
    (
        "Chi phí tuân thủ thủ tục hành chính bình quân",
        "triệu đồng",
        true,
    ),
    (
        "Tỷ lệ xã, phường có trung tâm phục vụ hành chính công đạt chuẩn",
        "%",
        false,
    ),
    ("Số lao động được đào tạo nghề", "nghìn người", false),
    ("Tỷ lệ chi ngân sách cho chuyển đổi số", "%", false),
    ("Tỷ lệ hồ sơ sức khỏe điện tử được cập nhật", "%", false),
    ("Số vụ việc vi phạm được phát hiện, xử lý", "vụ", false),
    ("Mức độ hài lòng của người dân", "%", false),
];

/// A number spread over `0..m` by two keys, as the rest of the national data is.
fn spread(a: u64, b: u64, m: u64) -> u64 {
    (a.wrapping_mul(2_654_435_761) ^ b.wrapping_mul(40_503).wrapping_add(977)) % m.max(1)
}

/// Adds the document's indicators in the caller's transaction. `staff` holds, per unit,
/// an officer who reports and a leader who evaluates.
pub async fn seed(
    txn: &DatabaseTransaction,
    document_id: i32,
    root: &unit::Model,
    staff: &[(i32, i32, i32)],
    seeder: i32,
    today: Day,
) -> Result<u64> {
    let provinces: Vec<unit::Model> = unit::Entity::find()
        .filter(unit::Column::ParentId.eq(root.id))
        .filter(unit::Column::Level.eq(UnitLevel::Province.as_str()))
        .all(txn)
        .await?;
    let people: HashMap<i32, (i32, i32)> = staff
        .iter()
        .map(|&(unit, officer, leader)| (unit, (officer, leader)))
        .collect();
    let centre_leader = people.get(&root.id).map_or(seeder, |p| p.1);
    let now = Utc::now();
    // The latest quarter the dashboards judge: past its cut-off.
    let last = judged_period(Cycle::Quarterly, 25, today);
    let quarters: Vec<Period> = {
        let mut list = vec![last];
        while list.len() < QUARTERS as usize {
            let earlier = list.last().copied().unwrap_or(last).previous();
            list.push(earlier);
        }
        list.reverse();
        list
    };
    // The quarter under way, when its cut-off is still ahead: a third of the provinces
    // have sent its value early.
    let current = Period::containing(Cycle::Quarterly, today);
    let early = (current != last).then_some(current);
    let mut written = 0u64;
    for (n, (name, measure, lower)) in MEASURES.iter().enumerate() {
        let key = u64::from(document_id.unsigned_abs()) * 100 + n as u64;
        let baseline = 20.0 + spread(key, 1, 50) as f64;
        let change = if *lower { -0.4 } else { 0.6 } * baseline;
        let targets = [baseline + change * 0.5, baseline + change];
        let created = indicator::ActiveModel {
            document_id: Set(document_id),
            parent_id: Set(None),
            root_id: Set(None),
            unit_id: Set(root.id),
            unit_path: Set(root.path.clone()),
            assigner_unit_id: Set(root.id),
            assigner_path: Set(root.path.clone()),
            name: Set((*name).to_owned()),
            measure: Set((*measure).to_owned()),
            direction: Set(if *lower { "lower" } else { "higher" }.to_owned()),
            baseline_year: Set(2024),
            baseline_value: Set(baseline),
            roll_up: Set("weighted_mean".to_owned()),
            weight_name: Set("Dân số (nghìn người)".to_owned()),
            on_track: Set(90.0),
            at_risk: Set(75.0),
            data_source: Set("Báo cáo định kỳ của các tỉnh, thành phố".to_owned()),
            classification: Set(0),
            version: Set(1),
            created_by: Set(seeder),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let mut milestones = vec![milestone_row(created.id, "2027-12-31", targets[0])];
        milestones.push(milestone_row(created.id, "2030-12-31", targets[1]));
        // Each province its own baseline, 80 % to 120 % of the nation's, and the same
        // relative change.
        let copies: Vec<Vec<Value>> = provinces
            .iter()
            .map(|p| {
                let scale = 0.8 + spread(key, p.id as u64, 41) as f64 / 100.0;
                vec![
                    document_id.into(),
                    Some(created.id).into(),
                    Some(created.id).into(),
                    p.id.into(),
                    p.path.clone().into(),
                    root.id.into(),
                    root.path.clone().into(),
                    (*name).to_owned().into(),
                    (*measure).to_owned().into(),
                    created.direction.clone().into(),
                    2024.into(),
                    (baseline * scale).into(),
                    "weighted_mean".to_owned().into(),
                    "Dân số (nghìn người)".to_owned().into(),
                    90.0.into(),
                    75.0.into(),
                    created.data_source.clone().into(),
                    0i16.into(),
                    1.into(),
                    seeder.into(),
                    now.into(),
                    now.into(),
                ]
            })
            .collect();
        crate::server::national::insert_rows(
            txn,
            "indicators (document_id, parent_id, root_id, unit_id, unit_path, \
             assigner_unit_id, assigner_path, name, measure, direction, baseline_year, \
             baseline_value, roll_up, weight_name, on_track, at_risk, data_source, \
             classification, version, created_by, created_at, updated_at)",
            copies,
        )
        .await?;
        let ids: Vec<(i32, i32, f64)> = indicator::Entity::find()
            .select_only()
            .columns([
                indicator::Column::Id,
                indicator::Column::UnitId,
                indicator::Column::BaselineValue,
            ])
            .filter(indicator::Column::ParentId.eq(created.id))
            .into_tuple()
            .all(txn)
            .await?;
        let mut values = Vec::new();
        for &(id, unit_id, own_baseline) in &ids {
            let scale = own_baseline / baseline;
            milestones.push(milestone_row(id, "2027-12-31", targets[0] * scale));
            milestones.push(milestone_row(id, "2030-12-31", targets[1] * scale));
            let (officer, _) = people.get(&unit_id).copied().unwrap_or((seeder, seeder));
            // How far along its plan the province keeps: 55 % to 115 % of the pace.
            let pace = 0.55 + spread(key, unit_id as u64 + 7, 61) as f64 / 100.0;
            let weight = 500.0 + spread(unit_id as u64, 3, 9500) as f64;
            for (q, &period) in quarters.iter().chain(&early).enumerate() {
                let latest = period == last;
                let ahead = Some(period) == early;
                // One province in twelve has not sent the latest quarter.
                if latest && spread(key, unit_id as u64 + 11, 12) == 0
                    || ahead && spread(key, unit_id as u64 + 13, 3) != 0
                {
                    continue;
                }
                let gone = f64::from(period.last_day().0 - Day::from_ymd(2024, 12, 31).0);
                let planned = change * scale * 0.5 * gone / 1095.0;
                let value = own_baseline + planned * pace;
                let sent = if ahead {
                    now - chrono::Duration::hours(2)
                } else {
                    day_start(period.cut_off(25).plus_days(-(q as i32 % 5)))
                        + chrono::Duration::hours(9)
                };
                let state = if latest || ahead {
                    ValueState::Submitted
                } else {
                    ValueState::Accepted
                };
                values.push(vec![
                    id.into(),
                    period.code().into(),
                    ((value * 100.0).round() / 100.0).into(),
                    Some(weight).into(),
                    "Số liệu của Cục Thống kê tỉnh, thành phố."
                        .to_owned()
                        .into(),
                    state.as_str().to_owned().into(),
                    String::new().into(),
                    officer.into(),
                    sent.into(),
                    (!latest && !ahead).then_some(centre_leader).into(),
                    (!latest && !ahead)
                        .then_some(sent + chrono::Duration::days(3))
                        .into(),
                    String::new().into(),
                ]);
            }
        }
        written += 1 + ids.len() as u64 + values.len() as u64;
        crate::server::national::insert_rows(
            txn,
            "indicator_milestones (indicator_id, due_on, value)",
            milestones,
        )
        .await?;
        crate::server::national::insert_rows(
            txn,
            "indicator_values (indicator_id, period, value, weight, source_note, state, \
             reason, submitted_by, submitted_at, evaluated_by, evaluated_at, answer)",
            values,
        )
        .await?;
    }
    super::standing::rebuild(txn, Some(document_id)).await?;
    Ok(written)
}

fn milestone_row(id: i32, on: &str, value: f64) -> Vec<Value> {
    let on = Day::parse(on).map(to_naive).unwrap_or_default();
    vec![
        id.into(),
        on.into(),
        ((value * 100.0).round() / 100.0).into(),
    ]
}
