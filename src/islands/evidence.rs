//! The evidence picker of the report form: says what was chosen and how big it is, and
//! refuses, before anything is sent, the files the server would refuse after minutes of
//! upload on a weak link.

use crate::model::Problem;
use crate::model::task::check_evidence_sizes;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the server accepts as evidence, by name (the server checks the content).
pub const EVIDENCE_ACCEPT: &str =
    ".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.pptx,.odt,.ods,.txt,.csv";

/// The picker's sentences, in the reader's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceTexts {
    /// What was chosen, with `{count}` and `{size}`.
    pub chosen: String,
    /// The rule broken by too many files.
    pub too_many: String,
    /// The rule broken by a file too large; the file's name goes before it.
    pub too_large: String,
    /// The decimal separator of the reader's language.
    pub decimal: char,
}

/// The file input of the report form. Without JavaScript it is the same input, and the
/// server alone checks the files.
#[island]
pub fn EvidencePicker(texts: EvidenceTexts) -> impl IntoView {
    let summary = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    // Effects run only in the browser: the mark says the island is awake.
    let awake = RwSignal::new(false);
    Effect::new(move |_| awake.set(true));
    let on_change = move |ev: leptos::ev::Event| {
        let files = chosen_files(&ev);
        let (chosen, broken) = judge(&files, &texts);
        summary.set(chosen);
        set_validity(&ev, &broken);
        problem.set(broken);
    };
    view! {
        <input
            id="report-files"
            name="files"
            type="file"
            multiple
            accept=EVIDENCE_ACCEPT
            aria-describedby="report-files-hint report-files-chosen report-files-check report-files-error"
            data-awake=move || awake.get().then_some("")
            on:change=on_change
        />
        // Nothing rather than an empty text: the paragraphs stay `:empty`, and take no room.
        <p id="report-files-chosen" class="hint" aria-live="polite">{move || shown(summary)}</p>
        <p id="report-files-check" class="field-error" aria-live="polite">{move || shown(problem)}</p>
    }
}

fn shown(text: RwSignal<String>) -> Option<String> {
    Some(text.get()).filter(|text| !text.is_empty())
}

/// What to tell the reader about `files` (name, bytes): what was chosen, and the rule
/// they break, if any (empty when none).
pub fn judge(files: &[(String, u64)], texts: &EvidenceTexts) -> (String, String) {
    if files.is_empty() {
        return (String::new(), String::new());
    }
    let total: u64 = files.iter().map(|(_, size)| size).sum();
    let chosen = texts
        .chosen
        .replace("{count}", &files.len().to_string())
        .replace("{size}", &size_text(total, texts.decimal));
    let sizes: Vec<u64> = files.iter().map(|(_, size)| *size).collect();
    let broken = match check_evidence_sizes(&sizes) {
        Ok(()) => String::new(),
        Err(Problem::TooMany { .. }) => texts.too_many.clone(),
        Err(_) => {
            let largest = files.iter().max_by_key(|(_, size)| *size);
            let (name, size) = largest.map_or(("", 0), |(n, s)| (n.as_str(), *s));
            format!(
                "{name} ({}): {}",
                size_text(size, texts.decimal),
                texts.too_large
            )
        }
    };
    (chosen, broken)
}

/// A size as a reader says it: kilobytes below one megabyte, else megabytes to a tenth.
fn size_text(bytes: u64, decimal: char) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        format!("{}{decimal}{} MB", tenths / 10, tenths % 10)
    }
}

#[cfg(feature = "hydrate")]
fn chosen_files(ev: &leptos::ev::Event) -> Vec<(String, u64)> {
    let input: web_sys::HtmlInputElement = event_target(ev);
    let Some(list) = input.files() else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|file| (file.name(), file.size() as u64))
        .collect()
}

/// A field that says it is invalid stops its form (`public/forms.js`), with the message.
#[cfg(feature = "hydrate")]
fn set_validity(ev: &leptos::ev::Event, message: &str) {
    let input: web_sys::HtmlInputElement = event_target(ev);
    input.set_custom_validity(message);
}

// The server renders the island but never runs its handlers.
#[cfg(not(feature = "hydrate"))]
fn chosen_files(_: &leptos::ev::Event) -> Vec<(String, u64)> {
    Vec::new()
}

#[cfg(not(feature = "hydrate"))]
fn set_validity(_: &leptos::ev::Event, _: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> EvidenceTexts {
        EvidenceTexts {
            chosen: "{count} tệp, {size}".into(),
            too_many: "Quá nhiều".into(),
            too_large: "Tệp quá lớn".into(),
            decimal: ',',
        }
    }

    #[test]
    fn the_picker_says_what_was_chosen_and_which_rule_it_breaks() {
        assert_eq!(judge(&[], &texts()), (String::new(), String::new()));
        let small = vec![("a.pdf".to_owned(), 1500), ("b.jpg".to_owned(), 2_500_000)];
        assert_eq!(
            judge(&small, &texts()),
            ("2 tệp, 2,4 MB".into(), String::new())
        );
        let large = vec![
            ("a.pdf".to_owned(), 1),
            ("scan.pdf".to_owned(), 12 * 1024 * 1024),
        ];
        assert_eq!(judge(&large, &texts()).1, "scan.pdf (12,0 MB): Tệp quá lớn");
        let many = vec![("a.txt".to_owned(), 10); 6];
        assert_eq!(judge(&many, &texts()).1, "Quá nhiều");
    }
}
