//! The text reports show when a source holds characters a terminal acts on (ESC, BEL, C1
//! controls, bidirectional controls): a copy with each written escaped (`\x1b`,
//! `\u{202e}`), and the map that moves a span onto it, so a label still underlines the
//! character it is about (docs/design.md §10). Built once per file, and only for such a file.

use super::SourceFile;
use crate::controls;

/// An escaped copy of a source and where its escapes are.
#[derive(Debug, Clone)]
pub(crate) struct Escaped {
    pub(crate) file: SourceFile,
    /// For each escaped character, in order: its offset in the source and the bytes its
    /// escape and all before it add.
    shifts: Vec<(usize, usize)>,
}

impl Escaped {
    /// The escaped copy of `source`, or `None` when nothing in its text or name needs it.
    pub(crate) fn of(source: &SourceFile) -> Option<Escaped> {
        let text = &source.text;
        let first = first_hidden(text);
        let name = controls::for_terminal(&source.name).replace('\n', "\\n");
        if first.is_none() && name == source.name {
            return None;
        }
        let mut shifts = Vec::new();
        let mut added_chars = Vec::new();
        let mut out = String::with_capacity(text.len() + 64);
        let mut copied = 0;
        let mut at = first.unwrap_or(text.len());
        while at < text.len() {
            let c = text[at..].chars().next().unwrap_or_default();
            let end = at + c.len_utf8();
            if hidden_at(c) {
                out.push_str(&text[copied..at]);
                let before = out.len();
                controls::push_escaped(&mut out, c);
                let added =
                    shifts.last().map_or(0, |&(_, a)| a) + (out.len() - before) - c.len_utf8();
                shifts.push((at, added));
                // Escapes are ASCII: one character a byte, standing for one character.
                let chars = added_chars.last().map_or(0, |&(_, a)| a) + (out.len() - before) - 1;
                added_chars.push((out.len(), chars));
                copied = end;
            }
            at = end;
        }
        out.push_str(&text[copied..]);
        let mut file = SourceFile::new(name, out);
        file.added_chars = added_chars;
        Some(Escaped { file, shifts })
    }

    /// Where a source offset is in the copy: moved by every escape before it.
    pub(crate) fn offset(&self, offset: usize) -> usize {
        let before = self.shifts.partition_point(|&(at, _)| at < offset);
        offset + before.checked_sub(1).map_or(0, |i| self.shifts[i].1)
    }
}

/// Whether `c` is shown escaped: a hidden character other than a line end or a tab. A lone
/// CR ends a line (docs/design.md §2.16) and reports show it as one, never raw.
fn hidden_at(c: char) -> bool {
    !matches!(c, '\n' | '\t' | '\r') && controls::is_hidden(c)
}

/// The first hidden character's offset: one pass over the bytes, decoding only those that
/// can start one.
fn first_hidden(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find(|&at| {
        let b = bytes[at];
        (b < 0x20 || matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2))
            && text.is_char_boundary(at)
            && text[at..].chars().next().is_some_and(hidden_at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sources_have_no_copy() {
        for text in ["backend a {}\r\n\tx\n", "é€😀", ""] {
            assert!(Escaped::of(&SourceFile::new("a.vcl", text)).is_none());
        }
    }

    #[test]
    fn offsets_move_past_each_escape() {
        let text = "a\u{1b}]0;t\u{7}b\r\n\u{202e}c\rd";
        let escaped = Escaped::of(&SourceFile::new("x", text)).unwrap();
        assert_eq!(escaped.file.text, "a\\x1b]0;t\\x07b\r\n\\u{202e}c\rd");
        for (i, c) in text.char_indices() {
            let shown = &escaped.file.text[escaped.offset(i)..];
            let expected = match c {
                '\u{1b}' => "\\x1b",
                '\u{7}' => "\\x07",
                '\u{202e}' => "\\u{202e}",
                c => &c.to_string(),
            };
            assert!(shown.starts_with(expected), "{i}: {shown:?}");
        }
        assert_eq!(escaped.offset(text.len()), escaped.file.text.len());
    }

    #[test]
    fn every_hidden_character_is_found_by_the_byte_scan() {
        for c in (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|&c| controls::is_hidden(c))
        {
            let text = format!("ab{c}");
            // A CR ends a line, alone or before a newline: shown as a line end.
            let expected = (!matches!(c, '\n' | '\t' | '\r')).then_some(2);
            assert_eq!(first_hidden(&text), expected, "{c:?}");
        }
        assert_eq!(first_hidden("a\r\nb\rc"), None);
    }
}
