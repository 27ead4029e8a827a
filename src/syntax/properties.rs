//! Property lists: the `{ .name = value; ... }` bodies of backends and probes, and values.
//!
//! A broken property is reported and skipped (to its `;` or the closing `}`), so one mistake
//! does not hide the next. A missing `;` before the next property is reported and assumed.

use nom::Err;
use nom::error::{ContextError, ErrorKind, ParseError};

use crate::ast::{Ident, Property, Rtime, StringPart, StringValue, Value, ValueKind};
use crate::diagnostic::{Diagnostic, Label};
use crate::span::Span;
use crate::syntax::error::SyntaxError;
use crate::syntax::lexical::{
    PResult, hex_integer, hyphenated_ident, ident, long_string, number, opens_long_string,
    rtime_unit, short_string, trivia,
};
use crate::syntax::skip::{
    self, balanced_block, recover_in_block, resume_after_lexical_error, starts_top_level_form,
};

/// The parsing context every rule needs: the whole source (for spans) and the diagnostics.
pub struct Cx<'a, 'd> {
    pub src: &'a str,
    pub diagnostics: &'d mut Vec<Diagnostic>,
    /// How long the next property list at each nesting level is made, and emptied lists to
    /// make it in.
    pub lists: &'d mut Lists<'a>,
    /// The dialect names are checked in.
    pub dialect: crate::syntax::Dialect,
}

/// Property lists at each nesting level (a backend's, its probe's).
#[derive(Debug, Default)]
pub struct Lists<'a> {
    /// How long the next list is made: the longest of the last eight, as declarations in a
    /// file tend to be alike, so a list costs one allocation and no copy instead of a growing
    /// vector's several. The longest, not the last: files mix a few kinds of declaration, and
    /// a list that outgrows its room is copied, while one cut to size mostly shrinks in place.
    sizes: [RecentLengths; 2],
    /// A list given back emptied ([`crate::syntax::Parser::recycle`]): the next one is made
    /// in it, without an allocation, in memory still in cache.
    spare: [Option<Vec<Property<'a>>>; 2],
    /// The parts of a string value of more than one literal, given back emptied.
    spare_parts: Option<Vec<StringPart<'a>>>,
}

impl<'a> Lists<'a> {
    /// An empty list for `level`, and whether it is new (a spare one is not cut to size: it
    /// is going to come back).
    fn take(&mut self, level: usize) -> (Vec<Property<'a>>, bool) {
        let room = self.sizes[level].guess();
        match self.spare[level].take() {
            Some(list) if list.capacity() >= room => (list, false),
            _ => (Vec::with_capacity(room), true),
        }
    }

    /// Takes back the list of a declaration, and the lists of the objects in it, emptied.
    pub fn keep(&mut self, mut list: Vec<Property<'a>>) {
        for property in &mut list {
            match &mut property.value.kind {
                ValueKind::Object(inner) => {
                    // Objects nest one level: a probe's properties are never objects.
                    for property in inner.iter_mut() {
                        self.keep_parts(&mut property.value.kind);
                    }
                    let mut inner = std::mem::take(inner);
                    inner.clear();
                    self.spare[1] = Some(inner);
                }
                kind => self.keep_parts(kind),
            }
        }
        list.clear();
        self.spare[0] = Some(list);
    }

    fn keep_parts(&mut self, kind: &mut ValueKind<'a>) {
        if let ValueKind::String(s) = kind {
            if s.rest.capacity() > 0 {
                let mut parts = std::mem::take(&mut s.rest);
                parts.clear();
                self.spare_parts = Some(parts);
            }
        }
    }
}

/// The lengths of the last few property lists at one level.
#[derive(Debug, Default, Clone, Copy)]
pub struct RecentLengths {
    lengths: [usize; 8],
    next: usize,
}

impl RecentLengths {
    /// The room to make for the next list: the longest of the last eight.
    pub fn guess(&self) -> usize {
        self.lengths.iter().copied().max().unwrap_or(0)
    }

