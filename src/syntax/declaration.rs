//! The declarations we model: `backend NAME { ... }` and Varnish's `probe NAME { ... }`.

use nom::bytes::complete::take_till1;
use nom::{Err, Parser};

use crate::ast::{BackendDecl, Ident, ProbeDecl, Property};
use crate::diagnostic::{Diagnostic, Label};
use crate::span::Span;
use crate::syntax::error::SyntaxError;
use crate::syntax::lexical::{at_word_boundary, ident_run, is_ident_char, is_ident_start, trivia};
use crate::syntax::properties::{Cx, property_list};
use crate::syntax::skip::skip_form;

/// What a declaration parsed to.
pub struct Declared<'a> {
    pub name: Ident<'a>,
    pub properties: Vec<Property<'a>>,
    pub span: Span,
    pub recovered: bool,
    /// Varnish's `backend NAME none;`.
    pub none: bool,
}

/// `backend NAME { properties }`; `i` starts just after the keyword.
pub fn backend_decl<'a>(
    cx: &mut Cx<'a, '_>,
    start: &'a str,
    i: &'a str,
) -> Result<BackendDecl<'a>, &'a str> {
    named_block(cx, start, i, "backend").map(|d| BackendDecl {
        name: d.name,
        properties: d.properties,
        recovered: d.recovered,
        none: d.none,
        span: d.span,
    })
}

/// `probe NAME { properties }` (Varnish); `i` starts just after the keyword.
pub fn probe_decl<'a>(
    cx: &mut Cx<'a, '_>,
    start: &'a str,
    i: &'a str,
) -> Result<ProbeDecl<'a>, &'a str> {
    named_block(cx, start, i, "probe").map(|d| ProbeDecl {
        name: d.name,
        properties: d.properties,
        span: d.span,
    })
}

/// `KEYWORD NAME { properties }`. On a header that cannot be read, the form is reported and
/// skipped, and `Err(rest)` says where to go on.
fn named_block<'a>(
    cx: &mut Cx<'a, '_>,
    start: &'a str,
    i: &'a str,
    keyword: &'static str,
) -> Result<Declared<'a>, &'a str> {
    let header = (|| {
        let (i, _) = trivia(i)?;
        let (after_name, name) = name_token(i)?;
        let (i, _) = trivia(after_name)?;
        Ok::<_, Err<SyntaxError<'a>>>((name, after_name, i))
    })();
    let (name, after_name, i) = match header {
        Ok(ok) => ok,
        Err(Err::Error(e) | Err::Failure(e)) => {
            cx.report(e);
            return Err(skip_form(cx.src, i, cx.diagnostics));
        }
        Err(Err::Incomplete(_)) => return Err(""),
    };
    let name_end = cx.offset(after_name);
    let name = Ident {
        text: name,
        span: Span::new(name_end - name.len(), name_end),
    };
    check_name(cx, name, keyword);
    let Some(body) = i.strip_prefix('{') else {
        if keyword == "backend" && cx.dialect.is_varnish() {
            if let Some(rest) = none_body(i) {
                return Ok(Declared {
                    name,
                    properties: Vec::new(),
                    span: Span::new(cx.offset(start), cx.offset(rest)),
                    recovered: false,
                    none: true,
                });
            }
        }
        cx.report(SyntaxError::expected(i, "`{` to open the declaration"));
        return Err(skip_form(cx.src, i, cx.diagnostics));
    };
    let open = Span::new(cx.offset(i), cx.offset(i) + 1);
    let errors_before = cx.diagnostics.len();
    let block = property_list(cx, body, open, false);
    let end = cx.offset(block.rest);
    Ok(Declared {
        name,
        properties: block.properties,
        span: Span::new(cx.offset(start), end),
        recovered: cx.diagnostics.len() > errors_before,
        none: false,
    })
}

/// `none ;` after a Varnish backend's name (Varnish 6.4 and later: a backend that always
/// fails, for files whose backends come from VMODs): where the declaration ends.
fn none_body(i: &str) -> Option<&str> {
    let after = i.strip_prefix("none")?;
    if !at_word_boundary(after) {
        return None;
    }
    let (after, _) = trivia(after).ok()?;
    after.strip_prefix(';')
}

