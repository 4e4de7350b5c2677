//! Freshness on the dashboards (see `freshness` and `tallies::Version::Reported`):
//! `unit_activity`, `tally_reported`, and `tasks.last_report_on` carried up to the tasks
//! above, with the tally triggers recreated over it.

use crate::freshness;
use crate::tallies::{self, Version};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut statements = freshness::create_unit_activity(backend);
        statements.extend(tallies::drop_triggers(backend));
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        crate::execute_all(manager, &statements).await?;
        // As it was counted then (`progress_months` came with migration 26).
        freshness::recount_activity(manager.get_connection(), None).await?;
        freshness::recount_last_reports(manager.get_connection(), None).await?;
        let mut statements = tallies::create_reported(backend, Version::Reported);
        statements.extend(tallies::create_triggers(backend, Version::Reported));
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        crate::execute_all(manager, &statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut statements = tallies::drop_triggers(backend);
        statements.extend(tallies::create_triggers(backend, Version::Marked));
        statements.push("DROP TABLE tally_reported".to_owned());
        statements.push("DROP TABLE unit_activity".to_owned());
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        crate::execute_all(manager, &statements).await
    }
}
