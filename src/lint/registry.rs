//! The rule table: every lint rule declared once, with its code, default severity, one-line
//! summary, help, and documentation with a bad and a good example (after ruff).

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::LintContext;

/// Whether falco's linter has the same check (for the README's comparison).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Falco {
    Yes,
    Partly,
    No,
}

/// A rule's check over the file; it pushes its findings.
pub type Check = fn(&LintContext<'_>, &mut Vec<Diagnostic>);

/// For rules whose findings all come from lowering.
pub fn no_check(_: &LintContext<'_>, _: &mut Vec<Diagnostic>) {}

/// One lint rule.
#[derive(Debug)]
pub struct Rule {
    /// The code without the `vcl-backend::` prefix, e.g. `lint::missing-share-key`.
    pub code: &'static str,
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// How to fix it, shown with every finding.
    pub help: &'static str,
    /// Documentation: what it does, and why it is bad.
    pub what: &'static str,
    pub why: &'static str,
    /// VCL that triggers the rule, and VCL that does not.
    pub bad: &'static str,
    pub good: &'static str,
    pub falco: Falco,
    /// The rule's own check over the syntax tree.
    pub check: Check,
    /// Codes of lowering's findings that are this rule's (renamed to it).
    pub from_lowering: &'static [&'static str],
}

impl Rule {
    /// The kebab-case name: the code without `lint::`.
    pub fn name(&self) -> &'static str {
        self.code.trim_start_matches("lint::")
    }

    /// A finding of this rule, with its default severity and help.
    pub fn diagnostic(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.severity, self.code, message).with_help(self.help)
    }

    /// The documentation as Markdown (`lint --explain`, docs/rules.md).
    pub fn markdown(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let dialects = if crate::lint::FASTLY_ONLY.contains(&self.code) {
            "; Fastly files only: off under `--dialect varnish`"
        } else {
            ""
        };
        format!(
            "## `vcl-backend::{}`\n\n{} (default severity: {severity}{dialects})\n\n### What it does\n\n{}\n\n### Why is this bad?\n\n{}\n\n### Example\n\n```vcl\n{}\n```\n\n### Use instead\n\n```vcl\n{}\n```\n",
            self.code,
            self.summary,
            self.what,
            self.why,
            self.bad.trim_end(),
            self.good.trim_end()
        )
    }
}

/// Every rule, in the order of the documentation.
pub fn rules() -> &'static [&'static Rule] {
    crate::lint::rules::ALL
}

/// A rule by its full code, its `lint::` code, or its name.
pub fn lookup(code: &str) -> Option<&'static Rule> {
    let code = without_prefix(code);
    rules()
        .iter()
        .copied()
        .find(|r| r.code == code || r.name() == code)
}

/// A code as written by a user, without `vcl-backend::` when the `lint::` part follows:
/// `vcl-backend::NAME` is no spelling of a code, and comes back whole (matching nothing).
pub fn without_prefix(code: &str) -> &str {
    match code.strip_prefix(crate::diagnostic::CODE_PREFIX) {
        Some(rest) if rest.contains("::") => rest,
        _ => code,
    }
}

/// The whole rule documentation, as `docs/rules.md` holds it.
pub fn documentation() -> String {
    let mut out = String::from(
        "# vcl-backend lint rules\n\n<!-- Generated from src/lint/rules by `vcl-backend lint --explain all`; a test keeps it current. -->\n\n",
    );
    for rule in rules() {
        out.push_str(&rule.markdown());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::lookup;

    #[test]
    fn a_rule_is_found_by_each_spelling_of_its_code_and_no_other() {
        for code in [
            "vcl-backend::lint::unused-backend",
            "lint::unused-backend",
            "unused-backend",
        ] {
            assert_eq!(lookup(code).map(|r| r.code), Some("lint::unused-backend"));
        }
        for code in [
            "vcl-backend::unused-backend",
            "vcl-backend::vcl-backend::lint::unused-backend",
            "lint::lint::unused-backend",
            "Unused-backend",
        ] {
            assert!(lookup(code).is_none(), "{code}");
        }
    }
}
