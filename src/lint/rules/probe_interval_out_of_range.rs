//! ## What it does
//! Reports probe intervals shorter than one second or longer than one hour.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, millis, property};
use crate::lint::registry::{Falco, Rule};
use crate::lint::rules::probe_starts_unhealthy::probes;

/// The API's limits for a healthcheck's `check_interval`, in milliseconds.
const MIN_MILLIS: f64 = 1_000.0;
const MAX_MILLIS: f64 = 3_600_000.0;

/// Beyond the API's 32-bit milliseconds (49.7 days) an interval means "never check": the
/// always-healthy pattern, which `api-incompatible` reports as what cannot migrate.
const NEVER_MILLIS: f64 = u32::MAX as f64;

pub static RULE: Rule = Rule {
    code: "lint::probe-interval-out-of-range",
    severity: Severity::Warning,
    summary: "a probe `.interval` outside 1 s to 1 h",
    help: "check between every second and every hour, e.g. `.interval = 15s;`",
    what: concat!(
        "Reports probes whose `.interval` is shorter than 1 second or longer than 1 hour: the limits Fastly's API sets on a healthcheck's `check_interval`. Fastly's default dummy probe (`.dummy = true`) is skipped. An interval beyond the API's 32-bit milliseconds (about 49 days, e.g. `.interval = 365d;`) is the deliberate never-check pattern of placeholder backends and is left to `api-incompatible`.",
        crate::generated_exempt!()
    ),
    why: "Probes run from many Fastly cache servers at once, so an interval under a second floods the origin with health checks; an interval over an hour leaves a dead origin marked healthy for that long. The API refuses both, so such a probe also cannot become a healthcheck.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .interval = 500ms;\n    .timeout = 200ms;\n  }\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .interval = 15s;\n    .timeout = 5s;\n  }\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for probe in probes(cx) {
        let Some(prop) = property(&probe.properties, "interval") else {
            continue;
        };
        let Some(ms) = millis(Some(prop)) else {
            continue;
        };
        // Negative durations are lowering's errors.
        let label = if (0.0..MIN_MILLIS).contains(&ms) {
            "shorter than 1 second"
        } else if ms > MAX_MILLIS && ms <= NEVER_MILLIS {
            "longer than 1 hour"
        } else {
            continue;
        };
        out.push(
            RULE.diagnostic(format!(
                "{} has an `.interval` outside 1 s to 1 h",
                probe.subject()
            ))
            .with_label(Label::primary(prop.value.span, label)),
        );
    }
}
