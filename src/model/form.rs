//! What an official typed into a form the server refused, kept for the page the form
//! comes back to, so that nothing typed is lost (with or without JavaScript).

use serde::{Deserialize, Serialize};

/// The fields of one refused submission, as typed, secrets left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypedForm {
    /// The server function the form posted to: another form on the same page is not
    /// given these values.
    pub path: String,
    pub fields: Vec<(String, String)>,
}

/// Fields whose values are never kept, not even for a moment: passwords.
pub const SECRET_FIELDS: &[&str] = &["password", "current", "new", "confirm"];

/// The most text kept for one form: a form's fields are small; a larger value is
/// dropped rather than stored in the session.
pub const TYPED_MAX_BYTES: usize = 64 * 1024;

impl TypedForm {
    /// Keeps the fields of a refused form, secrets and anything past the cap left out.
    pub fn keep(path: &str, fields: impl IntoIterator<Item = (String, String)>) -> TypedForm {
        let mut kept = Vec::new();
        let mut size = 0;
        for (name, value) in fields {
            if SECRET_FIELDS.contains(&name.as_str()) || name.starts_with("__") {
                continue;
            }
            size += name.len() + value.len();
            if size > TYPED_MAX_BYTES {
                break;
            }
            kept.push((name, value));
        }
        TypedForm {
            path: path.to_owned(),
            fields: kept,
        }
    }

    /// The first value typed into `field`.
    pub fn value(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, value)| value.as_str())
    }

    /// Whether `value` was among those sent for `field` (a chosen option, a ticked box).
    pub fn has(&self, field: &str, value: &str) -> bool {
        self.fields
            .iter()
            .any(|(name, v)| name == field && v == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn passwords_are_never_kept() {
        let form = TypedForm::keep(
            "/api/login",
            pairs(&[
                ("username", "hue.canbo"),
                ("password", "secret"),
                ("next", "/"),
            ]),
        );
        assert_eq!(form.value("username"), Some("hue.canbo"));
        assert_eq!(form.value("password"), None);
        let form = TypedForm::keep(
            "/api/account/password",
            pairs(&[("current", "a"), ("new", "b"), ("confirm", "b")]),
        );
        assert!(form.fields.is_empty());
    }

    #[test]
    fn a_huge_form_keeps_what_fits() {
        let big = "x".repeat(TYPED_MAX_BYTES);
        let form = TypedForm::keep("/api/x", pairs(&[("title", "ok"), ("text", &big)]));
        assert_eq!(form.value("title"), Some("ok"));
        assert_eq!(form.value("text"), None);
    }

    #[test]
    fn every_value_of_a_field_counts() {
        let form = TypedForm::keep("/api/x", pairs(&[("unit", "01"), ("unit", "79")]));
        assert_eq!(form.value("unit"), Some("01"));
        assert!(form.has("unit", "79"));
        assert!(!form.has("unit", "48"));
    }
}
