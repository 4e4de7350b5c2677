//! Managing officials' accounts, within the administrator's own subtree of units.

use super::access::{in_subtree, path_in_subtree};
use super::audit::{self, Action, Event};
use super::auth::CurrentUser;
use super::db::{Db, contains_pattern};
use super::entity::{unit, user};
use super::users::{self, NewUser, UserError};
use super::{password, sessions};
use crate::model::admin::{
    Oversight, OversightRow, USERS_PER_PAGE, UserDetail, UserFilter, UserPage, UserRow, page_count,
};
use crate::model::text::search_terms;
use crate::model::{Classification, Problem, Role, UnitLevel, UnitRef};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// What an administrator may reach: the accounts below them. An account is in reach when
/// it lies in the administrator's subtree, is cleared at most as high as the
/// administrator, and is not another administrator of the same unit (an administrator's
/// account is managed only from a unit strictly above it).
#[derive(Clone, Debug)]
pub struct Scope {
    pub admin_id: i32,
    pub admin_username: String,
    pub unit_id: i32,
    pub unit_path: String,
    pub clearance: Classification,
    /// The administrator's unit oversees the country: it may grant oversight to the
    /// central bodies below it.
    pub national_oversight: bool,
    pub ip: Option<String>,
}

impl Scope {
    pub fn of(admin: &CurrentUser, ip: Option<String>) -> Scope {
        Scope {
            admin_id: admin.viewer.id,
            admin_username: admin.viewer.username.clone(),
            unit_id: admin.unit_id,
            unit_path: admin.unit_path.clone(),
            clearance: admin.viewer.clearance,
            national_oversight: admin.national_oversight,
            ip,
        }
    }

    /// Whether an account with this role and clearance, in this unit, lies below the
    /// administrator: the one rule for every account they read, create or change.
    fn manages(&self, role: &str, clearance: i16, unit: &unit::Model) -> bool {
        path_in_subtree(&unit.path, &self.unit_path)
            && clearance <= self.clearance.rank()
            && (role != Role::Admin.as_str() || unit.id != self.unit_id)
    }

    /// The same rule as a query condition on accounts joined with their units; the
    /// administrator's own account is always listed.
    fn managed_accounts(&self) -> Condition {
        Condition::any()
            .add(user::Column::Id.eq(self.admin_id))
            .add(
                Condition::all()
                    .add(in_subtree(&self.unit_path))
                    .add(user::Column::Clearance.lte(self.clearance.rank()))
                    .add(
                        Condition::any()
                            .add(user::Column::Role.ne(Role::Admin.as_str()))
                            .add(user::Column::UnitId.ne(self.unit_id)),
                    ),
            )
    }

    fn event(&self, action: Action, user_id: i32) -> Event<'_> {
        Event::new(action)
            .actor(Some(self.admin_id), &self.admin_username)
            .on_user(user_id)
            .from_ip(self.ip.as_deref())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("no such account in reach")]
    NotFound,
    #[error("invalid {field}")]
    Invalid {
        field: &'static str,
        problem: Problem,
    },
    #[error("the account changed since it was read")]
    Conflict,
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

fn invalid(field: &'static str, problem: Problem) -> AdminError {
    AdminError::Invalid { field, problem }
}

fn row_of(account: &user::Model, unit: &unit::Model) -> UserRow {
    let viewer = super::auth::viewer_of(account, unit);
    UserRow {
        id: account.id,
        username: viewer.username,
        full_name: viewer.full_name,
        unit: viewer.unit,
        role: viewer.role,
        clearance: viewer.clearance,
        active: account.active,
        locked: account.locked_until.is_some_and(|until| until > Utc::now()),
        last_login_at: account.last_login_at.map(|t| t.timestamp()),
    }
}

/// A page of the accounts in reach that match the filter, by username.
pub async fn list(db: &Db, scope: &Scope, filter: &UserFilter) -> Result<UserPage, AdminError> {
    let mut condition = Condition::all().add(scope.managed_accounts());
    if !filter.unit.trim().is_empty() {
        let Some(root) = unit::Entity::find()
            .filter(unit::Column::Code.eq(filter.unit.trim()))
            .one(&db.read)
            .await?
        else {
            return Err(invalid("unit", Problem::Unknown));
        };
        condition = condition.add(in_subtree(&root.path));
    }
    if let Some(role) = filter.role {
        condition = condition.add(user::Column::Role.eq(role.as_str()));
    }
    if let Some(active) = filter.active {
        condition = condition.add(user::Column::Active.eq(active));
    }
    for term in search_terms(&filter.q) {
        condition = condition
            .add(Expr::col((user::Entity, user::Column::SearchKey)).like(contains_pattern(&term)));
    }
    let query = user::Entity::find()
        .find_also_related(unit::Entity)
        .filter(condition);
    let total = u32::try_from(query.clone().count(&db.read).await?).unwrap_or(u32::MAX);
    let pages = page_count(total, USERS_PER_PAGE);
    let page = filter.page.clamp(1, pages);
    let rows = query
        .order_by_asc(user::Column::Username)
        .offset(u64::from((page - 1) * USERS_PER_PAGE))
        .limit(u64::from(USERS_PER_PAGE))
        .all(&db.read)
        .await?
        .into_iter()
        .filter_map(|(account, unit)| unit.map(|unit| row_of(&account, &unit)))
        .collect();
    Ok(UserPage {
        rows,
        total,
        page,
        pages,
    })
}

