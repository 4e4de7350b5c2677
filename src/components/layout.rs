//! The frame around every page: header with navigation and language, main, footer.

use crate::api::auth::Logout;
use crate::api::locale::SetLocale;
use crate::components::viewer::use_viewer;
use crate::i18n::*;
use crate::model::Viewer;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let viewer = use_viewer();
    view! {
        // `rel="external"` keeps the router out: the browser moves focus to the target itself.
        <a class="skip-link" href="#main" rel="external">{t!(i18n, app.skip_to_content)}</a>
        <header class="site-header">{move || view! { <HeaderBody me=viewer.get() /> }}</header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{t!(i18n, app.footer)}</p>
            <p>{t!(i18n, app.footer_units)}</p>
        </footer>
    }
}

#[component]
fn HeaderBody(me: Option<Viewer>) -> impl IntoView {
    let i18n = use_i18n();
    let is_admin = me.as_ref().is_some_and(Viewer::is_admin);
    let signed_in = me.is_some();
    let unread = me.as_ref().map_or(0, |me| me.unread);
    view! {
        <div class="site-header-inner">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"TĐ"</span>
                <span class="brand-name">{t!(i18n, app.name)}</span>
            </A>
            <nav class="main-nav" aria-label=move || t_string!(i18n, app.main_nav)>
                <ul>
                    <li><A href="/" exact=true>{t!(i18n, nav.home)}</A></li>
                    {signed_in
                        .then(|| {
                            view! {
                                <li><A href="/my-work">{t!(i18n, nav.my_work)}</A></li>
                                <li><A href="/dashboard">{t!(i18n, nav.dashboard)}</A></li>
                                <li><A href="/documents">{t!(i18n, nav.documents)}</A></li>
                                <li><A href="/admin/feedback">{t!(i18n, nav.inbox)}</A></li>
                                <li><NotificationsLink unread /></li>
                            }
                        })}
                    <li><A href="/units">{t!(i18n, nav.units)}</A></li>
                    <li><A href="/feedback">{t!(i18n, nav.feedback)}</A></li>
                    {is_admin
                        .then(|| {
                            view! { <li><A href="/admin/users">{t!(i18n, nav.admin)}</A></li> }
                        })}
                </ul>
            </nav>
            <div class="header-tools">
                <UserMenu me />
                <LanguageSwitcher />
            </div>
        </div>
    }
}

/// The notifications, with how many are unread: counted when the page was made, so it
/// needs no script.
#[component]
fn NotificationsLink(unread: u64) -> impl IntoView {
    let i18n = use_i18n();
    let shown = if unread >= crate::model::notification::UNREAD_CAP {
        format!("{}+", crate::model::notification::UNREAD_CAP - 1)
    } else {
        unread.to_string()
    };
    view! {
        <A href="/notifications">
            {t!(i18n, nav.notifications)}
            {(unread > 0)
                .then(|| {
                    view! {
                        " "
                        <span class="badge" aria-hidden="true">{shown.clone()}</span>
                        <span class="visually-hidden">
                            " (" {t!(i18n, nav.unread, n = shown.clone())} ")"
                        </span>
                    }
                })}
        </A>
    }
}

/// Sign in, or the signed-in official with their account and sign-out.
#[component]
fn UserMenu(me: Option<Viewer>) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let logout = ServerAction::<Logout>::new();
    let sign_in_href = move || {
        let path = location.pathname.get();
        if path == "/login" || path == "/" {
            "/login".to_owned()
        } else {
            format!("/login?next={}", path)
        }
    };
    let menu = match me {
        Some(me) => view! {
            <A href="/account" attr:class="user-name">
                <span class="visually-hidden">{t!(i18n, nav.account)} ": "</span>
                {me.full_name}
            </A>
            <ActionForm action=logout attr:class="inline-form">
                <button type="submit" class="link-button">{t!(i18n, nav.logout)}</button>
            </ActionForm>
        }
        .into_any(),
        None => view! {
            <A href=sign_in_href attr:class="sign-in">{t!(i18n, nav.login)}</A>
        }
        .into_any(),
    };
    view! { <div class="user-menu">{menu}</div> }
}

/// One small form per language: it posts to the server, which sets the cookie and sends
/// the browser back to the same page.
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
    // Short labels keep the header on one line on a phone; a screen reader also says the
    // language's full name.
    let choice =
        move |locale: Locale, label: &'static str, name: &'static str, lang: &'static str| {
            view! {
                <form method="post" action=SetLocale::PATH>
                    <input type="hidden" name="locale" value=locale.to_string() />
                    <input type="hidden" name="next" value=here />
                    // The accessible name starts with the visible label (WCAG 2.5.3).
                    <button
                        type="submit"
                        lang=lang
                        title=name
                        aria-pressed=move || (i18n.get_locale() == locale).to_string()
                    >
                        {label}
                        <span class="visually-hidden">" – " {name}</span>
                    </button>
                </form>
            }
        };
    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, lang.switch)>
            {choice(Locale::vi, "VI", "Tiếng Việt", "vi")}
            {choice(Locale::en, "EN", "English", "en")}
        </div>
    }
}
