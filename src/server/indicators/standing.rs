//! Where units stand: each indicator's current values by period, and the values rolled up
//! from the units below by the indicator's rule.

use super::super::entity::{indicator, indicator_value};
use super::super::work::Outcome;
use crate::model::indicator::{RollUp, ValueState, roll_up};
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
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
