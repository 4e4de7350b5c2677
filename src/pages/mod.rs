//! One module per route.

pub mod account;
pub mod admin_audit;
pub mod admin_oversight;
pub mod admin_users;
pub mod dashboard;
pub mod documents;
pub mod feedback;
pub mod feedback_inbox;
pub mod home;
pub mod indicator;
pub mod login;
pub mod my_work;
pub mod not_found;
pub mod notifications;
pub mod periods;
pub mod task;
pub mod unit;
pub mod units;
