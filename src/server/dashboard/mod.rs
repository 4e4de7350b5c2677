//! Dashboards: the figures of every task led in one unit's subtree, within the viewer's
//! reach and clearance, split by document and by child unit, with the weekly trend and
//! the nearest and most overdue deadlines.
//!
//! The figures come from the roll-up tallies (`tallies`), which triggers keep exact in
//! every write transaction: a national dashboard over a million tasks reads a few
//! thousand tally rows instead of the tasks themselves.

pub mod freshness;

use super::access::{Reader, Shown, View, visible_documents};
use super::charts;
use super::db::Db;
use super::documents::unaudited_rows_in_order;
use super::entity::{document, task, unit};
use super::generation::{self, Kept};
use super::tallies::{self, GroupBy, MarkedGroup, Narrowing, TallyGroup};
use super::work::{Outcome, to_naive, today, unit_ref};
use crate::model::dashboard::{
    ChildFigures, ChildSort, DEADLINE_LIST, Dashboard, DashboardFilter, DocumentFigures,
    FeedbackSummary, Figures, Freshness, TREND_WEEKS, TREND_WEEKS_MAX, TrendChart, TrendWeek,
    quiet_days, trend, week_of,
};
use crate::model::indicator::StatusCounts;
use crate::model::task::{DocumentRef, TaskStatus};
use crate::model::time::Day;
use crate::model::{AppError, Classification, Problem, UnitLevel};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Statuses of tasks still to be done: the ones that can be overdue.
const OPEN: [TaskStatus; 3] = [
    TaskStatus::NotStarted,
    TaskStatus::InProgress,
    TaskStatus::Returned,
];

/// What dashboards keep between writes (see `generation`): the documents counted in a
/// scope, by unit and clearance; the figures of a scope, by unit, narrowing and day; and
/// whole dashboards, by the reader's view and unit, the unit asked for, filter and day.
#[derive(Debug)]
pub struct KeptFigures {
    counted: Kept<(i32, i16), Vec<i32>>,
    figured: Kept<(i32, Narrowing, Day), Figured>,
    seen: Kept<SeenKey, Option<SeenDashboard>>,
}

/// The reader's view and unit (the dashboard shown when no unit is asked for), the unit
/// asked for, the filter and the day.
type SeenKey = (View, i32, Option<String>, DashboardFilter, Day);

/// A dashboard as readers of one view see it, with the classified records it names (the
/// audit records them each time it is shown).
#[derive(Debug)]
struct SeenDashboard {
    dashboard: Dashboard,
    shown: Vec<Shown>,
}

impl Default for KeptFigures {
    fn default() -> Self {
        // A national or province entry holds a row per child unit (up to ~170): a few
        // tens of KB at most.
        KeptFigures {
            counted: Kept::new(4096),
            figured: Kept::new(256),
            seen: Kept::new(256),
        }
    }
}

/// The parts of a dashboard that follow from its scope, narrowing and day alone, whoever
/// looks: everything but the names read under the reader's own rule.
struct Figured {
    figures: Figures,
    /// The key tasks' figures.
    key: Figures,
    indicators: StatusCounts,
    freshness: Freshness,
    per_document: HashMap<i32, Figures>,
    /// In the official order.
    children: Vec<ChildFigures>,
    trend: Vec<TrendWeek>,
    trend_chart: TrendChart,
    /// The deadline lists' tasks, in order.
    nearest: Vec<i32>,
    most_overdue: Vec<i32>,
    feedback: FeedbackSummary,
}

/// The dashboard of the unit with `code` (the viewer's own when `None`), or `None` when
/// the viewer may not see that unit's dashboard.
pub async fn dashboard(
    db: &Db,
    reader: &Reader,
    code: Option<&str>,
    filter: &DashboardFilter,
) -> Outcome<Option<Dashboard>> {
    // Read before anything else, so that a change committed meanwhile is never kept as
    // current.
    let generation = generation::current(db).await?;
    let key = (
        View::of(reader),
        reader.unit_id,
        code.map(str::to_owned),
        filter.clone(),
        today(),
    );
    let seen = db
        .kept
        .dashboards
        .seen
        .get_or_read(generation, key, || {
            read_dashboard(db, reader, code, filter, generation)
        })
        .await?;
    let Some(seen) = seen.as_ref() else {
        return Ok(None);
    };
    super::access::audit_reads(db, reader, seen.shown.iter().copied()).await?;
    Ok(Some(seen.dashboard.clone()))
}

