//! The token stream of a whole file, for the scans that look at tokens rather than parse
//! them: the reference scan (`crate::references`) and lint's allow comments
//! (`crate::lint::suppress`), which read the file in one pass of this iterator.
//!
//! Tokens are coarse: a [`Kind::Word`] is a name, possibly dotted or hyphenated
//! (`req.http.X-Timer`, `.backend`, `web-1`), or a number (`200`, `1.5s`); operators are
//! [`Kind::Other`] (`=`, `==`, `+=`, `!~` are one token each, so that the `=` of a compound
//! operator is never read alone). White space is left out; comments are tokens of their own.
//! Strings and comments use the parser's rules (`crate::syntax::lexical`), so nothing inside
//! them is ever taken for a token.
//!
//! The iterator never fails: a short string that does not end is left out up to the end of
//! its line (a `\n`, or a lone `\r`: docs/design.md §2.16), as the parser resumes; a long
//! string that does not end stops the stream; a block comment that does not end is a comment
//! token up to the end of the text, and stops it. Any character it does not know is a token
//! of its own.

use memchr::memmem::Finder;

use crate::span::Span;
use crate::syntax::lexical::{
    block_comment, is_ident_char, is_ident_start, long_string, opens_long_string, short_string,
};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A name (`sub`, `req.http.X-Timer`, `.backend`, `a:b`) or a number (`200`, `1.5s`):
    /// it starts with a digit.
    Word,
    /// A short or long string literal, delimiters included.
    Str,
    /// `{`
    Open,
    /// `}`
    Close,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `,`
    Comma,
    /// `;`
    Semicolon,
    /// `:`
    Colon,
    /// An operator (`=`, `==`, `!=`, `+=`, `!~`, ...) or any other character.
    Other,
    /// `# ...`, `// ...` (to the end of the line) or `/* ... */`.
    Comment,
}

/// One token: its kind, its text and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    pub span: Span,
}

/// The tokens of a text, in order (see the module documentation).
///
/// [`Tokens::skipping`] leaves out spans of the text (the declarations the parser has read
/// already): the stream goes on at each one's end as if the span were not there. With
/// [`Tokens::comments_in_skipped_holding`], the spans are read for their comments too, but
/// only where such a comment may be: most spans are jumped, not lexed.
pub struct Tokens<'a, 's> {
    src: &'a str,
    pos: usize,
    skipped: &'s [Span],
    next_skip: usize,
    /// Skipped spans with this at or after their start are read for their comments.
    needle: Option<Finder<'static>>,
    /// Where the needle is next found, at or after the start of the last span it was looked
    /// for in (`usize::MAX`: nowhere); `None` before the first look.
    needle_at: Option<usize>,
    /// The end of the skipped span being read for its comments.
    reading_until: Option<usize>,
    /// Set when a comment or long string that does not end was met in a skipped span: the
    /// rest of the text yields no comment (a whole-file read would have stopped there).
    comments_over: bool,
    /// Where the last skipped span read for its comments was left, past its end when a token
    /// started in it ran over it: a comment before that is inside the token for a read of
    /// the whole text.
    comments_from: usize,
}

impl<'a> Tokens<'a, 'static> {
    /// Every token of `src`.
    pub fn new(src: &'a str) -> Self {
        Tokens::skipping(src, &[])
    }
}

impl<'a, 's> Tokens<'a, 's> {
    /// The tokens of `src` outside the `skipped` spans (sorted by start).
    pub fn skipping(src: &'a str, skipped: &'s [Span]) -> Self {
        debug_assert!(skipped.is_sorted_by_key(|s| s.start));
        Tokens {
            src,
            pos: 0,
            skipped,
            next_skip: 0,
            needle: None,
            needle_at: None,
            reading_until: None,
            comments_over: false,
            comments_from: 0,
        }
    }

    /// Also yields the comments of the skipped spans, as a read of the whole text would, for
    /// comments that hold `needle`: a span with no occurrence of `needle` at or after its
    /// start is still jumped without being read.
    #[must_use]
    pub fn comments_in_skipped_holding(mut self, needle: &str) -> Self {
        self.needle = Some(Finder::new(needle.as_bytes()).into_owned());
        self
    }

