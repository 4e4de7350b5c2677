//! Notifications addressed to a unit's audience instead of one row per official.
//!
//! A reminder that reaches 17,000 communes' copies of a task was written once for each of
//! their ≈34 officers: the national sweep wrote up to 900,000 rows a day. Now a row names
//! the unit and its audience (its staff, officers or leaders) and, when the change was an
//! official's own, that official, who is not told; a row may also name one official. Who
//! receives it is decided when it is read, as what they may see already was. Each official
//! keeps three marks: the newest notification before they joined their unit in their role
//! (`notices_after`), everything up to `read_through` read (plus single reads in
//! `notification_reads`), and the newest that went into their email digest
//! (`mailed_through`).
//!
//! Existing notifications stay their officials' (addressed to each, under the same id),
//! and what each official had read stays read.

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
        for column in ["notices_after", "read_through", "mailed_through"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("users")
                        .add_column(big_integer(column).default(0))
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE notifications RENAME TO notifications_by_user")
            .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            // Their names stay with the old table: free them for the new one.
            db.execute_unprepared(
                "ALTER INDEX IF EXISTS notifications_pkey RENAME TO notifications_by_user_pkey",
            )
            .await?;
            db.execute_unprepared(
                "ALTER SEQUENCE IF EXISTS notifications_id_seq RENAME TO notifications_by_user_id_seq",
            )
            .await?;
        }
        for name in [
            "idx_notifications_user",
            "idx_notifications_unread",
            "idx_notifications_task",
            "idx_notifications_daily",
            "idx_notifications_unmailed",
        ] {
            db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("notifications")
                    .col(big_pk_auto("id"))
                    .col(string_len("kind", 32))
                    // One official, or a unit's audience less the official who acted.
                    .col(integer_null("user_id"))
                    .col(integer_null("unit_id"))
                    .col(string_len_null("audience", 16))
                    .col(integer_null("except_user_id"))
                    .col(integer_null("task_id"))
                    .col(integer_null("report_id"))
                    .col(integer_null("feedback_id"))
                    // A ladder step's name, for reminders and escalations.
                    .col(string_len_null("step", 32))
                    // The daily summary's day.
                    .col(date_null("day"))
                    // The clearance its reader needs besides what its task asks (the daily
                    // summary: the lowest classification among the tasks it counts).
                    .col(small_integer("clearance").default(0))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notifications_to_user")
                            .from("notifications", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notifications_to_unit")
                            .from("notifications", "unit_id")
                            .to("units", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notifications_of_task")
                            .from("notifications", "task_id")
                            .to("tasks", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_notifications_user", &["user_id", "id"][..]),
            ("idx_notifications_unit", &["unit_id", "id"][..]),
            ("idx_notifications_task", &["task_id"][..]),
        ] {
            manager
                .create_index(index(name, "notifications", columns))
                .await?;
        }
        // One daily summary per unit and day (other kinds have no day: NULLs differ).
        manager
            .create_index(
                index(
                    "idx_notifications_daily",
                    "notifications",
                    &["unit_id", "kind", "day"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("notification_reads")
                    .col(integer("user_id"))
                    .col(big_integer("notification_id"))
                    .primary_key(Index::create().col("user_id").col("notification_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notification_reads_user")
                            .from("notification_reads", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notification_reads_notification")
                            .from("notification_reads", "notification_id")
                            .to("notifications", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        // Each existing notification stays its official's, under its id, read or not:
        // what they were told before is theirs, and nobody else's.
        db.execute_unprepared(
            "INSERT INTO notifications (id, kind, user_id, task_id, report_id, feedback_id, \
             step, day, clearance, created_at) \
             SELECT id, kind, user_id, task_id, report_id, feedback_id, step, day, 0, created_at \
             FROM notifications_by_user ORDER BY id",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO notification_reads (user_id, notification_id) \
             SELECT user_id, id FROM notifications_by_user WHERE read_at IS NOT NULL",
        )
        .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            // New ids follow the kept ones.
            db.execute_unprepared(
                "SELECT setval(pg_get_serial_sequence('notifications', 'id'), \
                 COALESCE((SELECT MAX(id) FROM notifications), 0) + 1, false)",
            )
            .await?;
        }
        // What was kept was in a digest already, or will not be in one; and every unit
        // notification from now on is for those in the unit now.
        db.execute_unprepared(
            "UPDATE users SET mailed_through = (SELECT COALESCE(MAX(id), 0) FROM notifications), \
             notices_after = (SELECT COALESCE(MAX(id), 0) FROM notifications)",
        )
        .await?;
        db.execute_unprepared("DROP TABLE notifications_by_user")
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "notifications addressed to units cannot be split back into one row per official"
                .to_owned(),
        ))
    }
}
