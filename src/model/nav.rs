//! Where the application may send a browser after a form.

/// `path` when it is a path on this site, else `/`. Refuses `//host`, `/\host`,
/// `https://host` and anything with control characters: an open redirect would let a
/// link to this site lead somewhere else. Characters that may not stand in a `Location`
/// header (spaces, letters with diacritics) are percent-encoded.
pub fn local_path_or_home(path: &str) -> String {
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.chars().any(|c| c.is_control() || c == '\\')
        && path.len() <= 2048;
    if !local {
        return "/".to_owned();
    }
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_graphic() {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Percent-encodes a value for a query string.
pub fn encode_query_value(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(char::from(byte));
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::local_path_or_home;

    #[test]
    fn encodes_query_values() {
        assert_eq!(
            super::encode_query_value("hà nội&x=1"),
            "h%C3%A0%20n%E1%BB%99i%26x%3D1"
        );
    }

    #[test]
    fn keeps_local_paths_only() {
        assert_eq!(local_path_or_home("/units/01?q=x"), "/units/01?q=x");
        assert_eq!(local_path_or_home("//evil.example"), "/");
        assert_eq!(local_path_or_home("/\\evil.example"), "/");
        assert_eq!(local_path_or_home("https://evil.example"), "/");
        assert_eq!(local_path_or_home("units"), "/");
        assert_eq!(local_path_or_home("/a\nb"), "/");
        assert_eq!(local_path_or_home(""), "/");
        assert_eq!(
            local_path_or_home("/units?q=hà nội"),
            "/units?q=h%C3%A0%20n%E1%BB%99i"
        );
        assert_eq!(
            local_path_or_home("/units?q=hà nội"),
            "/units?q=h%C3%A0%20n%E1%BB%99i"
        );
    }
}
