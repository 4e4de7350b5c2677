//! Hostile input for property tests, shared by the unit tests (`model::properties`) and
//! the HTTP fuzzing of the integration tests (which include this file by path). The
//! runner's seed is fixed, so every run tries the same cases and a failure is never luck:
//! `TIENDO_FUZZ_CASES` runs more of them, `TIENDO_FUZZ_SEED` other ones.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// A runner of `cases` cases (unless `TIENDO_FUZZ_CASES` says otherwise), seeded.
pub fn runner(cases: u32) -> TestRunner {
    let cases = std::env::var("TIENDO_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    let seed = std::env::var("TIENDO_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(2026);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// Text as people and attackers type it: anything, or something close to a valid value
/// (dates, codes, markup, Vietnamese, control characters, long runs).
pub fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ \\t\\r\\n]{0,3}[0-9+\\-]{0,5}-[0-9+\\-]{0,3}-[0-9+\\- ]{0,3}",
        "[Pp][Aa]-[0-9]{0,5}-[0-9 ]{0,12}",
        "(<[a-zA-Z/!]{0,8}[ a-z=\"']{0,12}>?|[^<>]{0,8}|javascript:|on[a-z]{1,8}=){0,6}",
        "[a-zA-Z0-9.@%+_\\-]{0,40}",
        "[+]?[0-9 .\\-]{0,24}",
        "[ạảãàáâậầấẩẫăắằặẳẵđĐêềếệểễôồốộổỗơờớợởỡưừứựửữ ]{0,40}",
        "[\\x00-\\x1f\\x7f\\u{200b}\\u{feff}\\u{0300}-\\u{036f}]{0,8}",
        proptest::collection::vec(any::<char>(), 0..3000).prop_map(|c| c.into_iter().collect()),
    ]
}
