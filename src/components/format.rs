//! Numbers as each language writes them.

use crate::i18n::Locale;

/// `3321` as `3.321` in Vietnamese and `3,321` in English.
pub fn count(locale: Locale, n: impl Into<u64>) -> String {
    let separator = match locale {
        Locale::vi => '.',
        Locale::en => ',',
    };
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(d);
    }
    out
}

/// A Vietnamese proper name (a unit's, a person's) inside a sentence of either language:
/// marked so that a screen reader reading the English page pronounces it as Vietnamese
/// (WCAG 3.1.2, language of parts).
pub fn vietnamese_name(
    name: String,
) -> impl Fn() -> leptos::prelude::AnyView + Clone + Send + Sync + 'static {
    use leptos::prelude::*;
    move || view! { <span lang="vi">{name.clone()}</span> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_by_language() {
        assert_eq!(count(Locale::vi, 3321u32), "3.321");
        assert_eq!(count(Locale::en, 3321u32), "3,321");
        assert_eq!(count(Locale::en, 34u32), "34");
        assert_eq!(count(Locale::vi, 1_260_000u32), "1.260.000");
        assert_eq!(count(Locale::vi, 0u32), "0");
    }
}
