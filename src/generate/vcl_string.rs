//! VCL string literals that no value can break out of.
//!
//! A value without newlines is a short string `"..."` with `"`, `%` and control characters as
//! `%xx` escapes (`%u{...}` for control and bidirectional characters beyond ASCII). A value with newlines (PEM
//! certificates and keys) is a long string `{"..."}`, or `{X"..."X}` with a delimiter that does
//! not occur in it, since long strings have no escapes. NUL has no representation at all.

use std::collections::HashSet;
use std::fmt::Write;

/// A value that cannot be written as a VCL string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NulInString;

/// The VCL literal for `value`.
pub fn vcl_string(value: &str) -> Result<String, NulInString> {
    let mut out = String::with_capacity(value.len() + 2);
    push_vcl_string(&mut out, value)?;
    Ok(out)
}

/// Appends the VCL literal for `value` to `out`.
pub fn push_vcl_string(out: &mut String, value: &str) -> Result<(), NulInString> {
    // Most values need no escaping: one byte scan decides.
    if !value.bytes().any(needs_care) {
        out.push('"');
        out.push_str(value);
        out.push('"');
        return Ok(());
    }
    if value.contains('\0') {
        return Err(NulInString);
    }
    if value.contains('\n') {
        out.push_str(&long_string(value));
        return Ok(());
    }
    out.push('"');
    for c in value.chars() {
        match c {
            '"' | '%' => {
                let _ = write!(out, "%{:02x}", c as u32);
            }
            c if c.is_ascii_control() => {
                let _ = write!(out, "%{:02x}", c as u32);
            }
            c if crate::controls::is_hidden(c) => {
                let _ = write!(out, "%u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(())
}

/// Bytes that may need an escape: `"`, `%`, ASCII controls, and the lead bytes of the C1
/// controls (U+0080-U+009F are `0xC2 0x80`-`0xC2 0x9F`) and of the bidirectional controls
/// (U+061C, U+200E-U+2069).
fn needs_care(b: u8) -> bool {
    matches!(b, b'"' | b'%' | 0..=0x1f | 0x7f | 0xc2 | 0xd8 | 0xe2)
}

/// `{"..."}`, or `{X"..."X}` with the first delimiter whose closing form is not in the value.
fn long_string(value: &str) -> String {
    let closing = closing_delimiters(value);
    let delimiter = if closing.contains("") {
        candidate_delimiters()
            .find(|d| !closing.contains(d.as_str()))
            .unwrap_or_default()
    } else {
        String::new()
    };
    format!("{{{delimiter}\"{value}\"{delimiter}}}")
}

/// The delimiters a long string may take, in the order they are tried: `X`, `X1`, `X2`, ...
fn candidate_delimiters() -> impl Iterator<Item = String> {
    (0..).map(|n| {
        if n == 0 {
            "X".to_string()
        } else {
            format!("X{n}")
        }
    })
}

/// Every `D` of `X`s and digits (the candidate delimiters' characters) for which `"D}` is in
/// `value`, found in one pass: looking for each candidate's closing form in turn read the
/// value once per candidate, quadratic on a value holding `"}`, `"X}`, `"X1}`, ...
fn closing_delimiters(value: &str) -> HashSet<&str> {
    let bytes = value.as_bytes();
    let mut closing = HashSet::new();
    for quote in memchr::memchr_iter(b'"', bytes) {
        let start = quote + 1;
        let len = bytes[start..]
            .iter()
            .take_while(|&&b| b == b'X' || b.is_ascii_digit())
            .count();
        // A candidate is all delimiter characters and `}` is none, so `"D}` occurs here
        // exactly when the run after the quote is `D` and a `}` follows it.
        if bytes.get(start + len) == Some(&b'}') {
            // ASCII bytes on both sides: the ends are character boundaries.
            if let Some(run) = value.get(start..start + len) {
                closing.insert(run);
            }
        }
    }
    closing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_are_short_strings() {
        assert_eq!(vcl_string("example.com").unwrap(), "\"example.com\"");
        assert_eq!(vcl_string("").unwrap(), "\"\"");
        assert_eq!(vcl_string("ünï😀").unwrap(), "\"ünï😀\"");
    }

    #[test]
    fn quotes_percent_and_controls_are_escaped() {
        assert_eq!(vcl_string("a\"b%c").unwrap(), "\"a%22b%25c\"");
        assert_eq!(vcl_string("tab\there\r").unwrap(), "\"tab%09here%0d\"");
        assert_eq!(vcl_string("\u{7f}\u{85}").unwrap(), "\"%7f%u{85}\"");
    }

    #[test]
    fn newlines_make_long_strings_with_a_safe_delimiter() {
        assert_eq!(vcl_string("a\nb").unwrap(), "{\"a\nb\"}");
        assert_eq!(vcl_string("a\n\"}b").unwrap(), "{X\"a\n\"}b\"X}");
        assert_eq!(vcl_string("a\n\"} \"X}").unwrap(), "{X1\"a\n\"} \"X}\"X1}");
    }

    /// The search this replaced, the value read for each candidate: the delimiters must stay
    /// the same.
    fn long_string_by_rescanning(value: &str) -> String {
        let closes = |delimiter: &str| value.contains(&format!("\"{delimiter}}}"));
        let delimiter = if closes("") {
            candidate_delimiters()
                .find(|d| !closes(d))
                .unwrap_or_default()
        } else {
            String::new()
        };
        format!("{{{delimiter}\"{value}\"{delimiter}}}")
    }

    #[test]
    fn long_string_delimiters_skip_every_closing_form_in_the_value() {
        for (value, delimiter) in [
            ("a\n\"", ""),
            ("a\n\"X}", ""),
            ("a\n\"}\"X1}\"X2}", "X"),
            ("a\n\"}\"\"X}\"X1}", "X2"),
            ("a\n\"}\"X0}\"X01}\"XX}\"X}", "X1"),
            ("a\n\"}\"X}X1}\"X 1}\"x1}", "X1"),
            ("a\n\"}\"X}\"X1\"X2}", "X1"),
            ("é\n\"}\"X}\"X1}é\"X2}\"", "X3"),
        ] {
            let expected = format!("{{{delimiter}\"{value}\"{delimiter}}}");
            assert_eq!(long_string(value), expected, "{value:?}");
        }
        let many = (1..1000).fold("a\n\"}\"X}".to_string(), |v, n| v + &format!("\"X{n}}}"));
        assert!(long_string(&many).starts_with("{X1000\""));
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::cases(1024))]

        /// Any value of quotes, braces and delimiter characters: the same literal as the
        /// rescans.
        #[test]
        fn long_strings_are_those_of_the_rescans(value in "[\"}X0-3a\né]{0,24}") {
            proptest::prop_assert_eq!(long_string(&value), long_string_by_rescanning(&value));
        }

        /// The same with the closing forms themselves as parts, so that long runs of
        /// candidates are common.
        #[test]
        fn long_strings_of_closing_forms_are_those_of_the_rescans(
            parts in proptest::collection::vec("\"(X?[0-9]{0,2})?\\}|X|\"|\n", 0..16),
        ) {
            let value = parts.concat();
            proptest::prop_assert_eq!(long_string(&value), long_string_by_rescanning(&value));
        }
    }

    #[test]
    fn nul_is_refused() {
        assert_eq!(vcl_string("a\0b"), Err(NulInString));
    }
}
