//! VCL string literals that no value can break out of.
//!
//! A value without newlines is a short string `"..."` with `"`, `%` and control characters as
//! `%xx` escapes (`%u{...}` for control characters beyond ASCII). A value with newlines (PEM
//! certificates and keys) is a long string `{"..."}`, or `{X"..."X}` with a delimiter that does
//! not occur in it, since long strings have no escapes. NUL has no representation at all.

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
            c if c.is_control() => {
                let _ = write!(out, "%u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(())
}

/// Bytes that may need an escape: `"`, `%`, ASCII controls, and the lead byte of the C1
/// controls (U+0080-U+009F are `0xC2 0x80`-`0xC2 0x9F`).
fn needs_care(b: u8) -> bool {
    matches!(b, b'"' | b'%' | 0..=0x1f | 0x7f | 0xc2)
}

/// `{"..."}`, or `{X"..."X}` with the first delimiter whose closing form is not in the value.
fn long_string(value: &str) -> String {
    let closes = |delimiter: &str| value.contains(&format!("\"{delimiter}}}"));
    let delimiter = if closes("") {
        (0..)
            .map(|n| {
                if n == 0 {
                    "X".to_string()
                } else {
                    format!("X{n}")
                }
            })
            .find(|d| !closes(d))
            .unwrap_or_default()
    } else {
        String::new()
    };
    format!("{{{delimiter}\"{value}\"{delimiter}}}")
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

    #[test]
    fn nul_is_refused() {
        assert_eq!(vcl_string("a\0b"), Err(NulInString));
    }
}
