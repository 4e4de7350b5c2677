//! Names of the domain's values in the user's language.

use crate::i18n::*;
use crate::model::{Classification, Problem, Role, UnitLevel};
use leptos_i18n::I18nContext;

pub fn level_label(i18n: I18nContext<Locale>, level: UnitLevel) -> &'static str {
    match level {
        UnitLevel::Central => t_string!(i18n, level.central),
        UnitLevel::Agency => t_string!(i18n, level.agency),
        UnitLevel::Province => t_string!(i18n, level.province),
        UnitLevel::Commune => t_string!(i18n, level.commune),
    }
}

pub fn role_label(i18n: I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Admin => t_string!(i18n, role.admin),
        Role::Leader => t_string!(i18n, role.leader),
        Role::Officer => t_string!(i18n, role.officer),
        Role::Viewer => t_string!(i18n, role.viewer),
    }
}

pub fn clearance_label(i18n: I18nContext<Locale>, level: Classification) -> &'static str {
    match level {
        Classification::Public => t_string!(i18n, clearance.public),
        Classification::Internal => t_string!(i18n, clearance.internal),
        Classification::Confidential => t_string!(i18n, clearance.confidential),
        Classification::Secret => t_string!(i18n, clearance.secret),
        Classification::TopSecret => t_string!(i18n, clearance.top_secret),
    }
}

/// What is wrong with a field, in a sentence.
pub fn problem_text(i18n: I18nContext<Locale>, problem: &Problem) -> String {
    match problem {
        Problem::Required => t_string!(i18n, problem.required).to_owned(),
        Problem::TooShort { min } => t_string!(i18n, problem.too_short, min = *min),
        Problem::TooLong { max } => t_string!(i18n, problem.too_long, max = *max),
        Problem::Malformed => t_string!(i18n, problem.malformed).to_owned(),
        Problem::Unknown => t_string!(i18n, problem.unknown).to_owned(),
        Problem::Common => t_string!(i18n, problem.common).to_owned(),
        Problem::Mismatch => t_string!(i18n, problem.mismatch).to_owned(),
        Problem::Incorrect => t_string!(i18n, problem.incorrect).to_owned(),
        Problem::Taken => t_string!(i18n, problem.taken).to_owned(),
        Problem::OutOfReach => t_string!(i18n, problem.out_of_reach).to_owned(),
        Problem::BeforeStart => t_string!(i18n, problem.before_start).to_owned(),
        Problem::OutOfRange { min, max } => {
            t_string!(i18n, problem.out_of_range, min = *min, max = *max)
        }
        Problem::BelowDocument => t_string!(i18n, problem.below_document).to_owned(),
        Problem::HasSubtasks => t_string!(i18n, problem.has_subtasks).to_owned(),
        Problem::AwaitingEvaluation => t_string!(i18n, problem.awaiting_evaluation).to_owned(),
        Problem::Closed => t_string!(i18n, problem.closed).to_owned(),
        Problem::TooLarge { max_mb } => t_string!(i18n, problem.too_large, max_mb = *max_mb),
        Problem::ForbiddenType => t_string!(i18n, problem.forbidden_type).to_owned(),
        Problem::TooMany { max } => t_string!(i18n, problem.too_many, max = *max),
        Problem::CompletionBelow100 => t_string!(i18n, problem.completion_below_100).to_owned(),
    }
}
