//! A form that came back refused: the problem named at the top of the form and tied to
//! its field, focus on that field, and what was typed put back, with or without
//! JavaScript.

use crate::components::error::{error_text, field_error};
use crate::i18n::*;
use crate::model::AppError;
use crate::model::form::TypedForm;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// How one form shows its last refusal. Field ids are `{prefix}{field}` (the summary
/// links there); each field names its message paragraph in `aria-describedby`.
#[derive(Clone, Copy)]
pub struct Refusal {
    i18n: I18nContext<Locale>,
    error: Signal<Option<AppError>>,
    typed: StoredValue<Option<TypedForm>>,
    prefix: StoredValue<String>,
    /// False for the other forms of a group (see [`Refusal::only_if`]).
    mine: bool,
}

impl Refusal {
    /// The refusal of the form posting to the server function at `path`.
    pub fn new(path: &str, error: Signal<Option<AppError>>) -> Refusal {
        Refusal {
            i18n: use_i18n(),
            error,
            typed: StoredValue::new(typed_form(path)),
            prefix: StoredValue::new(String::new()),
            mine: true,
        }
    }

    /// The refusal of the form that sends `action`.
    pub fn of<S>(action: ServerAction<S>) -> Refusal
    where
        S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        S::Output: Clone + Send + Sync + 'static,
    {
        Refusal::new(
            S::PATH,
            Signal::derive(move || action.value().get().and_then(Result::err)),
        )
    }

    /// For a page holding two forms with the same fields.
    pub fn with_prefix(self, prefix: impl Into<String>) -> Refusal {
        Refusal {
            prefix: StoredValue::new(prefix.into()),
            ..self
        }
    }

    /// What the refused form sent for `field` (a hidden id, say), if it was kept.
    pub fn sent(self, field: &str) -> Option<String> {
        self.typed.with_value(|typed| {
            typed
                .as_ref()
                .and_then(|t| t.value(field))
                .map(str::to_owned)
        })
    }

    /// For one of several forms posting to the same function (one per report, one per
    /// action): the refusal and the typed values belong to the form that sent `field` =
    /// `value` (its hidden action or record id). Without the typed values (they could not
    /// be kept), every form of the group shows the refusal.
    pub fn only_if(self, field: &str, value: &str) -> Refusal {
        let typed = self.typed.get_value();
        let mine = typed
            .as_ref()
            .is_none_or(|typed| typed.value(field) == Some(value));
        Refusal {
            typed: StoredValue::new(typed.filter(|_| mine)),
            mine,
            ..self
        }
    }

    pub fn error(self) -> Signal<Option<AppError>> {
        self.error
    }

    pub fn id(self, field: &str) -> String {
        format!("{}{field}", self.prefix.get_value())
    }

    /// The problem with `field`, when the refusal was about it.
    pub fn message(self, field: &'static str) -> impl Fn() -> Option<String> + Clone {
        move || {
            self.mine
                .then(|| field_error(self.i18n, self.error.get().as_ref(), field))
                .flatten()
        }
    }

    /// `aria-invalid` for `field`.
    pub fn invalid(self, field: &str) -> Option<&'static str> {
        self.is_about(field).then_some("true")
    }

    /// `autofocus` for `field`: the page opens on the field to correct.
    pub fn focus(self, field: &str) -> bool {
        self.is_about(field)
    }

    /// What `field` shows: what was typed into it, or else `current`.
    pub fn value(self, field: &str, current: impl Into<String>) -> String {
        self.sent(field).unwrap_or_else(|| current.into())
    }

    /// What a `<textarea>` for `field` holds: [`Refusal::value`], made safe as its content.
    pub fn text(self, field: &str, current: impl Into<String>) -> String {
        textarea_content(&self.value(field, current))
    }

    /// The option of `field` to show chosen: as sent (when it is one), or else `current`.
    pub fn choice<T: std::str::FromStr>(self, field: &str, current: T) -> T {
        self.sent(field)
            .and_then(|sent| sent.parse().ok())
            .unwrap_or(current)
    }

    /// Whether `option` of `field` is chosen: as sent, or else `current`.
    pub fn chosen(self, field: &str, option: &str, current: bool) -> bool {
        self.typed.with_value(|typed| match typed {
            Some(typed) if typed.value(field).is_some() => typed.has(field, option),
            _ => current,
        })
    }

    /// Whether a box the form may leave unsent (a checkbox) is ticked: as sent, or else
    /// `current`.
    pub fn ticked(self, field: &str, current: bool) -> bool {
        self.typed.with_value(|typed| match typed {
            Some(typed) => typed.value(field).is_some(),
            None => current,
        })
    }

    fn is_about(self, field: &str) -> bool {
        self.mine
            && matches!(self.error.get_untracked(), Some(AppError::Invalid { field: f, .. }) if f == field)
    }
}

/// Text made safe as the content of a `<textarea>`. Leptos writes a textarea's children
/// unescaped on the server (tachys treats it like `<script>`), yet HTML reads entities
/// there and ends the element at `</textarea>`: unescaped, a stored title could close the
/// field and inject markup, and an `&lt;` typed by an official would come back as `<`.
pub fn textarea_content(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// The values typed into the refused form that posted to `path`, on the page it came
/// back to (the server kept them for this one page).
fn typed_form(path: &str) -> Option<TypedForm> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()?
            .extensions
            .get::<TypedForm>()
            .filter(|form| form.path == path)
            .cloned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = path;
        None
    }
}

