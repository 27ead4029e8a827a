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
}

impl SourceFile {
    /// Wraps already valid text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
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

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts.get_or_init(|| line_starts(&self.text));
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }
}

/// miette reads context lines by scanning the text from its start; on a large file with many
/// findings that is quadratic. Cut the few lines needed out with the line index first.
impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let starts = self.line_starts.get_or_init(|| line_starts(&self.text));
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > self.text.len() {
            return Err(miette::MietteError::OutOfBounds);
        }
        let line_of = |offset: usize| starts.partition_point(|&s| s <= offset) - 1;
        let first = line_of(start).saturating_sub(before);
        let last = (line_of(end) + after + 1).min(starts.len());
        let from = starts[first];
        let to = starts.get(last).copied().unwrap_or(self.text.len());
        let window = &self.text[from..to];
        let local = miette::SourceSpan::new((start - from).into(), span.len());
        let inner = window.read_span(&local, before, after)?;
        let absolute =
            miette::SourceSpan::new((inner.span().offset() + from).into(), inner.span().len());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            absolute,
            inner.line() + first,
            inner.column(),
            inner.line_count(),
        )))
    }
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

    #[test]
    fn line_and_column() {
        let file = SourceFile::new("x", "ab\nçd\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        assert_eq!(file.line_col(5), (2, 2));
        assert_eq!(file.line_col(7), (3, 1));
    }
}