    /// Whether skipped span `s` is read for its comments: when the needle is found at or
    /// after its start. A comment holding the needle may start in it, and a string or comment
    /// in it that does not end hides every comment after it. The search runs ahead once per
    /// occurrence, not once per span, so that many small spans cost one read of the text.
    fn read_for_comments(&mut self, s: Span) -> bool {
        let Some(finder) = &self.needle else {
            return false;
        };
        let start = s.start.min(self.src.len());
        if self.needle_at.is_none_or(|at| at < start) {
            let found = finder.find(&self.src.as_bytes()[start..]);
            self.needle_at = Some(found.map_or(usize::MAX, |n| start + n));
        }
        self.needle_at.is_some_and(|at| at != usize::MAX)
    }

    /// Moves to `to` (the end of a skipped span), on a char boundary.
    fn jump_to(&mut self, to: usize) {
        let src = self.src;
        self.pos = to.min(src.len());
        while !src.is_char_boundary(self.pos) {
            self.pos += 1;
        }
    }

    /// After a comment or long string that does not end: the stream stops, or, inside a
    /// skipped span read for its comments, the span ends and no comment follows.
    fn stop_at_unterminated(&mut self) {
        match self.reading_until {
            Some(end) => {
                self.comments_over = true;
                self.pos = end;
            }
            None => self.pos = self.src.len(),
        }
    }
}

impl<'a> Iterator for Tokens<'a, '_> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let src = self.src;
        let bytes = src.as_bytes();
        loop {
            if let Some(end) = self.reading_until {
                if self.pos < end {
                    // Only comments are wanted here, and strings hide them: words and operators
                    // hold none of these bytes, so they are passed over without being lexed.
                    self.pos += bytes[self.pos..end]
                        .iter()
                        .position(|b| matches!(b, b'"' | b'{' | b'#' | b'/'))
                        .unwrap_or(end - self.pos);
                }
                if self.pos >= end {
                    // A token that started in the span ended past it: for a read of the whole
                    // text, what the scan reads next up to there is inside that token.
                    self.comments_from = self.comments_from.max(self.pos);
                    self.reading_until = None;
                    self.jump_to(end);
                    continue;
                }
            } else {
                while self
                    .skipped
                    .get(self.next_skip)
                    .is_some_and(|s| s.end <= self.pos)
                {
                    self.next_skip += 1;
                }
                if let Some(&s) = self.skipped.get(self.next_skip)
                    && s.start <= self.pos
                    && self.pos < src.len()
                {
                    self.next_skip += 1;
                    if !self.comments_over && self.read_for_comments(s) {
                        self.reading_until = Some(s.end.min(src.len()));
                    } else {
                        self.jump_to(s.end);
                    }
                    continue;
                }
            }
            let pos = self.pos;
            let &b = bytes.get(pos)?;
            let next = bytes.get(pos + 1).copied();
            let rest = &src[pos..];
            let (kind, len) = match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                    self.pos += 1;
                    continue;
                }
                b'#' => (Kind::Comment, line_length(rest)),
                b'/' if next == Some(b'/') => (Kind::Comment, line_length(rest)),
                b'/' if next == Some(b'*') => match block_comment(rest) {
                    Ok((after, _)) => (Kind::Comment, rest.len() - after.len()),
                    Err(_) => {
                        // It runs to the end of the text: the last comment.
                        let hidden = self.comments_over;
                        let comment = self.token(Kind::Comment, rest.len());
                        self.stop_at_unterminated();
                        if hidden {
                            continue;
                        }
                        return Some(comment);
                    }
                },
                b'"' => match short_string(rest) {
                    Ok((after, _)) => (Kind::Str, rest.len() - after.len()),
                    Err(_) => {
                        // An unterminated short string ends at its line, as the parser resumes.
                        self.pos += line_length(rest);
                        continue;
                    }
                },
                b'{' if opens_long_string(rest) => match long_string(rest) {
                    Ok((after, _)) => (Kind::Str, rest.len() - after.len()),
                    Err(_) => {
                        self.stop_at_unterminated();
                        continue;
                    }
                },
                b'{' => (Kind::Open, 1),
                b'}' => (Kind::Close, 1),
                b'(' => (Kind::LParen, 1),
                b')' => (Kind::RParen, 1),
                b',' => (Kind::Comma, 1),
                b';' => (Kind::Semicolon, 1),
                b':' => (Kind::Colon, 1),
                b'=' | b'!' if next == Some(b'=') => (Kind::Other, 2),
                b'=' => (Kind::Other, 1),
                _ if is_ident_start(char::from(b))
                    || (b == b'.' && next.is_some_and(|n| is_ident_start(char::from(n)))) =>
                {
                    (Kind::Word, 1 + run(&bytes[pos + 1..], is_name_byte))
                }
                _ if b.is_ascii_digit() => (Kind::Word, run(&bytes[pos..], is_number_byte)),
                _ => {
                    let c = rest.chars().next()?;
                    if c.is_whitespace() {
                        self.pos += c.len_utf8();
                        continue;
                    }
                    let after = rest.as_bytes().get(c.len_utf8()).copied();
                    // Compound operators (`+=`, `>=`, `!~`, ...) are one token.
                    if after == Some(b'=') || (c == '!' && after == Some(b'~')) {
                        (Kind::Other, c.len_utf8() + 1)
                    } else {
                        (Kind::Other, c.len_utf8())
                    }
                }
            };
            let token = self.token(kind, len);
            self.pos += len;
            let hidden = if kind == Kind::Comment {
                self.comments_over || pos < self.comments_from
            } else {
                // A skipped span read for its comments yields nothing else.
                self.reading_until.is_some()
            };
            if !hidden {
                return Some(token);
            }
        }
    }
}

