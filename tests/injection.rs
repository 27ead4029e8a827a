//! Hostile values (newlines, quotes, `${`, `%{`, backticks, `$(`, controls such as ESC, BEL
//! and CR, the bidi override U+202E) in service IDs, versions, names, hosts and headers, from
//! VCL, JSON and the command line, through every output: each output keeps its structure
//! (HCL read back by hcl-rs, scripts run by bash with `fastly` and `curl` recorded, VCL
//! parsed back, JSON and SARIF exact), and terminal reports show no hidden character raw
//! (docs/design.md §10).

use std::process::{Command, Output};

use serde_json::{Value, json};
use vcl_backend::migrate::{ServiceVersion, curl, fastly_cli, plan, terraform};

mod support;
use support::{TempDir, run_cli, text};

/// Every kind of hostile character in one value (as the API holds it).
const HOSTILE: &str = "h\n}\nbackend evil { ${a} %{b} `id` $(id) 'q' \"d\" \\ \u{1b}]0;t\u{7} \r \u{202e} \t \u{85} x";

/// [`HOSTILE`] as a VCL string's content, with `%xx` escapes.
const HOSTILE_IN_VCL: &str = "h%0A}%0Abackend evil { ${a} %25{b} `id` $(id) 'q' %22d%22 \\ %1B]0;t%07 %0D %E2%80%AE %09 %C2%85 x";

/// A header with what a single line can hold of it.
const HEADER: &str = "X-H: v \u{1b} \u{202e} ${c} %{d} $(id) `id` 'q' \"d\"";
const HEADER_IN_VCL: &str = "X-H: v %1B %E2%80%AE ${c} %25{d} $(id) `id` 'q' %22d%22";

fn hostile_vcl() -> String {
    format!(
        "backend F_a {{\n    .host = \"{HOSTILE_IN_VCL}\";\n    .share_key = \"k%0A%1B%E2%80%AE\";\n    .probe = {{ .request = \"GET / HTTP/1.1\" \"Host: x\" \"{HEADER_IN_VCL}\"; }}\n}}\nbackend F_b {{ .host = \"b.example\"; }}\n"
    )
}

/// Characters a terminal acts on: none may reach a human report raw.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c) || c == '\u{2066}'
}

fn assert_no_hidden(what: &str, output: &str) {
    let found: Vec<char> = output.chars().filter(|&c| hidden(c)).collect();
    assert!(found.is_empty(), "{what}: {found:?} in\n{output}");
}

/// The plan of the hostile VCL, checked against what migrate's JSON says.
fn hostile_plan() -> vcl_backend::migrate::Plan {
    let plan = plan(&hostile_vcl(), false);
    assert_eq!(plan.backends.len(), 2);
    assert_eq!(plan.backends[0].address.as_deref(), Some(HOSTILE));
    assert_eq!(
        plan.healthchecks[0].headers.as_deref(),
        Some(&[HEADER.to_string()][..])
    );
    plan
}

// ---- JSON ----

#[test]
fn json_keeps_exact_values() {
    let out = run_cli(
        &["migrate", "-", "--to", "json"],
        Some(hostile_vcl().as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["backends"][0]["address"], HOSTILE);
    assert_eq!(json["backends"][0]["share_key"], "k\n\u{1b}\u{202e}");
    assert_eq!(json["healthchecks"][0]["headers"], json!([HEADER]));
}

// ---- HCL ----

/// The top-level blocks of an HCL text: (kind, name attribute), with no attribute or nested
/// block anywhere else.
fn hcl_blocks(text: &str) -> Vec<(String, hcl::Body)> {
    let body: hcl::Body = hcl::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(body.attributes().count(), 0, "{text}");
    body.blocks()
        .map(|b| {
            assert!(b.labels.is_empty());
            assert_eq!(b.body.blocks().count(), 0);
            (b.identifier.to_string(), b.body.clone())
        })
        .collect()
}

fn hcl_string(body: &hcl::Body, key: &str) -> Value {
    use hcl::eval::{Context, Evaluate};
    let attribute = body.attributes().find(|a| a.key.as_str() == key).unwrap();
    serde_json::to_value(attribute.expr.evaluate(&Context::new()).unwrap()).unwrap()
}

#[test]
fn terraform_parses_to_the_expected_blocks_only() {
    // A service ID as a library user may pass it: the header comment holds it escaped.
    let target = ServiceVersion {
        service_id: Some(format!("S\nbackend {{\n  name = \"evil\"\n}}\n{HOSTILE}")),
        version: Some(3),
    };
    let out = terraform::emit(&hostile_plan(), &target);
    let blocks = hcl_blocks(&out.text);
    let kinds: Vec<&str> = blocks.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["healthcheck", "backend", "backend"]);
    assert_eq!(hcl_string(&blocks[1].1, "address"), HOSTILE);
    assert_eq!(hcl_string(&blocks[1].1, "share_key"), "k\n\u{1b}\u{202e}");
    assert_eq!(hcl_string(&blocks[0].1, "headers"), json!([HEADER]));
    // Nothing in the file a terminal or an editor acts on.
    assert_no_hidden("terraform", &out.text);
}

