//! ## What it does
//! Reports probe `.expected_response` values that are no HTTP status (outside 100-599).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, integer, property};
use crate::lint::registry::{Falco, Rule};
use crate::lint::rules::probe_starts_unhealthy::probes;

pub static RULE: Rule = Rule {
    code: "lint::invalid-expected-response",
    severity: Severity::Error,
    summary: "a probe `.expected_response` outside 100-599",
    help: "write the HTTP status the health check should get, e.g. `.expected_response = 200;`",
    what: concat!(
        "Reports probes whose `.expected_response` is not an HTTP status code: below 100 or above 599. (Negative values are `out-of-range`'s finding.)",
        crate::generated_exempt!()
    ),
    why: "An error because the value is certainly broken: HTTP status codes are three digits, 100 to 599, so no answer can ever match; every check fails and the backend is sick for ever, whatever the origin does.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .expected_response = 2000;\n    .threshold = 3;\n    .initial = 3;\n  }\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .expected_response = 200;\n    .threshold = 3;\n    .initial = 3;\n  }\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for probe in probes(cx) {
        let Some(prop) = property(&probe.properties, "expected_response") else {
            continue;
        };
        let Some(status) = integer(Some(prop)) else {
            continue;
        };
        if (100..=599).contains(&status) {
            continue;
        }
        out.push(
            RULE.diagnostic(format!(
                "{} expects status {status}, which no HTTP response has",
                probe.subject()
            ))
            .with_label(Label::primary(
                prop.value.span,
                "not an HTTP status (100-599)",
            )),
        );
    }
}
