//! Units of the hierarchy and the officials who work in them.

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
                    .table("units")
                    .col(pk_auto("id"))
                    // Official code: 2 digits for a province, 5 for a commune, letters above.
                    .col(string_len_uniq("code", 32))
                    .col(string_len("name", 200))
                    .col(string_len_null("division_type", 64))
                    .col(string_len("level", 16))
                    .col(integer_null("parent_id"))
                    // Materialised path of ids, `/1/12/4533/`: a subtree is one prefix range.
                    .col(string_len("path", 255))
                    // The name folded for search: lower case, no diacritics.
                    .col(string_len("search_key", 200))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_units_parent")
                            .from("units", "parent_id")
                            .to("units", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_units_parent", "parent_id"),
            ("idx_units_path", "path"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("units")
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(pk_auto("id"))
                    // Stored lower case; sign-in compares case-insensitively.
                    .col(string_len_uniq("username", 64))
                    .col(string_len("full_name", 200))
                    .col(string_len_null("email", 254))
                    // argon2id PHC string.
                    .col(string_len("password_hash", 255))
                    .col(integer("unit_id"))
                    .col(string_len("role", 16))
                    // Classification rank: 0 public .. 4 top secret.
                    .col(small_integer("clearance"))
                    .col(boolean("active").default(true))
                    .col(integer("failed_logins").default(0))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(boolean("must_change_password").default(false))
                    .col(timestamp_with_time_zone("password_changed_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_login_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_unit")
                            .from("users", "unit_id")
                            .to("units", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_users_unit")
                    .table("users")
                    .col("unit_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("users").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("units").to_owned())
            .await
    }
}
