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
        for (index, line) in file.text.lines().enumerate() {
            // Only in a comment: `#` or `//` before the marker.
            let Some(at) = line.find(MARKER) else {
                continue;
            };
            let before = &line[..at];
            if !(before.contains('#') || before.contains("//") || before.contains("/*")) {
                continue;
            }
            let rest = &line[at + MARKER.len()..];
            let list = rest.split(')').next().unwrap_or("");
            let codes = list
                .split(',')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect();
            by_line.insert(index + 1, codes);
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

/// A line holding nothing but a comment (so it speaks for the line after it).
fn comment_only(file: &SourceFile, line: usize) -> bool {
    file.text.lines().nth(line - 1).is_some_and(|l| {
        let t = l.trim_start();
        t.starts_with('#') || t.starts_with("//") || t.starts_with("/*")
    })
}
