//! Roll-up tallies for the dashboards (see `tallies`): the unit closure, the tally tables,
//! the triggers that keep them exact, and a first count of the tasks already there.

use crate::tallies;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        for statement in tallies::create(backend) {
            db.execute_unprepared(&statement).await?;
        }
        tallies::fill_unit_ancestors(db).await?;
        for statement in tallies::rebuild_as(backend, None, tallies::Version::Tasks) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in tallies::drop_triggers(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        for statement in [
            "CREATE INDEX idx_tasks_lead_unit ON tasks (lead_unit_id, parent_id)",
            "DROP INDEX idx_tasks_unit_due",
            "DROP INDEX idx_tasks_due",
            "DROP TABLE tally_weekly",
            "DROP TABLE tally_due",
            "DROP TABLE tally_status",
            "DROP TABLE tally_clock",
            "DROP TABLE unit_ancestors",
        ] {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
