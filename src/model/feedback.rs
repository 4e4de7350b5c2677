//! Opinions from citizens and businesses: what they send, the rules their input must
//! meet, how an item moves from received to answered, and what each audience may see.

use super::error::{AppError, Problem};
use super::unit::UnitRef;
use serde::{Deserialize, Serialize};

/// Longest opinion text, as the form and Open311 (`description`) both allow.
pub const TEXT_MAX: usize = 4000;
pub const SUBJECT_MAX: usize = 200;
pub const NAME_MAX: usize = 120;
pub const EMAIL_MAX: usize = 254;
pub const PHONE_MAX: usize = 20;
/// Notes, answers and reasons written by officials.
pub const ANSWER_MAX: usize = 8000;
/// Items per page of the inbox and of the published answers.
pub const PAGE_SIZE: u64 = 20;

text_enum!(
    /// Who sends an opinion.
    SenderKind {
        Citizen => "citizen",
        Business => "business",
    }
);

text_enum!(
    /// What an opinion is about; also the Open311 services (`service_code`).
    Category {
        DigitalTransformation => "digital_transformation",
        Resolution => "resolution",
        Procedure => "procedure",
        Apparatus => "apparatus",
        OnlineService => "online_service",
        Business => "business",
        Other => "other",
    }
);

text_enum!(
    /// Where an item stands. Open311 knows only open and closed: see [`Self::is_open`].
    FeedbackStatus {
        Received => "received",
        InReview => "in_review",
        Answered => "answered",
        Closed => "closed",
        Rejected => "rejected",
        Duplicate => "duplicate",
    }
);

impl FeedbackStatus {
    /// Still waiting for the officials: Open311's `open`. Every other status is `closed`.
    pub fn is_open(self) -> bool {
        matches!(self, FeedbackStatus::Received | FeedbackStatus::InReview)
    }

    pub fn open311(self) -> &'static str {
        if self.is_open() { "open" } else { "closed" }
    }
}

text_enum!(
    /// One entry of an item's history.
    FeedbackAction {
        Received => "received",
        Assigned => "assigned",
        Noted => "noted",
        Answered => "answered",
        Published => "published",
        Unpublished => "unpublished",
        MarkedDuplicate => "marked_duplicate",
        Rejected => "rejected",
        Closed => "closed",
    }
);

impl FeedbackAction {
    /// Whether the sender sees this entry when tracking: internal notes and who
    /// handles the item inside the administration stay inside.
    pub fn shown_to_sender(self) -> bool {
        !matches!(self, FeedbackAction::Noted | FeedbackAction::Assigned)
    }
}

/// The public reference of an item: `PA-2026-000123`, from the year it arrived and its
/// number. It names the item; only the secret of the tracking link opens it.
pub fn reference_code(year: i32, id: i32) -> String {
    format!("PA-{year}-{id:06}")
}

/// The item number in a reference code, if the code is well formed.
pub fn parse_reference_code(code: &str) -> Option<(i32, i32)> {
    let code = code.trim().to_ascii_uppercase();
    let rest = code.strip_prefix("PA-")?;
    let (year, number) = rest.split_once('-')?;
    if year.len() != 4 || number.is_empty() || number.len() > 9 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let id: i32 = number.parse().ok()?;
    (id > 0).then_some((year, id))
}

