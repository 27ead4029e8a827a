//! `vcl-backend lint` as CI runs it: exit codes, formats, configuration and allow comments.

mod support;
use support::{TempDir, run_cli as run, text};

const CLEAN: &str = "backend origin {\n  .dynamic = true;\n  .share_key = \"abc123\";\n  .host = \"example.com\";\n  .port = \"443\";\n  .ssl = true;\n  .ssl_cert_hostname = \"example.com\";\n  .ssl_sni_hostname = \"example.com\";\n}\nsub vcl_recv { set req.backend = origin; }\n";

/// CLEAN with one warning: no `.share_key`.
fn with_warning() -> String {
    CLEAN.replace("  .share_key = \"abc123\";\n", "")
}

#[test]
fn clean_file_exits_0_with_a_summary() {
    let out = run(&["lint", "-"], Some(CLEAN.as_bytes()));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(
        text(&out.stderr),
        "1 file linted: 0 errors, 0 warnings, 0 infos\n"
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let input = with_warning();
    let out = run(&["lint", "-"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("vcl-backend::lint::missing-share-key"));
    let out = run(&["lint", "--deny", "warnings", "-"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn errors_exit_1() {
    let out = run(&["lint", "fixtures/lint/undeclared-backend/bad.vcl"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("vcl-backend::lint::undeclared-backend"));
}

#[test]
fn unreadable_files_exit_2_after_linting_the_rest() {
    let out = run(
        &[
            "lint",
            "fixtures/lint/missing-dynamic/good.vcl",
            "no/such/file.vcl",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read no/such/file.vcl"));
    assert!(text(&out.stderr).contains("1 file linted"));
}

/// Each unreadable file is reported once, with the reason, in the order of the files (the
/// workers used to print the reason as they came upon it, and the order loop again).
#[test]
fn unreadable_files_are_reported_once_each_in_order() {
    let good = "fixtures/lint/missing-dynamic/good.vcl";
    let args = [
        "lint",
        "no/such/b.vcl",
        good,
        "no/such/a.vcl",
        good,
        "no/such/c.vcl",
    ];
    for _ in 0..5 {
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(2));
        let stderr = text(&out.stderr);
        let reasons: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("vcl-backend: cannot read"))
            .collect();
        assert_eq!(reasons.len(), 3, "{stderr}");
        for (reason, file) in reasons.iter().zip(["b", "a", "c"]) {
            let expected = format!("vcl-backend: cannot read no/such/{file}.vcl: ");
            assert!(reason.starts_with(&expected), "{reason}");
        }
    }
}

#[test]
fn a_directory_is_searched_for_vcl_files_in_order() {
    let dir = TempDir::new("lint-dir");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("b.vcl"), with_warning()).unwrap();
    std::fs::write(dir.join("sub/a.vcl"), with_warning()).unwrap();
    std::fs::write(dir.join("notes.txt"), "not vcl").unwrap();
    let out = run(
        &["lint", "--format", "json", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files[0].ends_with("b.vcl") && files[1].ends_with("sub/a.vcl"),
        "{files:?}"
    );
    assert!(text(&out.stderr).starts_with("2 files linted"));
}

#[test]
fn allow_comments_silence_a_finding() {
    let on_line = with_warning().replace(
        "backend origin {",
        "backend origin { # vcl-backend: allow(missing-share-key)",
    );
    let out = run(
        &["lint", "--deny", "warnings", "-"],
        Some(on_line.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let before = format!(
        "# vcl-backend: allow(vcl-backend::lint::missing-share-key)\n{}",
        with_warning()
    );
    let out = run(
        &["lint", "--deny", "warnings", "-"],
        Some(before.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let other_rule = format!("# vcl-backend: allow(unused-backend)\n{}", with_warning());
    let out = run(
        &["lint", "--deny", "warnings", "-"],
        Some(other_rule.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    // In a string it is not a comment.
    let in_string = with_warning().replace(
        "\"example.com\";\n  .port",
        "\"example.com\"; .ssl_ciphers = \"# vcl-backend: allow(all)\";\n  .port",
    );
    let out = run(
        &["lint", "--deny", "warnings", "-"],
        Some(in_string.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn configuration_is_found_upward_and_sets_levels() {
    let dir = TempDir::new("lint-config");
    std::fs::create_dir_all(dir.join("vcl/deep")).unwrap();
    std::fs::write(dir.join("vcl/deep/main.vcl"), with_warning()).unwrap();
    std::fs::write(
        dir.join("vcl-backend.toml"),
        "[rules]\nmissing-share-key = \"error\"\n",
    )
    .unwrap();
    let path = dir.join("vcl/deep/main.vcl");
    let out = run(&["lint", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    std::fs::write(
        dir.join("vcl-backend.toml"),
        "[rules]\nmissing-share-key = \"off\"\n",
    )
    .unwrap();
    let out = run(
        &["lint", "--deny", "warnings", path.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    std::fs::write(
        dir.join("vcl-backend.toml"),
        "[rules]\nno-such-rule = \"off\"\n",
    )
    .unwrap();
    let out = run(&["lint", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        // Placed in the configuration, with the findings (docs/design.md §2.19).
        text(&out.stdout).contains("unknown rule `no-such-rule`"),
        "{}",
        text(&out.stdout)
    );
}

const USES_API_BACKEND: &str = "backend origin {\n  .dynamic = true;\n  .share_key = \"abc123\";\n  .host = \"example.com\";\n}\nsub vcl_recv {\n  set req.backend = origin;\n  if (req.url ~ \"^/api\") { set req.backend = F_api; }\n}\n";

#[test]
fn references_to_api_backends_resolve_when_assumed() {
    // Without the service's backends an `F_` name cannot be checked: info, exit 0.
    let out = run(&["lint", "-"], Some(USES_API_BACKEND.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("vcl-backend::lint::undeclared-backend"));
    assert!(text(&out.stderr).contains("0 errors, 0 warnings, 1 info"));
    let out = run(
        &["lint", "--assume-backends", "F_api,F_other", "-"],
        Some(USES_API_BACKEND.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // With them, an `F_` name the service does not have is an error.
    let out = run(
        &["lint", "--assume-backends", "F_other", "-"],
        Some(USES_API_BACKEND.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("1 error"),
        "{}",
        text(&out.stderr)
    );
    let dir = TempDir::new("lint-service");
    std::fs::write(
        dir.join("backends.json"),
        r#"[{"Name": "api", "Address": "api.example.com"}]"#,
    )
    .unwrap();
    let json = dir.join("backends.json");
    let out = run(
        &["lint", "--service-backends", json.to_str().unwrap(), "-"],
        Some(USES_API_BACKEND.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn formats_json_and_sarif_go_to_stdout() {
    let input = with_warning();
    let out = run(&["--format", "json", "lint", "-"], Some(input.as_bytes()));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["code"], "vcl-backend::lint::missing-share-key");
    assert_eq!(json[0]["file"], "<stdin>");
    let out = run(&["lint", "--format", "sarif", "-"], Some(input.as_bytes()));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["results"][0]["ruleId"],
        "vcl-backend::lint::missing-share-key"
    );
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "stdin"
    );
    // SARIF is lint's alone: not before a command, nor after another.
    for args in [
        &["--format", "sarif", "parse", "-"][..],
        &["--format", "sarif", "lint", "-"],
        &["parse", "--format", "sarif", "-"],
        &["migrate", "--to", "json", "--format", "sarif", "-"],
        &["generate", "--format", "sarif", "-"],
    ] {
        let out = run(args, Some(b""));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains("possible values: human, json"),
            "{args:?}"
        );
    }
}

#[test]
fn explain_prints_a_rule_or_all() {
    let out = run(&["lint", "--explain", "missing-share-key"], None);
    assert_eq!(out.status.code(), Some(0));
    let doc = text(&out.stdout);
    assert!(
        doc.starts_with("## `vcl-backend::lint::missing-share-key`"),
        "{doc}"
    );
    assert!(doc.contains("### Example") && doc.contains("### Use instead"));
    let all = run(&["lint", "--explain", "all"], None);
    assert_eq!(
        text(&all.stdout),
        std::fs::read_to_string("docs/rules.md").unwrap()
    );
    assert_eq!(
        run(&["lint", "--explain", "nope"], None).status.code(),
        Some(2)
    );
}

/// Many files: a progress bar only on a terminal, so piped stderr holds just the summary.
#[test]
fn no_progress_bar_when_piped() {
    let dir = TempDir::new("lint-progress");
    for i in 0..60 {
        std::fs::write(dir.join(format!("f{i:02}.vcl")), CLEAN).unwrap();
    }
    let out = run(&["lint", dir.path().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr),
        "60 files linted: 0 errors, 0 warnings, 0 infos\n"
    );
}

/// Fastly's generated dumps of every era lint clean from the command line, even with warnings
/// denied.
#[test]
fn generated_dumps_of_every_era_pass_with_warnings_denied() {
    let out = run(
        &["lint", "--deny", "warnings", "fixtures/lint/generated"],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert_eq!(
        text(&out.stderr),
        "4 files linted: 0 errors, 0 warnings, 0 infos\n"
    );
}

/// `include "NAME";` is read from `NAME` or `NAME.vcl` beside the file (and followed): its
/// backends and directors are declared. An include that cannot be read makes an undeclared
/// name a warning, since it may be declared there.
#[test]
fn backends_declared_in_included_files_are_declared() {
    let dir = TempDir::new("lint-includes");
    let main = "include \"backends\";\nsub vcl_recv {\n  set req.backend = origin;\n  if (req.restarts > 0) { set req.backend = pool; }\n}\n";
    std::fs::write(dir.join("main.vcl"), main).unwrap();
    std::fs::write(dir.join("backends.vcl"), "include \"directors\";\n").unwrap();
    std::fs::write(
        dir.join("directors"),
        "backend origin { .dynamic = true; .share_key = \"k\"; .host = \"example.com\"; }\ndirector pool random { { .backend = origin; .weight = 1; } }\n",
    )
    .unwrap();
    let path = dir.join("main.vcl");
    let out = run(&["lint", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    // Without the included files, the names may be declared there: warnings, not errors.
    std::fs::remove_file(dir.join("directors")).unwrap();
    let out = run(&["lint", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout.matches("lint::undeclared-backend").count(),
        2,
        "{stdout}"
    );
    assert!(stdout.contains("lint did not read"), "{stdout}");
    assert!(text(&out.stderr).contains("0 errors, 2 warnings"));
    // Read from standard input, the includes cannot be looked for.
    let out = run(&["lint", "-"], Some(main.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

/// A director's own problems are lint errors as they are parse errors (one reading of the
/// file), under the lint rules' codes; that a director has no API form is not a lint finding.
#[test]
fn a_broken_director_fails_lint_as_it_fails_parse() {
    let broken = "backend b { .host = \"x\"; .dynamic = true; .share_key = \"s\"; }\n\
                  director d randon { .qorum = 50%; { .backend = b; .weight = 1; } }\n\
                  director f fallback { { .backend = b; } }\n\
                  sub vcl_recv { set req.backend = d; set req.backend = f; }\n";
    let out = run(&["lint", "-", "--format", "json"], Some(broken.as_bytes()));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("vcl-backend::lint::unknown-director-policy"),
        "{stdout}"
    );
    assert!(
        stdout.contains("vcl-backend::lint::unknown-property"),
        "{stdout}"
    );
    assert!(!stdout.contains("vcl-only-director"), "{stdout}");
    let parsed = run(&["parse", "-"], Some(broken.as_bytes()));
    assert_eq!(parsed.status.code(), Some(1));
}
