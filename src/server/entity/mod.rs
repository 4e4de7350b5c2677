//! Database tables as sea-orm entities. The schema itself lives in `migrations/`.

pub mod session;
pub mod unit;
pub mod user;
