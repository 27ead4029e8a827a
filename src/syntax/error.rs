//! The parser's own nom error type: what was expected, where, and which error got furthest.

use nom::error::{ContextError, ErrorKind, ParseError};

use crate::diagnostic::{Diagnostic, Label};
use crate::span::Span;

/// What went wrong, in the grammar's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// Something else stood where this was expected (a `context` name).
    Expected(&'static str),
    /// A `"` string that reaches the end of its line or of the file.
    UnterminatedString,
    /// A `{"` long string never closed.
    UnterminatedLongString,
    /// A `/*` comment never closed.
    UnterminatedComment,
    /// A number followed by letters that are not an RTIME unit.
    BadRtimeUnit,
    /// A nom leaf failed with no context (should be wrapped in one).
    Nom(ErrorKind),
}

/// An error at a position: `input` is the rest of the source from that position on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyntaxError<'a> {
    pub input: &'a str,
    pub kind: SyntaxErrorKind,
    /// How many bytes the error covers (0: a point).
    pub len: usize,
}

impl SyntaxErrorKind {
    /// A string or comment that never ends: the text after it cannot be trusted.
    pub fn is_lexical(self) -> bool {
        matches!(
            self,
            SyntaxErrorKind::UnterminatedString
                | SyntaxErrorKind::UnterminatedLongString
                | SyntaxErrorKind::UnterminatedComment
        )
    }
}

impl<'a> SyntaxError<'a> {
    pub fn new(input: &'a str, kind: SyntaxErrorKind, len: usize) -> Self {
        SyntaxError { input, kind, len }
    }

    pub fn expected(input: &'a str, what: &'static str) -> Self {
        SyntaxError::new(input, SyntaxErrorKind::Expected(what), 0)
    }

    /// Turns the error into a diagnostic; `src` is the whole source the input is a suffix of.
    pub fn to_diagnostic(self, src: &str) -> Diagnostic {
        let start = src.len() - self.input.len();
        let span = Span::new(start, start + self.len);
        match self.kind {
            SyntaxErrorKind::Expected(what) => expected_diagnostic(self.input, start, what),
            SyntaxErrorKind::UnterminatedString => {
                Diagnostic::error("parse::unterminated-string", "unterminated string")
                    .with_label(Label::primary(
                        span,
                        "this string is not closed on its line",
                    ))
                    .with_help(
                        "close it with `\"`; a value with newlines needs a long string `{\"...\"}`",
                    )
            }
            SyntaxErrorKind::UnterminatedLongString => {
                Diagnostic::error("parse::unterminated-string", "unterminated long string")
                    .with_label(Label::primary(span, "this long string is never closed"))
                    .with_help(
                        "close it with the same delimiter it opened with, e.g. `\"}` for `{\"`",
                    )
            }
            SyntaxErrorKind::UnterminatedComment => {
                Diagnostic::error("parse::unterminated-comment", "unterminated block comment")
                    .with_label(Label::primary(span, "this comment is never closed"))
                    .with_help("close it with `*/`")
            }
            SyntaxErrorKind::BadRtimeUnit => Diagnostic::error(
                "parse::bad-rtime-unit",
                format!("`{}` is not an RTIME unit", &self.input[..self.len]),
            )
            .with_label(Label::primary(span, "unknown unit"))
            .with_help("RTIME units are ms, s, m (minutes), h, d, w and y, e.g. `500ms` or `1.5s`"),
            SyntaxErrorKind::Nom(kind) => {
                expected_diagnostic(self.input, start, nom_kind_name(kind))
            }
        }
    }
}

fn nom_kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Tag | ErrorKind::Char => "a token",
        ErrorKind::Digit => "a digit",
        ErrorKind::Eof => "end of file",
        _ => "valid syntax",
    }
}

/// "expected X, found Y", pointing at the token that was found.
fn expected_diagnostic(input: &str, start: usize, what: &str) -> Diagnostic {
    let found = next_token(input);
    let span = Span::new(start, start + found.len());
    let found_text = if found.is_empty() {
        "end of file".to_string()
    } else {
        format!("`{found}`")
    };
    Diagnostic::error(
        "parse::unexpected-token",
        format!("expected {what}, found {found_text}"),
    )
    .with_label(Label::primary(span, format!("expected {what}")))
}

/// The token at the start of `input`, for messages: a word, or one character.
pub fn next_token(input: &str) -> &str {
    let word = input
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(input.len(), |(i, _)| i);
    if word > 0 {
        // At most 40 bytes, cut back to a character boundary.
        let cut = (0..=word.min(40))
            .rev()
            .find(|&n| input.is_char_boundary(n))
            .unwrap_or(0);
        return &input[..cut];
    }
    input.chars().next().map_or("", |c| &input[..c.len_utf8()])
}

impl<'a> ParseError<&'a str> for SyntaxError<'a> {
    fn from_error_kind(input: &'a str, kind: ErrorKind) -> Self {
        SyntaxError::new(input, SyntaxErrorKind::Nom(kind), 0)
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    /// Of two alternatives, keep the one that got further: it says the most.
    fn or(self, other: Self) -> Self {
        if other.input.len() < self.input.len() {
            other
        } else {
            self
        }
    }
}

impl<'a> ContextError<&'a str> for SyntaxError<'a> {
    fn add_context(input: &'a str, ctx: &'static str, other: Self) -> Self {
        match other.kind {
            // A bare leaf failure at the same place gets the name of what was expected.
            SyntaxErrorKind::Nom(_) if other.input.len() == input.len() => {
                SyntaxError::expected(input, ctx)
            }
            SyntaxErrorKind::Nom(_) => SyntaxError::expected(other.input, ctx),
            _ => other,
        }
    }
}
