//! Tiến Độ: registering the Party's resolutions, cascading their tasks from the centre to
//! every commune, and following their progress.

#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod api;
pub mod app;
pub mod components;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Only the page's `#[island]`s wake up: the rest of the page stays server-rendered HTML.
    leptos::mount::hydrate_islands();
}
