//! HCL as terraform writes it: blocks of attributes lined up, values escaped so that none can
//! end its string or start a template (docs/design.md §9, §10.2).

use std::fmt::Write;

use crate::controls;

/// An attribute's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<String>),
}

/// A `healthcheck` or `backend` block: attributes in order, then comments.
#[derive(Debug)]
pub(crate) struct HclBlock {
    pub(crate) kind: &'static str,
    pub(crate) attributes: Vec<(&'static str, Value)>,
    pub(crate) comments: Vec<String>,
}

impl HclBlock {
    pub(crate) fn new(kind: &'static str) -> Self {
        HclBlock {
            kind,
            attributes: Vec::new(),
            comments: Vec::new(),
        }
    }

    pub(crate) fn str(&mut self, key: &'static str, value: Option<&str>, default: &str) {
        let value = value.unwrap_or(default).to_string();
        self.attributes.push((key, Value::Str(value)));
    }

    pub(crate) fn int(&mut self, key: &'static str, value: Option<i64>, default: i64) {
        self.attributes
            .push((key, Value::Int(value.unwrap_or(default))));
    }

    pub(crate) fn bool(&mut self, key: &'static str, value: Option<bool>, default: bool) {
        self.attributes
            .push((key, Value::Bool(value.unwrap_or(default))));
    }
}

pub(crate) fn render_block(out: &mut String, block: &HclBlock) {
    let _ = writeln!(out, "{} {{", block.kind);
    // As `terraform fmt` does: the `=` line up, across heredocs too.
    let width = block
        .attributes
        .iter()
        .map(|(k, _)| k.len())
        .max()
        .unwrap_or(0);
    for (key, value) in &block.attributes {
        let _ = write!(out, "  {key:width$} = ");
        render_value(out, value);
        out.push('\n');
    }
    for comment in &block.comments {
        for line in comment.lines() {
            let _ = writeln!(out, "  # {}", controls::for_terminal(line));
        }
    }
    out.push_str("}\n");
}

pub(crate) fn render_value(out: &mut String, value: &Value) {
    match value {
        Value::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Str(s) => match heredoc(s) {
            Some(delimiter) => {
                let _ = write!(out, "<<{delimiter}\n{}{delimiter}", escape_template(s));
            }
            None => out.push_str(&quoted(s)),
        },
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(|s| quoted(s)).collect();
            let _ = write!(out, "[{}]", items.join(", "));
        }
    }
}

/// The delimiter of the heredoc that holds `value`, if a heredoc can hold it exactly: lines
/// ending in a newline, with no other control or bidirectional character (a heredoc always
/// ends its value with a newline, and the others are shown escaped in a quoted string).
pub(crate) fn heredoc(value: &str) -> Option<String> {
    if !value.ends_with('\n') || value.chars().any(|c| controls::is_hidden(c) && c != '\n') {
        return None;
    }
    // HCL ends a heredoc at a line holding only the delimiter, indented or not.
    Some(crate::migrate::shell::unused_delimiter(
        "EOT",
        value.lines().map(str::trim),
    ))
}

/// `${` and `%{` doubled, so that neither starts a template sequence.
pub(crate) fn escape_template(value: &str) -> String {
    value.replace("${", "$${").replace("%{", "%%{")
}

/// `value` as an HCL quoted string that parses back to exactly `value`.
pub(crate) fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if controls::is_hidden(c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
