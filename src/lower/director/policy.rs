//! What each director policy takes (docs/design.md §2.23): its own properties, its members'
//! properties, which of them it requires, and whether it needs members. One row per policy;
//! lowering checks a declaration against its row.

use crate::diagnostic::{Diagnostic, Label};
use crate::span::Span;
use crate::syntax::Dialect;
use crate::syntax::director::{DirectorDecl, DirectorProperty, Member};

/// One director policy.
#[derive(Debug)]
pub struct Policy {
    pub name: &'static str,
    /// Properties of the director itself.
    pub properties: &'static [&'static str],
    /// Properties it requires.
    pub required: &'static [&'static str],
    /// Properties of a member `{ ... }`.
    pub member_properties: &'static [&'static str],
    /// Member properties it requires.
    pub member_required: &'static [&'static str],
    /// Whether it needs at least one member (Fastly's shield directors have none).
    pub needs_members: bool,
}

const fn policy(
    name: &'static str,
    properties: &'static [&'static str],
    member_properties: &'static [&'static str],
    member_required: &'static [&'static str],
) -> Policy {
    Policy {
        name,
        properties,
        required: &[],
        member_properties,
        member_required,
        needs_members: true,
    }
}

const WEIGHED: &[&str] = &["backend", "weight"];
const BACKEND_ONLY: &[&str] = &["backend"];

/// Fastly's policies, as its director reference and falco describe them.
pub const FASTLY: &[Policy] = &[
    policy("random", &["quorum", "retries"], WEIGHED, WEIGHED),
    policy("fallback", &[], BACKEND_ONLY, BACKEND_ONLY),
    policy("hash", &["quorum"], WEIGHED, WEIGHED),
    policy("client", &["quorum"], WEIGHED, WEIGHED),
    policy(
        "chash",
        &["key", "seed", "vnodes_per_node", "quorum"],
        &["backend", "id", "weight"],
        &["backend", "id"],
    ),
    Policy {
        name: "shield",
        properties: &["shield", "is_ssl"],
        required: &["shield"],
        member_properties: WEIGHED,
        member_required: BACKEND_ONLY,
        needs_members: false,
    },
];

/// Varnish's policies. Only what every Varnish version agrees on is required; which
/// properties a policy takes is not checked (versions differ).
pub const VARNISH: &[Policy] = &[
    policy("round-robin", &[], BACKEND_ONLY, BACKEND_ONLY),
    policy("random", &[], WEIGHED, WEIGHED),
    policy("hash", &[], WEIGHED, WEIGHED),
    policy("client", &[], WEIGHED, WEIGHED),
    policy("fallback", &[], BACKEND_ONLY, BACKEND_ONLY),
    Policy {
        name: "dns",
        properties: &[],
        required: &[],
        member_properties: BACKEND_ONLY,
        member_required: BACKEND_ONLY,
        needs_members: false,
    },
];

/// The row of `name` in `dialect`, `None` for an unknown policy (reported by the parser).
pub fn lookup(name: &str, dialect: Dialect) -> Option<&'static Policy> {
    let table = match dialect {
        Dialect::Fastly => FASTLY,
        Dialect::Varnish => VARNISH,
    };
    table.iter().find(|p| p.name == name)
}

