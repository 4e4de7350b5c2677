use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_values")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub indicator_id: i32,
    /// `model::period::Period::code`.
    pub period: String,
    pub value: f64,
    pub weight: Option<f64>,
    pub source_note: String,
    /// `model::indicator::ValueState`.
    pub state: String,
    pub reason: String,
    pub corrects_id: Option<i32>,
    pub submitted_by: i32,
    pub submitted_at: DateTimeUtc,
    pub evaluated_by: Option<i32>,
    pub evaluated_at: Option<DateTimeUtc>,
    pub answer: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
