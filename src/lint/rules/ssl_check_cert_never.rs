//! ## What it does
//! Reports `.ssl_check_cert = never;`.

use crate::ast::ValueKind;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, property};
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::ssl-check-cert-never",
    severity: Severity::Warning,
    summary: "TLS without certificate checks",
    help: "use `.ssl_check_cert = always;` and fix the origin's certificate, or set `.ssl_cert_hostname`",
    what: concat!(
        "Reports backends with `.ssl_check_cert = never;`.",
        crate::generated_exempt!()
    ),
    why: "Without certificate checks, anyone on the path to the origin can pose as it: TLS then protects nothing.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .ssl = true;\n  .ssl_check_cert = never;\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .ssl = true;\n  .ssl_check_cert = always;\n  .ssl_cert_hostname = \"example.com\";\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for decl in cx.checked_backends() {
        if let Some(prop) = property(decl, "ssl_check_cert") {
            if prop.value.kind == ValueKind::Ident("never") {
                out.push(
                    RULE.diagnostic(format!(
                        "backend `{}` does not check its origin's certificate",
                        decl.name.text
                    ))
                    .with_label(Label::primary(prop.value.span, "certificate not checked")),
                );
            }
        }
    }
}
