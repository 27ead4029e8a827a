//! ## What it does
//! Reports a `.share_key` that is not made of ASCII letters and digits only.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::{LintContext, property, text};
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::invalid-share-key",
    severity: Severity::Warning,
    summary: "a `.share_key` that is not alphanumeric",
    help: "use ASCII letters and digits only, e.g. your service ID: `.share_key = \"SU1Z0isxPaozGVKXdv0eY\";`",
    what: concat!(
        "Reports `.share_key` values that are empty or hold anything but the ASCII letters `A-Z`, `a-z` and the digits `0-9`: dashes, underscores, dots, spaces, non-ASCII letters. Fastly's generator writes the service ID, or `fastlyshield` on its shield backends.",
        crate::generated_exempt!()
    ),
    why: "Fastly allows only alphanumeric share keys (falco's linter reports the same). Backends with the same share key share health checks and connections, and `req.backend` read as a string is prefixed with it, so a key Fastly does not take breaks more than one backend.",
    bad: "backend origin {\n  .dynamic = true;\n  .host = \"example.com\";\n  .share_key = \"my-service_v2\";\n}",
    good: "backend origin {\n  .dynamic = true;\n  .host = \"example.com\";\n  .share_key = \"myservicev2\";\n}",
    falco: Falco::Yes,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for decl in cx.checked_backends() {
        let Some(prop) = property(decl, "share_key") else {
            continue;
        };
        // A value that is not a readable string is lowering's finding (wrong type, bad escape).
        let Some(key) = text(Some(prop)) else {
            continue;
        };
        let (what, label) = if key.is_empty() {
            ("an empty `.share_key`", "empty".to_string())
        } else if let Some(c) = key.chars().find(|c| !c.is_ascii_alphanumeric()) {
            (
                "a `.share_key` that is not alphanumeric",
                format!("{c:?} is not an ASCII letter or digit"),
            )
        } else {
            continue;
        };
        out.push(
            RULE.diagnostic(format!("backend `{}` has {what}", decl.name.text))
                .with_label(Label::primary(prop.value.span, label)),
        );
    }
}
