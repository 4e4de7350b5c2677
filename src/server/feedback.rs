//! Opinions from citizens and businesses: taking them in (the public form and Open311),
//! following them with a secret, handling them in the officials' inbox, publishing the
//! answers, and counting them for the dashboards.
//!
//! Abuse resistance needs no third party: the form carries a challenge signed with the
//! server's key. The browser solves a small proof of work on it; a browser without
//! JavaScript is still admitted, once the form has been open a few seconds, under a
//! tighter per-address limit. The challenge also carries the key that makes a form
//! sent twice store one item, and from which the tracking secret is derived, so that
//! the second answer shows the same link.

use super::access::{Reader, path_in_range};
use super::crypto::{constant_time_eq, hex, hmac_sha256};
use super::db::Db;
use super::entity::{document, feedback, feedback_event, unit, user};
use super::limits::RateLimiter;
use super::work::{Failure, Outcome, not_found, unit_ref};
use crate::model::feedback::{
    ANSWER_MAX, Category, FeedbackAction, FeedbackCommand, FeedbackDetail, FeedbackDraft,
    FeedbackEventView, FeedbackFigures, FeedbackStatus, InboxFilter, InboxPage, InboxRow, NAME_MAX,
    PAGE_SIZE, PublicAnswer, PublishedItem, PublishedPage, Receipt, SUBJECT_MAX, SenderKind,
    TEXT_MAX, TrackedFeedback, check_email, check_field, check_phone, median, normalize_secret,
    parse_reference_code, reference_code,
};
use crate::model::text::{fold, search_terms};
use crate::model::{AppError, Classification, Problem, Role, UnitLevel, UnitRef};
use chrono::{DateTime, Datelike, Utc};
use sea_orm::sea_query::{Condition, Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A form answered sooner than this after it was drawn, without a proof of work, is a
/// script's, not a person's.
pub const MIN_FORM_SECS: i64 = 3;
/// A form older than this is stale: the sender is asked to send it again.
pub const MAX_FORM_AGE_SECS: i64 = 24 * 3600;
/// Leading zero bits of SHA-256 the browser must find: about 65,000 hashes, well under a
/// second in a phone's browser, a real cost for a flood.
pub const POW_BITS: u32 = 16;
/// The per-address window of the submission limits.
pub const LIMIT_WINDOW: Duration = Duration::from_secs(600);
/// Submissions per address and window, by default: generous for a family or an office
/// behind one address, small for a flood.
pub const DEFAULT_PER_IP: u32 = 30;

/// What takes submissions in: the signing key and the limits.
#[derive(Debug)]
pub struct Intake {
    key: [u8; 32],
    /// Every submission (form or Open311) per address; `None` when limits are off.
    submissions: Option<RateLimiter>,
    /// Submissions without a proof of work, per address: a fifth of the above.
    unproven: Option<RateLimiter>,
    /// Forms sent without JavaScript that came back with an error, by submission key:
    /// when they were kept, their challenge, and what was typed.
    drafts: Mutex<HashMap<String, (Instant, String, FeedbackDraft)>>,
}

/// How long a draft is kept for its sender to correct and send again.
const DRAFT_TTL: Duration = Duration::from_secs(3600);
/// The most drafts kept at once: a flood of bad forms cannot fill the memory.
const DRAFTS_MAX: usize = 5000;

impl Intake {
    /// Reads the server's key (making it on first start, so that every server of one
    /// database agrees), with `per_ip` submissions per address and window (0: no limit,
    /// for measuring).
    pub async fn load(db: &Db, per_ip: u32) -> anyhow::Result<Intake> {
        // Imported here only: the trait's `max` and `min` would shadow `Ord`'s elsewhere.
        use sea_orm::sea_query::ExprTrait;
        let mut fresh = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut fresh);
        let insert = sea_orm::sea_query::Query::insert()
            .into_table("server_secrets")
            .columns(["name", "value"])
            .values_panic([Expr::val("feedback_key"), Expr::val(hex(&fresh))])
            .on_conflict(OnConflict::column("name").do_nothing().to_owned())
            .to_owned();
        db.write.execute(&insert).await?;
        let select = sea_orm::sea_query::Query::select()
            .column("value")
            .from("server_secrets")
            .and_where(Expr::col("name").eq("feedback_key"))
            .to_owned();
        let row = db
            .read
            .query_one(&select)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the feedback key is missing"))?;
        let value: String = row.try_get("", "value")?;
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(value.get(2 * i..2 * i + 2).unwrap_or("00"), 16)?;
        }
        Ok(Intake::with_key(key, per_ip))
    }

    pub fn with_key(key: [u8; 32], per_ip: u32) -> Intake {
        let limiter = |limit: u32| (limit > 0).then(|| RateLimiter::new(limit, LIMIT_WINDOW));
        Intake {
            key,
            submissions: limiter(per_ip),
            unproven: limiter(per_ip.div_ceil(5)),
            drafts: Mutex::new(HashMap::new()),
        }
    }

    fn drafts(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, String, FeedbackDraft)>> {
        self.drafts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps what was typed in a form this server signed; returns the key that finds it.
    pub fn keep_draft(&self, challenge: &str, draft: FeedbackDraft) -> Option<String> {
        let (_, key) = self.verify(challenge)?;
        let mut drafts = self.drafts();
        if drafts.len() >= DRAFTS_MAX {
            drafts.retain(|_, (kept, _, _)| kept.elapsed() < DRAFT_TTL);
            if drafts.len() >= DRAFTS_MAX {
                return None;
            }
        }
        drafts.insert(key.clone(), (Instant::now(), challenge.to_owned(), draft));
        Some(key)
    }

    /// A kept draft and its challenge, while it is fresh.
    pub fn draft(&self, key: &str) -> Option<(String, FeedbackDraft)> {
        self.drafts()
            .get(key)
            .filter(|(kept, _, _)| kept.elapsed() < DRAFT_TTL)
            .map(|(_, challenge, draft)| (challenge.clone(), draft.clone()))
    }

    fn forget_draft(&self, key: &str) {
        self.drafts().remove(key);
    }

    /// Counts one submission from `ip`; `Err(seconds)` when it is over the limit.
    pub fn admit(&self, ip: Option<IpAddr>) -> Result<(), u64> {
        match (&self.submissions, ip) {
            (Some(limiter), Some(ip)) => limiter.check(ip),
            _ => Ok(()),
        }
    }

    /// Counts one submission that proved nothing (no proof of work, no partner key) from
    /// `ip`, on the smaller limit; `Err(seconds)` when it is over it.
    pub fn admit_unproven(&self, ip: Option<IpAddr>) -> Result<(), u64> {
        match (&self.unproven, ip) {
            (Some(limiter), Some(ip)) => limiter.check(ip),
            _ => Ok(()),
        }
    }

    fn sign(&self, purpose: &str, message: &str) -> [u8; 32] {
        hmac_sha256(&self.key, format!("{purpose}:{message}").as_bytes())
    }

    /// A new challenge for a form drawn at `now`: `<issued>.<key>.<signature>`.
    pub fn challenge(&self, now: i64) -> String {
        let mut token = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut token);
        let body = format!("{now}.{}", hex(&token));
        let signature = hex(&self.sign("challenge", &body)[..16]);
        format!("{body}.{signature}")
    }

    /// When a challenge was issued and its submission key, if this server signed it.
    fn verify(&self, challenge: &str) -> Option<(i64, String)> {
        let (body, signature) = challenge.trim().rsplit_once('.')?;
        let expected = hex(&self.sign("challenge", body)[..16]);
        if !constant_time_eq(signature.as_bytes(), expected.as_bytes()) {
            return None;
        }
        let (issued, token) = body.split_once('.')?;
        Some((issued.parse().ok()?, token.to_owned()))
    }

    /// The tracking secret of the item stored under a submission key: 80 bits, shown in
    /// four groups of four.
    pub fn tracking_secret(&self, submission_key: &str) -> String {
        let bytes = self.sign("track", submission_key);
        let code = crockford(&bytes[..10]);
        code.as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

/// Whether `proof` solves `challenge`: SHA-256 of `<challenge>:<proof>` starts with
/// `bits` zero bits. The browser's script finds it by counting up.
pub fn proof_holds(challenge: &str, proof: &str, bits: u32) -> bool {
    if proof.is_empty() || proof.len() > 20 || !proof.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digest = Sha256::digest(format!("{challenge}:{proof}").as_bytes());
    leading_zero_bits(&digest) >= bits
}

fn leading_zero_bits(bytes: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in bytes {
        if *byte == 0 {
            bits += 8;
        } else {
            return bits + byte.leading_zeros();
        }
    }
    bits
}

/// Crockford's base 32: no I, L, O or U, so a secret read aloud or typed is not mistaken.
fn crockford(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(normalize_secret(secret).as_bytes()))
}

