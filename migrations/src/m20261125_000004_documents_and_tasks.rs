//! Documents (resolutions, directives, conclusions, regulations, plans), their task trees,
//! progress reports with evidence, and each task's history.
//!
//! Tasks carry the materialised paths of their lead unit and of the unit that assigned
//! them, so that the access rule ("in my subtree, or assigned to a unit in it") is a range
//! on an index, without joins, at a million tasks.

use crate::index;
use sea_orm_migration::{prelude::*, schema::*};

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
                    .table("documents")
                    .col(pk_auto("id"))
                    // The official number, `57-NQ/TW`.
                    .col(string_len_uniq("code", 64))
                    // resolution, directive, conclusion, regulation, plan
                    .col(string_len("kind", 16))
                    .col(string_len("title", 500))
                    .col(string_len("issuing_body", 200))
                    .col(date("issued_on"))
                    .col(text("summary"))
                    .col(small_integer("classification"))
                    .col(integer("owner_unit_id"))
                    .col(string_len("owner_path", 255))
                    // active, completed, archived
                    .col(string_len("status", 16))
                    .col(string_len("search_key", 800))
                    .col(integer("version").default(0))
                    .col(integer("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_documents_owner")
                            .from("documents", "owner_unit_id")
                            .to("units", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_documents_creator")
                            .from("documents", "created_by")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_documents_owner", "documents", &["owner_path"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("tasks")
                    .col(pk_auto("id"))
                    .col(integer("document_id"))
                    .col(integer_null("parent_id"))
                    // The top of this task's tree (itself for a top-level task).
                    .col(integer_null("root_id"))
                    .col(integer("depth").default(0))
                    .col(string_len("title", 500))
                    .col(text("description"))
                    // The product that proves the task done: a plan, a report, a system live.
                    .col(text("expected_result"))
                    .col(integer("lead_unit_id"))
                    .col(string_len("lead_path", 255))
                    // The unit that assigned the task and evaluates its reports.
                    .col(integer("assigner_unit_id"))
                    .col(string_len("assigner_path", 255))
                    .col(date("start_on"))
                    .col(date("due_on"))
                    // 0 low, 1 normal, 2 high, 3 urgent
                    .col(small_integer("priority"))
                    .col(integer("weight").default(1))
                    .col(small_integer("classification"))
                    // not_started, in_progress, done, done_late, returned, cancelled
                    .col(string_len("status", 16))
                    .col(small_integer("progress").default(0))
                    .col(date_null("completed_on"))
                    .col(integer("version").default(0))
                    .col(integer("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tasks_document")
                            .from("tasks", "document_id")
                            .to("documents", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tasks_parent")
                            .from("tasks", "parent_id")
                            .to("tasks", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tasks_lead")
                            .from("tasks", "lead_unit_id")
                            .to("units", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tasks_assigner")
                            .from("tasks", "assigner_unit_id")
                            .to("units", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_tasks_creator")
                            .from("tasks", "created_by")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_tasks_parent", &["parent_id"][..]),
            ("idx_tasks_document", &["document_id", "parent_id"][..]),
            ("idx_tasks_lead", &["lead_path", "status", "due_on"][..]),
            ("idx_tasks_assigner", &["assigner_path"][..]),
            ("idx_tasks_lead_unit", &["lead_unit_id", "parent_id"][..]),
        ] {
            manager.create_index(index(name, "tasks", columns)).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("task_coordinators")
                    .col(integer("task_id"))
                    .col(integer("unit_id"))
                    .col(string_len("unit_path", 255))
                    .primary_key(Index::create().col("task_id").col("unit_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_coordinators_task")
                            .from("task_coordinators", "task_id")
                            .to("tasks", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_coordinators_unit")
                            .from("task_coordinators", "unit_id")
                            .to("units", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_coordinators_path",
                "task_coordinators",
                &["unit_path"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("task_events")
                    .col(big_pk_auto("id"))
                    .col(integer("task_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("actor_id"))
                    // created, edited, cascaded, broken_down, reported, accepted, returned
                    .col(string_len("kind", 24))
                    // What changed, as JSON: {"field": [before, after]} or a short note.
                    .col(text("detail"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_task_events_task")
                            .from("task_events", "task_id")
                            .to("tasks", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_task_events_task",
                "task_events",
                &["task_id", "at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("reports")
                    .col(pk_auto("id"))
                    .col(integer("task_id"))
                    .col(integer("unit_id"))
                    .col(integer("author_id"))
                    .col(small_integer("progress"))
                    .col(boolean("claims_completion").default(false))
                    .col(text("text"))
                    // pending, accepted, returned
                    .col(string_len("status", 16))
                    // Set by the form: a double-submitted form stores one report.
                    .col(string_len_uniq("submission_key", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(integer_null("evaluator_id"))
                    .col(timestamp_with_time_zone_null("evaluated_at"))
                    .col(text_null("reason"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reports_task")
                            .from("reports", "task_id")
                            .to("tasks", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_reports_task",
                "reports",
                &["task_id", "created_at"],
            ))
            .await?;
        manager
            .create_index(index("idx_reports_status", "reports", &["status"]))
            .await?;

        crate::create_evidence_table(
            manager,
            "attachments",
            "report_id",
            "reports",
            ("fk_attachments_report", "idx_attachments_report"),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "attachments",
            "reports",
            "task_events",
            "task_coordinators",
            "tasks",
            "documents",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
