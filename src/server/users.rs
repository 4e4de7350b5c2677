//! Officials' accounts.

use super::audit::{self, Action, Event};
use super::db::Db;
use super::entity::{unit, user};
use super::{password, sessions};
use crate::model::account::{Account, SessionInfo};
use crate::model::user::{password::Weakness, username};
use crate::model::{Classification, Problem, Role};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, QueryFilter, SqlErr,
};

/// An account to create.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub unit_code: String,
    pub role: Role,
    pub clearance: Classification,
    pub password: String,
    /// Set for passwords that someone else chose: the official picks their own at first sign-in.
    pub must_change_password: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("the username must be 3 to 64 letters, digits, dots, dashes or underscores")]
    InvalidUsername,
    #[error("the username `{0}` is taken")]
    UsernameTaken(String),
    #[error("the full name is required (at most 200 characters)")]
    InvalidFullName,
    #[error("the email address is not valid")]
    InvalidEmail,
    #[error("there is no unit with code `{0}`")]
    UnknownUnit(String),
    #[error("{}", password_message(.0))]
    WeakPassword(Problem),
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

fn password_message(problem: &Problem) -> &'static str {
    match problem {
        Problem::TooShort { .. } => "the password must be at least 12 characters",
        Problem::TooLong { .. } => "the password must be at most 128 characters",
        Problem::Common => "the password is too common; choose another",
        _ => "the password must not contain control characters",
    }
}

/// What is wrong with a new password, if anything: the length rules, then the list of
/// common passwords.
pub fn password_problem(password: &str) -> Option<Problem> {
    use crate::model::user::password::{MAX_CHARS, MIN_CHARS, check};
    match check(password) {
        Err(Weakness::TooShort) => Some(Problem::TooShort {
            min: MIN_CHARS as u32,
        }),
        Err(Weakness::TooLong) => Some(Problem::TooLong {
            max: MAX_CHARS as u32,
        }),
        Err(Weakness::HasControlCharacters) => Some(Problem::Malformed),
        Ok(()) if password::is_common(password) => Some(Problem::Common),
        Ok(()) => None,
    }
}

pub async fn create(db: &Db, new: NewUser) -> Result<user::Model, UserError> {
    let name = username::normalize(&new.username);
    if !username::is_valid(&name) {
        return Err(UserError::InvalidUsername);
    }
    let full_name = new.full_name.trim().to_owned();
    if full_name.is_empty()
        || full_name.chars().count() > 200
        || full_name.chars().any(char::is_control)
    {
        return Err(UserError::InvalidFullName);
    }
    let email = new
        .email
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty());
    if let Some(email) = &email
        && !plausible_email(email)
    {
        return Err(UserError::InvalidEmail);
    }
    if let Some(problem) = password_problem(&new.password) {
        return Err(UserError::WeakPassword(problem));
    }
    let unit = unit::Entity::find()
        .filter(unit::Column::Code.eq(new.unit_code.trim()))
        .one(&db.read)
        .await?
        .ok_or_else(|| UserError::UnknownUnit(new.unit_code.trim().to_owned()))?;

    let password_hash = password::hash_blocking(new.password).await?;
    let now = Utc::now();
    let notices_after = crate::server::supervision::inbox::newest_id(&db.read).await?;
    let account = user::ActiveModel {
        username: Set(name.clone()),
        full_name: Set(full_name.clone()),
        email: Set(email),
        password_hash: Set(password_hash),
        unit_id: Set(unit.id),
        role: Set(new.role.as_str().to_owned()),
        clearance: Set(new.clearance.rank()),
        active: Set(true),
        failed_logins: Set(0),
        locked_until: Set(None),
        must_change_password: Set(new.must_change_password),
        password_changed_at: Set(now),
        created_at: Set(now),
        last_login_at: Set(None),
        version: Set(0),
        search_key: Set(search_key(&name, &full_name)),
        // What their unit was told before they came is not theirs.
        notices_after: Set(notices_after),
        read_through: Set(notices_after),
        mailed_through: Set(notices_after),
        ..Default::default()
    };
    account
        .insert(&db.write)
        .await
        .map_err(|e| match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => UserError::UsernameTaken(name),
            _ => UserError::Database(e),
        })
}

/// What account search matches: username and full name, folded.
pub fn search_key(username: &str, full_name: &str) -> String {
    crate::model::text::fold(&format!("{username} {full_name}"))
}

/// The full names of these officials, by id (for who sent, decided or evaluated what).
pub async fn full_names(
    db: &Db,
    ids: impl IntoIterator<Item = i32>,
) -> Result<std::collections::HashMap<i32, String>, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(&db.read)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect())
}

