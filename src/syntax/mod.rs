//! The syntax layer: a nom parser over a whole VCL file that finds every `backend` (and
//! Varnish `probe`) declaration and skips every other top-level form.
//!
//! [`Parser`] yields [`Item`]s one at a time, so a caller can lower and drop each declaration
//! as it goes (memory stays near the size of the file); [`parse`] collects them.
//! Errors never stop the parser: each is recorded and parsing resumes at the next property or
//! top-level form, so one run reports every problem in the file.
//!
//! [`tokens`] is the same text as a stream of coarse tokens, comments included, for the
//! scans that look at tokens without parsing them (the reference scan, the allow comments).

pub(crate) mod declaration;
pub mod dialect;
pub mod director;
pub(crate) mod error;
#[cfg(test)]
mod grammar_tests;
pub(crate) mod lexical;
pub(crate) mod properties;
pub(crate) mod skip;
pub(crate) mod tokens;

use nom::Err;

use crate::ast::{Item, OtherForm};
use crate::diagnostic::{Diagnostic, Label};
use crate::span::Span;
pub use dialect::{Dialect, DialectSetting};
use lexical::{at_word_boundary, ident, trivia};
use properties::{Cx, Lists};

/// A streaming parser over one source text.
pub struct Parser<'a> {
    src: &'a str,
    rest: &'a str,
    /// Items that start at or after this offset are left unread (see [`Parser::range`]).
    end: usize,
    /// Problems found so far, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    lists: Lists<'a>,
    dialect: Dialect,
}

impl<'a> Parser<'a> {
    /// A parser of the whole of `src`, in the dialect the file declares ([`Dialect::detect`]).
    pub fn new(src: &'a str) -> Self {
        Parser::new_in(src, Dialect::detect(src))
    }

    /// A parser of the whole of `src`, in `dialect`.
    pub fn new_in(src: &'a str, dialect: Dialect) -> Self {
        let mut parser = Parser::range(src, 0, src.len()).in_dialect(dialect);
        parser.diagnostics = nul_bytes(src);
        parser
    }

    /// A parser of the items of `src` that start in `start..end` (one that starts there is
    /// read whole, wherever it ends), for reading a large file in pieces. Spans are offsets
    /// into `src`. `start` is where an item or trivia begins (a char boundary); NUL bytes are
    /// not looked for (that is [`nul_bytes`]'s job, once per file). It reads Fastly VCL unless
    /// [`Parser::in_dialect`] says otherwise: finding the dialect would read the file's start
    /// again for each piece.
    ///
    /// # Panics
    ///
    /// If `start` is past the end of `src` or not on a char boundary.
    pub fn range(src: &'a str, start: usize, end: usize) -> Self {
        let mut rest = &src[start..];
        if start == 0 {
            // A UTF-8 byte order mark is not part of the text.
            rest = rest.strip_prefix('\u{feff}').unwrap_or(rest);
        }
        Parser {
            src,
            rest,
            end,
            diagnostics: Vec::new(),
            lists: Lists::default(),
            dialect: Dialect::Fastly,
        }
    }

    /// Reads in `dialect` instead of the one the file declares.
    #[must_use]
    pub fn in_dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    /// The dialect it reads in.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Takes back an item the caller is done with: the next items are read into its lists.
    /// A caller that drops each item once it has read it (a streamed parse) saves an
    /// allocation and a free for each list.
    pub fn recycle(&mut self, item: Item<'a>) {
        match item {
            Item::Backend(decl) => self.lists.keep(decl.properties),
            Item::Probe(decl) => self.lists.keep(decl.properties),
            Item::Other(_) => {}
        }
    }

    /// Where reading stopped: after the last item read and the trivia after it (so at the
    /// first item left unread), or the end of the text.
    pub fn stopped_at(&self) -> usize {
        self.src.len() - self.rest.len()
    }
}

impl<'a> Iterator for Parser<'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        loop {
            let start = match trivia(self.rest) {
                Ok((rest, _)) => rest,
                Err(Err::Error(e) | Err::Failure(e)) => {
                    self.diagnostics.push(e.to_diagnostic(self.src));
                    self.rest = "";
                    return None;
                }
                Err(Err::Incomplete(_)) => "",
            };
            self.rest = start;
            if start.is_empty() || self.src.len() - start.len() >= self.end {
                return None;
            }
            if let Some(item) = self.top_level_form(start) {
                return Some(item);
            }
        }
    }
}