/// An account in reach (or the administrator's own), with its unit. Anything else is
/// "not found": an administrator learns nothing of the accounts above them. Changes read
/// it again in their transaction, so that an account moved out of reach meanwhile is not
/// changed.
async fn in_reach(
    db: &impl sea_orm::ConnectionTrait,
    scope: &Scope,
    id: i32,
) -> Result<(user::Model, unit::Model), AdminError> {
    match user::Entity::find_by_id(id)
        .find_also_related(unit::Entity)
        .one(db)
        .await?
    {
        Some((account, Some(unit)))
            if account.id == scope.admin_id
                || scope.manages(&account.role, account.clearance, &unit) =>
        {
            Ok((account, unit))
        }
        _ => Err(AdminError::NotFound),
    }
}

pub async fn detail(db: &Db, scope: &Scope, id: i32) -> Result<UserDetail, AdminError> {
    let (account, unit) = in_reach(&db.read, scope, id).await?;
    Ok(UserDetail {
        row: row_of(&account, &unit),
        email: account.email.clone(),
        must_change_password: account.must_change_password,
        created_at: account.created_at.timestamp(),
        password_changed_at: account.password_changed_at.timestamp(),
        version: account.version,
        is_self: account.id == scope.admin_id,
        new_password: None,
    })
}

/// A unit in reach, by code.
async fn unit_in_reach(db: &Db, scope: &Scope, code: &str) -> Result<unit::Model, AdminError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(invalid("unit", Problem::Required));
    }
    let found = unit::Entity::find()
        .filter(unit::Column::Code.eq(code))
        .one(&db.read)
        .await?
        .ok_or_else(|| invalid("unit", Problem::Unknown))?;
    if !path_in_subtree(&found.path, &scope.unit_path) {
        return Err(invalid("unit", Problem::OutOfReach));
    }
    Ok(found)
}

fn check_clearance(scope: &Scope, clearance: Classification) -> Result<(), AdminError> {
    if clearance > scope.clearance {
        return Err(invalid("clearance", Problem::OutOfReach));
    }
    Ok(())
}

/// The fields of an account that an administrator sets.
#[derive(Clone, Debug)]
pub struct AccountFields {
    pub full_name: String,
    pub email: Option<String>,
    pub unit_code: String,
    pub role: Role,
    pub clearance: Classification,
}

/// Creates an account with a generated password, to be changed at first sign-in.
/// Returns the new account's id and the password, to show once.
pub async fn create(
    db: &Db,
    scope: &Scope,
    username: &str,
    fields: AccountFields,
) -> Result<(i32, String), AdminError> {
    let unit = unit_in_reach(db, scope, &fields.unit_code).await?;
    check_clearance(scope, fields.clearance)?;
    if !scope.manages(fields.role.as_str(), fields.clearance.rank(), &unit) {
        return Err(invalid("role", Problem::OutOfReach));
    }
    let temporary = password::generate();
    let created = users::create(
        db,
        NewUser {
            username: username.to_owned(),
            full_name: fields.full_name,
            email: fields.email,
            unit_code: fields.unit_code,
            role: fields.role,
            clearance: fields.clearance,
            password: temporary.clone(),
            must_change_password: true,
        },
    )
    .await
    .map_err(|e| match e {
        UserError::InvalidUsername => invalid("username", Problem::Malformed),
        UserError::UsernameTaken(_) => invalid("username", Problem::Taken),
        UserError::InvalidFullName => invalid("full_name", Problem::Required),
        UserError::InvalidEmail => invalid("email", Problem::Malformed),
        UserError::UnknownUnit(_) => invalid("unit", Problem::Unknown),
        UserError::WeakPassword(_) => {
            AdminError::Other(anyhow::anyhow!("generated password refused"))
        }
        UserError::Database(e) => AdminError::Database(e),
        UserError::Other(e) => AdminError::Other(e),
    })?;
    audit::record(
        &db.write,
        scope.event(Action::UserCreated, created.id).detail(format!(
            "role {}, clearance {}",
            created.role, created.clearance
        )),
    )
    .await?;
    Ok((created.id, temporary))
}

