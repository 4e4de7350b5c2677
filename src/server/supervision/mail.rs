//! The daily email digest: one mail a day per official, in their language, listing the
//! notifications of the kinds they did not opt out of, as the access rule lets them see
//! them. Titles of tasks above "internal" never leave the system: the mail says only that
//! there is a classified task.
//!
//! Two jobs, each on one server at a time (`lease`): composing, once a day after the
//! digest hour, writes each official's digest into `mail_digests` with their notifications
//! marked in the same transaction; sending delivers what is unsent, and a mail server that
//! does not answer is tried again later (1, 2, 4... minutes, at most every 6 hours). No
//! request ever waits for the mail server, and nothing is dropped while it is away.

use super::inbox::{items_of, readable};
use super::lease::Lease;
use crate::components::labels::notification_sentence;
use crate::i18n::Locale;
use crate::model::notification::{NotificationItem, NotificationKind};
use crate::model::time::Day;
use crate::server::access::Reader;
use crate::server::db::Db;
use crate::server::entity::{mail_digest, notification, user};
use crate::server::work::to_naive;
use chrono::{DateTime, Timelike, Utc};
use lettre::Address;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::{Condition, Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use std::time::Duration;

const COMPOSE_JOB: &str = "mail_digest";
const SEND_JOB: &str = "mail_send";
/// At most this many notifications are listed in one mail; the rest are counted.
const LISTED: usize = 50;
/// The longest wait between two tries of an undelivered mail.
const MAX_BACKOFF_MINUTES: i64 = 360;

/// How this server mails.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The address officials reach the application at, for links in the mail.
    public_url: Option<String>,
    /// The hour (Vietnam time) from which the day's digests are made.
    pub digest_hour: u32,
    pub holder: String,
}

impl Mailer {
    /// Checks the settings; the message says which is wrong and how it should look.
    pub fn new(
        smtp_url: &str,
        from: &str,
        public_url: Option<&str>,
        digest_hour: u32,
        holder: impl Into<String>,
    ) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|error| {
                format!(
                    "the SMTP URL is not valid ({error}): expected smtps://USER:PASSWORD@HOST:465, \
                     smtp://USER:PASSWORD@HOST:587?tls=required or smtp://HOST:PORT"
                )
            })?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from: Mailbox = from.parse().map_err(|error| {
            format!("the sender address `{from}` is not valid ({error}): expected `Tiến Độ <noreply@example.gov.vn>`")
        })?;
        if digest_hour > 23 {
            return Err(format!(
                "the digest hour must be 0 to 23, not {digest_hour}"
            ));
        }
        let public_url = match public_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                Some(url.trim_end_matches('/').to_owned())
            }
            Some(url) => {
                return Err(format!(
                    "the public URL `{url}` must start with https:// (or http://)"
                ));
            }
            None => None,
        };
        let holder: String = holder.into().chars().take(64).collect();
        Ok(Mailer {
            transport,
            from,
            public_url,
            digest_hour,
            holder,
        })
    }
}

