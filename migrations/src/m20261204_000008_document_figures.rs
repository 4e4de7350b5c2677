//! What counting a document's tasks for a reader needs without reading every task of the
//! reader's subtree (`server::documents::figures`):
//! - the cancelled tasks, which the tallies leave out;
//! - the tasks whose lead unit lies outside their assigner's subtree (rare: units with
//!   national oversight assigning across the country), in an index of their own;
//! - the tasks a subtree receives from a unit above it: the index on the assigner's path
//!   gets the lead's path beside it.
//!
//! The predicates are written as the queries write them: SQLite uses a partial index only
//! when the query repeats its condition.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: [&str; 5] = [
    "CREATE INDEX idx_tasks_cancelled ON tasks (document_id, classification) \
     WHERE status = 'cancelled'",
    // Two small indexes of the same few rows: found by their assigner's path or their lead's.
    "CREATE INDEX idx_tasks_led_outside_assigner ON tasks (assigner_path) \
     WHERE substr(lead_path, 1, length(assigner_path)) <> assigner_path",
    "CREATE INDEX idx_tasks_led_outside_lead ON tasks (lead_path) \
     WHERE substr(lead_path, 1, length(assigner_path)) <> assigner_path",
    "CREATE INDEX idx_tasks_assigner_lead ON tasks (assigner_path, lead_path)",
    "DROP INDEX idx_tasks_assigner",
];

const DOWN: [&str; 5] = [
    "CREATE INDEX idx_tasks_assigner ON tasks (assigner_path)",
    "DROP INDEX idx_tasks_assigner_lead",
    "DROP INDEX idx_tasks_led_outside_lead",
    "DROP INDEX idx_tasks_led_outside_assigner",
    "DROP INDEX idx_tasks_cancelled",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::execute_all(manager, &UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::execute_all(manager, &DOWN).await
    }
}
