//! The HTML shell, the application root and the route table.

use crate::components::layout::Layout;
use crate::components::viewer::provide_viewer;
use crate::i18n::{I18nContextProvider, Locale};
use crate::pages::{
    account::AccountPage,
    admin_audit::AdminAuditPage,
    admin_oversight::AdminOversightPage,
    admin_users::{AdminUserNewPage, AdminUserPage, AdminUsersPage},
    dashboard::DashboardPage,
    documents::{DocumentNewPage, DocumentPage, DocumentsPage},
    feedback::{AnswersPage, FeedbackPage, TrackPage},
    feedback_inbox::{FeedbackInboxPage, FeedbackItemPage},
    home::HomePage,
    indicator::IndicatorPage,
    login::LoginPage,
    my_work::MyWorkPage,
    not_found::NotFound,
    notifications::NotificationsPage,
    periods::ReportingPeriodsPage,
    task::TaskPage,
    unit::UnitPage,
    units::UnitsPage,
};
use leptos::prelude::*;
use leptos_i18n::context::CookieOptions;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};
use leptos_use::UseLocalesOptions;

/// The name of the cookie that keeps the chosen language.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";
/// How long the language choice is kept, in seconds.
pub const LOCALE_COOKIE_MAX_AGE_SECS: i64 = 365 * 24 * 3600;

/// The document around every page. `<html>` is bare: the i18n provider adds `lang`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Islands mode: only islands are hydrated, so nothing outside them is written into the
    // page for the browser. A page with an island loads the WebAssembly itself (leptos'
    // `HydrationScripts` with `islands=true`, which reads the options from the context);
    // the others load none.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let stylesheet = stylesheet_href(&options);
    provide_context(options);
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link id="leptos" rel="stylesheet" href=stylesheet />
                // A submitted form shows that it is pending and cannot be sent twice.
                <script src="/forms.js" defer nonce=use_nonce()></script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The stylesheet's address, with its content's hash in release builds (cacheable for a
/// year). Read once: the hash file beside the binary does not change while it runs.
fn stylesheet_href(options: &LeptosOptions) -> String {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hash = options
            .hash_files
            .then(|| {
                let beside = std::env::current_exe()
                    .ok()?
                    .parent()?
                    .join(options.hash_file.as_ref());
                let hashes = std::fs::read_to_string(beside).ok()?;
                hashes.lines().find_map(|line| {
                    let (file, hash) = line.split_once(':')?;
                    (file.trim() == "css").then(|| format!(".{}", hash.trim()))
                })
            })
            .flatten()
            .unwrap_or_default();
        format!(
            "/{}/{}{hash}.css",
            options.site_pkg_dir, options.output_name
        )
    })
    .clone()
}

/// Cookie options shared by the provider and the no-JavaScript switcher, so both write
/// the same cookie.
pub fn locale_cookie_options() -> CookieOptions<Locale> {
    CookieOptions::default()
        .path("/")
        .same_site(leptos_use::SameSite::Lax)
        // leptos-use counts in milliseconds.
        .max_age(LOCALE_COOKIE_MAX_AGE_SECS * 1000)
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_viewer();
    view! {
        // Vietnamese unless the user chose English: the browser's Accept-Language is not
        // consulted, because officials' machines often say English when their users read
        // Vietnamese.
        <I18nContextProvider
            cookie_name=LOCALE_COOKIE
            cookie_options=locale_cookie_options()
            ssr_lang_header_getter=UseLocalesOptions::default().ssr_lang_header_getter(|| None)
        >
            <Title formatter=|title: String| {
                if title.is_empty() { "Tiến Độ".to_owned() } else { format!("{title} · Tiến Độ") }
            } />
            <Router>
                <Layout>
                    // Every route renders whole on the server before it is sent: the page
                    // works without JavaScript and can carry its own HTTP status.
                    <Routes fallback=|| view! { <NotFound /> }>
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("/units") view=UnitsPage ssr=SsrMode::Async />
                        <Route path=path!("/units/:code") view=UnitPage ssr=SsrMode::Async />
                        <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/admin/users/new")
                            view=AdminUserNewPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/admin/users/:id") view=AdminUserPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/audit") view=AdminAuditPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/admin/oversight")
                            view=AdminOversightPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/documents") view=DocumentsPage ssr=SsrMode::Async />
                        <Route path=path!("/documents/new") view=DocumentNewPage ssr=SsrMode::Async />
                        <Route path=path!("/documents/:id") view=DocumentPage ssr=SsrMode::Async />
                        <Route path=path!("/tasks/:id") view=TaskPage ssr=SsrMode::Async />
                        <Route path=path!("/indicators/:id") view=IndicatorPage ssr=SsrMode::Async />
                        <Route path=path!("/my-work") view=MyWorkPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/notifications")
                            view=NotificationsPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/periods") view=ReportingPeriodsPage ssr=SsrMode::Async />
                        <Route path=path!("/dashboard/:code") view=DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/feedback") view=FeedbackPage ssr=SsrMode::Async />
                        <Route path=path!("/feedback/track") view=TrackPage ssr=SsrMode::Async />
                        <Route path=path!("/feedback/answers") view=AnswersPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/admin/feedback")
                            view=FeedbackInboxPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/admin/feedback/:code")
                            view=FeedbackItemPage
                            ssr=SsrMode::Async
                        />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}