/// Changes an account's name, email, unit, role and clearance, if nobody changed it since
/// `version` was read. Administrators cannot change their own role, unit or clearance.
pub async fn update(
    db: &Db,
    scope: &Scope,
    id: i32,
    version: i32,
    fields: AccountFields,
) -> Result<(), AdminError> {
    let (account, current_unit) = in_reach(&db.read, scope, id).await?;
    let full_name = fields.full_name.trim().to_owned();
    if full_name.is_empty() {
        return Err(invalid("full_name", Problem::Required));
    }
    if full_name.chars().count() > 200 || full_name.chars().any(char::is_control) {
        return Err(invalid("full_name", Problem::TooLong { max: 200 }));
    }
    let email = fields
        .email
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty());
    if email.as_deref().is_some_and(|e| !users::plausible_email(e)) {
        return Err(invalid("email", Problem::Malformed));
    }
    let new_unit = unit_in_reach(db, scope, &fields.unit_code).await?;
    check_clearance(scope, fields.clearance)?;
    let is_self = account.id == scope.admin_id;
    let role_changed = account.role != fields.role.as_str();
    let clearance_changed = account.clearance != fields.clearance.rank();
    let unit_changed = new_unit.id != account.unit_id;
    if is_self && role_changed {
        return Err(invalid("role", Problem::OutOfReach));
    }
    if is_self && (unit_changed || clearance_changed) {
        return Err(invalid(
            if unit_changed { "unit" } else { "clearance" },
            Problem::OutOfReach,
        ));
    }
    // What the account becomes must stay below the administrator, as it was.
    if !is_self && !scope.manages(fields.role.as_str(), fields.clearance.rank(), &new_unit) {
        return Err(invalid("role", Problem::OutOfReach));
    }

    let txn = db.begin_write().await?;
    let mut update = user::Entity::update_many();
    if unit_changed {
        // What their new unit was told before they came is not theirs. (A new role in the
        // same unit keeps what they had, and sees what the role's audience was told.)
        let newest = crate::server::supervision::inbox::newest_id(&txn).await?;
        update = update.col_expr(user::Column::NoticesAfter, Expr::value(newest));
    }
    let updated = update
        .col_expr(user::Column::FullName, Expr::value(full_name.clone()))
        .col_expr(user::Column::Email, Expr::value(email))
        .col_expr(user::Column::UnitId, Expr::value(new_unit.id))
        .col_expr(user::Column::Role, Expr::value(fields.role.as_str()))
        .col_expr(
            user::Column::Clearance,
            Expr::value(fields.clearance.rank()),
        )
        .col_expr(
            user::Column::SearchKey,
            Expr::value(users::search_key(&account.username, &full_name)),
        )
        .col_expr(
            user::Column::Version,
            Expr::col(user::Column::Version).add(1),
        )
        .filter(user::Column::Id.eq(id))
        .filter(user::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AdminError::Conflict);
    }
    let changes = [
        (
            role_changed,
            Action::RoleChanged,
            account.role.clone(),
            fields.role.to_string(),
        ),
        (
            clearance_changed,
            Action::ClearanceChanged,
            account.clearance.to_string(),
            fields.clearance.rank().to_string(),
        ),
        (
            unit_changed,
            Action::UnitChanged,
            current_unit.code.clone(),
            new_unit.code.clone(),
        ),
    ];
    for (changed, action, before, after) in changes {
        if changed {
            audit::record(
                &txn,
                scope
                    .event(action, id)
                    .detail(format!("{before} -> {after}")),
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Disables or enables an account. Disabling ends all its sessions at once.
pub async fn set_active(db: &Db, scope: &Scope, id: i32, active: bool) -> Result<(), AdminError> {
    let txn = db.begin_write().await?;
    let (account, _) = in_reach(&txn, scope, id).await?;
    if account.id == scope.admin_id {
        return Err(invalid("active", Problem::OutOfReach));
    }
    let mut update = user::Entity::update_many();
    if active && !account.active {
        // Back after a time away: what their unit was told meanwhile stays in their list,
        // but not as unread, and not in their next email.
        let newest = crate::server::supervision::inbox::newest_id(&txn).await?;
        update = update
            .col_expr(user::Column::ReadThrough, Expr::value(newest))
            .col_expr(user::Column::MailedThrough, Expr::value(newest));
    }
    update
        .col_expr(user::Column::Active, Expr::value(active))
        .col_expr(
            user::Column::Version,
            Expr::col(user::Column::Version).add(1),
        )
        .filter(user::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if !active {
        sessions::end_all_of_user(&txn, id, None).await?;
    }
    let action = if active {
        Action::UserEnabled
    } else {
        Action::UserDisabled
    };
    audit::record(&txn, scope.event(action, id)).await?;
    txn.commit().await?;
    Ok(())
}

/// Sets a new generated password, to be changed at the next sign-in, lifts a lock and
/// ends the account's sessions. Returns the password, to show once. Administrators change
/// their own password at `/account`, with the current one: a reset would lock them out.
pub async fn reset_password(db: &Db, scope: &Scope, id: i32) -> Result<String, AdminError> {
    let (account, _) = in_reach(&db.read, scope, id).await?;
    if account.id == scope.admin_id {
        return Err(invalid("password", Problem::OutOfReach));
    }
    let temporary = password::generate();
    let hash = password::hash_blocking(temporary.clone()).await?;
    let txn = db.begin_write().await?;
    in_reach(&txn, scope, id).await?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::MustChangePassword, Expr::value(true))
        .col_expr(user::Column::PasswordChangedAt, Expr::value(Utc::now()))
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(
            user::Column::LockedUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(
            user::Column::Version,
            Expr::col(user::Column::Version).add(1),
        )
        .filter(user::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    sessions::end_all_of_user(&txn, id, None).await?;
    audit::record(&txn, scope.event(Action::PasswordReset, id)).await?;
    txn.commit().await?;
    Ok(temporary)
}

/// The central bodies and whether each oversees the whole country (the centre always
/// does), and whether the administrator may change that.
pub async fn oversight(db: &Db, scope: &Scope) -> Result<Oversight, AdminError> {
    let units = unit::Entity::find()
        .filter(
            unit::Column::Level.is_in([UnitLevel::Central.as_str(), UnitLevel::Agency.as_str()]),
        )
        .order_by_asc(unit::Column::Path)
        .all(&db.read)
        .await?;
    let may_change = units
        .iter()
        .any(|u| u.level == UnitLevel::Agency.as_str() && may_grant(scope, u));
    Ok(Oversight {
        rows: units
            .iter()
            .map(|u| OversightRow {
                unit: super::work::unit_ref(u),
                granted: u.national_oversight,
                fixed: u.level == UnitLevel::Central.as_str(),
            })
            .collect(),
        may_change,
    })
}

/// Oversight of the whole country is granted to a central body by an administrator of a
/// unit above it that has it (the centre's).
fn may_grant(scope: &Scope, target: &unit::Model) -> bool {
    scope.national_oversight
        && target.level == UnitLevel::Agency.as_str()
        && target.id != scope.unit_id
        && path_in_subtree(&target.path, &scope.unit_path)
}

/// Grants or withdraws national oversight for the central body with `code`. Its officials
/// see every unit's work (within their clearance) from their next request.
pub async fn set_oversight(
    db: &Db,
    scope: &Scope,
    code: &str,
    granted: bool,
) -> Result<(), AdminError> {
    let target = unit::Entity::find()
        .filter(unit::Column::Code.eq(code.trim()))
        .one(&db.read)
        .await?
        .ok_or_else(|| invalid("unit", Problem::Unknown))?;
    if !may_grant(scope, &target) {
        return Err(invalid("unit", Problem::OutOfReach));
    }
    if target.national_oversight == granted {
        return Ok(());
    }
    let txn = db.begin_write().await?;
    unit::Entity::update_many()
        .col_expr(unit::Column::NationalOversight, Expr::value(granted))
        .filter(unit::Column::Id.eq(target.id))
        .exec(&txn)
        .await?;
    let action = if granted {
        Action::OversightGranted
    } else {
        Action::OversightWithdrawn
    };
    audit::record(
        &txn,
        Event::new(action)
            .actor(Some(scope.admin_id), &scope.admin_username)
            .on("unit", &target.code)
            .from_ip(scope.ip.as_deref()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The units an administrator manages, as the root of their reach.
pub async fn reach_root(db: &Db, scope: &Scope) -> Result<UnitRef, AdminError> {
    let root = unit::Entity::find()
        .filter(unit::Column::Path.eq(scope.unit_path.clone()))
        .one(&db.read)
        .await?
        .ok_or(AdminError::NotFound)?;
    Ok(UnitRef {
        code: root.code,
        name: root.name,
        level: root
            .level
            .parse()
            .unwrap_or(crate::model::UnitLevel::Commune),
    })
}
