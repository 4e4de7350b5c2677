//! The page's `<title>`.

use leptos::prelude::*;
use leptos_meta::Title;

/// A title in the user's language. `text` is read inside a reactive closure, so the title
/// follows a language switch, and `<Title>` gets plain text: leptos_meta reads a title
/// while it writes the page's head, outside the render's reactive scope, where reading a
/// signal (the locale) can panic.
pub fn page_title(text: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    move || view! { <Title text=text() /> }
}
