//! Turning internal failures into what a user may see: a generic message and a reference.

use crate::model::AppError;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use std::fmt::Display;

/// Logs the detail under a fresh reference and returns an error that carries only the
/// reference: SQL, file paths and panics stay in the log.
pub fn internal(detail: impl Display) -> AppError {
    let reference = new_reference();
    tracing::error!(reference = %reference, detail = %detail, "internal error");
    AppError::Internal { reference }
}

/// A short reference an official can read out over the phone: 10 characters of Crockford base32.
pub fn new_reference() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bits = OsRng.next_u64();
    (0..10)
        .map(|_| {
            let c = ALPHABET[(bits & 31) as usize] as char;
            bits >>= 5;
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_short_and_distinct() {
        let a = new_reference();
        assert_eq!(a.len(), 10);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, new_reference());
    }

    #[test]
    fn internal_errors_hide_the_detail() {
        let error = internal("SELECT * FROM users: no such table at /srv/data/tiendo.db");
        let shown = error.to_string();
        assert!(!shown.contains("SELECT"));
        assert!(!shown.contains("/srv"));
    }
}
