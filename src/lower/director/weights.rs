//! Member weights onto backends (docs/design.md §2.25): the API's director-backend relation
//! has no weight; the generator writes each member's `.weight` from the backend's own
//! `weight`. So a member's `.weight` in an API director is its backend's `weight`, and a
//! backend with different weights in different directors has no single API form.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Label};
use crate::lower::keys::{AlreadyHashed, Keys, Prehashed};
use crate::model::names::api_name;
use crate::span::Span;
use crate::syntax::director::{DirectorDecl, DirectorValue};

/// What the directors say about their member backends, by API name (hashed once each, with
/// the run's keys).
pub struct Carried<'a> {
    keys: &'a Keys,
    /// Each member backend: its weight in the first director that weighs it, and whether the
    /// generator's `autodirector_` lists it.
    members: HashMap<Prehashed<'a>, Member, AlreadyHashed>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Member {
    weight: Option<i64>,
    auto_loadbalanced: bool,
}

impl Carried<'_> {
    /// The weight backend `name` (an API name) carries, if a director weighs it.
    pub fn weight(&self, name: &str) -> Option<i64> {
        self.members.get(&self.keys.name(name))?.weight
    }

    /// Whether backend `name` is a member of the generator's `autodirector_`.
    pub fn auto_loadbalanced(&self, name: &str) -> bool {
        self.members
            .get(&self.keys.name(name))
            .is_some_and(|m| m.auto_loadbalanced)
    }
}

/// One member's weight, where it was given.
struct Given<'a> {
    weight: i64,
    director: &'a str,
    span: Span,
}

/// The weights of the members of `directors` (the API directors and the generator's
/// `autodirector_`, in source order), with a warning at each member of a backend weighted
/// differently in two of them.
pub fn carried<'a>(
    directors: &[&DirectorDecl<'a>],
    keys: &'a Keys,
    out: &mut Vec<Diagnostic>,
) -> Carried<'a> {
    let count = directors.iter().map(|d| d.members.len()).sum();
    let mut members: HashMap<Prehashed<'a>, Member, AlreadyHashed> =
        HashMap::with_capacity_and_hasher(count, AlreadyHashed);
    let mut first: HashMap<Prehashed<'a>, Given<'a>, AlreadyHashed> =
        HashMap::with_capacity_and_hasher(count, AlreadyHashed);
    let mut conflicting: Vec<(&'a str, Given<'a>)> = Vec::new();
    for decl in directors {
        let auto = decl.name == "autodirector_";
        for member in &decl.members {
            let Some(DirectorValue::Ident(ident)) = member.get("backend") else {
                continue;
            };
            let key = keys.name(api_name(ident));
            let entry = members.entry(key).or_default();
            entry.auto_loadbalanced |= auto;
            let Some((weight, span)) = member.properties.iter().find_map(|p| match p.value {
                DirectorValue::Integer(w) if p.name == "weight" => Some((w, p.value_span)),
                _ => None,
            }) else {
                continue;
            };
            let given = Given {
                weight,
                director: decl.name,
                span,
            };
            match first.get(&key) {
                None => {
                    entry.weight = Some(weight);
                    first.insert(key, given);
                }
                Some(f) if f.weight != weight => conflicting.push((key.text, given)),
                Some(_) => {}
            }
        }
    }
    if !conflicting.is_empty() {
        report(&first, keys, &conflicting, out);
    }
    Carried { keys, members }
}

/// How many other weights a warning names.
const LISTED: usize = 4;

/// One warning at each differing member and one at the first, which is the weight carried.
fn report(
    first: &HashMap<Prehashed<'_>, Given<'_>, AlreadyHashed>,
    keys: &Keys,
    conflicting: &[(&str, Given<'_>)],
    out: &mut Vec<Diagnostic>,
) {
    let mut by_backend: HashMap<&str, Vec<&Given<'_>>> = HashMap::new();
    for (name, given) in conflicting {
        by_backend.entry(name).or_default().push(given);
    }
    let mut names: Vec<&&str> = by_backend.keys().collect();
    names.sort();
    for name in names {
        let Some(carried) = first.get(&keys.name(name)) else {
            continue;
        };
        let others = &by_backend[*name];
        let mut listed: Vec<String> = others
            .iter()
            .take(LISTED)
            .map(|g| format!("{} in `{}`", g.weight, g.director))
            .collect();
        if others.len() > LISTED {
            listed.push(format!("{} more", others.len() - LISTED));
        }
        let message = format!(
            "backend `{name}` has weight {} in director `{}` but {}: the API keeps one weight per backend, and {} (from `{}`, the first director to list it) is carried",
            carried.weight,
            carried.director,
            listed.join(", "),
            carried.weight,
            carried.director
        );
        let help = "give the backend one weight in every director, or declare one backend per weight (each with its own name)";
        out.push(
            Diagnostic::warning("parse::conflicting-weight", message.clone())
                .with_label(Label::primary(carried.span, "the weight carried"))
                .with_help(help),
        );
        for g in others {
            out.push(
                Diagnostic::warning("parse::conflicting-weight", message.clone())
                    .with_label(Label::primary(g.span, "a different weight, not carried"))
                    .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<'a>(text: &'a str, keys: &'a Keys) -> (Carried<'a>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let decls = super::super::one_per_line(text, &mut diags);
        let refs: Vec<&DirectorDecl<'_>> = decls.iter().collect();
        let carried = carried(&refs, keys, &mut diags);
        (carried, diags)
    }

    #[test]
    fn a_members_weight_is_its_backends() {
        let keys = Keys::default();
        let (c, diags) = run(
            "director d random { { .backend = F_a; .weight = 3; } { .backend = b; .weight = 1; } }\ndirector e hash { { .backend = a; .weight = 3; } }\n",
            &keys,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(c.weight("a"), Some(3));
        assert_eq!(c.weight("b"), Some(1));
        assert!(!c.auto_loadbalanced("a") && !c.auto_loadbalanced("b"));
    }

    #[test]
    fn different_weights_warn_at_each_member_and_the_first_is_carried() {
        let keys = Keys::default();
        let (c, diags) = run(
            "director d1 random { { .backend = a; .weight = 2; } }\ndirector d2 random { { .backend = a; .weight = 3; } }\ndirector d3 client { { .backend = F_a; .weight = 4; } }\n",
            &keys,
        );
        assert_eq!(c.weight("a"), Some(2));
        assert_eq!(diags.len(), 3);
        assert!(diags.iter().all(|d| d.code == "parse::conflicting-weight"));
        assert_eq!(
            diags[0].message,
            "backend `a` has weight 2 in director `d1` but 3 in `d2`, 4 in `d3`: the API keeps one weight per backend, and 2 (from `d1`, the first director to list it) is carried"
        );
    }

    #[test]
    fn autodirector_members_are_auto_load_balanced() {
        let keys = Keys::default();
        let (c, diags) = run(
            "director autodirector_ random { { .backend = F_a; .weight = 100; } { .backend = F_b; .weight = 50; } }\n",
            &keys,
        );
        assert!(diags.is_empty());
        assert!(c.auto_loadbalanced("a") && c.auto_loadbalanced("b"));
        assert_eq!(c.weight("b"), Some(50));
    }
}
