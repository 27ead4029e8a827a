//! ## What it does
//! Reports probes whose `.threshold` is greater than their `.window`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, integer, property};
use crate::lint::registry::{Falco, Rule};
use crate::lint::rules::probe_starts_unhealthy::probes;

pub static RULE: Rule = Rule {
    code: "lint::threshold-above-window",
    severity: Severity::Warning,
    summary: "a probe whose `.threshold` is greater than its `.window`: the backend can never be healthy",
    help: "make `.threshold` at most `.window`, e.g. `.threshold = 3; .window = 5;`",
    what: concat!(
        "Reports probes with `.threshold` greater than `.window`. `.window` is how many recent check results are kept; `.threshold` how many of them must be good. The rule needs both to be written: Fastly does not document the defaults of a VCL probe. Fastly's default dummy probe (`.dummy = true`) is skipped.",
        crate::generated_exempt!()
    ),
    why: "Only `.window` results are kept, so more than `.window` of them can never be good: the backend stays sick for ever, and every request sent to it fails with a 503.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .window = 3;\n    .threshold = 5;\n    .initial = 5;\n  }\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .window = 5;\n    .threshold = 3;\n    .initial = 3;\n  }\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for probe in probes(cx) {
        let (Some(threshold_prop), Some(window_prop)) = (
            property(&probe.properties, "threshold"),
            property(&probe.properties, "window"),
        ) else {
            continue;
        };
        let (Some(threshold), Some(window)) =
            (integer(Some(threshold_prop)), integer(Some(window_prop)))
        else {
            continue;
        };
        if threshold <= window {
            continue;
        }
        out.push(
            RULE.diagnostic(format!(
                "{} can never be healthy: `.threshold = {threshold}` is greater than `.window = {window}`",
                probe.subject()
            ))
            .with_label(Label::primary(
                threshold_prop.value.span,
                format!("{threshold} good results needed"),
            ))
            .with_label(Label::secondary(
                window_prop.value.span,
                match window {
                    1 => "only 1 result kept".to_string(),
                    n => format!("only {n} results kept"),
                },
            )),
        );
    }
}
