//! What closing the access holes needs in the schema:
//! - a document's code is unique per owner unit and classification, not across the
//!   country: the "code taken" answer must not tell of a document the official may not see.
//!   The old unique column becomes `code_key` (`owner/classification/code`), the shown code
//!   a plain column beside it;
//! - national oversight is granted to units (the centre has it), not implied by being a
//!   central body;
//! - a report is a progress report or the completion a roll-up asks the assigning unit to
//!   accept (`kind`);
//! - a document's classification is a floor for its tasks: tasks stored below it are raised.

use crate::index;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == sea_orm::DbBackend::Postgres;

        db.execute_unprepared("ALTER TABLE documents RENAME COLUMN code TO code_key")
            .await?;
        if postgres {
            db.execute_unprepared("ALTER TABLE documents ALTER COLUMN code_key TYPE VARCHAR(100)")
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("documents")
                    .add_column(string_len("code", 64).default(""))
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared(
            "UPDATE documents SET code = code_key, code_key = CAST(owner_unit_id AS TEXT) \
             || '/' || CAST(classification AS TEXT) || '/' || code_key",
        )
        .await?;
        manager
            .create_index(index("idx_documents_code", "documents", &["code"]))
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table("units")
                    .add_column(boolean("national_oversight").default(false))
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("UPDATE units SET national_oversight = TRUE WHERE level = 'central'")
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table("reports")
                    // `progress`, or `completion` (asked by a roll-up)
                    .add_column(string_len("kind", 16).default("progress"))
                    .to_owned(),
            )
            .await?;

        db.execute_unprepared(
            "UPDATE tasks SET classification = (SELECT d.classification FROM documents d \
             WHERE d.id = tasks.document_id) WHERE classification < (SELECT d.classification \
             FROM documents d WHERE d.id = tasks.document_id)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        manager
            .alter_table(
                Table::alter()
                    .table("reports")
                    .drop_column("kind")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("units")
                    .drop_column("national_oversight")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_documents_code")
                    .table("documents")
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("UPDATE documents SET code_key = code")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("documents")
                    .drop_column("code")
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("ALTER TABLE documents RENAME COLUMN code_key TO code")
            .await?;
        Ok(())
    }
}
