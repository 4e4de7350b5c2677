//! Who is looking, shared by the header and the pages.

use crate::api::auth::get_viewer;
use crate::model::{AppError, Viewer};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct ViewerContext {
    pub viewer: Resource<Result<Option<Viewer>, AppError>>,
    version: RwSignal<u32>,
}

impl ViewerContext {
    /// Fetches the viewer again: after signing in or out without a page load.
    pub fn refresh(&self) {
        self.version.update(|v| *v += 1);
    }
}

pub fn provide_viewer() {
    let version = RwSignal::new(0u32);
    let viewer = Resource::new(move || version.get(), |_| get_viewer());
    provide_context(ViewerContext { viewer, version });
}

pub fn use_viewer() -> ViewerContext {
    expect_context::<ViewerContext>()
}
