//! Anonymous backends inside directors (Varnish 2 style, which Fastly reads too):
//! `director d random { { .backend = { .host = "a"; .port = "80"; } .weight = 40; } }`.
//!
//! The director parser reads such a member as an object and the model does not list it, so each
//! anonymous backend is found here, named `<director>_<n>` (the n-th anonymous backend of that
//! director, from 1; `_2`, `_3`, ... appended while the name is taken) and lowered as if it had
//! been declared under that name, so that it migrates like any other backend: a director that
//! moves lists it (`director_moves`), one that stays points at it in the rewritten VCL.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::Diagnostic;
pub use crate::lower::anonymous::{Found, find};
use crate::lower::{BackendSource, Lowered};
use crate::model::Backend;
use crate::span::Span;

/// One anonymous backend, lowered under its new name.
pub struct Anonymous {
    pub director: String,
    pub backend: Backend,
    /// Spans are the input's: `span` is the `{ ... }` object, `name_span` the `.backend`.
    pub source: BackendSource,
    /// Its probe's healthcheck, if it has one the API can hold.
    pub healthcheck: Option<crate::model::Healthcheck>,
    /// Lowering's findings, located in the input.
    pub diagnostics: Vec<Diagnostic>,
}

/// Names each found backend `<director>_<n>` (free in `taken`, which gets the new names) and
/// lowers it.
pub fn lower_all(src: &str, found: &[Found<'_>], taken: &mut HashSet<String>) -> Vec<Anonymous> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    found
        .iter()
        .map(|f| {
            let n = count.entry(f.director).or_default();
            *n += 1;
            let ident = free_name(taken, &format!("{}_{n}", f.director));
            lower(src, f.director, &ident, f.property, f.object)
        })
        .collect()
}

/// Every anonymous backend of every director of `src`, lowered; for tests (it parses `src`).
#[cfg(test)]
fn anonymous_backends(src: &str, taken: &mut HashSet<String>) -> Vec<Anonymous> {
    let lowered = crate::lower::parse_config(src);
    lower_all(src, &find(src, &lowered.directors), taken)
}

/// `wanted`, or the first of `wanted_2`, `wanted_3`, ... not in `taken`; taken from then on.
fn free_name(taken: &mut HashSet<String>, wanted: &str) -> String {
    let name = std::iter::once(wanted.to_string())
        .chain((2u64..).map(|n| format!("{wanted}_{n}")))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| wanted.to_string());
    taken.insert(name.clone());
    name
}

/// Lowers `object` as `backend <ident> <object>`, with every span moved back into `src`.
fn lower(src: &str, director: &str, ident: &str, property: Span, object: Span) -> Anonymous {
    let prefix = format!("backend {ident} ");
    let text = format!("{prefix}{}", &src[object.start..object.end]);
    let lowered: Lowered = crate::lower::parse_config(&text);
    // Offsets in `text` past the prefix are the object's; before it, the name: `.backend`.
    let place = |s: Span| {
        if s.start < prefix.len() {
            property
        } else {
            Span::new(
                s.start - prefix.len() + object.start,
                s.end.saturating_sub(prefix.len()) + object.start,
            )
        }
    };
    let mut diagnostics = lowered.diagnostics;
    for d in &mut diagnostics {
        for label in &mut d.labels {
            label.span = place(label.span);
        }
    }
    let mut backends = lowered.config.backends.into_iter();
    let mut sources = lowered.sources.into_iter();
    let backend = backends.next().unwrap_or_default();
    let mut source = sources.next().unwrap_or_default();
    source.span = object;
    source.name_span = property;
    source.probe_span = source.probe_span.map(place);
    source.host_header_only_without_host = source.host_header_only_without_host.map(place);
    for (_, span) in &mut source.vcl_only {
        *span = place(*span);
    }
    if source.ident.is_empty() {
        ident.clone_into(&mut source.ident);
    }
    let healthcheck = lowered.config.healthchecks.into_iter().next();
    Anonymous {
        director: director.to_string(),
        backend,
        source,
        healthcheck,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_backends_are_found_named_and_located() {
        let src = "backend d_1 { .host = \"x\"; }\ndirector d random {\n  .quorum = 50%;\n  { .backend = { .host = \"a.example\"; .port = \"80\"; } .weight = 40; }\n  { .backend = F_x; .weight = 1; }\n  { .backend={ .host = \"b\"; } .weight = 2; }\n}\n";
        let mut taken: HashSet<String> = ["d_1".to_string()].into();
        let found = anonymous_backends(src, &mut taken);
        let names: Vec<_> = found.iter().map(|a| a.source.ident.as_str()).collect();
        assert_eq!(names, ["d_1_2", "d_2"]);
        let first = &found[0];
        assert_eq!(
            &src[first.source.span.start..first.source.span.end],
            "{ .host = \"a.example\"; .port = \"80\"; }"
        );
        assert_eq!(first.backend.address.as_deref(), Some("a.example"));
        assert_eq!(first.backend.port, Some(80));
        assert!(src[first.source.name_span.start..].starts_with(".backend = {"));
    }

    #[test]
    fn findings_inside_an_anonymous_backend_point_into_the_input() {
        let src = "director d random { { .backend = { .port = \"99999\"; } .weight = 1; } }";
        let found = anonymous_backends(src, &mut HashSet::new());
        let d = found[0]
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .expect("an error");
        let span = d.labels[0].span;
        assert!(src[span.start..span.end].contains("99999"), "{d:?}");
    }

    #[test]
    fn directors_in_comments_and_members_by_name_have_none() {
        assert!(anonymous_backends("backend a { .host = \"a\"; }", &mut HashSet::new()).is_empty());
        let src = "/* director d random { { .backend = { .host = \"a\"; } } } */\ndirector e random { { .backend = F_a; .weight = 1; } }\n";
        assert!(anonymous_backends(src, &mut HashSet::new()).is_empty());
    }
}
