//! ## What it does
//! Reports probes without `.initial`, which start their backend unhealthy.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, integer, property};
use crate::lint::registry::{Falco, Rule};
use crate::lint::rules::probe_starts_unhealthy::probes;

pub static RULE: Rule = Rule {
    code: "lint::probe-without-initial",
    severity: Severity::Warning,
    summary: "a probe without `.initial`: the backend starts unhealthy",
    help: "add `.initial` equal to the `.threshold` (3 when none is written), so that the backend starts healthy",
    what: concat!(
        "Reports HTTP probes (not Fastly's dummy probe, `.dummy = true`) that do not set `.initial`, unless their `.threshold` is 0. Fastly does not document the value a VCL probe's `.initial` then takes (nor `.threshold`'s or `.window`'s); its health check guide says that a health-checked backend is sick when the service starts, and healthy once enough checks have passed to reach `.threshold`, and that `.initial` is what pre-populates the window with good results. The rule relies on that: with no `.initial`, nothing is pre-populated. Varnish, which Fastly's VCL derives from, agrees: its default `.initial` is one less than `.threshold` (whose default is 3), which also starts the backend sick.",
        crate::generated_exempt!()
    ),
    why: "Until `.threshold` checks have passed, `.interval` apart, the backend is sick: after every configuration change (and every cache restart) its first requests get a 503, or go to a fallback. Fastly's health check guide recommends `.initial` equal to `.threshold` to avoid it.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .interval = 15s;\n    .window = 5;\n    .threshold = 3;\n  }\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .interval = 15s;\n    .window = 5;\n    .threshold = 3;\n    .initial = 3;\n  }\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for probe in probes(cx) {
        // A declaration cut short by a syntax error may have lost its `.initial` line.
        if probe.backend.is_some_and(|d| d.recovered)
            || property(&probe.properties, "initial").is_some()
        {
            continue;
        }
        let threshold_prop = property(&probe.properties, "threshold");
        let threshold = match threshold_prop {
            // Unreadable: lowering reports it.
            Some(p) => match integer(Some(p)) {
                Some(0) | None => continue,
                Some(n) => n,
            },
            None => 3,
        };
        let mut diagnostic = RULE
            .diagnostic(format!(
                "{} has no `.initial`: the backend starts unhealthy",
                probe.subject()
            ))
            .with_label(Label::primary(
                probe.span,
                "no `.initial`: no good result at startup",
            ));
        if let Some(p) = threshold_prop {
            diagnostic = diagnostic.with_label(Label::secondary(
                p.value.span,
                format!("{threshold} needed to be healthy"),
            ));
        }
        out.push(diagnostic);
    }
}
