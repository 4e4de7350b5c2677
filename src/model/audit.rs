//! The audit log as its viewer shows it.

use serde::{Deserialize, Serialize};

/// The viewer's filters, as the query string carries them (each may be empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// A username, exactly as recorded (also for unknown names typed at sign-in).
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    /// `task`, `document`, `user`, `session`...
    #[serde(default)]
    pub object_type: String,
    #[serde(default)]
    pub object_id: String,
    /// A unit code: events of officials of that unit and below it.
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub page: u64,
}

impl AuditFilter {
    /// The filters as a query string, for the pages' links and the CSV export.
    pub fn query(&self, page: u64) -> String {
        use super::nav::encode_query_value as e;
        format!(
            "actor={}&action={}&object_type={}&object_id={}&unit={}&from={}&to={}&page={page}",
            e(&self.actor),
            e(&self.action),
            e(&self.object_type),
            e(&self.object_id),
            e(&self.unit),
            e(&self.from),
            e(&self.to)
        )
    }
}

/// One event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    pub actor: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub success: bool,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

/// A page of events, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// Every action name, for the filter's list.
    pub actions: Vec<String>,
}
