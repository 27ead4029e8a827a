//! ## What it does
//! Reports probe requests (HTTP/1.1) that send no `Host:` header.

use crate::ast::ValueKind;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, property};
use crate::lint::registry::{Falco, Rule};
use crate::lint::rules::probe_starts_unhealthy::probes;

pub static RULE: Rule = Rule {
    code: "lint::probe-request-without-host",
    severity: Severity::Warning,
    summary: "a probe `.request` without a `Host:` header",
    help: "add the origin's hostname as a line of the request: `\"Host: origin.example.com\"`",
    what: concat!(
        "Reports probes whose `.request` is an HTTP/1.1 request (its first line `METHOD PATH HTTP/1.1`) with no `Host:` line among the lines that follow. Requests whose first line is not a request line, and HTTP/1.0 requests (which need no Host), are not reported; nor are probes written with `.url`.",
        crate::generated_exempt!()
    ),
    why: "Fastly sends the probe's `.request` as written: HTTP/1.1 requires a Host header, and servers answer a request without one with 400 Bad Request, so the health check fails, and the backend is marked sick and gets no traffic even though it is up. Origins that serve several sites from one address need the Host to know which site is checked.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Connection: close\";\n    .threshold = 3;\n    .initial = 3;\n  }\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .threshold = 3;\n    .initial = 3;\n  }\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for probe in probes(cx) {
        let Some(prop) = property(&probe.properties, "request") else {
            continue;
        };
        let ValueKind::String(value) = &prop.value.kind else {
            continue;
        };
        // Each string is a line (or several, with escaped line breaks); bad escapes are
        // lowering's finding.
        let mut lines = Vec::new();
        for part in value.parts() {
            let Ok(text) = part.decode() else {
                continue;
            };
            lines.extend(
                text.split('\n')
                    .map(|l| l.trim_end_matches('\r').to_string()),
            );
        }
        let Some(first) = lines.first() else {
            continue;
        };
        if !http11_request_line(first) {
            continue;
        }
        let has_host = lines[1..].iter().any(|l| {
            l.split_once(':')
                .is_some_and(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
        });
        if has_host {
            continue;
        }
        out.push(
            RULE.diagnostic(format!(
                "{} sends an HTTP/1.1 request without a `Host:` header",
                probe.subject()
            ))
            .with_label(Label::primary(prop.value.span, "no `Host:` line")),
        );
    }
}

/// `METHOD TARGET HTTP/1.1`.
fn http11_request_line(line: &str) -> bool {
    let mut words = line.split(' ');
    let method = words.next().unwrap_or("");
    let target = words.next().unwrap_or("");
    !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && !target.is_empty()
        && words.next() == Some("HTTP/1.1")
        && words.next().is_none()
}
