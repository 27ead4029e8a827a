//! Lint: backend problems in custom VCL, as diagnostics with stable codes.
//!
//! One pass parses the file (the parser's errors are reported as they are), lowering finds
//! the value errors (reported under lint codes), and every rule of the [`registry`] checks the
//! syntax tree. A second pass, the reference scan over the syntax layer's tokens, finds the
//! names used and the `# vcl-backend: allow(...)` comments together. Configured severities
//! and the allow comments apply last.

pub mod config;
pub mod context;
pub mod directors;
pub mod includes;
pub mod registry;
pub mod rules;
pub mod sarif;
pub mod suppress;

use std::collections::{HashMap, HashSet};

use crate::ast::Item;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::lower::Lowerer;
use crate::references::{self, References};
use crate::source::SourceFile;
use crate::span::Span;
use crate::syntax::{Dialect, DialectSetting, Parser};
use config::{Level, LintConfig};
use context::{LintContext, is_generated_dump};

/// How to lint.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// Backends that exist outside the file (the service's API backends, `F_...`).
    pub assume_backends: HashSet<String>,
    pub config: LintConfig,
    /// The dialect to read the file in; `None` takes the configuration's `dialect`, and
    /// without one, `auto` (Varnish when the file declares `vcl N.N;`). Under Varnish,
    /// hyphenated names are valid, Varnish's backend properties are reported as having no
    /// Fastly form, and the rules about Fastly's own conventions ([`FASTLY_ONLY`]) are off.
    pub dialect: Option<DialectSetting>,
    /// What the files this one includes declare; with none read, a name the file does not
    /// declare may still be declared in an include, and is reported as a warning only.
    pub included: includes::Included,
}

impl LintOptions {
    /// The dialect `src` is read in.
    pub fn dialect_of(&self, src: &str) -> Dialect {
        self.dialect
            .or(self.config.dialect)
            .unwrap_or_default()
            .resolve(src)
    }
}

/// Rules about Fastly's own conventions, off in a Varnish file: `.dynamic` and `.share_key`
/// (Fastly's backend settings), protected properties, reserved `F_` names, and the TLS and
/// Host-header settings Varnish spells otherwise or does not have (`.always_use_host_header`,
/// `.ssl_cert_hostname`, `.ssl_check_cert`; a Varnish `.tls` backend on port 443 is not an
/// `.ssl` one).
pub const FASTLY_ONLY: &[&str] = &[
    "lint::missing-dynamic",
    "lint::missing-share-key",
    "lint::invalid-share-key",
    "lint::protected-property",
    "lint::reserved-name",
    "lint::host-header-without-always",
    "lint::tls-without-hostname",
    "lint::ssl-check-cert-never",
    "lint::tls-port-mismatch",
    "lint::tls-without-sni-hostname",
    "lint::deprecated-ssl-hostname",
    // Varnish documents its default `.initial` (one less than `.threshold`: one good poll
    // makes the backend healthy); Fastly documents none.
    "lint::probe-without-initial",
];

/// Lints one file: every finding, sorted by position.
pub fn lint(file: &SourceFile, options: &LintOptions) -> Vec<Diagnostic> {
    let size = file.text.len();
    let mode = if size >= BATCHED_BYTES {
        Mode::Batched(BATCH_ITEMS)
    } else {
        Mode::Whole {
            side_by_side: size >= SIDE_BY_SIDE_BYTES,
        }
    };
    lint_in(file, options, mode)
}

/// Files at least this large are lowered on a second thread while the rules run.
const SIDE_BY_SIDE_BYTES: usize = 1 << 20;

/// Files at least this large are checked in batches of declarations: their whole syntax
/// tree would take several times the file's size.
const BATCHED_BYTES: usize = 16 << 20;
const BATCH_ITEMS: usize = 4096;

/// How a file is read for the rules; every mode finds the same (tests compare them).
#[derive(Clone, Copy)]
enum Mode {
    /// The whole tree at once, lowered on a second thread when `side_by_side`.
    Whole { side_by_side: bool },
    /// A first pass notes what the rules need of the whole file (names, where declarations
    /// are); a second reads the declarations again, this many at a time, and runs the rules
    /// on each batch; lowering reads the file on a second thread meanwhile. Memory stays
    /// near the size of the file.
    Batched(usize),
}