/// The top of a refused form: a problem with one field, as a link to it, or the
/// sentence for any other refusal. Announced as it appears.
#[component]
pub fn FormProblem(
    refusal: Refusal,
    /// Only problems with a field (a page shows the other refusals once, above its forms).
    #[prop(optional)]
    fields_only: bool,
) -> impl IntoView {
    let i18n = refusal.i18n;
    move || match refusal.error.get().filter(|_| refusal.mine)? {
        AppError::Invalid { field, problem } => {
            let text = crate::components::labels::problem_text(i18n, &problem);
            Some(
                view! {
                    <div class="notice notice-error error-summary" role="alert">
                        <p>{t!(i18n, common.form_refused)}</p>
                        <ul>
                            <li><a href=format!("#{}", refusal.id(&field))>{text}</a></li>
                        </ul>
                    </div>
                }
                .into_any(),
            )
        }
        _ if fields_only => None,
        other => Some(
            view! { <p class="notice notice-error" role="alert">{error_text(i18n, &other)}</p> }
                .into_any(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::textarea_content;

    #[test]
    fn a_textarea_holds_text_only() {
        assert_eq!(
            textarea_content("a </textarea><b>x</b> & &lt;"),
            "a &lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt; &amp; &amp;lt;"
        );
        assert_eq!(textarea_content("Dòng một\nDòng hai"), "Dòng một\nDòng hai");
    }
}

/// One labelled input of a form that shows its refusal: `{prefix}{name}` as its id, the
/// hint and the problem tied to it, what was typed put back.
#[component]
pub fn TextField(
    refusal: Refusal,
    name: &'static str,
    label: String,
    /// Said after the label, in Vietnamese whatever the page's language: a unit of
    /// measure, a weight as an indicator names it.
    #[prop(optional)]
    named: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<String>,
    #[prop(default = 200)] maxlength: usize,
    /// A number: phones offer their number keys (with the decimal mark).
    #[prop(optional)]
    decimal: bool,
) -> impl IntoView {
    let id = refusal.id(name);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field">
            <label for=id.clone()>
                {label}
                {named.map(|named| view! { " " <span lang="vi">{named}</span> })}
            </label>
            <input id=id name=name type=kind required=required maxlength=maxlength inputmode=decimal.then_some("decimal") value=refusal.value(name, value) aria-describedby=described aria-invalid=refusal.invalid(name) autofocus=refusal.focus(name) />
            {hint.map(|hint| view! { <p id=hint_id class="hint">{hint}</p> })}
            <p id=error_id class="field-error">{refusal.message(name)}</p>
        </div>
    }
}

/// What the server accepts as evidence, by name (the server checks the content).
const EVIDENCE_ACCEPT: &str = ".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.pptx,.odt,.ods,.txt,.csv";

/// The evidence files of a multipart form (a progress report, an indicator value), as the
/// field `files`. The input carries the limits and their sentences in the reader's
/// language, so that `public/forms.js` can say what was chosen and refuse too many or too
/// large files before a weak link spends minutes sending them; without JavaScript the
/// server alone checks them.
#[component]
pub fn EvidenceField(refusal: Refusal) -> impl IntoView {
    use crate::components::labels::problem_text;
    use crate::model::task::{
        EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES, EVIDENCE_TOO_LARGE, EVIDENCE_TOO_MANY,
    };
    let i18n = use_i18n();
    let id = refusal.id("files");
    let chosen = t_string!(
        i18n,
        tasks.report_files_chosen,
        count = "{count}",
        size = "{size}"
    );
    let too_many = problem_text(i18n, &EVIDENCE_TOO_MANY);
    let too_large = problem_text(i18n, &EVIDENCE_TOO_LARGE);
    let decimal = match i18n.get_locale_untracked() {
        Locale::vi => ",",
        Locale::en => ".",
    };
    view! {
        <div class="field">
            <label for=id.clone()>{t!(i18n, tasks.report_files)}</label>
            <input
                id=id.clone()
                name="files"
                type="file"
                multiple
                accept=EVIDENCE_ACCEPT
                aria-describedby=format!("{id}-hint {id}-chosen {id}-check {id}-error")
                aria-invalid=refusal.invalid("files")
                autofocus=refusal.focus("files")
                data-max-files=EVIDENCE_MAX_FILES
                data-max-bytes=EVIDENCE_MAX_BYTES
                data-chosen=chosen
                data-too-many=too_many
                data-too-large=too_large
                data-decimal=decimal
            />
            <p id=format!("{id}-chosen") class="hint" aria-live="polite"></p>
            <p id=format!("{id}-check") class="field-error" aria-live="polite"></p>
            <p id=format!("{id}-hint") class="hint">{t!(i18n, tasks.report_files_hint)}</p>
            <p id=format!("{id}-error") class="field-error">{refusal.message("files")}</p>
        </div>
    }
}

/// The evidence files of a report or a value, each a download link (`{href}/{id}`) with
/// its size; nothing when there are none.
#[component]
pub fn FileList(
    files: Vec<crate::model::task::AttachmentView>,
    href: &'static str,
) -> impl IntoView {
    (!files.is_empty()).then(|| {
        view! {
            <ul class="files">
                {files
                    .into_iter()
                    .map(|file| {
                        view! {
                            <li>
                                <a href=format!("{href}/{}", file.id) rel="external" download=file.file_name.clone()>
                                    {file.file_name.clone()}
                                </a>
                                <span class="muted">{format!(" ({} KB)", (file.size + 1023) / 1024)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}
