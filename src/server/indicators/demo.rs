//! The demo's indicators: Resolution 57-NQ/TW's own targets, assigned to Hà Nội, Huế and
//! Hồ Chí Minh City with targets of their own, and their quarterly values since the
//! baseline year, so that each status shows: on track, at risk, off track, no data.

use super::{AssignInput, IndicatorInput, ValueInput, assign, create, report};
use crate::model::indicator::judged_period;
use crate::model::period::{Cycle, Period};
use crate::model::task::Verdict;
use crate::server::access::Reader;
use crate::server::db::Db;
use crate::server::entity::indicator_value;
use crate::server::evidence::{EvidenceStore, Upload};
use crate::server::work::{Failure, day_start, today};
use anyhow::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// One of the resolution's targets: its name and measure, the nation's baseline (2024)
/// and milestones, how provinces add up, and each province's baseline, 2030 target and
/// value by the last closed quarter.
struct Target {
    name: &'static str,
    measure: &'static str,
    baseline: &'static str,
    milestones: &'static [(&'static str, &'static str)],
    weight: &'static str,
    source: &'static str,
    /// `(unit, who reports, baseline, one value per milestone, where it stands now as a
    /// share of the way to its first milestone)`.
    provinces: &'static [(
        &'static str,
        &'static str,
        f64,
        &'static [&'static str],
        f64,
    )],
}

const TARGETS: [Target; 3] = [
    Target {
        name: "Tỷ trọng kinh tế số trong GDP",
        measure: "% GDP",
        baseline: "18,3",
        milestones: &[("2030-12-31", "30"), ("2045-12-31", "50")],
        weight: "GRDP (nghìn tỷ đồng)",
        source: "Cục Thống kê, Bộ Tài chính",
        provinces: &[
            ("01", "hanoi.canbo", 21.0, &["35", "55"], 0.95),
            ("46", "hue.canbo", 9.5, &["22", "45"], 0.55),
            ("79", "hcm.lanhdao", 22.5, &["40", "60"], 0.8),
        ],
    },
    Target {
        name: "Tỷ lệ người dân và doanh nghiệp sử dụng dịch vụ công trực tuyến",
        measure: "%",
        baseline: "45",
        milestones: &[("2030-12-31", "80")],
        weight: "Dân số (nghìn người)",
        source: "Cổng Dịch vụ công quốc gia",
        provinces: &[
            ("01", "hanoi.canbo", 52.0, &["90"], 1.05),
            ("46", "hue.canbo", 40.0, &["80"], 0.97),
            ("79", "hcm.lanhdao", 55.0, &["90"], 0.0),
        ],
    },
    Target {
        name: "Nhân lực nghiên cứu và phát triển",
        measure: "người/vạn dân",
        baseline: "7",
        milestones: &[("2030-12-31", "12")],
        weight: "Dân số (nghìn người)",
        source: "Bộ Khoa học và Công nghệ",
        provinces: &[
            ("01", "hanoi.canbo", 15.0, &["22"], 0.92),
            ("79", "hcm.lanhdao", 11.0, &["18"], 0.7),
        ],
    },
];

/// Each province's weight: GRDP for the economy, population for the rest.
fn weight(unit: &str, name: &str) -> &'static str {
    let economy = name.contains("GDP");
    match (unit, economy) {
        ("01", true) => "1430",
        ("46", true) => "82",
        ("79", true) => "1810",
        ("01", false) => "8720",
        ("46", false) => "1160",
        _ => "14100",
    }
}

fn failure(error: Failure) -> anyhow::Error {
    anyhow::anyhow!("{:?}", error.shown())
}

