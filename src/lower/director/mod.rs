//! Directors (docs/design.md §2.20-2.25): each `director` form lowering met is parsed
//! ([`crate::syntax::director`]) and its values checked; `random`, `hash` and `client`
//! directors become API [`Director`]s, the other policies (no API type) stay VCL-only.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Label};
use crate::lower::Lowered;
use crate::lower::keys::Keys;
use crate::model::names::api_name;
use crate::model::{Director, director_type};
use crate::span::Span;
use crate::syntax::Dialect;
use crate::syntax::director::{DirectorDecl, DirectorProperty, DirectorValue, parse_director};

mod graph;
pub mod policy;
mod weights;

pub use weights::Carried;

/// A director with no API form, kept on the parse result.
#[derive(Debug, Clone, PartialEq)]
pub struct VclOnlyDirector {
    pub name: String,
    pub policy: String,
    /// The whole declaration.
    pub span: Span,
}

/// The API type of a policy, `None` for policies the API has no director for.
pub fn api_type(policy: &str) -> Option<i64> {
    match policy {
        "random" => Some(director_type::RANDOM),
        "hash" => Some(director_type::HASH),
        "client" => Some(director_type::CLIENT),
        _ => None,
    }
}

/// A director read and checked on its own, on whichever thread met it.
#[derive(Debug)]
pub struct DeclaredDirector<'a> {
    pub span: Span,
    /// `None` when its head (`director NAME POLICY {`) is broken.
    pub decl: Option<DirectorDecl<'a>>,
    /// Whether its own findings include an error: it is then not in the output.
    pub broken: bool,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the director at `span` of `src` and checks what it can on its own: values, the
/// policy's properties, its name, members listed twice.
pub fn declare_director(src: &str, span: Span, dialect: Dialect) -> DeclaredDirector<'_> {
    let mut diagnostics = Vec::new();
    // A text that does not hold the form (a tree lowered without its text) has no director.
    let decl = (span.end <= src.len() && src.is_char_boundary(span.start))
        .then(|| parse_director(src, span, dialect, &mut diagnostics))
        .flatten();
    if let Some(decl) = &decl {
        check_values(decl, &mut diagnostics);
        policy::check(decl, dialect, &mut diagnostics);
        check_name(decl, dialect, &mut diagnostics);
        duplicate_members(decl, &mut diagnostics);
    }
    DeclaredDirector {
        span,
        broken: diagnostics.iter().any(Diagnostic::is_error),
        decl,
        diagnostics,
    }
}

/// Lowers the directors read (in source order) beside each other and the backends:
/// `backend_at` says where a backend of that identifier is declared. Returns what the API
/// directors say about their member backends (weights, auto load balancing), for the caller
/// that keeps the backends.
pub fn lower_directors<'a>(
    declared: Vec<DeclaredDirector<'a>>,
    lowered: &mut Lowered,
    keys: &'a Keys,
    backend_at: &dyn Fn(&str) -> Option<Span>,
) -> Carried<'a> {
    let mut diagnostics = Vec::new();
    let mut decls = Vec::with_capacity(declared.len());
    let mut broken = Vec::with_capacity(declared.len());
    for d in declared {
        diagnostics.extend(d.diagnostics);
        if let Some(decl) = d.decl {
            broken.push(d.broken);
            decls.push(decl);
        }
    }
    // Each name once: a later director of a name taken by a director or a backend is an
    // error, and left out of the graph (its name means the other).
    let mut first: HashMap<&str, Span> = HashMap::with_capacity(decls.len());
    let mut unique = Vec::with_capacity(decls.len());
    for (i, decl) in decls.iter().enumerate() {
        if let Some(at) = backend_at(decl.name) {
            diagnostics.push(name_taken(decl, at));
            broken[i] = true;
        } else if let Some(&at) = first.get(decl.name) {
            diagnostics.push(duplicate_director(decl, at));
            broken[i] = true;
        } else {
            first.insert(decl.name, decl.name_span);
            unique.push(i);
        }
    }
    let refs: Vec<&DirectorDecl<'_>> = unique.iter().map(|&i| &decls[i]).collect();
    let nesting = graph::nesting(&refs, keys);
    diagnostics.extend(nesting.diagnostics);
    let mut directors = Vec::new();
    let mut vcl_only = Vec::new();
    let mut weighed = Vec::new();
    for (k, &i) in unique.iter().enumerate() {
        let decl = &decls[i];
        if broken[i] || nesting.in_cycle[k] {
            continue;
        }
        let nested = nesting.names_a_director[k].map(|(d, at)| (refs[d].name, at));
        match (api_type(decl.policy), nested) {
            _ if generator_made(decl.name) => {
                if decl.name == "autodirector_" {
                    weighed.push(decl);
                }
                vcl_only.push(kept(decl));
            }
            (Some(kind), None) => {
                directors.push(lower_director(decl, kind));
                weighed.push(decl);
            }
            (api, nested) => {
                diagnostics.push(vcl_only_info(decl, api.is_some(), nested));
                vcl_only.push(kept(decl));
            }
        }
    }
    let carried = weights::carried(&weighed, keys, &mut diagnostics);
    lowered.directors_with_anonymous = decls
        .iter()
        .filter(|d| {
            d.members
                .iter()
                .any(|m| m.get("backend") == Some(&DirectorValue::Object))
        })
        .map(|d| d.span)
        .collect();
    lowered.config.directors = directors;
    lowered.vcl_only_directors = vcl_only;
    lowered.diagnostics.append(&mut diagnostics);
    carried
}

