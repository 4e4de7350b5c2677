//! Evidence files on indicator values, as on progress reports: `indicator_value_files`,
//! one row per file stored with a value (the bytes are in the evidence folder).

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
                    .table("indicator_value_files")
                    .col(pk_auto("id"))
                    .col(integer("value_id"))
                    // As in `attachments`: the cleaned name, shown only; the type decided
                    // from the content; a random name in the storage folder.
                    .col(string_len("file_name", 255))
                    .col(string_len("content_type", 100))
                    .col(big_integer("size"))
                    .col(string_len("sha256", 64))
                    .col(string_len_uniq("storage_key", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_indicator_value_files_value")
                            .from("indicator_value_files", "value_id")
                            .to("indicator_values", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_indicator_value_files_value",
                "indicator_value_files",
                &["value_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("indicator_value_files").to_owned())
            .await
    }
}
