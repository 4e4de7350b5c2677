//! Reporting periods. A document's cycle cuts each year into periods; a unit's reports for a
//! period (its tasks' progress and its indicators' values) are due by the period's cut-off
//! day, a day of its last month (by default the 25th, as the Government Office asks).

use super::task::Verdict;
use super::time::Day;
use serde::{Deserialize, Serialize};

/// How often units report on a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cycle {
    Monthly,
    Quarterly,
    SixMonthly,
    Yearly,
}

/// The cut-off day when a document names none.
pub const DEFAULT_CUT_OFF_DAY: u32 = 25;

impl Cycle {
    pub const ALL: [Cycle; 4] = [
        Cycle::Monthly,
        Cycle::Quarterly,
        Cycle::SixMonthly,
        Cycle::Yearly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cycle::Monthly => "monthly",
            Cycle::Quarterly => "quarterly",
            Cycle::SixMonthly => "six_monthly",
            Cycle::Yearly => "yearly",
        }
    }

    pub fn parse(text: &str) -> Option<Cycle> {
        Cycle::ALL.into_iter().find(|c| c.as_str() == text.trim())
    }

    /// How many months one period lasts.
    pub fn months(self) -> u32 {
        match self {
            Cycle::Monthly => 1,
            Cycle::Quarterly => 3,
            Cycle::SixMonthly => 6,
            Cycle::Yearly => 12,
        }
    }

    /// How many periods a year holds.
    pub fn per_year(self) -> u32 {
        12 / self.months()
    }
}

impl std::str::FromStr for Cycle {
    type Err = super::unit::UnknownValue;
    fn from_str(text: &str) -> Result<Cycle, Self::Err> {
        Cycle::parse(text).ok_or_else(|| super::unit::UnknownValue(text.to_owned()))
    }
}

/// One period of a cycle: the `index`-th (from 1) of its year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub cycle: Cycle,
    pub year: i64,
    pub index: u32,
}

impl Period {
    /// The period of `cycle` that `day` falls in.
    pub fn containing(cycle: Cycle, day: Day) -> Period {
        let (year, month, _) = day.ymd();
        Period {
            cycle,
            year,
            index: (month - 1) / cycle.months() + 1,
        }
    }

    /// The period with this number in its year, if the cycle has one.
    pub fn new(cycle: Cycle, year: i64, index: u32) -> Option<Period> {
        ((1..=cycle.per_year()).contains(&index) && (1900..=9999).contains(&year))
            .then_some(Period { cycle, year, index })
    }

    fn first_month(self) -> u32 {
        (self.index - 1) * self.cycle.months() + 1
    }

    /// The month the period ends in, where its cut-off day falls.
    pub fn last_month(self) -> u32 {
        self.index * self.cycle.months()
    }

    pub fn first_day(self) -> Day {
        Day::from_ymd(self.year, self.first_month(), 1)
    }

    pub fn last_day(self) -> Day {
        self.next().first_day().plus_days(-1)
    }

    /// The day its reports are due: `cut_off_day` of its last month, or that month's last
    /// day when the month is shorter (the 31st in a 30-day month).
    pub fn cut_off(self, cut_off_day: u32) -> Day {
        let last = self.last_day().ymd().2;
        Day::from_ymd(self.year, self.last_month(), cut_off_day.clamp(1, last))
    }

    pub fn next(self) -> Period {
        if self.index == self.cycle.per_year() {
            Period {
                year: self.year + 1,
                index: 1,
                ..self
            }
        } else {
            Period {
                index: self.index + 1,
                ..self
            }
        }
    }

    pub fn previous(self) -> Period {
        if self.index == 1 {
            Period {
                year: self.year - 1,
                index: self.cycle.per_year(),
                ..self
            }
        } else {
            Period {
                index: self.index - 1,
                ..self
            }
        }
    }

