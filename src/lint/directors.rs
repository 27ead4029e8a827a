//! What the director rules need of the whole file: every `director` read once
//! ([`parse_director`]), and which names are in use once unused directors are set aside.
//! Lowering reports the directors' own syntax and value problems: the findings of
//! [`parse_director`] are dropped here.

use std::collections::{HashMap, HashSet};

use crate::ast::{BackendDecl, ValueKind};
use crate::lint::context::{GENERATOR_PREFIXES, boolean, property};
use crate::references::References;
use crate::span::Span;
use crate::syntax::Dialect;
use crate::syntax::director::{DirectorDecl, DirectorValue, parse_director};

/// The directors of a file and what uses them.
#[derive(Debug, Default)]
pub struct Directors<'a> {
    /// Every director whose head could be read, in file order.
    pub decls: Vec<DirectorDecl<'a>>,
    /// Names in use: used outside any director, or a member of a director in use; `None` in a
    /// file without directors, where every name used is in use (no second set of them).
    live: Option<HashSet<&'a str>>,
    /// Each name a director lists, with the directors that list it (each once, in file order).
    users: HashMap<&'a str, Vec<&'a str>>,
    names: HashSet<&'a str>,
    generated_dump: bool,
}

impl<'a> Directors<'a> {
    /// Reads the directors at `spans` (the `director` forms, in file order) and works out
    /// which names are in use from the file's `references`.
    pub fn new(
        src: &'a str,
        spans: &[Span],
        dialect: Dialect,
        references: &References<'a>,
        generated_dump: bool,
    ) -> Self {
        let mut ignored = Vec::new();
        let decls: Vec<_> = spans
            .iter()
            .filter_map(|&span| parse_director(src, span, dialect, &mut ignored))
            .map(compact)
            .collect();
        let names = decls.iter().map(|d| d.name).collect();
        let users = users(&decls);
        let mut directors = Directors {
            decls,
            live: None,
            users,
            names,
            generated_dump,
        };
        if !directors.decls.is_empty() {
            directors.live = Some(directors.live_names(references));
        }
        directors
    }

    /// Names used outside the directors (and the generator's directors, which are its
    /// own), then, from them, the members of each director in use.
    fn live_names(&self, references: &References<'a>) -> HashSet<&'a str> {
        let mut members: HashMap<&str, Vec<&'a str>> = HashMap::new();
        let mut queue: Vec<&'a str> = Vec::new();
        for r in &references.references {
            match self.enclosing(r.span.start) {
                Some(d) => members.entry(d.name).or_default().push(r.name),
                None => queue.push(r.name),
            }
        }
        queue.extend(
            self.decls
                .iter()
                .filter(|d| self.generator_made(d))
                .map(|d| d.name),
        );
        let mut live = HashSet::new();
        while let Some(name) = queue.pop() {
            if live.insert(name) {
                if let Some(names) = members.get(name) {
                    queue.extend(names.iter().copied());
                }
            }
        }
        live
    }

    /// The director whose text holds offset `at`.
    fn enclosing(&self, at: usize) -> Option<&DirectorDecl<'a>> {
        let after = self.decls.partition_point(|d| d.span.start <= at);
        let d = self.decls[..after].last()?;
        (at < d.span.end).then_some(d)
    }

    /// Whether `name` is in use: named outside the directors, or by a director in use.
    /// `used` is every name the file uses, which answers when it has no directors.
    pub fn is_live(&self, name: &str, used: &HashSet<&str>) -> bool {
        match &self.live {
            Some(live) => live.contains(name),
            None => used.contains(name),
        }
    }

    /// Whether a director of that name is declared.
    pub fn is_director(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// The directors that name `name` as a member, each once, in file order.
    pub fn users_of(&self, name: &str) -> &[&'a str] {
        self.users.get(name).map_or(&[], Vec::as_slice)
    }

    /// A director Fastly's generator made: in a dump, named as the generator names its
    /// directors (`autodirector_`, `ssl_shield_<pop>`), or an API director, which lists only
    /// the generator's backends (`F_...`, shield nodes).
    pub fn generator_made(&self, d: &DirectorDecl<'_>) -> bool {
        let generated = |name: &str| GENERATOR_PREFIXES.iter().any(|p| name.starts_with(p));
        self.generated_dump
            && (generated(d.name)
                || (!d.members.is_empty()
                    && d.members.iter().all(|m| {
                        matches!(m.get("backend"), Some(DirectorValue::Ident(n)) if generated(n))
                    })))
    }
}

/// A director kept for the whole run, its lists no longer than what they hold (thousands of
/// directors are kept at once).
fn compact(mut d: DirectorDecl<'_>) -> DirectorDecl<'_> {
    d.properties.shrink_to_fit();
    d.members.shrink_to_fit();
    for m in &mut d.members {
        m.properties.shrink_to_fit();
    }
    d
}

/// Each name the directors list as a member, with the directors that list it: each once, in
/// file order (a table, so that no lookup walks every director).
fn users<'a>(decls: &[DirectorDecl<'a>]) -> HashMap<&'a str, Vec<&'a str>> {
    let mut users: HashMap<&'a str, Vec<&'a str>> = HashMap::new();
    let mut seen: HashSet<(&'a str, &'a str)> = HashSet::new();
    for d in decls {
        for m in &d.members {
            if let Some(DirectorValue::Ident(member)) = m.get("backend") {
                if seen.insert((member, d.name)) {
                    users.entry(member).or_default().push(d.name);
                }
            }
        }
    }
    users
}

