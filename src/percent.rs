//! Percent-encoding (RFC 3986), for the URLs the tool writes: curl's path segments and SARIF's
//! file URIs.

/// `text` with every byte but the unreserved characters (letters, digits, `-._~`) and those
/// in `also_kept` written as `%XX`.
pub(crate) fn encode(text: &str, also_kept: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || also_kept.contains(&b) {
            out.push(char::from(b));
        } else {
            out.extend([
                '%',
                char::from(HEX[usize::from(b >> 4)]),
                char::from(HEX[usize::from(b & 15)]),
            ]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn only_unreserved_and_the_kept_bytes_stay() {
        assert_eq!(encode("a b/é%~", b""), "a%20b%2F%C3%A9%25~");
        assert_eq!(encode("a b/é%~", b"/"), "a%20b/%C3%A9%25~");
        assert_eq!(encode("\u{1b}\n", b""), "%1B%0A");
    }
}
