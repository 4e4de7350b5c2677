//! Islands: the only code the browser downloads.
//!
//! Pages render on the server only and work without JavaScript. A piece of a page becomes
//! an `#[island]` here when it needs code in the browser to do something the server cannot
//! (look at a file before it is sent, for instance). An island gets everything it shows
//! as props, its sentences already in the reader's language: server context (the i18n
//! provider, the router, the viewer) does not exist in the browser. Its props are sent to
//! the browser as they are, so they hold only what the reader may see. A page that renders
//! an island also renders [`IslandScripts`], which loads the WebAssembly; pages without
//! islands load none.

pub mod evidence;

use leptos::prelude::*;

/// Whether this page already carries the scripts that wake its islands.
#[derive(Clone, Copy)]
struct IslandScriptsSent;

/// The script that loads the WebAssembly when the browser is idle and wakes the page's
/// islands, with the page's CSP nonce; sent once per page however many islands it has.
#[component]
pub fn IslandScripts() -> impl IntoView {
    let options = use_context::<LeptosOptions>();
    let first = use_context::<IslandScriptsSent>().is_none();
    if first {
        provide_context(IslandScriptsSent);
    }
    options
        .filter(|_| first)
        .map(|options| view! { <HydrationScripts options islands=true /> })
}
