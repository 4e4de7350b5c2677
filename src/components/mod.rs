//! Reusable pieces of the interface.

pub mod error;
pub mod format;
pub mod layout;
pub mod status;