/// Adds the indicators to Resolution 57 (`document`). Hồ Chí Minh City's online services
/// have no value yet for the last quarter: it shows as "no data". The values waiting for
/// the centre come with the statistics office's report as evidence.
pub async fn resolution_57(db: &Db, evidence: &EvidenceStore, document: i32) -> Result<()> {
    let centre = Reader::load(db, "tw.lanhdao").await?;
    let today = today();
    // The latest quarter judged: past its cut-off (the document's is the 25th).
    let last = judged_period(Cycle::Quarterly, 25, today);
    let first = Period::parse(Cycle::Quarterly, "2025-Q1").unwrap_or(last);
    for target in &TARGETS {
        let milestones: Vec<(String, String)> = target
            .milestones
            .iter()
            .map(|(on, value)| ((*on).to_owned(), (*value).to_owned()))
            .collect();
        let root = create(
            db,
            &centre,
            document,
            &IndicatorInput {
                name: target.name.to_owned(),
                measure: target.measure.to_owned(),
                direction: "higher".to_owned(),
                baseline_year: "2024".to_owned(),
                baseline_value: target.baseline.to_owned(),
                milestones,
                roll_up: "weighted_mean".to_owned(),
                weight_name: target.weight.to_owned(),
                data_source: target.source.to_owned(),
                classification: "public".to_owned(),
                ..IndicatorInput::default()
            },
        )
        .await
        .map_err(failure)?;
        for &(unit, officer, baseline, values, share) in target.provinces {
            let copy = assign(
                db,
                &centre,
                root,
                &AssignInput {
                    unit: unit.to_owned(),
                    baseline_value: baseline.to_string(),
                    milestones: values.iter().map(|v| (*v).to_owned()).collect(),
                },
            )
            .await
            .map_err(failure)?;
            let officer = Reader::load(db, officer).await?;
            let goal: f64 = values[0].parse().unwrap_or(baseline);
            // From the baseline at the end of 2024 towards 2030, `share` of the planned
            // pace: each quarter a little further along.
            let quarters = 24.0;
            let mut period = first;
            let mut n = 1.0;
            while period.first_day() <= last.first_day() {
                let missing = share == 0.0 && period == last;
                if !missing {
                    let planned_pace = (goal - baseline) / quarters;
                    let pace = if share == 0.0 { 1.0 } else { share };
                    let value = baseline + planned_pace * pace * n;
                    let waits = period == last;
                    send(
                        db,
                        evidence,
                        &officer,
                        &centre,
                        copy,
                        period,
                        value,
                        unit,
                        target.name,
                        waits,
                    )
                    .await?;
                }
                period = period.next();
                n += 1.0;
            }
        }
    }
    Ok(())
}

/// Sends one quarter's value, dated a few days before its cut-off, and the centre accepts
/// it (the latest quarter stays waiting for the centre, with its evidence).
async fn send(
    db: &Db,
    evidence: &EvidenceStore,
    officer: &Reader,
    centre: &Reader,
    id: i32,
    period: Period,
    value: f64,
    unit: &str,
    name: &str,
    waits: bool,
) -> Result<()> {
    let files = if waits {
        let file_name = format!(
            "bao-cao-thong-ke-{}-{}.pdf",
            unit.to_lowercase(),
            period.code()
        );
        vec![Upload {
            bytes: crate::server::seed::demo_pdf(&file_name),
            file_name,
        }]
    } else {
        Vec::new()
    };
    report(
        db,
        evidence,
        officer,
        id,
        ValueInput {
            period: period.code(),
            value: format!("{value:.2}"),
            weight: weight(unit, name).to_owned(),
            source_note: "Số liệu của Cục Thống kê tỉnh, thành phố; báo cáo định kỳ.".to_owned(),
            files,
            ..ValueInput::default()
        },
    )
    .await
    .map_err(failure)?;
    let sent = indicator_value::Entity::find()
        .filter(indicator_value::Column::IndicatorId.eq(id))
        .order_by_desc(indicator_value::Column::Id)
        .one(&db.read)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the value just sent is missing"))?;
    if !waits {
        super::evaluate(db, centre, sent.id, Verdict::Accept, "")
            .await
            .map_err(failure)?;
    }
    // Dated as it happened: sent in the morning three days before the cut-off, accepted
    // two days later.
    let sent_at = day_start(period.cut_off(25).plus_days(-3)) + chrono::Duration::hours(9);
    let mut dated = indicator_value::Entity::update_many()
        .col_expr(indicator_value::Column::SubmittedAt, Expr::value(sent_at));
    if !waits {
        dated = dated.col_expr(
            indicator_value::Column::EvaluatedAt,
            Expr::value(sent_at + chrono::Duration::days(2)),
        );
    }
    dated
        .filter(indicator_value::Column::Id.eq(sent.id))
        .exec(&db.write)
        .await?;
    Ok(())
}
