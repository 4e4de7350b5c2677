//! Integration tests: the real server and the real binary, on SQLite and PostgreSQL.
//! One test binary, so the suite links once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access_holes;
mod access_model;
mod admin;
mod audit;
mod auth;
mod cli;
mod common;
mod dashboard;
mod deadlines;
mod edges;
mod faults;
mod feedback;
mod forms;
mod fuzz;
mod hierarchy;
mod indicators;
mod periods;
mod supervision;
mod web;
mod work;
mod work_rules;
