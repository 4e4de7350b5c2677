//! Where units stand: each indicator's current values by period, and the values rolled up
//! from the units below by the indicator's rule.

use super::super::db::Db;
use super::super::entity::{
    document, indicator, indicator_milestone, indicator_standing, indicator_value,
};
use super::super::work::Outcome;
use super::{by_indicator, milestones_of, plan_of, thresholds_of};
use crate::model::indicator::{RollUp, Standing, ValueState, roll_up};
use crate::model::period::Period;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use std::collections::{BTreeSet, HashMap};

/// The current values (sent, and not returned or replaced) a query of values finds.
pub(super) async fn current_values(
    db: &impl ConnectionTrait,
    query: sea_orm::Select<indicator_value::Entity>,
) -> Outcome<Vec<indicator_value::Model>> {
    Ok(query
        .filter(indicator_value::Column::State.is_in([
            ValueState::Submitted.as_str(),
            ValueState::Accepted.as_str(),
        ]))
        .all(db)
        .await?)
}

/// Some indicators with every copy below them, and their current values (sent and not
/// returned or replaced).
pub(super) struct Tree {
    nodes: HashMap<i32, indicator::Model>,
    children: HashMap<i32, Vec<i32>>,
    /// `(indicator, period)` → `(value, weight)`.
    current: HashMap<(i32, String), (f64, Option<f64>)>,
}

