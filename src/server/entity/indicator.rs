use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicators")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: i32,
    /// The copy it was assigned from; `None` on the document's own indicator.
    pub parent_id: Option<i32>,
    pub root_id: Option<i32>,
    pub unit_id: i32,
    pub unit_path: String,
    pub assigner_unit_id: i32,
    pub assigner_path: String,
    pub name: String,
    pub measure: String,
    /// `model::indicator::Direction`.
    pub direction: String,
    pub baseline_year: i32,
    pub baseline_value: f64,
    /// `model::indicator::RollUp`.
    pub roll_up: String,
    pub weight_name: String,
    pub on_track: f64,
    pub at_risk: f64,
    pub data_source: String,
    pub classification: i16,
    pub version: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
