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

/// The words of a search query, folded; empty words dropped.
pub fn search_terms(query: &str) -> Vec<String> {
    fold(query)
        .split(' ')
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
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
}
