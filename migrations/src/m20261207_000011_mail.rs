//! The daily email digest: each official's language and the kinds of notification they do
//! not want by email; which day a notification went into a digest; and the digests
//! themselves, kept until the mail server accepts them (retried with back-off meanwhile).

use crate::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .add_column(string_len("locale", 8).default("vi"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    // Kinds opted out of email, comma-separated.
                    .add_column(string_len("mail_off", 255).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("notifications")
                    .add_column(date_null("mailed_on"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_notifications_unmailed",
                "notifications",
                &["mailed_on", "user_id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("mail_digests")
                    .col(big_pk_auto("id"))
                    .col(integer("user_id"))
                    .col(date("day"))
                    .col(text("recipient"))
                    .col(string_len("subject", 255))
                    .col(text("body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(text_null("last_error"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mail_digests_user")
                            .from("mail_digests", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("idx_mail_digests_day", "mail_digests", &["user_id", "day"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_mail_digests_unsent",
                "mail_digests",
                &["sent_at", "next_attempt_at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("mail_digests").to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_notifications_unmailed")
                    .table("notifications")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("notifications")
                    .drop_column("mailed_on")
                    .to_owned(),
            )
            .await?;
        for column in ["mail_off", "locale"] {
            manager
                .alter_table(Table::alter().table("users").drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
