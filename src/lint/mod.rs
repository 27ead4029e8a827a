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
    let src = file.text.as_str();
    let (items, mut found) = crate::syntax::parse(src);
    found.extend(
        Lowerer::diagnostics_of(&items)
            .into_iter()
            .filter_map(from_lowering),
    );
    let references = References::scan(src, &items);
    let assumed: HashSet<String> = options
        .assume_backends
        .union(&options.config.assume_backends)
        .cloned()
        .collect();
    let cx = LintContext {
        source: file,
        items: &items,
        generated_dump: is_generated_dump(src),
        references: &references,
        assumed_backends: &assumed,
        allowed_names: &options.config.allow_names,
    };
    for rule in registry::rules() {
        (rule.check)(&cx, &mut found);
    }
    let allows = suppress::Allows::scan(file);
    let mut kept: Vec<Diagnostic> = found
        .into_iter()
        .filter_map(|d| configure(d, &options.config))
        .filter(|d| !allows.allows(file, d))
        .collect();
    diagnostic::sort(&mut kept);
    kept
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
