//! The corpus of real-world shapes (`fixtures/corpus/`, whose README says what each file is
//! and what a correct tool does with it): every command runs on every file, as a user runs
//! it, and what it says is snapshotted; the promises that must hold on real files are asserted
//! on their own, so a snapshot update cannot quietly give them up.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{run_cli as run, text};

/// Every corpus file, in order.
fn corpus(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new("fixtures/corpus").join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "vcl"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{dir}: {} files", files.len());
    files
}

/// Varnish 2.1 and 3.0 predate the `vcl N.N;` line, so `auto` reads them as Fastly: their
/// users say `--dialect varnish`, and so do these tests.
fn dialect_args(path: &Path) -> Vec<&'static str> {
    let name = path.file_name().unwrap().to_string_lossy();
    if name.starts_with("varnish21") || name.starts_with("varnish30") {
        vec!["--dialect", "varnish"]
    } else {
        Vec::new()
    }
}

/// Runs `vcl-backend COMMAND [ARGS] FILE --format json`: exit code, stdout, diagnostics.
fn json_run(command: &[&str], path: &Path) -> (i32, String, Vec<Value>) {
    let (code, stdout, diagnostics, _) = json_run_report(command, path);
    (code, stdout, diagnostics)
}

/// [`json_run`], with migrate's report (`Null` for the other commands).
fn json_run_report(command: &[&str], path: &Path) -> (i32, String, Vec<Value>, Value) {
    let file = path.to_str().unwrap();
    let mut args = command.to_vec();
    args.extend(dialect_args(path));
    args.extend(["--format", "json", file]);
    let out = run(&args, None);
    let code = out.status.code().expect("exited, not killed");
    assert!(
        code == 0 || code == 1,
        "{args:?}: exit {code}\n{}",
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    // lint prints findings on stdout; parse and migrate on stderr (migrate within a report).
    let mut report = Value::Null;
    let diagnostics = if command[0] == "lint" {
        serde_json::from_str::<Vec<Value>>(&stdout).unwrap()
    } else {
        let doc: Value =
            serde_json::from_str(&stderr).unwrap_or_else(|e| panic!("{args:?}: {e}\n{stderr}"));
        match doc {
            Value::Array(list) => list,
            Value::Object(mut map) => {
                report = map.remove("report").unwrap_or_default();
                match map.remove("diagnostics") {
                    Some(Value::Array(list)) => list,
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    };
    (code, stdout, diagnostics, report)
}

/// `severity code line:column`, one a line.
fn findings(diagnostics: &[Value]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "  {} {} {}:{}\n",
                d["severity"].as_str().unwrap(),
                d["code"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("vcl-backend::"),
                d["line"],
                d["column"]
            )
        })
        .collect()
}

fn names(list: &Value) -> String {
    let names: Vec<&str> = list
        .as_array()
        .map(|l| l.iter().filter_map(|o| o["name"].as_str()).collect())
        .unwrap_or_default();
    names.join(", ")
}

/// What parse, lint and migrate --to json say of one file.
fn summary(path: &Path) -> String {
    let mut out = String::new();
    let (code, stdout, diagnostics) = json_run(&["parse"], path);
    out += &format!("parse: exit {code}\n");
    if code == 0 {
        let model: Value = serde_json::from_str(&stdout).unwrap();
        out += &format!("  backends: {}\n", names(&model["backends"]));
        out += &format!("  healthchecks: {}\n", names(&model["healthchecks"]));
    }
    out += &findings(&diagnostics);
    let (code, _, diagnostics) = json_run(&["lint"], path);
    out += &format!("lint: exit {code}\n{}", findings(&diagnostics));
    let (code, stdout, diagnostics, report) = json_run_report(&["migrate", "--to", "json"], path);
    out += &format!("migrate --to json: exit {code}\n");
    if code == 0 {
        let config: Value = serde_json::from_str(&stdout).unwrap();
        out += &format!("  backends: {}\n", names(&config["backends"]));
        out += &format!("  healthchecks: {}\n", names(&config["healthchecks"]));
        if config.get("directors").is_some() {
            out += &format!("  directors: {}\n", names(&config["directors"]));
        }
        for stayed in report["stayed_directors"].as_array().into_iter().flatten() {
            out += &format!(
                "  left in VCL: director {} ({}): {}\n",
                stayed["name"].as_str().unwrap_or_default(),
                stayed["policy"].as_str().unwrap_or_default(),
                stayed["why"].as_str().unwrap_or_default()
            );
        }
    }
    out += &findings(&diagnostics);
    out
}

#[test]
fn every_command_on_every_corpus_file() {
    insta::glob!("../fixtures/corpus", "*/*.vcl", |path| {
        insta::assert_snapshot!(summary(path));
    });
}

/// A whole "Show VCL" dump of any era lints with no error and no warning on anything the
/// generator made; only what a person added to it (a snippet backend) may be reported.
#[test]
fn generated_dumps_have_no_finding_on_what_the_generator_made() {
    for path in corpus("generated") {
        let src = std::fs::read_to_string(&path).unwrap();
        let (code, _, diagnostics) = json_run(&["lint"], &path);
        assert_eq!(code, 0, "{}", path.display());
        for d in diagnostics.iter().filter(|d| d["severity"] != "info") {
            let start = d["span"]["start"].as_u64().unwrap() as usize;
            let declared = hand_written_backend_at(&src, start);
            assert!(
                declared.is_some(),
                "{}: {} at {}:{} is not on a hand-written declaration",
                path.display(),
                d["code"],
                d["line"],
                d["column"]
            );
        }
    }
}

/// The name of the hand-written backend (not `F_`, not a shield node) whose declaration holds
/// `offset`.
fn hand_written_backend_at(src: &str, offset: usize) -> Option<&str> {
    let (items, _) = vcl_backend::syntax::parse(src);
    items.iter().find_map(|item| match item {
        vcl_backend::ast::Item::Backend(b)
            if b.span.start <= offset
                && offset < b.span.end
                && !b.name.text.starts_with("F_")
                && !b.name.text.starts_with("shield_") =>
        {
            Some(b.name.text)
        }
        _ => None,
    })
}

/// Hand-written Fastly VCL moves to the API whole: every backend parse reads (and every
/// anonymous director backend it reports) is in `migrate --to json`'s output. The exceptions are files Fastly itself would refuse or
/// that cannot be an API backend as written, each for the reason given.
#[test]
fn hand_written_files_migrate_with_every_backend() {
    let refused = [
        // Declared twice: the file does not compile.
        "duplicate-backend.vcl",
        // A bare `<%= ... %>` value is no VCL.
        "erb-template.vcl",
        // `.port = "{{ ... }}"` / `"${ORIGIN_PORT}"`: the API's port is a number.
        "jinja-ansible.vcl",
        "terraform-templatefile.vcl",
    ];
    let mut moved = 0;
    for path in corpus("fastly").into_iter().chain(corpus("varnish")) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (parse_code, model, parse_findings) = json_run(&["parse"], &path);
        let (code, config, diagnostics) = json_run(&["migrate", "--to", "json"], &path);
        if refused.contains(&name.as_str()) {
            assert_eq!(code, 1, "{name} is expected to be refused");
            continue;
        }
        assert_eq!(parse_code, 0, "{name}");
        assert_eq!(code, 0, "{name}:\n{}", findings(&diagnostics));
        let parsed: Value = serde_json::from_str(&model).unwrap();
        let migrated: Value = serde_json::from_str(&config).unwrap();
        let count = |v: &Value| v["backends"].as_array().map_or(0, Vec::len);
        // parse reports the backends it cannot name (inside directors); migrate names them.
        let anonymous = parse_findings
            .iter()
            .filter(|d| d["code"] == "vcl-backend::parse::anonymous-backend")
            .count();
        assert_eq!(count(&migrated), count(&parsed) + anonymous, "{name}");
        moved += count(&migrated);
    }
    assert!(moved > 80, "{moved} backends moved");
}

/// Every output format takes every file the JSON output takes, and `generate` reads back
/// what `parse` printed: no command panics or refuses on the corpus.
#[test]
fn every_format_and_generate_take_the_corpus() {
    for path in corpus("fastly")
        .into_iter()
        .chain(corpus("varnish"))
        .chain(corpus("generated"))
    {
        let file = path.to_str().unwrap();
        let (json_code, _, _) = json_run(&["migrate", "--to", "json"], &path);
        for to in ["fastly-cli", "curl", "terraform"] {
            let mut args = vec!["migrate", "--to", to];
            args.extend(dialect_args(&path));
            args.push(file);
            let out = run(&args, None);
            assert_eq!(
                out.status.code(),
                Some(json_code),
                "{to} {file}:\n{}",
                text(&out.stderr)
            );
        }
        let (parse_code, model, _) = json_run(&["parse"], &path);
        if parse_code == 0 {
            let out = run(&["generate", "-"], Some(model.as_bytes()));
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "generate of {file}:\n{}",
                text(&out.stderr)
            );
        }
    }
}
