//! Each unit's latest progress report per document, classification and month, with its
//! state (see `freshness`): what `/periods` reads on PostgreSQL in milliseconds instead
//! of ranking a period's hundreds of thousands of reports.

use crate::freshness;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements = freshness::create_progress_months(manager.get_database_backend());
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        crate::execute_all(manager, &statements).await?;
        freshness::recount_progress_months(manager.get_connection(), None).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements = freshness::drop_progress_months(manager.get_database_backend());
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        crate::execute_all(manager, &statements).await
    }
}
