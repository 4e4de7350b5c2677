//! Feedback: the public form, tracking and published answers (anyone), and the
//! officials' inbox (signed in, under the access rule).

use crate::model::AppError;
use crate::model::feedback::{
    FeedbackDetail, FeedbackForm, InboxFilter, InboxPage, PublishedPage, TrackedFeedback,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The submission endpoint, which the per-address limit and the body cap watch.
pub const SUBMIT_FEEDBACK_PATH: &str = <SubmitFeedback as ServerFn>::PATH;

/// The choices of the public form and a fresh challenge; with `draft`, the key of a
/// form that came back with an error, what was typed in it and its challenge.
#[server(endpoint = "feedback/form")]
pub async fn get_feedback_form(#[server(default)] draft: String) -> Result<FeedbackForm, AppError> {
    use crate::model::Classification;
    use crate::server::entity::{document, unit};
    use crate::server::feedback::POW_BITS;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let state = super::state()?;
    let documents = document::Entity::find()
        .filter(document::Column::Classification.eq(Classification::Public.rank()))
        .order_by_desc(document::Column::IssuedOn)
        .all(&state.db.read)
        .await
        .map_err(super::database)?
        .into_iter()
        .map(|d| (d.id, format!("{} — {}", d.code, d.title)))
        .collect();
    let provinces = unit::Entity::find()
        .filter(unit::Column::Level.eq(crate::model::UnitLevel::Province.as_str()))
        .order_by_asc(unit::Column::Name)
        .all(&state.db.read)
        .await
        .map_err(super::database)?
        .iter()
        .map(crate::server::work::unit_ref)
        .collect();
    let (challenge, draft) = state.intake.draft(draft.trim()).unwrap_or_else(|| {
        let fresh = crate::model::feedback::FeedbackDraft {
            kind: "citizen".to_owned(),
            ..Default::default()
        };
        let challenge = state.intake.challenge(chrono::Utc::now().timestamp());
        crate::server::http::kept_pages::challenge_drawn(&challenge);
        (challenge, fresh)
    });
    Ok(FeedbackForm {
        documents,
        provinces,
        challenge,
        pow_bits: POW_BITS,
        draft,
    })
}

/// Takes an opinion in, from a plain form (works without JavaScript), and sends the
/// sender to its tracking page, which shows the code and the private link.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "feedback/submit")]
pub async fn submit_feedback(
    #[server(default)] kind: String,
    #[server(default)] category: String,
    #[server(default)] document: String,
    #[server(default)] subject: String,
    #[server(default)] text: String,
    #[server(default)] name: String,
    #[server(default)] email: String,
    #[server(default)] phone: String,
    #[server(default)] province: String,
    #[server(default)] commune: String,
    #[server(default)] consent: String,
    #[server(default)] website: String,
    #[server(default)] challenge: String,
    #[server(default)] proof: String,
) -> Result<(), AppError> {
    use crate::model::feedback::FeedbackDraft;
    use crate::server::feedback::{FormInput, Submitted, submit_form};

    let state = super::state()?;
    let ip = super::client().ip.and_then(|ip| ip.parse().ok());
    let input = FormInput {
        fields: FeedbackDraft {
            kind,
            category,
            document,
            subject,
            text,
            name,
            email,
            phone,
            province,
            commune,
            consent: !consent.is_empty() && consent != "false",
        },
        website,
        challenge,
        proof,
    };
    let draft = input.fields.clone();
    let challenge = input.challenge.clone();
    let submitted = match super::outcome(
        submit_form(&state.db, &state.intake, ip, input, chrono::Utc::now()).await,
    ) {
        Ok(submitted) => submitted,
        Err(error) => {
            // Without JavaScript the form is drawn again from the server: it comes back
            // with what was typed, so that a correction does not mean typing it all again.
            if super::form_post()
                && matches!(error, AppError::Invalid { .. })
                && let Some(key) = state.intake.keep_draft(&challenge, draft)
                && let Ok(url) = leptos::server_fn::error::ServerFnUrlError::new(
                    SUBMIT_FEEDBACK_PATH,
                    error.clone(),
                )
                .to_url(&format!("http://localhost/feedback?draft={key}"))
            {
                let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
                leptos_axum::redirect(&format!("{}{query}", url.path()));
            }
            return Err(error);
        }
    };
    let (Submitted::Stored(receipt) | Submitted::Dropped(receipt)) = submitted;
    leptos_axum::redirect(&format!("{}&sent=1", receipt.tracking_path()));
    Ok(())
}

/// An item as its sender may see it, with the code and the secret of its tracking link.
#[server(endpoint = "feedback/track")]
pub async fn track_feedback(code: String, secret: String) -> Result<TrackedFeedback, AppError> {
    let state = super::state()?;
    super::outcome(crate::server::feedback::track(&state.db, &code, &secret).await)
}

/// Published answers, searchable without regard to diacritics.
#[server(endpoint = "feedback/answers")]
pub async fn list_published_answers(
    #[server(default)] q: String,
    #[server(default)] category: String,
    #[server(default)] page: u64,
) -> Result<PublishedPage, AppError> {
    let state = super::state()?;
    super::outcome(crate::server::feedback::published(&state.db, &q, &category, page).await)
}

/// The officials' inbox: what the caller may see, filtered.
#[server(endpoint = "feedback/inbox")]
pub async fn get_feedback_inbox(
    #[server(default)] filter: InboxFilter,
) -> Result<InboxPage, AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    super::outcome(crate::server::feedback::inbox(&state.db, &reader, &filter).await)
}

/// One item with its sender's details and its whole history, for the officials who
/// may see it.
#[server(endpoint = "feedback/item")]
pub async fn get_feedback_item(code: String) -> Result<FeedbackDetail, AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    super::outcome(crate::server::feedback::detail(&state.db, &reader, &code).await)
}

/// An official's action on an item: `assign` (with `unit`), `note`, `answer` (with
/// `text`), `publish`, `unpublish`, `duplicate` (with `of`), `reject` (with `text`, the
/// reason) or `close`. `version` is the one the official read: a change made in between
/// is a conflict, not overwritten.
#[server(endpoint = "feedback/act")]
pub async fn act_on_feedback(
    code: String,
    version: i32,
    action: String,
    #[server(default)] unit: String,
    #[server(default)] text: String,
    #[server(default)] of: String,
) -> Result<(), AppError> {
    use crate::model::Problem;
    use crate::model::feedback::FeedbackCommand;

    let reader = super::reader()?;
    let state = super::state()?;
    let command = match action.as_str() {
        "assign" => FeedbackCommand::Assign { unit },
        "note" => FeedbackCommand::Note { text },
        "answer" => FeedbackCommand::Answer { text },
        "publish" => FeedbackCommand::Publish,
        "unpublish" => FeedbackCommand::Unpublish,
        "duplicate" => FeedbackCommand::MarkDuplicate { of },
        "reject" => FeedbackCommand::Reject { reason: text },
        "close" => FeedbackCommand::Close,
        _ => return Err(super::fail(AppError::invalid("action", Problem::Unknown))),
    };
    let code = super::outcome(
        crate::server::feedback::act(
            &state.db,
            &reader,
            &code,
            version,
            command,
            chrono::Utc::now(),
        )
        .await,
    )?;
    leptos_axum::redirect(&format!("/admin/feedback/{code}?done={action}"));
    Ok(())
}
