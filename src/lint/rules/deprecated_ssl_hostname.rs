//! ## What it does
//! Reports the deprecated `.ssl_hostname`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, property};
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::deprecated-ssl-hostname",
    severity: Severity::Warning,
    summary: "the deprecated `.ssl_hostname`",
    help: "write `.ssl_cert_hostname` and `.ssl_sni_hostname` with its value instead",
    what: concat!(
        "Reports backends that set `.ssl_hostname`, which set both the certificate hostname and the SNI hostname before Fastly split it into `.ssl_cert_hostname` and `.ssl_sni_hostname`.",
        crate::generated_exempt!(),
        " (Dumps from before the split carry it on the generator's backends.)"
    ),
    why: "Fastly's API marks `ssl_hostname` deprecated (\"Use ssl_cert_hostname and ssl_sni_hostname\"): it is kept for old configurations, and an API backend made from it (`vcl-backend migrate`) is better made with the two current fields. Where `.ssl_cert_hostname` or `.ssl_sni_hostname` is also set, which of the values wins is not documented.",
    bad: "backend origin {\n  .dynamic = true;\n  .host = \"origin.example.com\";\n  .port = \"443\";\n  .share_key = \"abc123\";\n  .ssl = true;\n  .ssl_hostname = \"origin.example.com\";\n}",
    good: "backend origin {\n  .dynamic = true;\n  .host = \"origin.example.com\";\n  .port = \"443\";\n  .share_key = \"abc123\";\n  .ssl = true;\n  .ssl_cert_hostname = \"origin.example.com\";\n  .ssl_sni_hostname = \"origin.example.com\";\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for decl in cx.checked_backends() {
        if let Some(prop) = property(decl, "ssl_hostname") {
            out.push(
                RULE.diagnostic(format!(
                    "backend `{}` sets the deprecated `.ssl_hostname`",
                    decl.name.text
                ))
                .with_label(Label::primary(prop.name.span, "deprecated")),
            );
        }
    }
}
