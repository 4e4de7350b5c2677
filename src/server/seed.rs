//! Demo data, so that a new user meets a living system.

use super::db::Db;
use super::entity::user;
use super::users::{self, NewUser, UserError};
use super::{hierarchy, password};
use crate::model::{Classification, Role};
use anyhow::Result;
use sea_orm::{EntityTrait, PaginatorTrait};

/// The demo accounts' shared password. Printed at start while the demo admin still uses it.
pub const DEMO_PASSWORD: &str = "tiendo-demo-2026";
pub const DEMO_ADMIN: &str = "admin";

struct DemoUser {
    username: &'static str,
    full_name: &'static str,
    unit_code: &'static str,
    role: Role,
    clearance: Classification,
}

const DEMO_USERS: [DemoUser; 6] = [
    DemoUser {
        username: DEMO_ADMIN,
        full_name: "Quản trị hệ thống",
        unit_code: hierarchy::ROOT_CODE,
        role: Role::Admin,
        clearance: Classification::TopSecret,
    },
    DemoUser {
        username: "tw.lanhdao",
        full_name: "Nguyễn Văn Trung",
        unit_code: hierarchy::ROOT_CODE,
        role: Role::Leader,
        clearance: Classification::Secret,
    },
    DemoUser {
        username: "hanoi.lanhdao",
        full_name: "Trần Thị Hà",
        unit_code: "01",
        role: Role::Leader,
        clearance: Classification::Confidential,
    },
    DemoUser {
        username: "hanoi.canbo",
        full_name: "Lê Minh Tuấn",
        unit_code: "01",
        role: Role::Officer,
        clearance: Classification::Internal,
    },
    DemoUser {
        username: "badinh.canbo",
        full_name: "Phạm Thu Trang",
        unit_code: "00004",
        role: Role::Officer,
        clearance: Classification::Internal,
    },
    DemoUser {
        username: "hue.xem",
        full_name: "Hoàng Đức Huy",
        unit_code: "46",
        role: Role::Viewer,
        clearance: Classification::Internal,
    },
];

/// What seeding did.
#[derive(Debug, Default)]
pub struct SeedReport {
    pub users_added: usize,
}

/// Adds the demo data that is not there yet; running it twice adds nothing the second time.
pub async fn demo(db: &Db) -> Result<SeedReport> {
    let mut report = SeedReport::default();
    for demo in &DEMO_USERS {
        if users::find_by_username(db, demo.username).await?.is_some() {
            continue;
        }
        let created = users::create(
            db,
            NewUser {
                username: demo.username.into(),
                full_name: demo.full_name.into(),
                email: None,
                unit_code: demo.unit_code.into(),
                role: demo.role,
                clearance: demo.clearance,
                password: DEMO_PASSWORD.into(),
                must_change_password: false,
            },
        )
        .await;
        match created {
            Ok(_) => report.users_added += 1,
            // Another process seeded the same user in between: that is the goal anyway.
            Err(UserError::UsernameTaken(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(report)
}

/// Whether the database holds no accounts yet: a first start.
pub async fn is_empty(db: &Db) -> Result<bool> {
    Ok(user::Entity::find().count(&db.read).await? == 0)
}

/// The demo admin's login while it still works, to print at start.
pub async fn demo_login(db: &Db) -> Result<Option<(String, String)>> {
    let Some(admin) = users::find_by_username(db, DEMO_ADMIN).await? else {
        return Ok(None);
    };
    let still_demo =
        tokio::task::spawn_blocking(move || password::verify(DEMO_PASSWORD, &admin.password_hash))
            .await?;
    Ok(still_demo.then(|| (DEMO_ADMIN.to_owned(), DEMO_PASSWORD.to_owned())))
}
