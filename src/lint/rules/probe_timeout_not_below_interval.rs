//! ## What it does
//! Reports hand-written probes whose `.timeout` is not shorter than their `.interval`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, millis, property};
use crate::lint::registry::{Falco, Rule};
use crate::lint::rules::probe_starts_unhealthy::probes;

pub static RULE: Rule = Rule {
    code: "lint::probe-timeout-not-below-interval",
    severity: Severity::Warning,
    summary: "a probe whose `.timeout` is not shorter than its `.interval`",
    help: "make `.timeout` shorter than `.interval`, e.g. `.interval = 15s; .timeout = 5s;`",
    what: concat!(
        "Reports probes with `.timeout` equal to or longer than `.interval`, when both are written. Fastly's default dummy probe (`.dummy = true`) is skipped. (The API accepts such healthchecks, and real dumps contain them, `.interval = 2s; .timeout = 5s;`: there the fix belongs in the healthcheck, not in the VCL.)",
        crate::generated_exempt!()
    ),
    why: "A check is due again before the previous one may have timed out: checks of a slow origin overlap or are skipped, and the window fills with results that say more about the timing than about the origin. A timeout below the interval keeps one check at a time.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .interval = 5s;\n    .timeout = 10s;\n  }\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .interval = 15s;\n    .timeout = 5s;\n  }\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for probe in probes(cx) {
        let (Some(timeout_prop), Some(interval_prop)) = (
            property(&probe.properties, "timeout"),
            property(&probe.properties, "interval"),
        ) else {
            continue;
        };
        let (Some(timeout), Some(interval)) =
            (millis(Some(timeout_prop)), millis(Some(interval_prop)))
        else {
            continue;
        };
        // Negative durations are lowering's errors.
        if timeout < 0.0 || interval < 0.0 || timeout < interval {
            continue;
        }
        let relation = if timeout == interval {
            "as long as"
        } else {
            "longer than"
        };
        out.push(
            RULE.diagnostic(format!(
                "{} has a `.timeout` {relation} its `.interval`",
                probe.subject()
            ))
            .with_label(Label::primary(
                timeout_prop.value.span,
                format!("{relation} the interval"),
            ))
            .with_label(Label::secondary(
                interval_prop.value.span,
                "the next check is due after this",
            )),
        );
    }
}
