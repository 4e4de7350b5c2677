//! Who is looking, shared by the header and the pages.
//!
//! Known on the server from the request: no resource and no `<Suspense>` is needed to show
//! it. (Resources read in more than one `<Suspense>` of a page can stall a server render:
//! leptos #4578, #4851.)

use crate::model::Viewer;
use leptos::prelude::*;

/// The official the page is rendered for: pages render on the server only (islands mode),
/// so this is known from the request and never sent to the browser as data.
#[derive(Clone, Copy)]
pub struct ViewerContext {
    viewer: StoredValue<Option<Viewer>>,
}

impl ViewerContext {
    /// The signed-in official, or `None`.
    pub fn get(&self) -> Option<Viewer> {
        self.viewer.get_value()
    }
}

pub fn provide_viewer() {
    #[cfg(feature = "ssr")]
    let viewer = crate::api::current_user().map(|user| user.viewer);
    #[cfg(not(feature = "ssr"))]
    let viewer = None;
    provide_context(ViewerContext {
        viewer: StoredValue::new(viewer),
    });
}

pub fn use_viewer() -> ViewerContext {
    expect_context::<ViewerContext>()
}
