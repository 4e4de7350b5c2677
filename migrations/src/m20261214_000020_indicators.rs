//! Indicators: what a document promises in numbers, assigned down the hierarchy like a
//! task (each unit its own copy, with its own baseline and targets), and the values units
//! report for each period of the document's cycle.
//!
//! - `indicators`: one row per unit that carries the indicator; `parent_id` is the copy it
//!   was assigned from, `root_id` the document's own (NULL on the root itself). Paths of
//!   the unit and of the assigning unit, as on tasks, so the access rule is the same.
//! - `indicator_milestones`: the dated points of the planned path, the last being the
//!   final target.
//! - `indicator_values`: every value sent, never overwritten: a value replaced before the
//!   cut-off, or corrected after it, stays as `replaced`. At most one current value
//!   (`submitted` or `accepted`) per indicator and period.

use crate::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

/// Tables whose changes move the figures' generation on SQLite (migration 16): an
/// indicator makes its document visible to the units it is assigned to, and the
/// dashboards count indicators' values.
const WATCHED: [&str; 2] = ["indicators", "indicator_values"];
const EVENTS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

fn trigger_name(table: &str, event: &str) -> String {
    format!("figures_generation_{table}_{}", event.to_lowercase())
}

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
                    .table("indicators")
                    .col(pk_auto("id"))
                    .col(integer("document_id"))
                    .col(integer_null("parent_id"))
                    .col(integer_null("root_id"))
                    .col(integer("unit_id"))
                    .col(string_len("unit_path", 255))
                    .col(integer("assigner_unit_id"))
                    .col(string_len("assigner_path", 255))
                    .col(text("name"))
                    // The unit of measure: "% GDP", "doanh nghiệp", "ngày".
                    .col(string_len("measure", 60))
                    // `higher` or `lower` is better.
                    .col(string_len("direction", 16))
                    .col(integer("baseline_year"))
                    .col(double("baseline_value"))
                    // `sum`, `weighted_mean` or `not_aggregated`.
                    .col(string_len("roll_up", 16))
                    .col(string_len("weight_name", 120).default(""))
                    .col(double("on_track").default(90.0))
                    .col(double("at_risk").default(75.0))
                    .col(text("data_source").default(""))
                    .col(small_integer("classification"))
                    .col(integer("version").default(1))
                    .col(integer("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicators_document")
                            .from("indicators", "document_id")
                            .to("documents", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicators_parent")
                            .from("indicators", "parent_id")
                            .to("indicators", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicators_unit")
                            .from("indicators", "unit_id")
                            .to("units", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicators_assigner")
                            .from("indicators", "assigner_unit_id")
                            .to("units", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicators_created_by")
                            .from("indicators", "created_by")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_indicators_document", &["document_id", "id"][..]),
            ("idx_indicators_parent", &["parent_id"][..]),
            ("idx_indicators_unit_path", &["unit_path"][..]),
            ("idx_indicators_assigner_path", &["assigner_path"][..]),
        ] {
            manager
                .create_index(index(name, "indicators", columns))
                .await?;
        }
        // A unit carries each indicator once.
        manager
            .create_index(
                index(
                    "idx_indicators_parent_unit",
                    "indicators",
                    &["parent_id", "unit_id"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("indicator_milestones")
                    .col(integer("indicator_id"))
                    .col(date("due_on"))
                    .col(double("value"))
                    .primary_key(Index::create().col("indicator_id").col("due_on"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_milestones_indicator")
                            .from("indicator_milestones", "indicator_id")
                            .to("indicators", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("indicator_values")
                    .col(pk_auto("id"))
                    .col(integer("indicator_id"))
                    // `model::period::Period::code` in the document's cycle.
                    .col(string_len("period", 10))
                    .col(double("value"))
                    // The unit's weight in its parent's weighted mean, when it rolls up so.
                    .col(double_null("weight"))
                    .col(text("source_note"))
                    // `submitted`, `accepted`, `returned` or `replaced`.
                    .col(string_len("state", 16))
                    // Why a value of a closed period was corrected.
                    .col(text("reason").default(""))
                    .col(integer_null("corrects_id"))
                    .col(integer("submitted_by"))
                    .col(timestamp_with_time_zone("submitted_at"))
                    .col(integer_null("evaluated_by"))
                    .col(timestamp_with_time_zone_null("evaluated_at"))
                    // Why a value was returned.
                    .col(text("answer").default(""))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_values_indicator")
                            .from("indicator_values", "indicator_id")
                            .to("indicators", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_values_submitted_by")
                            .from("indicator_values", "submitted_by")
                            .to("users", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_values_evaluated_by")
                            .from("indicator_values", "evaluated_by")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_indicator_values_period",
                "indicator_values",
                &["indicator_id", "period", "id"],
            ))
            .await?;
        let mut statements = vec![
            // One current value per indicator and period: a second one replaces it.
            "CREATE UNIQUE INDEX idx_indicator_values_current \
             ON indicator_values (indicator_id, period) \
             WHERE state IN ('submitted', 'accepted')"
                .to_owned(),
        ];
        if manager.get_database_backend() == DbBackend::Sqlite {
            for table in WATCHED {
                for event in EVENTS {
                    statements.push(format!(
                        "CREATE TRIGGER {} AFTER {event} ON {table} BEGIN \
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
        for table in ["indicator_values", "indicator_milestones", "indicators"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
