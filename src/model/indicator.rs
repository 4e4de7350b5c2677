//! Indicators: what a resolution promises in numbers ("the digital economy reaches at least
//! 30 % of GDP by 2030"), the planned path to it, and how far a unit's reported value is
//! along that path.

use super::period::{Cycle, Period};
use super::task::DocumentRef;
use super::time::Day;
use super::unit::UnitRef;
use super::{AppError, Classification, Problem};
use serde::{Deserialize, Serialize};

/// At most this many dated milestones, the final target included.
pub const MILESTONES_MAX: usize = 4;
/// The longest name of an indicator, in characters.
pub const NAME_MAX: usize = 300;
/// The longest unit of measure or name of a weight.
pub const MEASURE_MAX: usize = 60;
/// The longest source note, data source, reason or answer.
pub const NOTE_MAX: usize = 2000;

text_enum!(
    /// Which way is better.
    Direction { Higher => "higher", Lower => "lower" }
);

text_enum!(
    /// How the values of the units below make their parent's value: their sum, their mean
    /// weighted by a figure each unit reports with its value (its population, its number
    /// of firms: the indicator names it), or none (each unit's value stands alone: a rank,
    /// a yes/no).
    RollUp { Sum => "sum", WeightedMean => "weighted_mean", NotAggregated => "not_aggregated" }
);

/// A point of the planned path.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanPoint {
    pub on: Day,
    pub value: f64,
}

/// The planned path: the baseline, then the dated milestones, the last being the final
/// target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub direction: Direction,
    pub baseline: PlanPoint,
    /// In date order, after the baseline; the last is the final target.
    pub milestones: Vec<PlanPoint>,
}

/// Why a plan cannot be kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanProblem {
    NoTarget,
    /// A milestone on or before the baseline's or the previous milestone's date (the final
    /// target is the last milestone: a milestone after it is out of order too).
    MilestoneOutOfOrder,
    /// The final target equals the baseline: there is nothing to measure against.
    TargetIsBaseline,
    /// The final target lies the wrong way from the baseline for the direction.
    TargetAgainstDirection,
    NotANumber,
}

impl Plan {
    pub fn target(&self) -> Option<PlanPoint> {
        self.milestones.last().copied()
    }

    pub fn check(&self) -> Result<(), PlanProblem> {
        let target = self.target().ok_or(PlanProblem::NoTarget)?;
        let points = std::iter::once(self.baseline).chain(self.milestones.iter().copied());
        if points.clone().any(|p| !p.value.is_finite()) {
            return Err(PlanProblem::NotANumber);
        }
        let dates: Vec<Day> = points.map(|p| p.on).collect();
        if dates.windows(2).any(|pair| pair[1] <= pair[0]) {
            return Err(PlanProblem::MilestoneOutOfOrder);
        }
        let change = target.value - self.baseline.value;
        if change == 0.0 {
            return Err(PlanProblem::TargetIsBaseline);
        }
        let better = match self.direction {
            Direction::Higher => change > 0.0,
            Direction::Lower => change < 0.0,
        };
        if !better {
            return Err(PlanProblem::TargetAgainstDirection);
        }
        Ok(())
    }

    /// The value the plan expects on `day`: the baseline before it starts, the final target
    /// after it ends, and on a straight line between the two points around `day` otherwise.
    pub fn planned_on(&self, day: Day) -> f64 {
        let mut before = self.baseline;
        if day <= before.on {
            return before.value;
        }
        for &point in &self.milestones {
            if day <= point.on {
                let span = f64::from(point.on.0 - before.on.0);
                let gone = f64::from(day.0 - before.on.0);
                return before.value + (point.value - before.value) * gone / span;
            }
            before = point;
        }
        before.value
    }

