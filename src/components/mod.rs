//! Reusable pieces of the interface.

pub mod error;
pub mod form;
pub mod format;
pub mod labels;
pub mod layout;
pub mod pagination;
pub mod status;
pub mod tasks;
pub mod title;
pub mod viewer;
