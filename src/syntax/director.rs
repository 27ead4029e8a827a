//! `director NAME POLICY { ... }` (docs/design.md §2.20): read only where the `director`
//! keyword was met, from the text of the form the top-level parser skipped (so lexical errors
//! in it are already reported, once). Errors are located and the parser recovers at the next
//! `;` or `}`, so one run reports every problem of a director.

use crate::diagnostic::{Diagnostic, Label};
use crate::span::Span;
use crate::suggest::did_you_mean;
use crate::syntax::Dialect;
use crate::syntax::lexical::{
    hex_digits, hex_integer, hyphenated_ident, ident, long_string, number, short_string, trivia,
};
use crate::syntax::skip::balanced_block;

/// Fastly's director policies.
pub const FASTLY_POLICIES: &[&str] = &["random", "fallback", "hash", "client", "chash", "shield"];

/// Varnish's director policies.
pub const VARNISH_POLICIES: &[&str] =
    &["round-robin", "random", "hash", "fallback", "client", "dns"];

/// Properties of a director itself (every policy's, checked per policy by lint).
pub const DIRECTOR_PROPERTIES: &[&str] = &[
    "quorum",
    "retries",
    "key",
    "seed",
    "vnodes_per_node",
    "shield",
    "is_ssl",
];

/// Varnish's director properties beyond those (its `dns` director's).
pub const VARNISH_DIRECTOR_PROPERTIES: &[&str] = &["quorum", "retries", "list", "ttl", "suffix"];

/// Properties of a member `{ ... }`.
pub const MEMBER_PROPERTIES: &[&str] = &["backend", "weight", "id"];

/// A property's value.
#[derive(Debug, Clone, PartialEq)]
pub enum DirectorValue<'a> {
    /// `50%`.
    Percent(i64),
    Integer(i64),
    Bool(bool),
    /// The text between the quotes.
    Str(&'a str),
    /// A name: a backend, or a keyword (`object`, `client`).
    Ident(&'a str),
    /// `{ ... }`: a Varnish anonymous backend (read by `lower::anonymous`), or a Varnish
    /// `dns` director's `.list`.
    Object,
    /// A number with a unit (`5m`), as written.
    Duration(&'a str),
}

/// `.name = value;`
#[derive(Debug, Clone, PartialEq)]
pub struct DirectorProperty<'a> {
    pub name: &'a str,
    pub name_span: Span,
    pub value: DirectorValue<'a>,
    pub value_span: Span,
}

/// A member `{ .backend = NAME; .weight = N; }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    pub span: Span,
    pub properties: Vec<DirectorProperty<'a>>,
}

impl<'a> Member<'a> {
    /// The value of its property `name`, the first when given twice.
    pub fn get(&self, name: &str) -> Option<&DirectorValue<'a>> {
        get(&self.properties, name)
    }
}

/// A director declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectorDecl<'a> {
    pub name: &'a str,
    pub name_span: Span,
    pub policy: &'a str,
    pub policy_span: Span,
    pub properties: Vec<DirectorProperty<'a>>,
    pub members: Vec<Member<'a>>,
    pub span: Span,
}

impl<'a> DirectorDecl<'a> {
    /// The value of its property `name`, the first when given twice.
    pub fn get(&self, name: &str) -> Option<&DirectorValue<'a>> {
        get(&self.properties, name)
    }
}

fn get<'p, 'a>(
    properties: &'p [DirectorProperty<'a>],
    name: &str,
) -> Option<&'p DirectorValue<'a>> {
    properties.iter().find(|p| p.name == name).map(|p| &p.value)
}

struct Cursor<'a, 'd> {
    src: &'a str,
    rest: &'a str,
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl<'a> Cursor<'a, '_> {
    fn at(&self) -> usize {
        self.src.len() - self.rest.len()
    }