    /// Its stable name in addresses and exports: `2026-M03`, `2026-Q1`, `2026-H2`, `2026`.
    pub fn code(self) -> String {
        match self.cycle {
            Cycle::Monthly => format!("{}-M{:02}", self.year, self.index),
            Cycle::Quarterly => format!("{}-Q{}", self.year, self.index),
            Cycle::SixMonthly => format!("{}-H{}", self.year, self.index),
            Cycle::Yearly => format!("{}", self.year),
        }
    }

    /// Reads [`Period::code`] back for a document's cycle: `None` for a period that does not
    /// exist or belongs to another cycle.
    pub fn parse(cycle: Cycle, code: &str) -> Option<Period> {
        let code = code.trim();
        let (year, rest) = match code.split_once('-') {
            Some((year, rest)) => (year, Some(rest)),
            None => (code, None),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i64 = year.parse().ok()?;
        let number = |prefix: char, digits: usize| {
            let rest = rest?.strip_prefix(prefix)?;
            (rest.len() == digits && rest.bytes().all(|b| b.is_ascii_digit()))
                .then(|| rest.parse::<u32>().ok())
                .flatten()
        };
        let index = match cycle {
            Cycle::Monthly => number('M', 2)?,
            Cycle::Quarterly => number('Q', 1)?,
            Cycle::SixMonthly => number('H', 1)?,
            Cycle::Yearly if rest.is_none() => 1,
            Cycle::Yearly => return None,
        };
        Period::new(cycle, year, index)
    }
}

/// Where a unit stands with its reports for one period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionState {
    /// The period has not begun.
    NotDueYet,
    /// The period has begun, its cut-off has not passed, and nothing was sent.
    Due,
    /// Sent by the cut-off, not evaluated yet.
    Submitted,
    /// Sent after the cut-off, not evaluated yet.
    Late,
    Accepted,
    /// Sent back by the assigning unit, to be sent again.
    Returned,
    /// The cut-off passed and nothing was sent.
    Missing,
}

/// What a unit last sent for a period: the day it was sent and the verdict on it, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Submission {
    pub sent_on: Day,
    pub verdict: Option<Verdict>,
}

impl SubmissionState {
    /// The state on `today` of a period whose cut-off day is `cut_off_day`, given the latest
    /// submission for it. A verdict outranks lateness: a late report, once accepted, is
    /// accepted (the lateness stays visible from its date).
    pub fn of(
        period: Period,
        cut_off_day: u32,
        latest: Option<Submission>,
        today: Day,
    ) -> SubmissionState {
        let cut_off = period.cut_off(cut_off_day);
        match latest {
            Some(Submission {
                verdict: Some(Verdict::Accept),
                ..
            }) => SubmissionState::Accepted,
            Some(Submission {
                verdict: Some(Verdict::Return),
                ..
            }) => SubmissionState::Returned,
            Some(Submission { sent_on, .. }) if sent_on > cut_off => SubmissionState::Late,
            Some(_) => SubmissionState::Submitted,
            None if today < period.first_day() => SubmissionState::NotDueYet,
            None if today <= cut_off => SubmissionState::Due,
            None => SubmissionState::Missing,
        }
    }

    /// The state of a unit reporting several things (its indicators' values): the least
    /// advanced of theirs, what is owed before what is sent.
    pub fn least_advanced(states: impl IntoIterator<Item = SubmissionState>) -> Option<Self> {
        let rank = |state: &SubmissionState| match state {
            SubmissionState::Missing => 0,
            SubmissionState::Returned => 1,
            SubmissionState::Due => 2,
            SubmissionState::NotDueYet => 3,
            SubmissionState::Late => 4,
            SubmissionState::Submitted => 5,
            SubmissionState::Accepted => 6,
        };
        states.into_iter().min_by_key(rank)
    }

    /// Whether the unit still owes something for the period.
    pub fn is_outstanding(self) -> bool {
        matches!(
            self,
            SubmissionState::Due | SubmissionState::Returned | SubmissionState::Missing
        )
    }
}

