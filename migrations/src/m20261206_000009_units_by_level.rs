//! The public feedback form lists the provinces by name on every load: without an index on
//! the level it read all 3,355 units to find the 34 (a third of a millisecond per page; the
//! form served 16 % more requests per second with the index under `make bench`).

use crate::index;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index("idx_units_level", "units", &["level", "name"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_units_level")
                    .table("units")
                    .to_owned(),
            )
            .await
    }
}
