//! ## What it does
//! Reports probes whose `.initial` is greater than their `.window`.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, integer, property};
use crate::lint::registry::{Falco, Rule};
use crate::lint::rules::probe_starts_unhealthy::probes;

pub static RULE: Rule = Rule {
    code: "lint::initial-above-window",
    severity: Severity::Warning,
    summary: "a probe whose `.initial` is greater than its `.window`",
    help: "make `.initial` at most `.window`; equal to `.threshold` is enough to start healthy",
    what: concat!(
        "Reports probes with `.initial` greater than `.window`, when both are written.",
        crate::generated_exempt!()
    ),
    why: "`.initial` is how many good results fill the window at startup, and the window holds only `.window` of them: the rest are dropped. The value says more than the probe does, usually because `.initial` and `.window` were swapped or `.window` was lowered without it.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .window = 5;\n    .threshold = 3;\n    .initial = 10;\n  }\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .window = 5;\n    .threshold = 3;\n    .initial = 3;\n  }\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for probe in probes(cx) {
        let (Some(initial_prop), Some(window_prop)) = (
            property(&probe.properties, "initial"),
            property(&probe.properties, "window"),
        ) else {
            continue;
        };
        let (Some(initial), Some(window)) =
            (integer(Some(initial_prop)), integer(Some(window_prop)))
        else {
            continue;
        };
        if initial <= window {
            continue;
        }
        out.push(
            RULE.diagnostic(format!(
                "{} starts with `.initial = {initial}` good results, more than its `.window = {window}` keeps",
                probe.subject()
            ))
            .with_label(Label::primary(initial_prop.value.span, format!("{initial} good results at startup")))
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
