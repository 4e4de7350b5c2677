//! A unit's own reminder days before a due date: its leaders set them, the sweep follows
//! them for the tasks the unit leads, and the server's days apply to every other unit.

use super::Ladder;
use crate::model::notification::ReminderDays;
use crate::model::{AppError, Role};
use crate::server::access::Reader;
use crate::server::audit::{self, Action, Event};
use crate::server::db::Db;
use crate::server::entity::unit;
use crate::server::work::Outcome;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The reader's unit's reminder days, when the reader is one of its leaders.
pub async fn of_leader(
    db: &Db,
    reader: &Reader,
    server: &[u16],
) -> Result<Option<ReminderDays>, sea_orm::DbErr> {
    if reader.role != Role::Leader {
        return Ok(None);
    }
    let own = unit::Entity::find_by_id(reader.unit_id)
        .one(&db.read)
        .await?
        .and_then(|unit| unit.remind_before)
        .map(|text| Ladder::stored_days(&text));
    Ok(Some(ReminderDays {
        own,
        server: server.to_vec(),
    }))
}

/// Sets the reader's unit's reminder days from what they typed (empty: the server's).
/// Only the unit's leaders may; the change is audited.
pub async fn set(db: &Db, reader: &Reader, typed: &str) -> Outcome<()> {
    if reader.role != Role::Leader {
        return Err(AppError::Forbidden.into());
    }
    let days = Ladder::own_days(typed).map_err(|problem| AppError::Invalid {
        field: "days".to_owned(),
        problem,
    })?;
    let txn = db.begin_write().await?;
    let before = unit::Entity::find_by_id(reader.unit_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?
        .remind_before;
    if before == days {
        return Ok(());
    }
    unit::Entity::update_many()
        .col_expr(unit::Column::RemindBefore, Expr::value(days.clone()))
        .filter(unit::Column::Id.eq(reader.unit_id))
        .exec(&txn)
        .await?;
    let shown = |days: &Option<String>| days.clone().unwrap_or_else(|| "server".to_owned());
    audit::record(
        &txn,
        Event::new(Action::ReminderDaysChanged)
            .actor(Some(reader.user_id), &reader.username)
            .on("unit", &reader.unit_code)
            .detail(format!("{} -> {}", shown(&before), shown(&days))),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
