//! Reading source bytes: UTF-8 checking without moving offsets, and line/column lookup.

use crate::span::Span;

mod escaped;
mod snippet;

/// A source file as the parser sees it: valid UTF-8 with the same byte offsets as the input.
///
/// Invalid UTF-8 bytes are replaced one for one by `?` so that every later span still points at
/// the right byte; each invalid sequence is returned as a span, for
/// [`crate::diagnostic::invalid_utf8`] to report.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    /// Offsets where lines start; built on first use (only diagnostics need it).
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// The number of characters before every [`CHAR_MARK`]-th byte, so that a column on a
    /// long line is counted from the nearest mark, not the line's start (a minified file with
    /// thousands of findings was quadratic). Built on first use.
    char_marks: std::sync::OnceLock<Vec<usize>>,
    /// The end of a text without a final newline, with a space after it: see
    /// [`SourceFile::padded_end`].
    padded_end: std::sync::OnceLock<(usize, String)>,
    /// The text as reports show it: with a lone `\r` as `\n` (same length, same offsets), as
    /// miette knows only `\n` line ends; `None` when the text has no lone `\r`.
    shown_text: std::sync::OnceLock<Option<String>>,
    /// What reports show when the text or name holds characters a terminal acts on: see
    /// [`SourceFile::shown`]. Built on first use.
    escaped: std::sync::OnceLock<Option<Box<escaped::Escaped>>>,
    /// In an escaped copy: after each escape, its offset here and the characters all escapes
    /// up to it added, so a report's column is the input's (see [`escaped`]).
    added_chars: Vec<(usize, usize)>,
}

/// See [`SourceFile::char_marks`].
const CHAR_MARK: usize = 4096;

impl SourceFile {
    /// Wraps already valid text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
            char_marks: std::sync::OnceLock::new(),
            padded_end: std::sync::OnceLock::new(),
            shown_text: std::sync::OnceLock::new(),
            escaped: std::sync::OnceLock::new(),
            added_chars: Vec::new(),
        }
    }

    /// The source as a terminal report shows it, and a span moved onto it: itself, or for a
    /// source holding control or bidirectional characters (in its text or name), a copy with
    /// them escaped (`\x1b`, `\u{202e}`), built once.
    pub fn shown(&self) -> (&SourceFile, impl Fn(Span) -> Span + '_) {
        let escaped = self
            .escaped
            .get_or_init(|| escaped::Escaped::of(self).map(Box::new));
        let file = escaped.as_ref().map_or(self, |e| &e.file);
        let map = move |span: Span| match escaped {
            Some(e) => Span::new(e.offset(span.start), e.offset(span.end)),
            None => span,
        };
        (file, map)
    }

    /// Checks `bytes` as UTF-8; returns the file and the span of each invalid sequence.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> (Self, Vec<Span>) {
        match String::from_utf8(bytes) {
            Ok(text) => (SourceFile::new(name, text), Vec::new()),
            Err(err) => {
                let mut bytes = err.into_bytes();
                let mut invalid = Vec::new();
                let mut offset = 0;
                while offset < bytes.len() {
                    match std::str::from_utf8(&bytes[offset..]) {
                        Ok(_) => break,
                        Err(e) => {
                            let start = offset + e.valid_up_to();
                            let len = e.error_len().unwrap_or(bytes.len() - start);
                            bytes[start..start + len].fill(b'?');
                            invalid.push(Span::new(start, start + len));
                            offset = start + len;
                        }
                    }
                }
                let text = String::from_utf8(bytes).unwrap_or_default();
                (SourceFile::new(name, text), invalid)
            }
        }
    }

    /// The byte offset of a 1-based line and byte column (as serde_json reports them).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let start = self
            .starts()
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let offset = (start + column.saturating_sub(1)).min(self.text.len());
        floor_boundary(&self.text, offset)
    }

    /// The text of a 1-based line, without its `\n`; `None` before the first or past the last.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let index = line.checked_sub(1)?;
        let start = *self.starts().get(index)?;
        Some(&self.text[start..self.line_end(index)])
    }

    /// The 1-based line of a byte offset: [`SourceFile::line_col`] without counting the
    /// column (which costs up to a few KiB of counting far along a long line).
    pub fn line_at(&self, offset: usize) -> usize {
        line_of(self.starts(), offset.min(self.text.len())) + 1
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = line_of(self.starts(), offset);
        (
            line + 1,
            self.chars_between(self.starts()[line], offset) + 1,
        )
    }
}

