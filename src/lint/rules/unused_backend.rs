//! ## What it does
//! Reports backends declared in the file that nothing in the file uses.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::LintContext;
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::unused-backend",
    severity: Severity::Warning,
    summary: "a declared backend that nothing uses",
    help: "use it (`set req.backend = NAME;`, a director member, ...) or remove the declaration",
    what: concat!(
        "Reports backends declared in the file that no reference uses: not assigned to `req.backend` or `bereq.backend`, not compared with them, not a member of a director in use (a backend listed only by directors that nothing uses is reported, naming them: see `unused-director`), not in a `backend.NAME.*` variable, not a `BACKEND` table value, and not an argument of any module function (`std.foo(NAME)` counts as a use). Assigning it to a `declare local var.NAME BACKEND;` variable of the same sub counts too. Two kinds of backend are in use without a reference: in a file with at least one `sub`, the first backend declared is the default backend (requests use it unless VCL sets another); and a file with no `sub` at all is an include (a file of backends other files use), so the rule says nothing there.",
        crate::generated_exempt!(),
        " The generator declares every API backend, used or not."
    ),
    why: "An unused backend is usually a leftover, or the reference meant for it is misspelt (see `undeclared-backend`). It still takes one of the service's backends (generated VCL shows the limit as `pragma optional_param max_backends`), and Varnish, where many of these files come from, refuses to compile VCL with an unreferenced backend.",
    bad: "backend origin {\n  .dynamic = true;\n  .host = \"example.com\";\n  .share_key = \"abc123\";\n}\n\nbackend old_origin {\n  .dynamic = true;\n  .host = \"old.example.com\";\n  .share_key = \"abc123\";\n}\n\nsub vcl_recv {\n  set req.backend = origin;\n}",
    good: "backend origin {\n  .dynamic = true;\n  .host = \"example.com\";\n  .share_key = \"abc123\";\n}\n\nsub vcl_recv {\n  set req.backend = origin;\n}",
    falco: Falco::Yes,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // An include: its backends are used by the files that include it.
    if !cx.has_subs {
        return;
    }
    for decl in cx.checked_backends() {
        let name = decl.name.text;
        if cx.default_backend == Some(name) {
            continue;
        }
        if cx.in_use(name) {
            continue;
        }
        // Named, but only by directors nothing uses.
        let users = cx.directors.users_of(name);
        let diagnostic = if cx.used.contains(name) && !users.is_empty() {
            let users: Vec<String> = users.iter().map(|d| format!("`{d}`")).collect();
            let (these, are) = if users.len() == 1 {
                ("director", "is")
            } else {
                ("directors", "are")
            };
            RULE.diagnostic(format!(
                "backend `{name}` is used only by {these} {}, which {are} never used",
                users.join(", ")
            ))
            .with_label(Label::primary(
                decl.name.span,
                format!("used only by unused {these}"),
            ))
            .with_help(format!(
                "use the {these} (`set req.backend = NAME;`), or remove the backend with {}",
                if users.len() == 1 { "it" } else { "them" }
            ))
        } else {
            RULE.diagnostic(format!("backend `{name}` is declared but never used"))
                .with_label(Label::primary(decl.name.span, "never used"))
        };
        out.push(diagnostic);
    }
}
