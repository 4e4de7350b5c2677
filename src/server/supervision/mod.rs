//! Supervision ("đôn đốc"): telling officials what concerns them, reminding them of
//! deadlines and escalating what is late, from one sweep that acts once across servers.

pub mod inbox;
pub mod ladder;
pub mod lease;
pub mod mail;
pub mod notify;
pub mod sweep;
pub mod unit_days;

pub use ladder::Ladder;
pub use sweep::{SweepReport, Sweeper, sweep};
