//! Skipping what we do not model: other top-level forms (`sub`, `acl`, `table`, `director`,
//! `pragma`, ...), and the rest of a broken property when recovering from an error.
//!
//! Skipping is token-aware (strings, long strings and comments are read whole, so a `}` inside
//! them never counts) and iterative: nesting depth is a counter, never recursion, so no input
//! can overflow the stack.

use nom::Err;
use nom::Parser;
use nom::bytes::complete::take_till1;

use crate::diagnostic::{Diagnostic, Label};
use crate::span::Span;
use crate::syntax::error::SyntaxError;
use crate::syntax::lexical::{PResult, at_word_boundary, ident, long_string, short_string, trivia};

/// Words that start a top-level form.
pub const TOP_LEVEL_KEYWORDS: &[&str] = &[
    "backend",
    "sub",
    "acl",
    "table",
    "director",
    "probe",
    "pragma",
    "include",
    "import",
    "penaltybox",
    "ratecounter",
];

/// Words of VCL statements, which stand at top level in the body of a Fastly VCL snippet
/// (`if (...) { set req.backend = F_a; }` without a `sub`): skipped as forms, never reported
/// as unknown (docs/design.md §2.12).
pub const STATEMENT_KEYWORDS: &[&str] = &[
    "if",
    "else",
    "elseif",
    "elsif",
    "elif",
    "set",
    "unset",
    "add",
    "remove",
    "call",
    "return",
    "error",
    "restart",
    "esi",
    "synthetic",
    "log",
    "declare",
    "goto",
    "new",
    "ban",
];

/// Whether a top-level form may start with `word`: a declaration, `vcl N.N;`, or a statement
/// of a snippet body.
pub fn is_known_form(word: &str) -> bool {
    TOP_LEVEL_KEYWORDS.contains(&word) || word == "vcl" || STATEMENT_KEYWORDS.contains(&word)
}

/// Template directives that stand where a form would (`%{ if ... ~}`, `<% end -%>`,
/// `{{ ... }}`, `{% ... %}`, `${...}`): the file is a template (docs/design.md §5.4), reported
/// once by lint, not as an unknown form per line.
pub fn starts_template_directive(i: &str) -> bool {
    ["%{", "<%", "{{", "{%", "${"]
        .iter()
        .any(|marker| i.starts_with(marker))
}

/// An unknown word (or any other token) where a top-level form should start
/// (docs/design.md §2.12): an error at that token, with "did you mean" when a keyword is close.
pub fn unknown_form(src: &str, i: &str) -> Diagnostic {
    let start = src.len() - i.len();
    let is_word = ident(i).is_ok();
    // A word, else the whole token (a string, a word of other characters), else a character.
    let token = match coarse_token(i) {
        Ok((rest, _)) if !is_word && rest.len() < i.len() => &i[..i.len() - rest.len()],
        _ => crate::syntax::error::next_token(i),
    };
    let span = Span::new(start, start + token.len());
    let shown: String = token.chars().take(40).collect();
    let keywords = TOP_LEVEL_KEYWORDS.iter().copied().chain(["vcl"]);
    let suggestion = if is_word {
        let lower = token.to_ascii_lowercase();
        keywords
            .clone()
            .find(|k| *k == lower)
            .or_else(|| crate::suggest::did_you_mean(&lower, keywords))
    } else {
        None
    };
    let message = if is_word {
        format!("unknown top-level form `{token}`")
    } else {
        format!("`{shown}` cannot start a top-level form")
    };
    let label = if is_word {
        "not a VCL declaration"
    } else {
        "expected a declaration here"
    };
    let help = match suggestion {
        Some(keyword) => format!(
            "did you mean `{keyword}`? (keywords are lower case); this form is skipped up to its \
             `;` or block, or the next declaration"
        ),
        None => "a file holds declarations (`backend`, `sub`, `acl`, `table`, `director`, \
                 `include`, ...); this form is skipped up to its `;` or block, or the next \
                 declaration"
            .to_string(),
    };
    Diagnostic::error("parse::unknown-form", message)
        .with_label(Label::primary(span, label))
        .with_help(help)
}

