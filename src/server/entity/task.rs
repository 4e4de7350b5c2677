use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: i32,
    pub parent_id: Option<i32>,
    pub root_id: Option<i32>,
    pub depth: i32,
    pub title: String,
    pub description: String,
    pub expected_result: String,
    pub lead_unit_id: i32,
    pub lead_path: String,
    pub assigner_unit_id: i32,
    pub assigner_path: String,
    pub start_on: Date,
    pub due_on: Date,
    pub priority: i16,
    pub weight: i32,
    pub classification: i16,
    pub status: String,
    pub progress: i16,
    pub completed_on: Option<Date>,
    /// The day of the task's latest report, if any: when it went quiet.
    pub last_report_on: Option<Date>,
    /// The due date the task was assigned with, once it has moved (see `original_due`).
    pub original_due_on: Option<Date>,
    /// A key task ("nhiệm vụ trọng tâm").
    pub is_key: bool,
    pub version: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::unit::Entity",
        from = "Column::LeadUnitId",
        to = "super::unit::Column::Id"
    )]
    Lead,
}

impl Related<super::unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lead.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The due date the task was assigned with: "on time" is measured against it.
    pub fn original_due(&self) -> Date {
        self.original_due_on.unwrap_or(self.due_on)
    }
}
