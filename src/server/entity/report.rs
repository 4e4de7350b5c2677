use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub task_id: i32,
    pub unit_id: i32,
    pub author_id: i32,
    pub progress: i16,
    pub claims_completion: bool,
    pub text: String,
    pub status: String,
    #[sea_orm(unique)]
    pub submission_key: String,
    pub created_at: DateTimeUtc,
    pub evaluator_id: Option<i32>,
    pub evaluated_at: Option<DateTimeUtc>,
    pub reason: Option<String>,
    /// `progress`, or `completion`: asked by a roll-up, when every subtask of a task
    /// assigned by another unit is done.
    pub kind: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