    pub fn record(&mut self, length: usize) {
        self.lengths[self.next % self.lengths.len()] = length;
        self.next = self.next.wrapping_add(1);
    }
}

impl<'a> Cx<'a, '_> {
    /// Byte offset of a rest-of-input slice.
    pub fn offset(&self, rest: &str) -> usize {
        self.src.len() - rest.len()
    }

    pub fn span(&self, from: &str, to: &str) -> Span {
        Span::new(self.offset(from), self.offset(to))
    }

    pub fn report(&mut self, error: SyntaxError<'a>) {
        self.diagnostics.push(error.to_diagnostic(self.src));
    }
}

/// The end of a property list.
pub struct PropertyList<'a> {
    pub properties: Vec<Property<'a>>,
    /// After the closing `}` (or where parsing stopped).
    pub rest: &'a str,
}

/// Parses properties up to the `}` that closes a block; `i` is just after its `{`, which is at
/// `open`. `nested` is true inside a probe, where object values are not parsed further.
pub fn property_list<'a>(
    cx: &mut Cx<'a, '_>,
    i: &'a str,
    open: Span,
    nested: bool,
) -> PropertyList<'a> {
    let level = usize::from(nested);
    let (mut properties, new) = cx.lists.take(level);
    let (rest, _closed) = read_properties(cx, i, open, nested, &mut properties);
    cx.lists.sizes[level].record(properties.len());
    // A tree may be kept whole (lint): a new list that grew by doubling, or came out much
    // shorter than the last, is cut to size; a little room is cheaper than a reallocation.
    if new && properties.capacity() - properties.len() > properties.len() / 4 {
        properties.shrink_to_fit();
    }
    PropertyList { properties, rest }
}

/// The loop of [`property_list`]: pushes each property onto `properties` and returns where
/// the block ends and whether its `}` was found.
fn read_properties<'a>(
    cx: &mut Cx<'a, '_>,
    i: &'a str,
    open: Span,
    nested: bool,
    properties: &mut Vec<Property<'a>>,
) -> (&'a str, bool) {
    let mut rest = i;
    loop {
        rest = match trivia(rest) {
            Ok((r, _)) => r,
            Err(Err::Error(e) | Err::Failure(e)) => {
                cx.report(e);
                return ("", false);
            }
            Err(Err::Incomplete(_)) => "",
        };
        if rest.is_empty() {
            let last = cx.src.trim_end();
            cx.diagnostics.push(missing_brace(
                cx,
                &cx.src[last.len()..],
                open,
                "the file ends here",
            ));
            return (rest, false);
        }
        if let Some(after) = rest.strip_prefix('}') {
            return (after, true);
        }
        if !rest.starts_with('.') {
            if let Some(after) = rest.strip_prefix('\u{feff}') {
                // docs/design.md §2.13: reported, and the property after it read on.
                let at = cx.offset(rest);
                cx.diagnostics.push(crate::syntax::byte_order_mark(at));
                rest = after;
                continue;
            }
            if let Ok((_, word)) = ident(rest) {
                if skip::TOP_LEVEL_KEYWORDS.contains(&word) {
                    let d = missing_brace(cx, rest, open, "a new declaration starts here");
                    cx.diagnostics.push(d);
                    return (rest, false);
                }
            }
            cx.report(SyntaxError::expected(
                rest,
                "a property such as `.host` or `}`",
            ));
            rest = recover_in_block(cx.src, rest, cx.diagnostics);
            continue;
        }
        match property(cx, rest, nested) {
            Ok((after, prop)) => {
                let is_object = matches!(prop.value.kind, ValueKind::Object(_));
                properties.push(prop);
                rest = end_of_property(cx, after, is_object);
            }
            Err(Err::Error(e) | Err::Failure(e)) => {
                let resume = rest_after_error(rest, &e);
                let lexical = e.kind.is_lexical();
                cx.report(e);
                // After a string that never ends, the next line is a fresh start.
                rest = if lexical {
                    resume
                } else {
                    recover_in_block(cx.src, resume, cx.diagnostics)
                };
            }
            Err(Err::Incomplete(_)) => rest = "",
        }
    }
}