/// Checks `decl` against its policy: properties it does not take, properties given twice,
/// required ones missing, no member.
pub fn check(decl: &DirectorDecl<'_>, dialect: Dialect, out: &mut Vec<Diagnostic>) {
    let Some(policy) = lookup(decl.policy, dialect) else {
        return;
    };
    let strict = dialect == Dialect::Fastly;
    duplicates(&decl.properties, out);
    if strict {
        for p in &decl.properties {
            if !policy.properties.contains(&p.name) {
                out.push(not_allowed(p, decl, policy.properties, "director"));
            }
        }
        for &name in policy.required {
            if decl.get(name).is_none() {
                out.push(missing(decl.name_span, decl, name, "director"));
            }
        }
    }
    for member in &decl.members {
        check_member(member, decl, policy, strict, out);
    }
    if policy.needs_members && decl.members.is_empty() && !holds_a_list(decl) {
        out.push(
            Diagnostic::error(
                "parse::empty-director",
                format!("director `{}` has no member", decl.name),
            )
            .with_label(Label::primary(decl.name_span, "no backend to choose from"))
            .with_help(format!(
                "add a member, e.g. `{{ .backend = F_origin;{} }}`, or remove the director",
                if policy.member_required.contains(&"weight") {
                    " .weight = 1;"
                } else {
                    ""
                }
            )),
        );
    }
}

/// A Varnish `dns` director lists its backends in `.list`.
fn holds_a_list(decl: &DirectorDecl<'_>) -> bool {
    decl.get("list").is_some()
}

fn check_member(
    member: &Member<'_>,
    decl: &DirectorDecl<'_>,
    policy: &Policy,
    strict: bool,
    out: &mut Vec<Diagnostic>,
) {
    duplicates(&member.properties, out);
    if strict {
        for p in &member.properties {
            if !policy.member_properties.contains(&p.name) {
                out.push(not_allowed(p, decl, policy.member_properties, "member"));
            }
        }
    }
    let open = Span::new(member.span.start, member.span.start + 1);
    // An empty member `{ }` lacks everything: one finding says so.
    if member.properties.is_empty() {
        out.push(missing(open, decl, "backend", "member"));
        return;
    }
    for &name in policy.member_required {
        if member.get(name).is_none() {
            out.push(missing(open, decl, name, "member"));
        }
    }
}

