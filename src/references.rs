//! The backend references of a whole file, found by a token scan (not a statement parser):
//! `set req.backend = X;`, `set bereq.backend = X;`, comparisons with them, director members
//! `.backend = X;`, `backend.X.healthy`, values of `BACKEND` tables, and backend arguments of
//! functions such as `fastly.try_select_shield(ssl_shield_iad_va_us, F_Origin)`. Strings and
//! comments are read whole, so nothing inside them is ever taken for a reference.
//!
//! The scan has two parts, both plain loops: the syntax layer's token stream
//! ([`crate::syntax::tokens`]) cuts the file into coarse tokens (skipping the `backend` and
//! `probe` declarations, which the parser has read already), and [`References::scan`] looks
//! at each name token together with its neighbours, keeping only those few tokens (a
//! `Window`), not all the file's. The same stream gives lint its allow comments
//! ([`References::scan_keeping_comments`]), so that lint reads the text once for both. Nesting is tracked with a brace counter
//! and a stack of open parentheses, never by recursion, so no input can overflow the stack;
//! a file with syntax errors yields what can be found in it.

use std::collections::{HashSet, VecDeque};

use crate::ast::Item;
use crate::span::Span;
use memchr::memmem::Finder;

use crate::syntax::lexical::{is_ident_char, is_ident_start};
use crate::syntax::skip::blank_line_start;
use crate::syntax::tokens::{Kind, Tokens};

pub mod routing;
use routing::{Recorder, Routing};

/// How a name is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `set req.backend = X;` or `set bereq.backend = X;` (or a `BACKEND` local variable)
    Assignment,
    /// `req.backend == X` or `!=` (or a `BACKEND` local variable)
    Comparison,
    /// `.backend = X;` in a director
    DirectorMember,
    /// `backend.X.healthy` and other `backend.X.*` variables
    BackendVariable,
    /// A value in a `table NAME BACKEND { ... }`
    TableValue,
    /// A plain-name argument of a function known to take backends
    BackendArgument,
    /// A plain-name argument of any other module function (counts as a use only)
    OtherArgument,
    /// `.via = X;` in a backend: the proxy backend it connects through (Varnish 7)
    Via,
    /// A plain name inside another expression: a string concatenation (`"a" X`, `X "a"`), the
    /// value assigned to any other variable, an argument of `if(...)`. It may be a backend
    /// (a BACKEND converts to its name) or not (`now`, `true`): a use, never checked
    /// (docs/design.md §2.15).
    Expression,
}

impl RefKind {
    /// Whether the name must be a declared backend (or director): only where VCL needs one.
    pub fn must_resolve(self) -> bool {
        !matches!(self, RefKind::OtherArgument | RefKind::Expression)
    }

    /// Where the name stands, in words ("assigned to `req.backend`", ...), for messages.
    pub fn describe(self) -> &'static str {
        match self {
            RefKind::Assignment => "assigned as the request's backend",
            RefKind::Comparison => "compared with the request's backend",
            RefKind::DirectorMember => "a director member",
            RefKind::BackendVariable => "named in a `backend.NAME.*` variable",
            RefKind::TableValue => "a value of a `BACKEND` table",
            RefKind::BackendArgument => "an argument of a function that takes backends",
            RefKind::OtherArgument => "a function argument",
            RefKind::Via => "the backend a `.via` connects through",
            RefKind::Expression => "named in an expression",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference<'a> {
    pub name: &'a str,
    pub span: Span,
    pub kind: RefKind,
}

/// Names declared by forms other than `backend` (directors can stand where backends do).
#[derive(Debug, Clone, Default)]
pub struct References<'a> {
    pub references: Vec<Reference<'a>>,
    /// `director NAME ...` names, with the span of the name.
    pub directors: Vec<(&'a str, Span)>,
    /// Names of every other declaration (acl, table, sub, penaltybox, ratecounter).
    pub other_names: Vec<&'a str>,
}

/// The variables that hold the backend of a request: Fastly's, and Varnish 4's
/// `req.backend_hint` (Varnish files are linted before they are migrated).
const BACKEND_VARIABLES: &[&str] = &["req.backend", "bereq.backend", "req.backend_hint"];

/// The function whose plain-name arguments must be backends (or shield directors).
const BACKEND_FUNCTIONS: &[&str] = &["fastly.try_select_shield"];

/// Keywords of the declarations whose names are collected.
const DECLARATIONS: &[&str] = &[
    "director",
    "acl",
    "table",
    "sub",
    "penaltybox",
    "ratecounter",
];

impl<'a> References<'a> {
    /// Scans the file: `items` say where the backend and probe declarations are (skipped),
    /// and hold the references made inside them ([`declaration_references`]).
    pub fn scan(src: &'a str, items: &[Item<'a>]) -> Self {
        Self::scan_keeping_comments(src, items, None).0
    }

