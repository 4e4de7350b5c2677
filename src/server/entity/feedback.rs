use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: String,
    pub category: String,
    pub document_id: Option<i32>,
    pub subject: String,
    pub text: String,
    pub sender_name: Option<String>,
    pub sender_email: Option<String>,
    pub sender_phone: Option<String>,
    pub location_unit_id: Option<i32>,
    pub consent_at: Option<DateTimeUtc>,
    pub source: String,
    pub status: String,
    pub assigned_unit_id: Option<i32>,
    pub assigned_path: Option<String>,
    pub answer: Option<String>,
    pub answered_by: Option<i32>,
    pub answered_at: Option<DateTimeUtc>,
    pub published: bool,
    pub published_at: Option<DateTimeUtc>,
    pub duplicate_of: Option<i32>,
    pub submission_key: Option<String>,
    pub secret_hash: String,
    pub search_key: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
