//! `tiendo`: the Tiến Độ server and its administration commands.

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use tiendo::model::time::Day;
use tiendo::model::{Classification, Role};
use tiendo::server::db::{self, Db};
use tiendo::server::http::{Server, shutdown_signal};
use tiendo::server::supervision::{self, Ladder, Sweeper};
use tiendo::server::users::{self, NewUser};
use tiendo::server::{ServeConfig, national, password, seed};
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(
    name = "tiendo",
    version,
    about = "Tiến Độ: follow how resolutions are carried out",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// Database URL: sqlite://<file> (created with its folder if missing) or postgres://...
    #[arg(long, env = "TIENDO_DATABASE_URL", default_value = db::DEFAULT_URL, global = true)]
    database_url: String,

    /// Log filter: a level (error, warn, info, debug, trace) or tracing directives.
    /// Default: info for the server, warn for the other commands.
    #[arg(long, env = "TIENDO_LOG", global = true)]
    log: Option<String>,

    /// Where report evidence files are stored (outside the web root).
    #[arg(
        long,
        env = "TIENDO_EVIDENCE_DIR",
        default_value = "data/evidence",
        global = true
    )]
    evidence_dir: PathBuf,

    /// Log format.
    #[arg(long, env = "TIENDO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,

    /// Options for `serve`, also accepted without the word `serve`.
    #[command(flatten)]
    serve: ServeArgs,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web application (the default).
    Serve(ServeArgs),
    /// Apply the database migrations and load the unit hierarchy, then exit.
    Migrate,
    /// Add data sets.
    Seed {
        #[command(subcommand)]
        set: SeedSet,
    },
    /// Manage officials' accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Write a consistent copy of the live SQLite database to a new file.
    Backup {
        /// The file to create.
        file: PathBuf,
    },
    /// Put a copy made by `backup` in place of the SQLite database (stop the server
    /// first). The database it replaces is kept beside it, renamed.
    Restore {
        /// The copy to bring back.
        file: PathBuf,
    },
    /// Run the reminder sweep once (servers run it by themselves) and print what it did.
    Sweep {
        #[command(flatten)]
        ladder: LadderArgs,
        /// Sweep as of noon (Vietnam time) on this day instead of now: YYYY-MM-DD.
        #[arg(long, value_parser = parse_day)]
        today: Option<Day>,
        /// This sweeper's name in the database's lease.
        #[arg(long, default_value = "command-line")]
        instance: String,
    },
}

/// The reminder and escalation ladder.
#[derive(Args, Debug, Clone)]
struct LadderArgs {
    /// Days before a due date on which the lead unit's officers are reminded.
    #[arg(long, env = "TIENDO_REMIND_BEFORE", default_value = "7,3,1", value_parser = parse_days)]
    remind_before: Days,
    /// Overdue days after which the lead unit's leaders are told.
    #[arg(long, env = "TIENDO_ESCALATE_LEADERS_AFTER", default_value_t = 3)]
    escalate_leaders_after: u16,
    /// Overdue days after which the assigning unit's leaders are told.
    #[arg(long, env = "TIENDO_ESCALATE_ASSIGNER_AFTER", default_value_t = 7)]
    escalate_assigner_after: u16,
    /// Days without a progress report on an open task after which the assigning unit's
    /// leaders are told.
    #[arg(long, env = "TIENDO_ESCALATE_QUIET_AFTER", default_value_t = 30)]
    escalate_quiet_after: u16,
}

/// A list of days, parsed whole (clap would otherwise read it as repeated values).
#[derive(Clone, Debug)]
struct Days(Vec<u16>);

fn parse_days(text: &str) -> Result<Days, String> {
    Ladder::parse_days(text).map(Days)
}

fn parse_day(text: &str) -> Result<Day, String> {
    Day::parse(text).ok_or_else(|| format!("`{text}` is not a date (YYYY-MM-DD)"))
}