/// Where to resume after a broken property: past a string or comment that never ends (so it
/// is not reported twice), else at the error, or one character on so recovery always advances.
fn rest_after_error<'a>(start: &'a str, e: &SyntaxError<'a>) -> &'a str {
    if e.kind.is_lexical() {
        resume_after_lexical_error(e.input)
    } else if e.input.len() < start.len() {
        e.input
    } else {
        &start[1..]
    }
}

/// After a value: the `;` (optional after an object), or a reported missing `;` when the next
/// property or the end of the block follows.
fn end_of_property<'a>(cx: &mut Cx<'a, '_>, after_value: &'a str, is_object: bool) -> &'a str {
    let Ok((next, _)) = trivia(after_value) else {
        return after_value;
    };
    if let Some(rest) = next.strip_prefix(';') {
        return rest;
    }
    if is_object {
        return next;
    }
    let at = cx.offset(after_value);
    let d = Diagnostic::error("parse::missing-semicolon", "missing `;` after a property")
        .with_label(Label::primary(Span::at(at), "expected `;` here"))
        .with_help("every property ends with `;`, e.g. `.port = \"443\";`");
    cx.diagnostics.push(d);
    if next.starts_with('.') || next.starts_with('}') || starts_top_level_form(cx.src, next) {
        next
    } else {
        recover_in_block(cx.src, next, cx.diagnostics)
    }
}

fn missing_brace(cx: &Cx<'_, '_>, at: &str, open: Span, what: &str) -> Diagnostic {
    let at = cx.offset(at);
    Diagnostic::error("parse::missing-brace", "missing `}` to close the block")
        .with_label(Label::primary(Span::at(at), what.to_string()))
        .with_label(Label::secondary(open, "this `{` is never closed"))
        .with_help("add `}` after the last property")
}

/// `.name = value` (the `;` is the caller's).
pub fn property<'a>(cx: &mut Cx<'a, '_>, i: &'a str, nested: bool) -> PResult<'a, Property<'a>> {
    let start = i;
    let Some(i) = i.strip_prefix('.') else {
        return Err(Err::Error(SyntaxError::from_error_kind(i, ErrorKind::Char)));
    };
    let (after_name, name) = ident(i).map_err(|_| {
        // Point past any white space, at what stands where the name should.
        let at = trivia(i).map_or(i, |(r, _)| r);
        Err::Failure(SyntaxError::expected(at, "a property name after `.`"))
    })?;
    let name = Ident {
        text: name,
        span: cx.span(i, after_name),
    };
    let (i, _) = trivia(after_name)?;
    let Some(i) = i.strip_prefix('=') else {
        return Err(Err::Failure(SyntaxError::expected(
            i,
            "`=` after the property name",
        )));
    };
    let (i, _) = trivia(i)?;
    let (rest, value) = value(cx, i, nested)?;
    Ok((
        rest,
        Property {
            name,
            span: cx.span(start, rest),
            value,
        },
    ))
}

/// A property's value: strings, an object, a number or RTIME, or an identifier.
pub fn value<'a>(cx: &mut Cx<'a, '_>, i: &'a str, nested: bool) -> PResult<'a, Value<'a>> {
    const EXPECTED: &str = "a value (a string, number, duration, `true`/`false` or a name)";
    let src = cx.src;
    // One byte decides which rule applies, so no alternative is tried and thrown away.
    let (rest, kind) = match i.as_bytes().first() {
        Some(b'{') if !opens_long_string(i) => object(cx, i, nested),
        Some(b'"' | b'{') => {
            let (rest, s) = string_value_in(src, i, &mut cx.lists.spare_parts)?;
            (rest, ValueKind::String(s))
        }
        Some(b'-' | b'0'..=b'9') => expecting(i, EXPECTED, number_or_rtime(src, i))?,
        Some(_) => {
            let (rest, word) = expecting(i, EXPECTED, hyphenated_ident(i))?;
            (rest, ValueKind::Ident(word))
        }
        None => return Err(Err::Failure(SyntaxError::expected(i, EXPECTED))),
    };
    Ok((
        rest,
        Value {
            kind,
            span: cx.span(i, rest),
        },
    ))
}

