use sea_orm::entity::prelude::*;

/// Addressed to one official (`user_id`) or to a unit's audience (`unit_id`, `audience`)
/// less the official who acted (`except_user_id`): who receives it is decided on reading.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub user_id: Option<i32>,
    pub unit_id: Option<i32>,
    pub audience: Option<String>,
    pub except_user_id: Option<i32>,
    pub task_id: Option<i32>,
    pub report_id: Option<i32>,
    pub feedback_id: Option<i32>,
    pub indicator_id: Option<i32>,
    pub step: Option<String>,
    pub day: Option<Date>,
    /// The clearance its reader needs besides what its task asks.
    pub clearance: i16,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::task::Entity",
        from = "Column::TaskId",
        to = "super::task::Column::Id"
    )]
    Task,
    #[sea_orm(
        belongs_to = "super::feedback::Entity",
        from = "Column::FeedbackId",
        to = "super::feedback::Column::Id"
    )]
    Feedback,
    #[sea_orm(
        belongs_to = "super::indicator::Entity",
        from = "Column::IndicatorId",
        to = "super::indicator::Column::Id"
    )]
    Indicator,
}

impl ActiveModelBehavior for ActiveModel {}