/// A declaration name: a run of characters up to white space, `{` or a comment.
fn name_token(i: &str) -> crate::syntax::lexical::PResult<'_, &str> {
    // Most names are identifiers followed by white space or `{`: the same token, read by
    // bytes instead of by decoded characters.
    let bytes = i.as_bytes();
    let len = ident_run(bytes);
    if len > 0
        && matches!(
            bytes.get(len),
            None | Some(b' ' | b'\t' | b'\r' | b'\n' | b'{')
        )
    {
        return Ok((&i[len..], &i[..len]));
    }
    name_token_by_chars(i)
}

/// [`name_token`] for any name.
fn name_token_by_chars(i: &str) -> crate::syntax::lexical::PResult<'_, &str> {
    let (_, run) =
        take_till1(|c: char| c.is_whitespace() || matches!(c, '{' | '}' | ';' | '"' | '#'))
            .parse_complete(i)
            .map_err(|_: Err<SyntaxError>| {
                Err::Error(SyntaxError::expected(i, "a name after the keyword"))
            })?;
    // A comment may follow the name without a space.
    let bytes = run.as_bytes();
    let len = (0..bytes.len())
        .find(|&n| bytes[n] == b'/' && matches!(bytes.get(n + 1), Some(b'*' | b'/')))
        .unwrap_or(run.len());
    if len == 0 {
        return Err(Err::Error(SyntaxError::expected(
            i,
            "a name after the keyword",
        )));
    }
    Ok((&i[len..], &i[..len]))
}

/// Names are `[A-Za-z_][A-Za-z0-9_]*`, and may hold `-` in Varnish: anything else is
/// reported, and parsing goes on with the whole name.
fn check_name(cx: &mut Cx<'_, '_>, name: Ident<'_>, keyword: &str) {
    let varnish = cx.dialect.is_varnish();
    if let Some(d) = invalid_name(name.text, name.span, keyword, varnish) {
        cx.diagnostics.push(d);
    }
}

/// The `parse::invalid-name` error of a declaration's name (`keyword`: what it names), `None`
/// for a valid one: `[A-Za-z_][A-Za-z0-9_]*`, and in Varnish `-` too.
pub(crate) fn invalid_name(
    text: &str,
    span: Span,
    keyword: &str,
    varnish: bool,
) -> Option<Diagnostic> {
    // By bytes first: almost every name is `[A-Za-z0-9_]+` throughout.
    let plain = ident_run(text.as_bytes()) == text.len();
    let valid = text.starts_with(is_ident_start)
        && (plain
            || text
                .chars()
                .all(|c| is_ident_char(c) || (varnish && c == '-')));
    if valid {
        return None;
    }
    let suggestion: String = text
        .chars()
        .map(|c| {
            if is_ident_char(c) || (varnish && c == '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let suggestion = if suggestion.starts_with(is_ident_start) {
        suggestion
    } else {
        format!("_{suggestion}")
    };
    Some(
        Diagnostic::error(
            "parse::invalid-name",
            format!("`{text}` is not a valid {keyword} name"),
        )
        .with_label(Label::primary(span, "not a VCL identifier"))
        .with_help(invalid_name_help(text, &suggestion, varnish)),
    )
}

/// How to fix a name: in a Fastly file, a name that would be a Varnish one may mean the file
/// is Varnish VCL.
pub(crate) fn invalid_name_help(name: &str, suggestion: &str, varnish: bool) -> String {
    let varnish_name =
        name.starts_with(is_ident_start) && name.chars().all(|c| is_ident_char(c) || c == '-');
    if varnish {
        format!(
            "names are letters, digits, `_` and `-`, starting with a letter or `_`: try `{suggestion}`"
        )
    } else if varnish_name {
        format!(
            "Fastly names are letters, digits and `_`: try `{suggestion}` (or, for Varnish VCL, `--dialect varnish`)"
        )
    } else {
        format!("names are letters, digits and `_`, not starting with a digit: try `{suggestion}`")
    }
}

#[cfg(test)]
mod tests {
    use super::{name_token, name_token_by_chars};

    proptest::proptest! {
        #![proptest_config(crate::test_support::cases(256))]

        /// The byte-wise reading of common names is the same token as the general one.
        #[test]
        fn names_read_by_bytes_are_the_tokens_read_by_characters(
            i in "[a-zA-Z0-9_]{0,6}[ \t\r\n{}/*#;\"é\u{a0}a-z0-9_]{0,4}[a-z]{0,3}"
        ) {
            let fast = name_token(&i).map(|(rest, name)| (rest.len(), name.to_string()));
            let general = name_token_by_chars(&i).map(|(rest, name)| (rest.len(), name.to_string()));
            proptest::prop_assert_eq!(fast.ok(), general.ok());
        }
    }
}