/// True when `rest` starts with a top-level keyword as a whole word, wherever it stands.
fn starts_keyword(rest: &str) -> bool {
    ident(rest).is_ok_and(|(after, word)| {
        at_word_boundary(after) && (TOP_LEVEL_KEYWORDS.contains(&word) || word == "vcl")
    })
}

/// Skips an unknown form (reported already) starting at `i`: to its `;` or the end of its
/// first block, as [`skip_form`], but it ends before a top-level keyword met outside braces
/// (anywhere on a line) or at the start of a line inside them, so that `foo backend a { ... }`
/// loses nothing but `foo`. A missing `;` is not reported again.
pub fn skip_unknown_form<'a>(
    src: &'a str,
    i: &'a str,
    diagnostics: &mut Vec<Diagnostic>,
) -> &'a str {
    skip(src, i, diagnostics, Form::Unknown)
}

/// True when `rest` starts with a top-level keyword at the start of a line: where a form that
/// lost its `;` or `}` ends, so that the next declaration is not swallowed.
pub fn starts_top_level_form(src: &str, rest: &str) -> bool {
    let Ok((after, word)) = ident(rest) else {
        return false;
    };
    at_word_boundary(after)
        && TOP_LEVEL_KEYWORDS.contains(&word)
        && blank_line_start(src, src.len() - rest.len()).is_some()
}

/// The start of the line holding byte `at`, if only white space stands between the two.
/// Reads back over that white space only: a search for the line's start, from every word of
/// a long line, was quadratic (the parser's recovery, lint's scan and migrate's removals all
/// ask this).
pub fn blank_line_start(src: &str, at: usize) -> Option<usize> {
    let mut start = at;
    for c in src[..at].chars().rev() {
        // A line ends at `\n`, and at a `\r` that no `\n` follows (docs/design.md §2.16).
        if c == '\n' || (c == '\r' && src.as_bytes().get(start) != Some(&b'\n')) {
            return Some(start);
        }
        if !c.is_whitespace() {
            return None;
        }
        start -= c.len_utf8();
    }
    Some(0)
}

/// The coarse tokens that matter for finding the end of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coarse {
    Open,
    Close,
    Semicolon,
    /// Anything else: a word, a string, an operator.
    Other,
    End,
}

/// Reads trivia and then one coarse token.
pub fn coarse_token(i: &str) -> PResult<'_, Coarse> {
    let (i, _) = trivia(i)?;
    let Some(c) = i.chars().next() else {
        return Ok((i, Coarse::End));
    };
    match c {
        '"' => short_string(i).map(|(rest, _)| (rest, Coarse::Other)),
        '{' => match long_string(i) {
            Ok((rest, _)) => Ok((rest, Coarse::Other)),
            Err(Err::Error(_)) => Ok((&i[1..], Coarse::Open)),
            Err(e) => Err(e),
        },
        '}' => Ok((&i[1..], Coarse::Close)),
        ';' => Ok((&i[1..], Coarse::Semicolon)),
        _ => {
            let word = take_till1::<_, _, SyntaxError>(|c: char| {
                matches!(c, '"' | '{' | '}' | ';' | '#' | '/') || c.is_whitespace()
            })
            .parse_complete(i);
            match word {
                Ok((rest, _)) => Ok((rest, Coarse::Other)),
                // A lone `/` that does not start a comment.
                Err(_) => Ok((&i[c.len_utf8()..], Coarse::Other)),
            }
        }
    }
}

/// Skips one top-level form starting at `i`: up to a `;` outside braces, or to the `}` that
/// closes its first `{`. Lexical errors and a missing `}` are pushed to `diagnostics`.
pub fn skip_form<'a>(src: &'a str, i: &'a str, diagnostics: &mut Vec<Diagnostic>) -> &'a str {
    skip(src, i, diagnostics, Form::Known)
}

/// Which form a skip reads: where it may end before its `;` or block does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// A known form: outside braces, at a declaration starting a line (its missing `;` or `}`
    /// reported).
    Known,
    /// An unknown form: outside braces at any top-level keyword, inside them at a declaration
    /// starting a line; nothing more reported.
    Unknown,
}