    /// How far `actual` is along the way the plan expects by `day`:
    /// (actual − baseline) / (planned − baseline), 1.0 being exactly on plan. Where the plan
    /// expects no change yet, a value at least as good as the baseline is on plan (1.0) and
    /// a worse one is not (0.0).
    pub fn achievement(&self, actual: f64, day: Day) -> f64 {
        let baseline = self.baseline.value;
        let planned = self.planned_on(day) - baseline;
        if planned == 0.0 {
            let gained = match self.direction {
                Direction::Higher => actual >= baseline,
                Direction::Lower => actual <= baseline,
            };
            return if gained { 1.0 } else { 0.0 };
        }
        (actual - baseline) / planned
    }
}

text_enum!(
    /// Where an indicator stands for a unit in a period (`NoData`: no value for it).
    IndicatorStatus { OnTrack => "on_track", AtRisk => "at_risk", OffTrack => "off_track", NoData => "no_data" }
);

text_enum!(
    /// A value sent for a period: waiting for the assigning unit, accepted or returned by
    /// it, or replaced by a later value (sent again before the cut-off, or corrected
    /// after it).
    ValueState { Submitted => "submitted", Accepted => "accepted", Returned => "returned", Replaced => "replaced" }
);

/// The achievement (in percent) from which an indicator is on track, and from which it is
/// at risk rather than off track.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub on_track: f64,
    pub at_risk: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            on_track: 90.0,
            at_risk: 75.0,
        }
    }
}

impl Thresholds {
    /// `on_track` above `at_risk`, both between 0 and 100 %.
    pub fn is_valid(self) -> bool {
        (0.0..=100.0).contains(&self.at_risk)
            && (0.0..=100.0).contains(&self.on_track)
            && self.at_risk < self.on_track
    }

    /// The status for an achievement (1.0 = on plan). A hair below a threshold counts as
    /// reaching it: 5.13 / 5.7 is 0.8999…98 in floating point, and shown as 90 %.
    pub fn status(self, achievement: Option<f64>) -> IndicatorStatus {
        const HAIR: f64 = 1e-9;
        match achievement.map(|a| a * 100.0 + HAIR) {
            None => IndicatorStatus::NoData,
            Some(percent) if percent >= self.on_track => IndicatorStatus::OnTrack,
            Some(percent) if percent >= self.at_risk => IndicatorStatus::AtRisk,
            Some(_) => IndicatorStatus::OffTrack,
        }
    }
}

/// A parent's value from its children's `(value, weight)`; `None` when the rule makes none
/// or no child has a value.
pub fn roll_up(rule: RollUp, children: &[(f64, f64)]) -> Option<f64> {
    match rule {
        RollUp::NotAggregated => None,
        _ if children.is_empty() => None,
        RollUp::Sum => Some(children.iter().map(|(value, _)| value).sum()),
        RollUp::WeightedMean => {
            let weight: f64 = children.iter().map(|(_, weight)| weight).sum();
            (weight > 0.0).then(|| {
                children
                    .iter()
                    .map(|(value, weight)| value * weight)
                    .sum::<f64>()
                    / weight
            })
        }
    }
}

