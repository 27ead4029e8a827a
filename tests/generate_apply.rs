//! `generate --to fastly-cli|curl|terraform` (issue 22, docs/design.md §4.11): each form puts
//! the snippets `--to snippet` describes on the service and removes what they replace.
//!
//! The scripts run against the fake API (the Fastly CLI's with the real CLI, installed from
//! npm): the requests must be the clone, the snippets with exactly generate's text, the deletes
//! in an order the API accepts, and no activation. They need bash, curl and npm, so they are
//! ignored by `cargo test` and run by `cargo test -- --ignored` (CI does). The Terraform is
//! parsed back with an HCL parser by plain `cargo test`.

use std::collections::BTreeMap;
use std::path::Path;

use hcl::eval::{Context, Evaluate};
use serde_json::Value;

mod support;
use support::fake_api::{FakeApi, Request, percent_decode};
use support::{TempDir, fastly_cli, run_cli, text};

const SERVICE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/generate/apply/service.json"
);

/// `vcl-backend generate SERVICE ARGS...`: its stdout, after checking it succeeded.
fn generate(args: &[&str]) -> String {
    let mut all = vec!["generate", SERVICE];
    all.extend(args);
    let out = run_cli(&all, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// The declarations and the routing, as `--to vcl` and `--recv` write them.
fn snippets() -> (String, String) {
    (generate(&[]), generate(&["--recv"]))
}

#[test]
fn each_form_is_snapshotted() {
    for (to, extra) in [
        ("fastly-cli", &["--service-id", "SVC"][..]),
        ("curl", &["--version", "3"][..]),
        ("terraform", &[][..]),
    ] {
        let mut args = vec!["--to", to];
        args.extend(extra);
        insta::assert_snapshot!(format!("to_{to}"), generate(&args));
    }
}

#[test]
fn the_report_says_what_is_deleted_and_what_is_kept() {
    let out = run_cli(&["generate", SERVICE, "--to", "curl"], None);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("the snippets delete 1 director, 3 backends and 1 healthcheck"),
        "{stderr}"
    );
    assert!(
        stderr.contains("kept: healthcheck `retired probe`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("kept: 1 condition (`api path`)"),
        "{stderr}"
    );
}

/// The blocks of a Terraform text, each attribute evaluated as terraform would.
fn hcl_blocks(text: &str) -> Vec<(String, BTreeMap<String, Value>)> {
    let body: hcl::Body = hcl::from_str(text).expect("the output is HCL");
    assert_eq!(body.attributes().count(), 0, "only blocks at the top level");
    body.blocks()
        .map(|block| {
            let attributes = block
                .body
                .attributes()
                .map(|a| {
                    let value = a.expr.evaluate(&Context::new()).unwrap();
                    (a.key.to_string(), serde_json::to_value(value).unwrap())
                })
                .collect();
            (block.identifier.to_string(), attributes)
        })
        .collect()
}

#[test]
fn terraform_snippets_hold_exactly_the_generated_text() {
    let (declarations, routing) = snippets();
    let text = generate(&["--to", "terraform"]);
    let blocks = hcl_blocks(&text);
    let expected = [
        ("vcl-backend declarations", "init", 10, &declarations),
        ("vcl-backend routing", "recv", 999, &routing),
    ];
    assert_eq!(blocks.len(), expected.len(), "{text}");
    for ((kind, attributes), (name, type_, priority, content)) in blocks.iter().zip(expected) {
        assert_eq!(kind, "snippet");
        assert_eq!(attributes["name"], name);
        assert_eq!(attributes["type"], type_);
        assert_eq!(attributes["priority"], priority);
        assert_eq!(attributes["content"].as_str(), Some(content.as_str()));
    }
    // `${HOME}` reached the content as text: the template escape was undone by the parser.
    assert!(routing.contains("\"${HOME} %{x} $(touch pwned)\""));
    for name in [
        "\"API Origin\"",
        "\"Web Origin/Main\"",
        "\"it's $(touch pwned)\"",
    ] {
        assert!(text.contains(&format!("#   backend block with name = {name}\n")));
    }
    assert!(text.contains("#   healthcheck block with name = \"api health\"\n"));
    assert!(text.contains("#   director block with name = \"web pool\"\n"));
    assert!(text.contains("# Keep: healthcheck `retired probe`"));
}

/// The writes a script made (every request but reads), as `(method, decoded path, form)`.
fn writes(requests: &[Request]) -> Vec<(String, String, BTreeMap<String, String>)> {
    requests
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| {
            let path: Vec<String> = r.path.split('/').map(percent_decode).collect();
            (r.method.clone(), path.join("/"), r.form.clone())
        })
        .collect()
}

/// What every script must send: the clone of `from`, then in the clone (`from + 1`, the fake
/// API's answer) the two snippets and the deletes; nothing activated.
fn check_writes(requests: &[Request], from: u32) {
    let (declarations, routing) = snippets();
    let writes = writes(requests);
    let at = |rest: &str| format!("/service/SVC/version/{}/{rest}", from + 1);
    let shape: Vec<(String, String)> = writes
        .iter()
        .map(|(m, p, _)| (m.clone(), p.clone()))
        .collect();
    let expected: Vec<(String, String)> = [
        ("PUT", format!("/service/SVC/version/{from}/clone")),
        ("POST", at("snippet")),
        ("POST", at("snippet")),
        ("DELETE", at("director/web pool")),
        ("DELETE", at("backend/API Origin")),
        ("DELETE", at("backend/Web Origin/Main")),
        ("DELETE", at("backend/it's $(touch pwned)")),
        ("DELETE", at("healthcheck/api health")),
    ]
    .into_iter()
    .map(|(m, p)| (m.to_string(), p))
    .collect();
    assert_eq!(shape, expected);
    for ((_, _, form), (name, kind, priority, content)) in writes[1..3].iter().zip([
        ("vcl-backend declarations", "init", "10", &declarations),
        ("vcl-backend routing", "recv", "999", &routing),
    ]) {
        assert_eq!(form["name"], name);
        assert_eq!(form["type"], kind);
        assert_eq!(form["priority"], priority);
        assert_eq!(form["dynamic"], "0");
        assert_eq!(
            &form["content"], content,
            "the snippet's content, byte for byte"
        );
    }
}

fn run_script(dir: &TempDir, script: &str, api: &FakeApi, with_cli: bool, env: &[(&str, &str)]) {
    support::require("the script tests", &["bash", "curl"]);
    let path = dir.join("apply.sh");
    std::fs::write(&path, script).unwrap();
    let out = fastly_cli::run_script(dir.path(), &path, api, with_cli, env);
    assert!(
        out.status.success(),
        "the script failed:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Nothing was activated."), "{stderr}");
    assert!(
        !Path::new(&dir.join("pwned")).exists(),
        "a value was run as a command"
    );
}

