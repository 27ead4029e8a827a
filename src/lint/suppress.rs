//! `# vcl-backend: allow(CODE, ...)` comments: on the line of a finding, or alone on the line
//! before it. A code is the full code, the `lint::` code, the rule name, or `all`.

use std::collections::HashMap;

use crate::diagnostic::{CODE_PREFIX, Diagnostic};
use crate::source::SourceFile;

const MARKER: &str = "vcl-backend: allow(";

/// The allow comments of a file, by 1-based line.
pub struct Allows {
    by_line: HashMap<usize, Vec<String>>,
}

impl Allows {
    pub fn scan(file: &SourceFile) -> Self {
        let mut by_line = HashMap::new();
        if !file.text.contains(MARKER) {
            return Allows { by_line };
        }
        for (offset, comment) in comments(&file.text) {
            let Some(at) = comment.find(MARKER) else {
                continue;
            };
            let list = comment[at + MARKER.len()..].split(')').next().unwrap_or("");
            let codes: Vec<String> = list
                .split(',')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect();
            let (line, _) = file.line_col(offset + at);
            by_line.entry(line).or_insert_with(Vec::new).extend(codes);
        }
        Allows { by_line }
    }

    /// Whether `d` is allowed by a comment on its line or the line before.
    pub fn allows(&self, file: &SourceFile, d: &Diagnostic) -> bool {
        if self.by_line.is_empty() {
            return false;
        }
        let Some(span) = d.primary_span() else {
            return false;
        };
        let (line, _) = file.line_col(span.start);
        let name = d.code.rsplit("::").next().unwrap_or(d.code);
        let matches = |codes: &Vec<String>| {
            codes.iter().any(|c| {
                let c = c.trim_start_matches(CODE_PREFIX);
                c == "all" || c == d.code || c == name
            })
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

/// Every comment of the text with its offset; strings are read whole, so a marker inside a
/// string is never taken for a comment.
fn comments(text: &str) -> Vec<(usize, &str)> {
    use crate::syntax::lexical::{long_string, opens_long_string, short_string};
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(n) = rest.find(['"', '{', '#', '/']) {
        let at = &rest[n..];
        let offset = text.len() - at.len();
        let next = if at.starts_with('"') {
            short_string(at).map_or_else(|_| crate::syntax::skip::skip_line(at), |(r, _)| r)
        } else if opens_long_string(at) {
            long_string(at).map_or("", |(r, _)| r)
        } else if at.starts_with('#') || at.starts_with("//") {
            let end = at.find('\n').unwrap_or(at.len());
            found.push((offset, &at[..end]));
            &at[end..]
        } else if let Some(body) = at.strip_prefix("/*") {
            let end = body.find("*/").map_or(at.len(), |e| e + 4);
            found.push((offset, &at[..end]));
            &at[end..]
        } else {
            &at[1..]
        };
        rest = next;
    }
    found
}

/// A line holding nothing but a comment (so it speaks for the line after it).
fn comment_only(file: &SourceFile, line: usize) -> bool {
    file.line_text(line).is_some_and(|l| {
        let t = l.trim_start();
        t.starts_with('#') || t.starts_with("//") || t.starts_with("/*")
    })
}