impl LadderArgs {
    fn ladder(&self) -> Result<Ladder> {
        Ladder::new(
            self.remind_before.0.clone(),
            self.escalate_leaders_after,
            self.escalate_assigner_after,
            self.escalate_quiet_after,
        )
        .map_err(|problem| anyhow::anyhow!("{problem}"))
    }
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "TIENDO_LISTEN", default_value = "127.0.0.1:3000")]
    listen: SocketAddr,

    /// Mark cookies Secure (with the __Host- prefix) and send HSTS. Turn off only for
    /// local plain-http use.
    #[arg(long, env = "TIENDO_SECURE_COOKIES", default_value_t = true, action = clap::ArgAction::Set,
          value_parser = clap::builder::BoolishValueParser::new())]
    secure_cookies: bool,

    /// Seed the demo data when the database has no accounts yet, and print the demo login.
    #[arg(long, env = "TIENDO_DEMO")]
    demo: bool,

    /// Feedback submissions (public form and Open311) allowed per client address in ten
    /// minutes; a fifth of them without the browser's proof of work. 0 turns the limits
    /// off (for measuring throughput only).
    #[arg(long, env = "TIENDO_FEEDBACK_PER_IP", default_value_t = tiendo::server::feedback::DEFAULT_PER_IP)]
    feedback_per_ip: u32,

    /// Seconds between reminder sweeps, across all servers on the database; 0 turns the
    /// sweep off on this server.
    #[arg(long, env = "TIENDO_SWEEP_EVERY", default_value_t = 600)]
    sweep_every: u64,

    /// This server's name in the sweep's lease (default: the address it listens on).
    /// Keep it the same across restarts.
    #[arg(long, env = "TIENDO_INSTANCE")]
    instance: Option<String>,

    #[command(flatten)]
    ladder: LadderArgs,

    /// The mail server for the daily digests: smtps://USER:PASSWORD@HOST:465,
    /// smtp://USER:PASSWORD@HOST:587?tls=required, or smtp://HOST:PORT (unencrypted, for a
    /// relay on the same host). No email is sent without it.
    #[arg(long, env = "TIENDO_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,

    /// The digests' sender.
    #[arg(
        long,
        env = "TIENDO_MAIL_FROM",
        default_value = "Tiến Độ <noreply@localhost>"
    )]
    mail_from: String,

    /// The address officials open the application at, for the links in the digests.
    #[arg(long, env = "TIENDO_PUBLIC_URL")]
    public_url: Option<String>,

    /// The hour (Vietnam time, 0-23) from which each day's digests are sent.
    #[arg(long, env = "TIENDO_DIGEST_HOUR", default_value_t = 7)]
    digest_hour: u32,

    /// Days an audit event is kept (at least 366); older ones are removed once a day.
    #[arg(long, env = "TIENDO_AUDIT_RETENTION_DAYS", default_value_t = tiendo::server::audit::retention::DEFAULT_DAYS,
          value_parser = clap::value_parser!(u32).range(i64::from(tiendo::server::audit::retention::MIN_DAYS)..))]
    audit_retention_days: u32,
}

#[derive(Subcommand, Debug)]
enum SeedSet {
    /// Demo officials, documents, tasks cascaded to provinces and wards, and reports.
    Demo,
    /// The whole country's data, for measuring: the seven major resolutions, 1,800
    /// central tasks cascaded to every province and one in five on to every commune
    /// (about 1.26 million tasks), reports over the past year and 150,000 officials
    /// (`nat.<unit code>.<n>`, password as the demo's). Resolutions already seeded are
    /// skipped.
    National {
        /// Central tasks over the seven resolutions (smaller data sets for trials).
        #[arg(long, default_value_t = 1800)]
        central_tasks: u32,
    },
}

#[derive(Subcommand, Debug)]
enum UserAction {
    /// Create an account. Without --password-stdin a password is generated and printed once.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        full_name: String,
        /// Code of the official's unit: TW, VPTW, 01 (Hà Nội), 00004 (Phường Ba Đình)...
        #[arg(long)]
        unit: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// public, internal, confidential, secret or top_secret.
        #[arg(long, value_parser = parse_classification)]
        clearance: Classification,
        #[arg(long)]
        email: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse()
        .map_err(|_| "expected admin, leader, officer or viewer".to_owned())
}

