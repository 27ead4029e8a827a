//! How reports show a source: the lines around each label, cut out with the line index, and
//! on long lines (a minified file) a window around the label instead of the line.

use super::{SourceFile, ceil_boundary, floor_boundary, line_of};
use crate::span::Span;

/// A line longer than this is shown in reports as a window around what is labelled: a report
/// on a minified or hostile file must not print (and lay out) megabytes of one line.
const LONG_LINE: usize = 512;
/// Bytes shown on each side of a label on a long line.
const LONG_LINE_CONTEXT: usize = 60;
/// The most of a label underlined on a long line.
const LONG_LABEL: usize = 120;
/// The most of the text one snippet of a report shows when its lines are long.
const LONG_WINDOW: usize = 4096;

/// How much of the end of a text [`SourceFile::padded_end`] copies.
const PADDED_END: usize = 64 << 10;

impl SourceFile {
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

    /// The text `from..` and a space, when a report's snippet reaches the end of a text that
    /// has no final newline: miette draws a label only under a character of the snippet, and
    /// one at the very end ("the file ends here") needs something to stand under. Only the
    /// last [`PADDED_END`] bytes are copied (once); a snippet starting before them is not
    /// padded.
    fn padded_end(&self, from: usize, to: usize, after: usize) -> Option<&[u8]> {
        let text = self.shown_text();
        if after == 0 || to != text.len() || text.ends_with('\n') {
            return None;
        }
        let (start, padded) = self.padded_end.get_or_init(|| {
            let start = ceil_boundary(text, text.len().saturating_sub(PADDED_END));
            (start, format!("{} ", &text[start..]))
        });
        padded.as_bytes().get(from.checked_sub(*start)?..)
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
        let to = if long { to.min(from + LONG_WINDOW) } else { to };
        // On character boundaries whatever the span (miette's own reader works on bytes).
        let (from, to) = (
            floor_boundary(&self.text, from),
            ceil_boundary(&self.text, to),
        );
        let line = line_of(starts, from);
        // The input's column, also in an escaped copy (where `\x1b` stands for one character).
        let column =
            self.chars_between(starts[line], from) - self.added_chars_between(starts[line], from);
        let data = self
            .padded_end(from, to, after)
            .unwrap_or(&self.shown_text().as_bytes()[from..to]);
        let line_count = memchr::memchr_iter(b'\n', data).count();
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            data,
            miette::SourceSpan::new(from.into(), data.len()),
            line,
            column,
            line_count,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    #[cfg(feature = "render")]
    fn a_label_where_a_text_without_a_final_newline_ends_is_drawn() {
        use crate::diagnostic::{Diagnostic, Label};
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
}
