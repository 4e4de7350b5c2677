//! The frame around every page: header with navigation and language, main, footer.

use crate::api::auth::Logout;
use crate::api::locale::SetLocale;
use crate::components::viewer::use_viewer;
use crate::i18n::*;
use crate::model::Viewer;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
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
            <NavLink href="/" class="brand">
                <span class="brand-mark" aria-hidden="true">"TĐ"</span>
                <span class="brand-name">{t!(i18n, app.name)}</span>
            </NavLink>
            <nav class="main-nav" aria-label=move || t_string!(i18n, app.main_nav)>
                <ul>
                    <li><NavLink href="/" exact=true>{t!(i18n, nav.home)}</NavLink></li>
                    {signed_in
                        .then(|| {
                            view! {
                                <li><NavLink href="/my-work">{t!(i18n, nav.my_work)}</NavLink></li>
                                <li><NavLink href="/dashboard">{t!(i18n, nav.dashboard)}</NavLink></li>
                                <li><NavLink href="/periods">{t!(i18n, nav.periods)}</NavLink></li>
                                <li><NavLink href="/documents">{t!(i18n, nav.documents)}</NavLink></li>
                                <li><NavLink href="/admin/feedback">{t!(i18n, nav.inbox)}</NavLink></li>
                                <li><NotificationsLink unread /></li>
                            }
                        })}
                    <li><NavLink href="/units">{t!(i18n, nav.units)}</NavLink></li>
                    <li><NavLink href="/feedback">{t!(i18n, nav.feedback)}</NavLink></li>
                    {is_admin
                        .then(|| {
                            view! { <li><NavLink href="/admin/users">{t!(i18n, nav.admin)}</NavLink></li> }
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

/// A link of the site's navigation, marked as the current page's when the page is under
/// it (or is it, when `exact`). Pages are drawn on the server only, so this is worked out
/// once, without the router's `<A>` and its reactive machinery on every link.
#[component]
fn NavLink(
    #[prop(into)] href: String,
    #[prop(optional)] exact: bool,
    #[prop(optional)] class: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let here = use_location().pathname.get_untracked();
    let current = here == href
        || (!exact
            && href != "/"
            && here.starts_with(&href)
            && here[href.len()..].starts_with('/'));
    view! {
        <a href=href class=class aria-current=current.then_some("page")>
            {children()}
        </a>
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
        <NavLink href="/notifications">
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
        </NavLink>
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
            <NavLink href="/account" class="user-name">
                <span class="visually-hidden">{t!(i18n, nav.account)} ": "</span>
                {me.full_name}
            </NavLink>
            <ActionForm action=logout attr:class="inline-form">
                <button type="submit" class="link-button">{t!(i18n, nav.logout)}</button>
            </ActionForm>
        }
        .into_any(),
        None => view! {
            <NavLink href=sign_in_href() class="sign-in">{t!(i18n, nav.login)}</NavLink>
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
