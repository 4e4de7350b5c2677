//! Reading the unit hierarchy: the overview, one unit with its trail and children, search.

use super::db::contains_pattern;
use super::entity::unit;
use super::hierarchy::ROOT_CODE;
use crate::model::text::search_terms;
use crate::model::unit::{
    SEARCH_LIMIT, UnitDetail, UnitHit, UnitLevel, UnitRef, UnitSearch, UnitSummary, UnitsOverview,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use std::collections::HashMap;

/// A unit row with the number of units directly under it.
#[derive(Debug, FromQueryResult)]
struct CountedUnit {
    id: i32,
    code: String,
    name: String,
    level: String,
    division_type: Option<String>,
    child_count: i64,
}

impl CountedUnit {
    fn summary(self) -> UnitSummary {
        UnitSummary {
            code: self.code,
            name: self.name,
            level: level_of(&self.level),
            division_type: self.division_type,
            child_count: u32::try_from(self.child_count).unwrap_or(u32::MAX),
        }
    }
}

const COUNTED_UNITS: &str = "SELECT u.id, u.code, u.name, u.level, u.division_type, \
     (SELECT COUNT(*) FROM units c WHERE c.parent_id = u.id) AS child_count FROM units u";

fn level_of(stored: &str) -> UnitLevel {
    // The column only ever holds values written from `UnitLevel::as_str`.
    stored.parse().unwrap_or(UnitLevel::Commune)
}

fn unit_ref(model: &unit::Model) -> UnitRef {
    UnitRef {
        code: model.code.clone(),
        name: model.name.clone(),
        level: level_of(&model.level),
    }
}

/// Units directly under `parent_id`, in official order (agencies first, then by code).
async fn children_of(db: &DatabaseConnection, parent_id: i32) -> Result<Vec<UnitSummary>, DbErr> {
    let rows = CountedUnit::find_by_statement(Statement::from_sql_and_values(
        db.get_database_backend(),
        format!("{COUNTED_UNITS} WHERE u.parent_id = $1 ORDER BY u.id"),
        [parent_id.into()],
    ))
    .all(db)
    .await?;
    let mut children: Vec<UnitSummary> = rows.into_iter().map(CountedUnit::summary).collect();
    // Stable: within a level the id order is the official order.
    children.sort_by_key(|u| u.level);
    Ok(children)
}

pub async fn overview(db: &DatabaseConnection) -> Result<UnitsOverview, DbErr> {
    let root = unit::Entity::find()
        .filter(unit::Column::Code.eq(ROOT_CODE))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the central root unit".into()))?;
    let children = children_of(db, root.id).await?;
    let (agencies, provinces): (Vec<_>, Vec<_>) = children
        .into_iter()
        .partition(|u| u.level == UnitLevel::Agency);
    let commune_total = provinces.iter().map(|p| p.child_count).sum();
    Ok(UnitsOverview {
        root: unit_ref(&root),
        agencies,
        provinces,
        commune_total,
    })
}

/// One unit by its code, or `None` when there is no such unit.
pub async fn detail(db: &DatabaseConnection, code: &str) -> Result<Option<UnitDetail>, DbErr> {
    let Some(found) = CountedUnit::find_by_statement(Statement::from_sql_and_values(
        db.get_database_backend(),
        format!("{COUNTED_UNITS} WHERE u.code = $1"),
        [code.into()],
    ))
    .one(db)
    .await?
    else {
        return Ok(None);
    };
    let unit = unit::Entity::find_by_id(found.id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("unit {}", found.id)))?;
    let children = children_of(db, found.id).await?;
    let trail = trail_of(db, &unit).await?;
    Ok(Some(UnitDetail {
        unit: found.summary(),
        trail,
        children,
    }))
}

/// The unit's ancestors, from the root down to its parent, read off its path.
async fn trail_of(db: &DatabaseConnection, unit: &unit::Model) -> Result<Vec<UnitRef>, DbErr> {
    let ancestor_ids: Vec<i32> = unit
        .path
        .split('/')
        .filter_map(|id| id.parse().ok())
        .filter(|id| *id != unit.id)
        .collect();
    if ancestor_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ancestors: HashMap<i32, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(ancestor_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(ancestor_ids
        .iter()
        .filter_map(|id| ancestors.get(id).map(unit_ref))
        .collect())
}

/// Units whose name holds every word of the query (diacritics and case ignored),
/// or whose code is the query. Shallow levels first, then by name.
pub async fn search(db: &DatabaseConnection, query: &str) -> Result<UnitSearch, DbErr> {
    let terms = search_terms(query);
    let code = query.trim();
    let mut name_matches = Condition::all();
    for term in &terms {
        name_matches =
            name_matches.add(Expr::col(unit::Column::SearchKey).like(contains_pattern(term)));
    }
    let mut condition = Condition::any().add(unit::Column::Code.eq(code));
    if !terms.is_empty() {
        condition = condition.add(name_matches);
    }

    let total = unit::Entity::find()
        .filter(condition.clone())
        .count(db)
        .await?;
    let level_rank = Expr::cust(
        "CASE level WHEN 'central' THEN 0 WHEN 'agency' THEN 1 WHEN 'province' THEN 2 ELSE 3 END",
    );
    let matches = unit::Entity::find()
        .filter(condition)
        .order_by_asc(level_rank)
        .order_by_asc(unit::Column::SearchKey)
        .limit(u64::from(SEARCH_LIMIT))
        .all(db)
        .await?;

    let ids: Vec<i32> = matches.iter().map(|u| u.id).collect();
    let child_counts = child_counts(db, &ids).await?;
    let parent_ids: Vec<i32> = matches.iter().filter_map(|u| u.parent_id).collect();
    let parents: HashMap<i32, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(parent_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();

    let hits = matches
        .into_iter()
        .map(|u| UnitHit {
            parent: u.parent_id.and_then(|id| parents.get(&id)).map(unit_ref),
            unit: UnitSummary {
                child_count: child_counts.get(&u.id).copied().unwrap_or(0),
                level: level_of(&u.level),
                code: u.code,
                name: u.name,
                division_type: u.division_type,
            },
        })
        .collect();
    Ok(UnitSearch {
        query: query.trim().to_owned(),
        hits,
        total: u32::try_from(total).unwrap_or(u32::MAX),
    })
}

async fn child_counts(db: &DatabaseConnection, ids: &[i32]) -> Result<HashMap<i32, u32>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Option<i32>, i64)> = unit::Entity::find()
        .select_only()
        .column(unit::Column::ParentId)
        .column_as(unit::Column::Id.count(), "n")
        .filter(unit::Column::ParentId.is_in(ids.to_vec()))
        .group_by(unit::Column::ParentId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(parent, n)| Some((parent?, u32::try_from(n).unwrap_or(u32::MAX))))
        .collect())
}
