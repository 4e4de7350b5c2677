//! Indicators: a document's targets in numbers, assigned down the hierarchy (each unit
//! its own copy with its own baseline and milestones), the values units report for each
//! period of the document's cycle, their evaluation by the assigning unit, and where each
//! unit stands against its plan (`model::indicator`).

pub mod demo;
pub mod figures;
pub mod national;
pub mod standing;

use super::access::{Reader, View, audit_reads, visible_documents, visible_indicators};
use super::audit::{self, Action, Event};
use super::db::Db;
use super::entity::{
    document, indicator, indicator_milestone, indicator_value, indicator_value_file, unit,
};
use super::evidence::{EvidenceStore, StoredFile, Upload};
use super::supervision::notify::tell_indicator;
use super::work::{Failure, Outcome, classification_of, not_found, to_naive, today, unit_ref};
use crate::model::indicator::{
    Direction, IndicatorDetail, IndicatorRow, IndicatorSection, MEASURE_MAX, NAME_MAX, NOTE_MAX,
    Plan, RollUp, Standing, Thresholds, ValueRecord, ValueState, judged_period, number,
    plan_from_form,
};
use crate::model::notification::NotificationKind;
use crate::model::period::{Cycle, Period, Submission, SubmissionState};
use crate::model::task::{AttachmentView, DocumentRef, Verdict, check_text};
use crate::model::time::Day;
use crate::model::{AppError, Classification, Problem};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder,
};
use standing::Tree;
use std::collections::{HashMap, HashSet};

/// What a form says about a new indicator.
#[derive(Clone, Debug, Default)]
pub struct IndicatorInput {
    pub name: String,
    pub measure: String,
    pub direction: String,
    pub baseline_year: String,
    pub baseline_value: String,
    /// `(date, value)` pairs as typed; empty pairs are skipped.
    pub milestones: Vec<(String, String)>,
    pub roll_up: String,
    pub weight_name: String,
    pub on_track: String,
    pub at_risk: String,
    pub data_source: String,
    pub classification: String,
}

/// A unit's own targets when an indicator is assigned to it.
#[derive(Clone, Debug, Default)]
pub struct AssignInput {
    pub unit: String,
    pub baseline_value: String,
    /// One value per milestone of the indicator assigned, in date order.
    pub milestones: Vec<String>,
}

/// A value for a period, as the report form sends it.
#[derive(Clone, Debug, Default)]
pub struct ValueInput {
    pub period: String,
    pub value: String,
    pub weight: String,
    pub source_note: String,
    /// Why a value of a closed period is corrected.
    pub reason: String,
    /// The newest value of the indicator the page showed (0 for none): a value sent for
    /// the period since then is a conflict, not something to overwrite unseen.
    pub seen: i32,
    /// Evidence files, checked and stored as a progress report's.
    pub files: Vec<Upload>,
}

fn parse_year(text: &str) -> Result<i32, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid("baseline_year", Problem::Required));
    }
    text.parse::<i32>()
        .ok()
        .filter(|year| (1900..=2100).contains(year))
        .ok_or_else(|| {
            AppError::invalid(
                "baseline_year",
                Problem::OutOfRange {
                    min: 1900,
                    max: 2100,
                },
            )
        })
}

/// The thresholds typed in a form; one left empty keeps its value in `unless_typed`.
fn thresholds_from_form(
    on_track: &str,
    at_risk: &str,
    unless_typed: Thresholds,
) -> Result<Thresholds, AppError> {
    let percent = |field: &str, text: &str, kept: f64| {
        if text.trim().is_empty() {
            Ok(kept)
        } else {
            number(field, text)
        }
    };
    let thresholds = Thresholds {
        on_track: percent("on_track", on_track, unless_typed.on_track)?,
        at_risk: percent("at_risk", at_risk, unless_typed.at_risk)?,
    };
    if !thresholds.is_valid() {
        return Err(AppError::invalid(
            "at_risk",
            Problem::OutOfRange { min: 0, max: 100 },
        ));
    }
    Ok(thresholds)
}

fn line(field: &str, text: &str, max: usize, required: bool) -> Result<String, AppError> {
    let text = check_text(field, text, max, required)?;
    if text.contains('\n') {
        return Err(AppError::invalid(field, Problem::Malformed));
    }
    Ok(text)
}

/// An indicator the reader may see.
pub async fn visible(
    db: &impl ConnectionTrait,
    reader: &Reader,
    id: i32,
) -> Outcome<Option<indicator::Model>> {
    Ok(indicator::Entity::find_by_id(id)
        .filter(visible_indicators(reader))
        .one(db)
        .await?)
}

/// Milestones by indicator, each indicator's in date order.
fn by_indicator(
    milestones: Vec<indicator_milestone::Model>,
) -> HashMap<i32, Vec<indicator_milestone::Model>> {
    let mut grouped: HashMap<i32, Vec<indicator_milestone::Model>> = HashMap::new();
    for milestone in milestones {
        grouped
            .entry(milestone.indicator_id)
            .or_default()
            .push(milestone);
    }
    grouped
}

