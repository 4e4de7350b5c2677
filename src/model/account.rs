//! The signed-in official as the interface sees them, and their sessions.

use super::unit::UnitRef;
use super::user::{Classification, Role};
use serde::{Deserialize, Serialize};

/// Who is looking at the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: i32,
    pub username: String,
    pub full_name: String,
    pub unit: UnitRef,
    pub role: Role,
    pub clearance: Classification,
    /// The password was set by someone else: the official must choose their own first.
    pub must_change_password: bool,
    /// Unread notifications the official may see (up to 100), counted for pages only.
    #[serde(default)]
    pub unread: u64,
}

impl Viewer {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// One signed-in browser of the official.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// A reference to the session that is not its secret id.
    pub handle: String,
    /// Unix seconds.
    pub signed_in_at: i64,
    pub last_active_at: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session of the browser asking.
    pub current: bool,
}

/// `/account`: the official's profile and sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub viewer: Viewer,
    pub email: Option<String>,
    /// Kinds of notification the official does not want by email.
    pub mail_off: Vec<crate::model::notification::NotificationKind>,
    pub last_login_at: Option<i64>,
    pub password_changed_at: i64,
    pub sessions: Vec<SessionInfo>,
}

/// How many failed sign-ins in a row lock an account, and for how long.
pub const LOCKOUT_THRESHOLD: i32 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;
/// Failed sign-ins one address may make per window, before it gets 429.
pub const LOGIN_ATTEMPTS_PER_IP: u32 = 20;
pub const LOGIN_WINDOW_MINUTES: u64 = 10;
/// A session ends after this long without a request, and this long after sign-in at most.
pub const SESSION_IDLE_MINUTES: i64 = 30;
pub const SESSION_ABSOLUTE_HOURS: i64 = 12;
