//! Snapshot tests over `fixtures/parse`: the JSON model of every valid file and the rendered
//! diagnostics of every bad one.

use std::path::Path;

use vcl_backend::diagnostic::{Severity, invalid_utf8, render};
use vcl_backend::lower::parse_config;
use vcl_backend::source::SourceFile;

fn load(path: &Path) -> (SourceFile, String) {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let (file, utf8_diagnostics) = SourceFile::from_bytes(name, std::fs::read(path).unwrap());
    let lowered = parse_config(&file.text);
    let mut diagnostics: Vec<_> = utf8_diagnostics.into_iter().map(invalid_utf8).collect();
    diagnostics.extend(lowered.diagnostics.iter().cloned());
    vcl_backend::diagnostic::sort(&mut diagnostics);
    let rendered: String = diagnostics
        .iter()
        .map(|d| render(d, &file, false, 100))
        .collect();
    (file, rendered)
}

#[test]
fn valid_files_parse_to_the_api_model() {
    insta::glob!("../fixtures/parse", "ok/*.vcl", |path| {
        let (file, rendered) = load(path);
        let lowered = parse_config(&file.text);
        let errors: Vec<_> = lowered
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(
            errors.is_empty(),
            "{}: unexpected errors:\n{rendered}",
            path.display()
        );
        let json = if file.text.len() > 50_000 {
            // Large fixtures: counts and the two ends, not 300 backends of JSON.
            let backends = &lowered.config.backends;
            serde_json::to_string_pretty(&serde_json::json!({
                "backends": backends.len(),
                "healthchecks": lowered.config.healthchecks.len(),
                "first": backends.first(),
                "last": backends.last(),
            }))
            .unwrap()
        } else {
            serde_json::to_string_pretty(&lowered.config).unwrap()
        };
        insta::assert_snapshot!(format!("{json}\n\n--- diagnostics ---\n{rendered}"));
    });
}

#[test]
fn bad_files_report_located_diagnostics() {
    insta::glob!("../fixtures/parse", "err/*.vcl", |path| {
        let (file, rendered) = load(path);
        let (_, utf8) = SourceFile::from_bytes("x", std::fs::read(path).unwrap());
        let lowered = parse_config(&file.text);
        let utf8: Vec<_> = utf8.into_iter().map(invalid_utf8).collect();
        let reported = lowered.diagnostics.iter().chain(&utf8);
        let worst = reported.clone().map(|d| d.severity).min();
        assert!(
            matches!(worst, Some(Severity::Error | Severity::Warning)),
            "{} reports nothing",
            path.display()
        );
        for d in reported {
            assert!(
                !d.labels.is_empty(),
                "{}: {} has no label",
                path.display(),
                d.code
            );
        }
        insta::assert_snapshot!(rendered);
    });
}