/// The public form as sent: what the person typed, and what the page added.
#[derive(Clone, Debug, Default)]
pub struct FormInput {
    pub fields: FeedbackDraft,
    /// The honeypot: a field people never see, that form-filling robots fill.
    pub website: String,
    pub challenge: String,
    pub proof: String,
}

/// A new item, checked, from the form or from a partner system.
#[derive(Clone, Debug)]
pub struct NewFeedback {
    pub kind: SenderKind,
    pub category: Category,
    pub document_id: Option<i32>,
    pub subject: String,
    pub text: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub location_unit_id: Option<i32>,
    pub source: &'static str,
}

/// What came of a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submitted {
    /// Stored (or stored before, for a form sent twice).
    Stored(Receipt),
    /// The honeypot was filled: nothing is stored, and the robot is not told.
    Dropped(Receipt),
}

/// Takes in the public form. Bad input is refused with the field it concerns.
pub async fn submit_form(
    db: &Db,
    intake: &Intake,
    ip: Option<IpAddr>,
    input: FormInput,
    now: DateTime<Utc>,
) -> Outcome<Submitted> {
    if !input.website.trim().is_empty() {
        tracing::info!(ip = ?ip, "feedback honeypot filled: dropped");
        return Ok(Submitted::Dropped(decoy_receipt(intake, now)));
    }
    let Some((issued, key)) = intake.verify(&input.challenge) else {
        return Err(AppError::invalid("challenge", Problem::Malformed).into());
    };
    let age = now.timestamp() - issued;
    if !(-60..=MAX_FORM_AGE_SECS).contains(&age) {
        return Err(AppError::invalid("challenge", Problem::Malformed).into());
    }
    let proven = proof_holds(&input.challenge, &input.proof, POW_BITS);
    if !proven && age < MIN_FORM_SECS {
        return Err(AppError::invalid("challenge", Problem::NotNow).into());
    }
    let new = check_form(db, &input.fields).await?;
    // The same form sent again (a double click, a retry) is the item already stored; a
    // form drawn once and used for another opinion is stale.
    if let Some(earlier) = find_by_key(&db.read, &key).await? {
        return resent(intake, &earlier, &new, &key).map(Submitted::Stored);
    }
    if !proven && let Err(retry_after_secs) = intake.admit_unproven(ip) {
        return Err(AppError::RateLimited { retry_after_secs }.into());
    }
    let receipt = store(db, intake, new, &key, now).await?;
    intake.forget_draft(&key);
    Ok(Submitted::Stored(receipt))
}

/// The receipt of an item stored earlier under the same submission key, if it is the
/// same opinion; otherwise the form is stale and must be drawn again.
fn resent(
    intake: &Intake,
    earlier: &feedback::Model,
    new: &NewFeedback,
    key: &str,
) -> Outcome<Receipt> {
    if earlier.subject == new.subject
        && earlier.text == new.text
        && earlier.category == new.category.as_str()
    {
        Ok(receipt_of(intake, earlier, key))
    } else {
        Err(AppError::invalid("challenge", Problem::Malformed).into())
    }
}

/// An answer for a robot that looks like every other.
fn decoy_receipt(intake: &Intake, now: DateTime<Utc>) -> Receipt {
    let mut token = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut token);
    let number = 1 + i32::from(token[0]) * 256 + i32::from(token[1]);
    Receipt {
        code: reference_code(now.year(), number),
        secret: intake.tracking_secret(&hex(&token)),
    }
}

