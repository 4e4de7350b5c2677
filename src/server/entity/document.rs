use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `owner unit/classification/code`: unique, so one unit registers a code once per
    /// classification, and a code never clashes with a document the official cannot see.
    #[sea_orm(unique)]
    pub code_key: String,
    pub code: String,
    pub kind: String,
    pub title: String,
    pub issuing_body: String,
    pub issued_on: Date,
    pub summary: String,
    pub classification: i16,
    pub owner_unit_id: i32,
    pub owner_path: String,
    pub status: String,
    pub search_key: String,
    /// `model::period::Cycle`.
    pub reporting_cycle: String,
    /// The day of each period's last month by which units report.
    pub cut_off_day: i16,
    pub version: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::unit::Entity",
        from = "Column::OwnerUnitId",
        to = "super::unit::Column::Id"
    )]
    Owner,
}

impl Related<super::unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Owner.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// Its reporting cycle and cut-off day (quarterly by the 25th where unreadable).
    pub fn reporting(&self) -> (crate::model::period::Cycle, u32) {
        use crate::model::period::{Cycle, DEFAULT_CUT_OFF_DAY};
        (
            Cycle::parse(&self.reporting_cycle).unwrap_or(Cycle::Quarterly),
            u32::try_from(self.cut_off_day).unwrap_or(DEFAULT_CUT_OFF_DAY),
        )
    }
}
