//! Units of the political system: the centre, its agencies, provinces and communes.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a unit stands in the hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    Central,
    Agency,
    Province,
    Commune,
}

impl UnitLevel {
    pub const ALL: [UnitLevel; 4] = [
        UnitLevel::Central,
        UnitLevel::Agency,
        UnitLevel::Province,
        UnitLevel::Commune,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitLevel::Central => "central",
            UnitLevel::Agency => "agency",
            UnitLevel::Province => "province",
            UnitLevel::Commune => "commune",
        }
    }

    /// Official codes are zero-padded: two digits for a province, five for a commune.
    /// The source file drops the leading zeros, which makes some codes collide
    /// (province 4 Cao Bằng and commune 4 Phường Ba Đình).
    pub fn official_code(self, raw: &str) -> String {
        let raw = raw.trim();
        match self {
            UnitLevel::Province => format!("{raw:0>2}"),
            UnitLevel::Commune => format!("{raw:0>5}"),
            UnitLevel::Central | UnitLevel::Agency => raw.to_owned(),
        }
    }
}

impl fmt::Display for UnitLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UnitLevel {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UnitLevel::ALL
            .into_iter()
            .find(|level| level.as_str() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// A value read from text that names no known variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue(pub String);

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown value `{}`", self.0)
    }
}

impl std::error::Error for UnknownValue {}

/// The shortest useful reference to a unit: enough for a link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRef {
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
}

/// A unit in a list, with how many units sit directly under it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSummary {
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
    /// The official kind of division: `tỉnh`, `phường`, `xã`, `đặc khu`...
    pub division_type: Option<String>,
    pub child_count: u32,
}

/// The `/units` overview: the central bodies and the provinces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitsOverview {
    pub root: UnitRef,
    pub agencies: Vec<UnitSummary>,
    pub provinces: Vec<UnitSummary>,
    pub commune_total: u32,
}

/// One unit with the trail of its parents (root first) and its children.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitDetail {
    pub unit: UnitSummary,
    pub trail: Vec<UnitRef>,
    pub children: Vec<UnitSummary>,
}

/// A search hit: the unit and the unit directly above it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitHit {
    pub unit: UnitSummary,
    pub parent: Option<UnitRef>,
}

/// A page of search hits and how many matched in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSearch {
    pub query: String,
    pub hits: Vec<UnitHit>,
    pub total: u32,
}

/// How many hits one search returns at most; the page says when there are more.
pub const SEARCH_LIMIT: u32 = 50;

/// Longest query worth running; longer ones are refused rather than truncated.
pub const MAX_QUERY_CHARS: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_official_codes() {
        assert_eq!(UnitLevel::Province.official_code("1"), "01");
        assert_eq!(UnitLevel::Province.official_code("96"), "96");
        assert_eq!(UnitLevel::Commune.official_code("4"), "00004");
        assert_eq!(UnitLevel::Commune.official_code("32248"), "32248");
        assert_eq!(UnitLevel::Agency.official_code("VPTW"), "VPTW");
    }

    #[test]
    fn level_round_trips_through_text() {
        for level in UnitLevel::ALL {
            assert_eq!(level.as_str().parse::<UnitLevel>(), Ok(level));
        }
        assert!("ward".parse::<UnitLevel>().is_err());
    }
}