/// A value as officials type it: `12.5` or `12,5` (the Vietnamese decimal comma), an
/// optional sign, no thousands separators (in `1.234` they cannot be told from a decimal
/// point). `None` for anything else.
pub fn parse_value(text: &str) -> Option<f64> {
    let text = text.trim();
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let mut separators = 0;
    for byte in digits.bytes() {
        match byte {
            b'0'..=b'9' => {}
            b'.' | b',' => separators += 1,
            _ => return None,
        }
    }
    let starts_and_ends_with_digit = digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.ends_with(|c: char| c.is_ascii_digit());
    if separators > 1 || !starts_and_ends_with_digit || digits.len() > 30 {
        return None;
    }
    text.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

impl PlanProblem {
    /// The refusal, on the form's milestones.
    pub fn error(self) -> AppError {
        let problem = match self {
            PlanProblem::NoTarget => Problem::Required,
            PlanProblem::MilestoneOutOfOrder => Problem::MilestoneOutOfOrder,
            PlanProblem::TargetIsBaseline => Problem::TargetIsBaseline,
            PlanProblem::TargetAgainstDirection => Problem::TargetAgainstDirection,
            PlanProblem::NotANumber => Problem::Malformed,
        };
        AppError::invalid("milestones", problem)
    }
}

/// The day a baseline year's value stands for: its last.
pub fn baseline_day(year: i32) -> Day {
    Day::from_ymd(i64::from(year), 12, 31)
}

/// A number typed in a form field, or why it cannot be read.
pub fn number(field: &str, text: &str) -> Result<f64, AppError> {
    if text.trim().is_empty() {
        return Err(AppError::invalid(field, Problem::Required));
    }
    parse_value(text).ok_or_else(|| AppError::invalid(field, Problem::Malformed))
}

/// The planned path typed in a form: a baseline value and up to [`MILESTONES_MAX`]
/// dated milestones (`(date, value)` as typed; empty pairs are skipped).
pub fn plan_from_form(
    direction: Direction,
    baseline_year: i32,
    baseline_value: &str,
    milestones: &[(String, String)],
) -> Result<Plan, AppError> {
    let baseline = number("baseline_value", baseline_value)?;
    let mut points = Vec::new();
    for (n, (on, value)) in milestones.iter().enumerate().take(MILESTONES_MAX) {
        if on.trim().is_empty() && value.trim().is_empty() {
            continue;
        }
        let field = |what: &str| format!("milestone_{}_{what}", n + 1);
        let on = Day::parse(on).ok_or_else(|| {
            let problem = if on.trim().is_empty() {
                Problem::Required
            } else {
                Problem::Malformed
            };
            AppError::invalid(&field("on"), problem)
        })?;
        let value = number(&field("value"), value)?;
        points.push(PlanPoint { on, value });
    }
    let plan = Plan {
        direction,
        baseline: PlanPoint {
            on: baseline_day(baseline_year),
            value: baseline,
        },
        milestones: points,
    };
    plan.check().map_err(PlanProblem::error)?;
    Ok(plan)
}

/// The period an indicator's status is judged on, on `today`: the latest whose cut-off
/// has passed (until then a unit still has time to report).
pub fn judged_period(cycle: Cycle, cut_off_day: u32, today: Day) -> Period {
    let current = Period::containing(cycle, today);
    if today > current.cut_off(cut_off_day) {
        current
    } else {
        current.previous()
    }
}

/// Where a unit's indicator stands in a period: its value (its own, or rolled up from
/// the units below), how far along the plan that is, and the status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Standing {
    pub period: Period,
    pub value: Option<f64>,
    /// The value came from the units below, not from the unit itself.
    pub rolled_up: bool,
    /// In percent of the planned change by the period's end.
    pub achievement: Option<f64>,
    pub status: IndicatorStatus,
}

impl Standing {
    pub fn of(
        plan: &Plan,
        thresholds: Thresholds,
        period: Period,
        own: Option<f64>,
        below: Option<f64>,
    ) -> Standing {
        let value = own.or(below);
        let achievement = value.map(|v| plan.achievement(v, period.last_day()));
        Standing {
            period,
            value,
            rolled_up: own.is_none() && below.is_some(),
            achievement: achievement.map(|a| a * 100.0),
            status: thresholds.status(achievement),
        }
    }
}

/// How many indicators stand where: a dashboard's figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub on_track: u32,
    pub at_risk: u32,
    pub off_track: u32,
    pub no_data: u32,
}

impl StatusCounts {
    pub fn add_many(&mut self, status: IndicatorStatus, n: u32) {
        *match status {
            IndicatorStatus::OnTrack => &mut self.on_track,
            IndicatorStatus::AtRisk => &mut self.at_risk,
            IndicatorStatus::OffTrack => &mut self.off_track,
            IndicatorStatus::NoData => &mut self.no_data,
        } += n;
    }

    pub fn total(self) -> u32 {
        self.on_track + self.at_risk + self.off_track + self.no_data
    }
}

/// An indicator in a list: the document's section, the units below on its page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub id: i32,
    pub name: String,
    pub measure: String,
    pub unit: UnitRef,
    pub baseline: PlanPoint,
    pub target: Option<PlanPoint>,
    pub standing: Standing,
    pub classification: Classification,
}

