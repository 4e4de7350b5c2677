//! Text rules shared by the server and the browser.

use unicode_normalization::UnicodeNormalization;

/// Folds text for search: lower case, Vietnamese diacritics removed, `đ` read as `d`,
/// runs of white space collapsed. "Phường Ba Đình" and "phuong ba dinh" fold alike.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !folded.is_empty();
            continue;
        }
        if pending_space {
            folded.push(' ');
            pending_space = false;
        }
        match c {
            'đ' | 'Đ' => folded.push('d'),
            _ => folded.extend(c.to_lowercase()),
        }
    }
    folded
}

/// The most words a search uses: each is one more `LIKE` over the rows searched.
pub const MAX_SEARCH_TERMS: usize = 8;
/// The longest word a search uses; longer ones are cut (no name or code is longer).
pub const MAX_TERM_CHARS: usize = 64;

/// The words of a search query, folded; empty words dropped. Every search goes through
/// here, so none can be made to run thousands of patterns: at most
/// [`MAX_SEARCH_TERMS`] words of at most [`MAX_TERM_CHARS`] characters are kept.
pub fn search_terms(query: &str) -> Vec<String> {
    // Only the start of a huge query can hold the words kept.
    let start: String = query
        .chars()
        .take(MAX_SEARCH_TERMS * (MAX_TERM_CHARS + 1) * 2)
        .collect();
    fold(&start)
        .split(' ')
        .filter(|word| !word.is_empty())
        .take(MAX_SEARCH_TERMS)
        .map(|word| word.chars().take(MAX_TERM_CHARS).collect())
        .collect()
}

fn is_combining_mark(c: char) -> bool {
    // Vietnamese tone and vowel marks decompose into this block under NFD.
    ('\u{0300}'..='\u{036F}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese_names() {
        assert_eq!(fold("Thành phố Hà Nội"), "thanh pho ha noi");
        assert_eq!(fold("Phường Ba Đình"), "phuong ba dinh");
        assert_eq!(fold("Đắk Lắk"), "dak lak");
        assert_eq!(fold("Thừa Thiên   Huế "), "thua thien hue");
        assert_eq!(fold("Xã Ea H'Leo"), "xa ea h'leo");
    }

    #[test]
    fn folded_query_matches_folded_name() {
        assert!(fold("Thành phố Hà Nội").contains(&fold("ha noi")));
        assert!(fold("Phường Ba Đình").contains(&fold("BA DINH")));
        assert!(fold("Thành phố Hồ Chí Minh").contains(&fold("hồ chí minh")));
    }

    #[test]
    fn splits_terms() {
        assert_eq!(search_terms("  Hà   Nội "), vec!["ha", "noi"]);
        assert!(search_terms("   ").is_empty());
    }

    #[test]
    fn search_terms_are_capped_in_number_and_length() {
        let many = "a ".repeat(10_000);
        assert_eq!(search_terms(&many).len(), MAX_SEARCH_TERMS);
        let long = "x".repeat(100_000);
        assert_eq!(search_terms(&long), vec!["x".repeat(MAX_TERM_CHARS)]);
    }
}
