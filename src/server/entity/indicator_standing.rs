use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_standings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub indicator_id: i32,
    /// `model::period::Period::code`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: String,
    pub value: f64,
    pub rolled_up: bool,
    pub achievement: Option<f64>,
    /// `model::indicator::IndicatorStatus`.
    pub status: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