/// One value sent for a period, as the indicator's page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueRecord {
    pub id: i32,
    pub period: Period,
    pub value: f64,
    pub weight: Option<f64>,
    pub source_note: String,
    pub state: ValueState,
    /// Why a value of a closed period was corrected; the value it corrects.
    pub reason: String,
    pub corrects: Option<i32>,
    pub submitted_by: String,
    pub submitted_at: i64,
    /// Sent after the period's cut-off.
    pub late: bool,
    pub evaluated_by: Option<String>,
    pub evaluated_at: Option<i64>,
    pub answer: String,
    /// Its evidence files.
    pub files: Vec<crate::model::task::AttachmentView>,
    /// The reader may accept or return it.
    pub can_evaluate: bool,
}

/// One period of the table beside the chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodPoint {
    pub planned: f64,
    pub standing: Standing,
}

/// `/indicators/{id}`: a unit's indicator, its plan against its values, its values and
/// the units below.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorDetail {
    pub id: i32,
    pub document: DocumentRef,
    pub name: String,
    pub measure: String,
    pub direction: Direction,
    pub plan: Plan,
    pub roll_up: RollUp,
    pub weight_name: String,
    pub thresholds: Thresholds,
    pub data_source: String,
    pub classification: Classification,
    pub unit: UnitRef,
    pub assigner: UnitRef,
    /// The indicator it was assigned from, when the reader sees it.
    pub parent: Option<i32>,
    pub cycle: Cycle,
    pub cut_off_day: u32,
    pub standing: Standing,
    /// The periods with a value, the oldest first.
    pub points: Vec<PeriodPoint>,
    /// The planned path against the values, as SVG (numbers and dates only).
    pub chart: String,
    pub values: Vec<ValueRecord>,
    pub below: Vec<IndicatorRow>,
    /// The periods a value may be sent for (begun, the latest first); empty when the
    /// reader does not report for the unit.
    pub report_periods: Vec<Period>,
    /// The report form asks for the unit's weight (its parent's value is their weighted
    /// mean).
    pub asks_weight: bool,
    /// Units directly below that do not carry the indicator yet; empty when the reader
    /// cannot assign it.
    pub assignable: Vec<UnitRef>,
    /// What the edit form sends back, so that an edit made meanwhile is not overwritten.
    pub version: i32,
    /// The reader may edit it: the document's own indicator, and they lead its unit.
    pub can_edit: bool,
}