impl<'a> Parser<'a> {
    /// Reads one top-level form starting at `start`; `None` when nothing was made of it.
    fn top_level_form(&mut self, start: &'a str) -> Option<Item<'a>> {
        let src = self.src;
        let mut cx = Cx {
            src,
            diagnostics: &mut self.diagnostics,
            lists: &mut self.lists,
            dialect: self.dialect,
        };
        let keyword = ident(start)
            .ok()
            .filter(|(after, _)| at_word_boundary(after));
        match keyword {
            Some((after, "backend")) => match declaration::backend_decl(&mut cx, start, after) {
                Ok(decl) => {
                    self.rest = &src[decl.span.end..];
                    Some(Item::Backend(decl))
                }
                Err(rest) => {
                    self.rest = rest;
                    None
                }
            },
            Some((after, "probe")) => match declaration::probe_decl(&mut cx, start, after) {
                Ok(decl) => {
                    self.rest = &src[decl.span.end..];
                    Some(Item::Probe(decl))
                }
                Err(rest) => {
                    self.rest = rest;
                    None
                }
            },
            Some((after, marker @ ("C" | "W"))) if after.starts_with('!') => {
                self.rest = skip::skip_line(after);
                let end = src.len() - after.len() + 1;
                let keyword = &start[..marker.len() + 1];
                Some(self.other(keyword, start, end))
            }
            Some((after, "C")) if after.starts_with('{') => {
                // Varnish's inline C, `C{ ... }C`: skipped whole, whatever it holds.
                let body = &after[1..];
                let close =
                    memchr::memmem::find(body.as_bytes(), b"}C").map_or(body.len(), |n| n + 2);
                self.rest = &body[close..];
                let end = src.len() - self.rest.len();
                Some(self.other(&start[..2], start, end))
            }
            _ if start.starts_with('}') => {
                let at = src.len() - start.len();
                cx.diagnostics.push(
                    Diagnostic::error("parse::unmatched-brace", "unmatched `}`")
                        .with_label(Label::primary(Span::new(at, at + 1), "this closes nothing"))
                        .with_help("remove it, or add the `{` it was meant to close"),
                );
                self.rest = &start[1..];
                None
            }
            _ if start.starts_with('\u{feff}') => {
                cx.diagnostics
                    .push(byte_order_mark(src.len() - start.len()));
                self.rest = &start['\u{feff}'.len_utf8()..];
                None
            }
            _ if !keyword.is_some_and(|(_, k)| skip::is_known_form(k))
                && !skip::starts_template_directive(start) =>
            {
                // docs/design.md §2.12: an error at the word, and nothing after it lost.
                cx.diagnostics.push(skip::unknown_form(src, start));
                let rest = skip::skip_unknown_form(src, start, cx.diagnostics);
                self.rest = rest;
                let keyword = keyword.map_or_else(|| error::next_token(start), |(_, k)| k);
                let begin = src.len() - start.len();
                let end = begin + src[begin..src.len() - rest.len()].trim_end().len();
                Some(self.other(keyword, start, end))
            }
            _ => {
                let rest = skip::skip_form(src, start, cx.diagnostics);
                self.rest = rest;
                let keyword = keyword.map_or_else(|| error::next_token(start), |(_, k)| k);
                let end = src.len() - rest.len();
                Some(self.other(keyword, start, end))
            }
        }
    }

    fn other(&self, keyword: &'a str, start: &str, end: usize) -> Item<'a> {
        let begin = self.src.len() - start.len();
        Item::Other(OtherForm {
            keyword,
            span: Span::new(begin, end),
        })
    }
}

/// A byte order mark anywhere but at the very start (a file with one concatenated onto
/// another): an invisible character that would otherwise swallow the declaration after it
/// (docs/design.md §2.13).
pub(crate) fn byte_order_mark(at: usize) -> Diagnostic {
    Diagnostic::error(
        "parse::byte-order-mark",
        "a byte order mark (U+FEFF) in the middle of the file",
    )
    .with_label(Label::primary(
        Span::new(at, at + '\u{feff}'.len_utf8()),
        "an invisible byte order mark",
    ))
    .with_help(
        "remove it: a byte order mark belongs only at the very start of a file (was a file \
         saved with one appended to this one?); what follows it is read on",
    )
}

/// NUL bytes have no place in VCL (not even in strings, where `%00` would end the string):
/// one error per run of them.
pub fn nul_bytes(src: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(n) = memchr::memchr(0, &src.as_bytes()[from..]) {
        let start = from + n;
        let end = start + src[start..].bytes().take_while(|&b| b == 0).count();
        found.push(
            Diagnostic::error("parse::nul-byte", "NUL bytes in the source")
                .with_label(Label::primary(
                    Span::new(start, end),
                    format!(
                        "{} NUL byte{}",
                        end - start,
                        if end - start == 1 { "" } else { "s" }
                    ),
                ))
                .with_help("VCL is text: remove them (was the file saved in UTF-16?)"),
        );
        from = end;
    }
    found
}

/// Parses a whole file, in the dialect it declares: its items, and every syntax problem found.
pub fn parse(src: &str) -> (Vec<Item<'_>>, Vec<Diagnostic>) {
    parse_in(src, Dialect::detect(src))
}

/// [`parse`] in a given dialect.
pub fn parse_in(src: &str, dialect: Dialect) -> (Vec<Item<'_>>, Vec<Diagnostic>) {
    let mut parser = Parser::new_in(src, dialect);
    let items = parser.by_ref().collect();
    (items, parser.diagnostics)
}

#[cfg(test)]
mod tests {
    use super::Parser;

    #[test]
    fn items_read_into_recycled_lists_are_the_items_read_without() {
        let fixtures = crate::lower::tests::parse_fixtures_to_concatenate();
        // Each fixture after every other, so that lists of every length come back.
        let src: String = fixtures
            .iter()
            .chain(fixtures.iter().rev())
            .cloned()
            .collect();
        let fresh: Vec<_> = Parser::new(&src).collect();
        let mut parser = Parser::new(&src);
        let mut recycled = Vec::new();
        while let Some(item) = parser.next() {
            recycled.push(item.clone());
            parser.recycle(item);
        }
        assert!(fresh.len() > 100);
        assert_eq!(recycled, fresh);
    }
}