impl<'a> Tokens<'a, '_> {
    fn token(&self, kind: Kind, len: usize) -> Token<'a> {
        Token {
            kind,
            text: &self.src[self.pos..self.pos + len],
            span: Span::new(self.pos, self.pos + len),
        }
    }
}

/// Characters that continue a name after its first: identifier characters, `.` for dotted
/// variables, `-` and `:` for header names and subfields (`req.http.X-Timer`, `...Cookie:id`).
fn is_name_byte(b: u8) -> bool {
    is_ident_char(char::from(b)) || matches!(b, b'.' | b'-' | b':')
}

/// Characters of a number or RTIME after its first digit (`1.5s`, `0x1F`).
fn is_number_byte(b: u8) -> bool {
    is_ident_char(char::from(b)) || b == b'.'
}

/// How many bytes at the start of `bytes` satisfy `keep`.
fn run(bytes: &[u8], keep: fn(u8) -> bool) -> usize {
    bytes.iter().position(|&b| !keep(b)).unwrap_or(bytes.len())
}

/// The length of the line `s` starts on, its `\n` (or lone `\r`) excluded.
fn line_length(s: &str) -> usize {
    memchr::memchr2(b'\n', b'\r', s.as_bytes()).unwrap_or(s.len())
}

#[cfg(test)]
mod tests {
    use super::{Kind, Tokens};
    use crate::span::Span;

    fn tokens(src: &str) -> Vec<(Kind, &str)> {
        Tokens::new(src).map(|t| (t.kind, t.text)).collect()
    }

    #[test]
    fn every_kind() {
        use Kind::*;
        let src = "sub vcl_recv { set req.http.X-Up = std.f(\"a\", {X\"b\"X}) ; t : 1.5s } \
                   # one\n// two\r/* three */ .backend == != += !~ é= ! é \u{2028}";
        assert_eq!(
            tokens(src),
            [
                (Word, "sub"),
                (Word, "vcl_recv"),
                (Open, "{"),
                (Word, "set"),
                (Word, "req.http.X-Up"),
                (Other, "="),
                (Word, "std.f"),
                (LParen, "("),
                (Str, "\"a\""),
                (Comma, ","),
                (Str, "{X\"b\"X}"),
                (RParen, ")"),
                (Semicolon, ";"),
                (Word, "t"),
                (Colon, ":"),
                (Word, "1.5s"),
                (Close, "}"),
                (Comment, "# one"),
                (Comment, "// two"),
                (Comment, "/* three */"),
                (Word, ".backend"),
                (Other, "=="),
                (Other, "!="),
                (Other, "+="),
                (Other, "!~"),
                (Other, "é="),
                (Other, "!"),
                (Other, "é"),
            ]
        );
        // Spans are the texts' places.
        for t in Tokens::new(src) {
            assert_eq!(&src[t.span.start..t.span.end], t.text);
        }
    }

