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

/// An error means Fastly refuses the file or the value is certainly broken, and each error
/// rule's documentation says which (warnings are for what compiles and runs).
#[test]
fn every_error_rule_says_why_it_is_an_error() {
    for rule in registry::rules() {
        if rule.severity == vcl_backend::diagnostic::Severity::Error {
            assert!(
                rule.why
                    .starts_with("An error because Fastly refuses the file")
                    || rule
                        .why
                        .starts_with("An error because the value is certainly broken")
                    || rule
                        .why
                        .starts_with("An error because the declaration is certainly broken")
                    || rule
                        .why
                        .starts_with("An error because the backend is certainly broken"),
                "{}: {}",
                rule.code,
                rule.why
            );
        }
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

/// Fastly's generated dumps of every era (fixtures/lint/generated: about 2015-2019, 2020-2022,
/// January 2024, current), and the parse fixtures' dumps.
const DUMPS: &[&str] = &[
    "fixtures/lint/generated/2017.vcl",
    "fixtures/lint/generated/2021.vcl",
    "fixtures/lint/generated/2024-01.vcl",
    "fixtures/lint/generated/current.vcl",
    "fixtures/parse/ok/generated_current.vcl",
    "fixtures/parse/ok/generated_legacy.vcl",
    "fixtures/parse/ok/many_backends.vcl",
];

/// A whole generated dump lints clean: nothing the generator made is reported.
#[test]
fn generated_dumps_of_every_era_have_no_findings() {
    for path in DUMPS {
        let (_, found) = lint_text(path, &std::fs::read_to_string(path).unwrap());
        assert!(found.is_empty(), "{path}: {:?}", codes(&found));
    }
}

/// The dumps' markers are what exempts them: without them the same backends are hand-written
/// and the rules for hand-written backends fire (so the test above is not empty).
#[test]
fn without_the_generators_markers_a_dump_is_hand_written() {
    let markers = |l: &&str| {
        !(matches!(l.trim(), "C!" | "W!")
            || l.starts_with("#--FASTLY")
            || l.starts_with("pragma optional_param"))
    };
    for (path, expected) in [
        (
            "fixtures/lint/generated/2017.vcl",
            &[
                "lint::missing-dynamic",
                "lint::tls-port-mismatch",
                "lint::probe-starts-unhealthy",
                "lint::deprecated-ssl-hostname",
                "lint::tls-without-sni-hostname",
                "lint::reserved-name",
            ][..],
        ),
        (
            "fixtures/lint/generated/2021.vcl",
            &["lint::missing-dynamic", "lint::tls-port-mismatch"][..],
        ),
        (
            "fixtures/lint/generated/current.vcl",
            &["lint::reserved-name"][..],
        ),
    ] {
        let text = std::fs::read_to_string(path).unwrap();
        // Each marker alone makes the file a dump.
        for keep in [
            "C!",
            "#--FASTLY RECV BEGIN",
            "pragma optional_param max_backends 20;",
        ] {
            let with_one: String = text
                .lines()
                .filter(|l| markers(l) || l.trim() == keep)
                .map(|l| format!("{l}\n"))
                .collect();
            let (_, found) = lint_text(path, &with_one);
            assert!(
                found.is_empty(),
                "{path} with only `{keep}`: {:?}",
                codes(&found)
            );
        }
        let stripped: String = text
            .lines()
            .filter(markers)
            .map(|l| format!("{l}\n"))
            .collect();
        let (_, found) = lint_text(path, &stripped);
        for code in expected {
            assert!(
                codes(&found).contains(code),
                "{path}: no {code}: {:?}",
                codes(&found)
            );
        }
    }
}

/// In a dump, what a person added is still checked.
#[test]
fn a_hand_written_backend_in_a_dump_is_checked() {
    let path = "fixtures/lint/generated/2021.vcl";
    let text = std::fs::read_to_string(path).unwrap().replacen(
        "backend F_Feeds_Origin {",
        "backend my_origin { .host = \"mine.example.com\"; .port = \"443\"; }\nbackend F_Feeds_Origin {",
        1,
    );
    let (_, found) = lint_text(path, &text);
    let mut found = codes(&found);
    found.sort();
    assert_eq!(
        found,
        [
            "lint::missing-dynamic",
            "lint::missing-share-key",
            "lint::tls-port-mismatch",
            "lint::unused-backend",
        ]
    );
}

/// A file with no `sub` is an include: its backends are used by the files that include it.
#[test]
fn an_include_file_has_no_unused_backend() {
    let backends = "backend a { .dynamic = true; .share_key = \"k1\"; .host = \"a.example.com\"; }\nbackend b { .dynamic = true; .share_key = \"k1\"; .host = \"b.example.com\"; }\n";
    let (_, found) = lint_text("backends.vcl", backends);
    assert!(found.is_empty(), "{:?}", codes(&found));
    // With a sub, `a` is the default backend (in use); `b` is unused.
    let (_, found) = lint_text("main.vcl", &format!("{backends}sub vcl_recv {{ }}\n"));
    assert_eq!(codes(&found), ["lint::unused-backend"]);
    assert!(found[0].message.contains("`b`"), "{}", found[0].message);
}

/// Placeholders: one info for the file, and no finding about their values, from the rules
/// or from lowering.
#[test]
fn template_placeholders_are_one_info_and_silence_their_values() {
    let text = "backend origin {\n  .dynamic = true;\n  .host = \"__ORIGIN__\";\n  .port = \"${PORT}\";\n  .share_key = \"{{ service_id }}\";\n}\nbackend other {\n  .dynamic = true;\n  .host = \"other.example.com\";\n  .port = \"<%= port %>\";\n  .share_key = \"YOUR_SERVICE_ID\";\n}\nsub vcl_recv { set req.backend = other; }\n";
    let (_, found) = lint_text("template.vcl", text);
    assert_eq!(codes(&found), ["lint::template-placeholder"]);
    assert!(
        found[0].message.contains("4 other values"),
        "{}",
        found[0].message
    );
    // The same values, not placeholders, are reported.
    let real = text
        .replace("${PORT}", "http")
        .replace("{{ service_id }}", "my-service");
    let (_, found) = lint_text("real.vcl", &real);
    let found = codes(&found);
    assert!(found.contains(&"lint::invalid-value"), "{found:?}");
    assert!(found.contains(&"lint::invalid-share-key"), "{found:?}");
}

/// A duplicate backend (or named probe) is one finding, and its body is still checked.
#[test]
fn a_duplicate_backends_body_is_still_linted() {
    let text = "backend a { .dynamic = true; .share_key = \"k1\"; .host = \"a.example.com\"; }\nbackend a { .dynamic = true; .share_key = \"k-1\"; .host = \"b.example.com\"; .port = \"http\"; }\nsub vcl_recv { set req.backend = a; }\n";
    let (_, found) = lint_text("dup.vcl", text);
    let mut found = codes(&found);
    found.sort();
    assert_eq!(
        found,
        [
            "lint::duplicate-backend",
            "lint::invalid-share-key",
            "lint::invalid-value"
        ]
    );
    let probes = "probe p { .url = \"/\"; .initial = 3; }\nprobe p { .url = \"/\"; .initial = 3; .window = -1; }\nbackend a { .dynamic = true; .share_key = \"k1\"; .host = \"a.example.com\"; .probe = p; }\nsub vcl_recv { set req.backend = a; }\n";
    let (_, found) = lint_text("dup-probe.vcl", probes);
    let mut found = codes(&found);
    found.sort();
    assert_eq!(found, ["lint::duplicate-backend", "lint::out-of-range"]);
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

/// The usage reference's rule table names every rule with its default severity, and the
/// README counts them right.
#[test]
fn usage_lists_every_rule_with_its_severity() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let count = format!("{} rules,", registry::rules().len());
    assert!(readme.contains(&count), "README.md does not say `{count}`");
    let usage = std::fs::read_to_string("docs/usage.md").unwrap();
    for rule in registry::rules() {
        let severity = match rule.severity {
            vcl_backend::Severity::Error => "error",
            vcl_backend::Severity::Warning => "warning",
            vcl_backend::Severity::Info => "info",
        };
        let row = format!("| `vcl-backend::{}` | {severity} |", rule.code);
        assert!(usage.contains(&row), "docs/usage.md has no row `{row}`");
    }
}
