//! SARIF 2.1.0 output, so GitHub code scanning can show the findings.
//!
//! One run; the driver lists every lint rule (with its documentation) and any other code that
//! has a finding (the parser's), so that every result's `ruleId` is described. The log is
//! written from typed structs, each result made as it is written (docs/design.md §11): a
//! million findings never exist as a tree of values.

use std::collections::HashMap;
use std::io;

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::diagnostic::json::Point;
use crate::diagnostic::{CODE_PREFIX, Diagnostic, FileDiagnostics, Severity};
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

/// One SARIF log for the findings of every linted file, as a value (for tests and small logs;
/// [`write_log`] writes a large one).
pub fn log(results: &[(&SourceFile, &[Diagnostic])]) -> Value {
    let files: Vec<FileDiagnostics> = results
        .iter()
        .map(|(file, found)| FileDiagnostics::new(file, found.to_vec()))
        .collect();
    serde_json::to_value(Log::new(&files)).unwrap_or(Value::Null)
}

/// Writes the SARIF log of `files` (pretty), one result at a time.
pub fn write_log(out: impl io::Write, files: &[FileDiagnostics]) -> io::Result<()> {
    serde_json::to_writer_pretty(out, &Log::new(files)).map_err(io::Error::from)
}

/// `{ "text": ... }`.
#[derive(Serialize)]
struct Text<T> {
    text: T,
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Results<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

/// A rule of the registry, described in full, or another code, by its first finding.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    #[serde(serialize_with = "full_code")]
    id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'static str>,
    short_description: Text<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Help>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_configuration: Option<Configuration>,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

fn full_code<S: Serializer>(code: &&'static str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&format_args!("{CODE_PREFIX}{code}"))
}

impl<'a> Log<'a> {
    /// The log of `files`: every lint rule, then each other code with a finding, in the order
    /// of their first findings.
    fn new(files: &'a [FileDiagnostics]) -> Self {
        let mut rules: Vec<Rule<'a>> = registry::rules()
            .iter()
            .map(|rule| Rule {
                id: rule.code,
                name: Some(rule.name()),
                short_description: Text { text: rule.summary },
                full_description: Some(Text { text: rule.what }),
                help: Some(Help {
                    text: rule.help,
                    markdown: rule.markdown(),
                }),
                default_configuration: Some(Configuration {
                    level: level(rule.severity),
                }),
            })
            .collect();
        let mut index: HashMap<&'static str, usize> = rules
            .iter()
            .enumerate()
            .map(|(i, rule)| (rule.id, i))
            .collect();
        for d in files.iter().flat_map(|f| &f.diagnostics) {
            index.entry(d.code).or_insert_with(|| {
                let first_line = d.message.lines().next().unwrap_or_default();
                rules.push(Rule {
                    id: d.code,
                    name: None,
                    short_description: Text { text: first_line },
                    full_description: None,
                    help: None,
                    default_configuration: None,
                });
                rules.len() - 1
            });
        }
        Log {
            schema: "https://json.schemastore.org/sarif-2.1.0.json",
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "vcl-backend",
                        version: env!("CARGO_PKG_VERSION"),
                        information_uri: INFORMATION_URI,
                        rules,
                    },
                },
                column_kind: "unicodeCodePoints",
                results: Results { files, index },
            }],
        }
    }
}

/// Every file's results, each made as it is written.
struct Results<'a> {
    files: &'a [FileDiagnostics],
    index: HashMap<&'static str, usize>,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.files.iter().flat_map(|file| {
            let uri = uri(&file.name);
            let index = &self.index;
            file.placed().map(move |(d, points)| {
                let rule_index = index.get(d.code).copied().unwrap_or_default();
                SarifResult::new(d, points, uri.clone(), rule_index)
            })
        }))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(serialize_with = "full_code")]
    rule_id: &'static str,
    level: &'static str,
    message: Text<String>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    rule_index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: Physical,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct Artifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

impl<'a> SarifResult<'a> {
    /// `points` as [`FileDiagnostics`] keeps them: the primary span's, then each label's.
    fn new(d: &'a Diagnostic, points: &[Point], uri: String, rule_index: usize) -> Self {
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let primary = d
            .labels
            .iter()
            .position(|l| l.primary)
            .or(if d.labels.is_empty() { None } else { Some(0) });
        let at = |i: usize, id: Option<usize>| {
            let point = |j: usize| points.get(2 + 2 * i + j).copied().unwrap_or((1, 1));
            let ((start_line, start_column), (end_line, end_column)) = (point(0), point(1));
            Location {
                physical_location: Physical {
                    artifact_location: Artifact { uri: uri.clone() },
                    region: Some(Region {
                        start_line,
                        start_column,
                        end_line,
                        end_column,
                    }),
                },
                message: Some(Text {
                    text: &d.labels[i].message,
                }),
                id,
            }
        };
        let location = match primary {
            Some(i) => at(i, None),
            None => Location {
                physical_location: Physical {
                    artifact_location: Artifact { uri: uri.clone() },
                    region: None,
                },
                message: None,
                id: None,
            },
        };
        let related = (0..d.labels.len())
            .filter(|&i| Some(i) != primary)
            .enumerate()
            .map(|(id, i)| at(i, Some(id)))
            .collect();
        SarifResult {
            rule_id: d.code,
            level: level(d.severity),
            message: Text { text: message },
            locations: [location],
            related_locations: related,
            rule_index,
        }
    }
}

/// A relative URI with forward slashes, as code scanning expects, percent-encoded (RFC 3986):
/// a space, `%`, `#`, `?`, `:`, non-ASCII and control characters would otherwise be read as
/// another path or cut it short.
fn uri(name: &str) -> String {
    if name == "<stdin>" {
        return "stdin".to_string();
    }
    // `/` and the sub-delimiters a path may hold are kept as they are.
    crate::percent::encode(
        &name.trim_start_matches("./").replace('\\', "/"),
        b"/!$&'()*+,;=@",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("./dir/a b.vcl"), "dir/a%20b.vcl");
        assert_eq!(uri("50%#1?.vcl"), "50%25%231%3F.vcl");
        assert_eq!(uri("c:\\x\\é\u{1b}\n.vcl"), "c%3A/x/%C3%A9%1B%0A.vcl");
        assert_eq!(uri("a+b@c!.vcl"), "a+b@c!.vcl");
        assert_eq!(uri("<stdin>"), "stdin");
    }
}