fn lint_in(file: &SourceFile, options: &LintOptions, mode: Mode) -> Vec<Diagnostic> {
    let (found, placeholders, comments) = match mode {
        Mode::Whole { side_by_side } => lint_whole(file, options, side_by_side),
        Mode::Batched(items) => lint_batched(file, options, items.max(1)),
    };
    let mut allows = suppress::Allows::from_comments(file, comments);
    // docs/design.md §2.17: what is wrong with the allow comments themselves.
    let own = std::mem::take(&mut allows.diagnostics);
    let mut kept: Vec<Diagnostic> = found
        .into_iter()
        .filter(|d| !rules::template_placeholder::about_placeholder(d, &placeholders))
        .filter_map(|d| configure(d, &options.config))
        .filter(|d| !allows.allows(file, d))
        .chain(own)
        .collect();
    diagnostic::sort(&mut kept);
    kept
}

/// What the rules and lowering found, the spans of the template placeholders (whose
/// values no other finding speaks of), and the allow comments the reference scan met.
type Found<'a> = (Vec<Diagnostic>, Vec<Span>, Vec<(usize, &'a str)>);

fn lint_whole<'a>(file: &'a SourceFile, options: &'a LintOptions, side_by_side: bool) -> Found<'a> {
    let src = file.text.as_str();
    let dialect = options.dialect_of(src);
    let (items, mut found) = crate::syntax::parse_in(src, dialect);
    // Lowering's findings and the rules' do not depend on each other: in a large file the
    // two run side by side.
    let lowering = || lowering_findings(src, &items, dialect);
    let (whole, comments) = WholeFile::scan(src, &items, options, dialect);
    let (lowered, from_rules) = if side_by_side {
        std::thread::scope(|scope| {
            let lowering = scope.spawn(lowering);
            let from_rules = check_rules(file, &items, 0..src.len(), &whole);
            let lowered = lowering
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (lowered, from_rules)
        })
    } else {
        (lowering(), check_rules(file, &items, 0..src.len(), &whole))
    };
    found.extend(lowered);
    found.extend(from_rules);
    (found, whole.placeholders, comments)
}

fn lint_batched<'a>(
    file: &'a SourceFile,
    options: &'a LintOptions,
    batch_items: usize,
) -> Found<'a> {
    let src = file.text.as_str();
    let dialect = options.dialect_of(src);
    std::thread::scope(|scope| {
        // Lowering needs no rule and no rule needs lowering: it reads the file on its own
        // thread, while this one reads it twice for the rules.
        let lowering =
            scope.spawn(|| lowering_findings(src, Parser::new_in(src, dialect), dialect));
        // First pass: the syntax findings, and what the rules need of the whole file.
        let mut outline = Outline::default();
        let mut declarations = Vec::new();
        let mut inside = Vec::new();
        let mut parser = Parser::new_in(src, dialect);
        for item in parser.by_ref() {
            outline.add(&item);
            declarations.extend(references::declaration_span(&item));
            inside.extend(references::declaration_references(&item));
        }
        let mut found = parser.diagnostics;
        let (references, comments) = References::scan_around_keeping_comments(
            src,
            declarations,
            inside,
            Some(suppress::MARKER),
        );
        let whole = WholeFile::new(src, references, outline, options, dialect);
        // Second pass: the rules, one batch of declarations at a time. Each batch covers the
        // text from its first declaration to the next batch's, so every place is in one.
        let mut parser = Parser::new_in(src, dialect);
        let mut batch = Vec::with_capacity(batch_items);
        let mut start = 0;
        loop {
            let next = parser.next();
            if batch.len() == batch_items || next.is_none() {
                let end = next.as_ref().map_or(src.len(), |item| item.span().start);
                found.extend(check_rules(file, &batch, start..end, &whole));
                batch.clear();
                start = end;
            }
            match next {
                Some(item) => batch.push(item),
                None => break,
            }
        }
        let lowered = lowering
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        found.extend(lowered);
        (found, whole.placeholders, comments)
    })
}

/// Lowering's findings on `items`, under lint codes. (A parser's own syntax findings are
/// not among them: in batched mode the first pass reports those.)
fn lowering_findings<'a, I>(
    src: &'a str,
    items: impl IntoIterator<Item = I>,
    dialect: Dialect,
) -> Vec<Diagnostic>
where
    I: std::borrow::Borrow<Item<'a>>,
{
    Lowerer::diagnostics_of(src, items, dialect)
        .into_iter()
        .filter_map(|d| from_lowering(d, dialect))
        .collect()
}

/// What one reading of the declarations gathers for the rules.
#[derive(Default)]
struct Outline<'a> {
    /// Each backend, with whether it has a health check (in any of its declarations).
    declared: HashMap<&'a str, bool>,
    has_subs: bool,
    has_includes: bool,
    default_backend: Option<&'a str>,
    placeholders: Vec<Span>,
    /// Where each `director` is, in file order.
    directors: Vec<Span>,
}