/// The one skipping loop of [`skip_form`] and [`skip_unknown_form`].
fn skip<'a>(src: &'a str, i: &'a str, diagnostics: &mut Vec<Diagnostic>, form: Form) -> &'a str {
    let start = src.len() - i.len();
    let mut depth = 0usize;
    let mut first_open = None;
    let mut rest = i;
    loop {
        // A known form looks ahead only outside braces: inside a `sub`, the common case, no
        // token pays for it.
        if rest.len() < i.len() && (depth == 0 || form == Form::Unknown) {
            let ahead = trivia(rest).map_or(rest, |(r, _)| r);
            let ends = match form {
                Form::Known => ahead.is_empty() || starts_top_level_form(src, ahead),
                Form::Unknown if depth == 0 => ahead.is_empty() || starts_keyword(ahead),
                // An unknown form is no block whose `}` can be trusted (`foo {` and a backend
                // on the next line).
                Form::Unknown => starts_top_level_form(src, ahead),
            };
            if ends {
                if form == Form::Known {
                    diagnostics.push(form_without_end(src, start, rest));
                }
                return ahead;
            }
        }
        let (next, token) = match coarse_token(rest) {
            Ok(ok) => ok,
            Err(Err::Error(e) | Err::Failure(e)) => {
                diagnostics.push(e.to_diagnostic(src));
                rest = resume_after_lexical_error(e.input);
                continue;
            }
            Err(Err::Incomplete(_)) => ("", Coarse::End),
        };
        match token {
            Coarse::End => {
                if let Some(open) = first_open {
                    diagnostics.push(unclosed_form(src, start, open));
                }
                return next;
            }
            Coarse::Open => {
                if depth == 0 && first_open.is_none() {
                    first_open = Some(src.len() - next.len() - 1);
                }
                depth += 1;
            }
            // A `}` closing nothing: left for the caller to report.
            Coarse::Close if depth == 0 => return rest,
            Coarse::Close => {
                depth -= 1;
                if depth == 0 {
                    return next;
                }
            }
            Coarse::Semicolon if depth == 0 => return next,
            Coarse::Semicolon | Coarse::Other => {}
        }
        rest = next;
    }
}

/// After a broken property: skips to just after the next `;` outside braces, or to just
/// before a `}` that would close the enclosing block, or to the end of input.
pub fn recover_in_block<'a>(
    src: &'a str,
    i: &'a str,
    diagnostics: &mut Vec<Diagnostic>,
) -> &'a str {
    let mut depth = 0usize;
    let mut rest = i;
    loop {
        let ahead = trivia(rest).map_or(rest, |(r, _)| r);
        if depth == 0 && starts_top_level_form(src, ahead) {
            return ahead;
        }
        let (next, token) = match coarse_token(rest) {
            Ok(ok) => ok,
            Err(Err::Error(e) | Err::Failure(e)) => {
                diagnostics.push(e.to_diagnostic(src));
                rest = resume_after_lexical_error(e.input);
                continue;
            }
            Err(Err::Incomplete(_)) => return "",
        };
        match token {
            Coarse::End => return next,
            Coarse::Close if depth == 0 => return trivia(rest).map_or(rest, |(r, _)| r),
            Coarse::Semicolon if depth == 0 => return next,
            Coarse::Open => depth += 1,
            Coarse::Close => depth -= 1,
            Coarse::Semicolon | Coarse::Other => {}
        }
        rest = next;
    }
}

/// Skips a balanced `{ ... }` block starting at `i` (which starts with `{`), without recursion.
pub fn balanced_block<'a>(src: &'a str, i: &'a str, diagnostics: &mut Vec<Diagnostic>) -> &'a str {
    let Some(body) = i.strip_prefix('{') else {
        return i;
    };
    let open = src.len() - i.len();
    let mut depth = 1usize;
    let mut rest = body;
    loop {
        let (next, token) = match coarse_token(rest) {
            Ok(ok) => ok,
            Err(Err::Error(e) | Err::Failure(e)) => {
                diagnostics.push(e.to_diagnostic(src));
                rest = resume_after_lexical_error(e.input);
                continue;
            }
            Err(Err::Incomplete(_)) => return "",
        };
        match token {
            Coarse::End => {
                diagnostics.push(unclosed_form(src, open, open));
                return next;
            }
            Coarse::Open => depth += 1,
            Coarse::Close => {
                depth -= 1;
                if depth == 0 {
                    return next;
                }
            }
            Coarse::Semicolon | Coarse::Other => {}
        }
        rest = next;
    }
}