#[test]
#[ignore = "needs bash, curl and npm (the real Fastly CLI): cargo test -- --ignored"]
fn fastly_cli_script_clones_the_active_version_creates_the_snippets_and_deletes_the_rest() {
    let dir = TempDir::new("apply-cli");
    let api = FakeApi::start();
    // The service from the environment, the version the active one (the fake API's 1).
    let script = generate(&["--to", "fastly-cli"]);
    run_script(&dir, &script, &api, true, &[("FASTLY_SERVICE_ID", "SVC")]);
    check_writes(&api.requests(), 1);
}

#[test]
#[ignore = "needs bash, curl and npm (the real Fastly CLI): cargo test -- --ignored"]
fn fastly_cli_script_clones_the_version_given() {
    let dir = TempDir::new("apply-cli-version");
    let api = FakeApi::start();
    let script = generate(&[
        "--to",
        "fastly-cli",
        "--service-id",
        "SVC",
        "--version",
        "7",
    ]);
    run_script(&dir, &script, &api, true, &[]);
    check_writes(&api.requests(), 7);
}

#[test]
#[ignore = "needs bash and curl: cargo test -- --ignored"]
fn curl_script_makes_the_same_requests() {
    let dir = TempDir::new("apply-curl");
    let api = FakeApi::start();
    let script = generate(&["--to", "curl", "--service-id", "SVC"]);
    run_script(
        &dir,
        &script,
        &api,
        false,
        &[("FASTLY_SERVICE_VERSION", "5"), ("FASTLY_API_TOKEN", "x")],
    );
    check_writes(&api.requests(), 5);
}

#[test]
fn a_version_without_a_script_is_a_usage_error() {
    for args in [
        &["--version", "3"][..],
        &["--to", "terraform", "--version", "3"][..],
    ] {
        let mut all = vec!["generate", SERVICE];
        all.extend(args);
        let out = run_cli(&all, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(text(&out.stderr).contains("--version is the version the scripts clone"));
    }
}

#[test]
fn nothing_to_replace_writes_nothing() {
    let dir = TempDir::new("apply-empty");
    let input = dir.join("empty.json");
    std::fs::write(&input, "[]").unwrap();
    for to in ["fastly-cli", "curl", "terraform"] {
        let out = run_cli(&["generate", input.to_str().unwrap(), "--to", to], None);
        assert_eq!(out.status.code(), Some(1), "{to}");
        assert!(out.stdout.is_empty(), "{to}");
        assert!(
            text(&out.stderr).contains("no backend: there is nothing for the snippets to replace")
        );
    }
}
