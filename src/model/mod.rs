//! Types shared by the server and the browser: pure, no I/O, compiles to wasm.

pub mod account;
pub mod admin;
pub mod dashboard;
pub mod error;
pub mod nav;
pub mod task;
pub mod text;
pub mod time;
pub mod unit;
pub mod user;

pub use account::{Account, SessionInfo, Viewer};
pub use error::{AppError, Problem};
pub use unit::{UnitDetail, UnitHit, UnitLevel, UnitRef, UnitSearch, UnitSummary, UnitsOverview};
pub use user::{Classification, Role};