    fn skip_trivia(&mut self) {
        // Lexical errors were reported when the form was skipped.
        self.rest = trivia(self.rest).map_or("", |(rest, ())| rest);
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_trivia();
        match self.rest.strip_prefix(c) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// The next word (hyphens joining words included), with its span.
    fn word(&mut self) -> Option<(&'a str, Span)> {
        self.skip_trivia();
        let start = self.at();
        let (rest, word) = hyphenated_ident(self.rest).ok()?;
        self.rest = rest;
        Some((word, Span::new(start, start + word.len())))
    }

    fn unexpected(&mut self, expected: &str) {
        self.skip_trivia();
        let start = self.at();
        let len = self.rest.chars().next().map_or(0, char::len_utf8);
        let found = if len == 0 {
            "the end of the director".to_owned()
        } else {
            format!("`{}`", &self.rest[..len])
        };
        self.diagnostics.push(
            Diagnostic::error(
                "parse::unexpected-token",
                format!("expected {expected}, found {found}"),
            )
            .with_label(Label::primary(
                Span::new(start, start + len),
                format!("expected {expected}"),
            )),
        );
    }

    /// Skips to after the next `;` or to (not past) the next `}` or `{`, strings and nested
    /// blocks read whole.
    fn recover(&mut self) {
        loop {
            self.skip_trivia();
            let Some(c) = self.rest.chars().next() else {
                return;
            };
            match c {
                ';' => {
                    self.rest = &self.rest[1..];
                    return;
                }
                '}' | '{' if long_string(self.rest).is_err() => return,
                '"' => self.rest = short_string(self.rest).map_or(&self.rest[1..], |(r, _)| r),
                '{' => self.rest = long_string(self.rest).map_or(&self.rest[1..], |(r, _)| r),
                _ => self.rest = &self.rest[c.len_utf8()..],
            }
        }
    }

    /// `.name = value;` after its `.`; `None` after an error (recovered).
    fn property(&mut self, known: &[&str], of: &str) -> Option<DirectorProperty<'a>> {
        let start = self.at();
        let Ok((rest, name)) = ident(self.rest) else {
            self.unexpected("a property name after `.`");
            self.recover();
            return None;
        };
        self.rest = rest;
        let name_span = Span::new(start - 1, start + name.len());
        if !known.contains(&name) {
            let mut d = Diagnostic::error(
                "parse::unknown-property",
                format!("`.{name}` is not a property of a {of}"),
            )
            .with_label(Label::primary(name_span, "unknown property"));
            d = match did_you_mean(name, known.iter().copied()) {
                Some(close) => d.with_help(format!("did you mean `.{close}`?")),
                None => d.with_help(format!(
                    "a {of} takes {}",
                    known
                        .iter()
                        .map(|k| format!("`.{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            self.diagnostics.push(d);
        }
        if !self.eat('=') {
            self.unexpected("`=`");
            self.recover();
            return None;
        }
        self.skip_trivia();
        let value_start = self.at();
        let value = self.value()?;
        let value_span = Span::new(value_start, self.at());
        // An anonymous backend's `}` ends it (`.backend = { ... } .weight = 40;`).
        if !self.eat(';') && value != DirectorValue::Object {
            let end = value_span.end;
            self.diagnostics.push(
                Diagnostic::error(
                    "parse::missing-semicolon",
                    format!("missing `;` after `.{name}`"),
                )
                .with_label(Label::primary(Span::new(end, end), "expected `;` here"))
                .with_help("end each property with `;`"),
            );
        }
        if !known.contains(&name) {
            return None;
        }
        Some(DirectorProperty {
            name,
            name_span,
            value,
            value_span,
        })
    }

    fn value(&mut self) -> Option<DirectorValue<'a>> {
        let i = self.rest;
        if i.starts_with('{') {
            let mut ignored = Vec::new();
            self.rest = balanced_block(self.src, i, &mut ignored);
            return Some(DirectorValue::Object);
        }
        if i.starts_with('"') {
            if let Ok((rest, text)) = short_string(i) {
                self.rest = rest;
                return Some(DirectorValue::Str(text));
            }
        }
        if let Some(Ok((rest, text))) = hex_integer(i) {
            if let Some(n) = hex_digits(text).and_then(|d| i64::from_str_radix(d, 16).ok()) {
                self.rest = rest;
                return Some(DirectorValue::Integer(if text.starts_with('-') {
                    -n
                } else {
                    n
                }));
            }
        }
        if let Ok((rest, digits)) = number(i) {
            if let Ok((after, unit)) = ident(rest) {
                self.rest = after;
                let _ = unit;
                return Some(DirectorValue::Duration(&i[..i.len() - after.len()]));
            }
            let Ok(n) = digits.parse::<i64>() else {
                let start = self.at();
                self.diagnostics.push(
                    Diagnostic::error(
                        "parse::out-of-range",
                        format!("`{digits}` is not a whole number in range"),
                    )
                    .with_label(Label::primary(
                        Span::new(start, start + digits.len()),
                        "here",
                    )),
                );
                self.rest = rest;
                self.recover();
                return None;
            };
            if let Some(rest) = rest.strip_prefix('%') {
                self.rest = rest;
                return Some(DirectorValue::Percent(n));
            }
            self.rest = rest;
            return Some(DirectorValue::Integer(n));
        }
        if let Ok((rest, word)) = hyphenated_ident(i) {
            self.rest = rest;
            return Some(match word {
                "true" => DirectorValue::Bool(true),
                "false" => DirectorValue::Bool(false),
                _ => DirectorValue::Ident(word),
            });
        }
        self.unexpected("a value");
        self.recover();
        None
    }

    /// `{ .backend = ...; ... }` after its `{`.
    fn member(&mut self, open: usize) -> Member<'a> {
        let mut properties = Vec::new();
        loop {
            self.skip_trivia();
            match self.rest.chars().next() {
                None => break,
                Some('}') => {
                    self.rest = &self.rest[1..];
                    break;
                }
                Some('.') => {
                    self.rest = &self.rest[1..];
                    if let Some(p) = self.property(MEMBER_PROPERTIES, "director member") {
                        properties.push(p);
                    }
                }
                Some(_) => {
                    self.unexpected("a member property (`.backend`, `.weight`, `.id`) or `}`");
                    self.recover();
                    if self.rest.starts_with('{') {
                        // Not a nested member: skip it whole.
                        let mut ignored = Vec::new();
                        self.rest = balanced_block(self.src, self.rest, &mut ignored);
                    }
                }
            }
        }
        Member {
            span: Span::new(open, self.at()),
            properties,
        }
    }
}

/// Parses the director form at `span` of `src` (which starts with `director`). `None` when
/// its head (`director NAME POLICY {`) is broken; the problems are pushed on `diagnostics`.
pub fn parse_director<'a>(
    src: &'a str,
    span: Span,
    dialect: Dialect,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<DirectorDecl<'a>> {
    let text = &src[..span.end];
    let mut c = Cursor {
        src: text,
        rest: &text[span.start..],
        diagnostics,
    };
    c.word()?; // `director`
    let Some((name, name_span)) = c.word() else {
        c.unexpected("the director's name");
        return None;
    };
    let Some((policy, policy_span)) = c.word() else {
        c.unexpected("the director's policy (`random`, `hash`, `client`, ...)");
        return None;
    };
    let policies = match dialect {
        Dialect::Fastly => FASTLY_POLICIES,
        Dialect::Varnish => VARNISH_POLICIES,
    };
    if !policies.contains(&policy) {
        let mut d = Diagnostic::error(
            "parse::unknown-policy",
            format!("`{policy}` is not a director policy"),
        )
        .with_label(Label::primary(policy_span, "unknown policy"));
        d = match did_you_mean(policy, policies.iter().copied()) {
            Some(close) => d.with_help(format!("did you mean `{close}`?")),
            None => d.with_help(format!(
                "a director's policy is one of {}",
                policies.join(", ")
            )),
        };
        c.diagnostics.push(d);
    }
    if !c.eat('{') {
        c.unexpected("`{`");
        return None;
    }
    let mut properties = Vec::new();
    let mut members = Vec::new();
    loop {
        c.skip_trivia();
        match c.rest.chars().next() {
            None | Some('}') => break,
            Some('{') => {
                let open = c.at();
                c.rest = &c.rest[1..];
                members.push(c.member(open));
            }
            Some('.') => {
                c.rest = &c.rest[1..];
                let known = match dialect {
                    Dialect::Fastly => DIRECTOR_PROPERTIES,
                    Dialect::Varnish => VARNISH_DIRECTOR_PROPERTIES,
                };
                if let Some(p) = c.property(known, "director") {
                    properties.push(p);
                }
            }
            Some(_) => {
                c.unexpected("a property, a member `{ ... }` or `}`");
                c.recover();
            }
        }
    }
    Some(DirectorDecl {
        name,
        name_span,
        policy,
        policy_span,
        properties,
        members,
        span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<DirectorDecl<'_>>, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let d = parse_director(
            text,
            Span::new(0, text.len()),
            Dialect::Fastly,
            &mut diagnostics,
        );
        (d, diagnostics)
    }

    fn codes(diagnostics: &[Diagnostic]) -> Vec<&str> {
        diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn reads_properties_and_members() {
        let (d, diags) = parse(
            "director d random {\n  .quorum = 50%;\n  .retries = 3;\n  { .backend = F_a; .weight = 2; }\n  { .backend = b; .weight = 1; }\n}",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let d = d.unwrap();
        assert_eq!((d.name, d.policy), ("d", "random"));
        assert_eq!(d.get("quorum"), Some(&DirectorValue::Percent(50)));
        assert_eq!(d.get("retries"), Some(&DirectorValue::Integer(3)));
        assert_eq!(d.members.len(), 2);
        assert_eq!(
            d.members[0].get("backend"),
            Some(&DirectorValue::Ident("F_a"))
        );
        assert_eq!(d.members[1].get("weight"), Some(&DirectorValue::Integer(1)));
    }

    #[test]
    fn reads_chash_and_shield() {
        let (d, diags) = parse(
            "director c chash { .key = object; .seed = 7; .vnodes_per_node = 256; { .backend = a; .id = \"s1\"; } }",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let d = d.unwrap();
        assert_eq!(d.get("key"), Some(&DirectorValue::Ident("object")));
        assert_eq!(d.members[0].get("id"), Some(&DirectorValue::Str("s1")));
        let (d, diags) = parse(
            "director s shield { .shield = \"iad-va-us\"; .is_ssl = true; { .backend = a; .weight = 100; } }",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(d.unwrap().get("is_ssl"), Some(&DirectorValue::Bool(true)));
    }

    #[test]
    fn missing_semicolon_after_a_member_property_is_located_and_recovered() {
        let (d, diags) = parse(
            "director d random { { .backend = a .weight = 1; } { .backend = b; .weight = 1; } }",
        );
        assert_eq!(codes(&diags), ["parse::missing-semicolon"]);
        assert_eq!(d.unwrap().members.len(), 2);
    }

    #[test]
    fn unknown_property_says_did_you_mean_and_parsing_goes_on() {
        let (d, diags) =
            parse("director d random { .qorum = 50%; { .backend = a; .weight = 1; } }");
        assert_eq!(codes(&diags), ["parse::unknown-property"]);
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `.quorum`?"));
        let d = d.unwrap();
        assert!(d.properties.is_empty());
        assert_eq!(d.members.len(), 1);
    }

    #[test]
    fn unknown_policy_is_an_error_with_did_you_mean() {
        let (_, diags) = parse("director d randon { { .backend = a; .weight = 1; } }");
        assert_eq!(codes(&diags), ["parse::unknown-policy"]);
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `random`?"));
    }

    #[test]
    fn varnish_policies_read_under_the_varnish_dialect() {
        let text = "director rr round-robin { { .backend = a; } }";
        let mut diagnostics = Vec::new();
        let d = parse_director(
            text,
            Span::new(0, text.len()),
            Dialect::Varnish,
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(d.unwrap().policy, "round-robin");
        let (_, diags) = parse(text);
        assert_eq!(codes(&diags), ["parse::unknown-policy"]);
    }

    #[test]
    fn varnish_dns_directors_read() {
        let text = "director d dns { .list = { .port = \"80\"; \"192.0.2.0\"/24; } .ttl = 5m; .suffix = \"x.example\"; }";
        let mut diagnostics = Vec::new();
        let d = parse_director(
            text,
            Span::new(0, text.len()),
            Dialect::Varnish,
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let d = d.unwrap();
        assert_eq!(d.get("ttl"), Some(&DirectorValue::Duration("5m")));
        assert_eq!(d.get("list"), Some(&DirectorValue::Object));
    }

    #[test]
    fn hexadecimal_integers_read() {
        let (d, diags) = parse("director d random { { .backend = a; .weight = 0x2; } }");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            d.unwrap().members[0].get("weight"),
            Some(&DirectorValue::Integer(2))
        );
    }

    #[test]
    fn anonymous_backends_are_objects() {
        let (d, diags) = parse(
            "director d random { { .backend = { .host = \"a\"; .port = \"80\"; } .weight = 40; } }",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            d.unwrap().members[0].get("backend"),
            Some(&DirectorValue::Object)
        );
    }

    #[test]
    fn garbage_recovers_at_the_next_semicolon() {
        let (d, diags) =
            parse("director d hash { @@ ; .quorum = 10%; { .backend = a; .weight = 1; } }");
        assert_eq!(codes(&diags), ["parse::unexpected-token"]);
        let d = d.unwrap();
        assert_eq!(d.get("quorum"), Some(&DirectorValue::Percent(10)));
        assert_eq!(d.members.len(), 1);
    }
}