    /// [`References::scan`], which also returns every comment of the file that holds
    /// `marker` (with its offset, in order), those in the skipped declarations included: one
    /// read of the text gives both (lint's allow comments).
    pub fn scan_keeping_comments(
        src: &'a str,
        items: &[Item<'a>],
        marker: Option<&str>,
    ) -> (Self, Vec<(usize, &'a str)>) {
        let declarations = items.iter().filter_map(declaration_span).collect();
        let inside = items.iter().filter_map(declaration_references).collect();
        Self::scan_around_keeping_comments(src, declarations, inside, marker)
    }

    /// [`References::scan`] given only the spans of the backend and probe declarations (see
    /// [`declaration_span`]), which it skips, and the references made inside them.
    pub fn scan_around(src: &'a str, skipped: Vec<Span>, inside: Vec<Reference<'a>>) -> Self {
        Self::scan_around_keeping_comments(src, skipped, inside, None).0
    }

    /// [`References::scan_around`], keeping the comments that hold `marker` as
    /// [`References::scan_keeping_comments`] does.
    pub fn scan_around_keeping_comments(
        src: &'a str,
        skipped: Vec<Span>,
        inside: Vec<Reference<'a>>,
        marker: Option<&str>,
    ) -> (Self, Vec<(usize, &'a str)>) {
        let (found, comments, _) = Self::scan_all(src, skipped, inside, marker, None);
        (found, comments)
    }

    /// [`References::scan_around`] that also records the file's routing: each statement
    /// selecting a backend with the `if` blocks around it ([`routing`], docs/design.md §6.8).
    pub fn scan_routing(src: &'a str, skipped: Vec<Span>) -> (Self, Routing<'a>) {
        let (found, _, routing) =
            Self::scan_all(src, skipped, Vec::new(), None, Some(Recorder::default()));
        (found, routing.unwrap_or_default())
    }

    fn scan_all(
        src: &'a str,
        mut skipped: Vec<Span>,
        inside: Vec<Reference<'a>>,
        marker: Option<&str>,
        routing: Option<Recorder<'a>>,
    ) -> (Self, Vec<(usize, &'a str)>, Option<Routing<'a>>) {
        skipped.sort_by_key(|s| s.start);
        let mut found = References::default();
        let mut scan = Scan {
            src,
            tokens: Window::new(Lexer::new(src, &skipped, marker)),
            depth: 0,
            calls: Vec::new(),
            table_body: None,
            backend_locals: HashSet::new(),
            routing,
        };
        let mut i = 0;
        while let Some(token) = scan.tokens.advance_to(i) {
            i = scan.step(i, token, &mut found);
        }
        if !inside.is_empty() {
            found.references.extend(inside);
            found.references.sort_by_key(|r| r.span.start);
        }
        debug_assert!(found.references.is_sorted_by_key(|r| r.span.start));
        let routing = scan.routing.take().map(|r| r.routing);
        (
            found,
            std::mem::take(&mut scan.tokens.lexer.comments),
            routing,
        )
    }

    /// The references that start in `range` (they are kept in text order).
    pub fn within(&self, range: std::ops::Range<usize>) -> &[Reference<'a>] {
        let from = self
            .references
            .partition_point(|r| r.span.start < range.start);
        let to = self
            .references
            .partition_point(|r| r.span.start < range.end);
        &self.references[from..to.max(from)]
    }

    /// Whether `name` is used anywhere (a scan of every reference: for one name).
    pub fn uses(&self, name: &str) -> bool {
        self.references.iter().any(|r| r.name == name)
    }

    /// Whether `name` is declared by a `director`.
    pub fn is_director(&self, name: &str) -> bool {
        self.directors.iter().any(|(d, _)| *d == name)
    }
}

/// The reference a backend declaration makes: Varnish's `.via = NAME;`, the backend it
/// connects through (the first `.via`; a second is a duplicate, reported as such).
pub fn declaration_references<'a>(item: &Item<'a>) -> Option<Reference<'a>> {
    let Item::Backend(b) = item else {
        return None;
    };
    let via = b.properties.iter().find(|p| p.name.text == "via")?;
    match via.value.kind {
        crate::ast::ValueKind::Ident(name) if is_plain(name) => Some(Reference {
            name,
            span: via.value.span,
            kind: RefKind::Via,
        }),
        _ => None,
    }
}

/// The span of a backend or probe declaration: text the reference scan skips.
pub fn declaration_span(item: &Item<'_>) -> Option<Span> {
    match item {
        Item::Backend(b) => Some(b.span),
        Item::Probe(p) => Some(p.span),
        Item::Other(_) => None,
    }
}

/// The coarse token kinds the scan needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// An identifier, possibly dotted (`req.http.X-Timer`), or a member name (`.backend`).
    Name,
    /// A number or RTIME (`200`, `1.5s`).
    Number,
    /// A short or long string literal.
    Str,
    Open,
    Close,
    LParen,
    RParen,
    Comma,
    Semicolon,
    Colon,
    /// `=`
    Assign,
    /// `==` or `!=`
    Compare,
    /// Any other character or operator.
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    kind: Tok,
    text: &'a str,
    span: Span,
}

/// `[A-Za-z_][A-Za-z0-9_-]*`: a name that can be a backend's. A `-` is read as part of the
/// name (`web-1`), as the parser reads it, in both dialects: a Varnish name is one reference,
/// and a Fastly file's hyphenated backend (an `invalid-name` error at its declaration) is not
/// also a reference to an undeclared `web`.
fn is_plain(text: &str) -> bool {
    text.starts_with(is_ident_start) && text.chars().all(|c| is_ident_char(c) || c == '-')
}

/// A dotted variable (`req.http.X`, `var.name`), after which a name is concatenated to it.
fn is_variable(text: &str) -> bool {
    !text.starts_with('.') && text.contains('.')
}

/// The syntax layer's tokens as the scan reads them: names and numbers apart, and the
/// operators it looks for (`=`, `==`, `!=`) named. The comments holding the `marker` given,
/// which the scan does not read, are kept for the caller.
struct Lexer<'a, 's> {
    tokens: Tokens<'a, 's>,
    marker: Option<Finder<'s>>,
    comments: Vec<(usize, &'a str)>,
}

impl<'a, 's> Lexer<'a, 's> {
    fn new(src: &'a str, skipped: &'s [Span], marker: Option<&'s str>) -> Self {
        let mut tokens = Tokens::skipping(src, skipped);
        if let Some(marker) = marker {
            tokens = tokens.comments_in_skipped_holding(marker);
        }
        Lexer {
            tokens,
            marker: marker.map(Finder::new),
            comments: Vec::new(),
        }
    }
}

impl<'a> Iterator for Lexer<'a, '_> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let token = self.tokens.next()?;
            let kind = match token.kind {
                Kind::Word if token.text.as_bytes()[0].is_ascii_digit() => Tok::Number,
                Kind::Word => Tok::Name,
                Kind::Str => Tok::Str,
                Kind::Open => Tok::Open,
                Kind::Close => Tok::Close,
                Kind::LParen => Tok::LParen,
                Kind::RParen => Tok::RParen,
                Kind::Comma => Tok::Comma,
                Kind::Semicolon => Tok::Semicolon,
                Kind::Colon => Tok::Colon,
                Kind::Other => match token.text {
                    "=" => Tok::Assign,
                    "==" | "!=" => Tok::Compare,
                    _ => Tok::Other,
                },
                Kind::Comment => {
                    if let Some(marker) = &self.marker
                        && marker.find(token.text.as_bytes()).is_some()
                    {
                        self.comments.push((token.span.start, token.text));
                    }
                    continue;
                }
            };
            return Some(Token {
                kind,
                text: token.text,
                span: token.span,
            });
        }
    }
}