/// Tracking secrets as shown and typed: groups of four, upper case; any spacing,
/// dashes or case typed by the sender is forgiven.
pub fn normalize_secret(secret: &str) -> String {
    secret
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Markup that could run in someone's browser: refused outright, never stored.
const DANGEROUS_MARKUP: [&str; 9] = [
    "<script",
    "</script",
    "<iframe",
    "<object",
    "<embed",
    "<style",
    "<svg",
    "javascript:",
    "<img",
];

/// Whether the text carries script or active markup: a script-like tag, a
/// `javascript:` address, or an event handler (`onclick=`) inside a tag.
pub fn has_dangerous_markup(text: &str) -> bool {
    let lower = text.to_lowercase();
    DANGEROUS_MARKUP.iter().any(|needle| lower.contains(needle))
        || tag_spans(&lower).into_iter().any(|(start, end)| {
            lower[start..end]
                .split(|c: char| c.is_whitespace() || c == '/')
                .skip(1)
                .any(|attribute| attribute.starts_with("on") && attribute.contains('='))
        })
}

/// The tags of a text, as byte ranges between their brackets: a `<` followed by a letter,
/// `/` or `!` opens one (what a browser reads as markup; "a < b" and "<3" are not), and
/// the next `>` closes it. One pass, whatever the text: brackets nested by the thousand
/// cost no more than plain words.
fn tag_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let opens = |at: usize| {
        bytes[at] == b'<'
            && bytes
                .get(at + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/' || *b == b'!')
    };
    let mut spans = Vec::new();
    // The next `>` at or after the cursor; it only moves forward.
    let mut close = 0;
    let mut at = 0;
    while at < bytes.len() {
        if !opens(at) {
            at += 1;
            continue;
        }
        close = close.max(at + 1);
        while close < bytes.len() && bytes[close] != b'>' {
            close += 1;
        }
        if close >= bytes.len() {
            break;
        }
        spans.push((at + 1, close));
        at = close + 1;
    }
    spans
}

/// Removes HTML tags (`<b>`, `</p>`, `<!-- -->`, `<a href=...>`), keeping their text.
/// A `<` that opens no tag ("a < b", "<3") stays.
pub fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (start, end) in tag_spans(text) {
        out.push_str(&text[from..start - 1]);
        from = end + 1;
    }
    out.push_str(&text[from..]);
    out
}

/// Checks one text field of the form: no script, tags stripped, then the rules of every
/// text (trimmed, within `max` characters, no control characters). Stripping nested
/// brackets (`<<b>img onerror=…>`) would make new tags of them: what is left after one
/// stripping must hold no tag at all, or the text is refused as markup.
pub fn check_field(
    field: &str,
    value: &str,
    max: usize,
    required: bool,
) -> Result<String, AppError> {
    if has_dangerous_markup(value) {
        return Err(AppError::invalid(field, Problem::Markup));
    }
    let text = strip_tags(value);
    if !tag_spans(&text).is_empty() || has_dangerous_markup(&text) {
        return Err(AppError::invalid(field, Problem::Markup));
    }
    super::task::check_text(field, &text, max, required)
}

/// An email address of the plain shape `local@domain.tld`.
pub fn check_email(value: &str) -> Result<Option<String>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let malformed = || AppError::invalid("email", Problem::Malformed);
    if value.len() > EMAIL_MAX {
        return Err(AppError::invalid(
            "email",
            Problem::TooLong {
                max: EMAIL_MAX as u32,
            },
        ));
    }
    let (local, domain) = value.split_once('@').ok_or_else(malformed)?;
    let plain = |part: &str, extra: &[char]| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
    };
    if !plain(local, &['.', '_', '%', '+', '-'])
        || !plain(domain, &['.', '-'])
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
        || local.starts_with('.')
        || local.ends_with('.')
    {
        return Err(malformed());
    }
    Ok(Some(value.to_owned()))
}

/// A phone number: digits with an optional leading `+`, spaces, dots and dashes
/// allowed between them; 8 to 15 digits. Stored as typed, trimmed.
pub fn check_phone(value: &str) -> Result<Option<String>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let malformed = || AppError::invalid("phone", Problem::Malformed);
    if value.len() > PHONE_MAX {
        return Err(malformed());
    }
    let body = value.strip_prefix('+').unwrap_or(value);
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-'))
    {
        return Err(malformed());
    }
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if !(8..=15).contains(&digits) {
        return Err(malformed());
    }
    Ok(Some(value.to_owned()))
}

/// What the public form needs to be drawn: the choices, and a fresh challenge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackForm {
    /// Public documents an opinion may be about: (id, code and title).
    pub documents: Vec<(i32, String)>,
    pub provinces: Vec<UnitRef>,
    /// Signed by the server: when the form was drawn, and the key that makes a
    /// double-clicked submit store one item.
    pub challenge: String,
    /// Leading zero bits the browser's proof of work must reach.
    pub pow_bits: u32,
    /// What the sender typed, when the form comes back with an error.
    pub draft: FeedbackDraft,
}