async fn read_dashboard(
    db: &Db,
    reader: &Reader,
    code: Option<&str>,
    filter: &DashboardFilter,
    generation: Option<i64>,
) -> Outcome<Option<SeenDashboard>> {
    let Some(scope) = overseen_unit(db, reader, code).await? else {
        return Ok(None);
    };
    let clearance = Classification::from_rank(reader.clearance).unwrap_or(Classification::Public);
    let kept = &db.kept.dashboards;
    let counted_documents = kept
        .counted
        .get_or_read(generation, (scope.id, reader.clearance), || {
            tallies::documents_of(db, scope.id, reader.clearance)
        })
        .await?;
    let narrowing = narrowing(db, reader, filter, clearance, &counted_documents).await?;
    let quiet = quiet_days(filter.quiet.as_deref())?;
    let today = today();
    let figured = kept
        .figured
        .get_or_read(generation, (scope.id, narrowing.clone(), today), || {
            read_figures(db, &scope, &narrowing, today)
        })
        .await?;

    // The lists' rows and the way back are read under the reader's own rule.
    let listed: Vec<i32> = figured
        .nearest
        .iter()
        .chain(&figured.most_overdue)
        .copied()
        .collect();
    let (rows, trail) = tokio::try_join!(
        unaudited_rows_in_order(db, reader, &listed),
        trail(db, reader, &scope),
    )?;
    let mut shown: Vec<Shown> = rows
        .iter()
        .map(|t| ("task", t.id, t.classification.rank()))
        .collect();
    let (nearest, most_overdue) = rows
        .into_iter()
        .partition(|row| figured.nearest.contains(&row.id));
    let (documents, document_options) = named_documents(
        db,
        reader,
        &figured.per_document,
        &counted_documents,
        filter.document,
        &mut shown,
    )
    .await?;
    let mut children = figured.children.clone();
    if filter.sort != ChildSort::Name {
        // Stable: equal figures keep the official order.
        children.sort_by_key(|c| filter.sort.key(c));
    }
    if let Some(days) = quiet {
        children.retain(|c| c.freshness.quiet_for(days));
    }
    if filter.descending {
        children.reverse();
    }

    let dashboard = Dashboard {
        unit: unit_ref(&scope),
        trail,
        figures: figured.figures,
        key: figured.key,
        indicators: figured.indicators,
        freshness: figured.freshness,
        documents,
        children,
        nearest,
        most_overdue,
        trend: figured.trend.clone(),
        trend_chart: figured.trend_chart.clone(),
        document_options,
        clearance,
        feedback: figured.feedback.clone(),
    };
    Ok(Some(SeenDashboard { dashboard, shown }))
}

/// The unit with `code` (the reader's own when `None`), if the reader may look at its
/// work as a whole: its dashboard, its reporting periods.
pub(super) async fn overseen_unit(
    db: &Db,
    reader: &Reader,
    code: Option<&str>,
) -> Outcome<Option<unit::Model>> {
    let found = match code {
        Some(code) => {
            unit::Entity::find()
                .filter(unit::Column::Code.eq(code))
                .one(&db.read)
                .await?
        }
        None => {
            unit::Entity::find_by_id(reader.unit_id)
                .one(&db.read)
                .await?
        }
    };
    Ok(found.filter(|u| reader.oversees(&u.path)))
}

