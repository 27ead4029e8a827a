//! `--rewrite-vcl`: the input with the migrated `backend` and `director` declarations removed,
//! every reference renamed to the identifier Fastly will generate (`origin` -> `F_origin`), each
//! migrated anonymous director backend replaced by its new identifier, and the named
//! `probe NAME { }` declarations no remaining backend uses removed; everything else is
//! unchanged, byte for byte.

use std::collections::{HashMap, HashSet};

use crate::ast::{Item, ValueKind};
use crate::diagnostic::{Diagnostic, Label};
use crate::migrate::Plan;
use crate::references::References;
use crate::span::Span;
use crate::syntax::skip::blank_line_start;

/// A renamed reference, for the report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Renamed {
    pub from: String,
    pub to: String,
    pub span: Span,
    /// 1-based line.
    pub line: usize,
}

/// The rewritten text and the renames, or the collisions that prevent it.
pub fn rewrite(
    src: &str,
    plan: &Plan,
    line_of: impl Fn(usize) -> usize,
) -> Result<(String, Vec<Renamed>), Vec<Diagnostic>> {
    let (items, _) = crate::syntax::parse(src);
    let references = References::scan(src, &items);
    let directors = plan
        .moved_directors
        .iter()
        .map(|d| (d.ident.as_str(), d.api_ident.as_str()));
    let renames: HashMap<&str, &str> = plan
        .moved
        .iter()
        .filter(|m| m.in_director.is_none())
        .map(|m| (m.ident.as_str(), m.api_ident.as_str()))
        .chain(directors)
        .filter(|(ident, api_ident)| ident != api_ident)
        .collect();
    let moved_directors: HashSet<&str> = plan
        .moved_directors
        .iter()
        .map(|d| d.ident.as_str())
        .collect();
    // The removed directors, in order: what is inside them is not renamed.
    let mut removed_directors: Vec<Span> = plan.moved_directors.iter().map(|d| d.span).collect();
    removed_directors.sort_by_key(|s| s.start);
    let inside_removed = |at: usize| {
        let i = removed_directors.partition_point(|s| s.start <= at);
        i > 0 && at < removed_directors[i - 1].end
    };
    let removed: HashSet<&str> = plan
        .moved
        .iter()
        .filter(|m| m.in_director.is_none())
        .map(|m| m.ident.as_str())
        .collect();
    // A new name must not be taken by anything that stays.
    let mut taken: HashSet<&str> = references
        .directors
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !moved_directors.contains(n))
        .collect();
    taken.extend(references.other_names.iter().copied());
    for item in &items {
        match item {
            Item::Backend(b) if !removed.contains(b.name.text) => {
                taken.insert(b.name.text);
            }
            Item::Probe(p) => {
                taken.insert(p.name.text);
            }
            _ => {}
        }
    }
    let backends = plan
        .moved
        .iter()
        .filter(|m| m.in_director.is_some() || renames.contains_key(m.ident.as_str()))
        .map(|m| (m.ident.as_str(), m.api_ident.as_str(), m.span));
    let directors = plan
        .moved_directors
        .iter()
        .filter(|d| renames.contains_key(d.ident.as_str()))
        .map(|d| (d.ident.as_str(), d.api_ident.as_str(), d.span));
    let collisions: Vec<Diagnostic> = backends
        .chain(directors)
        .filter(|(_, api_ident, _)| taken.contains(api_ident))
        .map(|(ident, api_ident, span)| {
            Diagnostic::error(
                "migrate::rename-collision",
                format!("`{ident}` would be renamed to `{api_ident}`, which the VCL already uses"),
            )
            .with_label(Label::primary(span, format!("becomes `{api_ident}`")))
            .with_help("rename the existing declaration first")
        })
        .collect();
    if !collisions.is_empty() {
        return Err(collisions);
    }
    // Edits, in order: removals of migrated declarations (an anonymous backend's object is
    // replaced by its new name), of unused named probes, and renames of references.
    let mut edits: Vec<(Span, String)> = plan
        .moved
        .iter()
        .map(|m| match m.in_director {
            // An identifier ends with `;` where an object did not need one.
            Some(_) if src[m.span.end..].trim_start().starts_with(';') => {
                (m.span, m.api_ident.clone())
            }
            Some(_) => (m.span, format!("{};", m.api_ident)),
            None => (removal_span(src, m.span), String::new()),
        })
        .collect();
    for d in &plan.moved_directors {
        edits.push((removal_span(src, d.span), String::new()));
    }
    let probes_in_use = probes_in_use(&items, &removed);
    for item in &items {
        if let Item::Probe(p) = item {
            if !probes_in_use.contains(p.name.text) {
                edits.push((removal_span(src, p.span), String::new()));
            }
        }
    }
    let mut renamed = Vec::new();
    for r in &references.references {
        if inside_removed(r.span.start) {
            continue;
        }
        if let Some(to) = renames.get(r.name) {
            edits.push((r.span, (*to).to_string()));
            renamed.push(Renamed {
                from: r.name.to_string(),
                to: (*to).to_string(),
                span: r.span,
                line: line_of(r.span.start),
            });
        }
    }
    edits.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(src.len());
    let mut at = 0;
    for (span, replacement) in edits {
        if span.start < at {
            continue; // inside a removed declaration
        }
        out.push_str(&src[at..span.start]);
        out.push_str(&replacement);
        at = span.end;
    }
    out.push_str(&src[at..]);
    Ok((out, renamed))
}

