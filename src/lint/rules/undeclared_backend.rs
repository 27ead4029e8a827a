//! ## What it does
//! Reports names used where VCL needs a backend (`set req.backend = X;`, a director member,
//! `backend.X.healthy`, a `BACKEND` table value, `fastly.try_select_shield(...)`) that name no
//! backend or director: neither declared in the file nor assumed by the configuration.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::LintContext;
use crate::lint::registry::{Falco, Rule};
use crate::suggest::Suggester;

pub static RULE: Rule = Rule {
    code: "lint::undeclared-backend",
    severity: Severity::Error,
    summary: "a backend reference that names no declared backend or director",
    help: "declare the backend, or say that the service's API defines it: `--assume-backends F_a,F_b`, `--service-backends FILE.json`, or `[backends] assume = [\"F_a\"]` in vcl-backend.toml",
    what: "Reports names that stand where VCL needs a backend (`set req.backend = X;`, `set bereq.backend = X;`, comparisons with them, director members `.backend = X;`, `backend.X.healthy`, values of `BACKEND` tables, arguments of `fastly.try_select_shield`) but name neither a backend declared in the file, nor a director, nor a backend the configuration assumes. Fastly's shield directors (`ssl_shield_<pop>`) and the auto load-balancing director (`autodirector_`) are never reported: current generated VCL uses them without declaring them. Plain-name arguments of other functions count as uses but are not checked. Backends and directors declared in the files the file includes (`include \"NAME\";`, read from `NAME` or `NAME.vcl` beside it) count as declared; when an include cannot be read, a name declared nowhere is a warning, since it may be declared there. An undeclared `F_` name is the VCL name of an API backend: without the service's backends (`--service-backends`, `--assume-backends`, or `[backends] assume` in vcl-backend.toml) it is reported as info only, with them as an error.",
    why: "An error because Fastly refuses the file: VCL that refers to a backend that does not exist does not compile, so the upload fails; usually the name is misspelt, or the backend is defined through the API (`F_...`) and lint was not told so.",
    bad: "backend origin {\n  .dynamic = true;\n  .host = \"example.com\";\n  .share_key = \"abc123\";\n}\n\nsub vcl_recv {\n  set req.backend = orgin;\n}",
    good: "backend origin {\n  .dynamic = true;\n  .host = \"example.com\";\n  .share_key = \"abc123\";\n}\n\nsub vcl_recv {\n  set req.backend = origin;\n}",
    falco: Falco::Yes,
    check,
    from_lowering: &[],
};

/// The help when the file includes files lint did not read.
const INCLUDES_HELP: &str = "it may be declared in a file this one includes, which lint did not read: lint it where its includes are beside it (`include \"NAME\";` is read from `NAME` or `NAME.vcl`)";

/// Names Fastly gives its own directors, which current dumps use without declaring them.
fn fastly_director(name: &str) -> bool {
    name.starts_with("ssl_shield_") || name.starts_with("autodirector_")
}

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let backends = cx.declared;
    let directors: HashSet<&str> = cx.references.directors.iter().map(|d| d.0).collect();
    let mut suggester = None;
    for reference in cx.references.within(cx.range.clone()) {
        let name = reference.name;
        if !reference.kind.must_resolve()
            || backends.contains_key(name)
            || directors.contains(name)
            || cx.assumed_backends.contains(name)
            || fastly_director(name)
        {
            continue;
        }
        let mut diagnostic = RULE
            .diagnostic(format!(
                "`{name}` is {}, but no backend or director of that name is declared",
                reference.kind.describe()
            ))
            .with_label(Label::primary(reference.span, "not declared in this file"));
        let suggestion = suggester
            .get_or_insert_with(|| Suggester::new(backends.keys().chain(&directors).copied()))
            .suggest(name);
        let api_note = name
            .starts_with("F_")
            .then_some("`F_` names are the VCL names of the service's API backends");
        // Only certain when everything the name could be declared in was read, and an `F_`
        // name only when the service's API backends are known.
        let (severity, otherwise) = if cx.unread_includes {
            (Severity::Warning, INCLUDES_HELP)
        } else if api_note.is_some() && !cx.service_known {
            (Severity::Info, RULE.help)
        } else {
            (RULE.severity, RULE.help)
        };
        let help = match (suggestion, api_note) {
            (Some(s), _) => format!("did you mean `{s}`? Otherwise {otherwise}"),
            (None, Some(note)) => format!("{note}: {otherwise}"),
            (None, None) => otherwise.to_string(),
        };
        diagnostic = diagnostic.with_severity(severity).with_help(help);
        out.push(diagnostic);
    }
}