fn duplicates(properties: &[DirectorProperty<'_>], out: &mut Vec<Diagnostic>) {
    for (i, p) in properties.iter().enumerate() {
        if let Some(first) = properties[..i].iter().find(|q| q.name == p.name) {
            out.push(crate::lower::declaration::duplicate_property(
                p.name,
                p.name_span,
                first.name_span,
            ));
        }
    }
}

fn not_allowed(
    p: &DirectorProperty<'_>,
    decl: &DirectorDecl<'_>,
    takes: &[&str],
    of: &str,
) -> Diagnostic {
    let whose = match of {
        "member" => format!("a member of a `{}` director", decl.policy),
        _ => format!("a `{}` director", decl.policy),
    };
    let help = if takes.is_empty() {
        format!("{whose} takes no property: remove it")
    } else {
        let list: Vec<String> = takes.iter().map(|t| format!("`.{t}`")).collect();
        format!("{whose} takes {}", list.join(", "))
    };
    Diagnostic::error(
        "parse::property-not-allowed",
        format!("`.{}` is not a property of {whose}", p.name),
    )
    .with_label(Label::primary(p.name_span, "not for this policy"))
    .with_help(help)
}

fn missing(at: Span, decl: &DirectorDecl<'_>, name: &str, of: &str) -> Diagnostic {
    let (message, help) = match (of, name) {
        ("member", "backend") => (
            format!("a member of director `{}` names no backend", decl.name),
            "add `.backend = NAME;` to the member".to_owned(),
        ),
        ("member", _) => (
            format!(
                "a member of `{}` director `{}` has no `.{name}`",
                decl.policy, decl.name
            ),
            format!(
                "a `{}` director needs `.{name}` on every member, e.g. `{}`",
                decl.policy,
                example(name)
            ),
        ),
        _ => (
            format!(
                "`{}` director `{}` has no `.{name}`",
                decl.policy, decl.name
            ),
            format!("add `{}`", example(name)),
        ),
    };
    Diagnostic::error("parse::director-missing-property", message)
        .with_label(Label::primary(at, format!("`.{name}` missing")))
        .with_help(help)
}

fn example(name: &str) -> &'static str {
    match name {
        "weight" => ".weight = 1;",
        "id" => ".id = \"origin-1\";",
        "shield" => ".shield = \"iad-va-us\";",
        _ => ".backend = F_origin;",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::director::parse_director;

    fn codes(text: &str, dialect: Dialect) -> Vec<&'static str> {
        let mut out = Vec::new();
        let decl = parse_director(text, Span::new(0, text.len()), dialect, &mut out).unwrap();
        check(&decl, dialect, &mut out);
        out.iter().map(|d| d.code).collect()
    }

    #[test]
    fn every_fastly_policy_reads_its_own_properties_cleanly() {
        for text in [
            "director d random { .quorum = 50%; .retries = 2; { .backend = a; .weight = 1; } }",
            "director d fallback { { .backend = a; } { .backend = b; } }",
            "director d hash { .quorum = 50%; { .backend = a; .weight = 1; } }",
            "director d client { .quorum = 50%; { .backend = a; .weight = 1; } }",
            "director d chash { .key = object; .seed = 1; .vnodes_per_node = 8; .quorum = 10%; { .backend = a; .id = \"a\"; .weight = 2; } }",
            "director d shield { .shield = \"iad-va-us\"; .is_ssl = true; }",
        ] {
            assert_eq!(codes(text, Dialect::Fastly), Vec::<&str>::new(), "{text}");
        }
    }

    #[test]
    fn a_property_of_another_policy_is_not_allowed() {
        assert_eq!(
            codes(
                "director d fallback { .quorum = 50%; { .backend = a; .weight = 1; } }",
                Dialect::Fastly
            ),
            ["parse::property-not-allowed", "parse::property-not-allowed"]
        );
        assert_eq!(
            codes(
                "director d hash { .retries = 2; { .backend = a; .weight = 1; .id = \"x\"; } }",
                Dialect::Fastly
            ),
            ["parse::property-not-allowed", "parse::property-not-allowed"]
        );
    }

    #[test]
    fn required_properties_are_missing_at_the_member() {
        assert_eq!(
            codes(
                "director d random { { .backend = a; } { .weight = 1; } }",
                Dialect::Fastly
            ),
            [
                "parse::director-missing-property",
                "parse::director-missing-property"
            ]
        );
        assert_eq!(
            codes("director d chash { { .backend = a; } }", Dialect::Fastly),
            ["parse::director-missing-property"]
        );
        assert_eq!(
            codes("director d shield { .is_ssl = true; }", Dialect::Fastly),
            ["parse::director-missing-property"]
        );
    }

    #[test]
    fn an_empty_member_says_only_that_it_names_no_backend() {
        assert_eq!(
            codes("director d random { { } }", Dialect::Fastly),
            ["parse::director-missing-property"]
        );
    }

    #[test]
    fn a_director_without_members_is_empty_unless_its_policy_has_none() {
        assert_eq!(
            codes("director d random { .quorum = 10%; }", Dialect::Fastly),
            ["parse::empty-director"]
        );
        assert!(codes("director d shield { .shield = \"x\"; }", Dialect::Fastly).is_empty());
        assert!(
            codes(
                "director d dns { .list = { \"192.0.2.0\"/24; } }",
                Dialect::Varnish
            )
            .is_empty()
        );
    }

    #[test]
    fn properties_given_twice_are_duplicates() {
        assert_eq!(
            codes(
                "director d random { .quorum = 1%; .quorum = 2%; { .backend = a; .weight = 1; .weight = 2; } }",
                Dialect::Fastly
            ),
            ["parse::duplicate-property", "parse::duplicate-property"]
        );
    }

    #[test]
    fn varnish_policies_only_need_their_members() {
        assert!(
            codes(
                "director d random { .retries = 3; { .backend = a; .weight = 1; } }",
                Dialect::Varnish
            )
            .is_empty()
        );
        assert_eq!(
            codes("director d round-robin { }", Dialect::Varnish),
            ["parse::empty-director"]
        );
    }
}