/// Gives accounts made before search keys existed their key.
pub async fn fill_search_keys(db: &Db) -> Result<u64, DbErr> {
    let missing = user::Entity::find()
        .filter(user::Column::SearchKey.eq(""))
        .all(&db.read)
        .await?;
    for account in &missing {
        user::Entity::update_many()
            .col_expr(
                user::Column::SearchKey,
                sea_orm::sea_query::Expr::value(search_key(&account.username, &account.full_name)),
            )
            .filter(user::Column::Id.eq(account.id))
            .exec(&db.write)
            .await?;
    }
    Ok(missing.len() as u64)
}

pub async fn find_by_username(db: &Db, name: &str) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Username.eq(username::normalize(name)))
        .one(&db.read)
        .await
}

/// Why a password change was refused.
#[derive(Debug, thiserror::Error)]
pub enum PasswordChangeError {
    #[error("the current password is wrong")]
    WrongCurrent,
    /// Too many wrong passwords (here or at sign-in): the account is locked for a while.
    #[error("the account is locked")]
    Locked,
    #[error(transparent)]
    Busy(#[from] password::Busy),
    #[error("the new password is not acceptable")]
    Unacceptable(Problem),
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Changes an official's own password and ends their other sessions, in one transaction.
pub async fn change_password(
    db: &Db,
    user_id: i32,
    current: &str,
    new: &str,
    keep_session: &str,
    ip: Option<&str>,
) -> Result<(), PasswordChangeError> {
    let account = user::Entity::find_by_id(user_id)
        .one(&db.read)
        .await?
        .ok_or(DbErr::RecordNotFound(format!("user {user_id}")))?;
    // The current password is a password guess like any at sign-in: a stolen session
    // must not become a way around the lockout.
    if account.locked_until.is_some_and(|until| until > Utc::now()) {
        return Err(PasswordChangeError::Locked);
    }
    let current_ok =
        password::verify_blocking(current, Some(account.password_hash.clone())).await?;
    if !current_ok {
        super::auth::record_failure(db, &account, ip).await?;
        return Err(PasswordChangeError::WrongCurrent);
    }
    if let Some(problem) = password_problem(new) {
        return Err(PasswordChangeError::Unacceptable(problem));
    }
    let hash = password::hash_blocking(new.to_owned()).await?;
    let txn = db.begin_write().await?;
    let mut update: user::ActiveModel = account.clone().into();
    update.password_hash = Set(hash);
    update.password_changed_at = Set(Utc::now());
    update.must_change_password = Set(false);
    update.update(&txn).await?;
    let ended = sessions::end_all_of_user(&txn, user_id, Some(keep_session)).await?;
    audit::record(
        &txn,
        Event::new(Action::PasswordChanged)
            .actor(Some(user_id), &account.username)
            .on_user(user_id)
            .from_ip(ip)
            .detail(format!("{ended} other sessions ended")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The official's profile and live sessions.
pub async fn account(
    db: &Db,
    viewer: crate::model::Viewer,
    current_session: &str,
) -> Result<Account, DbErr> {
    let account = user::Entity::find_by_id(viewer.id)
        .one(&db.read)
        .await?
        .ok_or(DbErr::RecordNotFound(format!("user {}", viewer.id)))?;
    let sessions = sessions::of_user(&db.read, viewer.id)
        .await?
        .into_iter()
        .map(|s| SessionInfo {
            current: s.id == current_session,
            handle: s.id,
            signed_in_at: s.created_at.timestamp(),
            last_active_at: s.updated_at.timestamp(),
            ip: s.ip,
            user_agent: s.user_agent,
        })
        .collect();
    Ok(Account {
        viewer,
        mail_off: account
            .mail_off
            .split(',')
            .filter_map(|kind| kind.parse().ok())
            .collect(),
        email: account.email,
        last_login_at: account.last_login_at.map(|t| t.timestamp()),
        password_changed_at: account.password_changed_at.timestamp(),
        sessions,
    })
}

/// One `@`, something before it, a dot in the domain, no spaces: enough to catch typing
/// mistakes; whether the address works only a sent message can tell.
pub fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The kinds of notification the official does not want by email.
pub async fn set_mail_off(
    db: &Db,
    user_id: i32,
    off: &[crate::model::notification::NotificationKind],
) -> Result<(), DbErr> {
    let text = off.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",");
    user::Entity::update_many()
        .col_expr(user::Column::MailOff, sea_orm::sea_query::Expr::value(text))
        .filter(user::Column::Id.eq(user_id))
        .exec(&db.write)
        .await?;
    Ok(())
}

/// The language the official last chose: their email is written in it.
pub async fn set_locale(db: &Db, user_id: i32, locale: &str) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(
            user::Column::Locale,
            sea_orm::sea_query::Expr::value(locale),
        )
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::Locale.ne(locale))
        .exec(&db.write)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_plausibility() {
        assert!(plausible_email("can.bo@hanoi.dcs.vn"));
        assert!(!plausible_email("can.bo"));
        assert!(!plausible_email("@hanoi.vn"));
        assert!(!plausible_email("a@b@c.vn"));
        assert!(!plausible_email("a b@c.vn"));
        assert!(!plausible_email("a@localhost"));
    }
}
