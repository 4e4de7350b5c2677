//! The plan kept honest, and key tasks.
//!
//! - `tasks.original_due_on`: the due date a task was assigned with, set the first time
//!   the date moves (NULL while it never has). "On time" is measured against it.
//! - `tasks.is_key`: a key task ("nhiệm vụ trọng tâm").
//! - `due_date_changes`: every move of a due date after assignment, with its reason: a
//!   move by the assigning unit (applied at once), or an extension the lead unit asks for
//!   and the assigning unit's leader grants or refuses. At most one request is open per
//!   task.
//! - `tally_marked`, and the tally triggers recreated over the new columns (see
//!   `tallies::Version::Marked`).

use crate::index;
use crate::tallies::{self, Version};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const EVENTS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        for column in [
            date_null("original_due_on"),
            boolean("is_key").default(false).to_owned(),
        ] {
            manager
                .alter_table(Table::alter().table("tasks").add_column(column).to_owned())
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("due_date_changes")
                    .col(pk_auto("id"))
                    .col(integer("task_id"))
                    // `moved` by the assigning unit, or an `extension` the lead unit asked.
                    .col(string_len("kind", 16))
                    // `asked`, `granted` or `refused` (a move is `granted` at once).
                    .col(string_len("state", 16))
                    .col(date("from_on"))
                    .col(date("to_on"))
                    .col(text("reason"))
                    .col(integer("asked_by"))
                    .col(timestamp_with_time_zone("asked_at"))
                    .col(integer_null("decided_by"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    // Why a request was refused (or what the leader added to a grant).
                    .col(text("answer").default(""))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_due_date_changes_task")
                            .from("due_date_changes", "task_id")
                            .to("tasks", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_due_date_changes_asked_by")
                            .from("due_date_changes", "asked_by")
                            .to("users", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_due_date_changes_decided_by")
                            .from("due_date_changes", "decided_by")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_due_date_changes_task",
                "due_date_changes",
                &["task_id", "id"],
            ))
            .await?;
        let mut statements = vec![
            // One open request per task: a second one waits for the first answer.
            "CREATE UNIQUE INDEX idx_due_date_changes_asked ON due_date_changes (task_id) \
             WHERE state = 'asked'"
                .to_owned(),
            tallies::create_marked(backend),
        ];
        statements.extend(tallies::drop_triggers(backend));
        statements.extend(tallies::create_triggers(backend, Version::Marked));
        // A request shows on the task's page, which is kept while the generation stays.
        if backend == DbBackend::Sqlite {
            for event in EVENTS {
                statements.push(format!(
                    "CREATE TRIGGER figures_generation_due_date_changes_{} AFTER {event} \
                     ON due_date_changes BEGIN \
                     UPDATE figures_generation SET generation = generation + 1; END",
                    event.to_lowercase()
                ));
            }
        }
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        crate::execute_all(manager, &statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut statements = Vec::new();
        if backend == DbBackend::Sqlite {
            for event in EVENTS {
                statements.push(format!(
                    "DROP TRIGGER figures_generation_due_date_changes_{}",
                    event.to_lowercase()
                ));
            }
        }
        statements.extend(tallies::drop_triggers(backend));
        statements.extend(tallies::create_triggers(backend, Version::Tasks));
        statements.push("DROP TABLE tally_marked".to_owned());
        statements.push("DROP TABLE due_date_changes".to_owned());
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        crate::execute_all(manager, &statements).await?;
        for column in ["is_key", "original_due_on"] {
            manager
                .alter_table(Table::alter().table("tasks").drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
