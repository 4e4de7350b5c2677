//! Indicators on the dashboards: where the indicators carried in a unit's subtree stand,
//! counted for the unit and for each unit directly below it, within the reader's
//! clearance and the dashboard's filter (as the task figures are).

use crate::model::indicator::{IndicatorStatus, StatusCounts, judged_period};
use crate::model::period::Period;
use crate::model::time::Day;
use crate::server::access::path_in_range;
use crate::server::db::Db;
use crate::server::entity::{document, indicator, indicator_standing, unit};
use crate::server::tallies::Narrowing;
use crate::server::work::Outcome;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// What the dashboards show of the indicators carried in a subtree.
#[derive(Debug, Default)]
pub struct IndicatorCounts {
    pub total: StatusCounts,
    /// For each unit directly below the scope, by code.
    pub per_child: HashMap<String, StatusCounts>,
    /// How many indicators, and how many have a value for their document's current
    /// period (the freshness figures): in the subtree, and below each unit directly below
    /// the scope (by code).
    pub updated: (u64, u64),
    pub updated_per_child: HashMap<String, (u64, u64)>,
}

/// The counts for `scope`'s subtree: the standings kept at write time
/// (`standing::keep`) for each document's judged period, counted by carrying unit in the
/// database, and the standings of the current period that exist.
pub async fn counts(
    db: &Db,
    scope: &unit::Model,
    narrowing: &Narrowing,
    today: Day,
) -> Outcome<IndicatorCounts> {
    let mut documents = document::Entity::find().filter(
        document::Column::Id.in_subquery(
            Query::select()
                .distinct()
                .column(indicator::Column::DocumentId)
                .from(indicator::Entity)
                .to_owned(),
        ),
    );
    if let Some(document) = narrowing.document {
        documents = documents.filter(document::Column::Id.eq(document));
    }
    // The documents judged on each period today, by the period they are in (most share
    // their cycle).
    let mut judged: BTreeMap<(String, String), Vec<i32>> = BTreeMap::new();
    for document in documents.all(&db.read).await? {
        let (cycle, cut_off_day) = document.reporting();
        judged
            .entry((
                judged_period(cycle, cut_off_day, today).code(),
                Period::containing(cycle, today).code(),
            ))
            .or_default()
            .push(document.id);
    }
    let children: HashMap<String, String> = unit::Entity::find()
        .select_only()
        .columns([unit::Column::Path, unit::Column::Code])
        .filter(unit::Column::ParentId.eq(scope.id))
        .into_tuple::<(String, String)>()
        .all(&db.read)
        .await?
        .into_iter()
        .collect();
    let mut counts = IndicatorCounts::default();
    for ((period, current), documents) in judged {
        let mut query = Query::select();
        query
            .column((indicator::Entity, indicator::Column::UnitPath))
            .column((
                indicator_standing::Entity,
                indicator_standing::Column::Status,
            ))
            .expr_as(
                Expr::col(sea_orm::sea_query::Asterisk).count(),
                Alias::new("n"),
            )
            .expr_as(
                Expr::col((Alias::new("cur"), indicator_standing::Column::IndicatorId)).count(),
                Alias::new("updated"),
            )
            .from(indicator::Entity)
            .join(
                JoinType::LeftJoin,
                indicator_standing::Entity,
                Expr::col((
                    indicator_standing::Entity,
                    indicator_standing::Column::IndicatorId,
                ))
                .equals((indicator::Entity, indicator::Column::Id))
                .and(
                    Expr::col((
                        indicator_standing::Entity,
                        indicator_standing::Column::Period,
                    ))
                    .eq(period.as_str()),
                ),
            )
            .join_as(
                JoinType::LeftJoin,
                indicator_standing::Entity,
                Alias::new("cur"),
                Expr::col((Alias::new("cur"), indicator_standing::Column::IndicatorId))
                    .equals((indicator::Entity, indicator::Column::Id))
                    .and(
                        Expr::col((Alias::new("cur"), indicator_standing::Column::Period))
                            .eq(current.as_str()),
                    ),
            )
            .cond_where(path_in_range(
                (indicator::Entity, indicator::Column::UnitPath),
                &scope.path,
            ))
            .and_where(
                Expr::col((indicator::Entity, indicator::Column::DocumentId)).is_in(documents),
            )
            .and_where(
                Expr::col((indicator::Entity, indicator::Column::Classification))
                    .lte(narrowing.clearance),
            )
            .group_by_col((indicator::Entity, indicator::Column::UnitPath))
            .group_by_col((
                indicator_standing::Entity,
                indicator_standing::Column::Status,
            ));
        if let Some(level) = narrowing.classification {
            query.and_where(
                Expr::col((indicator::Entity, indicator::Column::Classification)).eq(level),
            );
        }
        for row in db.read.query_all(&query).await? {
            let path: String = row.try_get("", "unit_path")?;
            let status: Option<String> = row.try_get("", "status")?;
            let n: i64 = row.try_get("", "n")?;
            let updated: i64 = row.try_get("", "updated")?;
            let status = status
                .and_then(|s| s.parse().ok())
                .unwrap_or(IndicatorStatus::NoData);
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            let add = |figures: &mut (u64, u64)| {
                figures.0 += u64::from(n);
                figures.1 += updated.unsigned_abs();
            };
            counts.total.add_many(status, n);
            add(&mut counts.updated);
            if let Some(child) = child_path(&scope.path, &path).and_then(|p| children.get(p)) {
                counts
                    .per_child
                    .entry(child.clone())
                    .or_default()
                    .add_many(status, n);
                add(counts.updated_per_child.entry(child.clone()).or_default());
            }
        }
    }
    Ok(counts)
}

/// The path of the unit directly below `scope` on the way to `path`: `/1/15/` for
/// `/1/15/200/` under `/1/`; `None` for the scope itself.
pub(crate) fn child_path<'a>(scope: &str, path: &'a str) -> Option<&'a str> {
    let rest = path.strip_prefix(scope)?;
    let end = scope.len() + rest.find('/')? + 1;
    path.get(..end)
}

#[cfg(test)]
mod tests {
    use super::child_path;

    #[test]
    fn the_child_on_the_way_down() {
        assert_eq!(child_path("/1/", "/1/15/200/"), Some("/1/15/"));
        assert_eq!(child_path("/1/", "/1/15/"), Some("/1/15/"));
        assert_eq!(child_path("/1/", "/1/"), None);
        assert_eq!(child_path("/1/15/", "/1/16/"), None);
    }
}
