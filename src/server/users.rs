//! Officials' accounts.

use super::db::Db;
use super::entity::{unit, user};
use super::password;
use crate::model::user::{password::Weakness, username};
use crate::model::{Classification, Role};
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
    #[error("{}", weakness_message(*.0))]
    WeakPassword(Weakness),
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

fn weakness_message(weakness: Weakness) -> &'static str {
    match weakness {
        Weakness::TooShort => "the password must be at least 12 characters",
        Weakness::TooLong => "the password must be at most 128 characters",
        Weakness::HasControlCharacters => "the password must not contain control characters",
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
    crate::model::user::password::check(&new.password).map_err(UserError::WeakPassword)?;
    let unit = unit::Entity::find()
        .filter(unit::Column::Code.eq(new.unit_code.trim()))
        .one(&db.read)
        .await?
        .ok_or_else(|| UserError::UnknownUnit(new.unit_code.trim().to_owned()))?;

    let password_hash = password::hash_blocking(new.password).await?;
    let now = Utc::now();
    let account = user::ActiveModel {
        username: Set(name.clone()),
        full_name: Set(full_name),
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

pub async fn find_by_username(db: &Db, name: &str) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Username.eq(username::normalize(name)))
        .one(&db.read)
        .await
}

/// One `@`, something before it, a dot in the domain, no spaces: enough to catch typing
/// mistakes; whether the address works only a sent message can tell.
fn plausible_email(email: &str) -> bool {
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
