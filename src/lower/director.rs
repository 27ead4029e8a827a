//! Directors (docs/design.md §2.20): each `director` form lowering met is parsed
//! ([`crate::syntax::director`]) and its values checked; `random`, `hash` and `client`
//! directors become API [`Director`]s, the other policies (no API type) stay VCL-only.

use crate::diagnostic::{Diagnostic, Label};
use crate::lower::Lowered;
use crate::model::names::api_name;
use crate::model::{Director, director_type};
use crate::span::Span;
use crate::syntax::Dialect;
use crate::syntax::director::{DirectorDecl, DirectorProperty, DirectorValue, parse_director};

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

/// Parses and lowers the directors at `lowered.directors`.
pub fn lower_directors(src: &str, dialect: Dialect, lowered: &mut Lowered) {
    let mut directors = Vec::new();
    let mut vcl_only = Vec::new();
    let mut diagnostics = Vec::new();
    for &span in &lowered.directors {
        let before = diagnostics.len();
        let Some(decl) = parse_director(src, span, dialect, &mut diagnostics) else {
            continue;
        };
        check_values(&decl, &mut diagnostics);
        if diagnostics[before..].iter().any(Diagnostic::is_error) {
            continue;
        }
        match api_type(decl.policy) {
            Some(kind) if !generator_made(decl.name) => directors.push(lower_director(&decl, kind)),
            api => {
                if api.is_none() {
                    diagnostics.push(vcl_only_info(&decl));
                }
                vcl_only.push(VclOnlyDirector {
                    name: decl.name.to_owned(),
                    policy: decl.policy.to_owned(),
                    span: decl.span,
                });
            }
        }
    }
    lowered.config.directors = directors;
    lowered.vcl_only_directors = vcl_only;
    lowered.diagnostics.append(&mut diagnostics);
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
    let backends = decl
        .members
        .iter()
        .filter_map(|m| match m.get("backend") {
            Some(DirectorValue::Ident(ident)) => Some(api_name(ident).to_owned()),
            _ => None,
        })
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

fn vcl_only_info(decl: &DirectorDecl<'_>) -> Diagnostic {
    Diagnostic::info(
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
    .with_help("the API has random (1), hash (3) and client (4) directors; this one stays in VCL")
}

/// What each property takes: `(name, type as said in errors, whether `value` is one)`.
fn expected(name: &str, value: &DirectorValue<'_>) -> Option<&'static str> {
    let ok = match (name, value) {
        ("quorum", DirectorValue::Percent(_)) => true,
        ("quorum", _) => return Some("a percentage (`50%`)"),
        ("retries" | "seed" | "vnodes_per_node" | "weight", DirectorValue::Integer(_)) => true,
        ("retries" | "seed" | "vnodes_per_node" | "weight", _) => {
            return Some("an integer");
        }
        ("key", DirectorValue::Ident("object" | "client")) => true,
        ("key", _) => return Some("`object` or `client`"),
        ("shield" | "id", DirectorValue::Str(_)) => true,
        ("shield" | "id", _) => return Some("a string"),
        ("is_ssl", DirectorValue::Bool(_)) => true,
        ("is_ssl", _) => return Some("`true` or `false`"),
        ("backend", DirectorValue::Ident(_) | DirectorValue::Object) => true,
        ("backend", _) => return Some("a backend name"),
        _ => true,
    };
    (!ok).then_some("")
}

fn check_property(p: &DirectorProperty<'_>, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(what) = expected(p.name, &p.value) {
        diagnostics.push(
            Diagnostic::error("parse::wrong-type", format!("`.{}` takes {what}", p.name))
                .with_label(Label::primary(p.value_span, "a value of the wrong type")),
        );
        return;
    }
    if let ("quorum", DirectorValue::Percent(n)) = (p.name, &p.value)
        && !(0..=100).contains(n)
    {
        diagnostics.push(
            Diagnostic::error(
                "parse::out-of-range",
                format!("a quorum of {n}% is not 0-100%"),
            )
            .with_label(Label::primary(p.value_span, "out of range")),
        );
    }
}

pub(crate) fn check_values(decl: &DirectorDecl<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for p in &decl.properties {
        check_property(p, diagnostics);
    }
    for m in &decl.members {
        for p in &m.properties {
            check_property(p, diagnostics);
        }
    }
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
            "director d hash { .quorum = 150%; .retries = \"3\"; { .backend = a; .weight = 1; } }",
        );
        let codes: Vec<_> = lowered.diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"parse::out-of-range"), "{codes:?}");
        assert!(codes.contains(&"parse::wrong-type"), "{codes:?}");
        assert!(lowered.config.directors.is_empty());
    }

    proptest! {
        #[test]
        fn a_generated_director_lowers_to_exactly_its_fields(
            policy in prop::sample::select(vec!["random", "hash", "client"]),
            name in "[a-z][a-z0-9_]{0,8}",
            quorum in prop::option::of(0i64..=100),
            retries in prop::option::of(0i64..1000),
            members in prop::collection::vec(("b[a-z0-9_]{0,8}", any::<bool>(), 1i64..1000), 0..5),
        ) {
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
