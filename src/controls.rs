//! Characters a terminal or an editor acts on instead of showing: C0 and C1 controls (ESC
//! starts escape sequences, BEL rings, CR overwrites the line) and the bidirectional controls
//! that reorder what is shown (U+202E). Outputs meant for people show them escaped
//! (docs/design.md §10).

use std::borrow::Cow;
use std::fmt::Write;

/// A control character (C0, DEL, C1) or a bidirectional control.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || is_bidi(c)
}

/// The Unicode bidirectional formatting characters (UAX #9): marks, embeddings, overrides
/// and isolates.
pub fn is_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// Whether a report must escape `c`: every hidden character but a newline and a tab, which
/// lay text out as the input did.
fn escaped_in_text(c: char) -> bool {
    is_hidden(c) && c != '\n' && c != '\t'
}

/// `c` as a report shows it: `\r`, `\x1b`, `\u{202e}`.
pub fn push_escaped(out: &mut String, c: char) {
    let _ = match c {
        '\r' => out.write_str("\\r"),
        c if c.is_ascii() => write!(out, "\\x{:02x}", c as u32),
        c => write!(out, "\\u{{{:x}}}", c as u32),
    };
}

/// `text` for a terminal: hidden characters escaped, newlines and tabs kept. Borrowed when
/// there is nothing to escape (nearly always).
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(escaped_in_text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped_in_text(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_escaped_for_a_terminal() {
        assert_eq!(for_terminal("plain\ttext\n"), "plain\ttext\n");
        assert!(matches!(for_terminal("plain"), Cow::Borrowed(_)));
        assert_eq!(
            for_terminal("a\u{1b}]0;title\u{7}b\rc\u{85}d\u{202e}e\u{7f}"),
            "a\\x1b]0;title\\x07b\\rc\\u{85}d\\u{202e}e\\x7f"
        );
    }
}
