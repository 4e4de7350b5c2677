//! The generation of the data that figures are read from: a counter raised in the same
//! transaction as every change to tasks, their coordinators, units, documents, feedback
//! and the tally clock. Figures read at one generation hold until it moves, so the server
//! keeps them between writes instead of reading the tallies again for every page.
//!
//! On SQLite only: its writers take turns anyway, and one server owns the file. On
//! PostgreSQL every writer would queue on the counter's row (and several servers share
//! the database), so the row stays at zero there and nothing is kept.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose changes move the generation. Tasks inserted while the tally triggers
/// are paused (bulk loads) move it once, when the load resumes them (`tally_clock`).
const WATCHED: [(&str, &str); 6] = [
    ("tasks", "WHEN (SELECT paused FROM tally_clock) = 0 "),
    ("task_coordinators", ""),
    ("units", ""),
    ("documents", ""),
    ("feedback", ""),
    ("tally_clock", ""),
];

const EVENTS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

fn trigger_name(table: &str, event: &str) -> String {
    format!("figures_generation_{table}_{}", event.to_lowercase())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut statements = vec![
            "CREATE TABLE figures_generation (id INTEGER NOT NULL PRIMARY KEY, \
             generation BIGINT NOT NULL)"
                .to_owned(),
            "INSERT INTO figures_generation (id, generation) VALUES (1, 0)".to_owned(),
        ];
        if manager.get_database_backend() == DbBackend::Sqlite {
            for (table, when) in WATCHED {
                for event in EVENTS {
                    statements.push(format!(
                        "CREATE TRIGGER {} AFTER {event} ON {table} {when}BEGIN \
                         UPDATE figures_generation SET generation = generation + 1; END",
                        trigger_name(table, event)
                    ));
                }
            }
        }
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        crate::execute_all(manager, &statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut statements = Vec::new();
        if manager.get_database_backend() == DbBackend::Sqlite {
            for (table, _) in WATCHED {
                for event in EVENTS {
                    statements.push(format!("DROP TRIGGER {}", trigger_name(table, event)));
                }
            }
        }
        statements.push("DROP TABLE figures_generation".to_owned());
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        crate::execute_all(manager, &statements).await
    }
}