/// The tokens the scan can read: the current one, [`Window::BEHIND`] before it and
/// [`Window::AHEAD`] after it, lexed as the scan goes: keeping every token of the file would
/// cost many times the file's size in memory on a token-dense one.
struct Window<'a, 's> {
    lexer: Lexer<'a, 's>,
    /// Tokens `first..`, in order.
    kept: VecDeque<Token<'a>>,
    first: usize,
}

impl<'a, 's> Window<'a, 's> {
    /// The most tokens the scan reads before the current one (`x = NAME`) ...
    const BEHIND: usize = 2;
    /// ... and after it (`table NAME TYPE {`).
    const AHEAD: usize = 3;

    fn new(lexer: Lexer<'a, 's>) -> Self {
        Window {
            lexer,
            kept: VecDeque::new(),
            first: 0,
        }
    }

    /// Makes token `i` the current one (`i` never goes back); token `i`, if there is one.
    fn advance_to(&mut self, i: usize) -> Option<Token<'a>> {
        while self.first + self.kept.len() <= i + Self::AHEAD {
            let Some(token) = self.lexer.next() else {
                break;
            };
            self.kept.push_back(token);
        }
        while self.first + Self::BEHIND < i && !self.kept.is_empty() {
            self.kept.pop_front();
            self.first += 1;
        }
        self.get(i)
    }

    fn get(&self, i: usize) -> Option<Token<'a>> {
        debug_assert!(i >= self.first, "token {i} is behind the window");
        self.kept.get(i.checked_sub(self.first)?).copied()
    }
}

/// The state of the scan over the tokens.
struct Scan<'s, 'a> {
    src: &'a str,
    tokens: Window<'a, 's>,
    /// Open braces (blocks) around the current token.
    depth: usize,
    /// One entry per open `(`: the kind of its arguments when it opens a module function's
    /// arguments (`std.foo(`), `None` for grouping and other calls.
    calls: Vec<Option<RefKind>>,
    /// The brace depth of the body of a `table NAME BACKEND { ... }` being read.
    table_body: Option<usize>,
    /// Variables declared `declare local var.NAME BACKEND;` so far in the current sub: they
    /// hold backends too. A set, as every assignment and comparison looks a variable up.
    backend_locals: HashSet<&'a str>,
    /// The routing being recorded, when asked ([`References::scan_routing`]).
    routing: Option<Recorder<'a>>,
}

