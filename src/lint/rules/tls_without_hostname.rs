//! ## What it does
//! Reports TLS backends with no hostname for the certificate check or for SNI.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, boolean, property, text};
use crate::lint::registry::{Falco, Rule};

/// Properties that give the TLS connection a hostname. `.ssl_hostname` is the deprecated
/// property that set both, and older generated dumps still use it.
const HOSTNAMES: &[&str] = &["ssl_cert_hostname", "ssl_sni_hostname", "ssl_hostname"];

pub static RULE: Rule = Rule {
    code: "lint::tls-without-hostname",
    severity: Severity::Warning,
    summary: "`.ssl = true` without `.ssl_cert_hostname` or `.ssl_sni_hostname`",
    help: "add `.ssl_cert_hostname` and `.ssl_sni_hostname` with the name on the origin's certificate",
    what: concat!(
        "Reports backends with `.ssl = true;` and none of `.ssl_cert_hostname`, `.ssl_sni_hostname` and the older `.ssl_hostname` (which set both and is accepted here), or with all of them empty. A certificate hostname without an SNI hostname is `tls-without-sni-hostname`'s finding.",
        crate::generated_exempt!()
    ),
    why: "`.ssl_cert_hostname` is the name the origin's certificate is checked against, and `.ssl_sni_hostname` the name sent in the TLS handshake (SNI). Without either, the certificate is not checked against the name you expect, and origins that serve several sites from one address (cloud storage, platforms, other CDNs) cannot tell which certificate to present: the handshake or the certificate check fails, and requests get a 503.",
    bad: "backend origin {\n  .host = \"origin.example.com\";\n  .port = \"443\";\n  .ssl = true;\n}",
    good: "backend origin {\n  .host = \"origin.example.com\";\n  .port = \"443\";\n  .ssl = true;\n  .ssl_cert_hostname = \"origin.example.com\";\n  .ssl_sni_hostname = \"origin.example.com\";\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // A declaration cut short by a syntax error may have lost its hostname lines.
    for decl in cx.checked_backends().filter(|d| !d.recovered) {
        let Some(ssl) = property(decl, "ssl") else {
            continue;
        };
        if boolean(Some(ssl)) != Some(true) {
            continue;
        }
        // A value that cannot be read is lowering's finding; only an empty one counts as unset.
        let named = HOSTNAMES.iter().any(|name| {
            property(decl, name).is_some_and(|p| text(Some(p)).is_none_or(|v| !v.is_empty()))
        });
        if named {
            continue;
        }
        out.push(
            RULE.diagnostic(format!(
                "backend `{}` uses TLS without a certificate or SNI hostname",
                decl.name.text
            ))
            .with_label(Label::primary(
                ssl.value.span,
                "TLS with no `.ssl_cert_hostname` or `.ssl_sni_hostname`",
            )),
        );
    }
}
