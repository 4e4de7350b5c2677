//! The frame around every page: header with navigation and language, main, footer.

use crate::api::locale::SetLocale;
use crate::i18n::*;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        // `rel="external"` keeps the router out: the browser moves focus to the target itself.
        <a class="skip-link" href="#main" rel="external">{t!(i18n, app.skip_to_content)}</a>
        <header class="site-header">
            <div class="site-header-inner">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"TĐ"</span>
                    <span class="brand-name">{t!(i18n, app.name)}</span>
                </A>
                <nav class="main-nav" aria-label=move || t_string!(i18n, app.main_nav)>
                    <ul>
                        <li><A href="/" exact=true>{t!(i18n, nav.home)}</A></li>
                        <li><A href="/units">{t!(i18n, nav.units)}</A></li>
                    </ul>
                </nav>
                <LanguageSwitcher />
            </div>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{t!(i18n, app.footer)}</p>
            <p>{t!(i18n, app.footer_units)}</p>
        </footer>
    }
}

/// One small form per language. Without JavaScript the form posts to the server, which
/// sets the cookie and sends the browser back; with it, the switch happens in place.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let here = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), search)
        }
    };
    let choice = move |locale: Locale, label: &'static str, lang: &'static str| {
        view! {
            <form
                method="post"
                action=SetLocale::PATH
                on:submit=move |ev| {
                    ev.prevent_default();
                    i18n.set_locale(locale);
                }
            >
                <input type="hidden" name="locale" value=locale.to_string() />
                <input type="hidden" name="next" value=here />
                <button
                    type="submit"
                    lang=lang
                    aria-pressed=move || (i18n.get_locale() == locale).to_string()
                >
                    {label}
                </button>
            </form>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, lang.switch)>
            {choice(Locale::vi, "Tiếng Việt", "vi")}
            {choice(Locale::en, "English", "en")}
        </div>
    }
}
