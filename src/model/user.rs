//! Officials: their role and their clearance.

use super::unit::UnknownValue;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What an official may do with what they can see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages units, users and settings.
    Admin,
    /// Assigns, cascades and evaluates.
    Leader,
    /// Reports progress and breaks tasks down for their unit.
    Officer,
    /// Reads.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Leader, Role::Officer, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Officer => "officer",
            Role::Viewer => "viewer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// How secret a record is, and how secret a record an official may read.
/// Ordered: a user reads a record when `record.classification <= user.clearance`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    Public,
    Internal,
    /// Mật
    Confidential,
    /// Tối mật
    Secret,
    /// Tuyệt mật
    TopSecret,
}

impl Classification {
    pub const ALL: [Classification; 5] = [
        Classification::Public,
        Classification::Internal,
        Classification::Confidential,
        Classification::Secret,
        Classification::TopSecret,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Classification::Public => "public",
            Classification::Internal => "internal",
            Classification::Confidential => "confidential",
            Classification::Secret => "secret",
            Classification::TopSecret => "top_secret",
        }
    }

    /// The level as stored: a small integer, so that the access rule is one comparison.
    pub fn rank(self) -> i16 {
        self as i16
    }

    pub fn from_rank(rank: i16) -> Option<Self> {
        Classification::ALL
            .get(usize::try_from(rank).ok()?)
            .copied()
    }

    /// Reading anything at this level or above is audited.
    pub fn is_state_secret(self) -> bool {
        self >= Classification::Confidential
    }
}

impl fmt::Display for Classification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Classification {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Classification::ALL
            .into_iter()
            .find(|level| level.as_str() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// Usernames: what an official types to sign in.
pub mod username {
    pub const MAX_CHARS: usize = 64;

    /// Usernames are compared case-insensitively; this is the stored form.
    pub fn normalize(raw: &str) -> String {
        raw.trim().to_lowercase()
    }

    /// Letters, digits, `.`, `_` and `-`, 3 to 64 characters, after normalising.
    pub fn is_valid(normalized: &str) -> bool {
        let count = normalized.chars().count();
        (3..=MAX_CHARS).contains(&count)
            && normalized
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    }
}

/// The password policy: long enough, not absurdly long, no composition rules.
pub mod password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 128;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Weakness {
        TooShort,
        TooLong,
        HasControlCharacters,
    }

    /// Any Unicode is allowed; length is counted in characters, not bytes.
    pub fn check(password: &str) -> Result<(), Weakness> {
        let count = password.chars().count();
        if count < MIN_CHARS {
            Err(Weakness::TooShort)
        } else if count > MAX_CHARS {
            Err(Weakness::TooLong)
        } else if password.chars().any(char::is_control) {
            Err(Weakness::HasControlCharacters)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearance_order_follows_secrecy() {
        assert!(Classification::Public < Classification::Internal);
        assert!(Classification::Confidential < Classification::Secret);
        assert!(Classification::Secret < Classification::TopSecret);
        assert!(Classification::Confidential.is_state_secret());
        assert!(!Classification::Internal.is_state_secret());
    }

    #[test]
    fn classification_rank_round_trips() {
        for level in Classification::ALL {
            assert_eq!(Classification::from_rank(level.rank()), Some(level));
            assert_eq!(level.as_str().parse::<Classification>(), Ok(level));
        }
        assert_eq!(Classification::from_rank(5), None);
        assert_eq!(Classification::from_rank(-1), None);
    }

    #[test]
    fn roles_parse() {
        assert_eq!("leader".parse::<Role>(), Ok(Role::Leader));
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn usernames() {
        assert_eq!(username::normalize("  Nguyen.Van.A "), "nguyen.van.a");
        assert!(username::is_valid("nguyen.van.a"));
        assert!(!username::is_valid("ab"));
        assert!(!username::is_valid("tên có dấu"));
        assert!(!username::is_valid(&"a".repeat(65)));
    }

    #[test]
    fn password_lengths_count_characters() {
        use password::{Weakness, check};
        assert_eq!(check("short"), Err(Weakness::TooShort));
        // 12 Vietnamese characters are more than 12 bytes but exactly 12 characters.
        assert_eq!(check("ĐườngĐếnĐích"), Ok(()));
        assert_eq!(check(&"x".repeat(129)), Err(Weakness::TooLong));
        assert_eq!(
            check("abcdefghijk\u{7}l"),
            Err(Weakness::HasControlCharacters)
        );
    }
}
