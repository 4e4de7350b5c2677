//! The audit trail: who did what to what, when, from where, and how it went. Append-only:
//! the database refuses to change a row or remove one younger than a year; only the
//! retention (`retention`) removes expired rows, and records that it did.

pub mod retention;
pub mod viewer;

use chrono::Utc;
use sea_orm::{ConnectionTrait, DbErr};

/// What happened. The names are stable: reports and searches use them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    LoginSucceeded,
    LoginFailed,
    AccountLocked,
    Logout,
    PasswordChanged,
    PasswordReset,
    UserCreated,
    RoleChanged,
    ClearanceChanged,
    UnitChanged,
    UserDisabled,
    UserEnabled,
    SessionRevoked,
    DocumentCreated,
    DocumentEdited,
    ClassifiedRead,
    EvidenceDownloaded,
    OversightGranted,
    OversightWithdrawn,
    ClassificationRaised,
    RemindersSent,
    AuditExpired,
    ReminderDaysChanged,
    DueDateChanged,
    IndicatorCreated,
    IndicatorAssigned,
    IndicatorValueCorrected,
    IndicatorEdited,
}

impl Action {
    pub const ALL: [Action; 28] = [
        Action::LoginSucceeded,
        Action::LoginFailed,
        Action::AccountLocked,
        Action::Logout,
        Action::PasswordChanged,
        Action::PasswordReset,
        Action::UserCreated,
        Action::RoleChanged,
        Action::ClearanceChanged,
        Action::UnitChanged,
        Action::UserDisabled,
        Action::UserEnabled,
        Action::SessionRevoked,
        Action::DocumentCreated,
        Action::DocumentEdited,
        Action::ClassifiedRead,
        Action::EvidenceDownloaded,
        Action::OversightGranted,
        Action::OversightWithdrawn,
        Action::ClassificationRaised,
        Action::RemindersSent,
        Action::AuditExpired,
        Action::ReminderDaysChanged,
        Action::DueDateChanged,
        Action::IndicatorCreated,
        Action::IndicatorAssigned,
        Action::IndicatorValueCorrected,
        Action::IndicatorEdited,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::LoginSucceeded => "login_succeeded",
            Action::LoginFailed => "login_failed",
            Action::AccountLocked => "account_locked",
            Action::Logout => "logout",
            Action::PasswordChanged => "password_changed",
            Action::PasswordReset => "password_reset",
            Action::UserCreated => "user_created",
            Action::RoleChanged => "role_changed",
            Action::ClearanceChanged => "clearance_changed",
            Action::UnitChanged => "unit_changed",
            Action::UserDisabled => "user_disabled",
            Action::UserEnabled => "user_enabled",
            Action::SessionRevoked => "session_revoked",
            Action::DocumentCreated => "document_created",
            Action::DocumentEdited => "document_edited",
            Action::ClassifiedRead => "classified_read",
            Action::EvidenceDownloaded => "evidence_downloaded",
            Action::OversightGranted => "oversight_granted",
            Action::OversightWithdrawn => "oversight_withdrawn",
            Action::ClassificationRaised => "classification_raised",
            Action::RemindersSent => "reminders_sent",
            Action::AuditExpired => "audit_expired",
            Action::ReminderDaysChanged => "reminder_days_changed",
            Action::DueDateChanged => "due_date_changed",
            Action::IndicatorCreated => "indicator_created",
            Action::IndicatorAssigned => "indicator_assigned",
            Action::IndicatorValueCorrected => "indicator_value_corrected",
            Action::IndicatorEdited => "indicator_edited",
        }
    }
}

/// The actor of what the server does by itself (the reminder sweep): never a person.
pub const SYSTEM_ACTOR: &str = "system";

/// One event to record.
#[derive(Clone, Debug)]
pub struct Event<'a> {
    pub action: Action,
    pub actor_id: Option<i32>,
    pub actor_name: Option<&'a str>,
    pub object: Option<(&'a str, String)>,
    pub success: bool,
    pub ip: Option<&'a str>,
    pub detail: Option<String>,
    /// The classification of what it was about: the viewer shows it only to
    /// administrators cleared for it.
    pub classification: i16,
}

impl<'a> Event<'a> {
    pub fn new(action: Action) -> Self {
        Event {
            action,
            actor_id: None,
            actor_name: None,
            object: None,
            success: true,
            ip: None,
            detail: None,
            classification: 0,
        }
    }

    pub fn actor(mut self, id: Option<i32>, name: &'a str) -> Self {
        self.actor_id = id;
        self.actor_name = Some(name);
        self
    }

    pub fn on_user(mut self, user_id: i32) -> Self {
        self.object = Some(("user", user_id.to_string()));
        self
    }

    pub fn on(mut self, object_type: &'a str, object_id: impl ToString) -> Self {
        self.object = Some((object_type, object_id.to_string()));
        self
    }

    pub fn failed(mut self) -> Self {
        self.success = false;
        self
    }

    pub fn from_ip(mut self, ip: Option<&'a str>) -> Self {
        self.ip = ip;
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn classified(mut self, rank: i16) -> Self {
        self.classification = rank;
        self
    }
}

/// Appends events in one statement (a list's classified rows are read at once). Typed
/// names are cut to the column's width: an attacker's 10 KB username is not stored.
pub async fn record_all(db: &impl ConnectionTrait, events: Vec<Event<'_>>) -> Result<(), DbErr> {
    use sea_orm::sea_query::{Alias, Query};
    if events.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert.into_table(Alias::new("audit_events")).columns(
        [
            "at",
            "actor_id",
            "actor_name",
            "action",
            "object_type",
            "object_id",
            "outcome",
            "ip",
            "detail",
            "unit_path",
            "classification",
        ]
        .map(Alias::new),
    );
    let now = Utc::now();
    for event in events {
        let (object_type, object_id) = match event.object {
            Some((kind, id)) => (Some(kind.to_owned()), Some(id)),
            None => (None, None),
        };
        insert.values_panic([
            now.into(),
            event.actor_id.into(),
            event
                .actor_name
                .map(|name| name.chars().take(64).collect::<String>())
                .into(),
            event.action.as_str().into(),
            object_type.into(),
            object_id.into(),
            if event.success { "success" } else { "failure" }.into(),
            event.ip.map(str::to_owned).into(),
            event.detail.into(),
            unit_path_of(event.actor_id),
            event.classification.into(),
        ]);
    }
    db.execute(&insert).await?;
    Ok(())
}

/// The path of the actor's unit, read as the event is written: whose subtree it belongs to.
fn unit_path_of(actor: Option<i32>) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SimpleExpr, SubQueryStatement};
    match actor {
        Some(id) => SimpleExpr::SubQuery(
            None,
            Box::new(SubQueryStatement::SelectStatement(
                Query::select()
                    .column((Alias::new("units"), Alias::new("path")))
                    .from(Alias::new("users"))
                    .inner_join(
                        Alias::new("units"),
                        Expr::col((Alias::new("units"), Alias::new("id")))
                            .equals((Alias::new("users"), Alias::new("unit_id"))),
                    )
                    .and_where(Expr::col((Alias::new("users"), Alias::new("id"))).eq(id))
                    .to_owned(),
            )),
        ),
        None => Expr::value(Option::<String>::None),
    }
}

/// Appends the event, in the caller's transaction when it passes one, so that the event
/// and the change it describes are written together or not at all.
pub async fn record(db: &impl ConnectionTrait, event: Event<'_>) -> Result<(), DbErr> {
    record_all(db, vec![event]).await
}
