//! ## What it does
//! Reports directors that nothing in use names: no sub, table or `set req.backend`, and no
//! director that is itself in use.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::context::LintContext;
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::unused-director",
    severity: Severity::Warning,
    summary: "a declared director that nothing uses",
    help: "use it (`set req.backend = NAME;`, a member of a director in use, a `BACKEND` table value) or remove it",
    what: concat!(
        "Reports directors that nothing in use refers to: not assigned to or compared with `req.backend` or `bereq.backend`, not in a `backend.NAME.*` variable, not a `BACKEND` table value, not a function argument, and not a member of a director that is itself in use (a director named only by unused directors, or only by itself, is unused). The backends such a director lists are then unused too, unless something else uses them: `unused-backend` reports them and names the director. A file with no `sub` is an include (its directors are used by the files that include it), so the rule says nothing there.",
        crate::generated_directors_exempt!()
    ),
    why: "An unused director is usually a leftover, or the `set req.backend` meant for it names something else; its backends may stay in the service for nothing, each taking one of the service's backends. Varnish, where many of these files come from, refuses to compile VCL with an unused director.",
    bad: "backend a { .dynamic = true; .share_key = \"abc123\"; .host = \"a.example.com\"; }\nbackend b { .dynamic = true; .share_key = \"abc123\"; .host = \"b.example.com\"; }\n\ndirector old_pool random {\n  { .backend = b; .weight = 1; }\n}\n\nsub vcl_recv {\n  set req.backend = a;\n}",
    good: "backend a { .dynamic = true; .share_key = \"abc123\"; .host = \"a.example.com\"; }\nbackend b { .dynamic = true; .share_key = \"abc123\"; .host = \"b.example.com\"; }\n\ndirector pool random {\n  { .backend = a; .weight = 1; }\n  { .backend = b; .weight = 1; }\n}\n\nsub vcl_recv {\n  set req.backend = pool;\n}",
    falco: Falco::Yes,
    check,
    from_lowering: &[],
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    // An include: its directors are used by the files that include it.
    if !cx.has_subs {
        return;
    }
    for d in cx.checked_directors() {
        if cx.in_use(d.name) {
            continue;
        }
        let users: Vec<String> = cx
            .directors
            .users_of(d.name)
            .iter()
            .filter(|u| **u != d.name)
            .map(|u| format!("`{u}`"))
            .collect();
        let message = match users.len() {
            0 => format!("director `{}` is declared but never used", d.name),
            1 => format!(
                "director `{}` is used only by director {}, which is never used",
                d.name, users[0]
            ),
            _ => format!(
                "director `{}` is used only by directors {}, which are never used",
                d.name,
                users.join(", ")
            ),
        };
        out.push(
            RULE.diagnostic(message)
                .with_label(Label::primary(d.name_span, "never used")),
        );
    }
}
