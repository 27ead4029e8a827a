//! ## What it does
//! Reports hand-written backends without `.share_key`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, property};
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::missing-share-key",
    severity: Severity::Warning,
    summary: "a VCL backend without `.share_key`",
    help: "add `.share_key = \"<your service ID>\";` (alphanumeric)",
    what: concat!(
        "Reports backends declared in VCL without `.share_key`.",
        crate::generated_exempt!()
    ),
    why: "Fastly's documentation requires it for VCL backends; it lets backends share health checks and connections. Generated backends use the service ID.",
    bad: "backend origin {\n  .dynamic = true;\n  .host = \"example.com\";\n}",
    good: "backend origin {\n  .dynamic = true;\n  .host = \"example.com\";\n  .share_key = \"SU1Z0isxPaozGVKXdv0eY\";\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for decl in cx.checked_backends() {
        if property(decl, "share_key").is_none() {
            out.push(
                RULE.diagnostic(format!("backend `{}` has no `.share_key`", decl.name.text))
                    .with_label(Label::primary(decl.name.span, "no `.share_key`")),
            );
        }
    }
}
