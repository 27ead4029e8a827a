//! `# vcl-backend: allow(CODE, ...)` comments: on the line of a finding, or alone on the line
//! before it. A code is the full code, the `lint::` code, the rule name, or `all`; a `parse::`
//! code (with or without `vcl-backend::`, or its name) allows that syntax finding.
//! An `allow(` that is not closed within its comment allows nothing and is an error; a code
//! that names nothing is a warning with "did you mean" (docs/design.md §2.17).
//!
//! The comments come from the syntax layer's token stream: lint has them from its reference
//! scan ([`Allows::from_comments`]), which reads the text once for both.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Label};
use crate::lint::registry;
use crate::source::SourceFile;
use crate::span::Span;
use crate::syntax::tokens::{Kind, Tokens};

/// The codes of parse's own findings that lint passes on, which an allow comment may name
/// too (a test keeps the list whole).
pub const PARSE_CODES: &[&str] = &[
    "parse::anonymous-backend",
    "parse::api-name",
    "parse::api-name-clash",
    "parse::bad-rtime-unit",
    "parse::byte-order-mark",
    "parse::conflicting-weight",
    "parse::director-cycle",
    "parse::director-missing-property",
    "parse::director-name-taken",
    "parse::dummy-probe",
    "parse::duplicate-backend",
    "parse::duplicate-director",
    "parse::duplicate-member",
    "parse::duplicate-probe",
    "parse::duplicate-property",
    "parse::empty-director",
    "parse::healthcheck-renamed",
    "parse::host-header-meaning",
    "parse::inexact-duration",
    "parse::invalid-escape",
    "parse::invalid-keyword",
    "parse::invalid-name",
    "parse::invalid-utf8",
    "parse::invalid-value",
    "parse::missing-brace",
    "parse::missing-host",
    "parse::missing-semicolon",
    "parse::none-backend",
    "parse::nul-byte",
    "parse::object-value",
    "parse::out-of-range",
    "parse::port-in-host",
    "parse::property-not-allowed",
    "parse::quorum-out-of-range",
    "parse::service-port",
    "parse::undefined-probe",
    "parse::unexpected-token",
    "parse::unix-socket-backend",
    "parse::unknown-form",
    "parse::unknown-policy",
    "parse::unknown-property",
    "parse::unmatched-brace",
    "parse::unrepresentable-probe",
    "parse::unterminated-comment",
    "parse::unterminated-string",
    "parse::varnish-property",
    "parse::vcl-only-director",
    "parse::wrong-type",
];

/// Whether an allow comment's `code` (as [`registry::without_prefix`] gives it) names
/// anything: `all`, a rule, or a parse finding.
fn is_known_code(code: &str) -> bool {
    code == "all"
        || registry::lookup(code).is_some()
        || PARSE_CODES
            .iter()
            .any(|c| *c == code || c.strip_prefix("parse::") == Some(code))
}

/// The closest known code to an unknown one: a rule's name, or a parse code as written
/// (`parse::...` when it was written so, else its name).
fn closest_code(code: &str) -> Option<String> {
    let rules = registry::rules().iter().map(|r| r.name());
    let parse = PARSE_CODES
        .iter()
        .map(|c| c.strip_prefix("parse::").unwrap_or(c));
    let name = code.rsplit("::").next().unwrap_or(code);
    let best = crate::suggest::did_you_mean(name, rules.chain(parse).chain(["all"]))?;
    Some(match code.rsplit_once("::") {
        Some((prefix, _)) => format!("{prefix}::{best}"),
        None => best.to_string(),
    })
}

/// What makes a comment an allow comment.
pub const MARKER: &str = "vcl-backend: allow(";

/// The allow comments of a file, by 1-based line.
pub struct Allows {
    /// The codes each line allows, as [`registry::without_prefix`] gives them: a set, as a line may name many
    /// codes and carry many findings.
    by_line: HashMap<usize, HashSet<String>>,
    /// What is wrong with the comments themselves: an unclosed `allow(`, unknown codes.
    pub diagnostics: Vec<Diagnostic>,
}

impl Allows {
    /// The allow comments of the whole file, read from the syntax layer's tokens. Lint does
    /// not call it: it has the comments from the reference scan ([`Allows::from_comments`]).
    pub fn scan(file: &SourceFile) -> Self {
        if !file.text.contains(MARKER) {
            return Allows::from_comments(file, []);
        }
        let comments = Tokens::new(&file.text)
            .filter(|t| t.kind == Kind::Comment)
            .map(|t| (t.span.start, t.text));
        Allows::from_comments(file, comments)
    }

    /// The allow comments among `comments` (each with its offset, in text order): every
    /// comment of the file that holds [`MARKER`], and possibly others.
    pub fn from_comments<'a>(
        file: &SourceFile,
        comments: impl IntoIterator<Item = (usize, &'a str)>,
    ) -> Self {
        let mut by_line = HashMap::new();
        let mut diagnostics = Vec::new();
        for (offset, comment) in comments {
            let Some(at) = comment.find(MARKER) else {
                continue;
            };
            let list_start = offset + at + MARKER.len();
            let after = &comment[at + MARKER.len()..];
            let Some(close) = after.find(')') else {
                diagnostics.push(unclosed_allow(offset + at, comment.len() - at));
                continue;
            };
            let list = &after[..close];
            let mut codes = Vec::new();
            let mut from = 0;
            for piece in list.split(',') {
                let start = from + (piece.len() - piece.trim_start().len());
                from += piece.len() + 1;
                let written = piece.trim();
                if written.is_empty() {
                    continue;
                }
                let code = registry::without_prefix(written);
                if !is_known_code(code) {
                    let span = Span::new(list_start + start, list_start + start + written.len());
                    diagnostics.push(unknown_code(written, span));
                }
                codes.push(code.to_string());
            }
            let line = file.line_at(offset + at);
            by_line
                .entry(line)
                .or_insert_with(HashSet::new)
                .extend(codes);
        }
        Allows {
            by_line,
            diagnostics,
        }
    }

