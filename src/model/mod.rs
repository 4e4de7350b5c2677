//! Types shared by the server and the browser: pure, no I/O, compiles to wasm.

/// An enum stored and sent as text: `as_str`, `Display`, `FromStr` and `ALL`.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = super::unit::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| super::unit::UnknownValue(s.to_owned()))
            }
        }
    };
}

pub mod account;
pub mod admin;
pub mod audit;
pub mod dashboard;
pub mod deadline;
pub mod error;
pub mod feedback;
pub mod form;
#[cfg(test)]
pub mod hostile;
pub mod indicator;
pub mod nav;
pub mod notification;
pub mod period;
#[cfg(test)]
mod properties;
pub mod task;
pub mod text;
pub mod time;
pub mod unit;
pub mod user;

pub use account::{Account, SessionInfo, Viewer};
pub use error::{AppError, Outage, Problem};
pub use unit::{UnitDetail, UnitHit, UnitLevel, UnitRef, UnitSearch, UnitSummary, UnitsOverview};
pub use user::{Classification, Role};
