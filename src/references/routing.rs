//! The routing of a file, recorded during the reference scan when asked
//! ([`super::References::scan_routing`]): each statement that selects a backend (an assignment
//! to a backend variable, a `fastly.try_select_shield(DIRECTOR, BACKEND)`) with the innermost
//! `if`, `else if` or `else` block around it. Blocks are a stack of indices, each guard knows its
//! parent and the branch before it, so the whole condition of a statement is found by walking
//! up, never by reading the text again (docs/design.md §6.8).

use crate::span::Span;

/// Which branch of an `if` a guard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Branch {
    If,
    /// `else if`, `elseif`, `elsif`: taken when the branches before it were not.
    ElseIf,
    /// `else`: taken when no branch before it was.
    Else,
}

/// An `if (COND) {`, `else if (COND) {` or `else {` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guard {
    pub branch: Branch,
    /// From the keyword to the condition's `)` (to the `else` for an `else`).
    pub head: Span,
    /// The text between the condition's brackets; `None` for an `else`.
    pub condition: Option<Span>,
    /// The guard whose block holds this one.
    pub parent: Option<u32>,
    /// The branch just before this one in its chain (for `else if` and `else`).
    pub previous: Option<u32>,
}

/// How a statement selects its backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selects<'a> {
    /// `set VARIABLE = BACKEND;`
    Assigned { variable: &'a str },
    /// `fastly.try_select_shield(DIRECTOR, BACKEND)`; the director when it is a plain name.
    Shield { director: Option<(&'a str, Span)> },
}

/// A statement that selects a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection<'a> {
    pub backend: &'a str,
    /// The backend's name in the statement.
    pub span: Span,
    pub selects: Selects<'a>,
    /// The innermost guard around the statement.
    pub guard: Option<u32>,
    /// The sub the statement is in.
    pub sub: Option<&'a str>,
}

/// The routing of a file, in text order.
#[derive(Debug, Clone, Default)]
pub struct Routing<'a> {
    pub guards: Vec<Guard>,
    pub selections: Vec<Selection<'a>>,
}

impl Routing<'_> {
    pub fn guard(&self, index: u32) -> Option<&Guard> {
        self.guards.get(index as usize)
    }
}

/// A condition's brackets being read.
struct OpenCondition {
    /// The number of open brackets once its `(` is open.
    depth: usize,
    branch: Branch,
    head_start: usize,
    condition_start: usize,
    previous: Option<u32>,
}

/// A `fastly.try_select_shield(` being read.
struct ShieldCall<'a> {
    depth: usize,
    argument: usize,
    director: Option<(&'a str, Span)>,
}

/// The state the scan keeps for the routing: fed every token it reads.
#[derive(Default)]
pub(super) struct Recorder<'a> {
    pub routing: Routing<'a>,
    /// Per open brace: the innermost guard inside it, and whether the brace opened it.
    blocks: Vec<(Option<u32>, bool)>,
    conditions: Vec<OpenCondition>,
    /// A condition just closed with `{` next (or an `else {`): the guard that `{` opens.
    pending: Option<Guard>,
    /// The guard block that just closed, and the index of the token after its `}`.
    closed: Option<(u32, usize)>,
    shields: Vec<ShieldCall<'a>>,
    sub: Option<&'a str>,
}

impl<'a> Recorder<'a> {
    fn innermost(&self) -> Option<u32> {
        self.blocks.last().and_then(|b| b.0)
    }

    /// The guard that closed just before token `i`, if any.
    fn closed_before(&self, i: usize) -> Option<u32> {
        self.closed.filter(|&(_, next)| next == i).map(|(g, _)| g)
    }

    pub(super) fn sub(&mut self, name: &'a str) {
        self.sub = Some(name);
    }

    pub(super) fn open_brace(&mut self) {
        let entry = match self.pending.take() {
            Some(mut guard) => {
                guard.parent = self.innermost();
                let index = u32::try_from(self.routing.guards.len()).ok();
                if index.is_some() {
                    self.routing.guards.push(guard);
                }
                (index.or(self.innermost()), index.is_some())
            }
            None => (self.innermost(), false),
        };
        self.blocks.push(entry);
    }

    /// `}` at token `i`.
    pub(super) fn close_brace(&mut self, i: usize) {
        self.pending = None;
        if let Some((Some(guard), true)) = self.blocks.pop() {
            self.closed = Some((guard, i + 1));
        }
        if self.blocks.is_empty() {
            // Nothing outside a block is a condition or a call being read.
            self.conditions.clear();
            self.shields.clear();
        }
    }

    /// `else` at token `i`, `{` next: an `else` block.
    pub(super) fn else_block(&mut self, i: usize, span: Span) {
        self.pending = Some(Guard {
            branch: Branch::Else,
            head: span,
            condition: None,
            parent: None,
            previous: self.closed_before(i),
        });
    }