    /// Whether `d` is allowed by a comment on its line or the line before.
    pub fn allows(&self, file: &SourceFile, d: &Diagnostic) -> bool {
        if self.by_line.is_empty() {
            return false;
        }
        let Some(span) = d.primary_span() else {
            return false;
        };
        let line = file.line_at(span.start);
        let name = d.code.rsplit("::").next().unwrap_or(d.code);
        let matches = |codes: &HashSet<String>| {
            codes.contains("all") || codes.contains(d.code) || codes.contains(name)
        };
        let own_line = self.by_line.get(&line).is_some_and(matches);
        let line_before = line > 1
            && self
                .by_line
                .get(&(line - 1))
                .is_some_and(|codes| matches(codes) && comment_only(file, line - 1));
        own_line || line_before
    }
}

/// `allow(` without its `)` in the comment: it allows nothing (allowing everything after it
/// would hide findings nobody chose to hide).
fn unclosed_allow(at: usize, len: usize) -> Diagnostic {
    let len = len.min(MARKER.len() + 40);
    Diagnostic::error(
        "suppress::unclosed-allow",
        "`vcl-backend: allow(` is not closed: it allows nothing",
    )
    .with_label(Label::primary(
        Span::new(at, at + len),
        "no `)` before the comment ends",
    ))
    .with_help("close the list in the same comment, e.g. `# vcl-backend: allow(unused-backend)`")
}

/// A code in an allow comment that names no rule nor finding: it allows nothing.
fn unknown_code(written: &str, span: Span) -> Diagnostic {
    let shown: String = written.chars().take(60).collect();
    let d = Diagnostic::warning(
        "suppress::unknown-rule",
        format!("`{shown}` names no rule: it allows nothing"),
    )
    .with_label(Label::primary(span, "unknown rule"));
    match closest_code(written) {
        Some(code) => d.with_help(format!("did you mean `{code}`?")),
        None => d.with_help(
            "name a rule (`vcl-backend lint --explain all` lists them), a `parse::` code, or `all`",
        ),
    }
}

/// A line holding nothing but comments (so it speaks for the line after it). A block comment
/// with code after it on its line does not: its allow is for that code.
fn comment_only(file: &SourceFile, line: usize) -> bool {
    let Some(text) = file.line_text(line) else {
        return false;
    };
    let mut rest = text.trim_start();
    let mut comments = 0;
    loop {
        if rest.starts_with('#') || rest.starts_with("//") {
            return true;
        }
        let Some(body) = rest.strip_prefix("/*") else {
            return comments > 0 && rest.is_empty();
        };
        match body.find("*/") {
            // It goes on past this line: nothing else is on it.
            None => return true,
            Some(end) => rest = body[end + 2..].trim_start(),
        }
        comments += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Label;
    use crate::span::Span;

    /// Whether a finding with `code` on the last line of `text` is allowed.
    fn allowed(text: &str, code: &'static str) -> bool {
        let file = SourceFile::new("x", text);
        let at = text.trim_end().rfind('\n').map_or(0, |n| n + 1);
        let d = Diagnostic::warning(code, "m").with_label(Label::primary(Span::new(at, at), "l"));
        Allows::scan(&file).allows(&file, &d)
    }

    #[test]
    fn every_spelling_of_a_code_on_a_line_with_many() {
        let many: Vec<String> = (0..1000).map(|k| format!("x{k}")).collect();
        let many = many.join(", ");
        for code in [
            "all",
            "unused-backend",
            "lint::unused-backend",
            "vcl-backend::lint::unused-backend",
        ] {
            let text = format!("b; # vcl-backend: allow({many}, {code} ,x)\n");
            assert!(allowed(&text, "lint::unused-backend"), "{code}");
            let before = format!("// vcl-backend: allow({code})\nb;\n");
            assert!(allowed(&before, "lint::unused-backend"), "{code}");
        }
        // The prefix is one, as the `lint::` part is.
        for code in [
            "",
            "x",
            "backend",
            "lint::lint::unused-backend",
            "vcl-backend::vcl-backend::unused-backend",
            "vcl-backend::unused-backend",
            "ALL",
        ] {
            let text = format!("b; # vcl-backend: allow({many}, {code})\n");
            assert!(!allowed(&text, "lint::unused-backend"), "{code}");
        }
        // Only a line holding nothing but comments speaks for the next.
        assert!(!allowed("a; # vcl-backend: allow(all)\nb;\n", "lint::x"));
        assert!(!allowed(
            "/* vcl-backend: allow(all) */ a;\nb;\n",
            "lint::x"
        ));
        assert!(allowed("/* vcl-backend: allow(all) */ a;\n", "lint::x"));
        assert!(allowed("/* vcl-backend: allow(all) */\nb;\n", "lint::x"));
        assert!(allowed(
            "  /* a */ /* vcl-backend: allow(all) */ # c\nb;\n",
            "lint::x"
        ));
        assert!(allowed("/* vcl-backend: allow(all)\n b;\n", "lint::x"));
    }
}
