use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub password_hash: String,
    pub unit_id: i32,
    pub role: String,
    pub clearance: i16,
    pub active: bool,
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub must_change_password: bool,
    pub password_changed_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub last_login_at: Option<DateTimeUtc>,
    /// Raised by every change: an edit made from an older version is refused.
    pub version: i32,
    /// Username and full name, folded for search.
    pub search_key: String,
    /// The language of their email (`vi`, `en`): the last one they chose.
    pub locale: String,
    /// Notification kinds they do not want by email, comma-separated.
    pub mail_off: String,
    /// Notifications up to this id are not theirs: sent before they joined their unit in
    /// their role.
    pub notices_after: i64,
    /// Every notification up to this id is read (those above: `notification_reads`).
    pub read_through: i64,
    /// Notifications up to this id were considered for their email digest.
    pub mailed_through: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::unit::Entity",
        from = "Column::UnitId",
        to = "super::unit::Column::Id"
    )]
    Unit,
}

impl Related<super::unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Unit.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
