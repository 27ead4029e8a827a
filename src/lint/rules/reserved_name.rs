//! STUB: to be written.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::LintContext;
use crate::lint::registry::{Falco, Rule};

pub static RULE: Rule = Rule {
    code: "lint::reserved-name",
    severity: Severity::Warning,
    summary: "TODO",
    help: "TODO",
    what: "TODO",
    why: "TODO",
    bad: "TODO",
    good: "TODO",
    falco: Falco::No,
    check,
    from_lowering: &[],
};

fn check(_cx: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