/// Whether a backend has a health check: a probe that is sent (Fastly's dummy probe,
/// `.dummy = true`, is never sent), inline or named.
pub fn has_health_check(decl: &BackendDecl<'_>) -> bool {
    let Some(probe) = property(decl, "probe") else {
        return false;
    };
    match &probe.value.kind {
        ValueKind::Object(props) => boolean(property(&&props[..], "dummy")) != Some(true),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{LintOptions, lint};
    use crate::source::SourceFile;

    fn unused(src: &str) -> Vec<String> {
        let file = SourceFile::new("d.vcl", src);
        lint(&file, &LintOptions::default())
            .into_iter()
            .filter(|d| matches!(d.code, "lint::unused-director" | "lint::unused-backend"))
            .map(|d| d.message)
            .collect()
    }

    const BACKENDS: &str =
        "backend a { .host = \"a.example.com\"; }\nbackend b { .host = \"b.example.com\"; }\n";

    #[test]
    fn a_director_in_use_makes_its_members_used() {
        let src = format!(
            "{BACKENDS}director d random {{ {{ .backend = b; .weight = 1; }} }}\nsub vcl_recv {{ set req.backend = d; }}\n"
        );
        assert!(unused(&src).is_empty(), "{:?}", unused(&src));
    }

    #[test]
    fn directors_naming_each_other_and_nothing_else_are_unused() {
        let src = format!(
            "{BACKENDS}director d1 fallback {{ {{ .backend = d2; }} {{ .backend = b; }} }}\ndirector d2 fallback {{ {{ .backend = d1; }} }}\nsub vcl_recv {{ set req.backend = a; }}\n"
        );
        assert_eq!(
            unused(&src),
            [
                "backend `b` is used only by director `d1`, which is never used",
                "director `d1` is used only by director `d2`, which is never used",
                "director `d2` is used only by director `d1`, which is never used",
            ]
        );
    }

    #[test]
    fn a_backend_used_elsewhere_too_is_not_unused() {
        let src = format!(
            "{BACKENDS}director d random {{ {{ .backend = b; .weight = 1; }} }}\nsub vcl_recv {{ if (backend.b.healthy) {{ set req.backend = a; }} }}\n"
        );
        assert_eq!(unused(&src), ["director `d` is declared but never used"]);
    }

    #[test]
    fn an_include_has_no_unused_director() {
        let src = format!("{BACKENDS}director d random {{ {{ .backend = b; .weight = 1; }} }}\n");
        assert!(unused(&src).is_empty());
    }

    #[test]
    fn the_generators_directors_are_in_use_in_a_dump() {
        let src = format!(
            "pragma optional_param max_backends 20;\n{}director autodirector_ random {{ {{ .backend = F_b; .weight = 100; }} }}\nsub vcl_recv {{ set req.backend = F_a; }}\n",
            BACKENDS.replace("backend ", "backend F_")
        );
        assert!(unused(&src).is_empty(), "{:?}", unused(&src));
        // Outside a dump the same director is hand-written, and unused.
        let hand_written = src.replace("pragma optional_param max_backends 20;\n", "");
        assert!(
            unused(&hand_written)
                .contains(&"director `autodirector_` is declared but never used".to_owned()),
            "{:?}",
            unused(&hand_written)
        );
    }

    /// An API director in a dump is the generator's: its quorum and weights (the API's) and
    /// whether it is used are not the file's; a hand-written one beside it is checked.
    #[test]
    fn an_api_director_in_a_dump_is_the_generators() {
        let dump = format!(
            "pragma optional_param max_backends 20;\n{}director api_pool random {{ .quorum = 75%; {{ .backend = F_a; .weight = 100; }} {{ .backend = F_b; .weight = 0; }} }}\ndirector mine random {{ .quorum = 75%; {{ .backend = F_a; .weight = 1; }} {{ .backend = other; .weight = 0; }} }}\nbackend other {{ .host = \"o.example.com\"; .dynamic = true; .share_key = \"k\"; }}\nsub vcl_recv {{ set req.backend = F_a; }}\n",
            BACKENDS.replace("backend ", "backend F_")
        );
        let file = SourceFile::new("dump.vcl", dump);
        let mut found: Vec<_> = lint(&file, &LintOptions::default())
            .into_iter()
            .map(|d| d.code)
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                "lint::director-without-healthchecks",
                "lint::unreachable-quorum",
                "lint::unused-backend",
                "lint::unused-director",
                "lint::zero-weight",
            ]
        );
    }

    #[test]
    fn a_dummy_probe_is_no_health_check() {
        let items = crate::syntax::parse_in(
            "backend a { .host = \"a\"; .probe = { .dummy = true; } }\nbackend b { .host = \"b\"; .probe = { .url = \"/\"; } }\nbackend c { .host = \"c\"; .probe = p; }\nbackend d { .host = \"d\"; }\n",
            Dialect::Fastly,
        )
        .0;
        let checked: Vec<bool> = items
            .iter()
            .filter_map(|i| match i {
                crate::ast::Item::Backend(b) => Some(has_health_check(b)),
                _ => None,
            })
            .collect();
        assert_eq!(checked, [false, true, true, false]);
    }
}
