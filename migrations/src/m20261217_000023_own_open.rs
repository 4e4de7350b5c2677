//! The freshness tallies made cheaper to read (see `tallies::Version::OwnOpen`):
//! `tally_reported` loses its own-or-below key (its rows by month stay: about 424,000
//! on the national data, 430,000 before), and `tally_own_open` keeps each unit's own
//! open tasks without the month (about 57,000), which is what the silent units are told
//! from.

use crate::tallies::{self, Version};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn recreate(manager: &SchemaManager<'_>, version: Version) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let mut statements = tallies::drop_triggers(backend);
    statements.push("DROP TABLE tally_reported".to_owned());
    if version == Version::Reported {
        statements.push("DROP TABLE tally_own_open".to_owned());
    }
    statements.extend(tallies::create_reported(backend, version));
    statements.extend(tallies::create_triggers(backend, version));
    let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
    crate::execute_all(manager, &statements).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        recreate(manager, Version::OwnOpen).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        recreate(manager, Version::Reported).await
    }
}
