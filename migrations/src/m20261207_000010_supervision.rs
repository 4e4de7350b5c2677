//! Supervision: what officials are told (`notifications`), which steps of the reminder and
//! escalation ladder each task has had (`task_reminders`, one row per task, step and the
//! date the step counts from), and who runs the periodic sweep (`job_leases`).
//!
//! A step is unique per task, step and reference date (the due date, or for a task gone
//! quiet the day of its last report): a second sweep, or a second server, can only find
//! it already there. A changed due date gives the steps new references, so the ladder
//! starts again for the new date.

use crate::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("task_reminders")
                    .col(pk_auto("id"))
                    .col(integer("task_id"))
                    .col(string_len("step", 32))
                    .col(date("reference"))
                    // The sweep that fired it: its notifications are made from its rows.
                    .col(string_len("sweep", 40))
                    .col(timestamp_with_time_zone("fired_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_task_reminders_task")
                            .from("task_reminders", "task_id")
                            .to("tasks", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "idx_task_reminders_step",
                    "task_reminders",
                    &["task_id", "step", "reference"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_task_reminders_sweep",
                "task_reminders",
                &["sweep"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("notifications")
                    .col(big_pk_auto("id"))
                    .col(integer("user_id"))
                    .col(string_len("kind", 32))
                    .col(integer_null("task_id"))
                    .col(integer_null("report_id"))
                    .col(integer_null("feedback_id"))
                    // A ladder step's name, for reminders and escalations.
                    .col(string_len_null("step", 32))
                    // The daily summary's day and how many tasks it counted.
                    .col(date_null("day"))
                    .col(integer_null("count"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("read_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notifications_user")
                            .from("notifications", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notifications_task")
                            .from("notifications", "task_id")
                            .to("tasks", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_notifications_user", &["user_id", "id"][..]),
            ("idx_notifications_unread", &["user_id", "read_at"][..]),
            ("idx_notifications_task", &["task_id"][..]),
        ] {
            manager
                .create_index(index(name, "notifications", columns))
                .await?;
        }
        // One daily summary per official and day (other kinds have no day: NULLs differ).
        manager
            .create_index(
                index(
                    "idx_notifications_daily",
                    "notifications",
                    &["user_id", "kind", "day"],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("job_leases")
                    .col(string_len("name", 32).primary_key())
                    .col(string_len_null("holder", 64))
                    .col(timestamp_with_time_zone("expires_at"))
                    // The day the job last finished for, so a late run knows what it missed.
                    .col(date_null("done_through"))
                    .to_owned(),
            )
            .await?;

        // The day a task was last reported on: a task gone quiet is found by an index
        // on the day it went quiet (its last report, or its start).
        manager
            .alter_table(
                Table::alter()
                    .table("tasks")
                    .add_column(date_null("last_report_on"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // The day in Vietnam, as the application counts days.
        let day_of = match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                "CAST(MAX(r.created_at) AT TIME ZONE 'Asia/Ho_Chi_Minh' AS DATE)"
            }
            _ => "date(MAX(r.created_at), '+7 hours')",
        };
        db.execute_unprepared(&format!(
            "UPDATE tasks SET last_report_on = (SELECT {day_of} FROM reports r \
             WHERE r.task_id = tasks.id) \
             WHERE EXISTS (SELECT 1 FROM reports r WHERE r.task_id = tasks.id)"
        ))
        .await?;
        db.execute_unprepared(
            "CREATE INDEX idx_tasks_quiet ON tasks ((COALESCE(last_report_on, start_on)))",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX idx_tasks_quiet").await?;
        manager
            .alter_table(
                Table::alter()
                    .table("tasks")
                    .drop_column("last_report_on")
                    .to_owned(),
            )
            .await?;
        for table in ["job_leases", "notifications", "task_reminders"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
