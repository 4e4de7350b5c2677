//! Indicators: what a resolution promises in numbers ("the digital economy reaches at least
//! 30 % of GDP by 2030"), the planned path to it, and how far a unit's reported value is
//! along that path.

use super::time::Day;
use serde::{Deserialize, Serialize};

/// Which way is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Higher,
    Lower,
}

/// How the values of the units below make their parent's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RollUp {
    Sum,
    /// The mean weighted by a figure each unit reports with its value (its population,
    /// its number of firms: the indicator names it).
    WeightedMean,
    /// Each unit's value stands alone (a rank, a yes/no).
    NotAggregated,
}

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

/// Where an indicator stands for a unit in a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorStatus {
    OnTrack,
    AtRisk,
    OffTrack,
    /// No value for the period.
    NoData,
}

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