    #[test]
    fn strings_and_comments_hide_what_they_hold() {
        assert_eq!(
            tokens("\"# no\" {\"} // no\"} /* \" */ x"),
            [
                (Kind::Str, "\"# no\""),
                (Kind::Str, "{\"} // no\"}"),
                (Kind::Comment, "/* \" */"),
                (Kind::Word, "x"),
            ]
        );
        // A `"` in a comment starts no string; a `/` alone is an operator.
        assert_eq!(
            tokens("# \"\na / b"),
            [
                (Kind::Comment, "# \""),
                (Kind::Word, "a"),
                (Kind::Other, "/"),
                (Kind::Word, "b"),
            ]
        );
    }

    #[test]
    fn line_ends_lf_crlf_and_a_lone_cr() {
        for end in ["\n", "\r\n", "\r"] {
            let src = format!("# c{end}a // d{end}b");
            assert_eq!(
                tokens(&src),
                [
                    (Kind::Comment, "# c"),
                    (Kind::Word, "a"),
                    (Kind::Comment, "// d"),
                    (Kind::Word, "b"),
                ],
                "{end:?}"
            );
        }
    }

    #[test]
    fn an_unterminated_short_string_ends_at_its_line() {
        for end in ["\n", "\r\n", "\r"] {
            let src = format!("a \"open; # not a comment{end}b");
            assert_eq!(
                tokens(&src),
                [(Kind::Word, "a"), (Kind::Word, "b")],
                "{end:?}"
            );
        }
        // A lone `\r` does not end a string that is closed later on its line.
        assert_eq!(
            tokens("\"a\rb\" c"),
            [(Kind::Str, "\"a\rb\""), (Kind::Word, "c")]
        );
    }

    #[test]
    fn an_unterminated_long_string_or_block_comment_ends_the_stream() {
        assert_eq!(tokens("a {X\"open\"} b"), [(Kind::Word, "a")]);
        assert_eq!(
            tokens("a /* open\n b"),
            [(Kind::Word, "a"), (Kind::Comment, "/* open\n b")]
        );
    }

    fn words<'a>(tokens: Tokens<'a, '_>) -> Vec<&'a str> {
        tokens.map(|t| t.text).collect()
    }

    #[test]
    fn skipped_spans_are_left_out() {
        let src = "a backend b { # allow\n } c # allow\nd";
        let skipped = [Span::new(2, 24)];
        assert_eq!(
            words(Tokens::skipping(src, &skipped)),
            ["a", "c", "# allow", "d"]
        );
        // With a needle, a span's comments come too, in order; none of its other tokens.
        assert_eq!(
            words(Tokens::skipping(src, &skipped).comments_in_skipped_holding("allow")),
            ["a", "# allow", "c", "# allow", "d"]
        );
        // A span with no needle at or after its start is jumped.
        assert_eq!(
            words(Tokens::skipping(src, &skipped).comments_in_skipped_holding("zzz")),
            ["a", "c", "# allow", "d"]
        );
    }

    #[test]
    fn an_unterminated_form_in_a_skipped_span_ends_only_the_comments() {
        // As a read of the whole text, no comment after it; as the scan, the tokens after
        // the span go on.
        for open in ["/* open", "{\"open"] {
            let src = format!("a backend b {{ {open} }} c # allow\nd");
            let skipped = [Span::new(2, src.find(" c").unwrap())];
            let found: Vec<_> = Tokens::skipping(&src, &skipped)
                .comments_in_skipped_holding("allow")
                .map(|t| t.text)
                .collect();
            let first_comment = usize::from(open.starts_with('/'));
            assert_eq!(found.len(), 3 + first_comment, "{found:?}");
            assert_eq!(found[0], "a");
            assert_eq!(&found[1 + first_comment..], ["c", "d"], "{open}");
        }
    }

    #[test]
    fn spans_that_touch_and_spans_past_the_end() {
        let src = "x b1 {} b2 {} y";
        let skipped = [Span::new(2, 7), Span::new(7, 13), Span::new(14, 99)];
        let found: Vec<_> = Tokens::skipping(src, &skipped)
            .comments_in_skipped_holding("y")
            .map(|t| t.text)
            .collect();
        assert_eq!(found, ["x"]);
        let found: Vec<_> = Tokens::skipping("aé b", &[Span::new(0, 2)])
            .map(|t| t.text)
            .collect();
        assert_eq!(
            found,
            ["b"],
            "a span ending inside a character ends after it"
        );
    }
}
