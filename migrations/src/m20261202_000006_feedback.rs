//! Opinions from citizens and businesses, their history, and the server's own secrets
//! (the key that signs the public form's challenges and derives tracking secrets).
//!
//! An item carries the materialised path of the unit it is assigned to, so that "a
//! province sees what is assigned to its subtree" is a range on an index.

use crate::index;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn foreign_key(name: &str, table: &str, column: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table.to_owned(), column.to_owned())
        .to(to.to_owned(), "id")
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("server_secrets")
                    .col(string_len("name", 32).primary_key())
                    .col(string_len("value", 128))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("feedback")
                    .col(pk_auto("id"))
                    // citizen, business
                    .col(string_len("kind", 16))
                    .col(string_len("category", 32))
                    .col(integer_null("document_id"))
                    .col(text("subject"))
                    .col(text("text"))
                    // Personal data, kept only with the sender's consent.
                    .col(text_null("sender_name"))
                    .col(text_null("sender_email"))
                    .col(text_null("sender_phone"))
                    .col(integer_null("location_unit_id"))
                    .col(timestamp_with_time_zone_null("consent_at"))
                    // form, open311
                    .col(string_len("source", 16))
                    .col(string_len("status", 16))
                    .col(integer_null("assigned_unit_id"))
                    .col(string_len_null("assigned_path", 255))
                    .col(text_null("answer"))
                    .col(integer_null("answered_by"))
                    // The first answer: what the time to answer is measured to.
                    .col(timestamp_with_time_zone_null("answered_at"))
                    .col(boolean("published").default(false))
                    .col(timestamp_with_time_zone_null("published_at"))
                    .col(integer_null("duplicate_of"))
                    // Made by the form when it is drawn: one item per form, however
                    // often it is sent.
                    .col(string_len_null("submission_key", 64).unique_key())
                    // SHA-256 of the tracking secret; the secret itself is not kept.
                    .col(string_len("secret_hash", 64))
                    // Subject, text and answer folded for diacritics-insensitive search.
                    .col(text("search_key"))
                    .col(integer("version").default(0))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut foreign_key(
                        "fk_feedback_document",
                        "feedback",
                        "document_id",
                        "documents",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_feedback_location",
                        "feedback",
                        "location_unit_id",
                        "units",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_feedback_assigned",
                        "feedback",
                        "assigned_unit_id",
                        "units",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_feedback_answered_by",
                        "feedback",
                        "answered_by",
                        "users",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_feedback_duplicate_of",
                        "feedback",
                        "duplicate_of",
                        "feedback",
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "idx_feedback_assigned",
                &["assigned_path", "created_at"][..],
            ),
            ("idx_feedback_created", &["created_at"][..]),
            ("idx_feedback_published", &["published", "answered_at"][..]),
        ] {
            manager
                .create_index(index(name, "feedback", columns))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("feedback_events")
                    .col(big_pk_auto("id"))
                    .col(integer("feedback_id"))
                    .col(timestamp_with_time_zone("at"))
                    // None: the sender, or a partner system through Open311.
                    .col(integer_null("actor_id"))
                    .col(string_len("action", 24))
                    // The item's status after the event.
                    .col(string_len("status", 16))
                    .col(integer_null("unit_id"))
                    .col(text_null("detail"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_feedback_events_item")
                            .from("feedback_events", "feedback_id")
                            .to("feedback", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_feedback_events_item",
                "feedback_events",
                &["feedback_id", "at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["feedback_events", "feedback", "server_secrets"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
