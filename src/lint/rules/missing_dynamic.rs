//! ## What it does
//! Reports hand-written backends without `.dynamic = true;`.

use crate::diagnostic::{Diagnostic, Label};
use crate::lint::context::{LintContext, boolean, property};
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::missing-dynamic",
    severity: Severity::Warning,
    summary: "a VCL backend without `.dynamic = true;`",
    help: "add `.dynamic = true;`",
    what: concat!(
        "Reports backends declared in VCL that do not set `.dynamic = true;` (or set it to false).",
        crate::generated_exempt!()
    ),
    why: "Fastly's backend documentation says `.dynamic = true;` is required on every VCL-defined backend. It is a warning, not an error: VCL without it compiles, and runs in production (older generated dumps have backends without it), so the file is not refused; the property is what Fastly documents for custom backends, and what lets the backend be changed without a new VCL version's full reload.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .share_key = \"abc123\";\n}",
    good: "backend origin {\n  .dynamic = true;\n  .host = \"example.com\";\n  .share_key = \"abc123\";\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

use crate::diagnostic::Severity;

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for decl in cx.checked_backends() {
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
