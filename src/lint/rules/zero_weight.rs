//! ## What it does
//! Reports director members with `.weight = 0`, which are never chosen.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::LintContext;
use crate::lint::registry::{Falco, Rule};
use crate::syntax::director::{DirectorDecl, DirectorValue, Member};

pub static RULE: Rule = Rule {
    code: "lint::zero-weight",
    severity: Severity::Warning,
    summary: "a director member with `.weight = 0`: it is never chosen",
    help: "give it a weight of 1 or more, or remove the member (for a standby backend, use a `fallback` director)",
    what: concat!(
        "Reports members of `random`, `hash`, `client` and `chash` directors whose `.weight` is 0. A negative weight is `out-of-range`; a `fallback` member takes no weight at all (`director-property-not-allowed`).",
        crate::generated_directors_exempt!()
    ),
    why: "A director chooses among its members in proportion to their weights: a member of weight 0 is never chosen, so the backend looks like part of the pool and takes no traffic. Usually it was meant as a standby (which is what a `fallback` director is for), or the weight is a leftover of taking it out of service.",
    bad: "director pool random {\n  { .backend = F_a; .weight = 1; }\n  { .backend = F_b; .weight = 0; }\n}",
    good: "director pool random {\n  { .backend = F_a; .weight = 1; }\n  { .backend = F_b; .weight = 1; }\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

/// Policies whose members carry a weight.
pub const WEIGHTED: &[&str] = &["random", "hash", "client", "chash"];

/// A member's name as written, for messages: `.backend = NAME`, or what else it is.
pub fn member_name(m: &Member<'_>) -> String {
    match m.get("backend") {
        Some(DirectorValue::Ident(name)) => format!("member `{name}`"),
        Some(DirectorValue::Object) => "an anonymous member".to_owned(),
        _ => "a member".to_owned(),
    }
}

/// The members of a weighted director, with their weight's property.
fn weights<'d, 'a>(
    d: &'d DirectorDecl<'a>,
) -> impl Iterator<
    Item = (
        &'d Member<'a>,
        &'d crate::syntax::director::DirectorProperty<'a>,
    ),
> {
    d.members.iter().filter_map(|m| {
        m.properties
            .iter()
            .find(|p| p.name == "weight")
            .map(|p| (m, p))
    })
}

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for d in cx.checked_directors() {
        if !WEIGHTED.contains(&d.policy) {
            continue;
        }
        for (member, weight) in weights(d) {
            if weight.value == DirectorValue::Integer(0) {
                out.push(
                    RULE.diagnostic(format!(
                        "{} of director `{}` has weight 0: it is never chosen",
                        member_name(member),
                        d.name
                    ))
                    .with_label(Label::primary(weight.value_span, "never chosen")),
                );
            }
        }
    }
}