/// Reads the figures of the tasks led in `scope`'s subtree from the tallies.
async fn read_figures(
    db: &Db,
    scope: &unit::Model,
    narrowing: &Narrowing,
    today: Day,
) -> Outcome<Figured> {
    if narrowing.period.is_none() {
        tallies::roll_clock_to(db, today).await?;
    }

    // The trend: the chosen period's weeks (up to this week), or the last 26 weeks.
    let current = week_of(today);
    let (first, last) = match narrowing.period {
        Some((from, to)) => {
            let last = week_of(to).min(current);
            (
                week_of(from).max(last - TREND_WEEKS_MAX + 1).min(last),
                last,
            )
        }
        None => (current - TREND_WEEKS + 1, current),
    };
    let open = scope_condition(scope, narrowing)
        .add(task::Column::Status.is_in(OPEN.map(TaskStatus::as_str)));

    // The parts are independent: read them at once (on SQLite each takes a reader of
    // its own from the pool).
    let (
        (figures, key, per_document),
        mut children,
        indicators,
        (mut freshness, fresh_below),
        weekly,
        overdue_in_any_period,
        nearest,
        most_overdue,
        feedback,
    ) = tokio::try_join!(
        document_figures(db, scope.id, narrowing, today),
        child_figures(db, scope, narrowing, today),
        super::indicators::figures::counts(db, scope, narrowing, today),
        freshness::read(db, scope, narrowing, today),
        tallies::weekly(db, scope.id, narrowing, last),
        async {
            match narrowing.period {
                Some(_) => overdue_now(db, scope.id, narrowing, today).await.map(Some),
                None => Ok(None),
            }
        },
        deadline_list(
            db,
            open.clone().add(task::Column::DueOn.gte(to_naive(today))),
        ),
        deadline_list(
            db,
            open.clone().add(task::Column::DueOn.lt(to_naive(today)))
        ),
        feedback_summary(db, scope),
    )?;
    // Within a period the headline counts only the period's tasks; the trend counts every
    // task of the scope, so its figure for today comes from all of them.
    let overdue_today = overdue_in_any_period.unwrap_or(figures.overdue);
    let trend = trend(&weekly, first, last, current, overdue_today);
    let trend_chart = charts::trend_svg(&trend);
    (freshness.indicators, freshness.indicators_updated) = indicators.updated;
    for child in &mut children {
        let code = &child.unit.code;
        child.indicators = indicators.per_child.get(code).copied().unwrap_or_default();
        child.freshness = fresh_below.get(code).copied().unwrap_or_default();
        (
            child.freshness.indicators,
            child.freshness.indicators_updated,
        ) = indicators
            .updated_per_child
            .get(code)
            .copied()
            .unwrap_or_default();
    }
    Ok(Figured {
        figures,
        key,
        indicators: indicators.total,
        freshness,
        per_document,
        children,
        trend,
        trend_chart,
        nearest,
        most_overdue,
        feedback,
    })
}

/// Feedback handled in the scope: the items assigned to its subtree (for the centre,
/// every item, including those nobody has been given yet), by category and by child.
async fn feedback_summary(db: &Db, scope: &unit::Model) -> Outcome<FeedbackSummary> {
    let mut children: Vec<unit::Model> = unit::Entity::find()
        .filter(unit::Column::ParentId.eq(scope.id))
        .all(&db.read)
        .await?;
    children.sort_by_key(|u| (u.level == UnitLevel::Agency.as_str(), u.code.clone()));
    let paths: Vec<String> = children.iter().map(|c| c.path.clone()).collect();
    let whole_country = scope.level == UnitLevel::Central.as_str();
    let counted = super::feedback::figures(db, &scope.path, whole_country, &paths).await?;
    Ok(FeedbackSummary {
        total: counted.total,
        by_category: counted.by_category,
        by_unit: children
            .iter()
            .zip(counted.by_unit)
            .filter(|(_, figures)| figures.received > 0)
            .map(|(unit, figures)| (unit_ref(unit), figures))
            .collect(),
    })
}

/// The headline figures, the key tasks' figures and the figures per document (by id).
async fn document_figures(
    db: &Db,
    unit: i32,
    narrowing: &Narrowing,
    today: Day,
) -> Outcome<(Figures, Figures, HashMap<i32, Figures>)> {
    let units = [unit];
    let (groups, marked) = tokio::try_join!(
        tallies::groups(db, &units, GroupBy::Document, narrowing, today),
        tallies::marked(db, &units, GroupBy::Document, narrowing, today),
    )?;
    let mut figures = Figures::default();
    let mut key = Figures::default();
    let mut per_document: HashMap<i32, Figures> = HashMap::new();
    for group in groups {
        add(&mut figures, &group);
        add(per_document.entry(group.id).or_default(), &group);
    }
    for group in marked {
        add_marked(&mut figures, &mut key, &group);
        add_marked(
            per_document.entry(group.id).or_default(),
            &mut Figures::default(),
            &group,
        );
    }
    Ok((figures, key, per_document))
}

/// The documents a dashboard names, read once (and added to `shown`), by code: those with
/// figures, each with its figures; and the ones it may be narrowed to, those with tasks in
/// the unit's subtree that the reader may see and the one chosen (already checked).
async fn named_documents(
    db: &Db,
    reader: &Reader,
    per_document: &HashMap<i32, Figures>,
    counted: &[i32],
    chosen: Option<i32>,
    shown: &mut Vec<Shown>,
) -> Outcome<(Vec<DocumentFigures>, Vec<DocumentRef>)> {
    let offered = |id: i32| counted.contains(&id) || chosen == Some(id);
    let mut ids: Vec<i32> = counted.iter().copied().chain(chosen).collect();
    ids.extend(per_document.keys().filter(|id| !offered(**id)));
    let mut refs = document_refs(db, reader, ids, shown).await?;
    refs.sort_by(|a, b| a.code.cmp(&b.code));
    let documents = refs
        .iter()
        .filter_map(|document| {
            Some(DocumentFigures {
                figures: *per_document.get(&document.id)?,
                document: document.clone(),
            })
        })
        .collect();
    let options = refs.into_iter().filter(|d| offered(d.id)).collect();
    Ok((documents, options))
}

