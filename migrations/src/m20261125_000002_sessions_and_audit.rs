//! Server-side sessions, tied to their user, and the append-only audit trail.

use sea_orm_migration::{prelude::*, schema::*};

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
                    .table("sessions")
                    // tower-sessions' id, as text.
                    .col(string_len("id", 64).primary_key())
                    // Set once the session is signed in: lists and ends a user's sessions.
                    .col(integer_null("user_id"))
                    .col(text("data"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(string_len_null("ip", 64))
                    .col(string_len_null("user_agent", 255))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_user")
                            .from("sessions", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_sessions_user", "user_id"),
            ("idx_sessions_expires", "expires_at"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("sessions")
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("audit_events")
                    .col(big_pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("actor_id"))
                    // As typed at sign-in, also for unknown accounts; never a password.
                    .col(string_len_null("actor_name", 64))
                    .col(string_len("action", 48))
                    .col(string_len_null("object_type", 32))
                    .col(string_len_null("object_id", 64))
                    .col(string_len("outcome", 16))
                    .col(string_len_null("ip", 64))
                    .col(text_null("detail"))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_audit_at", "at"),
            ("idx_audit_actor", "actor_id"),
            ("idx_audit_action", "action"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("audit_events")
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("audit_events").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("sessions").to_owned())
            .await
    }
}
