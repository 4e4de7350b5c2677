//! The `tiendo` binary: its commands, and one clear line for every bad input.

use crate::common::{Backend, POSTGRES_ENV, TempDir, TestDatabase};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

fn tiendo(database_url: &str, args: &[&str]) -> Output {
    tiendo_with_stdin(database_url, args, "")
}

fn tiendo_with_stdin(database_url: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(args)
        .env("TIENDO_DATABASE_URL", database_url)
        .env("TIENDO_EVIDENCE_DIR", evidence_dir())
        .env_remove("TIENDO_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("stdin accepts");
    child.wait_with_output().expect("the binary ends")
}

/// Demo evidence written by the commands goes to the system's temporary folder, not into
/// the checkout.
fn evidence_dir() -> std::path::PathBuf {
    std::env::temp_dir().join("tiendo-cli-test-evidence")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The command failed with exactly one line on stderr, which says `expected`.
fn assert_one_line_error(output: &Output, expected: &str) {
    let err = stderr(output);
    assert!(!output.status.success(), "should fail; stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(expected), "`{expected}` in: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

fn sqlite() -> TestDatabase {
    TestDatabase::create(Backend::Sqlite).expect("SQLite")
}

#[test]
fn an_unreachable_database_is_one_line() {
    let output = tiendo("postgres://postgres@127.0.0.1:1/nothing", &["migrate"]);
    assert_one_line_error(
        &output,
        "cannot open the database postgres://postgres@127.0.0.1:1/nothing",
    );
}

#[test]
fn an_unknown_database_kind_is_one_line() {
    let output = tiendo("mysql://localhost/tiendo", &["migrate"]);
    assert_one_line_error(&output, "unsupported database URL");
}

#[test]
fn an_unwritable_data_folder_is_one_line() {
    let folder = TempDir::new();
    let file = folder.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let url = format!("sqlite://{}/data/tiendo.db", file.display());
    let output = tiendo(&url, &["migrate"]);
    assert_one_line_error(&output, "cannot create the data folder");
}

#[test]
fn a_port_in_use_is_one_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let database = sqlite();
    let output = tiendo(&database.url, &["serve", "--listen", &addr]);
    assert_one_line_error(&output, &format!("cannot listen on {addr}"));
}

#[test]
fn migrate_creates_the_database_and_its_folder() {
    let folder = TempDir::new();
    let url = format!("sqlite://{}/nested/data/tiendo.db", folder.path().display());
    let output = tiendo(&url, &["migrate"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(folder.path().join("nested/data/tiendo.db").exists());
    // A second run finds nothing to do.
    let again = tiendo(&url, &["migrate"]);
    assert!(again.status.success());
    assert_eq!(stderr(&again), "", "nothing logged when nothing changes");
}

#[test]
fn user_create_with_a_generated_password() {
    let database = sqlite();
    let output = tiendo(
        &database.url,
        &[
            "user",
            "create",
            "--username",
            "Hanoi.Officer",
            "--full-name",
            "Nguyễn Văn An",
            "--unit",
            "01",
            "--role",
            "officer",
            "--clearance",
            "internal",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("created user hanoi.officer"), "{out}");
    let password = out
        .lines()
        .find_map(|l| l.split("first sign-in): ").nth(1))
        .expect("the password is printed");
    assert_eq!(password.trim().chars().count(), 20);

    // The same username again is refused.
    let again = tiendo(
        &database.url,
        &[
            "user",
            "create",
            "--username",
            "hanoi.officer",
            "--full-name",
            "Someone Else",
            "--unit",
            "01",
            "--role",
            "viewer",
            "--clearance",
            "public",
        ],
    );
    assert_one_line_error(&again, "the username `hanoi.officer` is taken");
}

#[test]
fn user_create_reads_the_password_from_stdin() {
    let database = sqlite();
    let output = tiendo_with_stdin(
        &database.url,
        &[
            "user",
            "create",
            "--username",
            "badinh.leader",
            "--full-name",
            "Trần Thị Bình",
            "--unit",
            "00004",
            "--role",
            "leader",
            "--clearance",
            "confidential",
            "--password-stdin",
        ],
        "một câu mật khẩu dài\n",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        !stdout(&output).contains("password"),
        "a chosen password is not echoed"
    );
}

#[test]
fn user_create_refuses_bad_input() {
    let database = sqlite();
    let base = |unit: &'static str, role: &'static str| {
        vec![
            "user",
            "create",
            "--username",
            "someone",
            "--full-name",
            "Someone",
            "--unit",
            unit,
            "--role",
            role,
            "--clearance",
            "internal",
            "--password-stdin",
        ]
    };
    let unknown_unit = tiendo_with_stdin(
        &database.url,
        &base("99999", "officer"),
        "long enough password\n",
    );
    assert_one_line_error(&unknown_unit, "there is no unit with code `99999`");

    let short = tiendo_with_stdin(&database.url, &base("01", "officer"), "short\n");
    assert_one_line_error(&short, "at least 12 characters");

    let bad_role = tiendo_with_stdin(&database.url, &base("01", "root"), "long enough password\n");
    assert!(!bad_role.status.success());
    assert!(stderr(&bad_role).contains("expected admin, leader, officer or viewer"));
}

#[test]
fn seed_demo_is_idempotent_and_prints_the_login() {
    let database = sqlite();
    let first = tiendo(&database.url, &["seed", "demo"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("demo data: 11 accounts, 5 documents and 12 feedback items added"),
        "{}",
        stdout(&first)
    );
    assert!(stdout(&first).contains("demo login: username `admin`"));
    let second = tiendo(&database.url, &["seed", "demo"]);
    assert!(
        stdout(&second).contains("demo data: 0 accounts, 0 documents and 0 feedback items added"),
        "{}",
        stdout(&second)
    );
}

#[test]
fn backup_copies_a_live_sqlite_database() {
    let database = sqlite();
    assert!(tiendo(&database.url, &["seed", "demo"]).status.success());
    let folder = TempDir::new();
    let target = folder.path().join("copy.db");
    let target_text = target.to_str().unwrap();
    let output = tiendo(&database.url, &["backup", target_text]);
    assert!(output.status.success(), "{}", stderr(&output));

    // The copy is a working database with the same accounts.
    let copy_url = format!("sqlite://{target_text}");
    let seeded_again = tiendo(&copy_url, &["seed", "demo"]);
    assert!(
        stdout(&seeded_again).contains("0 accounts, 0 documents and 0 feedback items added"),
        "{}",
        stdout(&seeded_again)
    );

    let refused = tiendo(&database.url, &["backup", target_text]);
    assert_one_line_error(&refused, "already exists");
}

#[test]
fn backup_on_postgres_points_to_pg_dump() {
    let Some(database) = TestDatabase::create(Backend::Postgres) else {
        eprintln!("skipped: {POSTGRES_ENV} is not set");
        return;
    };
    assert!(tiendo(&database.url, &["migrate"]).status.success());
    let output = tiendo(&database.url, &["backup", "/tmp/never-written.db"]);
    assert_one_line_error(&output, "pg_dump");
}

#[test]
fn serve_answers_and_stops_gracefully_on_sigterm() {
    let database = sqlite();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--demo",
            "--secure-cookies",
            "false",
        ])
        .env("TIENDO_DATABASE_URL", &database.url)
        .env("TIENDO_EVIDENCE_DIR", evidence_dir())
        .env("TIENDO_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    let address = loop {
        let line = lines
            .next()
            .expect("the server prints its address")
            .unwrap();
        printed.push(line.clone());
        if let Some(address) = line.strip_prefix("Tiến Độ is serving on ") {
            break address.to_owned();
        }
    };
    assert!(
        printed
            .iter()
            .any(|l| l.contains("demo login: username `admin`")),
        "the first login is printed: {printed:?}"
    );
    let health = crate::common::Page::from(
        crate::common::agent()
            .get(format!("{address}/healthz"))
            .call()
            .unwrap(),
    );
    assert_eq!(health.status, 200);

    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exits cleanly on SIGTERM: {status:?}");
}
