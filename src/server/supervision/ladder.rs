//! The reminder and escalation ladder: which step a task is due for on a given day.
//!
//! Every step counts from a reference day (the due date, or the day the task went quiet)
//! and fires once per task, step and reference. The sweep turns each step into one range
//! of reference days, so that it reads only the tasks the step can concern, through an
//! index on that day; `due_steps` says the same for one task, for the tests.

use super::notify::Audience;
use crate::model::Problem;
use crate::model::notification::Step;
use crate::model::time::Day;

/// Which day a step counts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reference {
    Due,
    /// The day of the latest report, or the start day when there is none.
    Quiet,
}

/// Whose tasks a rule concerns, by their lead unit: reminders before a due date follow
/// the lead unit's own days when it set some.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Units {
    All,
    /// Units without days of their own.
    WithServerDays,
    /// Units whose own days are these (as stored: `7,3,1`).
    WithDays(String),
}

/// One step as the sweep runs it on one day: tasks whose reference day lies in
/// `from..=to` are due for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub step: Step,
    pub reference: Reference,
    pub audience: Audience,
    pub from: Day,
    pub to: Day,
    pub units: Units,
}

/// The ladder's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ladder {
    /// Days before the due date, largest first (7, 3, 1): between two of them, only the
    /// larger step is due, so a sweep that missed days sends one reminder, not several.
    pub before: Vec<u16>,
    /// Overdue days after which the lead unit's leaders are told.
    pub leaders_after: u16,
    /// Overdue days after which the assigning unit's leaders are told.
    pub assigner_after: u16,
    /// Days without a report after which the assigning unit's leaders are told.
    pub quiet_after: u16,
}

impl Default for Ladder {
    fn default() -> Self {
        Ladder {
            before: vec![7, 3, 1],
            leaders_after: 3,
            assigner_after: 7,
            quiet_after: 30,
        }
    }
}

/// The longest a sweep looks back for steps it missed (a server stopped for weeks
/// does not send a month of escalations at once).
pub const MAX_CATCH_UP_DAYS: i32 = 31;
/// How far back the first sweep ever looks.
pub const FIRST_CATCH_UP_DAYS: i32 = 7;

impl Ladder {
    /// Checks and orders the settings; the message names the one that is wrong.
    pub fn new(
        mut before: Vec<u16>,
        leaders_after: u16,
        assigner_after: u16,
        quiet_after: u16,
    ) -> Result<Ladder, String> {
        if before.iter().any(|d| !(1..=365).contains(d)) {
            return Err("reminder days before the due date must be between 1 and 365".into());
        }
        before.sort_unstable_by(|a, b| b.cmp(a));
        before.dedup();
        for (name, days) in [
            ("leaders", leaders_after),
            ("assigner", assigner_after),
            ("quiet", quiet_after),
        ] {
            if !(1..=365).contains(&days) {
                return Err(format!(
                    "the {name} escalation must come after 1 to 365 days, not {days}"
                ));
            }
        }
        Ok(Ladder {
            before,
            leaders_after,
            assigner_after,
            quiet_after,
        })
    }

