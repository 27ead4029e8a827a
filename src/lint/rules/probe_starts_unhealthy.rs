//! ## What it does
//! Reports probes whose `.initial` is below their `.threshold`.
//!
//! Also home of [`probes`], the probes every probe rule looks at.

use crate::ast::{BackendDecl, Property, ValueKind};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, boolean, integer, property};
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::probe-starts-unhealthy",
    severity: Severity::Warning,
    summary: "a probe whose `.initial` is below its `.threshold`: the backend starts unhealthy",
    help: "set `.initial` to the `.threshold` (or more), so that the backend starts healthy",
    what: concat!(
        "Reports probes with `.initial` lower than `.threshold`. `.initial` is the number of good results counted at startup; `.threshold` the number needed to be healthy. When `.initial` is absent, `probe-without-initial` reports it; when `.threshold` is absent, this rule says nothing (Fastly does not document a VCL probe's default; its API and Varnish use 3). Fastly's default dummy probe (`.dummy = true`) makes no HTTP checks and is skipped.",
        crate::generated_exempt!()
    ),
    why: "Fastly's health check guide warns that if `.initial` is less than `.threshold`, the first requests after a configuration change (or a cache node restart) will likely get a 503: the backend counts as sick until enough checks pass, `.interval` apart.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .interval = 15s;\n    .window = 5;\n    .threshold = 3;\n    .initial = 1;\n  }\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .interval = 15s;\n    .window = 5;\n    .threshold = 3;\n    .initial = 3;\n  }\n}",
    falco: Falco::Yes,
    check,
    from_lowering: &[],
};

/// A probe the probe rules check.
pub(super) struct Probe<'a> {
    pub properties: &'a [Property<'a>],
    /// The name of the backend it is written in, or of the named (Varnish) probe.
    name: &'a str,
    /// The backend it is written in; `None` for a named (Varnish) probe.
    pub backend: Option<&'a BackendDecl<'a>>,
    /// Where to point at the probe as a whole: its `.probe` key, or the named probe's name.
    pub span: crate::span::Span,
}

impl Probe<'_> {
    /// How a message names it: "the probe of backend `origin`", or "probe `health`". Made
    /// only for a finding: a file may have a hundred thousand probes and few findings.
    pub fn subject(&self) -> String {
        match self.backend {
            Some(_) => format!("the probe of backend `{}`", self.name),
            None => format!("probe `{}`", self.name),
        }
    }
}

/// Every probe once: the inline probes of the backends rules check (not the generator's), then the named probes (checked once
/// each, however many backends use them). Dummy probes (`.dummy = true`) only resolve DNS and
/// make no HTTP checks, so they are left out.
pub(super) fn probes<'a>(cx: &LintContext<'a>) -> impl Iterator<Item = Probe<'a>> + 'a {
    let inline = cx.checked_backends().filter_map(|decl| {
        let prop = property(decl, "probe")?;
        let ValueKind::Object(properties) = &prop.value.kind else {
            return None;
        };
        Some(Probe {
            properties,
            name: decl.name.text,
            backend: Some(decl),
            span: prop.name.span,
        })
    });
    let named = cx.named_probes().map(|p| Probe {
        properties: &p.properties,
        name: p.name.text,
        backend: None,
        span: p.name.span,
    });
    inline
        .chain(named)
        .filter(|p| boolean(property(&p.properties, "dummy")) != Some(true))
}

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for probe in probes(cx) {
        let initial_prop = property(&probe.properties, "initial");
        let threshold_prop = property(&probe.properties, "threshold");
        let (Some(initial), Some(threshold)) = (integer(initial_prop), integer(threshold_prop))
        else {
            continue;
        };
        let (Some(initial_prop), Some(threshold_prop)) = (initial_prop, threshold_prop) else {
            continue;
        };
        if initial >= threshold {
            continue;
        }
        out.push(
            RULE.diagnostic(format!(
                "{} starts unhealthy: `.initial = {initial}` is below `.threshold = {threshold}`",
                probe.subject()
            ))
            .with_label(Label::primary(
                initial_prop.value.span,
                match initial {
                    1 => "1 good result at startup".to_string(),
                    n => format!("{n} good results at startup"),
                },
            ))
            .with_label(Label::secondary(
                threshold_prop.value.span,
                format!("{threshold} needed to be healthy"),
            )),
        );
    }
}