/// The form's fields as the sender typed them: kept for a moment when a form sent
/// without JavaScript comes back with an error, so that nothing typed is lost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackDraft {
    pub kind: String,
    pub category: String,
    pub document: String,
    pub subject: String,
    pub text: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub province: String,
    pub commune: String,
    pub consent: bool,
}

/// What a sender gets back: the code and the secret that opens the item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub code: String,
    pub secret: String,
}

impl Receipt {
    /// The private tracking link, relative to the site.
    pub fn tracking_path(&self) -> String {
        format!(
            "/feedback/track?code={}&secret={}",
            self.code,
            super::nav::encode_query_value(&self.secret)
        )
    }
}

/// One entry of an item's history as shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackEventView {
    pub at: i64,
    pub action: FeedbackAction,
    /// Status after the entry.
    pub status: FeedbackStatus,
    /// The official who acted (inbox only).
    pub actor: Option<String>,
    /// The unit assigned, for an assignment.
    pub unit: Option<UnitRef>,
    /// A note, a rejection reason or the code of the original.
    pub detail: Option<String>,
}

/// What the sender sees with the code and the secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackedFeedback {
    pub code: String,
    pub category: Category,
    pub subject: String,
    pub text: String,
    pub status: FeedbackStatus,
    pub received_at: i64,
    pub answer: Option<PublicAnswer>,
    pub history: Vec<FeedbackEventView>,
}

/// An answer as the public may read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicAnswer {
    pub text: String,
    pub answered_at: i64,
    pub unit: Option<UnitRef>,
    pub published: bool,
}

/// One published question and answer, without anything about the sender.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedItem {
    pub code: String,
    pub category: Category,
    pub document: Option<String>,
    pub subject: String,
    pub text: String,
    pub received_at: i64,
    pub answer: PublicAnswer,
}

/// A page of published answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedPage {
    pub items: Vec<PublishedItem>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// The inbox's filters, as the query string carries them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxFilter {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub category: String,
    /// A unit code: items assigned to it or below it.
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub page: u64,
}

/// One line of the inbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxRow {
    pub code: String,
    pub kind: SenderKind,
    pub category: Category,
    pub subject: String,
    pub status: FeedbackStatus,
    pub assigned: Option<UnitRef>,
    pub received_at: i64,
    pub published: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxPage {
    pub rows: Vec<InboxRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// Units the filter may name: the official's own and the ones right below.
    pub units: Vec<UnitRef>,
}

/// Everything an official handling an item sees, personal data included.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackDetail {
    pub code: String,
    pub kind: SenderKind,
    pub category: Category,
    pub document: Option<String>,
    pub subject: String,
    pub text: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub location: Vec<UnitRef>,
    pub source: String,
    pub status: FeedbackStatus,
    pub assigned: Option<UnitRef>,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
    pub published: bool,
    pub duplicate_of: Option<String>,
    pub received_at: i64,
    pub version: i32,
    pub history: Vec<FeedbackEventView>,
    /// Units it may be assigned to: the official's own and the ones right below.
    pub assignable: Vec<UnitRef>,
    pub may_handle: bool,
    pub may_decide: bool,
}

/// What an official does to an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedbackCommand {
    Assign { unit: String },
    Note { text: String },
    Answer { text: String },
    Publish,
    Unpublish,
    MarkDuplicate { of: String },
    Reject { reason: String },
    Close,
}

/// Feedback figures for one group (a category or a unit).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedbackFigures {
    pub received: u64,
    pub answered: u64,
    pub open: u64,
    /// Median time from arrival to answer, in hours, over the answered items.
    pub median_hours_to_answer: Option<f64>,
}

