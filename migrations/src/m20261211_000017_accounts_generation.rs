//! A second counter beside the figures' generation: the generation of who is signed in
//! and what their header shows. It moves with every change to officials, their units,
//! notifications and their reads, and whenever a session ends (sign-out, revocation, a
//! password change, expiry) or is cut short. The server keeps sessions, officials and
//! unread counts between such changes instead of reading them for every request; the
//! server's own updates of a session (pushing its expiry later) do not move the counter.
//!
//! The figures' generation now also follows what a task's page shows beside the task:
//! its reports and their evidence, its history and its reminders.
//!
//! On SQLite only, like migration 16.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose every change moves the accounts' generation.
const ACCOUNTS: [&str; 4] = ["users", "units", "notifications", "notification_reads"];

/// Tables newly followed by the figures' generation. Like tasks, rows inserted while the
/// tally triggers are paused (bulk loads) move it once, when the load resumes them.
const FIGURES: [&str; 4] = ["reports", "attachments", "task_events", "task_reminders"];

const EVENTS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

const WHILE_RUNNING: &str = "WHEN (SELECT paused FROM tally_clock) = 0 ";

/// `(name, event, table, condition, column)` of every trigger this migration makes.
fn triggers() -> Vec<(
    String,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
)> {
    let mut all = Vec::new();
    for table in ACCOUNTS {
        for event in EVENTS {
            let name = format!("accounts_generation_{table}_{}", event.to_lowercase());
            all.push((name, event, table, "", "accounts"));
        }
    }
    all.push((
        "accounts_generation_sessions_delete".to_owned(),
        "DELETE",
        "sessions",
        "",
        "accounts",
    ));
    // The server's own updates push a session's expiry later; one that brings it closer
    // or gives the session to someone else comes from elsewhere.
    all.push((
        "accounts_generation_sessions_update".to_owned(),
        "UPDATE",
        "sessions",
        "WHEN NEW.expires_at < OLD.expires_at OR NEW.user_id IS NOT OLD.user_id ",
        "accounts",
    ));
    for table in FIGURES {
        for event in EVENTS {
            let name = format!("figures_generation_{table}_{}", event.to_lowercase());
            all.push((name, event, table, WHILE_RUNNING, "generation"));
        }
    }
    all
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut statements = vec![
            "ALTER TABLE figures_generation ADD COLUMN accounts BIGINT NOT NULL DEFAULT 0"
                .to_owned(),
        ];
        if manager.get_database_backend() == DbBackend::Sqlite {
            for (name, event, table, when, column) in triggers() {
                statements.push(format!(
                    "CREATE TRIGGER {name} AFTER {event} ON {table} {when}BEGIN \
                     UPDATE figures_generation SET {column} = {column} + 1; END"
                ));
            }
        }
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        crate::execute_all(manager, &statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut statements = Vec::new();
        if manager.get_database_backend() == DbBackend::Sqlite {
            for (name, ..) in triggers() {
                statements.push(format!("DROP TRIGGER {name}"));
            }
        }
        statements.push("ALTER TABLE figures_generation DROP COLUMN accounts".to_owned());
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        crate::execute_all(manager, &statements).await
    }
}