/// Makes today's digests if the digest hour has come and no server made them yet.
/// Returns how many mails were written, or `None` when it was not time or not our turn.
/// One official whose digest cannot be made (a database error) is logged and left for
/// the next run; the others go on.
pub async fn compose(db: &Db, mailer: &Mailer, now: DateTime<Utc>) -> anyhow::Result<Option<u64>> {
    let local = now + chrono::Duration::hours(7);
    let today = Day::in_vietnam(now.timestamp());
    if local.hour() < mailer.digest_hour {
        return Ok(None);
    }
    let lease = Lease::new(COMPOSE_JOB, &mailer.holder, Duration::from_secs(300));
    let Some(done_through) = lease.take(&db.write).await? else {
        return Ok(None);
    };
    if done_through.is_some_and(|day| day >= to_naive(today)) {
        return Ok(None);
    }
    let day = to_naive(today);
    let settled = settled(db).await?;
    // Officials with an address and notifications addressed to them or to their unit
    // since their last digest.
    let recipients: Vec<user::Model> = user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Email.is_not_null())
        .filter(user::Column::Email.ne(""))
        .filter(user::Column::MailedThrough.lt(settled))
        .filter(Expr::cust(format!(
            "EXISTS (SELECT 1 FROM notifications n WHERE n.id > users.mailed_through \
             AND n.id <= {settled} AND (n.user_id = users.id OR n.unit_id = users.unit_id))"
        )))
        .all(&db.read)
        .await?;
    let mut written = 0;
    for official in recipients {
        // Another server took over (this one stalled past the lease): it finishes.
        if !lease.hold(&db.write).await? {
            return Ok(Some(written));
        }
        match compose_one(db, mailer, &official, settled, today, now).await {
            Ok(n) => written += n,
            Err(error) => {
                tracing::warn!(user = official.id, %error, "a digest was not made; tried again tomorrow")
            }
        }
    }
    // Officials who cannot be mailed (no address, disabled) are not mailed later either.
    let txn = db.begin_write().await?;
    user::Entity::update_many()
        .col_expr(user::Column::MailedThrough, Expr::value(settled))
        .filter(user::Column::MailedThrough.lt(settled))
        .filter(
            Condition::any()
                .add(user::Column::Email.is_null())
                .add(user::Column::Email.eq(""))
                .add(user::Column::Active.eq(false)),
        )
        .exec(&txn)
        .await?;
    lease
        .hold_for(&txn, Duration::from_secs(300), Some(day))
        .await?;
    txn.commit().await?;
    Ok(Some(written))
}

/// The newest notification such that none below it can still be committed: the digest
/// covers up to it, and what comes after waits for tomorrow's. On PostgreSQL a
/// transaction may hold a lower id and commit later, so the newest is read once every
/// transaction writing notifications has ended (a share lock waits for them); SQLite has
/// one writer at a time and increasing ids.
async fn settled(db: &Db) -> Result<i64, sea_orm::DbErr> {
    use sea_orm::ConnectionTrait;
    let txn = db.begin_write().await?;
    if db.backend() == sea_orm::DbBackend::Postgres {
        txn.execute_unprepared("LOCK TABLE notifications IN SHARE MODE")
            .await?;
    }
    let newest = super::inbox::newest_id(&txn).await?;
    txn.commit().await?;
    Ok(newest)
}