impl<'a> Outline<'a> {
    fn add(&mut self, item: &Item<'a>) {
        match item {
            Item::Backend(b) => {
                *self.declared.entry(b.name.text).or_default() |= directors::has_health_check(b);
                self.default_backend.get_or_insert(b.name.text);
                rules::template_placeholder::collect(&b.properties, &mut self.placeholders);
            }
            Item::Probe(p) => {
                rules::template_placeholder::collect(&p.properties, &mut self.placeholders);
            }
            Item::Other(o) => {
                self.has_subs |= o.keyword == "sub";
                self.has_includes |= o.keyword == "include";
                if o.keyword == "director" {
                    self.directors.push(o.span);
                }
            }
        }
    }
}

/// What the rules need to know of the whole file, whatever part of it they check.
struct WholeFile<'a> {
    references: References<'a>,
    declared: HashMap<&'a str, bool>,
    used: HashSet<&'a str>,
    assumed: HashSet<String>,
    /// Whether the service's API backends were given (then an undeclared `F_` name is wrong).
    service_known: bool,
    /// Whether the file includes files that were not read.
    unread_includes: bool,
    generated_dump: bool,
    has_subs: bool,
    default_backend: Option<&'a str>,
    placeholders: Vec<Span>,
    allowed_names: &'a HashSet<String>,
    dialect: Dialect,
    directors: directors::Directors<'a>,
}