fn kept(decl: &DirectorDecl<'_>) -> VclOnlyDirector {
    VclOnlyDirector {
        name: decl.name.to_owned(),
        policy: decl.policy.to_owned(),
        span: decl.span,
    }
}

/// A director's name is checked as a backend's is (a hyphen is a Varnish name).
fn check_name(decl: &DirectorDecl<'_>, dialect: Dialect, out: &mut Vec<Diagnostic>) {
    out.extend(crate::syntax::declaration::invalid_name(
        decl.name,
        decl.name_span,
        "director",
        dialect.is_varnish(),
    ));
}

/// A backend listed twice in one director: the API lists a member once.
fn duplicate_members(decl: &DirectorDecl<'_>, out: &mut Vec<Diagnostic>) {
    let named: Vec<(&str, Span)> = decl
        .members
        .iter()
        .filter_map(|m| {
            let p = m.properties.iter().find(|p| p.name == "backend")?;
            match p.value {
                DirectorValue::Ident(name) => Some((name, p.value_span)),
                _ => None,
            }
        })
        .collect();
    for (i, first) in first_listings(named.iter().map(|n| n.0)).enumerate() {
        let Some(first) = first else {
            continue;
        };
        let (name, at) = named[i];
        out.push(
            Diagnostic::warning(
                "parse::duplicate-member",
                format!("`{name}` is listed twice in director `{}`", decl.name),
            )
            .with_label(Label::primary(at, "listed again here"))
            .with_label(Label::secondary(named[first].1, "first listed here"))
            .with_help("list each backend once; to send it more traffic, raise its `.weight`"),
        );
    }
}

/// For each name, the index of its first listing when it is listed before, else `None`:
/// a scan of the few names a director usually has, a table from [`LINEAR`] names on.
fn first_listings<'a>(
    names: impl ExactSizeIterator<Item = &'a str> + Clone,
) -> impl Iterator<Item = Option<usize>> {
    let small = names.len() < LINEAR;
    let all: Vec<&str> = names.collect();
    let mut table: HashMap<&str, usize> = HashMap::new();
    (0..all.len()).map(move |i| {
        if small {
            all[..i].iter().position(|n| *n == all[i])
        } else {
            match table.get(all[i]) {
                Some(&f) => Some(f),
                None => {
                    table.insert(all[i], i);
                    None
                }
            }
        }
    })
}

/// From this many members on, repeats are found with a table.
const LINEAR: usize = 32;

fn duplicate_director(decl: &DirectorDecl<'_>, first: Span) -> Diagnostic {
    Diagnostic::error(
        "parse::duplicate-director",
        format!("director `{}` is declared twice", decl.name),
    )
    .with_label(Label::primary(decl.name_span, "declared again here"))
    .with_label(Label::secondary(first, "first declared here"))
    .with_help("rename one of them, or remove the duplicate")
}