    /// `(` at token `i` after `keyword` (token `i - 1`); `before` is token `i - 2` when it is
    /// `else`; `depth` is the number of open brackets once this one is.
    pub(super) fn open_paren(
        &mut self,
        i: usize,
        keyword: (&str, Span),
        before: Option<Span>,
        paren: Span,
        depth: usize,
    ) {
        let (branch, head_start, previous) = match (keyword.0, before) {
            ("if", Some(else_span)) => (Branch::ElseIf, else_span.start, self.closed_before(i - 2)),
            ("if", None) => (Branch::If, keyword.1.start, None),
            ("elseif" | "elsif", _) => (Branch::ElseIf, keyword.1.start, self.closed_before(i - 1)),
            ("fastly.try_select_shield", _) => {
                self.shields.push(ShieldCall {
                    depth,
                    argument: 0,
                    director: None,
                });
                return;
            }
            _ => return,
        };
        self.conditions.push(OpenCondition {
            depth,
            branch,
            head_start,
            condition_start: paren.end,
            previous,
        });
    }

    /// `)` at `paren`, leaving `depth` brackets open; `opens_block` when `{` comes next.
    pub(super) fn close_paren(&mut self, paren: Span, depth: usize, opens_block: bool) {
        if self.shields.last().is_some_and(|s| s.depth > depth) {
            self.shields.pop();
        }
        if self.conditions.last().is_some_and(|c| c.depth > depth) {
            let Some(c) = self.conditions.pop() else {
                return;
            };
            // `if(a, b, c)` is a value, not a statement: only a `{` makes it a guard.
            if opens_block {
                self.pending = Some(Guard {
                    branch: c.branch,
                    head: Span::new(c.head_start, paren.end),
                    condition: Some(Span::new(c.condition_start, paren.start)),
                    parent: None,
                    previous: c.previous,
                });
            }
        }
    }

    /// `,` with `depth` brackets open.
    pub(super) fn comma(&mut self, depth: usize) {
        if let Some(call) = self.shields.last_mut()
            && call.depth == depth
        {
            call.argument += 1;
        }
    }

    /// An assignment of `backend` to `variable`.
    pub(super) fn assigned(&mut self, variable: &'a str, backend: &'a str, span: Span) {
        self.select(backend, span, Selects::Assigned { variable });
    }

    /// A backend argument `name` with `depth` brackets open.
    pub(super) fn argument(&mut self, name: &'a str, span: Span, depth: usize) {
        let Some(call) = self.shields.last_mut() else {
            return;
        };
        if call.depth != depth {
            return;
        }
        match call.argument {
            0 => call.director = Some((name, span)),
            1 => {
                let director = call.director;
                self.select(name, span, Selects::Shield { director });
            }
            _ => {}
        }
    }

