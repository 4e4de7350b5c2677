//! The audit log's viewer shows an administrator the events of their subtree, up to their
//! clearance: each event keeps the path of its actor's unit and the classification of what
//! it was about. And the log is append-only in the database itself: no row can be changed,
//! and none younger than a year removed (the retention setting removes older ones only).

use crate::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const MESSAGE: &str = "the audit log is append-only";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("audit_events")
                    .add_column(string_len_null("unit_path", 255))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("audit_events")
                    .add_column(small_integer("classification").default(0))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE audit_events SET unit_path = (SELECT u.path FROM users us \
             JOIN units u ON u.id = us.unit_id WHERE us.id = audit_events.actor_id) \
             WHERE actor_id IS NOT NULL",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE audit_events SET classification = CASE detail \
             WHEN 'confidential' THEN 2 WHEN 'secret' THEN 3 WHEN 'top_secret' THEN 4 ELSE 0 END \
             WHERE action IN ('classified_read', 'evidence_downloaded')",
        )
        .await?;
        // Events about a document or a task: as classified as the record is now.
        for (kind, table) in [("document", "documents"), ("task", "tasks")] {
            db.execute_unprepared(&format!(
                "UPDATE audit_events SET classification = COALESCE((SELECT r.classification \
                 FROM {table} r WHERE CAST(r.id AS TEXT) = audit_events.object_id), 0) \
                 WHERE object_type = '{kind}' AND action NOT IN \
                 ('classified_read', 'evidence_downloaded')"
            ))
            .await?;
        }
        manager
            .create_index(index(
                "idx_audit_unit",
                "audit_events",
                &["unit_path", "at"],
            ))
            .await?;
        let statements: Vec<String> = match manager.get_database_backend() {
            DatabaseBackend::Postgres => vec![
                format!(
                    "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN \
                       IF TG_OP = 'UPDATE' OR OLD.at > now() - INTERVAL '365 days' THEN \
                         RAISE EXCEPTION '{MESSAGE}'; \
                       END IF; \
                       RETURN OLD; \
                     END $$"
                ),
                "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events \
                 FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
                    .to_owned(),
            ],
            _ => vec![
                format!(
                    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events \
                     BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                ),
                // Stored as text that sorts as time; a year back from now, in the same form.
                format!(
                    "CREATE TRIGGER audit_events_no_early_delete BEFORE DELETE ON audit_events \
                     WHEN OLD.at > strftime('%Y-%m-%dT%H:%M:%S', 'now', '-365 days') \
                     BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                ),
            ],
        };
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Postgres => &[
                "DROP TRIGGER audit_events_append_only ON audit_events",
                "DROP FUNCTION audit_events_append_only()",
            ],
            _ => &[
                "DROP TRIGGER audit_events_no_update",
                "DROP TRIGGER audit_events_no_early_delete",
            ],
        };
        for statement in statements {
            db.execute_unprepared(statement).await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_audit_unit")
                    .table("audit_events")
                    .to_owned(),
            )
            .await?;
        for column in ["classification", "unit_path"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("audit_events")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