impl<'a> WholeFile<'a> {
    /// What the rules need of `items`, and the allow comments of the file: one read of the
    /// text gives the references and the comments.
    fn scan(
        src: &'a str,
        items: &[Item<'a>],
        options: &'a LintOptions,
        dialect: Dialect,
    ) -> (Self, Vec<(usize, &'a str)>) {
        let mut outline = Outline::default();
        items.iter().for_each(|item| outline.add(item));
        let (references, comments) =
            References::scan_keeping_comments(src, items, Some(suppress::MARKER));
        let whole = Self::new(src, references, outline, options, dialect);
        (whole, comments)
    }

    fn new(
        src: &'a str,
        references: References<'a>,
        outline: Outline<'a>,
        options: &'a LintOptions,
        dialect: Dialect,
    ) -> Self {
        let used = references.references.iter().map(|r| r.name).collect();
        let assumed: HashSet<String> = options
            .assume_backends
            .union(&options.config.assume_backends)
            .cloned()
            .collect();
        let service_known = !assumed.is_empty();
        let generated_dump = is_generated_dump(src);
        let directors = directors::Directors::new(
            src,
            &outline.directors,
            dialect,
            &references,
            generated_dump,
        );
        let assumed = assumed
            .into_iter()
            .chain(options.included.names.iter().cloned())
            .collect();
        WholeFile {
            references,
            declared: outline.declared,
            used,
            assumed,
            service_known,
            unread_includes: outline.has_includes && !options.included.complete,
            generated_dump,
            has_subs: outline.has_subs,
            default_backend: outline.default_backend,
            placeholders: outline.placeholders,
            allowed_names: &options.config.allow_names,
            dialect,
            directors,
        }
    }
}

/// What every rule of the registry finds in `items`, which cover `range` of the file.
fn check_rules(
    file: &SourceFile,
    items: &[Item<'_>],
    range: std::ops::Range<usize>,
    whole: &WholeFile<'_>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let cx = LintContext {
        source: file,
        items,
        range,
        declared: &whole.declared,
        used: &whole.used,
        generated_dump: whole.generated_dump,
        has_subs: whole.has_subs,
        default_backend: whole.default_backend,
        placeholders: &whole.placeholders,
        references: &whole.references,
        assumed_backends: &whole.assumed,
        service_known: whole.service_known,
        unread_includes: whole.unread_includes,
        allowed_names: whole.allowed_names,
        directors: &whole.directors,
    };
    let varnish = whole.dialect.is_varnish();
    for rule in registry::rules() {
        if !(varnish && FASTLY_ONLY.contains(&rule.code)) {
            (rule.check)(&cx, &mut found);
        }
    }
    found
}

/// A lowering finding under its lint rule's code; `None` for what lint does not report.
/// In a Varnish file, what has no Fastly form (Varnish's own properties, a Unix-socket
/// backend) is not an unknown property: it is what cannot move to the API as it is.
fn from_lowering(mut d: Diagnostic, dialect: Dialect) -> Option<Diagnostic> {
    // `lint::host-header-without-always` says what `parse::host-header-meaning` does; the
    // names of healthchecks only matter under the API.
    const DROPPED: &[&str] = &[
        "parse::api-name",
        "parse::host-header-meaning",
        "parse::healthcheck-renamed",
        // Which directors have an API form is migrate's concern, not a problem of the file;
        // so is one backend weighted differently in two directors (no single API form).
        "parse::vcl-only-director",
        "parse::conflicting-weight",
    ];
    if DROPPED.contains(&d.code) {
        return None;
    }
    // Notes on how a Varnish form is carried (a port in `.host`, `.port = "http"`) are no
    // problem of the file.
    if d.severity == Severity::Info
        && matches!(d.code, "parse::port-in-host" | "parse::service-port")
    {
        return None;
    }
    const NO_FASTLY_FORM: &[&str] = &[
        "parse::varnish-property",
        "parse::unix-socket-backend",
        "parse::none-backend",
    ];
    if dialect.is_varnish() && NO_FASTLY_FORM.contains(&d.code) {
        if let Some(rule) = registry::lookup("api-incompatible") {
            d.code = rule.code;
            d.severity = rule.severity;
            return Some(d);
        }
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
    fn every_mode_finds_exactly_what_one_thread_finds() {
        let round = lint_fixtures().concat();
        // Three rounds under new names (the mode is chosen here, not by the size).
        let mut text: String = (0..3)
            .map(|n| round.replace("\nbackend ", &format!("\nbackend r{n}_")))
            .collect();
        // And every parse fixture once, broken ones too.
        for fixture in crate::lower::tests::parse_fixtures_to_concatenate() {
            text.push_str(&fixture);
            text.push('\n');
        }
        let file = SourceFile::new("big.vcl", text);
        let options = LintOptions::default();
        let whole = Mode::Whole {
            side_by_side: false,
        };
        let one = lint_in(&file, &options, whole);
        assert!(one.len() > 100, "{}", one.len());
        let side_by_side = Mode::Whole { side_by_side: true };
        assert_eq!(one, lint_in(&file, &options, side_by_side));
        // Batches of one declaration, of a few, and one batch for the whole file.
        for items in [1, 7, 100_000] {
            assert_eq!(
                one,
                lint_in(&file, &options, Mode::Batched(items)),
                "{items}"
            );
        }
    }

    /// An allow comment inside a declaration (text the reference scan skips) is found in
    /// every mode, from the scan's own tokens.
    #[test]
    fn an_allow_comment_inside_a_backend_works_in_every_mode() {
        let body = "sub vcl_recv { set req.backend = a; }\nbackend a {\n  .host = \"example.com\";\n  .port = \"70000\";\n}\n";
        let options = LintOptions::default();
        let modes = [
            Mode::Whole {
                side_by_side: false,
            },
            Mode::Whole { side_by_side: true },
            Mode::Batched(1),
        ];
        let port_line = 4;
        let on_port = |found: &[Diagnostic], file: &SourceFile| {
            found
                .iter()
                .filter(|d| {
                    d.primary_span()
                        .is_some_and(|s| file.line_at(s.start) == port_line)
                })
                .count()
        };
        let plain = SourceFile::new("a.vcl", body);
        let allowed = SourceFile::new(
            "b.vcl",
            body.replace("  .port", "  # vcl-backend: allow(all)\n  .port"),
        );
        for mode in modes {
            assert!(on_port(&lint_in(&plain, &options, mode), &plain) > 0);
            let port_moved = port_line + 1;
            let found = lint_in(&allowed, &options, mode);
            assert!(
                !found.iter().any(|d| d
                    .primary_span()
                    .is_some_and(|s| allowed.line_at(s.start) == port_moved)),
                "{found:?}"
            );
        }
    }

    /// Every rule's fixtures, one string each.
    fn lint_fixtures() -> Vec<String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/lint");
        let mut paths: Vec<_> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().path())
            // Rule directories; `generated/` holds whole dumps, read by tests/lint_rules.rs.
            .filter(|dir| dir.join("bad.vcl").exists())
            .flat_map(|dir| [dir.join("bad.vcl"), dir.join("good.vcl")])
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::cases(64))]

        /// Fixtures in any order and number (a backend may be used before it is declared,
        /// or declared twice), in batches of any size: the same findings as one pass.
        #[test]
        fn batches_of_any_size_find_what_one_pass_finds(
            picks in proptest::collection::vec(0usize..1000, 1..12),
            items in 1usize..6,
        ) {
            let fixtures = lint_fixtures();
            let text: String = picks.iter().map(|&i| fixtures[i % fixtures.len()].as_str()).collect();
            let file = SourceFile::new("mixed.vcl", text);
            let options = LintOptions::default();
            let one = lint_in(&file, &options, Mode::Whole { side_by_side: false });
            proptest::prop_assert_eq!(one, lint_in(&file, &options, Mode::Batched(items)));
        }
    }
}