/// A document's indicators, as its page lists them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorSection {
    /// The topmost indicators the reader sees.
    pub rows: Vec<IndicatorRow>,
    pub can_create: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).expect("a date")
    }

    fn point(on: &str, value: f64) -> PlanPoint {
        PlanPoint { on: day(on), value }
    }

    /// Resolution 57: the digital economy at 18.3 % of GDP in 2024, at least 30 % by 2030.
    fn digital_economy() -> Plan {
        Plan {
            direction: Direction::Higher,
            baseline: point("2024-12-31", 18.3),
            milestones: vec![point("2027-12-31", 24.0), point("2030-12-31", 30.0)],
        }
    }

    #[test]
    fn the_planned_path_runs_straight_between_its_points() {
        let plan = digital_economy();
        assert_eq!(plan.planned_on(day("2020-01-01")), 18.3);
        assert_eq!(plan.planned_on(day("2027-12-31")), 24.0);
        assert_eq!(plan.planned_on(day("2035-01-01")), 30.0);
        // Half-way in days between the end of 2027 and the end of 2030.
        let middle = Day((day("2027-12-31").0 + day("2030-12-31").0) / 2);
        assert!((plan.planned_on(middle) - 27.0).abs() < 0.01);
    }

    #[test]
    fn achievement_and_status_against_hand_computed_cases() {
        let plan = digital_economy();
        let end_2027 = day("2027-12-31");
        let thresholds = Thresholds::default();
        // (actual − 18.3) / (24 − 18.3): 24 → 100 %, 23.43 → 90 %, 22.575 → 75 %.
        let cases = [
            (24.0, 1.0, IndicatorStatus::OnTrack),
            (23.43, 0.9, IndicatorStatus::OnTrack),
            (23.0, 4.7 / 5.7, IndicatorStatus::AtRisk),
            (22.575, 0.75, IndicatorStatus::AtRisk),
            (22.0, 3.7 / 5.7, IndicatorStatus::OffTrack),
            (17.0, -1.3 / 5.7, IndicatorStatus::OffTrack),
        ];
        for (actual, expected, status) in cases {
            let achieved = plan.achievement(actual, end_2027);
            assert!((achieved - expected).abs() < 1e-9, "{actual}: {achieved}");
            assert_eq!(thresholds.status(Some(achieved)), status, "{actual}");
        }
        assert_eq!(thresholds.status(None), IndicatorStatus::NoData);
    }

    #[test]
    fn lower_is_better_measures_the_fall() {
        // Administrative procedures' processing time, 20 days down to 10 by 2026.
        let plan = Plan {
            direction: Direction::Lower,
            baseline: point("2025-01-01", 20.0),
            milestones: vec![point("2026-01-01", 10.0)],
        };
        assert_eq!(plan.check(), Ok(()));
        assert_eq!(plan.achievement(10.0, day("2026-01-01")), 1.0);
        assert_eq!(plan.achievement(12.0, day("2026-01-01")), 0.8);
        assert_eq!(plan.achievement(22.0, day("2026-01-01")), -0.2);
        // On the baseline's day nothing is expected yet: holding the line is on plan.
        assert_eq!(plan.achievement(20.0, day("2025-01-01")), 1.0);
        assert_eq!(plan.achievement(21.0, day("2025-01-01")), 0.0);
    }

    #[test]
    fn a_plan_that_cannot_be_measured_is_refused() {
        let mut plan = digital_economy();
        assert_eq!(plan.check(), Ok(()));
        plan.milestones.push(point("2029-01-01", 31.0));
        assert_eq!(plan.check(), Err(PlanProblem::MilestoneOutOfOrder));
        let mut plan = digital_economy();
        plan.milestones = vec![point("2030-12-31", 18.3)];
        assert_eq!(plan.check(), Err(PlanProblem::TargetIsBaseline));
        plan.milestones = vec![point("2030-12-31", 10.0)];
        assert_eq!(plan.check(), Err(PlanProblem::TargetAgainstDirection));
        plan.milestones = vec![];
        assert_eq!(plan.check(), Err(PlanProblem::NoTarget));
        plan.milestones = vec![point("2024-12-31", 30.0)];
        assert_eq!(plan.check(), Err(PlanProblem::MilestoneOutOfOrder));
        plan.milestones = vec![point("2030-12-31", f64::NAN)];
        assert_eq!(plan.check(), Err(PlanProblem::NotANumber));
    }

    #[test]
    fn values_roll_up_by_the_indicators_rule() {
        let children = [(10.0, 1.0), (20.0, 3.0)];
        assert_eq!(roll_up(RollUp::Sum, &children), Some(30.0));
        assert_eq!(roll_up(RollUp::WeightedMean, &children), Some(17.5));
        assert_eq!(roll_up(RollUp::NotAggregated, &children), None);
        assert_eq!(roll_up(RollUp::Sum, &[]), None);
        assert_eq!(roll_up(RollUp::WeightedMean, &[(5.0, 0.0)]), None);
    }

    #[test]
    fn values_are_read_as_officials_type_them() {
        assert_eq!(parse_value("12,5"), Some(12.5));
        assert_eq!(parse_value(" 12.5 "), Some(12.5));
        assert_eq!(parse_value("-3"), Some(-3.0));
        assert_eq!(parse_value("30"), Some(30.0));
        for nonsense in [
            "", "abc", "1.234,5", "12.", ",5", "NaN", "inf", "1e9", "12 %", "--1", "1-",
        ] {
            assert_eq!(parse_value(nonsense), None, "{nonsense}");
        }
        assert!(Thresholds::default().is_valid());
        assert!(
            !Thresholds {
                on_track: 70.0,
                at_risk: 75.0
            }
            .is_valid()
        );
    }
}