/// The probes named by `.probe = NAME;` in the backends that stay in VCL.
fn probes_in_use<'a>(items: &[Item<'a>], removed: &HashSet<&str>) -> HashSet<&'a str> {
    let mut used = HashSet::new();
    for item in items {
        let Item::Backend(b) = item else { continue };
        if removed.contains(b.name.text) {
            continue;
        }
        for prop in &b.properties {
            if let (true, ValueKind::Ident(name)) = (prop.name.text == "probe", &prop.value.kind) {
                used.insert(*name);
            }
        }
    }
    used
}

/// A declaration's span, widened to its whole lines when nothing else shares them (so no
/// blank line is left where it stood).
fn removal_span(src: &str, span: Span) -> Span {
    // Only the white space next to the declaration is read: many declarations on one long
    // line would otherwise each scan the whole line.
    match (
        blank_line_start(src, span.start),
        blank_line_end(src, span.end),
    ) {
        (Some(line_start), Some(line_end)) => Span::new(line_start, line_end),
        _ => span,
    }
}

/// Just past the end of the line holding `at` (its newline included), if only white space
/// comes between the two.
fn blank_line_end(src: &str, at: usize) -> Option<usize> {
    for (i, c) in src[at..].char_indices() {
        // A lone `\r` ends a line too (docs/design.md §2.16).
        if c == '\n' || (c == '\r' && !src[at + i + 1..].starts_with('\n')) {
            return Some(at + i + 1);
        }
        if !c.is_whitespace() {
            return None;
        }
    }
    Some(src.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan of the whole line this replaced: the spans must stay the same.
    fn removal_span_by_lines(src: &str, span: Span) -> Span {
        let line_start = crate::syntax::skip::tests::line_start(src, span.start);
        // After a `\n`, or after a `\r` that no `\n` follows.
        let bytes = src.as_bytes();
        let line_end = (span.end..src.len())
            .find(|&p| bytes[p] == b'\n' || (bytes[p] == b'\r' && bytes.get(p + 1) != Some(&b'\n')))
            .map_or(src.len(), |p| p + 1);
        let before_blank = src[line_start..span.start].trim().is_empty();
        let after_blank = src[span.end..line_end].trim().is_empty();
        if before_blank && after_blank {
            Span::new(line_start, line_end)
        } else {
            span
        }
    }

    #[test]
    fn a_declaration_alone_on_its_lines_takes_them_whole() {
        let src = "a\n  backend b {}  \nc";
        let start = src.find("backend").unwrap();
        let end = src.find('}').unwrap() + 1;
        assert_eq!(removal_span(src, Span::new(start, end)), Span::new(2, 19));
        // At the very start and end of the text, with Unicode white space around it.
        let src = "\u{a0}backend b {}\u{3000}";
        assert_eq!(removal_span(src, Span::new(2, 14)), Span::new(0, src.len()));
        // Anything else on either line keeps the span as it is.
        for src in ["x backend b {}\n", "backend b {} x\n", "backend b {}#\n"] {
            let start = src.find("backend").unwrap();
            let span = Span::new(start, start + "backend b {}".len());
            assert_eq!(removal_span(src, span), span, "{src:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::cases(512))]

        /// Any text around any span: the same span as the scan of whole lines.
        #[test]
        fn removal_spans_are_those_of_whole_lines(
            before in "[ \t\r\n\u{a0}\u{2028}\u{85}xé;]{0,12}",
            declaration in "[ \nxé]{0,6}",
            after in "[ \t\r\n\u{a0}\u{2028}\u{85}xé;]{0,12}",
        ) {
            let src = format!("{before}{declaration}{after}");
            let span = Span::new(before.len(), before.len() + declaration.len());
            proptest::prop_assert_eq!(removal_span(&src, span), removal_span_by_lines(&src, span));
        }
    }
}
