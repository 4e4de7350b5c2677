//! The cancelled tasks, which the tallies leave out, found without reading the others: a
//! reader who sees the whole country is shown every task of a document, cancelled ones too,
//! counted from the tallies plus this partial index.

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
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_tasks_cancelled ON tasks (document_id, classification) \
                 WHERE status = 'cancelled'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX idx_tasks_cancelled")
            .await?;
        Ok(())
    }
}