/// How many reporting units are in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateCounts {
    pub not_due_yet: u32,
    pub due: u32,
    pub submitted: u32,
    pub late: u32,
    pub accepted: u32,
    pub returned: u32,
    pub missing: u32,
}

impl StateCounts {
    pub fn add(&mut self, state: SubmissionState) {
        *match state {
            SubmissionState::NotDueYet => &mut self.not_due_yet,
            SubmissionState::Due => &mut self.due,
            SubmissionState::Submitted => &mut self.submitted,
            SubmissionState::Late => &mut self.late,
            SubmissionState::Accepted => &mut self.accepted,
            SubmissionState::Returned => &mut self.returned,
            SubmissionState::Missing => &mut self.missing,
        } += 1;
    }

    /// Every unit expected to report.
    pub fn expected(self) -> u32 {
        self.not_due_yet
            + self.due
            + self.submitted
            + self.late
            + self.accepted
            + self.returned
            + self.missing
    }

    /// Units that sent something for the period (on time or late, evaluated or not).
    pub fn reported(self) -> u32 {
        self.submitted + self.late + self.accepted + self.returned
    }

    /// Units that have sent nothing: not yet (`due`) or past the cut-off (`missing`).
    pub fn not_reported(self) -> u32 {
        self.due + self.missing
    }
}

/// What `/periods` is narrowed to, as typed in its address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct PeriodsFilter {
    /// The unit whose units below are shown (the reader's own when empty).
    pub unit: Option<String>,
    pub document: Option<i32>,
    /// A period code of the document's cycle (the current period when empty).
    pub period: Option<String>,
}

/// One row of `/periods`: a unit directly below (or the unit itself, when it reports),
/// with the states of the reporting units in its subtree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodRow {
    pub unit: super::unit::UnitRef,
    /// Progress reports on the document's tasks.
    pub counts: StateCounts,
    /// The unit's own state, when it reports itself.
    pub own: Option<SubmissionState>,
    /// Whether it has reporting units below it (to drill down to).
    pub below: bool,
    /// Values of the document's indicators: the units carrying them, each in the state
    /// of its least advanced value.
    pub values: StateCounts,
    pub own_values: Option<SubmissionState>,
    pub values_below: bool,
}