/// Skips the rest of the line (ended by `\n` or a `\r`: docs/design.md §2.16): `C!` and `W!`
/// markers of generated VCL.
pub fn skip_line(i: &str) -> &str {
    memchr::memchr2(b'\n', b'\r', i.as_bytes()).map_or("", |n| &i[n + 1..])
}

/// Where to go on after a string or comment that never ends: a short string ends its line,
/// anything else runs to the end of the file.
pub fn resume_after_lexical_error(at: &str) -> &str {
    if at.starts_with('"') {
        skip_line(at)
    } else {
        ""
    }
}

/// A top-level form that ends (at the end of file, or where the next form starts) with neither
/// `;` nor a block.
fn form_without_end(src: &str, start: usize, rest: &str) -> Diagnostic {
    let end = src.len() - rest.len();
    let end = start + src[start..end].trim_end().len();
    Diagnostic::error(
        "parse::missing-semicolon",
        "missing `;` at the end of a declaration",
    )
    .with_label(Label::primary(Span::at(end), "expected `;` here"))
    .with_label(Label::secondary(Span::new(start, end), "this declaration"))
    .with_help("end it with `;` (e.g. `import std;`), or give it a `{ ... }` block")
}

pub fn unclosed_form(src: &str, start: usize, open: usize) -> Diagnostic {
    let keyword: String = src[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(40)
        .collect();
    let end = src.trim_end().len();
    Diagnostic::error(
        "parse::missing-brace",
        "missing `}`: the file ends inside a block",
    )
    .with_label(Label::primary(Span::at(end), "the file ends here"))
    .with_label(Label::secondary(
        Span::new(open, open + 1),
        "this `{` is never closed",
    ))
    .with_help(format!("add the `}}` that closes `{keyword}`"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::{blank_line_start, starts_top_level_form};

    /// Where the line holding `at` starts, read forwards: after a `\n`, or after a `\r` that
    /// no `\n` follows.
    pub(crate) fn line_start(src: &str, at: usize) -> usize {
        let bytes = src.as_bytes();
        (1..=at)
            .rev()
            .find(|&p| {
                bytes[p - 1] == b'\n' || (bytes[p - 1] == b'\r' && bytes.get(p) != Some(&b'\n'))
            })
            .unwrap_or(0)
    }

    #[test]
    fn a_blank_line_start_is_the_line_start_read_forwards() {
        let from_line_start = |src: &str, at: usize| {
            let line_start = crate::syntax::skip::tests::line_start(src, at);
            let blank = src[line_start..at].chars().all(char::is_whitespace);
            blank.then_some(line_start)
        };
        for src in [
            "",
            "sub a { sub b { } }\n  sub c { }\n\tsub d\r\n \u{2028} sub e x\n\nsub f",
            "\u{a0}é sub\n\u{a0}sub \n\n",
            "sub a\r  sub b\r\r\n sub c\r\n\rsub d\r",
        ] {
            for at in (0..=src.len()).filter(|&o| src.is_char_boundary(o)) {
                assert_eq!(
                    blank_line_start(src, at),
                    from_line_start(src, at),
                    "{src:?} at {at}"
                );
            }
        }
    }

    #[test]
    fn a_top_level_keyword_counts_only_at_the_start_of_a_line() {
        let src = "x;\n  \t backend a {}\nfoo backend b {}\r\nbackend c {}\nbackends d";
        let at = |needle: &str| starts_top_level_form(src, &src[src.find(needle).unwrap()..]);
        assert!(at("backend a"), "after indentation");
        assert!(!at("backend b"), "after a word on its line");
        assert!(at("backend c"), "after CRLF");
        assert!(!at("backends d"), "a longer word");
        assert!(
            starts_top_level_form("sub x {}", "sub x {}"),
            "at the start of the text"
        );
    }
}