impl Tree {
    /// `models` and their copies below, with their values for `period` (every period
    /// when `None`).
    pub(super) async fn load(
        db: &impl ConnectionTrait,
        models: &[indicator::Model],
        period: Option<&str>,
    ) -> Outcome<Tree> {
        let roots: BTreeSet<i32> = models.iter().map(|m| m.root_id.unwrap_or(m.id)).collect();
        let under = |node: &indicator::Model| {
            models.iter().any(|m| {
                m.root_id.unwrap_or(m.id) == node.root_id.unwrap_or(node.id)
                    && node.unit_path.starts_with(&m.unit_path)
            })
        };
        let nodes: HashMap<i32, indicator::Model> = indicator::Entity::find()
            .filter(
                Condition::any()
                    .add(indicator::Column::Id.is_in(roots.iter().copied()))
                    .add(indicator::Column::RootId.is_in(roots.iter().copied())),
            )
            .order_by_asc(indicator::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .filter(|node| under(node))
            .map(|node| (node.id, node))
            .collect();
        let mut query = indicator_value::Entity::find()
            .filter(indicator_value::Column::IndicatorId.is_in(nodes.keys().copied()));
        if let Some(period) = period {
            query = query.filter(indicator_value::Column::Period.eq(period));
        }
        let values = current_values(db, query).await?;
        Ok(Tree::of(nodes, values))
    }

    /// A tree of these indicators (an indicator's copies below are among them, or it has
    /// none here) and their current values.
    pub(super) fn of(
        nodes: HashMap<i32, indicator::Model>,
        values: Vec<indicator_value::Model>,
    ) -> Tree {
        let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
        for node in nodes.values() {
            if let Some(parent) = node.parent_id.filter(|p| nodes.contains_key(p)) {
                children.entry(parent).or_default().push(node.id);
            }
        }
        for list in children.values_mut() {
            list.sort_unstable();
        }
        let current = values
            .into_iter()
            .map(|v| ((v.indicator_id, v.period), (v.value, v.weight)))
            .collect();
        Tree {
            nodes,
            children,
            current,
        }
    }

    pub(super) fn children_of(&self, id: i32) -> impl Iterator<Item = &indicator::Model> {
        self.children
            .get(&id)
            .into_iter()
            .flatten()
            .filter_map(|child| self.nodes.get(child))
    }

    /// The periods any indicator of the tree has a value for.
    pub(super) fn periods(&self) -> impl Iterator<Item = &str> {
        self.current
            .keys()
            .map(|(_, period)| period.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
    }

    /// The indicator's own value for the period, and the value rolled up from the units
    /// below (by its rule; `None` when it does not roll up or nobody below reported).
    pub(super) fn values(&self, id: i32, period: &str) -> (Option<f64>, Option<f64>) {
        let own = self
            .current
            .get(&(id, period.to_owned()))
            .map(|&(value, _)| value);
        (own, self.rolled_up(id, period).map(|(value, _)| value))
    }

    /// `(value, weight)` from the units below; a unit without its own value counts by
    /// its own units below, weighing what they weigh together.
    fn rolled_up(&self, id: i32, period: &str) -> Option<(f64, f64)> {
        let rule: RollUp = self.nodes.get(&id)?.roll_up.parse().ok()?;
        let values: Vec<(f64, f64)> = self
            .children
            .get(&id)?
            .iter()
            .filter_map(|&child| self.effective(child, period))
            .collect();
        let value = roll_up(rule, &values)?;
        Some((value, values.iter().map(|(_, weight)| weight).sum()))
    }

    fn effective(&self, id: i32, period: &str) -> Option<(f64, f64)> {
        match self.current.get(&(id, period.to_owned())) {
            Some(&(value, weight)) => Some((value, weight.unwrap_or(1.0))),
            None => self.rolled_up(id, period),
        }
    }
}

impl Tree {
    /// Where `model` (a node of the tree) stands in `period` against its plan.
    pub(super) fn standing(
        &self,
        model: &indicator::Model,
        milestones: &[indicator_milestone::Model],
        period: Period,
    ) -> Standing {
        let plan = plan_of(model, milestones);
        let (own, below) = self.values(model.id, &period.code());
        Standing::of(&plan, thresholds_of(model), period, own, below)
    }
}

/// Keeps the standings of `model` and of the copies above it for `period` after a value
/// of `model` for it changed, in the writer's transaction: the copies above roll it up.
pub(super) async fn keep(
    txn: &DatabaseTransaction,
    model: &indicator::Model,
    period: Period,
) -> Outcome<()> {
    let root_id = model.root_id.unwrap_or(model.id);
    let Some(root) = indicator::Entity::find_by_id(root_id).one(txn).await? else {
        return Ok(());
    };
    let code = period.code();
    let tree = Tree::load(txn, std::slice::from_ref(&root), Some(&code)).await?;
    let mut chain = Vec::new();
    let mut next = Some(model.id);
    while let Some(node) = next.and_then(|id| tree.nodes.get(&id)) {
        chain.push(node);
        next = node.parent_id;
    }
    let milestones = by_indicator(milestones_of(txn, chain.iter().map(|n| n.id)).await?);
    for node in chain {
        let standing = tree.standing(
            node,
            milestones.get(&node.id).map_or(&[], Vec::as_slice),
            period,
        );
        match row(node.id, &standing) {
            Some(row) => {
                indicator_standing::Entity::insert(row)
                    .on_conflict(
                        OnConflict::columns([
                            indicator_standing::Column::IndicatorId,
                            indicator_standing::Column::Period,
                        ])
                        .update_columns([
                            indicator_standing::Column::Value,
                            indicator_standing::Column::RolledUp,
                            indicator_standing::Column::Achievement,
                            indicator_standing::Column::Status,
                        ])
                        .to_owned(),
                    )
                    .exec(txn)
                    .await?;
            }
            None => {
                indicator_standing::Entity::delete_by_id((node.id, code.clone()))
                    .exec(txn)
                    .await?;
            }
        }
    }
    Ok(())
}

/// The row kept for a standing; none when nothing stands (no data).
fn row(indicator_id: i32, standing: &Standing) -> Option<indicator_standing::ActiveModel> {
    Some(indicator_standing::ActiveModel {
        indicator_id: Set(indicator_id),
        period: Set(standing.period.code()),
        value: Set(standing.value?),
        rolled_up: Set(standing.rolled_up),
        achievement: Set(standing.achievement),
        status: Set(standing.status.as_str().to_owned()),
    })
}

/// Recounts the standings of one document's indicators (or of all) from their values, in
/// the caller's transaction: after a bulk load, or for a database that had values before
/// standings were kept.
pub async fn rebuild(txn: &DatabaseTransaction, document_id: Option<i32>) -> Outcome<()> {
    let ids = || {
        let mut ids = Query::select();
        ids.column(indicator::Column::Id).from(indicator::Entity);
        if let Some(document_id) = document_id {
            ids.and_where(Expr::col(indicator::Column::DocumentId).eq(document_id));
        }
        ids
    };
    indicator_standing::Entity::delete_many()
        .filter(indicator_standing::Column::IndicatorId.in_subquery(ids()))
        .exec(txn)
        .await?;
    let mut query = indicator::Entity::find();
    let mut documents = document::Entity::find();
    if let Some(document_id) = document_id {
        query = query.filter(indicator::Column::DocumentId.eq(document_id));
        documents = documents.filter(document::Column::Id.eq(document_id));
    }
    let cycles: HashMap<i32, crate::model::period::Cycle> = documents
        .all(txn)
        .await?
        .iter()
        .map(|d| (d.id, d.reporting().0))
        .collect();
    let models: Vec<indicator::Model> = query.all(txn).await?;
    let milestones = by_indicator(
        indicator_milestone::Entity::find()
            .filter(indicator_milestone::Column::IndicatorId.in_subquery(ids()))
            .order_by_asc(indicator_milestone::Column::DueOn)
            .all(txn)
            .await?,
    );
    let values = current_values(
        txn,
        indicator_value::Entity::find()
            .filter(indicator_value::Column::IndicatorId.in_subquery(ids())),
    )
    .await?;
    let tree = Tree::of(models.iter().map(|m| (m.id, m.clone())).collect(), values);
    let codes: Vec<String> = tree.periods().map(str::to_owned).collect();
    let mut rows = Vec::new();
    for model in &models {
        let Some(&cycle) = cycles.get(&model.document_id) else {
            continue;
        };
        for code in &codes {
            let Some(period) = Period::parse(cycle, code) else {
                continue;
            };
            let standing = tree.standing(
                model,
                milestones.get(&model.id).map_or(&[], Vec::as_slice),
                period,
            );
            rows.extend(row(model.id, &standing));
        }
    }
    for chunk in rows.chunks(1000) {
        indicator_standing::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Fills the standings of a database that had values before they were kept (each
/// current value has its indicator's standing for its period). Changes nothing otherwise.
pub async fn fill_missing(db: &Db) -> Outcome<()> {
    let missing = Query::select()
        .expr(Expr::val(1))
        .from_as(indicator_value::Entity, "v")
        .and_where(Expr::col(("v", indicator_value::Column::State)).is_in([
            ValueState::Submitted.as_str(),
            ValueState::Accepted.as_str(),
        ]))
        .and_where(
            Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from_as(indicator_standing::Entity, "s")
                    .and_where(
                        Expr::col(("s", indicator_standing::Column::IndicatorId))
                            .equals(("v", indicator_value::Column::IndicatorId)),
                    )
                    .and_where(
                        Expr::col(("s", indicator_standing::Column::Period))
                            .equals(("v", indicator_value::Column::Period)),
                    )
                    .to_owned(),
            )
            .not(),
        )
        .limit(1)
        .to_owned();
    if db.read.query_one(&missing).await?.is_none() {
        return Ok(());
    }
    let txn = db.begin_write().await?;
    rebuild(&txn, None).await?;
    txn.commit().await?;
    Ok(())
}

/// Whether the kept standings equal a recount from the values: for tests. Changes
/// nothing.
pub async fn consistent(db: &Db) -> Outcome<bool> {
    let read = || {
        indicator_standing::Entity::find()
            .order_by_asc(indicator_standing::Column::IndicatorId)
            .order_by_asc(indicator_standing::Column::Period)
    };
    let txn = db.write.begin().await?;
    let kept = read().all(&txn).await?;
    rebuild(&txn, None).await?;
    let recounted = read().all(&txn).await?;
    txn.rollback().await?;
    Ok(kept == recounted)
}