impl SourceFile {
    /// The text as reports show it (see [`SourceFile::shown_text`]'s field).
    fn shown_text(&self) -> &str {
        self.shown_text
            .get_or_init(|| {
                has_lone_cr(&self.text).then(|| {
                    let mut bytes = self.text.clone().into_bytes();
                    for i in 0..bytes.len() {
                        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                            bytes[i] = b'\n';
                        }
                    }
                    String::from_utf8(bytes).unwrap_or_default()
                })
            })
            .as_deref()
            .unwrap_or(&self.text)
    }

    fn starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// Characters in the bytes `from..to` (which need not be character boundaries: a
    /// character is counted where its first byte is).
    fn chars_between(&self, from: usize, to: usize) -> usize {
        let bytes = self.text.as_bytes();
        let chars_before = |offset: usize| {
            let marks = self.char_marks.get_or_init(|| {
                let chunks = bytes.chunks(CHAR_MARK).map(count_chars);
                std::iter::once(0)
                    .chain(chunks.scan(0, |total, n| {
                        *total += n;
                        Some(*total)
                    }))
                    .collect()
            });
            let mark = offset / CHAR_MARK;
            marks[mark] + count_chars(&bytes[mark * CHAR_MARK..offset])
        };
        // Near each other (the usual case): counted directly, without building the marks.
        if to - from <= CHAR_MARK {
            count_chars(&bytes[from..to])
        } else {
            chars_before(to) - chars_before(from)
        }
    }

    /// The characters escapes added in `from..to` of an escaped copy (none in a source).
    fn added_chars_between(&self, from: usize, to: usize) -> usize {
        let before = |offset: usize| {
            let n = self.added_chars.partition_point(|&(end, _)| end <= offset);
            n.checked_sub(1).map_or(0, |i| self.added_chars[i].1)
        };
        before(to) - before(from)
    }

    /// Where line `line` (0-based) ends, before its `\n`.
    fn line_end(&self, line: usize) -> usize {
        self.starts()
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1)
    }
}

/// The 0-based line of `offset`, given [`line_starts`].
pub(crate) fn line_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset) - 1
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Characters that start in `bytes`: those that are not UTF-8 continuation bytes.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Where lines start: after every `\n`, and after every `\r` that no `\n` follows (the line
/// ends of old Mac files, docs/design.md §2.16).
pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    starts.extend(
        memchr::memchr2_iter(b'\n', b'\r', bytes)
            .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
            .map(|i| i + 1),
    );
    starts
}

/// True when `text` has a `\r` that no `\n` follows: a line end only [`line_starts`] and
/// the lexer know, which reports show as a `\n` ([`SourceFile::shown_text`]).
fn has_lone_cr(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_keep_offsets() {
        let (file, invalid) = SourceFile::from_bytes("x", b"ab\xffc\xe2\x82d".to_vec());
        assert_eq!(file.text, "ab?c??d");
        assert_eq!(invalid, [Span::new(2, 3), Span::new(4, 6)]);
    }

    #[test]
    fn columns_far_along_a_long_line_count_characters() {
        // 10 bytes a repetition, characters of 1 to 4 bytes: marks fall inside characters.
        let text = format!("ab\n{}", "aé€😀".repeat(5000));
        let file = SourceFile::new("x", text.clone());
        let offsets = (3..text.len()).step_by(997).chain([text.len()]);
        for offset in offsets.filter(|&o| text.is_char_boundary(o)) {
            let column = text[3..offset].chars().count() + 1;
            assert_eq!(file.line_col(offset), (2, column), "at {offset}");
        }
    }

    #[test]
    fn line_and_column() {
        let file = SourceFile::new("x", "ab\nçd\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        assert_eq!(file.line_col(5), (2, 2));
        assert_eq!(file.line_col(7), (3, 1));
    }

    #[test]
    fn the_text_of_a_line() {
        let file = SourceFile::new("x", "ab\r\n\n  çd");
        let lines: Vec<_> = (0..5).map(|n| file.line_text(n)).collect();
        assert_eq!(lines, [None, Some("ab\r"), Some(""), Some("  çd"), None]);
        // After a final newline an empty last line, as line_col counts it.
        let file = SourceFile::new("x", "a\n");
        assert_eq!((file.line_text(2), file.line_col(2)), (Some(""), (2, 1)));
        assert_eq!(SourceFile::new("x", "").line_text(1), Some(""));
        let text = format!("ab\n{}\n", "é".repeat(5000));
        let file = SourceFile::new("x", text.clone());
        for offset in [0, 2, 3, 4, 5000, text.len() - 1, text.len(), text.len() + 9] {
            assert_eq!(file.line_at(offset), file.line_col(offset).0, "at {offset}");
        }
    }
}