fn name_taken(decl: &DirectorDecl<'_>, backend: Span) -> Diagnostic {
    Diagnostic::error(
        "parse::director-name-taken",
        format!("director `{}` has the name of a backend", decl.name),
    )
    .with_label(Label::primary(decl.name_span, "this director"))
    .with_label(Label::secondary(backend, "the backend of that name"))
    .with_help("a director and a backend share one namespace: rename one of them")
}

/// The generator's own directors are no API director objects: `autodirector_` is what the
/// backends' `auto_loadbalance` makes, `ssl_shield_<pop>` what their `shield` makes
/// (docs/design.md §2.21). They stay in VCL, as the generator's shield backends do.
pub(crate) fn generator_made(name: &str) -> bool {
    name == "autodirector_" || name.starts_with("ssl_shield_")
}

/// The API director of a `random`, `hash` or `client` director whose values are right.
/// Members name backends by their API name (`F_a` is `a`: the generator's identifier of API
/// backend `a`, docs/design.md §2.2), which a streamed parse knows without keeping the
/// backends; anonymous members (`.backend = { ... }`) are not in the list.
pub fn lower_director(decl: &DirectorDecl<'_>, kind: i64) -> Director {
    let integer = |name| match decl.get(name) {
        Some(DirectorValue::Integer(n) | DirectorValue::Percent(n)) => Some(*n),
        _ => None,
    };
    // A member listed twice is listed once (`parse::duplicate-member` says so).
    let idents: Vec<&str> = decl
        .members
        .iter()
        .filter_map(|m| match m.get("backend") {
            Some(DirectorValue::Ident(ident)) => Some(*ident),
            _ => None,
        })
        .collect();
    let backends = first_listings(idents.iter().copied())
        .zip(&idents)
        .filter(|(first, _)| first.is_none())
        .map(|(_, ident)| api_name(ident).to_owned())
        .collect();
    Director {
        name: Some(api_name(decl.name).to_owned()),
        kind: Some(kind),
        quorum: integer("quorum"),
        retries: integer("retries"),
        backends: Some(backends),
        ..Director::default()
    }
}

fn vcl_only_info(
    decl: &DirectorDecl<'_>,
    has_api_type: bool,
    nested: Option<(&str, Span)>,
) -> Diagnostic {
    match nested {
        Some((director, at)) if has_api_type => Diagnostic::info(
            "parse::vcl-only-director",
            format!(
                "director `{}` lists director `{director}`: API directors list backends only, so it is not in the output",
                decl.name
            ),
        )
        .with_label(Label::primary(at, "a director as a member"))
        .with_help("it stays in VCL; list backends only to give it an API form"),
        _ => Diagnostic::info(
            "parse::vcl-only-director",
            format!(
                "director `{}` ({}) has no API form: it is not in the output",
                decl.name, decl.policy
            ),
        )
        .with_label(Label::primary(
            decl.policy_span,
            "no API director has this policy",
        ))
        .with_help(
            "the API has random (1), hash (3) and client (4) directors; this one stays in VCL",
        ),
    }
}

/// What property `name` takes, as errors say it, when `value` is not that.
fn expected(name: &str, value: &DirectorValue<'_>) -> Option<&'static str> {
    use DirectorValue as V;
    match (name, value) {
        ("quorum", V::Percent(_))
        | ("retries" | "seed" | "vnodes_per_node" | "weight", V::Integer(_))
        | ("key", V::Ident("object" | "client"))
        | ("shield" | "id", V::Str(_))
        | ("is_ssl", V::Bool(_))
        | ("backend", V::Ident(_) | V::Object) => None,
        ("quorum", _) => Some("a percentage (`50%`)"),
        ("retries" | "seed" | "vnodes_per_node" | "weight", _) => Some("an integer"),
        ("key", _) => Some("`object` or `client`"),
        ("shield" | "id", _) => Some("a string"),
        ("is_ssl", _) => Some("`true` or `false`"),
        ("backend", _) => Some("a backend name"),
        _ => None,
    }
}

fn check_property(p: &DirectorProperty<'_>, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(what) = expected(p.name, &p.value) {
        diagnostics.push(
            Diagnostic::error("parse::wrong-type", format!("`.{}` takes {what}", p.name))
                .with_label(Label::primary(p.value_span, "a value of the wrong type"))
                .with_help(format!("write `.{}` as {what}", p.name)),
        );
        return;
    }
    if let DirectorValue::Integer(n) = p.value
        && n < 0
    {
        diagnostics.push(
            Diagnostic::error(
                "parse::out-of-range",
                format!("`.{}` is {n}, below 0", p.name),
            )
            .with_label(Label::primary(p.value_span, "negative"))
            .with_help(format!("`.{}` counts: 0 or more", p.name)),
        );
        return;
    }
    if let ("quorum", DirectorValue::Percent(n)) = (p.name, &p.value)
        && !(0..=100).contains(n)
    {
        diagnostics.push(
            Diagnostic::error(
                "parse::quorum-out-of-range",
                format!("a quorum of {n}% is not 0-100%"),
            )
            .with_label(Label::primary(p.value_span, "out of range"))
            .with_help(
                "the quorum is the share of the members' weight that must be healthy: 0% to 100%",
            ),
        );
    }
}

