//! Managing officials' accounts.

use super::unit::UnitRef;
use super::user::{Classification, Role};
use serde::{Deserialize, Serialize};

pub const USERS_PER_PAGE: u32 = 25;

/// Which accounts a list shows. Empty fields filter nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserFilter {
    /// Words of the username or full name, diacritics and case ignored.
    pub q: String,
    /// A unit code: accounts of that unit and every unit under it.
    pub unit: String,
    pub role: Option<Role>,
    /// `Some(true)` active accounts only, `Some(false)` disabled ones only.
    pub active: Option<bool>,
    /// From 1.
    pub page: u32,
}

/// An account in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i32,
    pub username: String,
    pub full_name: String,
    pub unit: UnitRef,
    pub role: Role,
    pub clearance: Classification,
    pub active: bool,
    /// Locked after repeated failed sign-ins, until the lock runs out.
    pub locked: bool,
    pub last_login_at: Option<i64>,
}

/// One page of accounts and how many matched in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub rows: Vec<UserRow>,
    pub total: u32,
    pub page: u32,
    pub pages: u32,
}

/// One account, for its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub row: UserRow,
    pub email: Option<String>,
    pub must_change_password: bool,
    pub created_at: i64,
    pub password_changed_at: i64,
    pub version: i32,
    /// The account is the administrator's own: its role, unit and status stay as they are.
    pub is_self: bool,
    /// A temporary password just set for this account, shown once.
    pub new_password: Option<String>,
}

/// What an administrator may grant: clearances up to their own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grantable {
    pub clearances: Vec<Classification>,
    /// The root of the units they manage.
    pub unit: UnitRef,
}

/// A unit that may oversee the whole country: the centre, and each central body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OversightRow {
    pub unit: UnitRef,
    pub granted: bool,
    /// The centre's oversight is not granted: it is the centre's.
    pub fixed: bool,
}

/// `/admin/oversight`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Oversight {
    pub rows: Vec<OversightRow>,
    /// The administrator may grant and withdraw it (an administrator of the centre).
    pub may_change: bool,
}

/// The number of pages for `total` rows.
pub fn page_count(total: u32, per_page: u32) -> u32 {
    total.div_ceil(per_page.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_round_up_and_never_drop_to_zero() {
        assert_eq!(page_count(0, 25), 1);
        assert_eq!(page_count(25, 25), 1);
        assert_eq!(page_count(26, 25), 2);
        assert_eq!(page_count(150_000, 25), 6_000);
    }
}
