use crate::components::status::set_http_status;
use crate::components::title::page_title;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// Any address the application does not know, and any record the user may not see.
#[component]
pub fn NotFound() -> impl IntoView {
    set_http_status(404);
    let i18n = use_i18n();
    view! {
        {page_title(move || t_string!(i18n, error.not_found_title).to_owned())}
        <section class="page">
            <h1>{t!(i18n, error.not_found_title)}</h1>
            <p>{t!(i18n, error.not_found_text)}</p>
            <p><A href="/">{t!(i18n, error.back_home)}</A></p>
        </section>
    }
}
