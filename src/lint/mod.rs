//! Lint: backend problems in custom VCL, as diagnostics with stable codes.
//!
//! One pass parses the file (the parser's errors are reported as they are), lowering finds
//! the value errors (reported under lint codes), and every rule of the [`registry`] checks the
//! syntax tree. Configured severities and `# vcl-backend: allow(...)` comments apply last.

pub mod config;
pub mod context;
pub mod references;
pub mod registry;
pub mod rules;
pub mod sarif;
pub mod suppress;

use std::collections::HashSet;

use crate::ast::Item;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::lower::Lowerer;
use crate::source::SourceFile;
use config::{Level, LintConfig};
use context::{LintContext, is_generated_dump};
use references::References;

/// How to lint.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// Backends that exist outside the file (the service's API backends, `F_...`).
    pub assume_backends: HashSet<String>,
    pub config: LintConfig,
}

/// Lints one file: every finding, sorted by position.
pub fn lint(file: &SourceFile, options: &LintOptions) -> Vec<Diagnostic> {
    lint_in(file, options, file.text.len() >= SIDE_BY_SIDE_BYTES)
}

fn lint_in(file: &SourceFile, options: &LintOptions, side_by_side: bool) -> Vec<Diagnostic> {
    let src = file.text.as_str();
    let (items, mut found) = crate::syntax::parse(src);
    // Lowering's findings and the rules' do not depend on each other: in a large file the
    // two run side by side.
    let lowering = || -> Vec<Diagnostic> {
        Lowerer::diagnostics_of(&items)
            .into_iter()
            .filter_map(from_lowering)
            .collect()
    };
    let (lowered, from_rules) = if side_by_side {
        std::thread::scope(|scope| {
            let lowering = scope.spawn(lowering);
            let from_rules = check_rules(file, &items, options);
            let lowered = lowering
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (lowered, from_rules)
        })
    } else {
        (lowering(), check_rules(file, &items, options))
    };
    found.extend(lowered);
    found.extend(from_rules);
    let allows = suppress::Allows::scan(file);
    let mut kept: Vec<Diagnostic> = found
        .into_iter()
        .filter_map(|d| configure(d, &options.config))
        .filter(|d| !allows.allows(file, d))
        .collect();
    diagnostic::sort(&mut kept);
    kept
}

/// Files at least this large are lowered on a second thread while the rules run.
const SIDE_BY_SIDE_BYTES: usize = 1 << 20;

/// What every rule of the registry finds in the file.
fn check_rules(file: &SourceFile, items: &[Item<'_>], options: &LintOptions) -> Vec<Diagnostic> {
    let src = file.text.as_str();
    let mut found = Vec::new();
    let references = References::scan(src, items);
    let assumed: HashSet<String> = options
        .assume_backends
        .union(&options.config.assume_backends)
        .cloned()
        .collect();
    let cx = LintContext {
        source: file,
        items,
        generated_dump: is_generated_dump(src),
        references: &references,
        assumed_backends: &assumed,
        allowed_names: &options.config.allow_names,
    };
    for rule in registry::rules() {
        (rule.check)(&cx, &mut found);
    }
    found
}

/// A lowering finding under its lint rule's code; `None` for what lint does not report.
fn from_lowering(mut d: Diagnostic) -> Option<Diagnostic> {
    if d.code == "parse::api-name" {
        return None;
    }
    if let Some(rule) = registry::rules()
        .iter()
        .find(|r| r.from_lowering.contains(&d.code))
    {
        d.code = rule.code;
        d.severity = rule.severity;
    }
    Some(d)
}

/// Applies the configured level of the finding's rule.
fn configure(mut d: Diagnostic, config: &LintConfig) -> Option<Diagnostic> {
    match config.levels.get(d.code) {
        Some(Level::Off) => None,
        Some(Level::Severity(s)) => {
            d.severity = *s;
            Some(d)
        }
        None => Some(d),
    }
}

/// Whether findings fail the run: errors always, warnings when denied.
pub fn fails(diagnostics: &[Diagnostic], deny_warnings: bool) -> bool {
    diagnostics.iter().any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_by_side_finds_exactly_what_one_thread_finds() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/lint");
        let mut rules: Vec<_> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        rules.sort();
        let round: String = rules
            .iter()
            .map(|dir| std::fs::read_to_string(dir.join("bad.vcl")).unwrap())
            .collect();
        // Three rounds under new names (the mode is chosen here, not by the size).
        let text: String = (0..3)
            .map(|n| round.replace("\nbackend ", &format!("\nbackend r{n}_")))
            .collect();
        let file = SourceFile::new("big.vcl", text);
        let options = LintOptions::default();
        let one = lint_in(&file, &options, false);
        assert!(one.len() > 100, "{}", one.len());
        assert_eq!(one, lint_in(&file, &options, true));
    }
}
