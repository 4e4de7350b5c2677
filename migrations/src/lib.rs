//! The schema of Tiến Độ. Each migration runs in its own transaction on both backends.

pub use sea_orm_migration::prelude::*;

pub mod freshness;
mod m20261125_000001_units_and_users;
mod m20261125_000002_sessions_and_audit;
mod m20261125_000003_user_admin;
mod m20261125_000004_documents_and_tasks;
mod m20261201_000005_tallies;
mod m20261202_000006_feedback;
mod m20261203_000007_access_rules;
mod m20261204_000008_document_figures;
mod m20261206_000009_units_by_level;
mod m20261207_000010_supervision;
mod m20261207_000011_mail;
mod m20261207_000012_audit_scope;
mod m20261208_000013_notices_by_unit;
mod m20261208_000014_unit_reminders;
mod m20261209_000015_subtasks_by_clearance;
mod m20261210_000016_figures_generation;
mod m20261211_000017_accounts_generation;
mod m20261212_000018_deadlines;
mod m20261213_000019_reporting_cycle;
mod m20261214_000020_indicators;
mod m20261215_000021_indicator_standings;
mod m20261216_000022_freshness;
mod m20261217_000023_own_open;
mod m20261218_000024_value_files;
mod m20261219_000025_value_notices;
mod m20261220_000026_progress_months;
pub mod tallies;

/// An index named `name` on `columns` of `table`.
pub(crate) fn index(name: &str, table: &str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table.to_owned());
    for column in columns {
        index.col(*column);
    }
    index.to_owned()
}

/// A table of evidence files belonging to rows of `owner_table` (through `owner`: the
/// foreign key `names.0`, the index `names.1`), deleted with them: a progress report's,
/// an indicator value's.
pub(crate) async fn create_evidence_table(
    manager: &SchemaManager<'_>,
    table: &str,
    owner: &'static str,
    owner_table: &str,
    names: (&str, &str),
) -> Result<(), DbErr> {
    use sea_orm_migration::schema::*;
    manager
        .create_table(
            Table::create()
                .table(table.to_owned())
                .col(pk_auto("id"))
                .col(integer(owner))
                // What the user called it, cleaned; shown, never used as a path.
                .col(string_len("file_name", 255))
                // Decided from the content, not from the name or the browser's claim.
                .col(string_len("content_type", 100))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                // A random name in the storage folder.
                .col(string_len_uniq("storage_key", 64))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name(names.0)
                        .from(table.to_owned(), owner)
                        .to(owner_table.to_owned(), "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    manager.create_index(index(names.1, table, &[owner])).await
}

/// Runs `statements` in order, as written (for what sea-query does not build: partial
/// indexes, dropping an index by name on both backends).
pub(crate) async fn execute_all(
    manager: &SchemaManager<'_>,
    statements: &[&str],
) -> Result<(), DbErr> {
    for statement in statements {
        manager
            .get_connection()
            .execute_unprepared(statement)
            .await?;
    }
    Ok(())
}

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_units_and_users::Migration),
            Box::new(m20261125_000002_sessions_and_audit::Migration),
            Box::new(m20261125_000003_user_admin::Migration),
            Box::new(m20261125_000004_documents_and_tasks::Migration),
            Box::new(m20261201_000005_tallies::Migration),
            Box::new(m20261202_000006_feedback::Migration),
            Box::new(m20261203_000007_access_rules::Migration),
            Box::new(m20261204_000008_document_figures::Migration),
            Box::new(m20261206_000009_units_by_level::Migration),
            Box::new(m20261207_000010_supervision::Migration),
            Box::new(m20261207_000011_mail::Migration),
            Box::new(m20261207_000012_audit_scope::Migration),
            Box::new(m20261208_000013_notices_by_unit::Migration),
            Box::new(m20261208_000014_unit_reminders::Migration),
            Box::new(m20261209_000015_subtasks_by_clearance::Migration),
            Box::new(m20261210_000016_figures_generation::Migration),
            Box::new(m20261211_000017_accounts_generation::Migration),
            Box::new(m20261212_000018_deadlines::Migration),
            Box::new(m20261213_000019_reporting_cycle::Migration),
            Box::new(m20261214_000020_indicators::Migration),
            Box::new(m20261215_000021_indicator_standings::Migration),
            Box::new(m20261216_000022_freshness::Migration),
            Box::new(m20261217_000023_own_open::Migration),
            Box::new(m20261218_000024_value_files::Migration),
            Box::new(m20261219_000025_value_notices::Migration),
            Box::new(m20261220_000026_progress_months::Migration),
        ]
    }
}