    /// Parses `7,3,1` (an empty text: no reminders before the due date).
    pub fn parse_days(text: &str) -> Result<Vec<u16>, String> {
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                part.parse::<u16>()
                    .map_err(|_| format!("`{part}` is not a number of days"))
            })
            .collect()
    }

    /// A unit's own reminder days as typed (`7, 3, 1`): `None` for an empty text (the
    /// server's days apply), else at most five numbers of days, stored largest first.
    pub fn own_days(text: &str) -> Result<Option<String>, Problem> {
        let mut days = Ladder::parse_days(text).map_err(|_| Problem::Malformed)?;
        if days.iter().any(|d| !(1..=365).contains(d)) {
            return Err(Problem::OutOfRange { min: 1, max: 365 });
        }
        days.sort_unstable_by(|a, b| b.cmp(a));
        days.dedup();
        if days.len() > MAX_OWN_DAYS {
            return Err(Problem::Malformed);
        }
        Ok((!days.is_empty()).then(|| {
            days.iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(",")
        }))
    }

    /// A unit's days as `own_days` stored them (anything else reminds of nothing).
    pub fn stored_days(text: &str) -> Vec<u16> {
        Ladder::parse_days(text).unwrap_or_default()
    }

    /// The steps due on `today` for a sweep that last finished on `from` (today when it
    /// ran earlier today; earlier days are caught up, at most `MAX_CATCH_UP_DAYS`).
    pub fn rules(&self, today: Day, from: Day) -> Vec<Rule> {
        self.rules_for_units(today, from, &[])
    }

    /// The same, when some units set their own reminder days (`own`, as stored): the
    /// reminders before a due date of their tasks follow those days.
    pub fn rules_for_units(&self, today: Day, from: Day, own: &[String]) -> Vec<Rule> {
        let from = from.max(today.plus_days(-MAX_CATCH_UP_DAYS)).min(today);
        let mut rules = Vec::new();
        if own.is_empty() {
            before_rules(&self.before, today, Units::All, &mut rules);
        } else {
            before_rules(&self.before, today, Units::WithServerDays, &mut rules);
            for text in own {
                let days = Ladder::stored_days(text);
                before_rules(&days, today, Units::WithDays(text.clone()), &mut rules);
            }
        }
        // After it, a step `k` days past its reference fires on the day it is reached,
        // or on the first sweep after that within the catch-up.
        let past = |step, reference, audience, k: u16| Rule {
            step,
            reference,
            audience,
            from: from.plus_days(-i32::from(k)),
            to: today.plus_days(-i32::from(k)),
            units: Units::All,
        };
        rules.push(past(
            Step::Overdue,
            Reference::Due,
            Audience::LeadOfficers,
            1,
        ));
        rules.push(past(
            Step::OverdueLeaders,
            Reference::Due,
            Audience::LeadLeaders,
            self.leaders_after,
        ));
        rules.push(past(
            Step::OverdueAssigner,
            Reference::Due,
            Audience::AssignerLeaders,
            self.assigner_after,
        ));
        rules.push(past(
            Step::Quiet,
            Reference::Quiet,
            Audience::AssignerLeaders,
            self.quiet_after,
        ));
        rules
    }
}

/// The most reminder days a unit may set.
pub const MAX_OWN_DAYS: usize = 5;

/// Before the due date only the current step: days left in (next step, step]. `days` are
/// largest first.
fn before_rules(days: &[u16], today: Day, units: Units, rules: &mut Vec<Rule>) {
    for (i, &step) in days.iter().enumerate() {
        let next = days.get(i + 1).map_or(-1, |&d| i32::from(d));
        rules.push(Rule {
            step: Step::Before(step),
            reference: Reference::Due,
            audience: Audience::LeadOfficers,
            from: today.plus_days(next + 1),
            to: today.plus_days(i32::from(step)),
            units: units.clone(),
        });
    }
}

