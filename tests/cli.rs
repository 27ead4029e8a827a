//! The `vcl-backend` command as a user runs it: streams, exit codes and output formats.

mod support;
use support::{run_cli as run, text};

#[test]
fn parse_prints_the_model_and_exits_0() {
    let out = run(&["parse", "fixtures/parse/ok/generated_current.vcl"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["backends"].as_array().unwrap().len(), 4);
    assert_eq!(json["backends"][0]["name"], "Main_Origin");
    assert_eq!(json["healthchecks"].as_array().unwrap().len(), 1);
    // Piped stderr gets no colour codes.
    assert!(!text(&out.stderr).contains('\u{1b}'));
    assert!(text(&out.stderr).contains("4 backends, 1 healthcheck"));
}

#[test]
fn parse_reads_stdin() {
    let vcl = b"backend F_a { .host = \"a.example\"; .port = \"8080\"; }\n";
    let out = run(&["parse", "-"], Some(vcl));
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["backends"][0],
        serde_json::json!({"name": "a", "address": "a.example", "port": 8080, "use_ssl": false})
    );
    assert_eq!(json["healthchecks"], serde_json::json!([]));
}

#[test]
fn parse_gives_member_backends_their_directors_weight() {
    let vcl = b"backend F_a { .host = \"a.example\"; }\nbackend F_b { .host = \"b.example\"; }\n\
        director F_pool random { { .backend = F_a; .weight = 3; } { .backend = F_b; .weight = 1; } }\n";
    let out = run(&["parse", "-"], Some(vcl));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["backends"][0]["weight"], 3);
    assert_eq!(json["backends"][1]["weight"], 1);
    assert_eq!(
        json["directors"][0]["backends"],
        serde_json::json!(["a", "b"])
    );
    assert!(text(&out.stderr).contains("2 backends, 0 healthchecks, 1 director"));
}

#[test]
fn bad_input_exits_1_and_prints_no_json() {
    let out = run(&["parse", "fixtures/parse/err/many_errors.vcl"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    for code in [
        "wrong-type",
        "unknown-property",
        "out-of-range",
        "invalid-keyword",
        "invalid-escape",
    ] {
        assert!(
            stderr.contains(&format!("vcl-backend::parse::{code}")),
            "{code} missing:\n{stderr}"
        );
    }
    assert!(stderr.contains("nothing written; 5 errors"), "{stderr}");
}

#[test]
fn warnings_alone_exit_0() {
    let out = run(
        &["parse", "fixtures/parse/err/unrepresentable_probe.vcl"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("vcl-backend::parse::unrepresentable-probe"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["backends"][0]["port"], 1);
}

#[test]
fn unreadable_file_and_usage_errors_exit_2() {
    let out = run(&["parse", "fixtures/no/such/file.vcl"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read fixtures/no/such/file.vcl"));
    assert_eq!(run(&["parse"], None).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"], None).status.code(), Some(2));
    assert_eq!(run(&["--help"], None).status.code(), Some(0));
}

#[test]
fn json_diagnostics_carry_code_location_and_help() {
    let out = run(
        &[
            "parse",
            "--format",
            "json",
            "fixtures/parse/err/unknown_property.vcl",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let diagnostics: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    insta::assert_json_snapshot!(diagnostics);
}

#[test]
fn color_is_used_only_when_asked_or_on_a_terminal() {
    let out = run(
        &[
            "--color",
            "always",
            "parse",
            "fixtures/parse/err/unknown_property.vcl",
        ],
        None,
    );
    assert!(text(&out.stderr).contains('\u{1b}'));
    let out = run(
        &[
            "--color",
            "never",
            "parse",
            "fixtures/parse/err/unknown_property.vcl",
        ],
        None,
    );
    assert!(!text(&out.stderr).contains('\u{1b}'));
}

#[test]
fn parse_output_is_the_serialised_model_for_every_fixture() {
    for entry in std::fs::read_dir("fixtures/parse/ok").unwrap() {
        let path = entry.unwrap().path();
        let out = run(&["parse", path.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(0), "{}", path.display());
        let src = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned()
        });
        let config = vcl_backend::lower::parse_config(&src).config;
        let expected = serde_json::to_string_pretty(&config).unwrap() + "\n";
        assert_eq!(text(&out.stdout), expected, "{}", path.display());
    }
}

#[test]
fn completions_are_printed_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef vcl-backend"),
        ("fish", "complete -c vcl-backend"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion"),
    ] {
        let out = run(&["completions", shell], None);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        assert!(script.contains(marker), "{shell} script lacks `{marker}`");
        for command in ["parse", "generate", "lint", "migrate"] {
            assert!(script.contains(command), "{shell} script lacks `{command}`");
        }
    }
    let out = run(&["completions", "tcsh"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn man_page_is_roff_naming_every_command() {
    let out = run(&["man"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.contains(".TH vcl-backend 1"));
    assert!(page.contains("Move Fastly backends between custom VCL and the Fastly API"));
    for command in ["parse", "generate", "lint", "migrate", "completions"] {
        assert!(page.contains(command), "the man page lacks `{command}`");
    }
}