/// What `cut(context(what, ...))` makes of a result: any error is final and names `what`.
fn expecting<'a, T>(i: &'a str, what: &'static str, result: PResult<'a, T>) -> PResult<'a, T> {
    result.map_err(|e| match e {
        Err::Error(e) | Err::Failure(e) => Err::Failure(SyntaxError::add_context(i, what, e)),
        incomplete => incomplete,
    })
}

/// `{ ... }` as a value. Only one level is parsed: inside a probe, an object is skipped whole
/// (and reported by lowering as a wrong type), so nesting can never deepen recursion.
fn object<'a>(cx: &mut Cx<'a, '_>, i: &'a str, nested: bool) -> (&'a str, ValueKind<'a>) {
    if nested {
        return (
            balanced_block(cx.src, i, cx.diagnostics),
            ValueKind::Object(Vec::new()),
        );
    }
    let open = Span::new(cx.offset(i), cx.offset(i) + 1);
    let block = property_list(cx, &i[1..], open, true);
    (block.rest, ValueKind::Object(block.properties))
}

/// One string literal, short or long.
pub fn string_part<'a>(src: &'a str, i: &'a str) -> PResult<'a, StringPart<'a>> {
    let long = i.starts_with('{');
    let (rest, raw) = if long {
        long_string(i)?
    } else {
        short_string(i)?
    };
    let span = Span::new(src.len() - i.len(), src.len() - rest.len());
    Ok((rest, StringPart { raw, span, long }))
}

/// Adjacent string literals: `"a" "b"` is `"ab"`.
#[cfg(test)] // The parser reads them through `string_value_in`, with its spare list.
pub fn string_value<'a>(src: &'a str, i: &'a str) -> PResult<'a, StringValue<'a>> {
    string_value_in(src, i, &mut None)
}

/// [`string_value`], keeping the parts after the first in `spare` when there are any.
fn string_value_in<'a>(
    src: &'a str,
    i: &'a str,
    spare: &mut Option<Vec<StringPart<'a>>>,
) -> PResult<'a, StringValue<'a>> {
    let (mut rest, first) = string_part(src, i)?;
    let mut more = Vec::new();
    loop {
        let (after_trivia, _) = trivia(rest)?;
        if !(after_trivia.starts_with('"') || after_trivia.starts_with('{')) {
            break;
        }
        match string_part(src, after_trivia) {
            Ok((after, part)) => {
                if more.capacity() == 0 {
                    more = spare.take().unwrap_or_default();
                }
                more.push(part);
                rest = after;
            }
            Err(Err::Error(_)) => break,
            Err(e) => return Err(e),
        }
    }
    Ok((rest, StringValue { first, rest: more }))
}

/// A number, with an RTIME unit if one follows, or a hexadecimal INTEGER.
pub fn number_or_rtime<'a>(src: &'a str, i: &'a str) -> PResult<'a, ValueKind<'a>> {
    let (after_number, text) = number(i)?;
    // `0x...` reads as the number `0` followed by a word: looked for only then, so that
    // decimal numbers pay one comparison for it.
    if after_number.as_bytes().first().map(|b| b | 0x20) == Some(b'x') {
        if let Some(hex) = hex_integer(i) {
            return hex.map(|(rest, text)| (rest, ValueKind::Number(text)));
        }
    }
    let (rest, unit) = rtime_unit(after_number)?;
    Ok(match unit {
        Some((unit, word)) => {
            let end = src.len() - rest.len();
            let unit_span = Span::new(end - word.len(), end);
            (
                rest,
                ValueKind::Rtime(Rtime {
                    number: text,
                    unit,
                    unit_span,
                }),
            )
        }
        None => (rest, ValueKind::Number(text)),
    })
}
