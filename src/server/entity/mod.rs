//! Database tables as sea-orm entities. The schema itself lives in `migrations/`.

pub mod attachment;
pub mod audit_event;
pub mod document;
pub mod due_date_change;
pub mod feedback;
pub mod feedback_event;
pub mod indicator;
pub mod indicator_milestone;
pub mod indicator_standing;
pub mod indicator_value;
pub mod indicator_value_file;
pub mod mail_digest;
pub mod notification;
pub mod notification_read;
pub mod report;
pub mod session;
pub mod task;
pub mod task_coordinator;
pub mod task_event;
pub mod task_reminder;
pub mod unit;
pub mod user;
