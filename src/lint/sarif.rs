//! SARIF 2.1.0 output, so GitHub code scanning can show the findings.
//!
//! One run; the driver lists every lint rule (with its documentation) and any other code that
//! has a finding (the parser's), so that every result's `ruleId` is described.

use serde_json::{Value, json};

use crate::diagnostic::{CODE_PREFIX, Diagnostic, Severity};
use crate::lint::registry;
use crate::source::SourceFile;

const INFORMATION_URI: &str = "https://github.com/vcl-backend/vcl-backend";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// One SARIF log for the findings of every linted file.
pub fn log(results: &[(&SourceFile, &[Diagnostic])]) -> Value {
    assemble(
        results
            .iter()
            .flat_map(|(file, found)| file_results(file, found))
            .collect(),
    )
}

/// The SARIF results of one file (without `ruleIndex`, which [`assemble`] sets), so that a
/// caller can keep these instead of the file's text.
pub fn file_results(file: &SourceFile, found: &[Diagnostic]) -> Vec<Value> {
    found
        .iter()
        .map(|d| result(file, d, &d.full_code()))
        .collect()
}

/// The log around results: every lint rule described, then any other code that has a result
/// (the parser's), described by its first message.
pub fn assemble(mut results: Vec<Value>) -> Value {
    let mut rules: Vec<Value> = registry::rules()
        .iter()
        .map(|rule| {
            json!({
                "id": format!("{CODE_PREFIX}{}", rule.code),
                "name": rule.name(),
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.what },
                "help": { "text": rule.help, "markdown": rule.markdown() },
                "defaultConfiguration": { "level": level(rule.severity) },
            })
        })
        .collect();
    let mut ids: Vec<String> = rules
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect();
    for result in &mut results {
        let id = result["ruleId"].as_str().unwrap_or_default().to_string();
        let index = match ids.iter().position(|known| *known == id) {
            Some(i) => i,
            None => {
                let text = result["message"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_string();
                rules.push(json!({ "id": id, "shortDescription": { "text": text } }));
                ids.push(id);
                ids.len() - 1
            }
        };
        result["ruleIndex"] = json!(index);
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "vcl-backend",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn result(file: &SourceFile, d: &Diagnostic, id: &str) -> Value {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let primary_index = d
        .labels
        .iter()
        .position(|l| l.primary)
        .or(if d.labels.is_empty() { None } else { Some(0) });
    let primary = primary_index.map(|i| &d.labels[i]);
    let mut value = json!({
        "ruleId": id,
        "level": level(d.severity),
        "message": { "text": message },
    });
    if let Some(label) = primary {
        value["locations"] = json!([location(file, label.span, &label.message)]);
    } else {
        value["locations"] =
            json!([{ "physicalLocation": { "artifactLocation": { "uri": uri(file) } } }]);
    }
    let related: Vec<Value> = d
        .labels
        .iter()
        .enumerate()
        .filter(|&(i, _)| Some(i) != primary_index)
        .map(|(_, l)| l)
        .enumerate()
        .map(|(i, l)| {
            let mut loc = location(file, l.span, &l.message);
            loc["id"] = json!(i);
            loc
        })
        .collect();
    if !related.is_empty() {
        value["relatedLocations"] = json!(related);
    }
    value
}

fn location(file: &SourceFile, span: crate::span::Span, message: &str) -> Value {
    let (start_line, start_column) = file.line_col(span.start);
    let (end_line, end_column) = file.line_col(span.end);
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(file) },
            "region": {
                "startLine": start_line,
                "startColumn": start_column,
                "endLine": end_line,
                "endColumn": end_column,
            },
        },
        "message": { "text": message },
    })
}

/// A relative URI with forward slashes, as code scanning expects, percent-encoded (RFC 3986):
/// a space, `%`, `#`, `?`, `:`, non-ASCII and control characters would otherwise be read as
/// another path or cut it short.
fn uri(file: &SourceFile) -> String {
    if file.name == "<stdin>" {
        return "stdin".to_string();
    }
    percent_encoded(&file.name.trim_start_matches("./").replace('\\', "/"))
}

/// Every byte but unreserved characters, `/` and the sub-delimiters a path may hold as they
/// are (`!$&'()*+,;=@`) as `%XX`.
fn percent_encoded(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        let uri = |name: &str| uri(&SourceFile::new(name, ""));
        assert_eq!(uri("./dir/a b.vcl"), "dir/a%20b.vcl");
        assert_eq!(uri("50%#1?.vcl"), "50%25%231%3F.vcl");
        assert_eq!(uri("c:\\x\\é\u{1b}\n.vcl"), "c%3A/x/%C3%A9%1B%0A.vcl");
        assert_eq!(uri("a+b@c!.vcl"), "a+b@c!.vcl");
        assert_eq!(uri("<stdin>"), "stdin");
    }
}
