//! The rule registry's promises: unique codes, documentation with examples that behave as
//! documented, a fixture pair per rule, docs/rules.md in step with the code, and snapshots of
//! every report format.

use std::collections::HashSet;
use std::path::Path;

use vcl_backend::diagnostic::{Diagnostic, JsonDiagnostic, render};
use vcl_backend::lint::registry::{self, Rule};
use vcl_backend::lint::{LintOptions, lint, sarif};
use vcl_backend::source::SourceFile;

fn lint_text(name: &str, text: &str) -> (SourceFile, Vec<Diagnostic>) {
    let file = SourceFile::new(name, text);
    let found = lint(&file, &LintOptions::default());
    (file, found)
}

fn codes(found: &[Diagnostic]) -> Vec<&'static str> {
    found.iter().map(|d| d.code).collect()
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut seen = HashSet::new();
    for rule in registry::rules() {
        assert!(seen.insert(rule.code), "{} twice", rule.code);
        assert!(rule.code.starts_with("lint::"), "{}", rule.code);
        let name = rule.name();
        assert!(
            name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{name} is not kebab-case"
        );
        assert_eq!(registry::lookup(name).map(|r| r.code), Some(rule.code));
        assert_eq!(
            registry::lookup(&format!("vcl-backend::{}", rule.code)).map(|r| r.code),
            Some(rule.code)
        );
    }
}

#[test]
fn every_rule_is_documented() {
    for rule in registry::rules() {
        for (field, text) in [
            ("summary", rule.summary),
            ("help", rule.help),
            ("what", rule.what),
            ("why", rule.why),
            ("bad", rule.bad),
            ("good", rule.good),
        ] {
            assert!(
                !text.trim().is_empty() && text != "TODO",
                "{}: no {field}",
                rule.code
            );
        }
        assert!(
            !rule.summary.contains('\n'),
            "{}: summary is one line",
            rule.code
        );
    }
}

/// The documentation's bad example triggers the rule; its good example triggers nothing.
#[test]
fn documented_examples_behave_as_documented() {
    for rule in registry::rules() {
        let (_, bad) = lint_text("bad.vcl", rule.bad);
        assert!(
            codes(&bad).contains(&rule.code),
            "{}: the bad example does not fire it: {:?}",
            rule.code,
            codes(&bad)
        );
        let (_, good) = lint_text("good.vcl", rule.good);
        assert!(
            !codes(&good).contains(&rule.code),
            "{}: the good example fires it",
            rule.code
        );
    }
}

fn fixture(rule: &Rule, which: &str) -> std::path::PathBuf {
    Path::new("fixtures/lint").join(rule.name()).join(which)
}

/// Every rule has `fixtures/lint/<name>/bad.vcl` (fires it) and `good.vcl` (clean).
#[test]
fn every_rule_has_a_fixture_that_fires_and_one_that_does_not() {
    for rule in registry::rules() {
        let bad = std::fs::read_to_string(fixture(rule, "bad.vcl"))
            .unwrap_or_else(|e| panic!("{}: {e}", fixture(rule, "bad.vcl").display()));
        let (_, found) = lint_text("bad.vcl", &bad);
        assert!(
            codes(&found).contains(&rule.code),
            "{}: bad.vcl does not fire it: {:?}",
            rule.code,
            codes(&found)
        );
        let good = std::fs::read_to_string(fixture(rule, "good.vcl"))
            .unwrap_or_else(|e| panic!("{}: {e}", fixture(rule, "good.vcl").display()));
        let (_, found) = lint_text("good.vcl", &good);
        assert!(
            found.is_empty(),
            "{}: good.vcl has findings: {:?}",
            rule.code,
            codes(&found)
        );
    }
}

#[test]
fn docs_rules_md_is_current() {
    let on_disk = std::fs::read_to_string("docs/rules.md").unwrap_or_default();
    assert!(
        on_disk == registry::documentation(),
        "docs/rules.md is stale: run `cargo run -- lint --explain all > docs/rules.md`"
    );
}

#[test]
fn generated_dumps_raise_no_error() {
    for path in [
        "fixtures/parse/ok/generated_current.vcl",
        "fixtures/parse/ok/generated_legacy.vcl",
        "fixtures/parse/ok/many_backends.vcl",
    ] {
        let (_, found) = lint_text(path, &std::fs::read_to_string(path).unwrap());
        let errors: Vec<_> = found
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
}

#[test]
fn reports_snapshot() {
    insta::glob!("../fixtures", "lint/*/bad.vcl", |path| {
        let name = path
            .strip_prefix(std::env::current_dir().unwrap().join("fixtures"))
            .unwrap_or(path);
        let (file, found) = lint_text(
            &name.display().to_string(),
            &std::fs::read_to_string(path).unwrap(),
        );
        let rendered: String = found.iter().map(|d| render(d, &file, false, 100)).collect();
        let json: Vec<JsonDiagnostic> = found
            .iter()
            .map(|d| JsonDiagnostic::new(d, &file))
            .collect();
        insta::assert_snapshot!(format!(
            "{rendered}\n--- json ---\n{}",
            serde_json::to_string_pretty(&json).unwrap()
        ));
    });
}

/// The SARIF log of every bad fixture: required fields of the 2.1.0 schema present.
#[test]
fn sarif_has_the_schemas_required_fields() {
    let mut files = Vec::new();
    for rule in registry::rules() {
        let path = fixture(rule, "bad.vcl");
        let text = std::fs::read_to_string(&path).unwrap();
        files.push(lint_text(
            &format!("fixtures/lint/{}/bad.vcl", rule.name()),
            &text,
        ));
    }
    let pairs: Vec<(&SourceFile, &[Diagnostic])> = files.iter().map(|(f, d)| (f, &d[..])).collect();
    let log = sarif::log(&pairs);
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "vcl-backend");
    let rules = driver["rules"].as_array().unwrap();
    for rule in rules {
        assert!(rule["id"].is_string());
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert!(results.len() >= registry::rules().len());
    for result in results {
        assert!(result["message"]["text"].is_string(), "{result}");
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(matches!(
            result["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        for location in result["locations"].as_array().unwrap() {
            let physical = &location["physicalLocation"];
            assert!(physical["artifactLocation"]["uri"].is_string());
            assert!(physical["region"]["startLine"].as_u64().unwrap() >= 1);
            assert!(physical["region"]["startColumn"].as_u64().unwrap() >= 1);
        }
    }
    let mut redacted = log.clone();
    redacted["runs"][0]["tool"]["driver"]["version"] = "[version]".into();
    insta::assert_json_snapshot!(redacted["runs"][0]["results"]);
}
