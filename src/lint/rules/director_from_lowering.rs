//! Director rules whose findings come from lowering, which reads every director once
//! (docs/design.md §2.20), reported under lint codes so that they can be configured and
//! allowed like any other rule.

use crate::diagnostic::Severity;
use crate::lint::registry::{Falco, Rule, no_check};

pub static UNKNOWN_DIRECTOR_POLICY: Rule = Rule {
    code: "lint::unknown-director-policy",
    severity: Severity::Error,
    summary: "a director policy Fastly does not have",
    help: "use one of Fastly's policies: `random`, `fallback`, `hash`, `client`, `chash` (the error says the closest)",
    what: "Reports a director whose policy (the word after its name) is not one of Fastly's: `random`, `fallback`, `hash`, `client`, `chash`, and the generator's `shield`. Under `--dialect varnish`, Varnish's policies are the known ones (`round-robin`, `random`, `hash`, `fallback`, `client`, `dns`).",
    why: "An error because Fastly refuses the file: a director with a policy it does not know does not compile, so the upload fails; usually the policy is misspelt (`randon`), or comes from Varnish (`round-robin`, which Fastly no longer has).",
    bad: "director pool randon {\n  { .backend = F_a; .weight = 1; }\n}",
    good: "director pool random {\n  { .backend = F_a; .weight = 1; }\n}",
    falco: Falco::Yes,
    check: no_check,
    from_lowering: &["parse::unknown-policy"],
};
