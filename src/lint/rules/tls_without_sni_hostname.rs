//! ## What it does
//! Reports TLS backends that name the certificate's host (`.ssl_cert_hostname`) but send no
//! SNI (`.ssl_sni_hostname`).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, boolean, property, text};
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::tls-without-sni-hostname",
    severity: Severity::Warning,
    summary: "TLS with `.ssl_cert_hostname` but no `.ssl_sni_hostname`: no SNI is sent",
    help: "add `.ssl_sni_hostname` with the name the origin serves, usually the `.ssl_cert_hostname`",
    what: concat!(
        "Reports backends with `.ssl = true;` and a non-empty `.ssl_cert_hostname` but no `.ssl_sni_hostname` (absent or empty), and no deprecated `.ssl_hostname` (which sets both). A TLS backend with neither hostname is `tls-without-hostname`'s finding, not this rule's, so a backend gets one of the two at most.",
        crate::generated_exempt!()
    ),
    why: "`.ssl_cert_hostname` only says which name the certificate is checked against; the TLS handshake carries the name in SNI, which is `.ssl_sni_hostname`. Without it the handshake names no host, and origins that serve several sites from one address (cloud storage, platforms, other CDNs) present a default certificate, which then fails the check against `.ssl_cert_hostname`, or refuse the handshake: requests get a 503.",
    bad: "backend origin {\n  .dynamic = true;\n  .host = \"origin.example.com\";\n  .port = \"443\";\n  .share_key = \"abc123\";\n  .ssl = true;\n  .ssl_cert_hostname = \"origin.example.com\";\n}",
    good: "backend origin {\n  .dynamic = true;\n  .host = \"origin.example.com\";\n  .port = \"443\";\n  .share_key = \"abc123\";\n  .ssl = true;\n  .ssl_cert_hostname = \"origin.example.com\";\n  .ssl_sni_hostname = \"origin.example.com\";\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // A declaration cut short by a syntax error may have lost its hostname lines.
    for decl in cx.checked_backends().filter(|d| !d.recovered) {
        let Some(cert) = property(decl, "ssl_cert_hostname") else {
            continue;
        };
        if boolean(property(decl, "ssl")) != Some(true) {
            continue;
        }
        // Unreadable values are lowering's finding; only an empty one counts as unset.
        let set = |name| {
            property(decl, name).is_some_and(|p| text(Some(p)).is_none_or(|v| !v.is_empty()))
        };
        if !set("ssl_cert_hostname") || set("ssl_sni_hostname") || set("ssl_hostname") {
            continue;
        }
        let mut diagnostic = RULE
            .diagnostic(format!(
                "backend `{}` checks the certificate's hostname but sends no SNI",
                decl.name.text
            ))
            .with_label(Label::primary(
                cert.name.span,
                "no `.ssl_sni_hostname` beside it",
            ));
        if let Some(sni) = property(decl, "ssl_sni_hostname") {
            diagnostic = diagnostic.with_label(Label::secondary(sni.value.span, "empty"));
        }
        out.push(diagnostic);
    }
}
