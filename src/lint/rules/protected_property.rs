//! ## What it does
//! Reports `.bypass_local_route_table`, a protected backend property that Fastly must enable
//! for the service.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, property};
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::protected-property",
    severity: Severity::Warning,
    summary: "a protected backend property that Fastly must enable for the service",
    help: "remove `.bypass_local_route_table`, or make sure Fastly has enabled the feature for this service (ask Fastly support)",
    what: concat!(
        "Reports backends that set `.bypass_local_route_table`, which Fastly's backend documentation lists under \"Protected properties\". Not reported when the file itself shows the feature enabled (`pragma optional_param allow_local_route_bypass true;`, as Fastly's generated VCL for such a service has).",
        crate::generated_exempt!()
    ),
    why: "A protected property is only available to services Fastly has enabled it for; elsewhere the VCL is expected not to compile. The API has no field for it, so it cannot be carried over to an API backend either.",
    bad: "backend origin {\n  .bypass_local_route_table = true;\n  .dynamic = true;\n  .host = \"example.com\";\n  .share_key = \"abc123\";\n}\n\nsub vcl_recv {\n  set req.backend = origin;\n}",
    good: "backend origin {\n  .dynamic = true;\n  .host = \"example.com\";\n  .share_key = \"abc123\";\n}\n\nsub vcl_recv {\n  set req.backend = origin;\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

const PROPERTY: &str = "bypass_local_route_table";

/// The pragma Fastly's generated VCL carries for a service with the feature enabled.
fn feature_enabled(text: &str) -> bool {
    // The word first (a SIMD search), the lines only if it is there at all.
    if memchr::memmem::find(text.as_bytes(), b"allow_local_route_bypass").is_none() {
        return false;
    }
    text.lines().any(|line| {
        let mut words = line.split_whitespace();
        words.next() == Some("pragma")
            && words.next() == Some("optional_param")
            && words.next() == Some("allow_local_route_bypass")
            && words
                .next()
                .is_some_and(|v| matches!(v, "true;" | "true" | "1;" | "1"))
    })
}

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // Read only once a backend sets the property: it is a scan of the whole text.
    let mut enabled = None;
    for decl in cx.checked_backends() {
        if let Some(prop) = property(decl, PROPERTY) {
            if *enabled.get_or_insert_with(|| feature_enabled(&cx.source.text)) {
                return;
            }
            out.push(
                RULE.diagnostic(format!(
                    "backend `{}` sets `.{PROPERTY}`, a protected property",
                    decl.name.text
                ))
                .with_label(Label::primary(
                    prop.name.span,
                    "needs Fastly to enable it for the service",
                )),
            );
        }
    }
}