fn parse_classification(text: &str) -> Result<Classification, String> {
    text.parse()
        .map_err(|_| "expected public, internal, confidential, secret or top_secret".to_owned())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(error) = init_logging(&cli) {
        eprintln!("error: {error:#}");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli));
    // Work still running on blocking threads (a password check) must not hold the process
    // past a stop.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, the whole chain of causes, no backtrace.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(cli: &Cli) -> Result<()> {
    let serving = matches!(cli.command, None | Some(Command::Serve(_)));
    let level = cli
        .log
        .as_deref()
        .unwrap_or(if serving { "info" } else { "warn" });
    let filter = EnvFilter::try_new(format!("{level},sqlx=warn,sea_orm_migration=warn"))
        .with_context(|| format!("invalid log filter `{level}`"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
    Ok(())
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        None => serve(&cli.database_url, &cli.evidence_dir, cli.serve).await,
        Some(Command::Serve(args)) => serve(&cli.database_url, &cli.evidence_dir, args).await,
        Some(Command::Migrate) => {
            let db = tiendo::server::open_database(&cli.database_url).await?;
            db.close().await;
            println!("the database is up to date");
            Ok(())
        }
        Some(Command::Seed { set: SeedSet::Demo }) => {
            let db = tiendo::server::open_database(&cli.database_url).await?;
            let store = tiendo::server::evidence::EvidenceStore::new(cli.evidence_dir.clone());
            let report = seed::demo(&db, &store).await?;
            println!(
                "demo data: {} accounts, {} documents and {} feedback items added",
                report.users_added, report.documents_added, report.feedback_added
            );
            print_demo_login(&db).await?;
            db.close().await;
            Ok(())
        }
        Some(Command::Seed {
            set: SeedSet::National { central_tasks },
        }) => {
            let db = tiendo::server::open_database(&cli.database_url).await?;
            let shape = national::Shape {
                central_tasks: central_tasks.max(1),
                ..national::Shape::NATIONAL
            };
            let started = std::time::Instant::now();
            let mut bar = ProgressBar::new(started);
            let report = national::seed(&db, shape, &mut |p| bar.show(&p)).await;
            bar.finish();
            db.close().await;
            let report = report?;
            println!(
                "national data: {} officials, {} documents, {} tasks and {} reports added in {:.1} s",
                report.users,
                report.documents,
                report.tasks,
                report.reports,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Some(Command::User {
            action:
                UserAction::Create {
                    username,
                    full_name,
                    unit,
                    role,
                    clearance,
                    email,
                    password_stdin,
                },
        }) => {
            let (password, generated) = if password_stdin {
                (read_password_line()?, false)
            } else {
                (password::generate(), true)
            };
            let db = tiendo::server::open_database(&cli.database_url).await?;
            let created = users::create(
                &db,
                NewUser {
                    username,
                    full_name,
                    email,
                    unit_code: unit,
                    role,
                    clearance,
                    password: password.clone(),
                    must_change_password: generated,
                },
            )
            .await;
            db.close().await;
            let created = created?;
            println!("created user {} (id {})", created.username, created.id);
            if generated {
                println!("password (shown once; to be changed at first sign-in): {password}");
            }
            Ok(())
        }
        Some(Command::Backup { file }) => {
            let db = Db::connect(&cli.database_url).await?;
            let result = db::backup(&db, &file).await;
            db.close().await;
            result?;
            println!("backup written to {}", file.display());
            Ok(())
        }
        Some(Command::Sweep {
            ladder,
            today,
            instance,
        }) => {
            let ladder = ladder.ladder()?;
            let now = match today {
                // Noon in Vietnam is 05:00 UTC.
                Some(day) => {
                    chrono::DateTime::from_timestamp(i64::from(day.0) * 86_400 + 5 * 3600, 0)
                        .context("the day is out of range")?
                }
                None => chrono::Utc::now(),
            };
            let db = tiendo::server::open_database(&cli.database_url).await?;
            let mut sweeper = Sweeper::new(ladder, instance, std::time::Duration::from_secs(60));
            // As of another day: a lease of its own, so the servers' sweep is not held up.
            if today.is_some() {
                sweeper.job = supervision::sweep::SIMULATED_JOB.to_owned();
            }
            // For fault tests that kill a sweep halfway.
            if let Some(pause) = std::env::var("TIENDO_SWEEP_STEP_PAUSE_MS")
                .ok()
                .and_then(|ms| ms.parse().ok())
            {
                sweeper.step_pause = std::time::Duration::from_millis(pause);
            }
            let started = std::time::Instant::now();
            let report = supervision::sweep(&db, &sweeper, now).await;
            let took = started.elapsed();
            db.close().await;
            match report? {
                Some(report) => {
                    for (step, tasks) in &report.fired {
                        println!("{:<18} {tasks} tasks", step.key());
                    }
                    println!(
                        "{} reminders, {} notifications ({} daily summaries) in {:.3} s",
                        report.reminders(),
                        report.notified,
                        report.summaries,
                        took.as_secs_f64()
                    );
                }
                None => println!("another server is sweeping; nothing done"),
            }
            Ok(())
        }
        Some(Command::Restore { file }) => {
            let restored = db::restore(&cli.database_url, &file).await?;
            println!(
                "{} restored from {}",
                restored.database.display(),
                file.display()
            );
            if let Some(replaced) = restored.replaced {
                println!("the database it replaced is kept as {}", replaced.display());
            }
            Ok(())
        }
    }
}

async fn serve(url: &str, evidence_dir: &std::path::Path, args: ServeArgs) -> Result<()> {
    // A wrong setting stops the start, before anything listens.
    let ladder = args.ladder.ladder()?;
    // Unique per server: two servers never share a name (each lease would admit both).
    let instance = args
        .instance
        .clone()
        .unwrap_or_else(|| format!("{}:{}", host_name(), args.listen.port()));
    let mailer = match &args.smtp_url {
        Some(url) => Some(
            supervision::mail::Mailer::new(
                url,
                &args.mail_from,
                args.public_url.as_deref(),
                args.digest_hour,
                instance.clone(),
            )
            .map_err(|problem| anyhow::anyhow!("{problem}"))?,
        ),
        None => None,
    };
    let mut config = ServeConfig::new(args.listen, args.secure_cookies);
    config.feedback_per_ip = args.feedback_per_ip;
    config.evidence_dir = evidence_dir.to_owned();
    config.remind_before = ladder.before.clone();
    let server = Server::bind(config).await?;
    let addr = server.local_addr()?;
    let db = tiendo::server::open_database(url).await?;
    if args.demo && seed::is_empty(&db).await? {
        let store = tiendo::server::evidence::EvidenceStore::new(evidence_dir);
        let report = seed::demo(&db, &store).await?;
        tracing::info!(
            accounts = report.users_added,
            documents = report.documents_added,
            feedback = report.feedback_added,
            "demo data seeded"
        );
    }
    if args.demo {
        print_demo_login(&db).await?;
    }
    if args.sweep_every > 0 {
        let every = std::time::Duration::from_secs(args.sweep_every);
        let mut sweeper = Sweeper::new(ladder, instance, every);
        sweeper.audit_retention_days = args.audit_retention_days;
        supervision::sweep::spawn(db.clone(), sweeper);
    }
    if let Some(mailer) = mailer {
        supervision::mail::spawn(db.clone(), mailer, std::time::Duration::from_secs(60));
    }
    tracing::info!(%addr, database = %db::redact(url), "Tiến Độ is serving");
    println!("Tiến Độ is serving on http://{addr}");
    server.run(db, shutdown_signal()).await
}

async fn print_demo_login(db: &Db) -> Result<()> {
    if let Some((username, password)) = seed::demo_login(db).await? {
        println!("demo login: username `{username}`, password `{password}`");
    }
    Ok(())
}

/// A progress bar on stderr: redrawn in place on a terminal, a line a step otherwise.
struct ProgressBar {
    started: std::time::Instant,
    terminal: bool,
}

impl ProgressBar {
    fn new(started: std::time::Instant) -> Self {
        ProgressBar {
            started,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn show(&mut self, progress: &national::Progress) {
        const WIDTH: u64 = 30;
        let total = progress.total.max(1);
        let filled = (progress.done.min(total) * WIDTH / total) as usize;
        let line = format!(
            "[{}{}] {:>3} %  {:>6.1} s  {}",
            "#".repeat(filled),
            "-".repeat(WIDTH as usize - filled),
            progress.done.min(total) * 100 / total,
            self.started.elapsed().as_secs_f64(),
            progress.step
        );
        if self.terminal {
            eprint!("\r\x1b[2K{line}");
        } else {
            eprintln!("{line}");
        }
    }

    fn finish(&self) {
        if self.terminal {
            eprintln!();
        }
    }
}

fn read_password_line() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password: ");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("no password on standard input");
    }
    Ok(password)
}

/// This machine's name, for the default instance name.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "tiendo".to_owned())
}
