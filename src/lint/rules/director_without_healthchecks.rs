//! ## What it does
//! Reports directors with a `.quorum` whose members are all backends without a health check.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::LintContext;
use crate::lint::registry::{Falco, Rule};
use crate::lint::rules::unreachable_quorum::quorum;
use crate::lint::rules::zero_weight::WEIGHTED;
use crate::syntax::director::DirectorValue;

pub static RULE: Rule = Rule {
    code: "lint::director-without-healthchecks",
    severity: Severity::Info,
    summary: "a director with a `.quorum` whose members have no health check",
    help: "give the member backends a `.probe` (a real one, not `.dummy = true`), or remove the `.quorum`",
    what: concat!(
        "Reports `random`, `hash`, `client` and `chash` directors that write a `.quorum` above 0% when every member is a backend declared in the file with no `.probe`, or with Fastly's dummy probe (`.dummy = true`, never sent). A member that is a director, an anonymous backend, or a backend declared elsewhere (an API backend `F_...`, which may have a healthcheck) may have a health state of its own, and the director is then not reported.",
        crate::generated_directors_exempt!()
    ),
    why: "The quorum counts the weight of the healthy members, and a backend without a health check is never found unhealthy by one: the quorum is then almost never what decides (only a member whose connections are all taken, `.max_connections`, or that saintmode sets aside counts as unhealthy), and the director keeps sending requests to a member that is down. Info, not a warning: the director still works as a load balancer, and the file may rely on these members never failing; the quorum is what was written for nothing.",
    bad: "backend a { .dynamic = true; .share_key = \"abc123\"; .host = \"a.example.com\"; }\nbackend b { .dynamic = true; .share_key = \"abc123\"; .host = \"b.example.com\"; }\n\ndirector pool random {\n  .quorum = 50%;\n  { .backend = a; .weight = 1; }\n  { .backend = b; .weight = 1; }\n}\n\nsub vcl_recv {\n  set req.backend = pool;\n}",
    good: "backend a {\n  .dynamic = true;\n  .share_key = \"abc123\";\n  .host = \"a.example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: a.example.com\" \"Connection: close\";\n    .threshold = 3;\n    .initial = 3;\n  }\n}\nbackend b {\n  .dynamic = true;\n  .share_key = \"abc123\";\n  .host = \"b.example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: b.example.com\" \"Connection: close\";\n    .threshold = 3;\n    .initial = 3;\n  }\n}\n\ndirector pool random {\n  .quorum = 50%;\n  { .backend = a; .weight = 1; }\n  { .backend = b; .weight = 1; }\n}\n\nsub vcl_recv {\n  set req.backend = pool;\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for d in cx.checked_directors() {
        if !WEIGHTED.contains(&d.policy) || d.members.is_empty() {
            continue;
        }
        let Some((q, quorum_prop)) = quorum(d) else {
            continue;
        };
        let unchecked = d.members.iter().all(|m| match m.get("backend") {
            Some(DirectorValue::Ident(name)) => {
                !cx.directors.is_director(name) && cx.declared.get(name) == Some(&false)
            }
            _ => false,
        });
        if unchecked {
            out.push(
                RULE.diagnostic(format!(
                    "director `{}` has a quorum of {q}%, but none of its members has a health check: the quorum hardly ever acts",
                    d.name
                ))
                .with_label(Label::primary(quorum_prop.value_span, "hardly ever acts"))
                .with_label(Label::secondary(d.name_span, "no member has a `.probe`")),
            );
        }
    }
}
