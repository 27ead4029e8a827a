//! The escapes of Fastly VCL short strings (`%xx`, `%uXXXX`, `%u{X...}`), decoded. A leaf:
//! the tree (`ast`) decodes values with it and the lexer scans with it, so neither depends on
//! the other.

use std::borrow::Cow;

use memchr::memchr;

use crate::span::Span;

/// A bad escape in a short string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscapeError {
    pub span: Span,
    pub message: &'static str,
}

/// True when `bytes` holds `needle`. Most values are a few dozen bytes, where testing eight
/// bytes at a time in a register is several times cheaper than `memchr`'s setup; a long
/// value goes to `memchr`.
pub(crate) fn contains_byte(bytes: &[u8], needle: u8) -> bool {
    const SHORT: usize = 64;
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    if bytes.len() > SHORT {
        return memchr(needle, bytes).is_some();
    }
    let needles = u64::from_ne_bytes([needle; 8]);
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder();
    // A byte of `x` is zero where the chunk holds the needle: the classic zero-byte test
    // (exact as a yes/no, though not for which byte).
    let found = chunks.fold(0, |acc, chunk| {
        let x = u64::from_ne_bytes(chunk.try_into().unwrap_or([0; 8])) ^ needles;
        acc | (x.wrapping_sub(ONES) & !x & HIGHS)
    });
    found != 0 || tail.contains(&needle)
}

/// Decodes the `%xx`, `%uXXXX` and `%u{X...}` escapes of a short string whose content starts
/// at byte `offset` of the source (for error spans).
pub fn decode_short_string(raw: &str, offset: usize) -> Result<Cow<'_, str>, EscapeError> {
    if !contains_byte(raw.as_bytes(), b'%') {
        return Ok(Cow::Borrowed(raw));
    }
    let bytes = raw.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let (decoded, len) = decode_escape(&raw[i..]).map_err(|(len, message)| EscapeError {
            span: Span::new(offset + i, offset + i + len),
            message,
        })?;
        let error = |message| EscapeError {
            span: Span::new(offset + i, offset + i + len),
            message,
        };
        match decoded {
            Escape::Byte(0) | Escape::Char('\0') => {
                return Err(error(
                    "`%00` ends a string in Fastly VCL; a value cannot hold it",
                ));
            }
            Escape::Byte(b) => out.push(b),
            Escape::Char(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
        i += len;
    }
    String::from_utf8(out)
        .map(Cow::Owned)
        .map_err(|_| EscapeError {
            span: Span::new(offset, offset + raw.len()),
            message: "the `%xx` escapes in this string do not form valid UTF-8",
        })
}

enum Escape {
    Byte(u8),
    Char(char),
}

/// One escape at the start of `s` (which starts with `%`): its value and length in bytes.
fn decode_escape(s: &str) -> Result<(Escape, usize), (usize, &'static str)> {
    let hex_run = |from: usize, max: usize| {
        s[from..]
            .bytes()
            .take(max)
            .take_while(u8::is_ascii_hexdigit)
            .count()
    };
    let invalid =
        "invalid escape: use `%xx`, `%uXXXX` or `%u{X...}` (write `%25` for a literal `%`)";
    if let Some(rest) = s.strip_prefix("%u{") {
        let digits = hex_run(3, 7);
        if digits == 0 || digits > 6 || !rest[digits..].starts_with('}') {
            return Err((
                3 + digits + usize::from(rest[digits..].starts_with('}')),
                invalid,
            ));
        }
        let code = u32::from_str_radix(&rest[..digits], 16).unwrap_or(u32::MAX);
        let c =
            char::from_u32(code).ok_or((4 + digits, "`%u{...}` is not a Unicode scalar value"))?;
        return Ok((Escape::Char(c), 4 + digits));
    }
    if s.starts_with("%u") {
        let digits = hex_run(2, 4);
        if digits < 4 {
            return Err((2 + digits, invalid));
        }
        let code = u32::from_str_radix(&s[2..6], 16).unwrap_or(u32::MAX);
        let c = char::from_u32(code).ok_or((6, "`%uXXXX` is not a Unicode scalar value"))?;
        return Ok((Escape::Char(c), 6));
    }
    let digits = hex_run(1, 2);
    if digits < 2 {
        return Err((1 + digits, invalid));
    }
    Ok((
        Escape::Byte(u8::from_str_radix(&s[1..3], 16).unwrap_or(0)),
        3,
    ))
}

#[cfg(test)]
mod tests {
    use super::contains_byte;

    #[test]
    fn contains_byte_finds_the_needle_at_every_position_and_nothing_else() {
        // Around the short/long boundary, with the needles' neighbours and bytes with the
        // high bit set, which the eight-at-a-time test must not take for a needle.
        for needle in [b'%', b'\n'] {
            for len in 0..=80 {
                for filler in [needle - 1, needle + 1, 0xa5, 0x80, 0xff, b'a'] {
                    let plain = vec![filler; len];
                    assert!(!contains_byte(&plain, needle), "{len} of {filler:#x}");
                    for at in 0..len {
                        let mut with = plain.clone();
                        with[at] = needle;
                        assert!(
                            contains_byte(&with, needle),
                            "{len} of {filler:#x}, at {at}"
                        );
                    }
                }
            }
        }
    }
}