#[test]
fn a_newline_in_the_service_id_is_refused_before_terraform_is_written() {
    let vcl = "backend F_b { .host = \"b.example\"; }\n";
    let out = run_cli(
        &[
            "migrate",
            "-",
            "--to",
            "terraform",
            "--service-id",
            "S\nbackend {",
        ],
        Some(vcl.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("invalid value 'S\\nbackend {' for '--service-id <ID>'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 to 64 ASCII letters and digits"),
        "{stderr}"
    );
}

// ---- Shell ----

/// Runs a script with `fastly` and `curl` as bash functions that record their arguments;
/// returns each call's words. `None` when bash is not installed.
fn run_script(script: &str) -> Option<Vec<Vec<String>>> {
    if Command::new("bash").arg("-c").arg("true").output().is_err() {
        eprintln!("bash is not installed: the scripts were not run");
        return None;
    }
    let dir = TempDir::new("injection");
    let calls = dir.join("calls");
    let recorder = format!(
        "record() {{ for a in \"$@\"; do printf '%s\\0' \"$a\"; done; printf '\\36\\0'; }} >> '{}'\nfastly() {{ record fastly \"$@\"; }}\ncurl() {{ record curl \"$@\"; }}\n",
        calls.display()
    );
    let path = dir.join("script.sh");
    std::fs::write(&path, format!("{recorder}{script}")).unwrap();
    let out: Output = Command::new("bash")
        .arg(&path)
        .env("FASTLY_SERVICE_ID", "ENVSVC")
        .env("FASTLY_SERVICE_VERSION", "9")
        .env("FASTLY_API_TOKEN", "token")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let recorded = std::fs::read(&calls).unwrap_or_default();
    let recorded = String::from_utf8(recorded).unwrap();
    Some(
        recorded
            .split("\u{1e}\0")
            .filter(|c| !c.is_empty())
            .map(|call| call.split_terminator('\0').map(str::to_string).collect())
            .collect(),
    )
}

#[test]
fn scripts_pass_every_value_as_exactly_one_word() {
    let plan = hostile_plan();
    let target = ServiceVersion {
        service_id: Some("SVC1".into()),
        version: Some(3),
    };
    for (format, script, program) in [
        (
            "fastly-cli",
            fastly_cli::emit(&plan, &target).text,
            "fastly",
        ),
        ("curl", curl::emit(&plan, &target).text, "curl"),
    ] {
        assert_no_hidden(format, &script);
        let Some(calls) = run_script(&script) else {
            return;
        };
        // Two healthcheck-or-backend objects and a backend: nothing more runs.
        let programs: Vec<&str> = calls.iter().map(|c| c[0].as_str()).collect();
        assert_eq!(programs, [program; 3], "{format}: {calls:?}");
        let words: Vec<&String> = calls.iter().flatten().collect();
        let has = |word: &str| words.iter().any(|w| *w == word);
        match format {
            "fastly-cli" => {
                assert!(has(&format!("--address={HOSTILE}")), "{words:?}");
                assert!(has("--service-id=SVC1") && has("--version=3"));
            }
            _ => {
                assert!(has(&format!("address={HOSTILE}")), "{words:?}");
                assert!(has("share_key=k\n\u{1b}\u{202e}"));
                assert!(has(&format!("headers={HEADER}")));
            }
        }
    }
}

/// A library user's service ID is not checked: the scripts still pass it as one word (the
/// CLI's flag) and percent-encoded in curl's URL.
#[test]
fn a_hostile_service_id_from_the_library_stays_one_word() {
    let id = "S'V\"C\n$(id) `id` ${x} \u{1b}\u{202e}";
    let target = ServiceVersion {
        service_id: Some(id.into()),
        version: None,
    };
    let plan = hostile_plan();
    let Some(calls) = run_script(&fastly_cli::emit(&plan, &target).text) else {
        return;
    };
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert!(
        calls
            .iter()
            .all(|c| c.contains(&format!("--service-id={id}")))
    );
    let curl = curl::emit(&plan, &target).text;
    assert!(
        curl.contains(
            "/service/S%27V%22C%0A%24%28id%29%20%60id%60%20%24%7Bx%7D%20%1B%E2%80%AE/version/"
        ),
        "{curl}"
    );
    assert_eq!(run_script(&curl).map(|c| c.len()), Some(3));
}

#[test]
fn commented_curl_lines_hold_each_value_on_one_line() {
    let plan = hostile_plan();
    let script = fastly_cli::emit(&plan, &ServiceVersion::default()).text;
    // The share key and the header go to commented curl calls; each line is a comment or
    // a command, and uncommented they are a script that passes the exact values.
    let commented: String = script
        .lines()
        .filter_map(|l| {
            l.strip_prefix("# curl ")
                .map(|rest| format!("curl {rest}"))
                .or_else(|| l.strip_prefix("#   ").map(|rest| format!("  {rest}")))
        })
        .map(|l| l + "\n")
        .collect();
    let Some(calls) = run_script(&commented) else {
        return;
    };
    let words: Vec<&String> = calls.iter().flatten().collect();
    assert!(
        words.iter().any(|w| *w == "share_key=k\n\u{1b}\u{202e}"),
        "{words:?}"
    );
    assert!(
        words.iter().any(|w| **w == format!("headers={HEADER}")),
        "{words:?}"
    );
}

#[test]
fn command_line_values_are_checked_for_every_command_that_writes_them() {
    let vcl = "backend F_b { .host = \"b.example\"; }\n";
    let json = r#"{"name": "b", "address": "b.example"}"#;
    let bad_ids = [
        "a\nb",
        "a'b",
        "a\"b",
        "${x}",
        "%{x}",
        "`id`",
        "$(id)",
        "a\u{1b}]0;t\u{7}",
        "a\rb",
        "a\u{202e}b",
        "",
        "a b",
        &"a".repeat(65),
    ];
    for id in bad_ids {
        for (args, input) in [
            (
                vec!["migrate", "-", "--to", "curl", "--service-id", id],
                vcl,
            ),
            (vec!["generate", "-", "--service-id", id], json),
        ] {
            let out = run_cli(&args, Some(input.as_bytes()));
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            assert!(out.stdout.is_empty());
            let stderr = text(&out.stderr);
            assert!(stderr.contains("--service-id"), "{stderr}");
            assert_no_hidden("usage error", &stderr);
        }
    }
    for version in ["0", "-1", "1.5", "x", "3\n", "${V}", "99999999999"] {
        let out = run_cli(
            &["migrate", "-", "--to", "fastly-cli", "--version", version],
            Some(vcl.as_bytes()),
        );
        assert_eq!(out.status.code(), Some(2), "{version:?}");
        // clap reads `-1` as an unknown flag, a usage error of its own.
        if version != "-1" {
            assert!(text(&out.stderr).contains("positive whole number"));
        }
    }
    let ok = run_cli(
        &[
            "migrate",
            "-",
            "--to",
            "curl",
            "--service-id",
            "SU1Z0isxPaozGVKXdv0eY",
            "--version",
            "4",
        ],
        Some(vcl.as_bytes()),
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("/service/SU1Z0isxPaozGVKXdv0eY/version/4/backend"));
}

// ---- VCL ----

#[test]
fn generated_vcl_parses_back_to_the_same_backends_only() {
    // A Host header cannot hold a line break (generate refuses one): the rest of HOSTILE.
    let one_line = HOSTILE.replace(['\n', '\r'], " ");
    let input = json!({
        "backends": [
            {"name": format!("evil\n}}\nbackend x {{ {HOSTILE}"), "address": one_line, "healthcheck": "hc"},
            {"name": "b", "address": "b.example", "override_host": "o\u{202e}\u{1b}"},
        ],
        "healthchecks": [{"name": "hc", "host": "x\u{202e}", "path": "/", "headers": [HEADER]}],
    });
    let out = run_cli(
        &["generate", "-", "--service-id", "SVC1"],
        Some(input.to_string().as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let vcl = text(&out.stdout);
    let parsed = vcl_backend::lower::parse_config(&vcl);
    assert!(!parsed.has_errors(), "{:?}\n{vcl}", parsed.diagnostics);
    let backends = &parsed.config.backends;
    assert_eq!(backends.len(), 2, "{vcl}");
    assert_eq!(backends[0].address.as_deref(), Some(one_line.as_str()));
    assert_eq!(
        backends[1].override_host.as_deref(),
        Some("o\u{202e}\u{1b}")
    );
    // One-line values keep no hidden character raw (a value with a newline is a long
    // string, which has no escapes: its characters stay as they are, inside it).
    for line in vcl.lines().filter(|l| l.contains(".host")) {
        assert_no_hidden("VCL", line);
    }
    // With the line break: refused, and the report (of the JSON) shows it escaped.
    let input = json!({"name": "a", "address": HOSTILE});
    let out = run_cli(&["generate", "-"], Some(input.to_string().as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_no_hidden("generate report", &text(&out.stderr));
}

// ---- Terminal reports ----

#[test]
fn terminal_reports_show_hidden_characters_escaped_and_label_the_right_place() {
    // An unknown property on the hostile line: the report shows that line.
    let vcl = format!(
        "backend F_a {{ .host = \"x\u{1b}]0;PWNED\u{7}y\u{202e}z\"; .prot = 1; }}\n{}",
        hostile_vcl().replace("F_a", "F_c")
    );
    let out = run_cli(&["parse", "-"], Some(vcl.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stderr);
    // The header gives the input's line and column, as JSON does: an escape is one character.
    let json = run_cli(&["parse", "-", "--format", "json"], Some(vcl.as_bytes()));
    let json: Value = serde_json::from_slice(&json.stderr).unwrap();
    let first = json.as_array().map_or(&json["diagnostics"][0], |a| &a[0]);
    assert_eq!(first["column"], 42, "{json}");
    assert!(report.contains("[<stdin>:1:42]"), "{report}");
    assert_no_hidden("parse report", &report);
    assert!(
        report.contains("\"x\\x1b]0;PWNED\\x07y\\u{202e}z\"; .prot = 1;"),
        "{report}"
    );
    // The underline starts under `prot` (the label's span), counted in characters of the
    // shown line.
    let lines: Vec<&str> = report.lines().collect();
    let at = lines.iter().position(|l| l.contains(".prot = 1;")).unwrap();
    let column = |line: &str, pattern: &dyn Fn(char) -> bool| line.chars().position(pattern);
    let prot = lines[at]
        .find(".prot")
        .map(|b| lines[at][..b].chars().count() + 1);
    assert_eq!(
        column(lines[at + 1], &|c| c == '─' || c == '┬'),
        prot,
        "{report}"
    );

    for args in [
        &["migrate", "-", "--to", "terraform"][..],
        &["migrate", "-", "--to", "curl", "--format", "human"],
        &["migrate", "-", "--to", "fastly-cli"],
        &["lint", "-"],
    ] {
        let out = run_cli(args, Some(vcl.as_bytes()));
        // lint prints its findings on stdout, the others on stderr.
        let report = text(&out.stderr) + &text(&out.stdout);
        assert_no_hidden(&format!("{args:?}"), &report);
        assert!(report.contains("\\x1b"), "{args:?}: {report}");
    }
}

#[test]
fn json_diagnostics_keep_exact_values_and_sarif_uris_are_encoded() {
    let dir = TempDir::new("injection-sarif");
    let path = dir.join("a b#1?%.vcl");
    std::fs::write(&path, "backend F_a { .host = \"x\u{1b}\"; .prot = 1; }\n").unwrap();
    let path = path.to_str().unwrap();
    let out = run_cli(&["parse", path, "--format", "json"], None);
    let json: Value = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&out.stderr)));
    let first = &json.as_array().map_or(&json["diagnostics"][0], |a| &a[0]);
    assert!(
        first["file"].as_str().unwrap().ends_with("a b#1?%.vcl"),
        "{json}"
    );
    let out = run_cli(&["lint", path, "--format", "sarif"], None);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(uri.ends_with("/a%20b%231%3F%25.vcl"), "{uri}");
}

#[test]
fn an_unknown_rule_to_explain_is_shown_escaped() {
    let out = run_cli(&["lint", "--explain", "x\u{1b}]0;t\u{7}"], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("no rule `x\\x1b]0;t\\x07`"), "{stderr}");
}
