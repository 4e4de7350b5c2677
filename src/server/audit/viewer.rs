//! `/admin/audit`: the audit log for administrators, filtered, paged and exported as CSV.
//! An administrator sees the events of officials of their subtree (every event, those of
//! no official included, for a unit with national oversight), and only those about what
//! their clearance covers.

use super::Action;
use crate::model::audit::{AuditFilter, AuditPage, AuditRow};
use crate::model::{AppError, Problem};
use crate::server::access::{Reader, path_in_range};
use crate::server::db::Db;
use crate::server::entity::{audit_event, unit};
use crate::server::work::{Failure, Outcome, days_between};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

pub const PAGE_SIZE: u64 = 50;
/// The most rows one export holds: a narrower filter gives the rest.
pub const EXPORT_LIMIT: u64 = 100_000;

/// The events the administrator may see that match the filter; a filter that cannot
/// match anything sensible (an impossible date, an unknown action or unit) is refused.
async fn matching(
    db: &Db,
    reader: &Reader,
    filter: &AuditFilter,
) -> Outcome<sea_orm::Select<audit_event::Entity>> {
    let mut query = audit_event::Entity::find()
        .filter(audit_event::Column::Classification.lte(reader.clearance));
    if !reader.sees_all {
        query = query.filter(path_in_range(
            (audit_event::Entity, audit_event::Column::UnitPath),
            &reader.unit_path,
        ));
    }
    let actor = filter.actor.trim();
    if !actor.is_empty() {
        query = query.filter(audit_event::Column::ActorName.eq(actor));
    }
    let action = filter.action.trim();
    if !action.is_empty() {
        if !Action::ALL.iter().any(|a| a.as_str() == action) {
            return Err(AppError::invalid("action", Problem::Unknown).into());
        }
        query = query.filter(audit_event::Column::Action.eq(action));
    }
    let object_type = filter.object_type.trim();
    if !object_type.is_empty() {
        query = query.filter(audit_event::Column::ObjectType.eq(object_type));
    }
    let object_id = filter.object_id.trim();
    if !object_id.is_empty() {
        query = query.filter(audit_event::Column::ObjectId.eq(object_id));
    }
    let code = filter.unit.trim();
    if !code.is_empty() {
        let found = unit::Entity::find()
            .filter(unit::Column::Code.eq(code))
            .one(&db.read)
            .await?
            .filter(|u| reader.oversees(&u.path))
            .ok_or_else(|| Failure::App(AppError::invalid("unit", Problem::Unknown)))?;
        query = query.filter(path_in_range(
            (audit_event::Entity, audit_event::Column::UnitPath),
            &found.path,
        ));
    }
    let (from, until) = days_between(&filter.from, &filter.to)?;
    if let Some(from) = from {
        query = query.filter(audit_event::Column::At.gte(from));
    }
    if let Some(until) = until {
        query = query.filter(audit_event::Column::At.lt(until));
    }
    Ok(query
        .order_by_desc(audit_event::Column::At)
        .order_by_desc(audit_event::Column::Id))
}

fn row(event: audit_event::Model) -> AuditRow {
    AuditRow {
        id: event.id,
        at: event.at.timestamp(),
        actor: event.actor_name,
        action: event.action,
        object_type: event.object_type,
        object_id: event.object_id,
        success: event.outcome == "success",
        ip: event.ip,
        detail: event.detail,
    }
}

/// One page of the events, newest first.
pub async fn page(db: &Db, reader: &Reader, filter: &AuditFilter) -> Outcome<AuditPage> {
    let query = matching(db, reader, filter).await?;
    let total = query.clone().count(&db.read).await?;
    let pages = Ord::max(total.div_ceil(PAGE_SIZE), 1);
    let page = filter.page.clamp(1, pages);
    let rows = query
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(&db.read)
        .await?;
    Ok(AuditPage {
        rows: rows.into_iter().map(row).collect(),
        total,
        page,
        pages,
        actions: Action::ALL.iter().map(|a| a.as_str().to_owned()).collect(),
    })
}

/// The matching events as CSV (UTF-8 with a byte-order mark, for spreadsheets), newest
/// first, at most `EXPORT_LIMIT`. A cell that a spreadsheet would run as a formula is
/// written with a leading apostrophe.
pub async fn export(db: &Db, reader: &Reader, filter: &AuditFilter) -> Outcome<String> {
    let rows = matching(db, reader, filter)
        .await?
        .limit(EXPORT_LIMIT)
        .all(&db.read)
        .await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "outcome",
        "ip",
        "detail",
    ];
    let io = |e: csv::Error| Failure::Other(anyhow::anyhow!(e));
    out.write_record(header).map_err(io)?;
    for event in rows {
        let cells = [
            event.at.to_rfc3339(),
            event.actor_name.unwrap_or_default(),
            event.action,
            event.object_type.unwrap_or_default(),
            event.object_id.unwrap_or_default(),
            event.outcome,
            event.ip.unwrap_or_default(),
            event.detail.unwrap_or_default(),
        ];
        out.write_record(cells.iter().map(|cell| inert(cell)))
            .map_err(io)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| Failure::Other(anyhow::anyhow!(e.to_string())))?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}

/// A cell as text a spreadsheet will not evaluate.
fn inert(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("hanoi.canbo"), "hanoi.canbo");
    }
}
