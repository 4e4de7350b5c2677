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

/// A measured value, to two decimals at most: `18,3` in Vietnamese, `18.3` in English.
pub fn decimal(locale: Locale, value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if text == "-0" { "0" } else { text };
    match locale {
        Locale::vi => text.replace('.', ","),
        Locale::en => text.to_owned(),
    }
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
        assert_eq!(decimal(Locale::vi, 18.3), "18,3");
        assert_eq!(decimal(Locale::en, 30.0), "30");
        assert_eq!(decimal(Locale::en, -0.001), "0");
        assert_eq!(decimal(Locale::en, 2.345_67), "2.35");
        assert_eq!(count(Locale::vi, 1_260_000u32), "1.260.000");
        assert_eq!(count(Locale::vi, 0u32), "0");
    }
}
