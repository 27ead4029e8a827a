//! `vcl-backend diff A B` as a user runs it: the same service as VCL and as API JSON is
//! equal, each kind of difference with both values, the JSON schema, exit codes (0 equal,
//! 1 different, 2 errors), standard input, `--ignore`, colour and hostile names.

mod support;
use support::{TempDir, run_cli as run, text};

const SERVICE_VCL: &str = "fixtures/diff/service.vcl";
const SERVICE_JSON: &str = "fixtures/diff/service.json";
const CHANGED: &str = "fixtures/diff/changed.json";

fn code(output: &std::process::Output) -> i32 {
    output.status.code().unwrap()
}

#[test]
fn the_same_service_as_vcl_and_as_api_json_is_equal() {
    for (a, b) in [(SERVICE_VCL, SERVICE_JSON), (SERVICE_JSON, SERVICE_VCL)] {
        let out = run(&["diff", a, b], None);
        assert_eq!(code(&out), 0, "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "");
        let stderr = text(&out.stderr);
        assert!(stderr.ends_with(": equal\n"), "{stderr}");
        // VCL has no form for them: said once.
        assert_eq!(stderr.matches("not compared").count(), 1, "{stderr}");
    }
}

#[test]
fn a_file_against_itself_is_equal() {
    for file in [SERVICE_VCL, SERVICE_JSON, CHANGED] {
        let out = run(&["diff", file, file], None);
        assert_eq!(code(&out), 0, "{file}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "");
    }
    // Two JSON sides compare every field: nothing is said to be left out.
    let out = run(&["diff", SERVICE_JSON, SERVICE_JSON], None);
    assert!(!text(&out.stderr).contains("not compared"));
}

#[test]
fn every_kind_of_difference_is_reported_with_both_values() {
    let out = run(&["diff", SERVICE_VCL, CHANGED], None);
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    insta::assert_snapshot!("human_vcl_against_changed", text(&out.stdout));
    insta::assert_snapshot!("human_vcl_against_changed_stderr", text(&out.stderr));
}

#[test]
fn json_output_has_a_stable_schema() {
    let out = run(&["diff", SERVICE_JSON, CHANGED, "--format", "json"], None);
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    insta::assert_json_snapshot!("json_service_against_changed", value);
    let equal = run(
        &["diff", SERVICE_VCL, SERVICE_JSON, "--format", "json"],
        None,
    );
    assert_eq!(code(&equal), 0);
    let value: serde_json::Value = serde_json::from_slice(&equal.stdout).unwrap();
    insta::assert_json_snapshot!("json_vcl_against_service", value);
}

#[test]
fn standard_input_is_either_side() {
    let vcl = std::fs::read(SERVICE_VCL).unwrap();
    let out = run(&["diff", "-", SERVICE_JSON], Some(&vcl));
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let json = std::fs::read(CHANGED).unwrap();
    let out = run(&["diff", SERVICE_JSON, "-"], Some(&json));
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    let out = run(&["diff", "-", "-"], Some(b""));
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("only one of A and B"));
}

#[test]
fn json_is_told_from_vcl_after_a_byte_order_mark_and_white_space() {
    let dir = TempDir::new("diff-bom");
    let path = dir.path().join("service.json");
    let mut bytes = b"\xef\xbb\xbf \n\t".to_vec();
    bytes.extend(std::fs::read(SERVICE_JSON).unwrap());
    std::fs::write(&path, bytes).unwrap();
    let out = run(&["diff", SERVICE_VCL, path.to_str().unwrap()], None);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
}

#[test]
fn an_input_with_errors_prints_only_its_diagnostics_and_exits_2() {
    let dir = TempDir::new("diff-errors");
    let bad_json = dir.path().join("bad.json");
    std::fs::write(&bad_json, "[{\"name\": \"a\", \"port\": \"80\"}]").unwrap();
    let bad_vcl = dir.path().join("bad.vcl");
    std::fs::write(&bad_vcl, "backend F_a { .host = \"a\" }\n").unwrap();
    let out = run(
        &[
            "diff",
            bad_vcl.to_str().unwrap(),
            bad_json.to_str().unwrap(),
            "--color",
            "never",
        ],
        None,
    );
    assert_eq!(code(&out), 2);
    assert_eq!(text(&out.stdout), "", "nothing partial is printed");
    let stderr = text(&out.stderr);
    // Both sides' problems, each in its own file, with codes.
    assert!(stderr.contains("bad.vcl"), "{stderr}");
    assert!(stderr.contains("bad.json"), "{stderr}");
    assert!(stderr.contains("parse::"), "{stderr}");
    assert!(stderr.contains("json::"), "{stderr}");
    assert!(stderr.contains("nothing compared"), "{stderr}");
    let json = run(
        &[
            "diff",
            bad_vcl.to_str().unwrap(),
            SERVICE_JSON,
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(code(&json), 2);
    assert_eq!(text(&json.stdout), "");
    let diagnostics: serde_json::Value = serde_json::from_str(
        text(&json.stderr)
            .split("\n]\n")
            .next()
            .map(|s| format!("{s}\n]"))
            .as_deref()
            .unwrap(),
    )
    .unwrap();
    assert!(diagnostics[0]["code"].as_str().unwrap().contains("parse::"));
}

#[test]
fn an_unreadable_input_is_exit_2() {
    let out = run(
        &["diff", "fixtures/diff/no-such-file.vcl", SERVICE_JSON],
        None,
    );
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("cannot read"));
}

#[test]
fn ignore_leaves_fields_out_and_an_unknown_field_is_a_usage_error() {
    let out = run(
        &[
            "diff",
            SERVICE_VCL,
            CHANGED,
            "--ignore",
            "max_conn,check_interval,quorum",
        ],
        None,
    );
    assert_eq!(code(&out), 1);
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("max_conn"), "{stdout}");
    assert!(!stdout.contains("check_interval"), "{stdout}");
    assert!(!stdout.contains("quorum"), "{stdout}");
    assert!(stdout.contains("override_host"), "{stdout}");
    let out = run(&["diff", SERVICE_VCL, CHANGED, "--ignore", "max_con"], None);
    assert_eq!(code(&out), 2);
    assert_eq!(text(&out.stdout), "");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("`max_con`") && stderr.contains("did you mean `max_conn`"),
        "{stderr}"
    );
}

