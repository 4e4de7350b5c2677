//! Signing in, and knowing who is asking.

use super::audit::{self, Action, Event};
use super::db::Db;
use super::entity::{unit, user};
use super::password;
use super::sessions::{AUTH_KEY, SessionAuth};
use crate::model::account::{
    LOCKOUT_MINUTES, LOCKOUT_THRESHOLD, SESSION_ABSOLUTE_HOURS, SESSION_IDLE_MINUTES,
};
use crate::model::user::username;
use crate::model::{Classification, Role, UnitRef, Viewer};
use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, QueryFilter};
use tower_sessions::Session;

/// The signed-in official behind a request, as the server knows them.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub viewer: Viewer,
    pub unit_id: i32,
    /// The materialised path of the user's unit: the root of what they may see.
    pub unit_path: String,
    /// The user's unit oversees the whole country (the centre, or a central body granted it).
    pub national_oversight: bool,
    /// The key of the session the request came with.
    pub session_key: String,
    /// Whether `viewer.unread` was counted for this request (page loads only).
    pub unread_counted: bool,
}

/// Put into each request's extensions by the authentication middleware.
#[derive(Clone, Debug, Default)]
pub struct Authenticated(pub Option<CurrentUser>);

/// Who is signing in, from where.
#[derive(Clone, Debug, Default)]
pub struct Client {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

pub enum SignIn {
    Accepted(Box<user::Model>),
    Refused,
    /// Too many password checks at once: nothing was checked; try again shortly.
    Busy,
}

/// Checks a username and password. Unknown users, wrong passwords, disabled and locked
/// accounts all cost one argon2 verification and give the same answer.
pub async fn sign_in(
    db: &Db,
    typed_name: &str,
    typed_password: &str,
    client: &Client,
) -> Result<SignIn, DbErr> {
    let name = username::normalize(typed_name);
    let account = if username::is_valid(&name) {
        super::users::find_by_username(db, &name).await?
    } else {
        None
    };
    let ip = client.ip.as_deref();
    let Some(account) = account else {
        if password::verify_blocking(typed_password, None)
            .await
            .is_err()
        {
            return Ok(SignIn::Busy);
        }
        // What was typed is not kept: a password typed into the username field would
        // otherwise sit in the audit log.
        audit::record(
            &db.write,
            Event::new(Action::LoginFailed)
                .failed()
                .from_ip(ip)
                .detail("unknown user"),
        )
        .await?;
        return Ok(SignIn::Refused);
    };

    let Ok(matches) =
        password::verify_blocking(typed_password, Some(account.password_hash.clone())).await
    else {
        return Ok(SignIn::Busy);
    };
    let now = Utc::now();
    let locked = account.locked_until.is_some_and(|until| until > now);
    if !account.active || locked {
        let why = if locked {
            "account locked"
        } else {
            "account disabled"
        };
        audit::record(
            &db.write,
            Event::new(Action::LoginFailed)
                .actor(Some(account.id), &account.username)
                .on_user(account.id)
                .failed()
                .from_ip(ip)
                .detail(why),
        )
        .await?;
        return Ok(SignIn::Refused);
    }

    if !matches {
        record_failure(db, &account, ip).await?;
        return Ok(SignIn::Refused);
    }

    let txn = db.begin_write().await?;
    let mut update: user::ActiveModel = account.clone().into();
    update.failed_logins = Set(0);
    update.locked_until = Set(None);
    update.last_login_at = Set(Some(now));
    if password::needs_rehash(&account.password_hash) {
        // The parameters changed since this hash was made: the password is at hand now.
        if let Ok(rehashed) = password::hash_blocking(typed_password.to_owned()).await {
            update.password_hash = Set(rehashed);
        }
    }
    let signed_in = sea_orm::ActiveModelTrait::update(update, &txn).await?;
    audit::record(
        &txn,
        Event::new(Action::LoginSucceeded)
            .actor(Some(account.id), &account.username)
            .on_user(account.id)
            .from_ip(ip),
    )
    .await?;
    txn.commit().await?;
    Ok(SignIn::Accepted(Box::new(signed_in)))
}

/// Counts a wrong password (at sign-in, or the current password of a password change);
/// the failure that reaches the threshold locks the account.
pub async fn record_failure(db: &Db, account: &user::Model, ip: Option<&str>) -> Result<(), DbErr> {
    let txn = db.begin_write().await?;
    // Counted in SQL, not read-modify-write: parallel attempts each count.
    user::Entity::update_many()
        .col_expr(
            user::Column::FailedLogins,
            Expr::col(user::Column::FailedLogins).add(1),
        )
        .filter(user::Column::Id.eq(account.id))
        .exec(&txn)
        .await?;
    let failures = user::Entity::find_by_id(account.id)
        .one(&txn)
        .await?
        .map_or(0, |u| u.failed_logins);
    audit::record(
        &txn,
        Event::new(Action::LoginFailed)
            .actor(Some(account.id), &account.username)
            .on_user(account.id)
            .failed()
            .from_ip(ip)
            .detail("wrong password"),
    )
    .await?;
    if failures >= LOCKOUT_THRESHOLD {
        user::Entity::update_many()
            .col_expr(
                user::Column::LockedUntil,
                Expr::value(Some(Utc::now() + Duration::minutes(LOCKOUT_MINUTES))),
            )
            .col_expr(user::Column::FailedLogins, Expr::value(0))
            .filter(user::Column::Id.eq(account.id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            Event::new(Action::AccountLocked)
                .actor(Some(account.id), &account.username)
                .on_user(account.id)
                .from_ip(ip)
                .detail(format!("{failures} failed sign-ins in a row")),
        )
        .await?;
    }
    txn.commit().await
}

/// Starts the signed-in session: a new session id (the old one is deleted), then the
/// sign-in facts.
pub async fn start_session(
    session: &Session,
    account: &user::Model,
    client: &Client,
) -> anyhow::Result<()> {
    session.cycle_id().await?;
    let now = Utc::now().timestamp();
    session
        .insert(
            AUTH_KEY,
            SessionAuth {
                user_id: account.id,
                signed_in_at: now,
                touched_at: now,
                role: account.role.clone(),
                clearance: account.clearance,
                ip: client.ip.clone(),
                user_agent: client
                    .user_agent
                    .as_ref()
                    .map(|ua| ua.chars().take(255).collect()),
            },
        )
        .await?;
    Ok(())
}

/// How often the idle timer is pushed back: not on every request, to spare the writes.
const TOUCH_EVERY_SECS: i64 = 60;

/// The official behind a session, if it is signed in and still valid. Ends sessions that
/// are too old or whose account was disabled, pushes back the idle timer, and cycles the
/// session id when the account's role or clearance changed since sign-in.
///
/// `arrived` is when the request arrived: the session, the official and what is kept of
/// them are read at generations read since then.
pub async fn session_user(
    db: &Db,
    session: &Session,
    arrived: std::time::Instant,
) -> anyhow::Result<Option<CurrentUser>> {
    let Some(mut auth) = session.get::<SessionAuth>(AUTH_KEY).await? else {
        return Ok(None);
    };
    let now = Utc::now().timestamp();
    if now - auth.signed_in_at > SESSION_ABSOLUTE_HOURS * 3600
        || now - auth.touched_at > SESSION_IDLE_MINUTES * 60
    {
        session.flush().await?;
        return Ok(None);
    }
    let official = official(db, auth.user_id, arrived).await?;
    let Some(official) = official.as_ref().as_ref() else {
        session.flush().await?;
        return Ok(None);
    };

    let mut changed = false;
    if official.role != auth.role || official.clearance != auth.clearance {
        session.cycle_id().await?;
        auth.role = official.role.clone();
        auth.clearance = official.clearance;
        changed = true;
    }
    if changed || now - auth.touched_at >= TOUCH_EVERY_SECS {
        auth.touched_at = now;
        session.insert(AUTH_KEY, &auth).await?;
    }
    let session_key = session
        .id()
        .map(|id| super::sessions::key(&id))
        .unwrap_or_default();
    Ok(Some(CurrentUser {
        viewer: official.viewer.clone(),
        unit_id: official.unit_id,
        national_oversight: official.national_oversight,
        unit_path: official.unit_path.clone(),
        session_key,
        unread_counted: false,
    }))
}

/// What a request needs to know of an active official and their unit.
#[derive(Clone, Debug)]
pub struct Official {
    viewer: Viewer,
    role: String,
    clearance: i16,
    unit_id: i32,
    unit_path: String,
    national_oversight: bool,
}

/// The official with this id, if active: kept while the accounts' generation stands
/// (any change to an official or a unit moves it).
async fn official(
    db: &Db,
    user_id: i32,
    arrived: std::time::Instant,
) -> anyhow::Result<std::sync::Arc<Option<Official>>> {
    let generation = super::generation::both_since(db, arrived)
        .await?
        .map(|g| g.accounts);
    let read = || async {
        let found = user::Entity::find_by_id(user_id)
            .find_also_related(unit::Entity)
            .one(&db.read)
            .await?;
        Ok::<_, super::work::Failure>(match found {
            Some((account, Some(unit))) if account.active => Some(Official {
                viewer: viewer_of(&account, &unit),
                role: account.role,
                clearance: account.clearance,
                unit_id: unit.id,
                unit_path: unit.path,
                national_oversight: unit.national_oversight,
            }),
            _ => None,
        })
    };
    Ok(db
        .kept
        .officials
        .get_or_read(generation, user_id, read)
        .await?)
}

pub fn viewer_of(account: &user::Model, unit: &unit::Model) -> Viewer {
    Viewer {
        id: account.id,
        username: account.username.clone(),
        full_name: account.full_name.clone(),
        unit: UnitRef {
            code: unit.code.clone(),
            name: unit.name.clone(),
            level: unit
                .level
                .parse()
                .unwrap_or(crate::model::UnitLevel::Commune),
        },
        role: account.role.parse().unwrap_or(Role::Viewer),
        clearance: Classification::from_rank(account.clearance).unwrap_or(Classification::Public),
        must_change_password: account.must_change_password,
        unread: 0,
    }
}
