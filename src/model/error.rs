//! The one error type that server functions return and pages show.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What is wrong with one field of the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Problem {
    Required,
    TooLong {
        max: u32,
    },
    TooShort {
        min: u32,
    },
    Malformed,
    Unknown,
    /// A password from the list of common passwords.
    Common,
    /// A confirmation that differs from what it confirms.
    Mismatch,
    /// A current password that is not the current password.
    Incorrect,
    /// A name already in use.
    Taken,
    /// A value beyond what the caller may grant: a unit outside their subtree, a
    /// clearance above their own.
    OutOfReach,
    /// A due date before the start date.
    BeforeStart,
    /// A number outside its range.
    OutOfRange {
        min: i32,
        max: i32,
    },
    /// A classification below the document's: a task is never less secret than its document.
    BelowDocument,
    /// Progress of a task with subtasks comes from its subtasks, not from reports.
    HasSubtasks,
    /// A report already awaits evaluation.
    AwaitingEvaluation,
    /// A finished task takes no more reports, subtasks or cascades.
    Closed,
    /// A file larger than allowed, in megabytes.
    TooLarge {
        max_mb: u32,
    },
    /// A file of a type that is not accepted as evidence.
    ForbiddenType,
    /// More files than allowed.
    TooMany {
        max: u32,
    },
    /// Completion claimed below 100 %.
    CompletionBelow100,
    /// Script or active markup in text: refused, never stored.
    Markup,
    /// Personal data given without consent to its use.
    ConsentMissing,
    /// A change that the item's state does not allow (answering a rejected item).
    NotNow,
    /// Too many wrong passwords in a row: the account is locked for a while.
    Locked {
        minutes: u32,
    },
    /// A report evaluated by its own author: nobody evaluates their own report.
    OwnReport,
    /// The task changed since the report was sent (finished, broken down, a subtask
    /// reopened): the report no longer stands.
    Changed,
    /// A date before today where only today or later makes sense (an extension).
    BeforeToday,
    /// An extension to a date not later than the due date it would replace.
    NotLater,
    /// Only the task's lead unit asks for more time.
    NotLeadUnit,
    /// A request already awaits a decision.
    AwaitingDecision,
    /// A milestone dated on or before the baseline or the milestone before it.
    MilestoneOutOfOrder,
    /// A final target equal to the baseline: nothing to measure against.
    TargetIsBaseline,
    /// A final target the wrong way from the baseline for the indicator's direction.
    TargetAgainstDirection,
    /// A value for a period that has not begun.
    PeriodNotBegun,
}

/// Why the database cannot take a request for now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outage {
    /// Its disk is full: writes fail until space is freed; reads go on.
    StorageFull,
    /// Another writer (or another program) holds the lock past the wait.
    Busy,
    /// The database server does not answer.
    Unreachable,
}

/// Every failure a user can meet. Internal details never travel in it: an internal
/// error carries only a reference id, and the detail goes to the server log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum AppError {
    /// Also the answer for records the caller may not see: their existence is not told.
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthorized,
    /// Sign-in failed. One answer for an unknown user, a wrong password, a disabled or a
    /// locked account, so that the answer tells nothing about which accounts exist.
    #[error("wrong username or password")]
    BadCredentials,
    #[error("not allowed")]
    Forbidden,
    #[error("invalid {field}")]
    Invalid { field: String, problem: Problem },
    /// The record changed since the caller read it: their edit would overwrite another.
    #[error("changed by someone else")]
    Conflict,
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    /// The server is at a bound it keeps to stay up (password checks at once).
    #[error("busy")]
    Busy { retry_after_secs: u64 },
    /// A temporary password must be replaced before anything else.
    #[error("password change required")]
    PasswordChangeRequired,
    /// The database cannot take the request now: nothing was changed, and trying again
    /// later will do. Not a bug, so no reference.
    #[error("unavailable")]
    Unavailable {
        retry_after_secs: u64,
        cause: Outage,
    },
    #[error("internal error, reference {reference}")]
    Internal { reference: String },
    /// The request never reached the function: network failure, bad encoding.
    #[error("request failed")]
    Request,
}

impl AppError {
    pub fn invalid(field: &str, problem: Problem) -> Self {
        AppError::Invalid {
            field: field.to_owned(),
            problem,
        }
    }

    /// The HTTP status that goes with the error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::Forbidden | AppError::PasswordChangeRequired => 403,
            // A file past its size is a body past its limit, whichever rule saw it first.
            AppError::Invalid {
                problem: Problem::TooLarge { .. },
                ..
            } => 413,
            AppError::Invalid { .. } | AppError::Request => 400,
            AppError::Conflict => 409,
            AppError::RateLimited { .. } => 429,
            AppError::Busy { .. } | AppError::Unavailable { .. } => 503,
            AppError::Internal { .. } => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// A request the framework could not read (arguments missing, repeated, malformed):
    /// the client's fault, answered 400 (the function never ran to set a status).
    fn from_server_fn_error(_: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        return crate::api::fail(AppError::Request);
        #[cfg(not(feature = "ssr"))]
        AppError::Request
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_error_shows_only_its_reference() {
        let error = AppError::Internal {
            reference: "R-7Q2K".into(),
        };
        assert_eq!(error.to_string(), "internal error, reference R-7Q2K");
        assert_eq!(error.status_code(), 500);
    }

    #[test]
    fn errors_travel_as_json() {
        let error = AppError::invalid("q", Problem::TooLong { max: 100 });
        let json = serde_json::to_string(&error).expect("serialises");
        assert_eq!(
            serde_json::from_str::<AppError>(&json).expect("parses"),
            error
        );
    }
}