/// `/periods`: for one document and period, which units below a unit have reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodsPage {
    pub unit: super::unit::UnitRef,
    /// The documents with tasks in the unit's subtree that the reader sees.
    pub documents: Vec<super::task::DocumentRef>,
    /// The document shown, its cycle and cut-off day; `None` when there is none.
    pub document: Option<super::task::DocumentRef>,
    pub cycle: Cycle,
    pub cut_off_day: u32,
    pub period: Period,
    /// The periods offered: a year back and the next one.
    pub periods: Vec<Period>,
    pub today: Day,
    pub totals: StateCounts,
    /// The units carrying the document's indicators, by the state of their values.
    pub value_totals: StateCounts,
    pub rows: Vec<PeriodRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).expect("a date")
    }

    #[test]
    fn counts_tell_reported_from_not_reported() {
        let mut counts = StateCounts::default();
        for state in [
            SubmissionState::Due,
            SubmissionState::Missing,
            SubmissionState::Missing,
            SubmissionState::Submitted,
            SubmissionState::Late,
            SubmissionState::Accepted,
            SubmissionState::Returned,
        ] {
            counts.add(state);
        }
        assert_eq!(counts.expected(), 7);
        assert_eq!(counts.reported(), 4);
        assert_eq!(counts.not_reported(), 3);
    }

    #[test]
    fn each_cycle_cuts_the_year_into_its_periods() {
        let q = Period::containing(Cycle::Quarterly, day("2026-05-31"));
        assert_eq!((q.year, q.index), (2026, 2));
        assert_eq!(q.first_day(), day("2026-04-01"));
        assert_eq!(q.last_day(), day("2026-06-30"));
        assert_eq!(q.cut_off(DEFAULT_CUT_OFF_DAY), day("2026-06-25"));
        let m = Period::containing(Cycle::Monthly, day("2028-02-10"));
        assert_eq!(m.last_day(), day("2028-02-29"), "a leap year's February");
        assert_eq!(
            m.cut_off(31),
            day("2028-02-29"),
            "a cut-off past the month's end"
        );
        let h = Period::containing(Cycle::SixMonthly, day("2026-12-31"));
        assert_eq!((h.index, h.first_day()), (2, day("2026-07-01")));
        let y = Period::containing(Cycle::Yearly, day("2026-01-01"));
        assert_eq!(
            (y.first_day(), y.last_day()),
            (day("2026-01-01"), day("2026-12-31"))
        );
    }

    #[test]
    fn periods_follow_each_other_across_years() {
        for cycle in Cycle::ALL {
            let mut period = Period::containing(cycle, day("2025-01-01"));
            for _ in 0..30 {
                let next = period.next();
                assert_eq!(next.first_day(), period.last_day().plus_days(1));
                assert_eq!(next.previous(), period);
                period = next;
            }
        }
    }

    #[test]
    fn a_period_code_reads_back_and_nonsense_is_refused() {
        for cycle in Cycle::ALL {
            let period = Period::containing(cycle, day("2027-08-15"));
            assert_eq!(Period::parse(cycle, &period.code()), Some(period));
        }
        assert_eq!(
            Period::containing(Cycle::Monthly, day("2027-08-15")).code(),
            "2027-M08"
        );
        for (cycle, code) in [
            (Cycle::Quarterly, "2026-Q5"),
            (Cycle::Quarterly, "2026-Q0"),
            (Cycle::Quarterly, "2026-M03"),
            (Cycle::Monthly, "2026-M13"),
            (Cycle::Monthly, "2026-M3"),
            (Cycle::SixMonthly, "2026-H3"),
            (Cycle::Yearly, "2026-Q1"),
            (Cycle::Yearly, "26"),
            (Cycle::Yearly, "+026"),
            (Cycle::Quarterly, ""),
        ] {
            assert_eq!(Period::parse(cycle, code), None, "{code}");
        }
    }

    #[test]
    fn a_submission_moves_through_its_states_as_the_days_pass() {
        let q = Period::parse(Cycle::Quarterly, "2026-Q2").unwrap();
        let state = |latest, today| SubmissionState::of(q, 25, latest, day(today));
        assert_eq!(state(None, "2026-03-31"), SubmissionState::NotDueYet);
        assert_eq!(state(None, "2026-04-01"), SubmissionState::Due);
        assert_eq!(state(None, "2026-06-25"), SubmissionState::Due);
        assert_eq!(state(None, "2026-06-26"), SubmissionState::Missing);
        let sent = |on, verdict| {
            Some(Submission {
                sent_on: day(on),
                verdict,
            })
        };
        assert_eq!(
            state(sent("2026-06-25", None), "2026-07-10"),
            SubmissionState::Submitted
        );
        assert_eq!(
            state(sent("2026-06-26", None), "2026-07-10"),
            SubmissionState::Late
        );
        assert_eq!(
            state(sent("2026-06-26", Some(Verdict::Accept)), "2026-07-10"),
            SubmissionState::Accepted
        );
        let returned = state(sent("2026-06-20", Some(Verdict::Return)), "2026-06-21");
        assert_eq!(returned, SubmissionState::Returned);
        assert!(returned.is_outstanding());
        assert!(!SubmissionState::Submitted.is_outstanding());
        use SubmissionState::*;
        assert_eq!(
            SubmissionState::least_advanced([Accepted, Late, Submitted]),
            Some(Late)
        );
        assert_eq!(
            SubmissionState::least_advanced([Accepted, Missing, Returned]),
            Some(Missing)
        );
        assert_eq!(SubmissionState::least_advanced([]), None);
    }
}
