//! Directors that name directors (docs/design.md §2.24): such a director has no API form (an
//! API director's members are backends), and a cycle of them is an error.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Label};
use crate::lower::keys::{AlreadyHashed, Keys, Prehashed};
use crate::span::Span;
use crate::syntax::director::{DirectorDecl, DirectorValue};

/// Which directors name a director, and which are on a cycle.
#[derive(Debug, Default)]
pub struct Nesting {
    /// Per director: the first director among its members, with where it is named.
    pub names_a_director: Vec<Option<(usize, Span)>>,
    pub in_cycle: Vec<bool>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The members of each director that are directors of `decls`: `(member's director, span)`.
fn edges(decls: &[&DirectorDecl<'_>], keys: &Keys) -> Vec<Vec<(usize, Span)>> {
    let mut index: HashMap<Prehashed<'_>, usize, AlreadyHashed> =
        HashMap::with_capacity_and_hasher(decls.len(), AlreadyHashed);
    for (i, d) in decls.iter().enumerate() {
        index.insert(keys.name(d.name), i);
    }
    decls
        .iter()
        .map(|d| {
            d.members
                .iter()
                .filter_map(|m| {
                    let p = m.properties.iter().find(|p| p.name == "backend")?;
                    match p.value {
                        DirectorValue::Ident(name) => {
                            Some((*index.get(&keys.name(name))?, p.value_span))
                        }
                        _ => None,
                    }
                })
                .collect()
        })
        .collect()
}

/// Finds nesting and cycles among `decls` (each name once), in time linear in the members:
/// one depth-first search (iterative: chains can be long) finds the strongly connected
/// components (Tarjan), and each edge back onto the search's path is one reported cycle.
pub fn nesting(decls: &[&DirectorDecl<'_>], keys: &Keys) -> Nesting {
    let edges = edges(decls, keys);
    let n = decls.len();
    let mut out = Nesting {
        names_a_director: edges.iter().map(|e| e.first().copied()).collect(),
        in_cycle: vec![false; n],
        diagnostics: Vec::new(),
    };
    if edges.iter().all(Vec::is_empty) {
        return out;
    }
    let mut s = Search::new(n);
    for root in 0..n {
        if s.index[root] != UNSEEN {
            continue;
        }
        s.enter(root);
        while let Some(&mut (v, ref mut next)) = s.path.last_mut() {
            if let Some(&(w, span)) = edges[v].get(*next) {
                *next += 1;
                if s.index[w] == UNSEEN {
                    s.enter(w);
                } else if s.on_stack[w] {
                    s.low[v] = s.low[v].min(s.index[w]);
                    if s.on_path[w] != UNSEEN {
                        out.in_cycle[v] |= w == v;
                        let cycle = &s.path[s.on_path[w]..];
                        out.diagnostics.push(cycle_error(decls, cycle, w, span));
                    }
                }
                continue;
            }
            s.leave(v, &mut out.in_cycle);
        }
    }
    out
}

const UNSEEN: usize = usize::MAX;

/// Tarjan's search state.
struct Search {
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    /// Where a director is on the search's path, `UNSEEN` when it is not on it.
    on_path: Vec<usize>,
    stack: Vec<usize>,
    /// The path: each director with the next of its edges to follow.
    path: Vec<(usize, usize)>,
    counter: usize,
}

impl Search {
    fn new(n: usize) -> Self {
        Search {
            index: vec![UNSEEN; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            on_path: vec![UNSEEN; n],
            stack: Vec::new(),
            path: Vec::new(),
            counter: 0,
        }
    }

    fn enter(&mut self, v: usize) {
        self.index[v] = self.counter;
        self.low[v] = self.counter;
        self.counter += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
        self.on_path[v] = self.path.len();
        self.path.push((v, 0));
    }

    /// `v` is done: a component of more than one director is a cycle.
    fn leave(&mut self, v: usize, in_cycle: &mut [bool]) {
        self.path.pop();
        self.on_path[v] = UNSEEN;
        if self.low[v] == self.index[v] {
            let mut component = Vec::new();
            while let Some(d) = self.stack.pop() {
                self.on_stack[d] = false;
                component.push(d);
                if d == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.iter().for_each(|&d| in_cycle[d] = true);
            }
        }
        if let Some(&(u, _)) = self.path.last() {
            self.low[u] = self.low[u].min(self.low[v]);
        }
    }
}

/// How many directors of a cycle its message names: enough to find it, bounded however long.
const NAMED: usize = 8;

fn cycle_error(
    decls: &[&DirectorDecl<'_>],
    cycle: &[(usize, usize)],
    to: usize,
    at: Span,
) -> Diagnostic {
    let message = if cycle.len() == 1 {
        format!("director `{}` is a member of itself", decls[to].name)
    } else {
        let mut names: Vec<String> = cycle
            .iter()
            .take(NAMED)
            .map(|&(d, _)| format!("`{}`", decls[d].name))
            .collect();
        if cycle.len() > NAMED {
            names.push(format!("... ({} more)", cycle.len() - NAMED));
        }
        names.push(format!("`{}`", decls[to].name));
        format!(
            "directors name each other in a cycle: {}",
            names.join(" -> ")
        )
    };
    Diagnostic::error("parse::director-cycle", message)
        .with_label(Label::primary(at, "closes the cycle"))
        .with_label(Label::secondary(
            decls[to].name_span,
            "this director is chosen again",
        ))
        .with_help(
            "a director cannot choose itself, directly or through another: remove this member",
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Nesting {
        let mut diags = Vec::new();
        let decls = super::super::one_per_line(text, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let refs: Vec<&DirectorDecl<'_>> = decls.iter().collect();
        nesting(&refs, &Keys::default())
    }

    #[test]
    fn a_director_naming_a_director_is_nested_without_a_cycle() {
        let n = run(
            "director a random { { .backend = b; .weight = 1; } { .backend = x; .weight = 1; } }\ndirector b fallback { { .backend = x; } }\n",
        );
        assert!(n.names_a_director[0].is_some() && n.names_a_director[1].is_none());
        assert_eq!(n.in_cycle, [false, false]);
        assert!(n.diagnostics.is_empty());
    }

    #[test]
    fn a_cycle_is_one_error_naming_its_path() {
        let n = run(
            "director a fallback { { .backend = b; } }\ndirector b fallback { { .backend = c; } }\ndirector c fallback { { .backend = a; } }\ndirector d fallback { { .backend = a; } }\n",
        );
        assert_eq!(n.in_cycle, [true, true, true, false]);
        assert_eq!(n.diagnostics.len(), 1);
        assert_eq!(
            n.diagnostics[0].message,
            "directors name each other in a cycle: `a` -> `b` -> `c` -> `a`"
        );
    }

    #[test]
    fn a_director_naming_itself_is_a_cycle() {
        let n = run("director a fallback { { .backend = a; } }\n");
        assert_eq!(n.in_cycle, [true]);
        assert_eq!(
            n.diagnostics[0].message,
            "director `a` is a member of itself"
        );
    }

    #[test]
    fn a_long_chain_is_no_deep_recursion() {
        let text: String = (0..50_000)
            .map(|i| {
                format!(
                    "director d{i} fallback {{ {{ .backend = d{}; }} }}\n",
                    i + 1
                )
            })
            .collect();
        let n = run(&text);
        assert!(n.diagnostics.is_empty());
        assert_eq!(
            n.names_a_director.iter().filter(|e| e.is_some()).count(),
            49_999
        );
    }
}