/// Checks every field of the form, in the order the form shows them.
async fn check_form(db: &Db, input: &FeedbackDraft) -> Outcome<NewFeedback> {
    let kind: SenderKind = input
        .kind
        .parse()
        .map_err(|_| AppError::invalid("kind", Problem::Unknown))?;
    let category: Category = input
        .category
        .parse()
        .map_err(|_| AppError::invalid("category", Problem::Unknown))?;
    let document_id = public_document(db, &input.document).await?;
    let subject = check_field("subject", &input.subject, SUBJECT_MAX, true)?;
    let text = check_field("text", &input.text, TEXT_MAX, true)?;
    let name = Some(check_field("name", &input.name, NAME_MAX, false)?).filter(|n| !n.is_empty());
    let email = check_email(&input.email)?;
    let phone = check_phone(&input.phone)?;
    let location_unit_id = location(db, &input.province, &input.commune).await?;
    let personal =
        name.is_some() || email.is_some() || phone.is_some() || location_unit_id.is_some();
    if personal && !input.consent {
        return Err(AppError::invalid("consent", Problem::ConsentMissing).into());
    }
    Ok(NewFeedback {
        kind,
        category,
        document_id,
        subject,
        text,
        name,
        email,
        phone,
        location_unit_id,
        source: "form",
    })
}

/// The public document an opinion is about: empty for none; anything else must name a
/// document everyone may read.
pub async fn public_document(db: &Db, value: &str) -> Outcome<Option<i32>> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let unknown = || Failure::App(AppError::invalid("document", Problem::Unknown));
    let id: i32 = value.parse().map_err(|_| unknown())?;
    let found = document::Entity::find_by_id(id)
        .filter(document::Column::Classification.eq(Classification::Public.rank()))
        .one(&db.read)
        .await?;
    found.map(|d| Some(d.id)).ok_or_else(unknown)
}

/// The sender's place: a province by code, and optionally one of its communes by code
/// or by name (any case, with or without diacritics).
async fn location(db: &Db, province: &str, commune: &str) -> Outcome<Option<i32>> {
    let (province, commune) = (province.trim(), commune.trim());
    if province.is_empty() {
        if !commune.is_empty() {
            return Err(AppError::invalid("province", Problem::Required).into());
        }
        return Ok(None);
    }
    let Some(province) = unit::Entity::find()
        .filter(unit::Column::Code.eq(province))
        .filter(unit::Column::Level.eq(UnitLevel::Province.as_str()))
        .one(&db.read)
        .await?
    else {
        return Err(AppError::invalid("province", Problem::Unknown).into());
    };
    if commune.is_empty() {
        return Ok(Some(province.id));
    }
    let communes = unit::Entity::find()
        .filter(unit::Column::ParentId.eq(province.id))
        .all(&db.read)
        .await?;
    let wanted = fold(commune);
    communes
        .iter()
        .find(|c| c.code == commune)
        .or_else(|| communes.iter().find(|c| fold(&c.name) == wanted))
        .or_else(|| {
            // "Ba Đình" for "Phường Ba Đình", if only one commune of the province ends so.
            let mut ends = communes
                .iter()
                .filter(|c| fold(&c.name).ends_with(&format!(" {wanted}")));
            let first = ends.next();
            first.filter(|_| ends.next().is_none())
        })
        .map(|c| Some(c.id))
        .ok_or_else(|| Failure::App(AppError::invalid("commune", Problem::Unknown)))
}

async fn find_by_key(db: &impl ConnectionTrait, key: &str) -> Outcome<Option<feedback::Model>> {
    Ok(feedback::Entity::find()
        .filter(feedback::Column::SubmissionKey.eq(key))
        .one(db)
        .await?)
}

fn code_of(item: &feedback::Model) -> String {
    reference_code(item.created_at.year(), item.id)
}

fn receipt_of(intake: &Intake, item: &feedback::Model, key: &str) -> Receipt {
    Receipt {
        code: code_of(item),
        secret: intake.tracking_secret(key),
    }
}

fn search_key(subject: &str, text: &str, answer: Option<&str>) -> String {
    fold(&format!("{subject} {text} {}", answer.unwrap_or_default()))
}

/// Stores a checked item with its first history entry, under `key`. A second store
/// under the same key (a double click) returns the first item's receipt.
pub async fn store(
    db: &Db,
    intake: &Intake,
    new: NewFeedback,
    key: &str,
    now: DateTime<Utc>,
) -> Outcome<Receipt> {
    let personal = new.name.is_some()
        || new.email.is_some()
        || new.phone.is_some()
        || new.location_unit_id.is_some();
    let sent = new.clone();
    let saved = async {
        let txn = db.begin_write().await?;
        let item = feedback::ActiveModel {
            kind: Set(new.kind.as_str().to_owned()),
            category: Set(new.category.as_str().to_owned()),
            document_id: Set(new.document_id),
            search_key: Set(search_key(&new.subject, &new.text, None)),
            subject: Set(new.subject),
            text: Set(new.text),
            sender_name: Set(new.name),
            sender_email: Set(new.email),
            sender_phone: Set(new.phone),
            location_unit_id: Set(new.location_unit_id),
            consent_at: Set(personal.then_some(now)),
            source: Set(new.source.to_owned()),
            status: Set(FeedbackStatus::Received.as_str().to_owned()),
            assigned_unit_id: Set(None),
            assigned_path: Set(None),
            answer: Set(None),
            answered_by: Set(None),
            answered_at: Set(None),
            published: Set(false),
            published_at: Set(None),
            duplicate_of: Set(None),
            submission_key: Set(Some(key.to_owned())),
            secret_hash: Set(secret_hash(&intake.tracking_secret(key))),
            version: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(&txn, &item, now, None, FeedbackAction::Received, None, None).await?;
        txn.commit().await?;
        Ok::<_, Failure>(item)
    }
    .await;
    match saved {
        Ok(item) => Ok(receipt_of(intake, &item, key)),
        Err(Failure::Database(error))
            if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
        {
            // The same form, sent twice at once: the other copy was stored.
            match find_by_key(&db.read, key).await? {
                Some(earlier) => resent(intake, &earlier, &sent, key),
                None => Err(Failure::Database(error)),
            }
        }
        Err(error) => Err(error),
    }
}

/// A key for an item that comes without a form (Open311): random, never shown.
pub fn new_submission_key() -> String {
    let mut token = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut token);
    hex(&token)
}