/// The median of a list of durations (in hours); `None` for an empty list.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_codes_round_trip() {
        assert_eq!(reference_code(2026, 123), "PA-2026-000123");
        assert_eq!(parse_reference_code("PA-2026-000123"), Some((2026, 123)));
        assert_eq!(
            parse_reference_code(" pa-2026-1234567 "),
            Some((2026, 1234567))
        );
        assert_eq!(parse_reference_code("PA-26-000123"), None);
        assert_eq!(parse_reference_code("PA-2026-"), None);
        assert_eq!(parse_reference_code("PA-2026-000000"), None);
        assert_eq!(parse_reference_code("XX-2026-000123"), None);
    }

    #[test]
    fn secrets_forgive_spacing_and_case() {
        assert_eq!(normalize_secret("abcd-efgh ijkl"), "ABCDEFGHIJKL");
    }

    #[test]
    fn statuses_map_to_open311() {
        let open: Vec<_> = FeedbackStatus::ALL
            .iter()
            .filter(|s| s.open311() == "open")
            .collect();
        assert_eq!(open, [&FeedbackStatus::Received, &FeedbackStatus::InReview]);
    }

    #[test]
    fn tags_are_stripped_and_scripts_refused() {
        assert_eq!(
            strip_tags("<b>Đề nghị</b> cải <i>tiến</i>"),
            "Đề nghị cải tiến"
        );
        assert_eq!(strip_tags("a < b and 3<4, <3"), "a < b and 3<4, <3");
        assert_eq!(strip_tags("x <!-- c --> y"), "x  y");
        assert_eq!(strip_tags("unclosed <b"), "unclosed <b");
        assert!(has_dangerous_markup("<script>alert(1)</script>"));
        assert!(has_dangerous_markup("<SCRIPT src=x>"));
        assert!(has_dangerous_markup(
            "<a href=\"javascript:alert(1)\">x</a>"
        ));
        assert!(has_dangerous_markup("<b onmouseover=\"x()\">hi</b>"));
        assert!(!has_dangerous_markup("<b>ok</b> on time = good"));
        assert!(!has_dangerous_markup("Tôi thấy 2 < 3 và online=tốt"));
        assert_eq!(
            check_field("text", "<p>Nội dung</p>", 100, true),
            Ok("Nội dung".to_owned())
        );
        assert_eq!(
            check_field("subject", "<script>x</script>", 100, true),
            Err(AppError::invalid("subject", Problem::Markup))
        );
        assert_eq!(
            check_field("subject", "<b> </b>", 100, true),
            Err(AppError::invalid("subject", Problem::Required))
        );
        // Nested tags that stripping would turn into active markup.
        for nested in [
            "<<b>img src=x onerror=alert(1)>",
            "<<i></i>script>alert(1)<</i>/script>",
            "<a<b>x</b> href=\"java<i></i>script:alert(1)\">y</a>",
            "<<b>b onclick=alert(1)>hi",
            "<<b>iframe src=x>",
        ] {
            assert_eq!(
                check_field("text", nested, 200, true),
                Err(AppError::invalid("text", Problem::Markup)),
                "{nested}"
            );
        }
        assert_eq!(
            check_field("text", "<<b>b>đậm</b>", 200, true),
            Err(AppError::invalid("text", Problem::Markup)),
            "a tag made by stripping is refused"
        );
        let nested = format!("{}{}", "<".repeat(30_000), "b>".repeat(30_000));
        assert_eq!(
            check_field("text", &nested, 4_000, true),
            Err(AppError::invalid("text", Problem::Markup))
        );
        assert_eq!(
            tag_spans("a <b>x</b> < c <i"),
            [(3, 4), (7, 9)],
            "an unclosed `<i` is no tag"
        );
        assert_eq!(
            check_field("text", &"a".repeat(4001), TEXT_MAX, true),
            Err(AppError::invalid("text", Problem::TooLong { max: 4000 }))
        );
    }

    #[test]
    fn emails_and_phones() {
        assert_eq!(check_email(""), Ok(None));
        assert_eq!(
            check_email(" an.nguyen+gop-y@gmail.com "),
            Ok(Some("an.nguyen+gop-y@gmail.com".into()))
        );
        for bad in [
            "an", "an@", "@x.vn", "an@x", "an@x..vn", "a n@x.vn", "an@.vn", "<a>@x.vn",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        assert_eq!(check_phone("0912 345 678"), Ok(Some("0912 345 678".into())));
        assert_eq!(
            check_phone("+84 912.345.678"),
            Ok(Some("+84 912.345.678".into()))
        );
        for bad in [
            "12345",
            "09123abc78",
            "+84 912 345 678 901 234",
            "0912-345-678<",
        ] {
            assert!(check_phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5.0]), Some(5.0));
        assert_eq!(median(vec![9.0, 1.0, 4.0]), Some(4.0));
        assert_eq!(median(vec![1.0, 2.0, 3.0, 10.0]), Some(2.5));
    }
}
