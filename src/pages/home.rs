use crate::api::units::get_units_overview;
use crate::components::format::count;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| get_units_overview());
    let hierarchy = move || {
        Suspend::new(async move {
            let o = overview.await.ok()?;
            let locale = i18n.get_locale();
            Some(view! {
                <p>
                    {t!(
                        i18n,
                        home.hierarchy_text,
                        agencies = count(locale, o.agencies.len() as u64),
                        provinces = count(locale, o.provinces.len() as u64),
                        communes = count(locale, o.commune_total)
                    )}
                </p>
            })
        })
    };
    view! {
        <Title text="" />
        <section class="page home">
            <h1>{t!(i18n, home.title)}</h1>
            <p class="lead">{t!(i18n, app.tagline)}</p>
            <p>{t!(i18n, home.lead)}</p>
            <p>{t!(i18n, home.five_clear)}</p>
            <div class="home-grid">
                <section class="card">
                    <h2>{t!(i18n, home.flow_heading)}</h2>
                    <ol class="flow">
                        <li>{t!(i18n, home.flow_register)}</li>
                        <li>{t!(i18n, home.flow_assign)}</li>
                        <li>{t!(i18n, home.flow_report)}</li>
                        <li>{t!(i18n, home.flow_evaluate)}</li>
                    </ol>
                </section>
                <section class="card">
                    <h2>{t!(i18n, home.hierarchy_heading)}</h2>
                    <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
                        {hierarchy}
                    </Suspense>
                    <p><A href="/units" attr:class="button">{t!(i18n, home.browse_units)}</A></p>
                </section>
            </div>
        </section>
    }
}
