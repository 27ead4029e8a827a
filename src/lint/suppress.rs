//! `# vcl-backend: allow(CODE, ...)` comments: on the line of a finding, or alone on the line
//! before it. A code is the full code, the `lint::` code, the rule name, or `all`.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::Diagnostic;
use crate::lint::registry;
use crate::source::SourceFile;

const MARKER: &str = "vcl-backend: allow(";

/// The allow comments of a file, by 1-based line.
pub struct Allows {
    /// The codes each line allows, as [`registry::without_prefix`] gives them: a set, as a line may name many
    /// codes and carry many findings.
    by_line: HashMap<usize, HashSet<String>>,
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
            let codes = list
                .split(',')
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .map(|c| registry::without_prefix(c).to_string());
            let line = file.line_at(offset + at);
            by_line
                .entry(line)
                .or_insert_with(HashSet::new)
                .extend(codes);
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
            let end = at.find(['\n', '\r']).unwrap_or(at.len());
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
