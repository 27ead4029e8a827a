//! ## What it does
//! Reports a written `.quorum` that the members' weights can never reach, or that the loss
//! of one member already breaks.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::LintContext;
use crate::lint::registry::{Falco, Rule};
use crate::lint::rules::zero_weight::{WEIGHTED, member_name};
use crate::syntax::director::{DirectorDecl, DirectorProperty, DirectorValue, Member};

pub static RULE: Rule = Rule {
    code: "lint::unreachable-quorum",
    severity: Severity::Warning,
    summary: "a director `.quorum` the members' weights cannot reach, or that one member's failure breaks",
    help: "lower the `.quorum`, or change the weights so that the quorum holds with any one member down",
    what: concat!(
        "Fastly counts a director healthy when the weights of its healthy members add up to at least its `.quorum` (a percentage of all the members' weights). The rule checks `random`, `hash`, `client` and `chash` directors that write a `.quorum` above 0% and whose members all have a readable `.weight` of 0 or more, and reports two cases. First, the weights add up to 0 (every member has `.weight = 0`): no member can ever make the quorum, and the director is never healthy. Second, in a director of two members or more, the weight left when its heaviest member is down is below the quorum: that one member failing takes the whole director down, whatever the health of the others (with weights 2 and 1 and `.quorum = 50%`, the member of weight 1 alone is 33%). A weight left exactly at the quorum is not reported. Without a written `.quorum` nothing is checked: Fastly's VCL director is then healthy while any member is (the API's default of 75% applies to API directors only). A director of one member is not reported: it is down when its member is, whatever its quorum.",
        crate::generated_directors_exempt!()
    ),
    why: "A quorum is there to keep a director serving while some members fail, and to stop it when too few are left. One that the weights cannot reach makes the director permanently unhealthy (every request to it fails, or goes to whatever handles an unhealthy backend); one that a single failure breaks gives the pool no redundancy against that member, while the other members are healthy and idle.",
    bad: "director pool random {\n  .quorum = 50%;\n  { .backend = F_a; .weight = 2; }\n  { .backend = F_b; .weight = 1; }\n}",
    good: "director pool random {\n  .quorum = 50%;\n  { .backend = F_a; .weight = 1; }\n  { .backend = F_b; .weight = 1; }\n  { .backend = F_c; .weight = 1; }\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

/// A director's written quorum above 0%, with its property.
pub fn quorum<'d, 'a>(d: &'d DirectorDecl<'a>) -> Option<(i64, &'d DirectorProperty<'a>)> {
    let p = d.properties.iter().find(|p| p.name == "quorum")?;
    match p.value {
        DirectorValue::Percent(q) if (1..=100).contains(&q) => Some((q, p)),
        _ => None,
    }
}

/// Every member's weight, when each has one that is 0 or more.
fn weights<'d, 'a>(d: &'d DirectorDecl<'a>) -> Option<Vec<(&'d Member<'a>, i64)>> {
    d.members
        .iter()
        .map(|m| match m.get("weight") {
            Some(DirectorValue::Integer(w)) if *w >= 0 => Some((m, *w)),
            _ => None,
        })
        .collect()
}

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for d in cx.checked_directors() {
        if !WEIGHTED.contains(&d.policy) || d.members.is_empty() {
            continue;
        }
        let (Some((q, quorum_prop)), Some(weights)) = (quorum(d), weights(d)) else {
            continue;
        };
        // Weights are each at most i64::MAX: add them as i128 so that no sum overflows.
        let total: i128 = weights.iter().map(|(_, w)| i128::from(*w)).sum();
        let quorum_label = Label::primary(quorum_prop.value_span, "the quorum");
        if total == 0 {
            out.push(
                RULE.diagnostic(format!(
                    "director `{}` can never be healthy: its members' weights add up to 0, below its quorum of {q}%",
                    d.name
                ))
                .with_label(quorum_label)
                .with_help("give the members weights above 0, or remove the `.quorum`"),
            );
            continue;
        }
        let Some(&(heaviest, most)) = weights.iter().rev().max_by_key(|(_, w)| *w) else {
            continue;
        };
        let left = total - i128::from(most);
        // Below the quorum: left / total < q / 100.
        if weights.len() < 2 || left * 100 >= i128::from(q) * total {
            continue;
        }
        let share = left * 100 / total;
        out.push(
            RULE.diagnostic(format!(
                "director `{}` goes down when {} alone fails: the other members' weight ({left} of {total}, {share}%) is below its quorum of {q}%",
                d.name,
                member_name(heaviest)
            ))
            .with_label(quorum_label)
            .with_label(Label::secondary(heaviest.span, "its heaviest member")),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{LintOptions, lint};
    use crate::source::SourceFile;

    fn fires(director: &str) -> bool {
        let file = SourceFile::new("q.vcl", director);
        lint(&file, &LintOptions::default())
            .iter()
            .any(|d| d.code == "lint::unreachable-quorum")
    }

    #[test]
    fn the_weight_left_at_exactly_the_quorum_is_enough() {
        let d = |q: u32| {
            format!(
                "director d random {{ .quorum = {q}%; {{ .backend = F_a; .weight = 1; }} {{ .backend = F_b; .weight = 1; }} }}"
            )
        };
        assert!(!fires(&d(50)));
        assert!(fires(&d(51)));
    }

    #[test]
    fn no_written_quorum_or_an_unreadable_weight_is_not_checked() {
        assert!(!fires(
            "director d random { { .backend = F_a; .weight = 9; } { .backend = F_b; .weight = 1; } }"
        ));
        assert!(!fires(
            "director d random { .quorum = 90%; { .backend = F_a; .weight = 9; } { .backend = F_b; } }"
        ));
        assert!(!fires(
            "director d fallback { .quorum = 90%; { .backend = F_a; } { .backend = F_b; } }"
        ));
    }

    #[test]
    fn the_largest_weights_do_not_overflow() {
        let max = i64::MAX;
        assert!(fires(&format!(
            "director d hash {{ .quorum = 100%; {{ .backend = F_a; .weight = {max}; }} {{ .backend = F_b; .weight = {max}; }} {{ .backend = F_c; .weight = {max}; }} }}"
        )));
    }
}
