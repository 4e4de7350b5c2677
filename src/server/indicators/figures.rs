//! Indicators on the dashboards: where the indicators carried in a unit's subtree stand,
//! counted for the unit and for each unit directly below it, within the reader's
//! clearance and the dashboard's filter (as the task figures are).

use super::standing::{Tree, current_values};
use super::{by_indicator, milestones_of, plan_of, thresholds_of};
use crate::model::indicator::{Standing, StatusCounts, judged_period};
use crate::model::period::Period;
use crate::model::time::Day;
use crate::server::access::path_in_range;
use crate::server::db::Db;
use crate::server::entity::{document, indicator, indicator_value, unit};
use crate::server::tallies::Narrowing;
use crate::server::work::Outcome;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeSet, HashMap};

/// The counts for `scope`'s subtree, and for each unit directly below it (by code).
pub async fn counts(
    db: &Db,
    scope: &unit::Model,
    narrowing: &Narrowing,
    today: Day,
) -> Outcome<(StatusCounts, HashMap<String, StatusCounts>)> {
    let mut query = indicator::Entity::find()
        .filter(path_in_range(
            (indicator::Entity, indicator::Column::UnitPath),
            &scope.path,
        ))
        .filter(indicator::Column::Classification.lte(narrowing.clearance));
    if let Some(document) = narrowing.document {
        query = query.filter(indicator::Column::DocumentId.eq(document));
    }
    if let Some(level) = narrowing.classification {
        query = query.filter(indicator::Column::Classification.eq(level));
    }
    let models = query.all(&db.read).await?;
    if models.is_empty() {
        return Ok(Default::default());
    }
    let document_ids: BTreeSet<i32> = models.iter().map(|m| m.document_id).collect();
    let judged: HashMap<i32, Period> = document::Entity::find()
        .filter(document::Column::Id.is_in(document_ids))
        .all(&db.read)
        .await?
        .iter()
        .map(|d| {
            let (cycle, cut_off_day) = d.reporting();
            (d.id, judged_period(cycle, cut_off_day, today))
        })
        .collect();
    let codes: BTreeSet<String> = judged.values().map(|p| p.code()).collect();
    let ids: Vec<i32> = models.iter().map(|m| m.id).collect();
    let (milestones, values, children) = tokio::try_join!(
        milestones_of(&db.read, ids.iter().copied()),
        current_values(
            &db.read,
            indicator_value::Entity::find()
                .filter(indicator_value::Column::IndicatorId.is_in(ids.iter().copied()))
                .filter(indicator_value::Column::Period.is_in(codes)),
        ),
        async {
            Ok(unit::Entity::find()
                .filter(unit::Column::ParentId.eq(scope.id))
                .all(&db.read)
                .await?)
        },
    )?;
    let milestones = by_indicator(milestones);
    let child_by_path: HashMap<&str, &str> = children
        .iter()
        .map(|c| (c.path.as_str(), c.code.as_str()))
        .collect();
    let tree = Tree::of(models.iter().map(|m| (m.id, m.clone())).collect(), values);
    let mut total = StatusCounts::default();
    let mut per_child: HashMap<String, StatusCounts> = HashMap::new();
    for model in &models {
        let Some(&period) = judged.get(&model.document_id) else {
            continue;
        };
        let plan = plan_of(model, milestones.get(&model.id).map_or(&[], Vec::as_slice));
        let (own, below) = tree.values(model.id, &period.code());
        let status = Standing::of(&plan, thresholds_of(model), period, own, below).status;
        total.add(status);
        if let Some(child) =
            child_path(&scope.path, &model.unit_path).and_then(|path| child_by_path.get(path))
        {
            per_child
                .entry((*child).to_owned())
                .or_default()
                .add(status);
        }
    }
    Ok((total, per_child))
}

/// The path of the unit directly below `scope` on the way to `path`: `/1/15/` for
/// `/1/15/200/` under `/1/`; `None` for the scope itself.
fn child_path<'a>(scope: &str, path: &'a str) -> Option<&'a str> {
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
