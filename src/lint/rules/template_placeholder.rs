//! ## What it does
//! Reports, once per file, string values that are template placeholders (`${host}`,
//! `{{ host }}`, `<%= host %>`, `__HOST__`, `YOUR_SERVICE_ID`): the file is a template, not
//! the VCL Fastly will get. No other finding speaks of those values.

use crate::ast::{Property, ValueKind};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::LintContext;
use crate::lint::registry::{Falco, Rule};
use crate::span::Span;

pub static RULE: Rule = Rule {
    code: "lint::template-placeholder",
    severity: Severity::Info,
    summary: "the file looks like a template: some values are placeholders",
    help: "lint the VCL your template renders; until then, the placeholders' values are not checked",
    what: "Reports, once per file, that backend or probe string values hold template placeholders, and says how many. A placeholder is `${NAME}` (shell, Terraform), `{{ ... }}` (Mustache, Jinja, Go, Helm), `<% ... %>` (ERB), `__NAME__` with `NAME` in capitals, digits and `_` (`__HOST__`), or a word starting `YOUR_` followed by capitals or digits (`YOUR_SERVICE_ID`). None of these can be part of a real hostname, port, share key or header, so real values are never taken for placeholders. No other finding is reported on a placeholder value: a port `\"${PORT}\"` is not an invalid port, a share key `\"{{ service_id }}\"` not an invalid share key.",
    why: "The file is not the VCL Fastly will compile: the placeholders' values are unknown until the template is rendered. Reporting them as broken values would bury the real findings; lint the rendered VCL to check them.",
    bad: "backend origin {\n  .dynamic = true;\n  .host = \"${ORIGIN_HOST}\";\n  .port = \"${ORIGIN_PORT}\";\n  .share_key = \"{{ service_id }}\";\n}",
    good: "backend origin {\n  .dynamic = true;\n  .host = \"origin.example.com\";\n  .port = \"443\";\n  .share_key = \"SU1Z0isxPaozGVKXdv0eY\";\n  .ssl = true;\n  .ssl_cert_hostname = \"origin.example.com\";\n  .ssl_sni_hostname = \"origin.example.com\";\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

/// One finding, made by whichever batch holds the file's first placeholder.
fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(first) = cx.placeholders.first() else {
        return;
    };
    if !cx.range.contains(&first.start) {
        return;
    }
    let text = cx.source.text.get(first.start..first.end).unwrap_or("");
    let message = match cx.placeholders.len() {
        1 => format!("this file looks like a template: {text} is a placeholder"),
        n => format!(
            "this file looks like a template: {text} and {} other values are placeholders",
            n - 1
        ),
    };
    out.push(
        RULE.diagnostic(message)
            .with_label(Label::primary(*first, "a template placeholder")),
    );
}

/// Appends the spans of the placeholder values among `props` (and a probe's inside them).
pub fn collect(props: &[Property<'_>], out: &mut Vec<Span>) {
    for prop in props {
        match &prop.value.kind {
            ValueKind::String(s) if s.parts().any(|p| is_placeholder(p.raw)) => {
                out.push(prop.value.span)
            }
            ValueKind::Object(inner) => collect(inner, out),
            _ => {}
        }
    }
}

/// Whether `d` (not this rule's) speaks of a placeholder value: its primary label lies in one.
pub fn about_placeholder(d: &Diagnostic, placeholders: &[Span]) -> bool {
    if placeholders.is_empty() || d.code == RULE.code {
        return false;
    }
    let Some(label) = d.labels.iter().find(|l| l.primary) else {
        return false;
    };
    // The placeholders are in file order and do not overlap.
    let i = placeholders.partition_point(|p| p.end < label.span.end);
    placeholders
        .get(i)
        .is_some_and(|p| p.start <= label.span.start && label.span.end <= p.end)
}

/// Whether a string literal's text holds a template placeholder.
pub fn is_placeholder(text: &str) -> bool {
    crate::placeholder::find(text).is_some()
}