fn check_values(decl: &DirectorDecl<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for p in &decl.properties {
        check_property(p, diagnostics);
    }
    for m in &decl.members {
        for p in &m.properties {
            check_property(p, diagnostics);
        }
    }
}

/// The directors of `text`, one declared per line (Fastly), for the tests of the parts.
#[cfg(test)]
fn one_per_line<'a>(text: &'a str, diags: &mut Vec<Diagnostic>) -> Vec<DirectorDecl<'a>> {
    let mut at = 0;
    text.split_inclusive('\n')
        .map(|line| {
            let span = Span::new(at, at + line.trim_end().len());
            at += line.len();
            parse_director(text, span, Dialect::Fastly, diags).expect("a director per line")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::parse_config;
    use proptest::prelude::*;

    #[test]
    fn random_hash_client_lower_and_others_stay_vcl_only() {
        let vcl = "backend F_a { .host = \"a.example.com\"; }\nbackend b { .host = \"b.example.com\"; }\n\
            director d1 random { .quorum = 50%; .retries = 2; { .backend = F_a; .weight = 1; } { .backend = b; .weight = 2; } }\n\
            director d2 fallback { { .backend = F_a; } }\n";
        let lowered = parse_config(vcl);
        assert!(!lowered.has_errors(), "{:?}", lowered.diagnostics);
        assert_eq!(
            lowered.config.directors,
            [Director {
                name: Some("d1".into()),
                kind: Some(1),
                quorum: Some(50),
                retries: Some(2),
                backends: Some(vec!["a".into(), "b".into()]),
                ..Director::default()
            }]
        );
        assert_eq!(lowered.vcl_only_directors.len(), 1);
        assert_eq!(lowered.vcl_only_directors[0].policy, "fallback");
        let infos: Vec<_> = lowered
            .diagnostics
            .iter()
            .filter(|d| d.code == "parse::vcl-only-director")
            .collect();
        assert_eq!(infos.len(), 1);
    }

    #[test]
    fn wrong_types_and_out_of_range_are_errors() {
        let lowered = parse_config(
            "director d random { .quorum = 150%; .retries = \"3\"; { .backend = a; .weight = 1; } }",
        );
        let codes: Vec<_> = lowered.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["parse::quorum-out-of-range", "parse::wrong-type"]);
        assert!(lowered.config.directors.is_empty());
    }

    /// The errors' and warnings' codes.
    fn codes(lowered: &Lowered) -> Vec<&'static str> {
        lowered
            .diagnostics
            .iter()
            .filter(|d| d.severity != crate::diagnostic::Severity::Info)
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn a_second_director_of_a_name_and_a_director_named_like_a_backend_are_errors() {
        let lowered = parse_config(
            "backend a { .host = \"a.example.com\"; }\n\
             director d random { { .backend = a; .weight = 1; } }\n\
             director d random { { .backend = a; .weight = 1; } }\n\
             director a fallback { { .backend = a; } }\n",
        );
        let mut found = codes(&lowered);
        found.sort_unstable();
        assert_eq!(
            found,
            ["parse::director-name-taken", "parse::duplicate-director"]
        );
        assert_eq!(lowered.config.directors.len(), 1);
    }

    #[test]
    fn a_director_naming_a_director_stays_in_vcl_and_says_why() {
        let lowered = parse_config(
            "backend F_a { .host = \"a.example.com\"; }\n\
             director inner random { { .backend = F_a; .weight = 1; } }\n\
             director outer random { { .backend = inner; .weight = 1; } }\n",
        );
        assert!(!lowered.has_errors(), "{:?}", lowered.diagnostics);
        let names: Vec<_> = lowered
            .config
            .directors
            .iter()
            .map(|d| d.name.clone())
            .collect();
        assert_eq!(names, [Some("inner".to_owned())]);
        assert_eq!(lowered.vcl_only_directors[0].name, "outer");
        assert_eq!(
            lowered.diagnostics[0].message,
            "director `outer` lists director `inner`: API directors list backends only, so it is not in the output"
        );
    }

    #[test]
    fn members_weights_and_auto_load_balancing_are_carried_onto_backends() {
        let lowered = parse_config(
            "backend F_a { .host = \"a.example.com\"; }\n\
             backend F_b { .host = \"b.example.com\"; }\n\
             backend F_c { .host = \"c.example.com\"; }\n\
             director F_pool random { { .backend = F_a; .weight = 3; } { .backend = F_b; .weight = 1; } }\n\
             director autodirector_ random { { .backend = F_c; .weight = 7; } }\n",
        );
        assert!(!lowered.has_errors(), "{:?}", lowered.diagnostics);
        let carried: Vec<_> = lowered
            .config
            .backends
            .iter()
            .map(|b| (b.weight, b.auto_loadbalance))
            .collect();
        assert_eq!(
            carried,
            [(Some(3), None), (Some(1), None), (Some(7), Some(true))]
        );
    }

    #[test]
    fn a_member_listed_twice_warns_and_is_listed_once() {
        let lowered = parse_config(
            "backend a { .host = \"a.example.com\"; }\n\
             director d client { { .backend = a; .weight = 1; } { .backend = a; .weight = 1; } }\n",
        );
        assert!(codes(&lowered).contains(&"parse::duplicate-member"));
        assert_eq!(
            lowered.config.directors[0].backends,
            Some(vec!["a".to_owned()])
        );
    }

    #[test]
    fn a_hyphenated_director_name_is_invalid_in_fastly_vcl() {
        let lowered = parse_config(
            "backend a { .host = \"a.example.com\"; }\n\
             director my-pool random { { .backend = a; .weight = 1; } }\n",
        );
        assert_eq!(codes(&lowered), ["parse::invalid-name"]);
    }

    proptest! {
        #[test]
        fn a_generated_director_lowers_to_exactly_its_fields(
            policy in prop::sample::select(vec!["random", "hash", "client"]),
            name in "d[a-z0-9_]{0,8}",
            quorum in prop::option::of(0i64..=100),
            retries in prop::option::of(0i64..1000),
            members in prop::collection::btree_map("b[a-z0-9_]{0,8}", (any::<bool>(), 1i64..1000), 1..5),
        ) {
            // Only random directors take `.retries` (docs/design.md §2.23).
            let retries = retries.filter(|_| policy == "random");
            let members: Vec<(String, bool, i64)> =
                members.into_iter().map(|(m, (p, w))| (m, p, w)).collect();
            let mut vcl = format!("director {name} {policy} {{\n");
            if let Some(q) = quorum { vcl += &format!("  .quorum = {q}%;\n"); }
            if let Some(r) = retries { vcl += &format!("  .retries = {r};\n"); }
            for (m, prefixed, w) in &members {
                let ident = if *prefixed { format!("F_{m}") } else { m.clone() };
                vcl += &format!("  {{ .backend = {ident}; .weight = {w}; }}\n");
            }
            vcl += "}\n";
            let backends: String = members
                .iter()
                .map(|(m, prefixed, _)| {
                    let ident = if *prefixed { format!("F_{m}") } else { m.clone() };
                    format!("backend {ident} {{ .host = \"h.example.com\"; }}\n")
                })
                .collect();
            let lowered = parse_config(&format!("{backends}{vcl}"));
            let directors: Vec<_> = lowered.config.directors.clone();
            prop_assert_eq!(
                directors,
                vec![Director {
                    name: Some(name.clone()),
                    kind: api_type(policy),
                    quorum,
                    retries,
                    backends: Some(members.iter().map(|(m, _, _)| m.clone()).collect()),
                    ..Director::default()
                }]
            );
        }
    }
}
