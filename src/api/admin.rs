//! Managing officials' accounts: administrators only, within their own subtree.

#[cfg(feature = "ssr")]
use crate::model::Classification;
use crate::model::admin::{Grantable, Oversight, UserDetail, UserFilter, UserPage};
use crate::model::{AppError, Role};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::model::{AppError, Problem, Role};
    use crate::server::admin::{AdminError, Scope};

    /// The calling administrator's reach.
    pub fn scope() -> Result<Scope, AppError> {
        let admin = super::super::require_role(&[Role::Admin])?;
        Ok(Scope::of(&admin, super::super::client().ip))
    }

    pub fn map(error: AdminError) -> AppError {
        super::super::fail(match error {
            AdminError::NotFound => AppError::NotFound,
            AdminError::Invalid { field, problem } => AppError::invalid(field, problem),
            AdminError::Conflict => AppError::Conflict,
            AdminError::Database(e) => crate::server::error::database(&e),
            AdminError::Other(e) => return super::super::internal(e),
        })
    }

    pub fn parse_role(role: &str) -> Result<Role, AppError> {
        role.parse()
            .map_err(|_| super::super::fail(AppError::invalid("role", Problem::Unknown)))
    }

    pub fn parse_clearance(level: &str) -> Result<crate::model::Classification, AppError> {
        level
            .parse()
            .map_err(|_| super::super::fail(AppError::invalid("clearance", Problem::Unknown)))
    }

    /// The fields of the account form, checked.
    pub fn fields(
        full_name: String,
        email: String,
        unit: String,
        role: &str,
        clearance: &str,
    ) -> Result<crate::server::admin::AccountFields, AppError> {
        Ok(crate::server::admin::AccountFields {
            full_name,
            email: Some(email),
            unit_code: unit,
            role: parse_role(role)?,
            clearance: parse_clearance(clearance)?,
        })
    }

    /// The one-time password kept in the administrator's session for one account, until
    /// its page shows it. Sealed to the session's id, which the database does not hold:
    /// the session row never carries a password anyone could read from it.
    const FLASH_PASSWORD: &str = "flash_password";

    pub async fn keep_password(
        session: &tower_sessions::Session,
        account: i32,
        password: &str,
    ) -> Result<(), AppError> {
        let id = session_id(session).await?;
        let sealed = crate::server::crypto::seal(&id, FLASH_PASSWORD, password);
        session
            .insert(FLASH_PASSWORD, (account, sealed))
            .await
            .map_err(super::super::internal)
    }

    /// The password kept for `account`, once: it is gone from the session after this.
    pub async fn take_password(
        session: &tower_sessions::Session,
        account: i32,
    ) -> Result<Option<String>, AppError> {
        let kept: Option<(i32, String)> = session
            .get(FLASH_PASSWORD)
            .await
            .map_err(super::super::internal)?;
        let Some((_, sealed)) = kept.filter(|(for_account, _)| *for_account == account) else {
            return Ok(None);
        };
        session
            .remove::<(i32, String)>(FLASH_PASSWORD)
            .await
            .map_err(super::super::internal)?;
        let id = session_id(session).await?;
        Ok(crate::server::crypto::unseal(&id, FLASH_PASSWORD, &sealed))
    }

    /// The session's id as the browser's cookie carries it. A session about to be saved
    /// for the first time has none yet: saving it now gives it one.
    async fn session_id(session: &tower_sessions::Session) -> Result<String, AppError> {
        if session.id().is_none() {
            session.save().await.map_err(super::super::internal)?;
        }
        session
            .id()
            .map(|id| id.to_string())
            .ok_or_else(|| super::super::internal("the session has no id"))
    }
}

#[server(endpoint = "admin/users")]
pub async fn list_users(#[server(default)] filter: UserFilter) -> Result<UserPage, AppError> {
    let scope = ssr::scope()?;
    let state = super::state()?;
    crate::server::admin::list(&state.db, &scope, &filter)
        .await
        .map_err(ssr::map)
}

/// What the calling administrator may grant.
#[server(endpoint = "admin/grantable")]
pub async fn get_grantable() -> Result<Grantable, AppError> {
    let scope = ssr::scope()?;
    let state = super::state()?;
    let unit = crate::server::admin::reach_root(&state.db, &scope)
        .await
        .map_err(ssr::map)?;
    Ok(Grantable {
        clearances: Classification::ALL
            .into_iter()
            .filter(|level| *level <= scope.clearance)
            .collect(),
        unit,
    })
}

