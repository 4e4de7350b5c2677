//! Response headers that every page carries.

use http::{HeaderValue, header};
use leptos::prelude::*;

/// Content-Security-Policy for one page, allowing only the scripts that carry its nonce.
/// `wasm-unsafe-eval` lets the browser compile the app's WebAssembly; nothing else is eval'd.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Called while the shell renders, so the nonce in the header is the one in the page.
pub fn set_page_headers() {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    if let Some(nonce) = use_nonce()
        && let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce.to_string()))
    {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}
