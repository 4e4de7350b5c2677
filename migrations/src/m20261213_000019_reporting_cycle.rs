//! A document's reporting cycle (monthly, quarterly, six-monthly, yearly) and its cut-off
//! day, the day of each period's last month by which units report (`model::period`).

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
        for column in [
            string_len("reporting_cycle", 12)
                .default("quarterly")
                .to_owned(),
            small_integer("cut_off_day").default(25).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("documents")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["cut_off_day", "reporting_cycle"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("documents")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