/// The planned path of an indicator with its milestones (in date order).
fn plan_of(model: &indicator::Model, milestones: &[indicator_milestone::Model]) -> Plan {
    Plan {
        direction: model.direction.parse().unwrap_or(Direction::Higher),
        baseline: crate::model::indicator::PlanPoint {
            on: crate::model::indicator::baseline_day(model.baseline_year),
            value: model.baseline_value,
        },
        milestones: milestones
            .iter()
            .map(|m| crate::model::indicator::PlanPoint {
                on: super::work::from_naive(m.due_on),
                value: m.value,
            })
            .collect(),
    }
}

fn thresholds_of(model: &indicator::Model) -> Thresholds {
    Thresholds {
        on_track: model.on_track,
        at_risk: model.at_risk,
    }
}

async fn milestones_of(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Outcome<Vec<indicator_milestone::Model>> {
    Ok(indicator_milestone::Entity::find()
        .filter(indicator_milestone::Column::IndicatorId.is_in(ids))
        .order_by_asc(indicator_milestone::Column::DueOn)
        .all(db)
        .await?)
}

/// Creates a document's own indicator, carried by the owner unit. Leaders of the owner
/// unit only (as for the document's tasks). Returns its id.
pub async fn create(
    db: &Db,
    reader: &Reader,
    document_id: i32,
    input: &IndicatorInput,
) -> Outcome<i32> {
    let Some(document) = document::Entity::find_by_id(document_id)
        .filter(visible_documents(reader))
        .one(&db.read)
        .await?
    else {
        return not_found();
    };
    if !reader.leads(document.owner_unit_id) {
        return not_found();
    }
    let name = line("name", &input.name, NAME_MAX, true)?;
    let measure = line("measure", &input.measure, MEASURE_MAX, true)?;
    let direction: Direction = input
        .direction
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("direction", Problem::Unknown))?;
    let baseline_year = parse_year(&input.baseline_year)?;
    let plan = plan_from_form(
        direction,
        baseline_year,
        &input.baseline_value,
        &input.milestones,
    )?;
    let roll_up: RollUp = input
        .roll_up
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("roll_up", Problem::Unknown))?;
    let weight_name = line(
        "weight_name",
        &input.weight_name,
        MEASURE_MAX,
        roll_up == RollUp::WeightedMean,
    )?;
    let thresholds = thresholds_from_form(&input.on_track, &input.at_risk, Thresholds::default())?;
    let data_source = check_text("data_source", &input.data_source, NOTE_MAX, false)?;
    let classification: Classification = input
        .classification
        .parse()
        .map_err(|_| AppError::invalid("classification", Problem::Unknown))?;
    if classification.rank() < document.classification {
        return Err(AppError::invalid("classification", Problem::BelowDocument).into());
    }
    if classification.rank() > reader.clearance {
        return Err(AppError::invalid("classification", Problem::OutOfReach).into());
    }
    let owner = unit::Entity::find_by_id(document.owner_unit_id)
        .one(&db.read)
        .await?
        .ok_or(Failure::App(AppError::NotFound))?;
    let now = Utc::now();
    let txn = db.begin_write().await?;
    let created = indicator::ActiveModel {
        document_id: Set(document.id),
        parent_id: Set(None),
        root_id: Set(None),
        unit_id: Set(owner.id),
        unit_path: Set(owner.path.clone()),
        assigner_unit_id: Set(owner.id),
        assigner_path: Set(owner.path.clone()),
        name: Set(name),
        measure: Set(measure),
        direction: Set(direction.as_str().to_owned()),
        baseline_year: Set(baseline_year),
        baseline_value: Set(plan.baseline.value),
        roll_up: Set(roll_up.as_str().to_owned()),
        weight_name: Set(weight_name),
        on_track: Set(thresholds.on_track),
        at_risk: Set(thresholds.at_risk),
        data_source: Set(data_source),
        classification: Set(classification.rank()),
        version: Set(1),
        created_by: Set(reader.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_milestones(&txn, created.id, &plan).await?;
    audit_indicator(
        &txn,
        reader,
        &created,
        Action::IndicatorCreated,
        &created.name,
    )
    .await?;
    txn.commit().await?;
    Ok(created.id)
}

/// What the edit form says of a document's own indicator: what can change once units
/// carry it and report on it (its plan, measure and rule stay: the values sent are
/// numbers against them).
#[derive(Clone, Debug, Default)]
pub struct EditInput {
    /// The version the form was filled from: a change since then is a conflict.
    pub version: i32,
    pub name: String,
    pub on_track: String,
    pub at_risk: String,
    pub data_source: String,
}

/// Edits a document's own indicator and, with it, every copy assigned down the hierarchy
/// (one indicator, one name). New thresholds move where every unit stands. Leaders of the
/// carrying unit only, as for creating it. Returns its id.
pub async fn edit(db: &Db, reader: &Reader, id: i32, input: &EditInput) -> Outcome<i32> {
    let Some(model) = visible(&db.read, reader, id).await? else {
        return not_found();
    };
    if model.root_id.is_some() || !reader.leads(model.unit_id) {
        return not_found();
    }
    let name = line("name", &input.name, NAME_MAX, true)?;
    let thresholds = thresholds_from_form(&input.on_track, &input.at_risk, thresholds_of(&model))?;
    let data_source = check_text("data_source", &input.data_source, NOTE_MAX, false)?;
    let mut changed = Vec::new();
    if name != model.name {
        changed.push("name");
    }
    if thresholds != thresholds_of(&model) {
        changed.push("thresholds");
    }
    if data_source != model.data_source {
        changed.push("data_source");
    }
    let now = Utc::now();
    let txn = db.begin_write().await?;
    let fields = |update: sea_orm::UpdateMany<indicator::Entity>| {
        update
            .col_expr(indicator::Column::Name, Expr::value(name.clone()))
            .col_expr(indicator::Column::OnTrack, Expr::value(thresholds.on_track))
            .col_expr(indicator::Column::AtRisk, Expr::value(thresholds.at_risk))
            .col_expr(
                indicator::Column::DataSource,
                Expr::value(data_source.clone()),
            )
            .col_expr(
                indicator::Column::Version,
                Expr::col(indicator::Column::Version).add(1),
            )
            .col_expr(indicator::Column::UpdatedAt, Expr::value(now))
    };
    // Only from the version the form showed: someone else's edit is not overwritten.
    let edited = fields(indicator::Entity::update_many())
        .filter(indicator::Column::Id.eq(model.id))
        .filter(indicator::Column::Version.eq(input.version))
        .exec(&txn)
        .await?;
    if edited.rows_affected == 0 {
        return Err(AppError::Conflict.into());
    }
    fields(indicator::Entity::update_many())
        .filter(indicator::Column::RootId.eq(model.id))
        .exec(&txn)
        .await?;
    if changed.contains(&"thresholds") {
        standing::rebuild(&txn, Some(model.document_id)).await?;
    }
    audit_indicator(
        &txn,
        reader,
        &model,
        Action::IndicatorEdited,
        &changed.join(","),
    )
    .await?;
    txn.commit().await?;
    Ok(model.id)
}

async fn insert_milestones(txn: &DatabaseTransaction, id: i32, plan: &Plan) -> Outcome<()> {
    indicator_milestone::Entity::insert_many(plan.milestones.iter().map(|point| {
        indicator_milestone::ActiveModel {
            indicator_id: Set(id),
            due_on: Set(to_naive(point.on)),
            value: Set(point.value),
        }
    }))
    .exec(txn)
    .await?;
    Ok(())
}

async fn audit_indicator(
    txn: &DatabaseTransaction,
    reader: &Reader,
    model: &indicator::Model,
    action: Action,
    detail: &str,
) -> Outcome<()> {
    audit::record(
        txn,
        Event::new(action)
            .actor(Some(reader.user_id), &reader.username)
            .on("indicator", model.id)
            .detail(detail.to_owned())
            .classified(model.classification),
    )
    .await?;
    Ok(())
}

/// Assigns an indicator to a unit directly below the one carrying it, with that unit's
/// own baseline and milestone values (on the same dates). Officers and leaders of the
/// carrying unit, as they cascade its tasks. Returns the new copy's id.
pub async fn assign(db: &Db, reader: &Reader, id: i32, input: &AssignInput) -> Outcome<i32> {
    let Some(parent) = visible(&db.read, reader, id).await? else {
        return not_found();
    };
    if !reader.works_for(parent.unit_id) {
        return not_found();
    }
    let code = input.unit.trim();
    if code.is_empty() {
        return Err(AppError::invalid("unit", Problem::Required).into());
    }
    let Some(child) = unit::Entity::find()
        .filter(unit::Column::Code.eq(code))
        .one(&db.read)
        .await?
    else {
        return Err(AppError::invalid("unit", Problem::Unknown).into());
    };
    if child.parent_id != Some(parent.unit_id) {
        return Err(AppError::invalid("unit", Problem::OutOfReach).into());
    }
    let milestones = milestones_of(&db.read, [parent.id]).await?;
    let typed: Vec<(String, String)> = milestones
        .iter()
        .enumerate()
        .map(|(n, m)| {
            (
                super::work::from_naive(m.due_on).iso(),
                input.milestones.get(n).cloned().unwrap_or_default(),
            )
        })
        .collect();
    // Every milestone needs the unit's own value: a missing one is not skipped.
    if let Some(n) = typed.iter().position(|(_, value)| value.trim().is_empty()) {
        return Err(
            AppError::invalid(&format!("milestone_{}_value", n + 1), Problem::Required).into(),
        );
    }
    let direction: Direction = parent.direction.parse().unwrap_or(Direction::Higher);
    let plan = plan_from_form(
        direction,
        parent.baseline_year,
        &input.baseline_value,
        &typed,
    )?;
    let now = Utc::now();
    let txn = db.begin_write().await?;
    let copy = indicator::ActiveModel {
        document_id: Set(parent.document_id),
        parent_id: Set(Some(parent.id)),
        root_id: Set(Some(parent.root_id.unwrap_or(parent.id))),
        unit_id: Set(child.id),
        unit_path: Set(child.path.clone()),
        assigner_unit_id: Set(parent.unit_id),
        assigner_path: Set(parent.unit_path.clone()),
        name: Set(parent.name.clone()),
        measure: Set(parent.measure.clone()),
        direction: Set(parent.direction.clone()),
        baseline_year: Set(parent.baseline_year),
        baseline_value: Set(plan.baseline.value),
        roll_up: Set(parent.roll_up.clone()),
        weight_name: Set(parent.weight_name.clone()),
        on_track: Set(parent.on_track),
        at_risk: Set(parent.at_risk),
        data_source: Set(parent.data_source.clone()),
        classification: Set(parent.classification),
        version: Set(1),
        created_by: Set(reader.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    // A unit carries an indicator once (a unique index): a second assignment is a conflict.
    let copy = match copy.insert(&txn).await {
        Ok(copy) => copy,
        Err(error) if super::error::is_unique_violation(&error) => {
            return Err(AppError::invalid("unit", Problem::Taken).into());
        }
        Err(error) => return Err(error.into()),
    };
    insert_milestones(&txn, copy.id, &plan).await?;
    audit_indicator(&txn, reader, &copy, Action::IndicatorAssigned, &child.code).await?;
    txn.commit().await?;
    Ok(copy.id)
}

/// The indicator, if the reader may send its values: one they see, carried by their
/// unit. Anything else is "not found".
pub async fn reporting(db: &Db, reader: &Reader, id: i32) -> Outcome<indicator::Model> {
    match visible(&db.read, reader, id).await? {
        Some(model) if reader.works_for(model.unit_id) => Ok(model),
        _ => not_found(),
    }
}

/// The unit carrying an indicator sends its value for a period. Before the period's
/// cut-off a value not yet accepted is simply replaced; after it, or once accepted, the
/// period is closed: a new value is a correction, with a reason, recorded in the audit
/// trail. Every value sent stays in the list, with its evidence files.
pub async fn report(
    db: &Db,
    store: &EvidenceStore,
    reader: &Reader,
    id: i32,
    input: ValueInput,
) -> Outcome<()> {
    let model = reporting(db, reader, id).await?;
    let document = document::Entity::find_by_id(model.document_id)
        .one(&db.read)
        .await?
        .ok_or(Failure::App(AppError::NotFound))?;
    let (cycle, cut_off_day) = document.reporting();
    let period = Period::parse(cycle, &input.period).ok_or_else(|| {
        let problem = if input.period.trim().is_empty() {
            Problem::Required
        } else {
            Problem::Unknown
        };
        AppError::invalid("period", problem)
    })?;
    let today = today();
    if period.first_day() > today {
        return Err(AppError::invalid("period", Problem::PeriodNotBegun).into());
    }
    let value = number("value", &input.value)?;
    let weighed = model.parent_id.is_some() && model.roll_up == RollUp::WeightedMean.as_str();
    let weight = if weighed {
        let weight = number("weight", &input.weight)?;
        if weight <= 0.0 {
            return Err(AppError::invalid("weight", Problem::Malformed).into());
        }
        Some(weight)
    } else {
        None
    };
    let source_note = check_text("source_note", &input.source_note, NOTE_MAX, true)?;
    let reason = check_text("reason", &input.reason, NOTE_MAX, false)?;
    let code = period.code();
    let now = Utc::now();
    let stored = store.store_evidence(input.files).await?;
    let saved = save_value(
        db,
        reader,
        &model,
        Sent {
            period,
            code,
            value,
            weight,
            source_note,
            reason,
            closed_after: period.cut_off(cut_off_day),
            seen: input.seen,
            files: &stored,
            today,
        },
        now,
    )
    .await;
    if saved.is_err() {
        store.remove_all(&stored).await;
    }
    saved
}

/// A value checked by `report`, to save.
struct Sent<'a> {
    period: Period,
    code: String,
    value: f64,
    weight: Option<f64>,
    source_note: String,
    reason: String,
    /// The period's cut-off day.
    closed_after: Day,
    seen: i32,
    files: &'a [StoredFile],
    today: Day,
}

async fn save_value(
    db: &Db,
    reader: &Reader,
    model: &indicator::Model,
    sent_value: Sent<'_>,
    now: chrono::DateTime<Utc>,
) -> Outcome<()> {
    let Sent {
        period,
        code,
        value,
        weight,
        source_note,
        reason,
        closed_after,
        seen,
        files,
        today,
    } = sent_value;
    let id = model.id;
    let txn = db.begin_write().await?;
    let sent: Vec<indicator_value::Model> = indicator_value::Entity::find()
        .filter(indicator_value::Column::IndicatorId.eq(id))
        .filter(indicator_value::Column::Period.eq(code.as_str()))
        .all(&txn)
        .await?;
    if sent.iter().any(|v| v.id > seen) {
        return Err(AppError::Conflict.into());
    }
    let current = sent.iter().find(|v| {
        matches!(
            v.state.parse(),
            Ok(ValueState::Submitted | ValueState::Accepted)
        )
    });
    let closed =
        today > closed_after || current.is_some_and(|v| v.state == ValueState::Accepted.as_str());
    let corrects = match current {
        Some(current) if closed => {
            if reason.is_empty() {
                return Err(AppError::invalid("reason", Problem::Required).into());
            }
            Some(current)
        }
        _ => None,
    };
    if let Some(current) = current {
        let replaced = indicator_value::Entity::update_many()
            .col_expr(
                indicator_value::Column::State,
                Expr::value(ValueState::Replaced.as_str()),
            )
            .filter(indicator_value::Column::Id.eq(current.id))
            .filter(indicator_value::Column::State.eq(current.state.as_str()))
            .exec(&txn)
            .await?;
        if replaced.rows_affected == 0 {
            return Err(AppError::Conflict.into());
        }
    }
    let inserted = indicator_value::ActiveModel {
        indicator_id: Set(id),
        period: Set(code.clone()),
        value: Set(value),
        weight: Set(weight),
        source_note: Set(source_note),
        state: Set(ValueState::Submitted.as_str().to_owned()),
        reason: Set(if corrects.is_some() {
            reason
        } else {
            String::new()
        }),
        corrects_id: Set(corrects.map(|v| v.id)),
        submitted_by: Set(reader.user_id),
        submitted_at: Set(now),
        evaluated_by: Set(None),
        evaluated_at: Set(None),
        answer: Set(String::new()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    // Two officers sending at once: the partial unique index lets one through.
    let inserted = match inserted {
        Err(error) if super::error::is_unique_violation(&error) => {
            return Err(AppError::Conflict.into());
        }
        other => other?,
    };
    for file in files {
        indicator_value_file::ActiveModel {
            value_id: Set(inserted.id),
            file_name: Set(file.file_name.clone()),
            content_type: Set(file.content_type.to_owned()),
            size: Set(file.size),
            sha256: Set(file.sha256.clone()),
            storage_key: Set(file.storage_key.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    standing::keep(&txn, model, period).await?;
    super::dashboard::freshness::touched(
        &txn,
        model.unit_id,
        &model.unit_path,
        model.document_id,
        model.classification,
        today,
    )
    .await?;
    // The assigning unit's leaders have a value to decide.
    tell_indicator(
        &txn,
        NotificationKind::ValueAwaiting,
        model,
        reader.user_id,
        now,
    )
    .await?;
    if let Some(old) = corrects {
        audit_indicator(
            &txn,
            reader,
            model,
            Action::IndicatorValueCorrected,
            &format!("{code}: {} -> {value}", old.value),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A leader of the assigning unit accepts or returns (with an answer) a value waiting
/// for evaluation; nobody evaluates a value they sent. Returns the indicator's id.
pub async fn evaluate(
    db: &Db,
    reader: &Reader,
    value_id: i32,
    verdict: Verdict,
    answer: &str,
) -> Outcome<i32> {
    let Some(value) = indicator_value::Entity::find_by_id(value_id)
        .one(&db.read)
        .await?
    else {
        return not_found();
    };
    let Some(model) = visible(&db.read, reader, value.indicator_id).await? else {
        return not_found();
    };
    if !reader.leads(model.assigner_unit_id) {
        return not_found();
    }
    if value.submitted_by == reader.user_id {
        return Err(AppError::invalid("value", Problem::OwnReport).into());
    }
    let answer = check_text("answer", answer, NOTE_MAX, verdict == Verdict::Return)?;
    let state = match verdict {
        Verdict::Accept => ValueState::Accepted,
        Verdict::Return => ValueState::Returned,
    };
    let now = Utc::now();
    let txn = db.begin_write().await?;
    // Only a value still waiting: evaluated or replaced meanwhile, the page was outdated.
    let decided = indicator_value::Entity::update_many()
        .col_expr(indicator_value::Column::State, Expr::value(state.as_str()))
        .col_expr(
            indicator_value::Column::EvaluatedBy,
            Expr::value(reader.user_id),
        )
        .col_expr(indicator_value::Column::EvaluatedAt, Expr::value(now))
        .col_expr(indicator_value::Column::Answer, Expr::value(answer))
        .filter(indicator_value::Column::Id.eq(value_id))
        .filter(indicator_value::Column::State.eq(ValueState::Submitted.as_str()))
        .exec(&txn)
        .await?;
    if decided.rows_affected == 0 {
        return Err(AppError::Conflict.into());
    }
    if verdict == Verdict::Return {
        // A returned value no longer counts: where the unit and those above stand moves.
        let document = document::Entity::find_by_id(model.document_id)
            .one(&txn)
            .await?
            .ok_or(Failure::App(AppError::NotFound))?;
        if let Some(period) = Period::parse(document.reporting().0, &value.period) {
            standing::keep(&txn, &model, period).await?;
        }
    }
    let told = match verdict {
        Verdict::Accept => NotificationKind::ValueAccepted,
        Verdict::Return => NotificationKind::ValueReturned,
    };
    tell_indicator(&txn, told, &model, reader.user_id, now).await?;
    txn.commit().await?;
    Ok(model.id)
}

/// The rows of a list of indicators (all of one document), standing in `period`.
async fn rows(db: &Db, models: &[indicator::Model], period: Period) -> Outcome<Vec<IndicatorRow>> {
    if models.is_empty() {
        return Ok(Vec::new());
    }
    let tree = Tree::load(&db.read, models, Some(&period.code())).await?;
    let milestones = by_indicator(milestones_of(&db.read, models.iter().map(|m| m.id)).await?);
    let unit_ids: HashSet<i32> = models.iter().map(|m| m.unit_id).collect();
    let units: HashMap<i32, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(unit_ids))
        .all(&db.read)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(models
        .iter()
        .filter_map(|model| {
            let unit = units.get(&model.unit_id)?;
            let plan = plan_of(model, milestones.get(&model.id).map_or(&[], Vec::as_slice));
            let (own, below) = tree.values(model.id, &period.code());
            Some(IndicatorRow {
                id: model.id,
                name: model.name.clone(),
                measure: model.measure.clone(),
                unit: unit_ref(unit),
                baseline: plan.baseline,
                target: plan.target(),
                standing: Standing::of(&plan, thresholds_of(model), period, own, below),
                classification: classification_of(model.classification),
            })
        })
        .collect())
}

/// A document's indicators the reader sees, the topmost of them: for the centre the
/// document's own, for a province its copies. `None` when the document is not visible.
pub async fn section(
    db: &Db,
    reader: &Reader,
    document_id: i32,
) -> Outcome<Option<IndicatorSection>> {
    let generation = super::generation::current(db).await?;
    let seen = db
        .kept
        .indicator_sections
        .get_or_read(generation, (document_id, View::of(reader), today()), || {
            read_section(db, reader, document_id)
        })
        .await?;
    let Some((section, owner)) = seen.as_ref() else {
        return Ok(None);
    };
    let mut section = section.clone();
    section.can_create = reader.leads(*owner);
    audit_reads(
        db,
        reader,
        section
            .rows
            .iter()
            .map(|r| ("indicator", r.id, r.classification.rank())),
    )
    .await?;
    Ok(Some(section))
}

/// The section as readers of one view see it, and the document's owner unit.
async fn read_section(
    db: &Db,
    reader: &Reader,
    document_id: i32,
) -> Outcome<Option<(IndicatorSection, i32)>> {
    let Some(document) = document::Entity::find_by_id(document_id)
        .filter(visible_documents(reader))
        .one(&db.read)
        .await?
    else {
        return Ok(None);
    };
    let seen = indicator::Entity::find()
        .filter(indicator::Column::DocumentId.eq(document_id))
        .filter(visible_indicators(reader))
        .order_by_asc(indicator::Column::Id)
        .all(&db.read)
        .await?;
    let ids: HashSet<i32> = seen.iter().map(|m| m.id).collect();
    let topmost: Vec<indicator::Model> = seen
        .into_iter()
        .filter(|m| m.parent_id.is_none_or(|parent| !ids.contains(&parent)))
        .collect();
    let (cycle, cut_off_day) = document.reporting();
    let period = judged_period(cycle, cut_off_day, today());
    let rows = rows(db, &topmost, period).await?;
    let section = IndicatorSection {
        rows,
        can_create: false,
    };
    Ok(Some((section, document.owner_unit_id)))
}

/// `/indicators/{id}`, or `None` when the reader may not see it.
pub async fn detail(db: &Db, reader: &Reader, id: i32) -> Outcome<Option<IndicatorDetail>> {
    let generation = super::generation::current(db).await?;
    let seen = db
        .kept
        .indicators
        .get_or_read(generation, (id, View::of(reader), today()), || {
            read_detail(db, reader, id)
        })
        .await?;
    let Some(seen) = seen.as_ref() else {
        return Ok(None);
    };
    let mut detail = seen.detail.clone();
    // What the reader may do: send values and assign it for the unit carrying it, edit
    // the document's own as its leaders, evaluate for the unit that assigned it (never a
    // value they sent).
    if reader.works_for(seen.unit_id) {
        let current = Period::containing(detail.cycle, today());
        detail.report_periods = std::iter::successors(Some(current), |p| Some(p.previous()))
            .take((detail.cycle.per_year() as usize * 2).max(4))
            .collect();
        detail.assignable = seen.assignable.clone();
    }
    detail.can_edit = seen.document_own && reader.leads(seen.unit_id);
    let leads = reader.leads(seen.assigner_unit_id);
    for (value, &sender) in detail.values.iter_mut().zip(&seen.senders) {
        value.can_evaluate =
            leads && value.state == ValueState::Submitted && sender != reader.user_id;
    }
    audit_reads(
        db,
        reader,
        std::iter::once(("indicator", detail.id, detail.classification.rank())).chain(
            detail
                .below
                .iter()
                .map(|r| ("indicator", r.id, r.classification.rank())),
        ),
    )
    .await?;
    Ok(Some(detail))
}

/// An indicator's page as readers of one view see it, with what the reader's own unit
/// and role add to it (see `detail`).
#[derive(Debug)]
pub struct SeenIndicator {
    detail: IndicatorDetail,
    /// The document's own (not a copy assigned down): the one that is edited.
    document_own: bool,
    unit_id: i32,
    assigner_unit_id: i32,
    /// Who sent each value, in the order of `detail.values`.
    senders: Vec<i32>,
    /// The units directly below that do not carry it yet.
    assignable: Vec<crate::model::UnitRef>,
}

async fn read_detail(db: &Db, reader: &Reader, id: i32) -> Outcome<Option<SeenIndicator>> {
    let Some(model) = visible(&db.read, reader, id).await? else {
        return Ok(None);
    };
    let document = document::Entity::find_by_id(model.document_id)
        .one(&db.read)
        .await?
        .ok_or(Failure::App(AppError::NotFound))?;
    let (cycle, cut_off_day) = document.reporting();
    let today = today();
    let judged = judged_period(cycle, cut_off_day, today);
    let milestones = milestones_of(&db.read, [model.id]).await?;
    let plan = plan_of(&model, &milestones);
    let thresholds = thresholds_of(&model);
    let tree = Tree::load(&db.read, std::slice::from_ref(&model), None).await?;
    let (own, below) = tree.values(model.id, &judged.code());
    let standing = Standing::of(&plan, thresholds, judged, own, below);
    let mut periods: Vec<Period> = tree
        .periods()
        .filter_map(|code| Period::parse(cycle, code))
        .collect();
    periods.sort_by_key(|p| p.first_day());
    let points: Vec<crate::model::indicator::PeriodPoint> = periods
        .iter()
        .map(|&period| {
            let (own, below) = tree.values(model.id, &period.code());
            crate::model::indicator::PeriodPoint {
                planned: plan.planned_on(period.last_day()),
                standing: Standing::of(&plan, thresholds, period, own, below),
            }
        })
        .collect();
    let actual: Vec<(Day, f64)> = points
        .iter()
        .filter_map(|p| Some((p.standing.period.last_day(), p.standing.value?)))
        .collect();
    let chart = super::charts::indicator_svg(&plan, &actual);
    let children: Vec<indicator::Model> = tree.children_of(model.id).cloned().collect();
    let below_rows = rows(db, &children, judged).await?;
    let values = values_of(db, &model, cycle, cut_off_day).await?;
    let units: HashMap<i32, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in([model.unit_id, model.assigner_unit_id]))
        .all(&db.read)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let unit_of = |id: i32| {
        units
            .get(&id)
            .map(unit_ref)
            .ok_or(Failure::App(AppError::NotFound))
    };
    let parent = match model.parent_id {
        Some(parent) => visible(&db.read, reader, parent).await?.map(|p| p.id),
        None => None,
    };
    let carried: HashSet<i32> = children.iter().map(|c| c.unit_id).collect();
    let assignable = unit::Entity::find()
        .filter(unit::Column::ParentId.eq(model.unit_id))
        .order_by_asc(unit::Column::Code)
        .all(&db.read)
        .await?
        .iter()
        .filter(|u| !carried.contains(&u.id))
        .map(unit_ref)
        .collect();
    let (values, senders): (Vec<ValueRecord>, Vec<i32>) = values.into_iter().unzip();
    let detail = IndicatorDetail {
        id: model.id,
        document: DocumentRef {
            id: document.id,
            code: document.code.clone(),
            title: document.title.clone(),
        },
        name: model.name.clone(),
        measure: model.measure.clone(),
        direction: plan.direction,
        roll_up: model.roll_up.parse().unwrap_or(RollUp::NotAggregated),
        weight_name: model.weight_name.clone(),
        thresholds,
        data_source: model.data_source.clone(),
        classification: classification_of(model.classification),
        unit: unit_of(model.unit_id)?,
        assigner: unit_of(model.assigner_unit_id)?,
        parent,
        cycle,
        cut_off_day,
        standing,
        points,
        chart,
        values,
        below: below_rows,
        report_periods: Vec::new(),
        asks_weight: model.parent_id.is_some() && model.roll_up == RollUp::WeightedMean.as_str(),
        assignable: Vec::new(),
        version: model.version,
        can_edit: false,
        plan,
    };
    Ok(Some(SeenIndicator {
        detail,
        document_own: model.root_id.is_none(),
        unit_id: model.unit_id,
        assigner_unit_id: model.assigner_unit_id,
        senders,
        assignable,
    }))
}

/// Every value the unit sent, the newest first, with who sent and evaluated it (and the
/// sender's id).
async fn values_of(
    db: &Db,
    model: &indicator::Model,
    cycle: Cycle,
    cut_off_day: u32,
) -> Outcome<Vec<(ValueRecord, i32)>> {
    let sent = indicator_value::Entity::find()
        .filter(indicator_value::Column::IndicatorId.eq(model.id))
        .order_by_desc(indicator_value::Column::Id)
        .all(&db.read)
        .await?;
    let ids: HashSet<i32> = sent
        .iter()
        .flat_map(|v| [Some(v.submitted_by), v.evaluated_by])
        .flatten()
        .collect();
    let names = super::users::full_names(db, ids).await?;
    let name = |id: i32| names.get(&id).cloned().unwrap_or_default();
    let mut files: HashMap<i32, Vec<AttachmentView>> = HashMap::new();
    for file in indicator_value_file::Entity::find()
        .filter(indicator_value_file::Column::ValueId.is_in(sent.iter().map(|v| v.id)))
        .order_by_asc(indicator_value_file::Column::Id)
        .all(&db.read)
        .await?
    {
        files
            .entry(file.value_id)
            .or_default()
            .push(AttachmentView {
                id: file.id,
                file_name: file.file_name,
                content_type: file.content_type,
                size: file.size,
            });
    }
    Ok(sent
        .into_iter()
        .filter_map(|v| {
            let period = Period::parse(cycle, &v.period)?;
            let state: ValueState = v.state.parse().unwrap_or(ValueState::Replaced);
            let sent_on = Day::in_vietnam(v.submitted_at.timestamp());
            let record = ValueRecord {
                id: v.id,
                period,
                value: v.value,
                weight: v.weight,
                source_note: v.source_note,
                state,
                reason: v.reason,
                corrects: v.corrects_id,
                submitted_by: name(v.submitted_by),
                submitted_at: v.submitted_at.timestamp(),
                late: sent_on > period.cut_off(cut_off_day),
                evaluated_by: v.evaluated_by.map(name),
                evaluated_at: v.evaluated_at.map(|at| at.timestamp()),
                answer: v.answer,
                files: files.remove(&v.id).unwrap_or_default(),
                can_evaluate: false,
            };
            Some((record, v.submitted_by))
        })
        .collect())
}

/// The units carrying the document's indicators in the scope's subtree (within the
/// reader's clearance; assigned by the period's end, or with a value sent for it), each
/// with the state of its least advanced value for the period: `(unit id, path, state)`.
pub async fn submissions(
    db: &Db,
    reader: &Reader,
    document_id: i32,
    scope_path: &str,
    period: Period,
    cut_off_day: u32,
    today: Day,
) -> Outcome<Vec<(i32, String, SubmissionState)>> {
    let carried = indicator::Entity::find()
        .filter(indicator::Column::DocumentId.eq(document_id))
        .filter(super::access::path_in_range(
            (indicator::Entity, indicator::Column::UnitPath),
            scope_path,
        ))
        .filter(indicator::Column::Classification.lte(reader.clearance))
        .all(&db.read)
        .await?;
    if carried.is_empty() {
        return Ok(Vec::new());
    }
    // The latest value sent for the period: a newer one replaced any before it.
    let mut latest: HashMap<i32, indicator_value::Model> = HashMap::new();
    for value in indicator_value::Entity::find()
        .filter(indicator_value::Column::IndicatorId.is_in(carried.iter().map(|c| c.id)))
        .filter(indicator_value::Column::Period.eq(period.code()))
        .all(&db.read)
        .await?
    {
        if latest
            .get(&value.indicator_id)
            .is_none_or(|kept| kept.id < value.id)
        {
            latest.insert(value.indicator_id, value);
        }
    }
    let ended = super::work::day_start(period.last_day().plus_days(1));
    let mut by_unit: HashMap<i32, (String, Vec<SubmissionState>)> = HashMap::new();
    // Owed for the period when assigned by its end; shown whenever a value was sent.
    for model in carried
        .iter()
        .filter(|m| m.created_at < ended || latest.contains_key(&m.id))
    {
        let submission = latest.get(&model.id).map(|v| Submission {
            sent_on: Day::in_vietnam(v.submitted_at.timestamp()),
            verdict: match v.state.parse() {
                Ok(ValueState::Accepted) => Some(Verdict::Accept),
                Ok(ValueState::Returned) => Some(Verdict::Return),
                _ => None,
            },
        });
        by_unit
            .entry(model.unit_id)
            .or_insert_with(|| (model.unit_path.clone(), Vec::new()))
            .1
            .push(SubmissionState::of(period, cut_off_day, submission, today));
    }
    Ok(by_unit
        .into_iter()
        .filter_map(|(unit, (path, states))| {
            Some((unit, path, SubmissionState::least_advanced(states)?))
        })
        .collect())
}

/// The documents whose indicators are carried in the subtree at `scope_path`, within
/// `clearance`.
pub async fn documents_carried(db: &Db, scope_path: &str, clearance: i16) -> Outcome<Vec<i32>> {
    use sea_orm::QuerySelect;
    Ok(indicator::Entity::find()
        .select_only()
        .column(indicator::Column::DocumentId)
        .distinct()
        .filter(super::access::path_in_range(
            (indicator::Entity, indicator::Column::UnitPath),
            scope_path,
        ))
        .filter(indicator::Column::Classification.lte(clearance))
        .into_tuple::<i32>()
        .all(&db.read)
        .await?)
}

/// An evidence file of a value, if the reader sees the indicator it was sent for, with
/// the indicator's classification.
pub async fn value_file_for(
    db: &Db,
    reader: &Reader,
    id: i32,
) -> Outcome<Option<(indicator_value_file::Model, i16)>> {
    let Some(file) = indicator_value_file::Entity::find_by_id(id)
        .one(&db.read)
        .await?
    else {
        return Ok(None);
    };
    let Some(value) = indicator_value::Entity::find_by_id(file.value_id)
        .one(&db.read)
        .await?
    else {
        return Ok(None);
    };
    Ok(visible(&db.read, reader, value.indicator_id)
        .await?
        .map(|indicator| (file, indicator.classification)))
}