async fn record(
    db: &impl ConnectionTrait,
    item: &feedback::Model,
    at: DateTime<Utc>,
    actor: Option<i32>,
    action: FeedbackAction,
    unit_id: Option<i32>,
    detail: Option<String>,
) -> Result<(), sea_orm::DbErr> {
    feedback_event::ActiveModel {
        feedback_id: Set(item.id),
        at: Set(at),
        actor_id: Set(actor),
        action: Set(action.as_str().to_owned()),
        status: Set(item.status.clone()),
        unit_id: Set(unit_id),
        detail: Set(detail),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The item named by a code, if the code is well formed and the item exists.
async fn by_code(db: &impl ConnectionTrait, code: &str) -> Outcome<Option<feedback::Model>> {
    let Some((year, id)) = parse_reference_code(code) else {
        return Ok(None);
    };
    let item = feedback::Entity::find_by_id(id).one(db).await?;
    Ok(item.filter(|item| item.created_at.year() == year))
}

fn status_of(item: &feedback::Model) -> FeedbackStatus {
    item.status.parse().unwrap_or(FeedbackStatus::Received)
}

fn category_of(item: &feedback::Model) -> Category {
    item.category.parse().unwrap_or(Category::Other)
}

/// What the sender sees with the code and its secret. A wrong secret and an unknown
/// code are the same "not found".
pub async fn track(db: &Db, code: &str, secret: &str) -> Outcome<TrackedFeedback> {
    let item = by_code(&db.read, code).await?;
    // The hash is compared even without an item, so that both answers take as long.
    let hash = secret_hash(secret);
    let Some(item) = item.filter(|item| {
        !normalize_secret(secret).is_empty()
            && constant_time_eq(hash.as_bytes(), item.secret_hash.as_bytes())
    }) else {
        return not_found();
    };
    let history = history(db, &item, false).await?;
    let answer = public_answer(db, &item).await?;
    Ok(TrackedFeedback {
        code: code_of(&item),
        category: category_of(&item),
        subject: item.subject.clone(),
        text: item.text.clone(),
        status: status_of(&item),
        received_at: item.created_at.timestamp(),
        answer,
        history,
    })
}

/// The answer as its sender and (once published) the public read it.
async fn public_answer(db: &Db, item: &feedback::Model) -> Outcome<Option<PublicAnswer>> {
    let (Some(text), Some(answered_at)) = (&item.answer, item.answered_at) else {
        return Ok(None);
    };
    let unit = match item.assigned_unit_id {
        Some(id) => unit::Entity::find_by_id(id)
            .one(&db.read)
            .await?
            .map(|u| unit_ref(&u)),
        None => None,
    };
    Ok(Some(PublicAnswer {
        text: text.clone(),
        answered_at: answered_at.timestamp(),
        unit,
        published: item.published,
    }))
}

/// The history of an item, oldest first. For the sender (`internal` false): without
/// internal notes, assignments or who acted.
async fn history(
    db: &Db,
    item: &feedback::Model,
    internal: bool,
) -> Outcome<Vec<FeedbackEventView>> {
    let events = feedback_event::Entity::find()
        .filter(feedback_event::Column::FeedbackId.eq(item.id))
        .order_by_asc(feedback_event::Column::At)
        .order_by_asc(feedback_event::Column::Id)
        .all(&db.read)
        .await?;
    let mut units = HashMap::new();
    let mut actors = HashMap::new();
    if internal {
        let unit_ids: Vec<i32> = events.iter().filter_map(|e| e.unit_id).collect();
        for u in unit::Entity::find()
            .filter(unit::Column::Id.is_in(unit_ids))
            .all(&db.read)
            .await?
        {
            units.insert(u.id, unit_ref(&u));
        }
        let actor_ids: Vec<i32> = events.iter().filter_map(|e| e.actor_id).collect();
        for u in user::Entity::find()
            .filter(user::Column::Id.is_in(actor_ids))
            .all(&db.read)
            .await?
        {
            actors.insert(u.id, u.full_name);
        }
    }
    Ok(events
        .into_iter()
        .filter_map(|event| {
            let action: FeedbackAction = event.action.parse().ok()?;
            if !internal && !action.shown_to_sender() {
                return None;
            }
            Some(FeedbackEventView {
                at: event.at.timestamp(),
                action,
                status: event.status.parse().unwrap_or(FeedbackStatus::Received),
                actor: event.actor_id.and_then(|id| actors.get(&id).cloned()),
                unit: event.unit_id.and_then(|id| units.get(&id).cloned()),
                // The answer itself is shown apart; a reason or an original's code is
                // for the sender too, a note is internal.
                detail: if internal || action != FeedbackAction::Answered {
                    event.detail
                } else {
                    None
                },
            })
        })
        .collect())
}

/// Items a search names: by code (`PA-2026-000123`), or containing every word of it in
/// their subject, text or answer, diacritics and case ignored.
fn matching(q: &str) -> Condition {
    // Imported here only: the trait's `max` and `min` would shadow `Ord`'s elsewhere.
    use sea_orm::sea_query::ExprTrait;
    if let Some((_, id)) = parse_reference_code(q) {
        return Condition::all().add(feedback::Column::Id.eq(id));
    }
    search_terms(q)
        .into_iter()
        .fold(Condition::all(), |all, term| {
            all.add(Expr::col(feedback::Column::SearchKey).like(super::db::contains_pattern(&term)))
        })
}

/// Items the reader may see: everything for those who see all, otherwise the items
/// assigned to a unit of their subtree.
pub fn visible(reader: &Reader) -> Condition {
    if reader.sees_all {
        Condition::all()
    } else {
        path_in_range(
            (feedback::Entity, feedback::Column::AssignedPath),
            &reader.unit_path,
        )
    }
}

/// Whether the reader handles feedback (notes, assignments, answers).
fn handles(reader: &Reader) -> bool {
    matches!(reader.role, Role::Officer | Role::Leader | Role::Admin)
}

/// Whether the reader decides on feedback (publishing, rejecting, closing).
fn decides(reader: &Reader) -> bool {
    matches!(reader.role, Role::Leader | Role::Admin)
}

/// The reader's own unit and the units right below it: where they may send an item.
async fn units_below(db: &Db, reader: &Reader) -> Outcome<Vec<UnitRef>> {
    let mut units = vec![];
    if let Some(own) = unit::Entity::find_by_id(reader.unit_id)
        .one(&db.read)
        .await?
    {
        units.push(unit_ref(&own));
    }
    let children = unit::Entity::find()
        .filter(unit::Column::ParentId.eq(reader.unit_id))
        .order_by_asc(unit::Column::Level)
        .order_by_asc(unit::Column::Code)
        .all(&db.read)
        .await?;
    units.extend(children.iter().map(unit_ref));
    Ok(units)
}

/// The inbox: the items the reader may see, newest first, filtered.
pub async fn inbox(db: &Db, reader: &Reader, filter: &InboxFilter) -> Outcome<InboxPage> {
    let mut query = feedback::Entity::find().filter(visible(reader));
    if !filter.status.is_empty() {
        let status: FeedbackStatus = filter
            .status
            .parse()
            .map_err(|_| AppError::invalid("status", Problem::Unknown))?;
        query = query.filter(feedback::Column::Status.eq(status.as_str()));
    }
    if !filter.category.is_empty() {
        let category: Category = filter
            .category
            .parse()
            .map_err(|_| AppError::invalid("category", Problem::Unknown))?;
        query = query.filter(feedback::Column::Category.eq(category.as_str()));
    }
    if !filter.unit.trim().is_empty() {
        let found = unit::Entity::find()
            .filter(unit::Column::Code.eq(filter.unit.trim()))
            .one(&db.read)
            .await?
            .filter(|u| reader.oversees(&u.path))
            .ok_or_else(|| Failure::App(AppError::invalid("unit", Problem::Unknown)))?;
        query = query.filter(path_in_range(
            (feedback::Entity, feedback::Column::AssignedPath),
            &found.path,
        ));
    }
    let (from, until) = super::work::days_between(&filter.from, &filter.to)?;
    if let Some(from) = from {
        query = query.filter(feedback::Column::CreatedAt.gte(from));
    }
    if let Some(until) = until {
        query = query.filter(feedback::Column::CreatedAt.lt(until));
    }
    query = query.filter(matching(&filter.q));
    let (items, total, page, pages) =
        one_page(db, query, feedback::Column::CreatedAt, filter.page).await?;
    let units = units_of(db, items.iter().filter_map(|i| i.assigned_unit_id)).await?;
    Ok(InboxPage {
        rows: items
            .iter()
            .map(|item| InboxRow {
                code: code_of(item),
                kind: item.kind.parse().unwrap_or(SenderKind::Citizen),
                category: category_of(item),
                subject: item.subject.clone(),
                status: status_of(item),
                assigned: item.assigned_unit_id.and_then(|id| units.get(&id).cloned()),
                received_at: item.created_at.timestamp(),
                published: item.published,
            })
            .collect(),
        total,
        page,
        pages,
        units: units_below(db, reader).await?,
    })
}

/// One page of a list, newest first by `newest`: the items, how many there are in all,
/// the page (brought within range) and the number of pages.
async fn one_page(
    db: &Db,
    query: sea_orm::Select<feedback::Entity>,
    newest: feedback::Column,
    page: u64,
) -> Outcome<(Vec<feedback::Model>, u64, u64, u64)> {
    let total = query.clone().count(&db.read).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let items = query
        .order_by_desc(newest)
        .order_by_desc(feedback::Column::Id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(&db.read)
        .await?;
    Ok((items, total, page, pages))
}

async fn units_of(db: &Db, ids: impl Iterator<Item = i32>) -> Outcome<HashMap<i32, UnitRef>> {
    let ids: Vec<i32> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(unit::Entity::find()
        .filter(unit::Column::Id.is_in(ids))
        .all(&db.read)
        .await?
        .iter()
        .map(|u| (u.id, unit_ref(u)))
        .collect())
}

/// One item as the officials handling it see it, or `None` when the reader may not.
pub async fn detail(db: &Db, reader: &Reader, code: &str) -> Outcome<FeedbackDetail> {
    let Some(item) = visible_item(&db.read, reader, code).await? else {
        return not_found();
    };
    // The document was public when the opinion came in; it may have been classified
    // since. Named only to officials who may see it.
    let document = match item.document_id {
        Some(id) => {
            let found = document::Entity::find_by_id(id)
                .filter(super::access::visible_documents(reader))
                .one(&db.read)
                .await?;
            if let Some(d) = &found {
                super::access::audit_reads(db, reader, [("document", d.id, d.classification)])
                    .await?;
            }
            found.map(|d| format!("{} — {}", d.code, d.title))
        }
        None => None,
    };
    let mut location = vec![];
    if let Some(id) = item.location_unit_id
        && let Some(place) = unit::Entity::find_by_id(id).one(&db.read).await?
    {
        if let Some(parent) = place.parent_id
            && place.level == UnitLevel::Commune.as_str()
            && let Some(province) = unit::Entity::find_by_id(parent).one(&db.read).await?
        {
            location.push(unit_ref(&province));
        }
        location.push(unit_ref(&place));
    }
    let assigned = units_of(db, item.assigned_unit_id.into_iter())
        .await?
        .into_values()
        .next();
    // The original of a duplicate is named only to those who may see it.
    let duplicate_of = match item.duplicate_of {
        Some(id) => feedback::Entity::find_by_id(id)
            .one(&db.read)
            .await?
            .filter(|original| sees_item(reader, original))
            .map(|original| code_of(&original)),
        None => None,
    };
    let mut history = history(db, &item, true).await?;
    if duplicate_of.is_none() {
        for event in &mut history {
            if event.action == FeedbackAction::MarkedDuplicate {
                event.detail = None;
            }
        }
    }
    Ok(FeedbackDetail {
        code: code_of(&item),
        kind: item.kind.parse().unwrap_or(SenderKind::Citizen),
        category: category_of(&item),
        document,
        subject: item.subject.clone(),
        text: item.text.clone(),
        // Contact details are for the officials who handle feedback, not for viewers.
        name: item.sender_name.clone().filter(|_| handles(reader)),
        email: item.sender_email.clone().filter(|_| handles(reader)),
        phone: item.sender_phone.clone().filter(|_| handles(reader)),
        location: if handles(reader) { location } else { vec![] },
        source: item.source.clone(),
        status: status_of(&item),
        assigned,
        answer: item.answer.clone(),
        answered_at: item.answered_at.map(|at| at.timestamp()),
        published: item.published,
        duplicate_of,
        received_at: item.created_at.timestamp(),
        version: item.version,
        history,
        assignable: if handles(reader) {
            units_below(db, reader).await?
        } else {
            vec![]
        },
        may_handle: handles(reader),
        may_decide: decides(reader),
    })
}

async fn visible_item(
    db: &impl ConnectionTrait,
    reader: &Reader,
    code: &str,
) -> Outcome<Option<feedback::Model>> {
    let item = by_code(db, code).await?;
    Ok(item.filter(|item| sees_item(reader, item)))
}

/// Whether the reader may see an item: everything with national oversight, otherwise the
/// items assigned to their subtree.
fn sees_item(reader: &Reader, item: &feedback::Model) -> bool {
    reader.sees_all
        || item
            .assigned_path
            .as_deref()
            .is_some_and(|path| reader.reaches(path))
}

/// Carries out an official's command on the item with `code`, as read at `version`.
/// Every change is kept in the item's history. Returns the item's code.
pub async fn act(
    db: &Db,
    reader: &Reader,
    code: &str,
    version: i32,
    command: FeedbackCommand,
    now: DateTime<Utc>,
) -> Outcome<String> {
    let txn = db.begin_write().await?;
    let Some(item) = visible_item(&txn, reader, code).await? else {
        return not_found();
    };
    let needed = match command {
        FeedbackCommand::Assign { .. }
        | FeedbackCommand::Note { .. }
        | FeedbackCommand::Answer { .. } => handles(reader),
        _ => decides(reader),
    };
    if !needed {
        return Err(AppError::Forbidden.into());
    }
    if item.version != version {
        return Err(AppError::Conflict.into());
    }
    let status = status_of(&item);
    let not_now = || Failure::App(AppError::invalid("status", Problem::NotNow));
    let mut change = feedback::ActiveModel {
        id: Set(item.id),
        version: Set(item.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    let (action, unit_id, detail, new_status) = match command {
        FeedbackCommand::Assign { unit: unit_code } => {
            if !status.is_open() {
                return Err(not_now());
            }
            let target = unit::Entity::find()
                .filter(unit::Column::Code.eq(unit_code.trim()))
                .one(&txn)
                .await?
                .filter(|u| reader.oversees(&u.path))
                .ok_or_else(|| Failure::App(AppError::invalid("unit", Problem::Unknown)))?;
            change.assigned_unit_id = Set(Some(target.id));
            change.assigned_path = Set(Some(target.path.clone()));
            (
                FeedbackAction::Assigned,
                Some(target.id),
                None,
                FeedbackStatus::InReview,
            )
        }
        FeedbackCommand::Note { text } => {
            let text = check_field("note", &text, ANSWER_MAX, true)?;
            (FeedbackAction::Noted, None, Some(text), status)
        }
        FeedbackCommand::Answer { text } => {
            if !(status.is_open() || status == FeedbackStatus::Answered) {
                return Err(not_now());
            }
            // A published answer is public: changing it is a decision, like publishing.
            if item.published && !decides(reader) {
                return Err(AppError::Forbidden.into());
            }
            let text = check_field("answer", &text, ANSWER_MAX, true)?;
            change.search_key = Set(search_key(&item.subject, &item.text, Some(&text)));
            change.answer = Set(Some(text));
            change.answered_by = Set(Some(reader.user_id));
            change.answered_at = Set(Some(item.answered_at.unwrap_or(now)));
            // Whoever answers an item nobody was given takes it for their unit.
            if item.assigned_unit_id.is_none() {
                let own = unit::Entity::find_by_id(reader.unit_id).one(&txn).await?;
                change.assigned_unit_id = Set(Some(reader.unit_id));
                change.assigned_path = Set(own.map(|u| u.path));
            }
            (
                FeedbackAction::Answered,
                None,
                None,
                FeedbackStatus::Answered,
            )
        }
        FeedbackCommand::Publish => {
            if item.answer.is_none() || item.published {
                return Err(not_now());
            }
            change.published = Set(true);
            change.published_at = Set(Some(now));
            (FeedbackAction::Published, None, None, status)
        }
        FeedbackCommand::Unpublish => {
            if !item.published {
                return Err(not_now());
            }
            change.published = Set(false);
            change.published_at = Set(None);
            (FeedbackAction::Unpublished, None, None, status)
        }
        FeedbackCommand::MarkDuplicate { of } => {
            if !status.is_open() {
                return Err(not_now());
            }
            let original = visible_item(&txn, reader, &of)
                .await?
                .filter(|original| {
                    original.id != item.id && status_of(original) != FeedbackStatus::Duplicate
                })
                .ok_or_else(|| Failure::App(AppError::invalid("of", Problem::Unknown)))?;
            change.duplicate_of = Set(Some(original.id));
            (
                FeedbackAction::MarkedDuplicate,
                None,
                Some(code_of(&original)),
                FeedbackStatus::Duplicate,
            )
        }
        FeedbackCommand::Reject { reason } => {
            if !status.is_open() {
                return Err(not_now());
            }
            let reason = check_field("reason", &reason, ANSWER_MAX, true)?;
            (
                FeedbackAction::Rejected,
                None,
                Some(reason),
                FeedbackStatus::Rejected,
            )
        }
        FeedbackCommand::Close => {
            if status != FeedbackStatus::Answered {
                return Err(not_now());
            }
            (FeedbackAction::Closed, None, None, FeedbackStatus::Closed)
        }
    };
    change.status = Set(new_status.as_str().to_owned());
    // Guarded by the version too: two officials acting at once cannot both win.
    let updated = feedback::Entity::update_many()
        .set(change)
        .filter(feedback::Column::Id.eq(item.id))
        .filter(feedback::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict.into());
    }
    let mut after = item.clone();
    after.status = new_status.as_str().to_owned();
    record(
        &txn,
        &after,
        now,
        Some(reader.user_id),
        action,
        unit_id,
        detail,
    )
    .await?;
    if let (FeedbackAction::Assigned, Some(unit_id)) = (action, unit_id) {
        super::supervision::notify::tell_feedback_assigned(
            &txn,
            item.id,
            unit_id,
            reader.user_id,
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(code_of(&item))
}

/// Published answers, newest first, matching every word of `q` in the question or the
/// answer (diacritics and case ignored). Nothing about the sender is read.
pub async fn published(db: &Db, q: &str, category: &str, page: u64) -> Outcome<PublishedPage> {
    let mut query = feedback::Entity::find().filter(feedback::Column::Published.eq(true));
    if !category.is_empty() {
        let category: Category = category
            .parse()
            .map_err(|_| AppError::invalid("category", Problem::Unknown))?;
        query = query.filter(feedback::Column::Category.eq(category.as_str()));
    }
    query = query.filter(matching(q));
    let (items, total, page, pages) =
        one_page(db, query, feedback::Column::AnsweredAt, page).await?;
    let units = units_of(db, items.iter().filter_map(|i| i.assigned_unit_id)).await?;
    // Only public documents are named to the public, whatever they were when the opinion
    // came in.
    let documents: HashMap<i32, String> = document::Entity::find()
        .filter(document::Column::Id.is_in(items.iter().filter_map(|i| i.document_id)))
        .filter(document::Column::Classification.eq(Classification::Public.rank()))
        .all(&db.read)
        .await?
        .into_iter()
        .map(|d| (d.id, d.code))
        .collect();
    Ok(PublishedPage {
        items: items
            .iter()
            .filter_map(|item| {
                Some(PublishedItem {
                    code: code_of(item),
                    category: category_of(item),
                    document: item.document_id.and_then(|id| documents.get(&id).cloned()),
                    subject: item.subject.clone(),
                    text: item.text.clone(),
                    received_at: item.created_at.timestamp(),
                    answer: PublicAnswer {
                        text: item.answer.clone()?,
                        answered_at: item.answered_at?.timestamp(),
                        unit: item.assigned_unit_id.and_then(|id| units.get(&id).cloned()),
                        published: true,
                    },
                })
            })
            .collect(),
        total,
        page,
        pages,
    })
}

/// Feedback figures of one scope: received, answered (first answers), still open, and
/// the median time to answer, for the whole scope, by category and by child unit.
#[derive(Clone, Debug, Default)]
pub struct ScopeFigures {
    pub total: FeedbackFigures,
    pub by_category: Vec<(Category, FeedbackFigures)>,
    /// In the order of the children given.
    pub by_unit: Vec<FeedbackFigures>,
}

/// Counts the items assigned within `scope_path` (and, for the whole country, the
/// items nobody has been given yet), split by the child units' paths.
pub async fn figures(
    db: &Db,
    scope_path: &str,
    whole_country: bool,
    children: &[String],
) -> Outcome<ScopeFigures> {
    let mut query = feedback::Entity::find()
        .select_only()
        .column(feedback::Column::Category)
        .column(feedback::Column::Status)
        .column(feedback::Column::AssignedPath)
        .column(feedback::Column::CreatedAt)
        .column(feedback::Column::AnsweredAt);
    if !whole_country {
        query = query.filter(path_in_range(
            (feedback::Entity, feedback::Column::AssignedPath),
            scope_path,
        ));
    }
    // Category, status, assigned path, arrival, first answer.
    type Row = (
        String,
        String,
        Option<String>,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
    );
    let rows: Vec<Row> = query.into_tuple().all(&db.read).await?;
    #[derive(Default)]
    struct Acc {
        figures: FeedbackFigures,
        hours: Vec<f64>,
    }
    impl Acc {
        fn add(&mut self, open: bool, hours: Option<f64>) {
            self.figures.received += 1;
            if open {
                self.figures.open += 1;
            }
            if let Some(hours) = hours {
                self.figures.answered += 1;
                self.hours.push(hours);
            }
        }
        fn done(self) -> FeedbackFigures {
            FeedbackFigures {
                median_hours_to_answer: median(self.hours),
                ..self.figures
            }
        }
    }
    let mut total = Acc::default();
    let mut by_category: HashMap<Category, Acc> = HashMap::new();
    let mut by_unit: Vec<Acc> = children.iter().map(|_| Acc::default()).collect();
    for (category, status, path, created, answered) in rows {
        let open = status
            .parse::<FeedbackStatus>()
            .is_ok_and(FeedbackStatus::is_open);
        let hours = answered.map(|at| (at - created).num_seconds().max(0) as f64 / 3600.0);
        total.add(open, hours);
        by_category
            .entry(category.parse().unwrap_or(Category::Other))
            .or_default()
            .add(open, hours);
        if let Some(path) = path
            && let Some(index) = children.iter().position(|child| path.starts_with(child))
        {
            by_unit[index].add(open, hours);
        }
    }
    let mut by_category: Vec<(Category, FeedbackFigures)> = by_category
        .into_iter()
        .map(|(category, acc)| (category, acc.done()))
        .collect();
    by_category.sort_by_key(|(category, _)| *category);
    Ok(ScopeFigures {
        total: total.done(),
        by_category,
        by_unit: by_unit.into_iter().map(Acc::done).collect(),
    })
}

/// Published items for Open311, newest first, at most `limit`.
pub async fn open311_requests(
    db: &Db,
    filter: &Open311Filter,
    limit: u64,
) -> Outcome<Vec<Open311Request>> {
    let mut query = feedback::Entity::find().filter(feedback::Column::Published.eq(true));
    if !filter.codes.is_empty() {
        let ids = filter
            .codes
            .iter()
            .filter_map(|code| parse_reference_code(code).map(|(_, id)| id));
        query = query.filter(feedback::Column::Id.is_in(ids));
    }
    let open = FeedbackStatus::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str());
    match filter.open {
        Some(true) => query = query.filter(feedback::Column::Status.is_in(open)),
        Some(false) => query = query.filter(feedback::Column::Status.is_not_in(open)),
        None => {}
    }
    if !filter.categories.is_empty() {
        query = query
            .filter(feedback::Column::Category.is_in(filter.categories.iter().map(|c| c.as_str())));
    }
    if let Some(start) = filter.start {
        query = query.filter(feedback::Column::CreatedAt.gte(start));
    }
    if let Some(end) = filter.end {
        query = query.filter(feedback::Column::CreatedAt.lte(end));
    }
    let items = query
        .order_by_desc(feedback::Column::CreatedAt)
        .order_by_desc(feedback::Column::Id)
        .limit(limit)
        .all(&db.read)
        .await?;
    // A code names its year too: `PA-1999-000005` is not item 5 of 2026.
    let items = items
        .into_iter()
        .filter(|item| filter.codes.is_empty() || filter.codes.contains(&code_of(item)))
        .collect();
    open311_views(db, items).await
}

/// One item for Open311: published ones for anyone; others only with their secret.
pub async fn open311_request(
    db: &Db,
    code: &str,
    secret: Option<&str>,
) -> Outcome<Option<Open311Request>> {
    let Some(item) = by_code(&db.read, code).await? else {
        return Ok(None);
    };
    let opened = secret.is_some_and(|secret| {
        constant_time_eq(secret_hash(secret).as_bytes(), item.secret_hash.as_bytes())
    });
    if !item.published && !opened {
        return Ok(None);
    }
    Ok(open311_views(db, vec![item]).await?.into_iter().next())
}

/// What Open311's list filters ask for.
#[derive(Clone, Debug, Default)]
pub struct Open311Filter {
    /// Reference codes, upper case.
    pub codes: Vec<String>,
    pub categories: Vec<Category>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// `Some(true)` for open only, `Some(false)` for closed only.
    pub open: Option<bool>,
}

/// A service request as Open311 shows it: no personal data of the sender.
#[derive(Clone, Debug)]
pub struct Open311Request {
    pub code: String,
    pub status: FeedbackStatus,
    pub category: Category,
    pub description: String,
    /// The published answer.
    pub answer: Option<String>,
    pub agency: Option<String>,
    pub requested: DateTime<Utc>,
    pub updated: DateTime<Utc>,
}

async fn open311_views(db: &Db, items: Vec<feedback::Model>) -> Outcome<Vec<Open311Request>> {
    let units = units_of(db, items.iter().filter_map(|i| i.assigned_unit_id)).await?;
    Ok(items
        .into_iter()
        .map(|item| Open311Request {
            code: code_of(&item),
            status: status_of(&item),
            category: category_of(&item),
            description: format!("{}\n\n{}", item.subject, item.text),
            answer: if item.published {
                item.answer.clone()
            } else {
                None
            },
            agency: item
                .assigned_unit_id
                .and_then(|id| units.get(&id).map(|u| u.name.clone())),
            requested: item.created_at,
            updated: item.updated_at,
        })
        .collect())
}

/// Checks an Open311 request's fields into a new item; the same rules as the form.
pub async fn check_open311(db: &Db, fields: &HashMap<String, String>) -> Outcome<NewFeedback> {
    let field = |name: &str| fields.get(name).map(String::as_str).unwrap_or_default();
    let code = field("service_code").trim();
    if code.is_empty() {
        return Err(AppError::invalid("service_code", Problem::Required).into());
    }
    let category: Category = code
        .parse()
        .map_err(|_| AppError::invalid("service_code", Problem::Unknown))?;
    let text = check_field("description", field("description"), TEXT_MAX, true)?;
    let subject = match check_field("subject", field("attribute[subject]"), SUBJECT_MAX, false)? {
        subject if !subject.is_empty() => subject,
        _ => first_words(&text, 120),
    };
    let name = format!(
        "{} {}",
        field("first_name").trim(),
        field("last_name").trim()
    );
    let name = Some(check_field("first_name", &name, NAME_MAX, false)?).filter(|n| !n.is_empty());
    let email = check_email(field("email"))?;
    let phone = check_phone(field("phone"))?;
    // GeoReport has no consent field: partner systems say so as an attribute.
    let personal = name.is_some() || email.is_some() || phone.is_some();
    if personal && !matches!(field("attribute[consent]"), "true" | "yes" | "1") {
        return Err(AppError::invalid("attribute[consent]", Problem::ConsentMissing).into());
    }
    let document_id = public_document(db, field("attribute[document]")).await?;
    Ok(NewFeedback {
        kind: if field("attribute[kind]") == SenderKind::Business.as_str() {
            SenderKind::Business
        } else {
            SenderKind::Citizen
        },
        category,
        document_id,
        subject,
        text,
        name,
        email,
        phone,
        location_unit_id: None,
        source: "open311",
    })
}

/// The first line of a text, cut at a word within `max` characters.
fn first_words(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() <= max {
        return line.to_owned();
    }
    let cut: String = line.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(space) if space > max / 2 => format!("{}…", &cut[..space]),
        _ => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intake() -> Intake {
        Intake::with_key([7; 32], 5)
    }

    #[test]
    fn challenges_are_signed() {
        let intake = intake();
        let challenge = intake.challenge(1_800_000_000);
        let (issued, key) = intake.verify(&challenge).expect("verifies");
        assert_eq!(issued, 1_800_000_000);
        assert_eq!(key.len(), 32);
        let forged = challenge.replacen("18", "17", 1);
        assert!(intake.verify(&forged).is_none(), "a changed time breaks it");
        assert!(Intake::with_key([8; 32], 5).verify(&challenge).is_none());
        assert!(intake.verify("nonsense").is_none());
    }

    #[test]
    fn proof_of_work_is_checked() {
        let challenge = intake().challenge(1_800_000_000);
        let proof = (0u64..)
            .find(|n| proof_holds(&challenge, &n.to_string(), 8))
            .expect("a proof exists");
        assert!(proof_holds(&challenge, &proof.to_string(), 8));
        assert!(!proof_holds(&challenge, "", 0));
        assert!(!proof_holds(&challenge, "12a", 0));
        assert_eq!(leading_zero_bits(&[0, 0x10, 0xff]), 11);
    }

    #[test]
    fn tracking_secrets_are_stable_and_readable() {
        let intake = intake();
        let secret = intake.tracking_secret("abc");
        assert_eq!(secret, intake.tracking_secret("abc"));
        assert_ne!(secret, intake.tracking_secret("abd"));
        assert_eq!(secret.len(), 19);
        assert!(
            secret
                .chars()
                .all(|c| c == '-' || c.is_ascii_alphanumeric())
        );
        assert_eq!(
            secret_hash(&secret),
            secret_hash(&secret.to_lowercase().replace('-', " "))
        );
    }

    #[test]
    fn subjects_from_descriptions() {
        assert_eq!(first_words("Một dòng\nhai", 120), "Một dòng");
        assert_eq!(first_words("aaa bbb ccc", 9), "aaa bbb…");
    }

    #[test]
    fn limits_count_per_address() {
        let intake = Intake::with_key([1; 32], 2);
        let ip: IpAddr = [10, 0, 0, 1].into();
        assert!(intake.admit(Some(ip)).is_ok());
        assert!(intake.admit(Some(ip)).is_ok());
        assert!(intake.admit(Some(ip)).is_err());
        let unlimited = Intake::with_key([1; 32], 0);
        for _ in 0..100 {
            assert!(unlimited.admit(Some(ip)).is_ok());
        }
    }
}