    fn select(&mut self, backend: &'a str, span: Span, selects: Selects<'a>) {
        let selection = Selection {
            backend,
            span,
            selects,
            guard: self.innermost(),
            sub: self.sub,
        };
        self.routing.selections.push(selection);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::references::References;

    /// Each selection as `backend`, how, and the heads of its guards from the innermost out,
    /// each with the heads of the branches before it.
    fn routing(src: &str) -> Vec<(String, String, Vec<String>)> {
        let (items, _) = crate::syntax::parse(src);
        let skipped = items
            .iter()
            .filter_map(crate::references::declaration_span)
            .collect();
        let (_, routing) = References::scan_routing(src, skipped);
        let text = |s: Span| src[s.start..s.end].to_string();
        routing
            .selections
            .iter()
            .map(|s| {
                let how = match s.selects {
                    Selects::Assigned { variable } => format!("{variable} in {:?}", s.sub),
                    Selects::Shield { director } => {
                        format!("shield {:?}", director.map(|(d, _)| d))
                    }
                };
                let mut guards = Vec::new();
                let mut at = s.guard;
                while let Some(g) = at.and_then(|g| routing.guard(g)) {
                    let mut head = text(g.head);
                    let mut before = g.previous;
                    while let Some(p) = before.and_then(|p| routing.guard(p)) {
                        head = format!("{head} after {}", text(p.head));
                        before = p.previous;
                    }
                    guards.push(head);
                    at = g.parent;
                }
                (s.backend.to_string(), how, guards)
            })
            .collect()
    }

    fn row(backend: &str, how: &str, guards: &[&str]) -> (String, String, Vec<String>) {
        (
            backend.into(),
            how.into(),
            guards.iter().map(|g| g.to_string()).collect(),
        )
    }

    #[test]
    fn a_set_outside_any_if_has_no_guard() {
        let src = "sub vcl_recv {\n  set req.backend = a;\n  { set req.backend = b; }\n}\nsub vcl_miss {\n  set bereq.backend = c;\n}\n";
        assert_eq!(
            routing(src),
            [
                row("a", "req.backend in Some(\"vcl_recv\")", &[]),
                row("b", "req.backend in Some(\"vcl_recv\")", &[]),
                row("c", "bereq.backend in Some(\"vcl_miss\")", &[]),
            ]
        );
    }

    #[test]
    fn if_else_if_chains_know_the_branches_before() {
        let src = "sub vcl_recv {\n  if (req.url ~ \"^/a\") {\n    set req.backend = a;\n  } else if (req.url ~ \"^/b\") {\n    set req.backend = b;\n  } elsif (c) {\n    set req.backend = c;\n  } elseif(d) { set req.backend = d; } else {\n    set req.backend = e;\n  }\n  if (f) { set req.backend = f; }\n}\n";
        let recv = "req.backend in Some(\"vcl_recv\")";
        assert_eq!(
            routing(src),
            [
                row("a", recv, &["if (req.url ~ \"^/a\")"]),
                row(
                    "b",
                    recv,
                    &["else if (req.url ~ \"^/b\") after if (req.url ~ \"^/a\")"]
                ),
                row(
                    "c",
                    recv,
                    &["elsif (c) after else if (req.url ~ \"^/b\") after if (req.url ~ \"^/a\")"]
                ),
                row(
                    "d",
                    recv,
                    &[
                        "elseif(d) after elsif (c) after else if (req.url ~ \"^/b\") after if (req.url ~ \"^/a\")"
                    ]
                ),
                row(
                    "e",
                    recv,
                    &[
                        "else after elseif(d) after elsif (c) after else if (req.url ~ \"^/b\") after if (req.url ~ \"^/a\")"
                    ]
                ),
                // A new `if` starts a new chain.
                row("f", recv, &["if (f)"]),
            ]
        );
    }

    #[test]
    fn nested_ifs_know_their_parents() {
        let src = "sub vcl_recv {\n  if (a) {\n    if (b) { set req.backend = inner; }\n    set req.backend = outer;\n  } else {\n    if (c) { set req.backend = other; }\n  }\n}\n";
        let recv = "req.backend in Some(\"vcl_recv\")";
        assert_eq!(
            routing(src),
            [
                row("inner", recv, &["if (b)", "if (a)"]),
                row("outer", recv, &["if (a)"]),
                row("other", recv, &["if (c)", "else after if (a)"]),
            ]
        );
    }

    #[test]
    fn shield_selection_names_the_director_and_its_guards() {
        let src = "sub vcl_recv {\n  if (req.backend == F_a && x) {\n    set req.backend = fastly.try_select_shield(ssl_shield_iad_va_us, F_a);\n  }\n  set req.backend = fastly.try_select_shield(std.pick(1), F_b);\n}\n";
        assert_eq!(
            routing(src),
            [
                row(
                    "F_a",
                    "shield Some(\"ssl_shield_iad_va_us\")",
                    &["if (req.backend == F_a && x)"]
                ),
                row("F_b", "shield None", &[]),
            ]
        );
    }

    #[test]
    fn values_and_other_uses_are_no_selection() {
        // `if(...)` as a value, comparisons, members, `backend.X.healthy`, a set of another
        // variable: none selects a backend; a condition with brackets inside is read whole.
        let src = "director d random { { .backend = m; .weight = 1; } }\nsub vcl_recv {\n  set req.http.x = if(req.http.y, \"1\", \"0\");\n  if ((backend.b.healthy) && req.backend == c) { set req.http.z = \"1\"; }\n  if (std.strlen(req.url) > 1) { set req.backend = d; }\n}\n";
        assert_eq!(
            routing(src),
            [row(
                "d",
                "req.backend in Some(\"vcl_recv\")",
                &["if (std.strlen(req.url) > 1)"]
            )]
        );
    }

    #[test]
    fn broken_input_records_what_it_can_and_never_panics() {
        for src in [
            "sub vcl_recv { if (a { set req.backend = x; }",
            "sub vcl_recv { } } } else { set req.backend = x; }",
            "sub vcl_recv { if (a) ",
            "sub vcl_recv { else if (a) { set req.backend = x; } }",
            ") ) { } } else if ( { set req.backend = fastly.try_select_shield(a, b, c);",
        ] {
            let _ = routing(src);
        }
        // An `else` that follows no guard has no branch before it.
        assert_eq!(
            routing("sub vcl_recv { else if (a) { set req.backend = x; } }"),
            [row(
                "x",
                "req.backend in Some(\"vcl_recv\")",
                &["else if (a)"]
            )]
        );
    }
}
