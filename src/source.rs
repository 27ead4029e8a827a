//! Reading source bytes: UTF-8 checking without moving offsets, and line/column lookup.

use crate::diagnostic::{Diagnostic, Label};
use crate::span::Span;

/// A source file as the parser sees it: valid UTF-8 with the same byte offsets as the input.
///
/// Invalid UTF-8 bytes are replaced one for one by `?` so that every later span still points at
/// the right byte; each invalid sequence is reported as a diagnostic.
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
}

/// How much of the end of a text [`SourceFile::padded_end`] copies.
const PADDED_END: usize = 64 << 10;

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
        }
    }

    /// Checks `bytes` as UTF-8; returns the file and one diagnostic per invalid sequence.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> (Self, Vec<Diagnostic>) {
        match String::from_utf8(bytes) {
            Ok(text) => (SourceFile::new(name, text), Vec::new()),
            Err(err) => {
                let mut bytes = err.into_bytes();
                let mut diagnostics = Vec::new();
                let mut offset = 0;
                while offset < bytes.len() {
                    match std::str::from_utf8(&bytes[offset..]) {
                        Ok(_) => break,
                        Err(e) => {
                            let start = offset + e.valid_up_to();
                            let len = e.error_len().unwrap_or(bytes.len() - start);
                            bytes[start..start + len].fill(b'?');
                            diagnostics.push(invalid_utf8(Span::new(start, start + len)));
                            offset = start + len;
                        }
                    }
                }
                let text = String::from_utf8(bytes).unwrap_or_default();
                (SourceFile::new(name, text), diagnostics)
            }
        }
    }

    /// The byte offset of a 1-based line and byte column (as serde_json reports them).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let starts = self.line_starts.get_or_init(|| line_starts(&self.text));
        let start = starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let mut offset = (start + column.saturating_sub(1)).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
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

/// A line longer than this is shown in reports as a window around what is labelled: a report
/// on a minified or hostile file must not print (and lay out) megabytes of one line.
const LONG_LINE: usize = 512;
/// Bytes shown on each side of a label on a long line.
const LONG_LINE_CONTEXT: usize = 60;
/// The most of a label underlined on a long line.
const LONG_LABEL: usize = 120;
/// The most of the text one snippet of a report shows when its lines are long.
const LONG_WINDOW: usize = 4096;

impl SourceFile {
    fn starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// The text `from..` and a space, when a report's snippet reaches the end of a text that
    /// has no final newline: miette draws a label only under a character of the snippet, and
    /// one at the very end ("the file ends here") needs something to stand under. Only the
    /// last [`PADDED_END`] bytes are copied (once); a snippet starting before them is not
    /// padded.
    fn padded_end(&self, from: usize, to: usize, after: usize) -> Option<&[u8]> {
        let text = &self.text;
        if after == 0 || to != text.len() || text.ends_with('\n') {
            return None;
        }
        let (start, padded) = self.padded_end.get_or_init(|| {
            let start = ceil_boundary(text, text.len().saturating_sub(PADDED_END));
            (start, format!("{} ", &text[start..]))
        });
        padded.as_bytes().get(from.checked_sub(*start)?..)
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

    /// The part of `span` a report underlines: all of it, except that on a line longer than
    /// 512 bytes it is cut to 120 bytes and to the end of that line, and that a span longer
    /// than 4 KiB is cut to the end of its first line.
    pub fn shown_span(&self, span: Span) -> Span {
        let starts = self.starts();
        let line = line_of(starts, span.start.min(self.text.len()));
        let line_end = self.line_end(line);
        let end = if line_end - starts[line] > LONG_LINE {
            span.end.min(line_end).min(span.start + LONG_LABEL)
        } else if span.end - span.start > LONG_WINDOW {
            span.end.min(line_end)
        } else {
            return span;
        };
        Span::new(span.start, floor_boundary(&self.text, end).max(span.start))
    }

    /// Where line `line` (0-based) ends, before its `\n`.
    fn line_end(&self, line: usize) -> usize {
        self.starts()
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1)
    }
}

/// miette reads context lines by scanning the text from its start; on a large file with many
/// findings that is quadratic. Cut the few lines needed out with the line index first; where
/// they are long (over 512 bytes), cut a window around the span out of them.
impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let starts = self.starts();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > self.text.len() {
            return Err(miette::MietteError::OutOfBounds);
        }
        let first = line_of(starts, start).saturating_sub(before);
        let last = (line_of(starts, end) + after + 1).min(starts.len());
        let from = starts[first];
        let to = starts.get(last).copied().unwrap_or(self.text.len());
        let long = (first..last).any(|line| self.line_end(line) - starts[line] > LONG_LINE);
        if long && end - start > LONG_WINDOW {
            // Labels are cut short on long lines (`shown_span`): this is miette asking to show
            // two labels far apart on them in one snippet. Refused, it shows them apart.
            return Err(miette::MietteError::OutOfBounds);
        }
        // As miette's own reader: without context lines the text starts (or ends) at the span.
        let from = match before {
            0 => start,
            _ if long => start.saturating_sub(LONG_LINE_CONTEXT).max(from),
            _ => from,
        };
        let to = match after {
            0 => end,
            _ if long => (end + LONG_LINE_CONTEXT).min(to),
            _ => to,
        };
        let to = match long {
            true => to.min(from + LONG_WINDOW),
            false => to,
        };
        // On character boundaries whatever the span (miette's own reader works on bytes).
        let (from, to) = (
            floor_boundary(&self.text, from),
            ceil_boundary(&self.text, to),
        );
        let data = &self.text[from..to];
        let line = line_of(starts, from);
        let column = self.chars_between(starts[line], from);
        let line_count = memchr::memchr_iter(b'\n', data.as_bytes()).count();
        if let Some(padded) = self.padded_end(from, to, after) {
            return Ok(Box::new(miette::MietteSpanContents::new_named(
                self.name.clone(),
                padded,
                miette::SourceSpan::new(from.into(), padded.len()),
                line,
                column,
                line_count,
            )));
        }
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            data.as_bytes(),
            miette::SourceSpan::new(from.into(), to - from),
            line,
            column,
            line_count,
        )))
    }
}

