//! Property tests of the rules every input crosses: whatever the text, the parsers and
//! checks answer without panicking, and what they accept keeps their promises.

use super::feedback::{
    check_email, check_field, check_phone, normalize_secret, parse_reference_code, reference_code,
};
use super::hostile::{hostile_text, runner};
use super::task::{check_dates, check_line, check_text};
use super::text::{MAX_SEARCH_TERMS, MAX_TERM_CHARS, search_terms};
use super::time::Day;
use proptest::prelude::*;

#[test]
fn days_parse_only_what_they_print() {
    runner(2000)
        .run(&hostile_text(), |text| {
            if let Some(day) = Day::parse(&text) {
                prop_assert_eq!(day.iso(), text.trim());
            }
            Ok(())
        })
        .unwrap();
    runner(500)
        .run(&(0i64..=9999, 1u32..=12, 1u32..=31), |(y, m, d)| {
            let text = format!("{y:04}-{m:02}-{d:02}");
            if let Some(day) = Day::parse(&text) {
                prop_assert_eq!(day.ymd(), (y, m, d));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn reference_codes_round_trip() {
    runner(1000)
        .run(&(1000i32..=9999, 1i32..=999_999_999), |(year, id)| {
            prop_assert_eq!(
                parse_reference_code(&reference_code(year, id)),
                Some((year, id))
            );
            Ok(())
        })
        .unwrap();
    runner(2000)
        .run(&hostile_text(), |text| {
            if let Some((_, id)) = parse_reference_code(&text) {
                prop_assert!(id > 0);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn accepted_lines_and_texts_are_clean() {
    runner(2000)
        .run(
            &(hostile_text(), 1usize..600, any::<bool>()),
            |(text, max, required)| {
                if let Ok(line) = check_line("title", &text, max) {
                    prop_assert!(!line.is_empty() && line.trim() == line);
                    prop_assert!(line.chars().count() <= max);
                    prop_assert!(!line.chars().any(char::is_control));
                }
                if let Ok(body) = check_text("text", &text, max, required) {
                    prop_assert!(!required || !body.is_empty());
                    prop_assert!(body.chars().count() <= max);
                    prop_assert!(
                        !body
                            .chars()
                            .any(|c| c.is_control() && c != '\n' && c != '\t')
                    );
                }
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn accepted_feedback_fields_carry_no_markup() {
    runner(3000)
        .run(&hostile_text(), |text| {
            if let Ok(clean) = check_field("content", &text, 5000, false) {
                let lower = clean.to_lowercase();
                prop_assert!(!super::feedback::has_dangerous_markup(&clean));
                prop_assert!(!lower.contains("<script") && !lower.contains("javascript:"));
                // A second pass finds nothing more to strip.
                prop_assert_eq!(super::feedback::strip_tags(&clean), clean.clone());
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn accepted_contacts_have_their_shape() {
    runner(3000)
        .run(&hostile_text(), |text| {
            if let Ok(Some(email)) = check_email(&text) {
                prop_assert_eq!(email.matches('@').count(), 1);
                prop_assert!(email.is_ascii() && !email.contains(char::is_whitespace));
            }
            if let Ok(Some(phone)) = check_phone(&text) {
                let digits = phone.chars().filter(char::is_ascii_digit).count();
                prop_assert!((8..=15).contains(&digits));
                prop_assert!(phone.is_ascii());
            }
            let secret = normalize_secret(&text);
            prop_assert_eq!(normalize_secret(&secret), secret.clone());
            Ok(())
        })
        .unwrap();
}

#[test]
fn accepted_dates_are_in_order_and_searches_are_bounded() {
    runner(2000)
        .run(&(hostile_text(), hostile_text()), |(start, due)| {
            if let Ok((start, due)) = check_dates(&start, &due) {
                prop_assert!(start <= due);
            }
            let terms = search_terms(&start);
            prop_assert!(terms.len() <= MAX_SEARCH_TERMS);
            prop_assert!(terms.iter().all(|t| t.chars().count() <= MAX_TERM_CHARS));
            Ok(())
        })
        .unwrap();
}