#[test]
fn healthchecks_and_directors_come_from_files_beside_json_and_never_beside_vcl() {
    let dir = TempDir::new("diff-beside");
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SERVICE_JSON).unwrap()).unwrap();
    let write = |name: &str, key: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, config[key].to_string()).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let (backends, healthchecks) = (write("b.json", "backends"), write("h.json", "healthchecks"));
    let directors = write("d.json", "directors");
    let mut args = vec![
        "diff",
        SERVICE_VCL,
        &backends,
        "--healthchecks-b",
        &healthchecks,
    ];
    let out = run(&args, None);
    // Without its directors, B has none.
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "- director pool\n");
    args.extend(["--directors-b", &directors]);
    let out = run(&args, None);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    for flag in ["--healthchecks-a", "--directors-a"] {
        let out = run(
            &["diff", SERVICE_VCL, SERVICE_JSON, flag, &healthchecks],
            None,
        );
        assert_eq!(code(&out), 2);
        assert!(text(&out.stderr).contains(flag), "{}", text(&out.stderr));
    }
    // A directors file's problems are placed in it, and nothing is compared.
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, r#"[{"name": "pool", "quorum": "most"}]"#).unwrap();
    let out = run(
        &[
            "diff",
            SERVICE_JSON,
            SERVICE_JSON,
            "--directors-b",
            broken.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code(&out), 2);
    assert_eq!(text(&out.stdout), "");
    assert!(
        text(&out.stderr).contains("broken.json"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = run(&["diff", SERVICE_VCL, CHANGED], None);
    assert!(!text(&plain.stdout).contains('\x1b'));
    let coloured = run(&["diff", SERVICE_VCL, CHANGED, "--color", "always"], None);
    let stdout = text(&coloured.stdout);
    assert!(stdout.contains("\x1b[33m~ backend"), "{stdout}");
    assert!(stdout.contains("\x1b[32m+ backend video"), "{stdout}");
    assert!(stdout.contains("\x1b[31m- backend images"), "{stdout}");
}

#[test]
fn hostile_names_and_values_are_escaped_for_a_terminal_and_exact_in_json() {
    let dir = TempDir::new("diff-hostile");
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    std::fs::write(
        &a,
        r#"[{"name": "evil\u001b[2J\u202e", "address": "x\u202ey"}]"#,
    )
    .unwrap();
    std::fs::write(
        &b,
        r#"[{"name": "evil\u001b[2J\u202e", "address": "z\nw"}, {"name": "n\nl"}]"#,
    )
    .unwrap();
    let out = run(&["diff", a.to_str().unwrap(), b.to_str().unwrap()], None);
    assert_eq!(code(&out), 1);
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains('\x1b') && !stdout.contains('\u{202e}'),
        "{stdout:?}"
    );
    insta::assert_snapshot!("hostile_human", stdout);
    let json = run(
        &[
            "diff",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["changes"][0]["name"], "evil\u{1b}[2J\u{202e}");
    assert_eq!(value["changes"][0]["a"], "x\u{202e}y");
    assert_eq!(value["changes"][0]["b"], "z\nw");
}

#[test]
fn help_names_every_flag() {
    let out = run(&["diff", "--help"], None);
    let help = text(&out.stdout);
    for flag in [
        "--healthchecks-a",
        "--healthchecks-b",
        "--directors-a",
        "--directors-b",
        "--ignore",
        "--format",
        "--color",
        "--dialect",
        "--max-input-size",
        "--service-id",
    ] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
}
