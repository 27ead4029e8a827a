//! ## What it does
//! Reports TLS on port 80, and plain HTTP on port 443.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, boolean, port, property};
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::tls-port-mismatch",
    severity: Severity::Warning,
    summary: "TLS on port 80, or no TLS on port 443",
    help: "on port 443 add `.ssl = true;` (with `.ssl_cert_hostname` and `.ssl_sni_hostname`); for TLS use `.port = \"443\";`",
    what: concat!(
        "Reports backends with `.port = \"443\";` and `.ssl` false or absent (VCL's default is no TLS), and backends with `.ssl = true;` and `.port = \"80\";`. Other ports are not checked: they carry either. (Shield nodes in older dumps, `.is_shield`, are on port 443 without `.ssl`: they are the generator's.)",
        crate::generated_exempt!()
    ),
    why: "Port 443 is HTTPS and port 80 is HTTP. Plain HTTP sent to an HTTPS port (or a TLS handshake sent to an HTTP port) fails, so every request to the backend gets a 503; and when an origin does answer plain HTTP on 443, the traffic is unencrypted where TLS was surely meant.",
    bad: "backend origin {\n  .host = \"origin.example.com\";\n  .port = \"443\";\n}",
    good: "backend origin {\n  .host = \"origin.example.com\";\n  .port = \"443\";\n  .ssl = true;\n  .ssl_cert_hostname = \"origin.example.com\";\n  .ssl_sni_hostname = \"origin.example.com\";\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for decl in cx.checked_backends() {
        let Some(port_prop) = property(decl, "port") else {
            continue;
        };
        let ssl_prop = property(decl, "ssl");
        let ssl = match ssl_prop {
            // Unreadable: lowering reports it.
            Some(p) => match boolean(Some(p)) {
                Some(v) => v,
                None => continue,
            },
            // A declaration cut short may have lost its `.ssl` line.
            None if decl.recovered => continue,
            None => false,
        };
        let (message, label) = match (port(Some(port_prop)), ssl) {
            (Some(443), false) => (
                format!("backend `{}` sends plain HTTP to port 443", decl.name.text),
                "the HTTPS port, without `.ssl = true`",
            ),
            (Some(80), true) => (
                format!("backend `{}` uses TLS on port 80", decl.name.text),
                "the plain HTTP port, with `.ssl = true`",
            ),
            _ => continue,
        };
        let mut diagnostic = RULE
            .diagnostic(message)
            .with_label(Label::primary(port_prop.value.span, label));
        if let Some(p) = ssl_prop {
            let what = if ssl { "TLS on" } else { "TLS off" };
            diagnostic = diagnostic.with_label(Label::secondary(p.value.span, what));
        }
        out.push(diagnostic);
    }
}
