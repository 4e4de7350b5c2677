//! Where each unit's indicator stands, kept at write time: one row per indicator and
//! period in which a value stands (its own, or rolled up from the units below), written
//! in the same transaction as the values that move it. The dashboards count these rows
//! instead of judging every indicator of a subtree on each request.
//!
//! A missing row means no data for the period. The server fills the rows of databases
//! that had values before this table (`indicators::standing::fill_missing`).

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
                    .table("indicator_standings")
                    .col(integer("indicator_id"))
                    // `model::period::Period::code` in the document's cycle.
                    .col(string_len("period", 10))
                    .col(double("value"))
                    .col(boolean("rolled_up"))
                    // In percent of the planned change by the period's end.
                    .col(double_null("achievement"))
                    // `model::indicator::IndicatorStatus`.
                    .col(string_len("status", 16))
                    .primary_key(Index::create().col("indicator_id").col("period"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_standings_indicator")
                            .from("indicator_standings", "indicator_id")
                            .to("indicators", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("indicator_standings").to_owned())
            .await
    }
}
