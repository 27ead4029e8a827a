//! Member weights onto backends (docs/design.md §2.25): the API's director-backend relation
//! has no weight; the generator writes each member's `.weight` from the backend's own
//! `weight`. So a member's `.weight` in an API director is its backend's `weight`, and a
//! backend with different weights in different directors has no single API form.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Label};
use crate::model::names::api_name;
use crate::span::Span;
use crate::syntax::director::{DirectorDecl, DirectorValue};

/// What the directors say about their member backends, by API name.
#[derive(Debug, Default)]
pub struct Carried {
    /// Each member backend's weight: the first director's that lists it.
    pub weights: HashMap<String, i64>,
    /// Members of the generator's `autodirector_`: backends with `auto_loadbalance`.
    pub auto_loadbalanced: HashSet<String>,
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
pub fn carried(directors: &[&DirectorDecl<'_>], out: &mut Vec<Diagnostic>) -> Carried {
    let mut first: HashMap<&str, Given<'_>> = HashMap::new();
    let mut conflicting: Vec<(&str, Given<'_>)> = Vec::new();
    let mut carried = Carried::default();
    for decl in directors {
        let auto = decl.name == "autodirector_";
        for member in &decl.members {
            let Some(DirectorValue::Ident(ident)) = member.get("backend") else {
                continue;
            };
            let name = api_name(ident);
            if auto {
                carried.auto_loadbalanced.insert(name.to_owned());
            }
            let Some(weight) = member.properties.iter().find_map(|p| match p.value {
                DirectorValue::Integer(w) if p.name == "weight" => Some((w, p.value_span)),
                _ => None,
            }) else {
                continue;
            };
            let given = Given {
                weight: weight.0,
                director: decl.name,
                span: weight.1,
            };
            match first.get(name) {
                None => {
                    first.insert(name, given);
                }
                Some(f) if f.weight != given.weight => conflicting.push((name, given)),
                Some(_) => {}
            }
        }
    }
    report(&first, &conflicting, out);
    carried.weights = first
        .into_iter()
        .map(|(name, g)| (name.to_owned(), g.weight))
        .collect();
    carried
}

/// How many other weights a warning names.
const LISTED: usize = 4;

/// One warning at each differing member and one at the first, which is the weight carried.
fn report(
    first: &HashMap<&str, Given<'_>>,
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
        let Some(carried) = first.get(*name) else {
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
    use crate::syntax::Dialect;
    use crate::syntax::director::parse_director;

    fn run(text: &str) -> (Carried, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut decls = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let span = Span::new(at, at + line.trim_end().len());
            decls.push(parse_director(text, span, Dialect::Fastly, &mut diags).unwrap());
            at += line.len();
        }
        let refs: Vec<&DirectorDecl<'_>> = decls.iter().collect();
        let carried = carried(&refs, &mut diags);
        (carried, diags)
    }

    #[test]
    fn a_members_weight_is_its_backends() {
        let (c, diags) = run(
            "director d random { { .backend = F_a; .weight = 3; } { .backend = b; .weight = 1; } }\ndirector e hash { { .backend = a; .weight = 3; } }\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(c.weights.get("a"), Some(&3));
        assert_eq!(c.weights.get("b"), Some(&1));
        assert!(c.auto_loadbalanced.is_empty());
    }

    #[test]
    fn different_weights_warn_at_each_member_and_the_first_is_carried() {
        let (c, diags) = run(
            "director d1 random { { .backend = a; .weight = 2; } }\ndirector d2 random { { .backend = a; .weight = 3; } }\ndirector d3 client { { .backend = F_a; .weight = 4; } }\n",
        );
        assert_eq!(c.weights.get("a"), Some(&2));
        assert_eq!(diags.len(), 3);
        assert!(diags.iter().all(|d| d.code == "parse::conflicting-weight"));
        assert_eq!(
            diags[0].message,
            "backend `a` has weight 2 in director `d1` but 3 in `d2`, 4 in `d3`: the API keeps one weight per backend, and 2 (from `d1`, the first director to list it) is carried"
        );
    }

    #[test]
    fn autodirector_members_are_auto_load_balanced() {
        let (c, diags) = run(
            "director autodirector_ random { { .backend = F_a; .weight = 100; } { .backend = F_b; .weight = 50; } }\n",
        );
        assert!(diags.is_empty());
        assert_eq!(
            c.auto_loadbalanced,
            HashSet::from(["a".to_owned(), "b".to_owned()])
        );
        assert_eq!(c.weights.get("b"), Some(&50));
    }
}