/// The units directly below, each with its figures, in the official order.
async fn child_figures(
    db: &Db,
    scope: &unit::Model,
    narrowing: &Narrowing,
    today: Day,
) -> Outcome<Vec<ChildFigures>> {
    let mut units: Vec<unit::Model> = unit::Entity::find()
        .filter(unit::Column::ParentId.eq(scope.id))
        .all(&db.read)
        .await?;
    // Provinces (or communes) first, in their official order; central bodies after them.
    units.sort_by_key(|u| (u.level == UnitLevel::Agency.as_str(), u.code.clone()));
    let ids: Vec<i32> = units.iter().map(|c| c.id).collect();
    let (groups, marked) = tokio::try_join!(
        tallies::groups(db, &ids, GroupBy::Unit, narrowing, today),
        tallies::marked(db, &ids, GroupBy::Unit, narrowing, today),
    )?;
    let mut per_child: HashMap<i32, Figures> = HashMap::new();
    for group in groups {
        add(per_child.entry(group.id).or_default(), &group);
    }
    for group in marked {
        add_marked(
            per_child.entry(group.id).or_default(),
            &mut Figures::default(),
            &group,
        );
    }
    Ok(units
        .iter()
        .map(|unit| ChildFigures {
            unit: unit_ref(unit),
            figures: per_child.get(&unit.id).copied().unwrap_or_default(),
            indicators: StatusCounts::default(),
            freshness: Freshness::default(),
        })
        .collect())
}

fn add(figures: &mut Figures, group: &TallyGroup) {
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    figures.add(
        group.status.parse().unwrap_or(TaskStatus::NotStarted),
        count(group.tasks),
        count(group.progress_sum),
        count(group.overdue),
    );
}

/// Counts a group of marked tasks: its extended tasks into `figures`, its key tasks into
/// `key`.
fn add_marked(figures: &mut Figures, key: &mut Figures, group: &MarkedGroup) {
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    let status: TaskStatus = group.status.parse().unwrap_or(TaskStatus::NotStarted);
    if status == TaskStatus::Cancelled {
        return;
    }
    if group.extended != 0 {
        figures.extended += count(group.tasks);
    }
    if group.is_key != 0 {
        key.add(
            status,
            count(group.tasks),
            count(group.progress_sum),
            count(group.overdue),
        );
        if group.extended != 0 {
            key.extended += count(group.tasks);
        }
    }
}

/// Overdue today among all the scope's tasks of the document and classification chosen,
/// whatever their due period.
async fn overdue_now(db: &Db, unit: i32, narrowing: &Narrowing, today: Day) -> Outcome<u64> {
    tallies::roll_clock_to(db, today).await?;
    let all_periods = Narrowing {
        period: None,
        ..narrowing.clone()
    };
    let groups = tallies::groups(db, &[unit], GroupBy::Unit, &all_periods, today).await?;
    Ok(groups
        .iter()
        .map(|g| u64::try_from(g.overdue).unwrap_or(0))
        .sum())
}

/// Checks the filter against what the reader may choose. A document they cannot see, a
/// classification above their clearance or a malformed period is refused as bad input.
/// `counted` are the documents with tasks in the dashboard's scope.
async fn narrowing(
    db: &Db,
    reader: &Reader,
    filter: &DashboardFilter,
    clearance: Classification,
    counted: &[i32],
) -> Outcome<Narrowing> {
    let day = |field: &'static str, text: &Option<String>| -> Result<Option<Day>, AppError> {
        match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(text) => Day::parse(text)
                .map(Some)
                .ok_or_else(|| AppError::invalid(field, Problem::Malformed)),
        }
    };
    let from = day("from", &filter.from)?;
    let to = day("to", &filter.to)?;
    let period = match (from, to) {
        (None, None) => None,
        (from, to) => {
            let from = from.unwrap_or(Day::from_ymd(1970, 1, 1));
            let to = to.unwrap_or(Day::from_ymd(9999, 12, 31));
            if to < from {
                return Err(AppError::invalid("to", Problem::BeforeStart).into());
            }
            Some((from, to))
        }
    };
    let classification = match filter.classification {
        Some(level) if level > clearance => {
            return Err(AppError::invalid("classification", Problem::OutOfReach).into());
        }
        level => level.map(Classification::rank),
    };
    if let Some(id) = filter.document.filter(|id| !counted.contains(id)) {
        // A document without tasks here, chosen on a dashboard above: still fine if the
        // reader may see it (the figures are then zero).
        let visible = document::Entity::find_by_id(id)
            .filter(visible_documents(reader))
            .one(&db.read)
            .await?;
        if visible.is_none() {
            return Err(AppError::invalid("document", Problem::Unknown).into());
        }
    }
    Ok(Narrowing {
        clearance: reader.clearance,
        document: filter.document,
        classification,
        period,
    })
}

