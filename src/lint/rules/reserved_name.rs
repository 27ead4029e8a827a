//! ## What it does
//! Reports hand-written backends whose names start like the names Fastly's generator writes
//! (`F_`, `autodirector_`, `ssl_shield_`, `shield_`).

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::LintContext;
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::reserved-name",
    severity: Severity::Warning,
    summary: "a hand-written backend named like the backends Fastly generates",
    help: "rename the backend (and its uses); to keep the name, list it under `[backends] allow-names` in vcl-backend.toml",
    what: concat!(
        "Reports backends written by hand whose names start with `F_`, `autodirector_`, `ssl_shield_` or `shield_`: the prefixes of the names Fastly's generator gives to API backends, the auto load-balancing director, shield directors and shield nodes. Names listed in `[backends] allow-names` are not reported.",
        crate::generated_exempt!()
    ),
    why: "Fastly documents no reserved names, but its generated VCL declares these names itself: an API backend `origin` becomes `F_origin`, so a VCL backend `F_origin` collides with it as soon as the service has both, and readers (and tools such as `vcl-backend parse`, which strips `F_`) take it for an API backend.",
    bad: "backend F_origin {\n  .dynamic = true;\n  .host = \"example.com\";\n  .share_key = \"abc123\";\n}\n\nsub vcl_recv {\n  set req.backend = F_origin;\n}",
    good: "backend origin {\n  .dynamic = true;\n  .host = \"example.com\";\n  .share_key = \"abc123\";\n}\n\nsub vcl_recv {\n  set req.backend = origin;\n}",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

/// Prefixes of the names Fastly's generator writes (docs/design.md §5.2).
const RESERVED_PREFIXES: &[&str] = crate::lint::context::GENERATOR_PREFIXES;

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for decl in cx.checked_backends() {
        let name = decl.name.text;
        if cx.allowed_names.contains(name) {
            continue;
        }
        if let Some(prefix) = RESERVED_PREFIXES.iter().find(|p| name.starts_with(**p)) {
            out.push(
                RULE.diagnostic(format!(
                    "backend `{name}` starts with `{prefix}`, a prefix of the names Fastly generates"
                ))
                .with_label(Label::primary(
                    decl.name.span,
                    format!("`{prefix}` names are Fastly's"),
                )),
            );
        }
    }
}
