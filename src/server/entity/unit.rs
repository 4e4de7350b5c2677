use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "units")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub division_type: Option<String>,
    pub level: String,
    pub parent_id: Option<i32>,
    pub path: String,
    pub search_key: String,
    pub created_at: DateTimeUtc,
    /// Sees every unit's work: the centre, and the central bodies an administrator marks.
    pub national_oversight: bool,
    /// Its own reminder days before a due date, largest first (`7,3,1`); `None`: the
    /// server's.
    pub remind_before: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "Entity", from = "Column::ParentId", to = "Column::Id")]
    Parent,
}

impl ActiveModelBehavior for ActiveModel {}