/// One official's digest for `today` of their notifications since their last digest up
/// to `settled`, and their mark moved there. Returns 1 when a mail was written.
async fn compose_one(
    db: &Db,
    mailer: &Mailer,
    official: &user::Model,
    settled: i64,
    today: Day,
    now: DateTime<Utc>,
) -> anyhow::Result<u64> {
    let day = to_naive(today);
    let address = official
        .email
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .parse::<Address>()
        .map(|address| Mailbox::new(Some(official.full_name.clone()), address));
    let reader = Reader::load(db, &official.username).await?;
    let rows = readable(&reader)
        .filter(notification::Column::Id.gt(official.mailed_through))
        .filter(notification::Column::Id.lte(settled))
        .order_by_asc(notification::Column::Id)
        .all(&db.read)
        .await?;
    let off: Vec<&str> = official.mail_off.split(',').collect();
    let items: Vec<NotificationItem> = items_of(db, &reader, rows)
        .await?
        .0
        .into_iter()
        .filter(|item| !item.read && !off.contains(&item.kind.as_str()))
        .collect();
    let txn = db.begin_write().await?;
    match (&address, items.is_empty()) {
        (Err(error), _) => {
            tracing::warn!(user = official.id, %error, "an email address that cannot be mailed to");
        }
        (Ok(_), true) => {}
        (Ok(address), false) => {
            let locale: Locale = official.locale.parse().unwrap_or(Locale::vi);
            let (subject, body) = digest(locale, &official.full_name, &items, today, mailer);
            let written = mail_digest::Entity::insert(mail_digest::ActiveModel {
                user_id: Set(official.id),
                day: Set(day),
                recipient: Set(address.to_string()),
                subject: Set(subject),
                body: Set(body),
                created_at: Set(now),
                attempts: Set(0),
                next_attempt_at: Set(now),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::columns([mail_digest::Column::UserId, mail_digest::Column::Day])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
            if written == 0 {
                // Today's digest was made already: these wait for tomorrow's.
                return Ok(0);
            }
        }
    }
    user::Entity::update_many()
        .col_expr(user::Column::MailedThrough, Expr::value(settled))
        .filter(user::Column::Id.eq(official.id))
        .filter(user::Column::MailedThrough.lt(settled))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(u64::from(!items.is_empty() && address.is_ok()))
}

/// The subject and plain-text body of one official's digest.
fn digest(
    locale: Locale,
    name: &str,
    items: &[NotificationItem],
    today: Day,
    mailer: &Mailer,
) -> (String, String) {
    use crate::i18n::td_string;
    let n = crate::components::format::count(locale, items.len() as u64);
    let subject = td_string!(
        locale,
        notifications.mail_subject,
        n = n.clone(),
        day = today.display()
    )
    .to_string();
    let link = |path: &str| {
        mailer
            .public_url
            .as_ref()
            .map(|base| format!("\n  {base}{path}"))
            .unwrap_or_default()
    };
    let mut body = format!(
        "{}\n\n{}\n",
        td_string!(locale, notifications.mail_greeting, name = name.to_owned()),
        td_string!(locale, notifications.mail_intro)
    );
    for item in items.iter().take(LISTED) {
        body.push_str(&format!("\n- {}", notification_sentence(locale, item)));
        if let Some(task) = &item.task {
            let title = if task.classified {
                td_string!(locale, notifications.mail_classified).to_owned()
            } else {
                task.title.clone()
            };
            body.push_str(&format!(
                "\n  {title} ({})",
                td_string!(locale, notifications.due, due = task.due_on.display())
            ));
            body.push_str(&link(&format!("/tasks/{}", task.id)));
        } else if let Some(indicator) = &item.indicator {
            let name = if indicator.classified {
                td_string!(locale, notifications.mail_classified).to_owned()
            } else {
                indicator.name.clone()
            };
            body.push_str(&format!("\n  {name}"));
            body.push_str(&link(&format!("/indicators/{}", indicator.id)));
        } else if let Some(code) = &item.feedback_code {
            body.push_str(&link(&format!("/admin/feedback/{code}")));
        } else if item.kind == NotificationKind::OverdueDaily {
            body.push_str(&link("/my-work?view=overdue"));
        }
        body.push('\n');
    }
    if items.len() > LISTED {
        let more = crate::components::format::count(locale, (items.len() - LISTED) as u64);
        body.push_str(&format!(
            "\n{}\n",
            td_string!(locale, notifications.mail_more, n = more)
        ));
    }
    body.push_str(&format!(
        "\n--\n{}{}\n",
        td_string!(locale, notifications.mail_footer),
        link("/account")
    ));
    (subject, body)
}

/// Sends the digests that are due, oldest first; a failure waits longer each time.
/// Returns (sent, failed), or `None` when another server is sending. Each digest is
/// claimed before it is sent, so two servers never send one twice; a server stopped
/// between the mail server's acceptance and the record of it sends it again (at least
/// once). A digest is not sent any more to an official since disabled or left without an
/// address, nor two days late (its notifications stay in the application).
pub async fn send_due(
    db: &Db,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<(u64, u64)>> {
    let lease = Lease::new(SEND_JOB, &mailer.holder, Duration::from_secs(120));
    if lease.take(&db.write).await?.is_none() {
        return Ok(None);
    }
    let stale = mail_digest::Entity::delete_many()
        .filter(mail_digest::Column::SentAt.is_null())
        .filter(
            Condition::any()
                .add(
                    mail_digest::Column::Day
                        .lt(to_naive(Day::in_vietnam(now.timestamp()).plus_days(-1))),
                )
                .add(
                    mail_digest::Column::UserId.in_subquery(
                        user::Entity::find()
                            .select_only()
                            .column(user::Column::Id)
                            .filter(
                                Condition::any()
                                    .add(user::Column::Email.is_null())
                                    .add(user::Column::Active.eq(false)),
                            )
                            .into_query(),
                    ),
                ),
        )
        .exec(&db.write)
        .await?;
    if stale.rows_affected > 0 {
        tracing::warn!(
            dropped = stale.rows_affected,
            "digests not delivered in time dropped"
        );
    }
    let due = mail_digest::Entity::find()
        .filter(mail_digest::Column::SentAt.is_null())
        .filter(mail_digest::Column::NextAttemptAt.lte(now))
        .order_by_asc(mail_digest::Column::Id)
        .limit(200)
        .all(&db.read)
        .await?;
    let (mut sent, mut failed) = (0, 0);
    for mail in due {
        if !lease.hold(&db.write).await? {
            break;
        }
        // Ours to send: nobody else will take it for ten minutes.
        let claimed = mail_digest::Entity::update_many()
            .col_expr(
                mail_digest::Column::NextAttemptAt,
                Expr::value(now + chrono::Duration::minutes(10)),
            )
            .filter(mail_digest::Column::Id.eq(mail.id))
            .filter(mail_digest::Column::SentAt.is_null())
            .filter(mail_digest::Column::NextAttemptAt.lte(now))
            .exec(&db.write)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let outcome = match message(mailer, &mail) {
            Ok(message) => mailer
                .transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(problem) => Err(problem),
        };
        let update = mail_digest::Entity::update_many()
            .filter(mail_digest::Column::Id.eq(mail.id))
            .col_expr(
                mail_digest::Column::Attempts,
                Expr::value(mail.attempts + 1),
            );
        match outcome {
            Ok(()) => {
                sent += 1;
                update
                    .col_expr(mail_digest::Column::SentAt, Expr::value(Utc::now()))
                    .exec(&db.write)
                    .await?;
            }
            Err(problem) => {
                failed += 1;
                let wait = (1i64 << mail.attempts.clamp(0, 16)).min(MAX_BACKOFF_MINUTES);
                tracing::warn!(digest = mail.id, attempts = mail.attempts + 1, %problem, "a digest was not delivered; trying again later");
                update
                    .col_expr(
                        mail_digest::Column::NextAttemptAt,
                        Expr::value(now + chrono::Duration::minutes(wait)),
                    )
                    .col_expr(
                        mail_digest::Column::LastError,
                        Expr::value(problem.chars().take(500).collect::<String>()),
                    )
                    .exec(&db.write)
                    .await?;
            }
        }
    }
    Ok(Some((sent, failed)))
}

fn message(mailer: &Mailer, mail: &mail_digest::Model) -> Result<Message, String> {
    let to: Mailbox = mail
        .recipient
        .parse()
        .map_err(|e| format!("recipient: {e}"))?;
    Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .header(ContentTransferEncoding::Base64)
                .body(mail.body.clone()),
        )
        .map_err(|e| e.to_string())
}

/// Composes and sends every `every`, for as long as the server runs.
pub fn spawn(db: Db, mailer: Mailer, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(error) = compose(&db, &mailer, Utc::now()).await {
                tracing::warn!(%error, "the daily digests were not made; trying again later");
            }
            match send_due(&db, &mailer, Utc::now()).await {
                Ok(Some((sent, failed))) if sent + failed > 0 => {
                    tracing::info!(sent, failed, "email digests")
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "email digests not sent; trying again later"),
            }
            tokio::time::sleep(every).await;
        }
    })
}
