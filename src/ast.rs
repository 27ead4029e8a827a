//! The source-side tree: what the VCL says, with a span on every node and literals as written.
//!
//! Nothing here interprets values (units, escapes, ranges): that is [`crate::lower`]'s job, so
//! that lint and migrate can speak about the source exactly as it was written.

use std::borrow::Cow;

use crate::escape::{EscapeError, decode_short_string};
use crate::span::Span;

/// A name with its place in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ident<'a> {
    pub text: &'a str,
    pub span: Span,
}

/// A top-level form of the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Item<'a> {
    Backend(BackendDecl<'a>),
    /// A Varnish named probe: `probe NAME { ... }`.
    Probe(ProbeDecl<'a>),
    /// Any other top-level form (`sub`, `acl`, `table`, `director`, `pragma`, `C!`, ...), skipped.
    Other(OtherForm<'a>),
}

impl Item<'_> {
    /// From the form's first word to its end.
    pub fn span(&self) -> Span {
        match self {
            Item::Backend(b) => b.span,
            Item::Probe(p) => p.span,
            Item::Other(o) => o.span,
        }
    }
}

/// `backend NAME { .prop = value; ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendDecl<'a> {
    pub name: Ident<'a>,
    pub properties: Vec<Property<'a>>,
    /// True when syntax errors inside it were skipped: properties may be missing.
    pub recovered: bool,
    /// Varnish's `backend NAME none;`: a backend that always fails, with no properties.
    pub none: bool,
    /// From `backend` to the closing `}` (or to where the declaration was cut short).
    pub span: Span,
}

/// `probe NAME { .prop = value; ... }` (Varnish).
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeDecl<'a> {
    pub name: Ident<'a>,
    pub properties: Vec<Property<'a>>,
    pub span: Span,
}

/// A skipped top-level form: its first word (`sub`, `acl`, `C!`, ...) and its extent.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherForm<'a> {
    pub keyword: &'a str,
    pub span: Span,
}

/// `.name = value;`
#[derive(Debug, Clone, PartialEq)]
pub struct Property<'a> {
    /// The name without its dot; the span covers the name only.
    pub name: Ident<'a>,
    pub value: Value<'a>,
    /// From the dot to the end of the value (the `;` excluded).
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value<'a> {
    pub kind: ValueKind<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind<'a> {
    /// One or more adjacent string literals, concatenated.
    String(StringValue<'a>),
    /// A number without a unit, as written (`200`, `-5`, `1.5`).
    Number(&'a str),
    /// A relative time, as written.
    Rtime(Rtime<'a>),
    /// A bare identifier: `true`, `false`, `always`, `never`, a probe name.
    Ident(&'a str),
    /// `{ .prop = value; ... }`: only `.probe` takes one.
    Object(Vec<Property<'a>>),
}

impl ValueKind<'_> {
    /// What the value is, in words, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::String(_) => "a string",
            ValueKind::Number(n) if n.contains('.') => "a float",
            ValueKind::Number(_) => "an integer",
            ValueKind::Rtime(_) => "a duration (RTIME)",
            ValueKind::Ident(id) if *id == "true" || *id == "false" => "a boolean",
            ValueKind::Ident(_) => "an identifier",
            ValueKind::Object(_) => "an object `{ ... }`",
        }
    }
}

/// The RTIME units of Fastly VCL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RtimeUnit {
    Milliseconds,
    Seconds,
    Minutes,
    Hours,
    Days,
    Weeks,
    Years,
}

impl RtimeUnit {
    pub fn from_suffix(s: &str) -> Option<Self> {
        Some(match s {
            "ms" => RtimeUnit::Milliseconds,
            "s" => RtimeUnit::Seconds,
            "m" => RtimeUnit::Minutes,
            "h" => RtimeUnit::Hours,
            "d" => RtimeUnit::Days,
            "w" => RtimeUnit::Weeks,
            "y" => RtimeUnit::Years,
            _ => return None,
        })
    }

    /// The unit as written in VCL.
    pub fn suffix(self) -> &'static str {
        match self {
            RtimeUnit::Milliseconds => "ms",
            RtimeUnit::Seconds => "s",
            RtimeUnit::Minutes => "m",
            RtimeUnit::Hours => "h",
            RtimeUnit::Days => "d",
            RtimeUnit::Weeks => "w",
            RtimeUnit::Years => "y",
        }
    }

    /// The unit's length in milliseconds (a year is 365 days, as in Fastly's RTIME).
    pub fn millis(self) -> u128 {
        match self {
            RtimeUnit::Milliseconds => 1,
            RtimeUnit::Seconds => 1_000,
            RtimeUnit::Minutes => 60_000,
            RtimeUnit::Hours => 3_600_000,
            RtimeUnit::Days => 86_400_000,
            RtimeUnit::Weeks => 604_800_000,
            RtimeUnit::Years => 31_536_000_000,
        }
    }
}

/// `1.5s`, `500ms`, `2 m`: the number as written and its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rtime<'a> {
    pub number: &'a str,
    pub unit: RtimeUnit,
    pub unit_span: Span,
}

/// Adjacent string literals. The first is kept inline so that the common single literal
/// allocates nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct StringValue<'a> {
    pub first: StringPart<'a>,
    pub rest: Vec<StringPart<'a>>,
}

impl<'a> StringValue<'a> {
    pub fn parts(&self) -> impl Iterator<Item = &StringPart<'a>> {
        std::iter::once(&self.first).chain(self.rest.iter())
    }

    /// The concatenated value with escapes decoded.
    pub fn decode(&self) -> Result<Cow<'a, str>, EscapeError> {
        if self.rest.is_empty() {
            return self.first.decode();
        }
        let mut out = String::new();
        for part in self.parts() {
            out.push_str(&part.decode()?);
        }
        Ok(Cow::Owned(out))
    }
}

/// One string literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StringPart<'a> {
    /// The text between the delimiters, as written.
    pub raw: &'a str,
    /// The whole literal, delimiters included.
    pub span: Span,
    /// `{"..."}` or `{ID"..."ID}`: no escapes, newlines allowed.
    pub long: bool,
}

impl<'a> StringPart<'a> {
    /// Offset of the first content byte (delimiters of long strings are symmetric).
    pub fn content_start(&self) -> usize {
        if self.long {
            self.span.start + (self.span.len() - self.raw.len()) / 2
        } else {
            self.span.start + 1
        }
    }

    pub fn decode(&self) -> Result<Cow<'a, str>, EscapeError> {
        if self.long {
            Ok(Cow::Borrowed(self.raw))
        } else {
            decode_short_string(self.raw, self.content_start())
        }
    }
}