impl Ladder {
    /// The steps one open task is due for on `today`, with its due date and quiet day.
    pub fn due_steps(&self, due: Day, quiet: Day, today: Day, from: Day) -> Vec<Step> {
        self.rules(today, from)
            .into_iter()
            .filter(|rule| {
                let day = match rule.reference {
                    Reference::Due => due,
                    Reference::Quiet => quiet,
                };
                rule.from <= day && day <= rule.to
            })
            .map(|rule| rule.step)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Sweeps once a day from 35 days before the due date to 40 after, the task never
    /// reported on, and counts each step's firings (a step fires once).
    fn daily(ladder: &Ladder, due: Day, quiet: Day, skip: &[i32]) -> HashMap<Step, Vec<i32>> {
        let mut fired: HashMap<Step, Vec<i32>> = HashMap::new();
        let mut last: Option<Day> = None;
        for offset in -35..=40 {
            if skip.contains(&offset) {
                continue;
            }
            let today = due.plus_days(offset);
            let from = last.unwrap_or(today.plus_days(-FIRST_CATCH_UP_DAYS));
            for step in ladder.due_steps(due, quiet, today, from) {
                let days = fired.entry(step).or_default();
                if days.is_empty() {
                    days.push(offset);
                }
            }
            last = Some(today);
        }
        fired
    }

    #[test]
    fn each_step_fires_on_its_day() {
        let ladder = Ladder::default();
        let due = Day::from_ymd(2027, 3, 31);
        let fired = daily(&ladder, due, due.plus_days(-60), &[]);
        assert_eq!(fired[&Step::Before(7)], vec![-7]);
        assert_eq!(fired[&Step::Before(3)], vec![-3]);
        assert_eq!(fired[&Step::Before(1)], vec![-1]);
        assert_eq!(fired[&Step::Overdue], vec![1]);
        assert_eq!(fired[&Step::OverdueLeaders], vec![3]);
        assert_eq!(fired[&Step::OverdueAssigner], vec![7]);
        // Quiet since 60 days before the due date: 30 days later, i.e. 30 before it.
        assert_eq!(fired[&Step::Quiet], vec![-30]);
    }

    #[test]
    fn a_sweep_after_missed_days_sends_only_the_current_reminder_and_catches_up_escalations() {
        let ladder = Ladder::default();
        let due = Day::from_ymd(2027, 3, 31);
        // Down from 8 days before the due date to 2 before, and on days 3 to 9 after it.
        let down: Vec<i32> = (-8..=-3).chain(3..=9).collect();
        let fired = daily(&ladder, due, due.plus_days(-10), &down);
        assert!(!fired.contains_key(&Step::Before(7)), "{fired:?}");
        assert_eq!(fired[&Step::Before(3)], vec![-2]);
        assert_eq!(fired[&Step::Before(1)], vec![-1]);
        assert_eq!(fired[&Step::OverdueLeaders], vec![10]);
        assert_eq!(fired[&Step::OverdueAssigner], vec![10]);
    }

    #[test]
    fn settings_are_checked_and_ordered() {
        let ladder = Ladder::new(vec![1, 14, 3, 3], 3, 7, 30).unwrap();
        assert_eq!(ladder.before, vec![14, 3, 1]);
        assert!(Ladder::new(vec![0], 3, 7, 30).is_err());
        assert!(Ladder::new(vec![7], 0, 7, 30).is_err());
        assert_eq!(Ladder::parse_days("7, 3,1").unwrap(), vec![7, 3, 1]);
        assert!(Ladder::parse_days("7;3").is_err());
    }

    #[test]
    fn a_units_own_days_are_checked_and_stored_largest_first() {
        assert_eq!(
            Ladder::own_days(" 2, 10,5 ,10"),
            Ok(Some("10,5,2".to_owned()))
        );
        assert_eq!(Ladder::own_days("  "), Ok(None));
        assert_eq!(Ladder::own_days("7;3"), Err(Problem::Malformed));
        assert_eq!(
            Ladder::own_days("0"),
            Err(Problem::OutOfRange { min: 1, max: 365 })
        );
        assert_eq!(
            Ladder::own_days("400"),
            Err(Problem::OutOfRange { min: 1, max: 365 })
        );
        assert_eq!(Ladder::own_days("6,5,4,3,2,1"), Err(Problem::Malformed));
    }

    #[test]
    fn units_with_their_own_days_get_their_reminders_and_no_others() {
        let ladder = Ladder::default();
        let today = Day::from_ymd(2027, 3, 1);
        let rules = ladder.rules_for_units(today, today, &["5,2".to_owned()]);
        let before: Vec<(Step, Units, Day, Day)> = rules
            .iter()
            .filter(|r| matches!(r.step, Step::Before(_)))
            .map(|r| (r.step, r.units.clone(), r.from, r.to))
            .collect();
        let own = Units::WithDays("5,2".to_owned());
        assert_eq!(
            before,
            vec![
                (
                    Step::Before(7),
                    Units::WithServerDays,
                    today.plus_days(4),
                    today.plus_days(7)
                ),
                (
                    Step::Before(3),
                    Units::WithServerDays,
                    today.plus_days(2),
                    today.plus_days(3)
                ),
                (
                    Step::Before(1),
                    Units::WithServerDays,
                    today.plus_days(0),
                    today.plus_days(1)
                ),
                (
                    Step::Before(5),
                    own.clone(),
                    today.plus_days(3),
                    today.plus_days(5)
                ),
                (Step::Before(2), own, today.plus_days(0), today.plus_days(2)),
            ]
        );
        // Escalations are the same for every unit.
        assert!(
            rules
                .iter()
                .filter(|r| !matches!(r.step, Step::Before(_)))
                .all(|r| r.units == Units::All)
        );
    }
}
