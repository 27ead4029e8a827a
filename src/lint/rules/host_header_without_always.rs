//! ## What it does
//! Reports `.host_header` without `.always_use_host_header = true;`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, boolean, property};
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::host-header-without-always",
    severity: Severity::Warning,
    summary: "`.host_header` without `.always_use_host_header = true;`",
    help: "add `.always_use_host_header = true;` next to `.host_header`",
    what: concat!(
        "Reports backends that set `.host_header` but not `.always_use_host_header = true;` (absent, or `false`). Fastly's generator writes the two together, for the API's `override_host`.",
        crate::generated_exempt!()
    ),
    why: "`.host_header` alone follows Varnish: it is the Host header of health checks and of backend requests that have none, and ordinary requests, which always carry the client's Host, reach the origin with it unchanged. People who write `.host_header` expect it to replace the Host on every request (as an override host does), and origins that route by Host (cloud storage, platforms) then answer 404 or 403. The API cannot express the Varnish form either: its `override_host` always applies.",
    bad: "backend origin {\n  .host = \"my-bucket.s3.amazonaws.com\";\n  .host_header = \"my-bucket.s3.amazonaws.com\";\n}",
    good: "backend origin {\n  .host = \"my-bucket.s3.amazonaws.com\";\n  .host_header = \"my-bucket.s3.amazonaws.com\";\n  .always_use_host_header = true;\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for decl in cx.checked_backends() {
        let Some(host_header) = property(decl, "host_header") else {
            continue;
        };
        let always = property(decl, "always_use_host_header");
        let label = match always {
            // Unreadable: lowering reports it.
            Some(p) => match boolean(Some(p)) {
                Some(true) | None => continue,
                Some(false) => "used only where a request has no Host header",
            },
            // A declaration cut short may have lost the line.
            None if decl.recovered => continue,
            None => "used only where a request has no Host header",
        };
        let mut diagnostic = RULE
            .diagnostic(format!(
                "backend `{}` sets `.host_header` without `.always_use_host_header = true`",
                decl.name.text
            ))
            .with_label(Label::primary(host_header.name.span, label));
        if let Some(p) = always {
            diagnostic = diagnostic.with_label(Label::secondary(p.value.span, "not `true`"));
        }
        out.push(diagnostic);
    }
}
