//! The links between the pages of a long list.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// Links to the previous and the next page (where there is one), and where the reader is.
#[component]
pub fn Pagination(
    previous: Option<String>,
    next: Option<String>,
    page: u64,
    pages: u64,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="pagination" aria-label=move || t_string!(i18n, admin.pagination)>
            {previous.map(|href| view! { <A href=href>{t!(i18n, admin.previous)}</A> })}
            <span>{move || t_string!(i18n, admin.page_of, page = page, pages = pages)}</span>
            {next.map(|href| view! { <A href=href>{t!(i18n, admin.next)}</A> })}
        </nav>
    }
}
