//! ## What it does
//! Reports probes whose `.window` is above 64.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, integer, property};
use crate::lint::registry::{Falco, Rule};
use crate::lint::rules::probe_starts_unhealthy::probes;

/// How many check results a probe can keep: one bit each, in 64 bits.
const MAX_WINDOW: i64 = 64;

pub static RULE: Rule = Rule {
    code: "lint::probe-window-too-large",
    severity: Severity::Error,
    summary: "a probe `.window` above 64",
    help: "keep at most 64 results, e.g. `.window = 5;`",
    what: concat!(
        "Reports probes with `.window` greater than 64.",
        crate::generated_exempt!()
    ),
    why: "An error because the value is certainly broken: Varnish, which Fastly's VCL derives from, keeps a probe's results one bit each in a 64-bit word, and its compiler refuses a window over 64. Fastly documents no maximum; whether it refuses the file or silently keeps 64 results, the window written is not the one used, and a `.threshold` above 64 could then never be reached.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .window = 100;\n    .threshold = 3;\n    .initial = 3;\n  }\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .window = 5;\n    .threshold = 3;\n    .initial = 3;\n  }\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for probe in probes(cx) {
        let Some(prop) = property(&probe.properties, "window") else {
            continue;
        };
        let Some(window) = integer(Some(prop)) else {
            continue;
        };
        if window <= MAX_WINDOW {
            continue;
        }
        out.push(
            RULE.diagnostic(format!(
                "{} keeps `.window = {window}` results, more than 64",
                probe.subject()
            ))
            .with_label(Label::primary(prop.value.span, "at most 64")),
        );
    }
}