/// The tasks a dashboard's lists show: led in the unit's subtree, narrowed as the
/// figures are.
///
/// The lists want the ten earliest due dates. A commune leads a few hundred tasks: its
/// id finds them on an index. A province or the country leads tens of thousands to a
/// million: there the lists walk the due-date index in order and stop at ten, so the
/// path is written in a form (`lead_path || ''`) that no index on the path can serve,
/// or the planner would collect and sort the whole subtree.
fn scope_condition(scope: &unit::Model, narrowing: &Narrowing) -> Condition {
    use sea_orm::sea_query::ExprTrait;
    let mut condition = Condition::all();
    if scope.level == UnitLevel::Commune.as_str() {
        condition = condition.add(task::Column::LeadUnitId.eq(scope.id));
    } else if scope.parent_id.is_some() {
        let path = || Expr::cust(r#"("tasks"."lead_path" || '')"#);
        condition = condition
            .add(path().gte(scope.path.as_str()))
            .add(path().lt(format!("{}:", scope.path)));
    }
    condition = condition.add(task::Column::Classification.lte(narrowing.clearance));
    if let Some(document) = narrowing.document {
        condition = condition.add(task::Column::DocumentId.eq(document));
    }
    if let Some(level) = narrowing.classification {
        condition = condition.add(task::Column::Classification.eq(level));
    }
    if let Some((from, to)) = narrowing.period {
        condition = condition
            .add(task::Column::DueOn.gte(to_naive(from)))
            .add(task::Column::DueOn.lte(to_naive(to)));
    }
    condition
}

/// A short list of open tasks, the earliest due first, read on an index.
async fn deadline_list(db: &Db, condition: Condition) -> Outcome<Vec<i32>> {
    Ok(task::Entity::find()
        .select_only()
        .column(task::Column::Id)
        .filter(condition)
        .order_by(task::Column::DueOn, Order::Asc)
        .order_by(task::Column::Id, Order::Asc)
        .limit(DEADLINE_LIST)
        .into_tuple()
        .all(&db.read)
        .await?)
}

/// The documents with these ids that the reader may see, as the dashboard names them.
/// The ids are of documents with tasks counted in a scope the reader may look at (or one
/// `narrowing` checked with the whole rule), so their subtree part of the access rule
/// holds already: only the clearance is left to check, which keeps a commune's dashboard
/// from testing every document against a million tasks.
pub(super) async fn document_refs(
    db: &Db,
    reader: &Reader,
    ids: Vec<i32>,
    shown: &mut Vec<Shown>,
) -> Outcome<Vec<DocumentRef>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let documents = document::Entity::find()
        .filter(document::Column::Id.is_in(ids))
        .filter(document::Column::Classification.lte(reader.clearance))
        .all(&db.read)
        .await?;
    shown.extend(
        documents
            .iter()
            .map(|d| ("document", d.id, d.classification)),
    );
    Ok(documents
        .into_iter()
        .map(|d| DocumentRef {
            id: d.id,
            code: d.code,
            title: d.title,
        })
        .collect())
}

/// The units above `scope` whose dashboards the viewer may open, the highest first.
async fn trail(
    db: &Db,
    reader: &Reader,
    scope: &unit::Model,
) -> Outcome<Vec<crate::model::UnitRef>> {
    let ids: Vec<i32> = migration::tallies::ancestors_on_path(&scope.path)
        .filter(|id| *id != scope.id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut above: Vec<unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(ids))
        .all(&db.read)
        .await?
        .into_iter()
        .filter(|u| reader.oversees(&u.path))
        .collect();
    above.sort_by_key(|u| u.path.len());
    Ok(above.iter().map(unit_ref).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_statuses_are_the_undone_ones() {
        for status in OPEN {
            assert!(!status.is_closed());
        }
    }
}