/// One account in reach. A password just set for it is handed over here, once.
#[server(endpoint = "admin/user")]
pub async fn get_user(id: i32) -> Result<UserDetail, AppError> {
    let scope = ssr::scope()?;
    let state = super::state()?;
    let mut detail = crate::server::admin::detail(&state.db, &scope, id)
        .await
        .map_err(ssr::map)?;
    let session = super::session().await?;
    detail.new_password = ssr::take_password(&session, id).await?;
    Ok(detail)
}

/// Creates an account with a generated password, shown once on the account's page.
#[server(endpoint = "admin/users/create")]
pub async fn create_user(
    username: String,
    full_name: String,
    email: String,
    unit: String,
    role: String,
    clearance: String,
) -> Result<(), AppError> {
    let scope = ssr::scope()?;
    let fields = ssr::fields(full_name, email, unit, &role, &clearance)?;
    let state = super::state()?;
    let (id, password) = crate::server::admin::create(&state.db, &scope, &username, fields)
        .await
        .map_err(ssr::map)?;
    ssr::keep_password(&super::session().await?, id, &password).await?;
    leptos_axum::redirect(&format!("/admin/users/{id}?done=created"));
    Ok(())
}

/// Saves an account's details, if nobody changed them since `version` was read.
#[server(endpoint = "admin/users/update")]
pub async fn update_user(
    id: i32,
    version: i32,
    full_name: String,
    email: String,
    unit: String,
    role: String,
    clearance: String,
) -> Result<(), AppError> {
    let scope = ssr::scope()?;
    let fields = ssr::fields(full_name, email, unit, &role, &clearance)?;
    let state = super::state()?;
    crate::server::admin::update(&state.db, &scope, id, version, fields)
        .await
        .map_err(ssr::map)?;
    leptos_axum::redirect(&format!("/admin/users/{id}?done=saved"));
    Ok(())
}

/// Disables (`active = false`) or enables an account.
#[server(endpoint = "admin/users/active")]
pub async fn set_user_active(id: i32, active: bool) -> Result<(), AppError> {
    let scope = ssr::scope()?;
    let state = super::state()?;
    crate::server::admin::set_active(&state.db, &scope, id, active)
        .await
        .map_err(ssr::map)?;
    let done = if active { "enabled" } else { "disabled" };
    leptos_axum::redirect(&format!("/admin/users/{id}?done={done}"));
    Ok(())
}

/// Sets a new generated password, shown once, to be changed at the next sign-in.
#[server(endpoint = "admin/users/reset")]
pub async fn reset_user_password(id: i32) -> Result<(), AppError> {
    let scope = ssr::scope()?;
    let state = super::state()?;
    let password = crate::server::admin::reset_password(&state.db, &scope, id)
        .await
        .map_err(ssr::map)?;
    ssr::keep_password(&super::session().await?, id, &password).await?;
    leptos_axum::redirect(&format!("/admin/users/{id}?done=reset"));
    Ok(())
}

/// Which units oversee the whole country.
#[server(endpoint = "admin/oversight")]
pub async fn get_oversight() -> Result<Oversight, AppError> {
    let scope = ssr::scope()?;
    let state = super::state()?;
    crate::server::admin::oversight(&state.db, &scope)
        .await
        .map_err(ssr::map)
}

/// Grants (`granted = true`) or withdraws national oversight for a central body.
#[server(endpoint = "admin/oversight/set")]
pub async fn set_oversight(code: String, granted: bool) -> Result<(), AppError> {
    let scope = ssr::scope()?;
    let state = super::state()?;
    crate::server::admin::set_oversight(&state.db, &scope, &code, granted)
        .await
        .map_err(ssr::map)?;
    leptos_axum::redirect("/admin/oversight?done=saved");
    Ok(())
}

/// The roles an administrator can choose from, in the order they are offered.
pub const ROLES: [Role; 4] = [Role::Viewer, Role::Officer, Role::Leader, Role::Admin];

/// The audit log, for administrators: their subtree's events within their clearance.
#[server(endpoint = "admin/audit")]
pub async fn list_audit(
    #[server(default)] filter: crate::model::audit::AuditFilter,
) -> Result<crate::model::audit::AuditPage, AppError> {
    let admin = super::require_role(&[Role::Admin])?;
    let reader = crate::server::access::Reader::of(&admin);
    let state = super::state()?;
    super::outcome(crate::server::audit::viewer::page(&state.db, &reader, &filter).await)
}
