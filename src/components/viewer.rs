//! Who is looking, shared by the header and the pages.
//!
//! Known on the server from the request, and handed to the browser with the page as a
//! `SharedValue`: no resource and no `<Suspense>` is needed to show it. (Resources read in
//! more than one `<Suspense>` of a page can stall a server render: leptos #4578, #4851.)

use crate::model::Viewer;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct ViewerContext {
    viewer: RwSignal<Option<Viewer>>,
}

impl ViewerContext {
    /// The signed-in official, or `None`.
    pub fn get(&self) -> Option<Viewer> {
        self.viewer.get()
    }

    /// Asks the server again, after signing in or out without a page load.
    pub fn refresh(&self) {
        let viewer = self.viewer;
        leptos::task::spawn_local(async move {
            if let Ok(found) = crate::api::auth::get_viewer().await {
                viewer.set(found);
            }
        });
    }
}

pub fn provide_viewer() {
    let initial = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            crate::api::current_user().map(|user| user.viewer)
        }
        #[cfg(not(feature = "ssr"))]
        {
            None
        }
    })
    .into_inner();
    provide_context(ViewerContext {
        viewer: RwSignal::new(initial),
    });
}

pub fn use_viewer() -> ViewerContext {
    expect_context::<ViewerContext>()
}
