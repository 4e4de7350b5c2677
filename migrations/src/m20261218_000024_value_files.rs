//! Evidence files on indicator values, as on progress reports: `indicator_value_files`,
//! one row per file stored with a value (the bytes are in the evidence folder).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::create_evidence_table(
            manager,
            "indicator_value_files",
            "value_id",
            "indicator_values",
            (
                "fk_indicator_value_files_value",
                "idx_indicator_value_files_value",
            ),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("indicator_value_files").to_owned())
            .await
    }
}