impl<'a> Scan<'_, 'a> {
    fn kind(&self, i: Option<usize>) -> Option<Tok> {
        i.and_then(|i| self.tokens.get(i)).map(|t| t.kind)
    }

    fn text(&self, i: Option<usize>) -> Option<&'a str> {
        i.and_then(|i| self.tokens.get(i)).map(|t| t.text)
    }

    /// Reads `token`, token `i`; returns the index of the next token to read.
    fn step(&mut self, i: usize, token: Token<'a>, found: &mut References<'a>) -> usize {
        match token.kind {
            Tok::Open => {
                self.depth += 1;
                if let Some(r) = &mut self.routing {
                    r.open_brace();
                }
            }
            Tok::Close => {
                self.depth = self.depth.saturating_sub(1);
                if let Some(r) = &mut self.routing {
                    r.close_brace(i);
                }
                if self.table_body.is_some_and(|d| self.depth < d) {
                    self.table_body = None;
                }
                // A local lives in its sub.
                if self.depth == 0 {
                    self.forget_locals();
                }
            }
            Tok::LParen => {
                let callee = self
                    .text(i.checked_sub(1))
                    .filter(|_| self.kind(i.checked_sub(1)) == Some(Tok::Name));
                let kind = callee.and_then(|name| {
                    if BACKEND_FUNCTIONS.contains(&name) {
                        Some(RefKind::BackendArgument)
                    } else if name == "if" {
                        Some(RefKind::Expression)
                    } else if name.contains('.') && !name.starts_with('.') {
                        Some(RefKind::OtherArgument)
                    } else {
                        None
                    }
                });
                self.calls.push(kind);
                self.record_paren(i, token);
            }
            Tok::RParen => {
                self.calls.pop();
                let opens_block = self.kind(Some(i + 1)) == Some(Tok::Open);
                if let Some(r) = &mut self.routing {
                    r.close_paren(token.span, self.calls.len(), opens_block);
                }
            }
            Tok::Comma => {
                if let Some(r) = &mut self.routing {
                    r.comma(self.calls.len());
                }
            }
            Tok::Name => {
                self.backend_local(i, token);
                if let Some(next) = self.declaration(i, token, found) {
                    return next;
                }
                if let Some(reference) = self.reference(i, token) {
                    self.record_reference(i, reference);
                    found.references.push(reference);
                } else if token.text == "else" && self.kind(Some(i + 1)) == Some(Tok::Open) {
                    if let Some(r) = &mut self.routing {
                        r.else_block(i, token.span);
                    }
                }
            }
            _ => {}
        }
        i + 1
    }

    /// `director NAME TYPE {`, `table NAME [TYPE] {`, `acl NAME {`, `sub NAME {`, ...: records
    /// the name and returns where to go on (after the name and type), or `None`. A declaration
    /// is recognised outside any block, or at the start of a line (after a block that lost its
    /// `}`, so that the names declared after it are still found).
    fn declaration(
        &mut self,
        i: usize,
        keyword: Token<'a>,
        found: &mut References<'a>,
    ) -> Option<usize> {
        if !DECLARATIONS.contains(&keyword.text) {
            return None;
        }
        let name = self.tokens.get(i + 1)?;
        if name.kind != Tok::Name || !is_plain(name.text) {
            return None;
        }
        let typed = self.kind(Some(i + 2)) == Some(Tok::Name);
        let open = if typed { i + 3 } else { i + 2 };
        let opens_block = self.kind(Some(open)) == Some(Tok::Open);
        if !(self.depth == 0
            || (opens_block && blank_line_start(self.src, keyword.span.start).is_some()))
        {
            return None;
        }
        match keyword.text {
            "director" => found.directors.push((name.text, name.span)),
            "sub" => {
                // After a sub that lost its `}`, its locals are not this one's.
                self.forget_locals();
                if let Some(r) = &mut self.routing {
                    r.sub(name.text);
                }
                found.other_names.push(name.text);
            }
            "table" => {
                found.other_names.push(name.text);
                let backend_type = typed
                    && self
                        .text(Some(i + 2))
                        .is_some_and(|t| t.eq_ignore_ascii_case("BACKEND"));
                if backend_type && opens_block {
                    self.table_body = Some(self.depth + 1);
                }
            }
            _ => found.other_names.push(name.text),
        }
        Some(if typed { i + 3 } else { i + 2 })
    }

    /// The `(` token `i`, for the routing: a condition's or a shield call's.
    fn record_paren(&mut self, i: usize, paren: Token<'a>) {
        if self.routing.is_none() {
            return;
        }
        let Some(keyword) = i
            .checked_sub(1)
            .and_then(|k| self.tokens.get(k))
            .filter(|t| t.kind == Tok::Name)
        else {
            return;
        };
        let before = i
            .checked_sub(2)
            .and_then(|k| self.tokens.get(k))
            .filter(|t| t.kind == Tok::Name && t.text == "else")
            .map(|t| t.span);
        let depth = self.calls.len();
        if let Some(r) = &mut self.routing {
            r.open_paren(i, (keyword.text, keyword.span), before, paren.span, depth);
        }
    }

    /// A reference, for the routing: an assignment or a shield call's argument.
    fn record_reference(&mut self, i: usize, reference: Reference<'a>) {
        if self.routing.is_none() {
            return;
        }
        let variable = self.text(i.checked_sub(2));
        let depth = self.calls.len();
        let Some(r) = &mut self.routing else {
            return;
        };
        match (reference.kind, variable) {
            (RefKind::Assignment, Some(variable)) => {
                r.assigned(variable, reference.name, reference.span);
            }
            (RefKind::BackendArgument, _) => r.argument(reference.name, reference.span, depth),
            _ => {}
        }
    }

    /// `declare local var.NAME BACKEND`: remembers `var.NAME`.
    fn backend_local(&mut self, i: usize, token: Token<'a>) {
        if token.text == "declare"
            && self.text(Some(i + 1)) == Some("local")
            && self.kind(Some(i + 2)) == Some(Tok::Name)
            && self
                .text(Some(i + 3))
                .is_some_and(|t| t.eq_ignore_ascii_case("BACKEND"))
            && let Some(variable) = self.text(Some(i + 2))
        {
            self.backend_locals.insert(variable);
        }
    }

    /// Forgets the locals of a sub that ended. A new set, not a cleared one: clearing costs
    /// the set's capacity, which one sub with many locals would leave large for every sub
    /// after it.
    fn forget_locals(&mut self) {
        if !self.backend_locals.is_empty() {
            self.backend_locals = HashSet::new();
        }
    }

    /// Whether token `at` is a variable that holds a backend.
    fn holds_backend(&self, at: Option<usize>) -> bool {
        self.text(at)
            .is_some_and(|t| BACKEND_VARIABLES.contains(&t) || self.backend_locals.contains(&t))
    }

    /// The reference that the name token `i` makes, if any.
    fn reference(&self, i: usize, token: Token<'a>) -> Option<Reference<'a>> {
        if let Some(name) = token.text.strip_prefix("backend.") {
            // `backend.NAME.healthy`: the name is the second part, and a third must follow.
            let (name, _) = name.split_once('.')?;
            let start = token.span.start + "backend.".len();
            return is_plain(name).then_some(Reference {
                name,
                span: Span::new(start, start + name.len()),
                kind: RefKind::BackendVariable,
            });
        }
        if !is_plain(token.text) || self.kind(Some(i + 1)) == Some(Tok::LParen) {
            return None;
        }
        let before = |n: usize| i.checked_sub(n);
        let is_backend_variable = |at: Option<usize>| self.holds_backend(at);
        let kind = match (self.kind(before(1)), self.kind(Some(i + 1))) {
            (Some(Tok::Assign), _) if is_backend_variable(before(2)) => RefKind::Assignment,
            (Some(Tok::Assign), _) if self.text(before(2)) == Some(".backend") => {
                RefKind::DirectorMember
            }
            (Some(Tok::Compare), _) if is_backend_variable(before(2)) => RefKind::Comparison,
            (_, Some(Tok::Compare)) if is_backend_variable(Some(i + 2)) => RefKind::Comparison,
            (Some(Tok::Colon), _) if self.table_body == Some(self.depth) => RefKind::TableValue,
            (Some(Tok::LParen | Tok::Comma), Some(Tok::Comma | Tok::RParen)) => {
                (*self.calls.last()?)?
            }
            // docs/design.md §2.15: a name in a string concatenation or another assigned value.
            (Some(Tok::Str | Tok::Assign), _) | (_, Some(Tok::Str)) => RefKind::Expression,
            (Some(Tok::Name), _) if self.text(before(1)).is_some_and(is_variable) => {
                RefKind::Expression
            }
            _ => return None,
        };
        Some(Reference {
            name: token.text,
            span: token.span,
            kind,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The references of `src`, names in other expressions left out (see
    /// [`names_in_expressions`]).
    fn scan_refs(src: &str) -> Vec<(String, RefKind)> {
        every_ref(src)
            .into_iter()
            .filter(|(_, kind)| *kind != RefKind::Expression)
            .collect()
    }

    fn every_ref(src: &str) -> Vec<(String, RefKind)> {
        let (items, _) = crate::syntax::parse(src);
        References::scan(src, &items)
            .references
            .iter()
            .map(|r| (r.name.to_string(), r.kind))
            .collect()
    }

    #[test]
    fn names_in_expressions() {
        let src = "sub vcl_recv {\n  set req.http.A = \"a\" one;\n  set req.http.B = two \"b\";\n  set req.http.C = req.http.W three;\n  set req.http.D = if(req.http.x, four, \"0\");\n  set req.http.E = five;\n  call six;\n  return(seven);\n  esi;\n}\n";
        assert_eq!(
            every_ref(src),
            refs(&[
                ("one", RefKind::Expression),
                ("two", RefKind::Expression),
                ("three", RefKind::Expression),
                ("four", RefKind::Expression),
                ("five", RefKind::Expression),
            ])
        );
        assert!(!RefKind::Expression.must_resolve());
    }

    fn refs(list: &[(&str, RefKind)]) -> Vec<(String, RefKind)> {
        list.iter().map(|(n, k)| (n.to_string(), *k)).collect()
    }

    #[test]
    fn assignments_to_the_backend_variables() {
        let src = "sub vcl_recv {\n  set req.backend = F_origin;\n}\nsub vcl_miss {\n  set bereq.backend=alt;\n}\n";
        assert_eq!(
            scan_refs(src),
            refs(&[
                ("F_origin", RefKind::Assignment),
                ("alt", RefKind::Assignment)
            ])
        );
    }

    #[test]
    fn the_span_is_the_names() {
        let src = "sub vcl_recv { set req.backend = F_origin; }";
        let (items, _) = crate::syntax::parse(src);
        let found = References::scan(src, &items);
        let span = found.references[0].span;
        assert_eq!(&src[span.start..span.end], "F_origin");
    }

    #[test]
    fn comparisons_either_way() {
        let src = "sub vcl_recv {\n  if (req.backend == a && req.backend != b) { }\n  if (c == req.backend) { }\n}\n";
        assert_eq!(
            scan_refs(src),
            refs(&[
                ("a", RefKind::Comparison),
                ("b", RefKind::Comparison),
                ("c", RefKind::Comparison)
            ])
        );
    }

    #[test]
    fn only_plain_names_not_calls_or_dotted_values() {
        let src = "sub vcl_recv {\n  set req.backend = fastly.try_select_shield(ssl_shield_x, F_a);\n  set req.backend = pick(1);\n  set bereq.backend = req.backend;\n  set req.backend.foo = x;\n  set req.http.backend = y;\n  set req.backend += z;\n}\n";
        assert_eq!(
            scan_refs(src),
            refs(&[
                ("ssl_shield_x", RefKind::BackendArgument),
                ("F_a", RefKind::BackendArgument)
            ])
        );
    }

    #[test]
    fn backend_local_variables() {
        let src = "sub vcl_recv {\n  declare local var.chosen BACKEND;\n  declare local var.name STRING;\n  set var.chosen = F_a;\n  set var.name = not_a_backend;\n  if (var.chosen == F_b) { set req.backend = var.chosen; }\n}\n";
        assert_eq!(
            scan_refs(src),
            refs(&[("F_a", RefKind::Assignment), ("F_b", RefKind::Comparison)])
        );
    }

    #[test]
    fn backend_locals_count_from_their_declaration() {
        let src = concat!(
            "sub vcl_recv {\n  set var.b = early;\n  declare local var.b BACKEND;\n",
            "  declare local var.b BACKEND;\n  declare local var.B backend;\n",
            "  set var.b = a;\n  set var.B = b;\n  if (c != var.b) { }\n  set var.c = d;\n}\n",
            // A local lives in its sub: here `var.b` is not declared.
            "sub vcl_miss {\n  set var.b = other_sub;\n}\n",
            "sub vcl_pass {\n  declare local var.b BACKEND;\n  set var.b = declared_again;\n}\n",
            // Nor after a sub that lost its `}`.
            "sub vcl_hit {\n  declare local var.h BACKEND;\n  if (x) {\n",
            "sub vcl_error {\n  set var.h = after_unclosed;\n}\n",
        );
        assert_eq!(
            scan_refs(src),
            refs(&[
                ("a", RefKind::Assignment),
                ("b", RefKind::Assignment),
                ("c", RefKind::Comparison),
                ("declared_again", RefKind::Assignment)
            ])
        );
    }

    #[test]
    fn director_members_and_declarations() {
        let src = "director pool random {\n  .quorum = 50%;\n  { .backend = F_a; .weight = 1; }\n  {\n    .backend=F_b;\n    .weight = 2;\n  }\n}\n";
        let (items, _) = crate::syntax::parse(src);
        let found = References::scan(src, &items);
        assert_eq!(
            found
                .references
                .iter()
                .map(|r| (r.name, r.kind))
                .collect::<Vec<_>>(),
            vec![
                ("F_a", RefKind::DirectorMember),
                ("F_b", RefKind::DirectorMember)
            ]
        );
        assert_eq!(found.directors.len(), 1);
        let (name, span) = found.directors[0];
        assert_eq!(name, "pool");
        assert_eq!(&src[span.start..span.end], "pool");
        assert!(found.is_director("pool"));
    }

    #[test]
    fn backend_variables() {
        let src = "sub vcl_recv {\n  if (!backend.F_a.healthy || backend.b2.connections_open > 5) { }\n  set req.http.x = backend.F_c;\n}\n";
        let (items, _) = crate::syntax::parse(src);
        let found = References::scan(src, &items);
        let names: Vec<_> = found.references.iter().map(|r| (r.name, r.kind)).collect();
        assert_eq!(
            names,
            vec![
                ("F_a", RefKind::BackendVariable),
                ("b2", RefKind::BackendVariable)
            ]
        );
        let span = found.references[0].span;
        assert_eq!(&src[span.start..span.end], "F_a");
    }

    #[test]
    fn backend_table_values_only() {
        let src = "table routes BACKEND {\n  \"/a\": F_a,\n  \"/b\" : F_b,\n  {\"/c\"}:F_c\n}\ntable names {\n  \"x\": \"F_x\",\n}\ntable ids INTEGER { \"y\": 1, }\nsub vcl_recv { set req.http.x = \"a\" F_z; }\n";
        let (items, _) = crate::syntax::parse(src);
        let found = References::scan(src, &items);
        assert_eq!(
            found
                .references
                .iter()
                .map(|r| (r.name, r.kind))
                .collect::<Vec<_>>(),
            vec![
                ("F_a", RefKind::TableValue),
                ("F_b", RefKind::TableValue),
                ("F_c", RefKind::TableValue),
                // In a concatenation: a use, not a table value (docs/design.md §2.15).
                ("F_z", RefKind::Expression)
            ]
        );
        assert_eq!(
            found.other_names,
            vec!["routes", "names", "ids", "vcl_recv"]
        );
    }

    #[test]
    fn function_arguments() {
        let src = "sub vcl_recv {\n  set req.backend = fastly.try_select_shield(ssl_shield_iad_va_us, F_Origin);\n  std.foo(a, b, \"c\", d.e, g(h), (i));\n  if (std.bar(j)) { }\n  call k;\n  return(pass);\n}\n";
        assert_eq!(
            scan_refs(src),
            refs(&[
                ("ssl_shield_iad_va_us", RefKind::BackendArgument),
                ("F_Origin", RefKind::BackendArgument),
                ("a", RefKind::OtherArgument),
                ("b", RefKind::OtherArgument),
                ("j", RefKind::OtherArgument),
            ])
        );
    }

    #[test]
    fn nested_calls_keep_their_own_kind() {
        let src = "sub s { std.foo(fastly.try_select_shield(x, y), z); }";
        assert_eq!(
            scan_refs(src),
            refs(&[
                ("x", RefKind::BackendArgument),
                ("y", RefKind::BackendArgument),
                ("z", RefKind::OtherArgument),
            ])
        );
        assert!(!RefKind::OtherArgument.must_resolve());
        assert!(RefKind::BackendArgument.must_resolve());
    }

    #[test]
    fn varnish_forms() {
        let src = "sub vcl_init {\n  new vdir = directors.round_robin();\n  vdir.add_backend(app1);\n}\nsub vcl_recv {\n  set req.backend_hint = api;\n  set req.backend_hint = vdir.backend();\n}\n";
        assert_eq!(
            scan_refs(src),
            refs(&[
                ("app1", RefKind::OtherArgument),
                ("api", RefKind::Assignment)
            ])
        );
    }

    #[test]
    fn hyphenated_names_are_read_whole() {
        let src = "sub vcl_recv {\n  set req.backend_hint = web-1;\n  if (req.backend == api-v2) { }\n  vdir.add_backend(app-3);\n  set req.http.X-Up = backend.web-1.healthy;\n}\n";
        assert_eq!(
            scan_refs(src),
            refs(&[
                ("web-1", RefKind::Assignment),
                ("api-v2", RefKind::Comparison),
                ("app-3", RefKind::OtherArgument),
                ("web-1", RefKind::BackendVariable),
            ])
        );
    }

    #[test]
    fn a_via_backend_is_a_reference() {
        let src = "vcl 4.1;\nbackend proxy-1 { .host = \"p\"; }\nbackend origin { .host = \"o\"; .via = proxy-1; }\nsub vcl_recv { set req.backend_hint = origin; }\n";
        let (items, _) = crate::syntax::parse(src);
        let found = References::scan(src, &items);
        let refs: Vec<_> = found.references.iter().map(|r| (r.name, r.kind)).collect();
        assert_eq!(
            refs,
            [("proxy-1", RefKind::Via), ("origin", RefKind::Assignment)]
        );
        assert_eq!(
            found.references[0].span.start,
            src.find("proxy-1;").unwrap()
        );
    }

    #[test]
    fn declared_names() {
        let src = "acl office { \"192.0.2.0\"/24; }\npenaltybox pb {}\nratecounter rc {}\nsub vcl_recv { }\ndirector d1 random { }\ndirector d2 fallback { { .backend = F_a; } }\ntable t { }\n";
        let (items, _) = crate::syntax::parse(src);
        let found = References::scan(src, &items);
        assert_eq!(
            found.other_names,
            vec!["office", "pb", "rc", "vcl_recv", "t"]
        );
        assert_eq!(
            found.directors.iter().map(|d| d.0).collect::<Vec<_>>(),
            vec!["d1", "d2"]
        );
    }

    #[test]
    fn backend_and_probe_declarations_are_skipped() {
        let src = "probe p { .request = \"GET / HTTP/1.1\"; }\nbackend F_a {\n  .host = \"example.com\";\n  .probe = p;\n}\nsub vcl_recv { set req.backend = F_a; }\n";
        assert_eq!(scan_refs(src), refs(&[("F_a", RefKind::Assignment)]));
        let (items, _) = crate::syntax::parse(src);
        let found = References::scan(src, &items);
        assert!(found.other_names == vec!["vcl_recv"] && found.directors.is_empty());
        assert!(found.uses("F_a") && !found.uses("p"));
    }

    #[test]
    fn strings_and_comments_hide_look_alikes() {
        let src = concat!(
            "sub vcl_recv {\n",
            "  # set req.backend = in_hash;\n",
            "  // set req.backend = in_slashes;\n",
            "  /* set req.backend = in_block; } */\n",
            "  set req.http.a = \"set req.backend = in_string; }\";\n",
            "  set req.http.b = {\"}\" set req.backend = in_long; \"}\";\n",
            "  set req.http.c = {EOT\"\"} \"} set req.backend = in_heredoc;\"EOT};\n",
            "  set req.http.d = \"# not a comment\"; set req.backend = real;\n",
            "  std.log(\"/* x\"); set req.backend = after;\n",
            "}\n",
            "table t BACKEND { \"k: in_key\": v }\n",
        );
        assert_eq!(
            scan_refs(src),
            refs(&[
                ("real", RefKind::Assignment),
                ("after", RefKind::Assignment),
                ("v", RefKind::TableValue)
            ])
        );
    }

    #[test]
    fn broken_input_does_not_stop_the_scan_early() {
        // A short string that does not end stops at its line.
        let src = "sub vcl_recv {\n  set req.http.x = \"open;\n  set req.backend = a;\n}\n";
        assert_eq!(scan_refs(src), refs(&[("a", RefKind::Assignment)]));
        // A block that lost its `}`: the director after it is still declared.
        let src = "sub vcl_recv {\n  if (x) {\n    set req.backend = d;\n}\ndirector d random { { .backend = b; .weight = 1; } }\n";
        let (items, _) = crate::syntax::parse(src);
        let found = References::scan(src, &items);
        assert!(found.is_director("d"));
        assert!(found.uses("b"));
    }

    #[test]
    fn broken_input_never_panics() {
        for src in [
            "",
            "}",
            "}}}) ) , ;",
            "((((",
            "set req.backend =",
            "set req.backend ==",
            "== req.backend",
            "set req.backend = \"",
            "backend.",
            "backend.x",
            "backend..y",
            ".backend =",
            "director",
            "director d",
            "table t BACKEND",
            "table t BACKEND {",
            "table t BACKEND { \"a\":",
            "fastly.try_select_shield(",
            "fastly.try_select_shield(a",
            "std.foo(a,",
            "/* never ends set req.backend = a;",
            "{\" never ends",
            "{X\" never ends \"Y}",
            "\u{feff}sub vcl_recv { set req.backend = é; }",
            "sub ü { set req.backend = a\u{2028}; }",
            "backend F_a { .host = \"x\"; ",
            "backend F_a { .host = ; } set req.backend = b;",
            "probe p { .url = \"/\"; ",
            "!=!=!==!~==",
        ] {
            let (items, _) = crate::syntax::parse(src);
            let _ = References::scan(src, &items);
        }
    }

    /// Every prefix of a file with every form in it: cut anywhere, the scan still ends.
    #[test]
    fn every_prefix_scans() {
        let src = concat!(
            "backend F_a { .host = \"a\"; .probe = { .request = \"x\"; } }\n",
            "director d random { { .backend = F_a; .weight = 1; } }\n",
            "table t BACKEND { \"k\": F_a, {X\"}\"X}: d }\n",
            "sub vcl_recv { /* c */ # c\n if (req.backend == F_a && backend.F_a.healthy) {\n",
            "  set req.backend = fastly.try_select_shield(ssl_shield_x, F_a); // é\n",
            "  std.foo(\"%22\", d); } }\n",
        );
        for end in (0..=src.len()).filter(|&n| src.is_char_boundary(n)) {
            let text = &src[..end];
            let (items, _) = crate::syntax::parse(text);
            let found = References::scan(text, &items);
            for r in &found.references {
                assert_eq!(&text[r.span.start..r.span.end], r.name);
            }
        }
    }

    #[test]
    fn unterminated_forms_end_the_scan() {
        let src = "sub vcl_recv { set req.backend = a; /* open\n set req.backend = b; }";
        assert_eq!(scan_refs(src), refs(&[("a", RefKind::Assignment)]));
        let src =
            "sub vcl_recv { set req.backend = a; set req.http.x = {\"open\n set req.backend = b; }";
        assert_eq!(scan_refs(src), refs(&[("a", RefKind::Assignment)]));
    }

    #[test]
    fn a_very_deep_nest_is_no_problem() {
        let depth = 200_000;
        let mut src = String::from("sub vcl_recv ");
        src.push_str(&"{".repeat(depth));
        src.push_str(" set req.backend = deep; ");
        src.push_str(&"}".repeat(depth));
        src.push_str("\ndirector after random { }\n");
        let (items, _) = crate::syntax::parse(&src);
        let found = References::scan(&src, &items);
        assert!(found.uses("deep"));
        assert!(found.is_director("after"));

        let parens = format!(
            "sub s {{ std.f{}a{} ; }}",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        let (items, _) = crate::syntax::parse(&parens);
        let _ = References::scan(&parens, &items);

        let unclosed = "{".repeat(depth);
        let (items, _) = crate::syntax::parse(&unclosed);
        assert!(References::scan(&unclosed, &items).references.is_empty());
    }

    #[test]
    fn the_window_holds_the_tokens_around_the_current_one() {
        let src = "a b c /* d */ d e f g # h\n h i j k l m n o p";
        let all: Vec<&str> = Lexer::new(src, &[], None).map(|t| t.text).collect();
        assert_eq!(all.len(), 16);
        for stride in 1..=4 {
            let mut window = Window::new(Lexer::new(src, &[], None));
            for i in (0..all.len()).step_by(stride) {
                assert_eq!(window.advance_to(i).map(|t| t.text), Some(all[i]));
                let readable = i.saturating_sub(Window::BEHIND)..=i + Window::AHEAD;
                for j in readable {
                    assert_eq!(window.get(j).map(|t| t.text), all.get(j).copied());
                }
                assert!(window.kept.len() <= Window::BEHIND + 1 + Window::AHEAD);
            }
            assert_eq!(window.advance_to(all.len()).map(|t| t.text), None);
        }
    }

    /// Declarations nested in a block count only at the start of a line: on one long line
    /// none does, however many there are.
    #[test]
    fn declarations_nested_on_one_long_line() {
        let n = 20_000;
        let mut src = String::from("sub vcl_recv { ");
        for i in 0..n {
            src.push_str(&format!("sub s{i} {{ }} director d{i} random {{ }} "));
        }
        src.push_str("\n  director last random { }\n}\n");
        let (items, _) = crate::syntax::parse(&src);
        let found = References::scan(&src, &items);
        assert_eq!(found.other_names, vec!["vcl_recv"]);
        assert_eq!(
            found.directors.iter().map(|d| d.0).collect::<Vec<_>>(),
            ["last"]
        );
    }

    #[test]
    fn generated_dumps() {
        let src = std::fs::read_to_string("fixtures/parse/ok/generated_current.vcl").unwrap();
        let (items, _) = crate::syntax::parse(&src);
        let found = References::scan(&src, &items);
        assert!(found.is_director("ssl_shield_iad_va_us"));
        for name in [
            "F_Main_Origin",
            "F_API_Origin___v2",
            "F_Image_Store",
            "F_Legacy_HTTP_Origin",
        ] {
            assert!(found.uses(name), "{name}");
        }
        assert!(
            found
                .references
                .iter()
                .any(|r| r.name == "ssl_shield_iad_va_us" && r.kind == RefKind::BackendArgument)
        );
    }

    /// The comments the scan keeps are those a read of the whole text finds, the ones in
    /// the skipped declarations included: every fixture, its comments all allow comments.
    #[test]
    fn the_comments_kept_are_the_whole_texts() {
        use crate::syntax::tokens::{Kind, Tokens};
        let marker = "vcl-backend: allow(";
        let mut stack = vec![std::path::PathBuf::from("fixtures")];
        let mut read = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                if path.extension().is_none_or(|e| e != "vcl") {
                    continue;
                }
                let text = text
                    .replace('#', "# vcl-backend: allow(x) ")
                    .replace("/*", "/* vcl-backend: allow(y) ");
                let (items, _) = crate::syntax::parse(&text);
                let (_, kept) = References::scan_keeping_comments(&text, &items, Some(marker));
                let whole: Vec<_> = Tokens::new(&text)
                    .filter(|t| t.kind == Kind::Comment && t.text.contains(marker))
                    .map(|t| (t.span.start, t.text))
                    .collect();
                assert_eq!(kept, whole, "{}", path.display());
                read += 1;
            }
        }
        assert!(read > 50, "{read}");
    }

    #[test]
    fn an_allow_comment_inside_a_backend_is_kept() {
        let src = "backend a {\n  # vcl-backend: allow(x)\n  .host = \"h\";\n}\n# vcl-backend: allow(y)\nsub s { }\n";
        let (items, _) = crate::syntax::parse(src);
        let (found, kept) =
            References::scan_keeping_comments(src, &items, Some("vcl-backend: allow("));
        assert_eq!(found.other_names, ["s"]);
        let texts: Vec<_> = kept.iter().map(|c| c.1).collect();
        assert_eq!(
            texts,
            ["# vcl-backend: allow(x)", "# vcl-backend: allow(y)"]
        );
        assert!(
            References::scan_keeping_comments(src, &items, None)
                .1
                .is_empty()
        );
    }
}
