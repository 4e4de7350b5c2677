//! The few cryptographic pieces the server builds on SHA-256: hex, HMAC, a constant-time
//! comparison, and secrets sealed to one browser session.

use sha2::{Digest, Sha256};

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok())
        .collect()
}

/// HMAC-SHA-256 (RFC 2104) with a 32-byte key.
pub fn hmac_sha256(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let mut inner_pad = [0x36u8; 64];
    let mut outer_pad = [0x5cu8; 64];
    for (i, byte) in key.iter().enumerate() {
        inner_pad[i] ^= byte;
        outer_pad[i] ^= byte;
    }
    let inner = Sha256::new()
        .chain_update(inner_pad)
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(outer_pad)
        .chain_update(inner)
        .finalize()
        .into()
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The key that seals values to one session, derived from the session's id. The database
/// knows a session only by a SHA-256 of its id (`sessions::key`), so what is sealed with
/// this key cannot be read from the database, a backup or a log: only by a request that
/// carries the session's cookie.
fn session_key(session_id: &str, purpose: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"tiendo sealed value\0")
        .chain_update(purpose.as_bytes())
        .chain_update(b"\0")
        .chain_update(session_id.as_bytes())
        .finalize()
        .into()
}

/// Encrypts `value` for the session with id `session_id`: a random nonce, the value XORed
/// with an HMAC-SHA-256 key stream, and an HMAC tag over both (encrypt, then MAC).
pub fn seal(session_id: &str, purpose: &str, value: &str) -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let key = session_key(session_id, purpose);
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    let mut sealed = nonce.to_vec();
    sealed.extend(xor_stream(&key, &nonce, value.as_bytes()));
    let tag = hmac_sha256(&key, &sealed);
    sealed.extend_from_slice(&tag[..16]);
    hex(&sealed)
}

/// The value sealed for this session, or `None` for another session's (or a forged) one.
pub fn unseal(session_id: &str, purpose: &str, sealed: &str) -> Option<String> {
    let bytes = unhex(sealed)?;
    if bytes.len() < 32 {
        return None;
    }
    let key = session_key(session_id, purpose);
    let (body, tag) = bytes.split_at(bytes.len() - 16);
    if !constant_time_eq(&hmac_sha256(&key, body)[..16], tag) {
        return None;
    }
    let (nonce, cipher) = body.split_at(16);
    String::from_utf8(xor_stream(&key, nonce, cipher)).ok()
}

fn xor_stream(key: &[u8; 32], nonce: &[u8], data: &[u8]) -> Vec<u8> {
    data.chunks(32)
        .enumerate()
        .flat_map(|(block, chunk)| {
            let mut input = nonce.to_vec();
            input.extend_from_slice(&(block as u64).to_be_bytes());
            let stream = hmac_sha256(key, &input);
            chunk
                .iter()
                .zip(stream)
                .map(|(byte, pad)| byte ^ pad)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_the_standard() {
        // RFC 4231 test case 2 needs a short key; this checks against a value computed
        // with Python's hmac module for a 32-byte key of 0x0b.
        let mac = hmac_sha256(&[0x0b; 32], b"Hi There");
        assert_eq!(
            hex(&mac),
            "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7"
        );
    }

    #[test]
    fn sealed_values_open_only_for_their_session_and_purpose() {
        let value = "k7QmZp3xR9tWc2VbN8sLa một mật khẩu dài hơn ba mươi hai byte";
        let sealed = seal("session-a", "password", value);
        assert!(!sealed.contains("k7QmZp"), "nothing of the value shows");
        assert_ne!(
            sealed,
            seal("session-a", "password", value),
            "a fresh nonce"
        );
        assert_eq!(
            unseal("session-a", "password", &sealed).as_deref(),
            Some(value)
        );
        assert_eq!(unseal("session-b", "password", &sealed), None);
        assert_eq!(unseal("session-a", "other", &sealed), None);
        let mut tampered = sealed.clone().into_bytes();
        tampered[40] = if tampered[40] == b'0' { b'1' } else { b'0' };
        let tampered = String::from_utf8(tampered).expect("hex");
        assert_eq!(unseal("session-a", "password", &tampered), None);
        assert_eq!(unseal("session-a", "password", "zz"), None);
    }
}