fn line_of(starts: &[usize], offset: usize) -> usize {
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

fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        text.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1),
    );
    starts
}

fn invalid_utf8(span: Span) -> Diagnostic {
    Diagnostic::error("parse::invalid-utf8", "invalid UTF-8 in the source")
        .with_label(Label::primary(span, "these bytes are not UTF-8"))
        .with_help(
            "VCL files must be UTF-8; re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)",
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_keep_offsets() {
        let (file, diags) = SourceFile::from_bytes("x", b"ab\xffc\xe2\x82d".to_vec());
        assert_eq!(file.text, "ab?c??d");
        assert_eq!(diags.len(), 2);
        assert_eq!(diags[0].labels[0].span, Span::new(2, 3));
        assert_eq!(diags[1].labels[0].span, Span::new(4, 6));
    }

    fn read(file: &SourceFile, span: Span, context: usize) -> (String, usize, usize) {
        use miette::SourceCode;
        let span = miette::SourceSpan::new(span.start.into(), span.end - span.start);
        let contents = file.read_span(&span, context, context).unwrap();
        let data = String::from_utf8(contents.data().to_vec()).unwrap();
        (data, contents.line(), contents.column())
    }

    #[test]
    fn short_lines_are_shown_whole_and_labels_whole() {
        let file = SourceFile::new("x", "a\nbé cd\ne\n");
        assert_eq!(
            read(&file, Span::new(6, 8), 1),
            ("a\nbé cd\ne\n".into(), 0, 0)
        );
        // Without context, from the span itself; the column counts characters.
        assert_eq!(read(&file, Span::new(6, 8), 0), ("cd".into(), 1, 3));
        assert_eq!(file.shown_span(Span::new(2, 9)), Span::new(2, 9));
    }

    #[test]
    fn long_lines_are_shown_as_a_window_around_the_label() {
        let line = format!("{}é{}", "a".repeat(3000), "b".repeat(3000));
        let file = SourceFile::new("x", format!("first\n{line}\nlast\n"));
        let label = Span::new(6 + 3000, 6 + 3002);
        let (data, line_index, column) = read(&file, label, 1);
        assert_eq!(data, format!("{}é{}", "a".repeat(60), "b".repeat(60)));
        assert_eq!((line_index, column), (1, 2940));
        // A label is underlined for at most LONG_LABEL bytes, never past its line.
        let whole_line = Span::new(6, 6 + line.len() + 6);
        assert_eq!(file.shown_span(whole_line), Span::new(6, 6 + LONG_LABEL));
        // Two labels far apart on a long line are not shown in one snippet.
        use miette::SourceCode;
        let far = miette::SourceSpan::new(6.into(), 5000);
        assert!(file.read_span(&far, 1, 1).is_err());
    }

    #[test]
    fn a_span_longer_than_a_window_is_cut_to_its_first_line() {
        let text = "x\n".repeat(LONG_WINDOW);
        let file = SourceFile::new("x", text.clone());
        assert_eq!(file.shown_span(Span::new(2, text.len())), Span::new(2, 3));
        assert_eq!(file.shown_span(Span::new(2, 100)), Span::new(2, 100));
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
    fn a_label_where_a_text_without_a_final_newline_ends_is_drawn() {
        let long_line = "x".repeat(100_000);
        let many_lines = format!("{}backend F_a", "#\n".repeat(40_000));
        for text in ["", "backend F_a", &long_line, &many_lines] {
            let file = SourceFile::new("x", text);
            let end = Span::new(text.len(), text.len());
            let d = Diagnostic::error("parse::unexpected-token", "m")
                .with_label(Label::primary(end, "the file ends here"));
            let out = crate::diagnostic::render(&d, &file, false, 100);
            assert!(out.contains("╰── the file ends here"), "{out}");
        }
    }

    #[test]
    fn a_span_inside_a_character_is_read_without_panicking() {
        let file = SourceFile::new("x", format!("é{}é\n", "a".repeat(600)));
        for (start, end) in [(1, 1), (1, 2), (0, 1), (602, 603), (603, 604)] {
            for context in [0, 1] {
                let (data, _, _) = read(&file, Span::new(start, end), context);
                assert!(!data.is_empty() || start == end, "{start}..{end}");
            }
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
