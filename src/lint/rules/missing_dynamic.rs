//! ## What it does
//! Reports hand-written backends without `.dynamic = true;`.

use crate::diagnostic::{Diagnostic, Label};
use crate::lint::context::{LintContext, boolean, property};
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::missing-dynamic",
    severity: Severity::Error,
    summary: "a VCL backend without `.dynamic = true;`",
    help: "add `.dynamic = true;`",
    what: "Reports backends declared in VCL that do not set `.dynamic = true;` (or set it to false). Backends Fastly's generator wrote into a \"Show VCL\" dump are exempt.",
    why: "Fastly requires `.dynamic = true;` on every VCL-defined backend.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .share_key = \"abc123\";\n}",
    good: "backend origin {\n  .dynamic = true;\n  .host = \"example.com\";\n  .share_key = \"abc123\";\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

use crate::diagnostic::Severity;

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for decl in cx.backends().filter(|d| cx.hand_written(d)) {
        let prop = property(decl, "dynamic");
        if boolean(prop) == Some(true) {
            continue;
        }
        let (span, label) = match prop {
            Some(p) => (p.value.span, "must be `true`"),
            None => (decl.name.span, "no `.dynamic = true;`"),
        };
        out.push(
            RULE.diagnostic(format!(
                "backend `{}` is not `.dynamic = true`",
                decl.name.text
            ))
            .with_label(Label::primary(span, label)),
        );
    }
}
