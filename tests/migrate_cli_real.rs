//! The real Fastly CLI test (issue 8): `migrate --to fastly-cli` run by the real `fastly`
//! (v16.1.0, installed from npm under `target/` by `support::fastly_cli`) against a loopback
//! fake of the API (`support::fake_api`, in the test process) must build, per backend and
//! healthcheck, exactly the fields of `migrate --to json` that the CLI can carry, and the
//! report must name every field it cannot. `migrate --to curl`, run against the same fake API,
//! must carry every field. Hostile values must reach the API unchanged and execute nothing.
//!
//! "Carried" is judged as the API would hold the object: the POST's form merged with any later
//! PUT of the same object, then the API's defaults for what was not sent (`use_ssl` from port
//! 443, `ssl_check_cert` true) and `override_host=''` taken as absent. A director's members
//! are the calls of the director-backend endpoint, after the director and its backends.
//!
//! The tests that run scripts need more than Rust, so they are ignored by `cargo test` and run
//! by `cargo test -- --ignored` (CI does): bash and curl for every script, npm for the CLI
//! (installed on first use). Without them those tests fail and say what is missing. The fake
//! API itself and the values of the hostile fixture are checked by plain `cargo test`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Map, Value};

mod support;
use support::TempDir;
use support::fake_api::{FakeApi, Request, percent_decode};
use support::fastly_cli;

type Form = BTreeMap<String, String>;
/// A form with every value of each key (a healthcheck's repeated `headers`).
type FormAll = BTreeMap<String, Vec<String>>;

/// What every fixture's `/tmp/pwned` is replaced with: a path in the test's own directory.
const MARKER: &str = "/tmp/pwned";

// ---------------------------------------------------------------------------------------------
// The environment

/// Panics unless every program a script test runs is on `PATH`.
fn require_curl() {
    support::require("the script tests", &["bash", "curl"]);
}

/// Where a `$(touch ...)` in a value would leave its mark.
fn marker(dir: &TempDir) -> String {
    dir.join("pwned").display().to_string()
}

/// Files a `$(touch ...)` in a value would have made.
fn pwned_files(dir: &TempDir) -> Vec<String> {
    fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("pwned"))
        .collect()
}

/// `base-N`: a name for one run's files, so that runs in one directory keep theirs apart.
fn unique(base: &str) -> String {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    format!("{base}-{}", COUNT.fetch_add(1, Ordering::Relaxed))
}

/// Copies a fixture into `dir`, with its marker path moved into `dir`.
fn fixture(dir: &TempDir, name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/migrate")
        .join(name);
    let text = fs::read_to_string(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    let path = dir.join(name);
    fs::write(&path, text.replace(MARKER, &marker(dir))).unwrap();
    path
}

fn check_output(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------------------------------------
// migrate

#[derive(Clone, Default)]
struct ServiceVersion {
    service_id: Option<String>,
    version: Option<u32>,
}

impl ServiceVersion {
    /// The service and version the requests must name.
    fn expected(&self) -> (String, String) {
        (
            self.service_id.clone().unwrap_or_else(|| "SVC".into()),
            // The CLI's `--version=latest`: the fake API's only version is 1.
            self.version.unwrap_or(1).to_string(),
        )
    }
}

struct Migrated {
    text: String,
    /// `(kind, object, field)` of every note of the report.
    notes: BTreeSet<(String, String, String)>,
    /// The same notes' `how`.
    hows: BTreeMap<(String, String, String), Option<String>>,
}

fn migrate(vcl: &Path, to: &str, target: &ServiceVersion) -> Migrated {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vcl-backend"));
    cmd.arg("migrate")
        .arg(vcl)
        .args(["--to", to, "--format", "json"]);
    if let Some(id) = &target.service_id {
        cmd.arg("--service-id").arg(id);
    }
    if let Some(v) = target.version {
        cmd.args(["--version", &v.to_string()]);
    }
    let out = cmd.output().unwrap();
    check_output(&format!("migrate --to {to} {}", vcl.display()), &out);
    let doc: Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "--format json puts a JSON document on stderr: {e}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut notes = BTreeSet::new();
    let mut hows = BTreeMap::new();
    for (list, kind) in [("backends", "backend"), ("healthchecks", "healthcheck")] {
        for object in doc["report"][list].as_array().unwrap() {
            let name = object["name"].as_str().unwrap().to_string();
            for n in object["notes"].as_array().unwrap() {
                assert_eq!(n["kind"], kind, "{n}");
                assert_eq!(n["object"], name.as_str(), "{n}");
                let key = (
                    kind.to_string(),
                    name.clone(),
                    n["field"].as_str().unwrap().to_string(),
                );
                hows.insert(key.clone(), n["how"].as_str().map(str::to_string));
                notes.insert(key);
            }
        }
    }
    Migrated {
        text: String::from_utf8(out.stdout).unwrap(),
        notes,
        hows,
    }
}

/// `migrate --to json`: `(kind, name) -> fields`, healthchecks first, directors last (without
/// their members: see [`expected_members`]).
fn expected_objects(vcl: &Path) -> Vec<(String, String, Map<String, Value>)> {
    let json: Value =
        serde_json::from_str(&migrate(vcl, "json", &ServiceVersion::default()).text).unwrap();
    let mut objects = Vec::new();
    for (list, kind) in [
        ("healthchecks", "healthcheck"),
        ("backends", "backend"),
        ("directors", "director"),
    ] {
        for o in json[list].as_array().into_iter().flatten() {
            let mut o = o.as_object().unwrap().clone();
            o.remove("backends");
            let name = o["name"].as_str().unwrap().to_string();
            objects.push((kind.to_string(), name, o));
        }
    }
    assert!(
        objects.iter().any(|(k, _, _)| k == "backend"),
        "{}: no backend to migrate",
        vcl.display()
    );
    objects
}

/// `migrate --to json`: each director's members, in order.
fn expected_members(vcl: &Path) -> BTreeMap<String, Vec<String>> {
    let json: Value =
        serde_json::from_str(&migrate(vcl, "json", &ServiceVersion::default()).text).unwrap();
    json["directors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            let members = d["backends"].as_array().unwrap();
            (
                d["name"].as_str().unwrap().to_string(),
                members
                    .iter()
                    .map(|m| m.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Running scripts against the fake API

fn write_script(dir: &TempDir, script: &str, tag: &str) -> PathBuf {
    let path = dir.join(format!("{tag}.sh"));
    fs::write(&path, script).unwrap();
    path
}

/// Runs `script` with the real Fastly CLI against a fresh fake API; its requests.
fn run_with_cli(dir: &TempDir, script: &str, tag: &str) -> Vec<Request> {
    require_curl();
    let path = write_script(dir, script, tag);
    let api = FakeApi::start();
    let out = fastly_cli::run_script(
        dir.path(),
        &path,
        &api,
        true,
        // The version is the fake API's only one: the CLI's `latest`, and what a script
        // with directors names for every command.
        &[
            ("FASTLY_SERVICE_ID", "SVC"),
            ("FASTLY_SERVICE_VERSION", "1"),
        ],
    );
    check_output(&format!("fastly-cli script {}", path.display()), &out);
    // The CLI says when a flag is deprecated (`--ssl-check-cert` is): the script uses none.
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !said.contains("DEPRECATED"),
        "the script uses a deprecated flag:\n{said}"
    );
    api.requests()
}

/// Runs a curl script against a fresh fake API; its requests.
fn run_with_curl(dir: &TempDir, script: &str, tag: &str) -> Vec<Request> {
    require_curl();
    let path = write_script(dir, script, tag);
    let api = FakeApi::start();
    let out = fastly_cli::run_script(
        dir.path(),
        &path,
        &api,
        false,
        &[
            ("FASTLY_SERVICE_ID", "SVC"),
            ("FASTLY_SERVICE_VERSION", "1"),
            ("FASTLY_API_TOKEN", "x"),
        ],
    );
    check_output(&format!("bash {}", path.display()), &out);
    api.requests()
}

/// The commented `# curl` calls of a fastly-cli script, uncommented into a script of their own.
fn commented_curls(script: &str) -> String {
    let mut out = String::from("#!/usr/bin/env bash\nset -euo pipefail\n");
    let mut inside = false;
    for line in script.lines() {
        if line.starts_with("# curl ") {
            inside = true;
        } else if !line.starts_with('#') {
            inside = false;
        }
        if inside {
            out.push_str(
                line.strip_prefix("# ")
                    .unwrap_or(line.trim_start_matches('#')),
            );
            out.push('\n');
        }
    }
    out
}

/// The objects the API would hold: `(kind, name) -> form`, POST creating and PUT merging; and
/// the order of creation. Checks every write names the expected service and version.
#[derive(Default)]
struct Api {
    objects: BTreeMap<(String, String), FormAll>,
    created: Vec<(String, String)>,
    /// Each director's members, in the order they were added.
    members: BTreeMap<String, Vec<String>>,
    /// Problems of order: a member added before its director or its backend was created.
    order: Vec<String>,
}

impl Api {
    fn apply(&mut self, requests: &[Request], target: &ServiceVersion, puts_allowed: bool) {
        let (service, version) = target.expected();
        for r in requests.iter().filter(|r| r.method != "GET") {
            let parts: Vec<&str> = r.path.trim_start_matches('/').split('/').collect();
            assert!(
                parts.len() >= 5 && parts[0] == "service" && parts[2] == "version",
                "unexpected request {} {}",
                r.method,
                r.path
            );
            assert_eq!(percent_decode(parts[1]), service, "service of {}", r.path);
            assert_eq!(parts[3], version, "version of {}", r.path);
            let kind = parts[4].to_string();
            assert!(
                ["backend", "healthcheck", "director"].contains(&kind.as_str()),
                "{}",
                r.path
            );
            match (r.method.as_str(), parts.len()) {
                ("POST", 8) if kind == "director" && parts[6] == "backend" => {
                    let (director, backend) = (percent_decode(parts[5]), percent_decode(parts[7]));
                    for key in [("director", &director), ("backend", &backend)] {
                        if !self
                            .objects
                            .contains_key(&(key.0.to_string(), key.1.clone()))
                        {
                            self.order.push(format!(
                                "{director} gets member {backend} before {} `{}` exists",
                                key.0, key.1
                            ));
                        }
                    }
                    self.members.entry(director).or_default().push(backend);
                }
                ("POST", 5) => {
                    let name = r
                        .form
                        .get("name")
                        .expect("a create names its object")
                        .clone();
                    let key = (kind, name);
                    assert!(!self.objects.contains_key(&key), "{key:?} created twice");
                    self.objects.insert(key.clone(), r.form_all.clone());
                    self.created.push(key);
                }
                ("PUT", 6) if puts_allowed => {
                    let key = (kind, percent_decode(parts[5]));
                    let object = self
                        .objects
                        .get_mut(&key)
                        .unwrap_or_else(|| panic!("PUT {} before its create", r.path));
                    object.extend(r.form_all.clone());
                }
                _ => panic!("unexpected request {} {}", r.method, r.path),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing with the JSON

/// Whether the API got `json` for a field as `sent` (every value of its key, in order).
/// Booleans arrive as `1`/`0` (or `true`/`false`, as the CLI sends `tcp_keepalive_enable`);
/// a list (`headers`) as one repeated key per item.
fn same(json: &Value, sent: &[String]) -> bool {
    let one = |json: &Value, sent: &str| match json {
        Value::String(s) => s == sent,
        Value::Number(n) => n.to_string() == sent,
        Value::Bool(true) => sent == "1" || sent == "true",
        Value::Bool(false) => sent == "0" || sent == "false",
        _ => false,
    };
    match (json, sent) {
        (Value::Array(items), _) => {
            items.len() == sent.len() && items.iter().zip(sent).all(|(i, s)| one(i, s))
        }
        (_, [sent]) => one(json, sent),
        _ => false,
    }
}

/// What the API holds for a field the requests did not send, where the test knows it
/// (docs/design.md §9).
fn api_default(kind: &str, field: &str, form: &FormAll) -> Option<Value> {
    match (kind, field) {
        // "Setting port to 80 or 443 will also set use_ssl automatically"; otherwise false.
        ("backend", "use_ssl") => Some(Value::Bool(
            form.get("port").and_then(|v| v.last()).map(String::as_str) == Some("443"),
        )),
        ("backend", "ssl_check_cert") => Some(Value::Bool(true)),
        ("backend", "error_threshold") => Some(Value::from(0)),
        _ => None,
    }
}

/// A field sent although the JSON has none: only `override_host=''`, which the API takes as
/// no override (the CLI needs it to invent none).
fn same_as_absent(kind: &str, field: &str, sent: &[String]) -> bool {
    kind == "backend" && field == "override_host" && sent == [""]
}

/// What a comparison asks of each field of the JSON.
enum Expect<'a> {
    /// The API got it (after its defaults), or it is in the report, not both.
    CarriedOrReported(&'a BTreeSet<(String, String, String)>),
    /// The API got it; `defaults`: or it rests on the API's defaults.
    Carried { defaults: bool },
}

/// Every problem of the API's objects against the JSON; nothing sent may be beyond the JSON.
fn compare(
    expected: &[(String, String, Map<String, Value>)],
    api: &Api,
    expect: &Expect<'_>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let names: BTreeSet<(String, String)> = expected
        .iter()
        .map(|(k, n, _)| (k.clone(), n.clone()))
        .collect();
    let got: BTreeSet<(String, String)> = api.objects.keys().cloned().collect();
    if names != got {
        problems.push(format!("objects: expected {names:?}, the API got {got:?}"));
    }
    let first_backend = api.created.iter().position(|(k, _)| k == "backend");
    let last_healthcheck = api.created.iter().rposition(|(k, _)| k == "healthcheck");
    if let (Some(b), Some(h)) = (first_backend, last_healthcheck) {
        if h > b {
            problems.push("a healthcheck was created after a backend".into());
        }
    }
    problems.extend(api.order.iter().cloned());
    let defaults = match expect {
        Expect::CarriedOrReported(_) => true,
        Expect::Carried { defaults } => *defaults,
    };
    for (kind, name, fields) in expected {
        let Some(form) = api.objects.get(&(kind.clone(), name.clone())) else {
            continue;
        };
        let at = format!("{kind} `{name}`");
        for (field, value) in fields {
            let carried = match form.get(field) {
                Some(sent) if same(value, sent) => true,
                Some(sent) => {
                    problems.push(format!(
                        "{at}: `{field}` sent as {sent:?}, JSON has {value}"
                    ));
                    continue;
                }
                None => defaults && api_default(kind, field, form).as_ref() == Some(value),
            };
            match expect {
                Expect::CarriedOrReported(noted) => {
                    let is_noted = noted.contains(&(kind.clone(), name.clone(), field.clone()));
                    if carried && is_noted {
                        problems.push(format!(
                            "{at}: `{field}` is reported as not carried, but the API got it"
                        ));
                    }
                    if !carried && !is_noted {
                        problems.push(format!(
                            "{at}: `{field}` = {value} neither reached the API nor is reported"
                        ));
                    }
                }
                Expect::Carried { .. } if !carried => {
                    problems.push(format!("{at}: `{field}` = {value} did not reach the API"));
                }
                Expect::Carried { .. } => {}
            }
        }
        for (field, sent) in form {
            if !fields.contains_key(field) && !same_as_absent(kind, field, sent) {
                problems.push(format!(
                    "{at}: `{field}` = {sent:?} reached the API, but the JSON has no such field"
                ));
            }
        }
    }
    problems
}

/// Every director got exactly its members, in order.
fn compare_members(expected: &BTreeMap<String, Vec<String>>, api: &Api) -> Vec<String> {
    if expected == &api.members {
        Vec::new()
    } else {
        vec![format!(
            "members: expected {expected:?}, the API got {:?}",
            api.members
        )]
    }
}

fn assert_no_problems(what: &str, problems: &[String], script: &str) {
    assert!(
        problems.is_empty(),
        "{what}:\n  {}\n--- script\n{script}",
        problems.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------------
// The checks

/// `--to fastly-cli` run by the real CLI: what it can carry arrives, the rest is reported,
/// and the report's commented curl calls then complete every object.
fn check_fastly_cli(dir: &TempDir, vcl: &Path, target: &ServiceVersion) {
    let expected = expected_objects(vcl);
    let members = expected_members(vcl);
    let migrated = migrate(vcl, "fastly-cli", target);
    let script = &migrated.text;
    assert!(script.starts_with("#!/usr/bin/env bash\n"), "{script}");
    assert!(script.contains("\nset -euo pipefail\n"), "{script}");
    let requests = run_with_cli(dir, script, &unique("fastly-cli"));
    let mut api = Api::default();
    api.apply(&requests, target, true);
    let mut problems = compare(&expected, &api, &Expect::CarriedOrReported(&migrated.notes));
    problems.extend(compare_members(&members, &api));
    assert_no_problems(
        &format!("{} through the real Fastly CLI", vcl.display()),
        &problems,
        script,
    );

    // Each note about a field the CLI could not send says how: a curl call.
    for (kind, name, fields) in &expected {
        for field in fields.keys() {
            let key = (kind.clone(), name.clone(), field.clone());
            if let Some(how) = migrated.hows.get(&key) {
                let how = how.as_deref().unwrap_or_default();
                assert!(
                    how.starts_with("curl ") && how.contains(&format!("'{field}=")),
                    "{kind} `{name}`: the note on `{field}` says how with a curl call: {how:?}"
                );
            }
        }
    }

    // The commented curl calls, run as they are written, carry the rest.
    let curls = commented_curls(script);
    let later = run_with_curl(dir, &curls, &unique("fastly-cli-curls"));
    api.apply(&later, target, true);
    let problems = compare(&expected, &api, &Expect::Carried { defaults: true });
    assert_no_problems(
        &format!(
            "{}: the CLI commands plus the commented curl calls",
            vcl.display()
        ),
        &problems,
        script,
    );
    assert_eq!(pwned_files(dir), Vec::<String>::new(), "a value executed");
}

/// `--to curl` against the fake API: every field arrives, nothing is left to the report.
fn check_curl(dir: &TempDir, vcl: &Path, target: &ServiceVersion) {
    let expected = expected_objects(vcl);
    let members = expected_members(vcl);
    let migrated = migrate(vcl, "curl", target);
    let script = &migrated.text;
    assert!(script.starts_with("#!/usr/bin/env bash\n"), "{script}");
    assert!(script.contains("\nset -euo pipefail\n"), "{script}");
    let requests = run_with_curl(dir, script, &unique("curl"));
    let mut api = Api::default();
    // curl creates each object in one POST: no PUT.
    api.apply(&requests, target, false);
    let mut problems = compare(&expected, &api, &Expect::Carried { defaults: false });
    problems.extend(compare_members(&members, &api));
    assert_no_problems(
        &format!("{} through curl", vcl.display()),
        &problems,
        script,
    );
    for (kind, name, fields) in &expected {
        for field in fields.keys() {
            let key = (kind.clone(), name.clone(), field.clone());
            assert!(
                !migrated.notes.contains(&key),
                "{kind} `{name}`: curl can set `{field}`, but the report says it is not carried"
            );
        }
    }
    assert_eq!(pwned_files(dir), Vec::<String>::new(), "a value executed");
}

fn check_fixture_with_cli(name: &str) {
    let dir = TempDir::new(name.trim_end_matches(".vcl"));
    let vcl = fixture(&dir, name);
    check_fastly_cli(&dir, &vcl, &ServiceVersion::default());
}

fn check_fixture_with_curl(name: &str) {
    let dir = TempDir::new(name.trim_end_matches(".vcl"));
    let vcl = fixture(&dir, name);
    check_curl(&dir, &vcl, &ServiceVersion::default());
}

#[test]
#[ignore = "needs npm, bash and curl: run with --ignored"]
fn services_through_the_real_cli() {
    check_fixture_with_cli("services.vcl");
}

#[test]
#[ignore = "needs bash and curl: run with --ignored"]
fn services_through_curl() {
    check_fixture_with_curl("services.vcl");
}

#[test]
#[ignore = "needs npm, bash and curl: run with --ignored"]
fn generated_format_through_the_real_cli() {
    check_fixture_with_cli("generated.vcl");
}

#[test]
#[ignore = "needs bash and curl: run with --ignored"]
fn generated_format_through_curl() {
    check_fixture_with_curl("generated.vcl");
}

#[test]
#[ignore = "needs npm, bash and curl: run with --ignored"]
fn varnish_through_the_real_cli() {
    check_fixture_with_cli("varnish.vcl");
}

#[test]
#[ignore = "needs bash and curl: run with --ignored"]
fn varnish_through_curl() {
    check_fixture_with_curl("varnish.vcl");
}

#[test]
#[ignore = "needs npm, bash and curl: run with --ignored"]
fn hostile_through_the_real_cli() {
    check_fixture_with_cli("hostile.vcl");
}

#[test]
#[ignore = "needs bash and curl: run with --ignored"]
fn hostile_through_curl() {
    check_fixture_with_curl("hostile.vcl");
}

/// The hand-written shapes of issue 18.
const HAND_WRITTEN: [&str; 7] = [
    "dummy_probes.vcl",
    "host_header.vcl",
    "probe_name_collision.vcl",
    "director_anonymous.vcl",
    "placeholders.vcl",
    "url_probes.vcl",
    "directors.vcl",
];

/// What `--to json` holds of the hand-written shapes reaches the API through the real CLI,
/// healthcheck names included (distinct, each backend on its own probe's).
#[test]
#[ignore = "needs npm, bash and curl: run with --ignored"]
fn hand_written_shapes_through_the_real_cli() {
    for name in HAND_WRITTEN {
        check_fixture_with_cli(name);
    }
}

/// The same through curl.
#[test]
#[ignore = "needs bash and curl: run with --ignored"]
fn hand_written_shapes_through_curl() {
    for name in HAND_WRITTEN {
        check_fixture_with_curl(name);
    }
}

/// A CLI script with directors stops before it changes anything when FASTLY_API_TOKEN (which
/// its curl calls need) is unset, and says so.
#[test]
#[ignore = "needs bash: run with --ignored"]
fn a_cli_script_with_directors_needs_the_token_first() {
    support::require("the script tests", &["bash"]);
    let dir = TempDir::new("directors-token");
    let vcl = fixture(&dir, "directors.vcl");
    let script = migrate(&vcl, "fastly-cli", &explicit_target()).text;
    let path = write_script(&dir, &script, "directors-token");
    // A `fastly` that would leave a mark: it must never run.
    let fake = dir.join("fastly");
    fs::write(&fake, "#!/bin/sh\ntouch pwned-fastly-ran\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = Command::new("bash")
        .arg(&path)
        .current_dir(dir.path())
        .env_remove("FASTLY_API_TOKEN")
        .env("PATH", format!("{}:/usr/bin:/bin", dir.path().display()))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("FASTLY_API_TOKEN"), "{stderr}");
    assert_eq!(pwned_files(&dir), Vec::<String>::new());
}

fn explicit_target() -> ServiceVersion {
    ServiceVersion {
        service_id: Some("SrvId42".into()),
        version: Some(4),
    }
}

#[test]
fn an_explicit_service_and_version_are_written() {
    let dir = TempDir::new("target");
    let vcl = fixture(&dir, "services.vcl");
    let script = migrate(&vcl, "fastly-cli", &explicit_target()).text;
    assert!(script.contains("--service-id='SrvId42'"), "{script}");
    assert!(!script.contains("--autoclone"), "{script}");
    assert!(!script.contains("FASTLY_SERVICE_ID"), "{script}");
}

#[test]
#[ignore = "needs npm, bash and curl: run with --ignored"]
fn an_explicit_service_and_version_are_used_by_the_real_cli() {
    let dir = TempDir::new("target-cli");
    let vcl = fixture(&dir, "services.vcl");
    check_fastly_cli(&dir, &vcl, &explicit_target());
}

#[test]
#[ignore = "needs bash and curl: run with --ignored"]
fn an_explicit_service_and_version_are_used_by_curl() {
    let dir = TempDir::new("target-curl");
    let vcl = fixture(&dir, "services.vcl");
    check_curl(&dir, &vcl, &explicit_target());
}

/// The fastly-cli script reports what the CLI cannot say (plain HTTP on 443, the fields no
/// flag sends) and joins every value to its flag.
#[test]
fn the_cli_script_reports_what_no_flag_says() {
    let dir = TempDir::new("surprises-written");
    let vcl = fixture(&dir, "services.vcl");
    let migrated = migrate(&vcl, "fastly-cli", &ServiceVersion::default());
    // `legacy_443`: plain HTTP on 443 cannot be said with the CLI.
    let key = |field: &str| ("backend".into(), "legacy_443".into(), field.into());
    assert!(migrated.notes.contains(&key("use_ssl")));
    assert!(migrated.notes.contains(&key("share_key")));
    assert!(migrated.notes.contains(&key("error_threshold")));
    assert!(
        migrated
            .notes
            .contains(&("healthcheck".into(), "origin".into(), "headers".into()))
    );
    // Nothing outside the commented curl calls is a `--flag VALUE` pair.
    // Flags sit on lines of their own, indented; lines of PEM values are not.
    for line in migrated.text.lines().filter(|l| l.starts_with("  --")) {
        let word = line.trim().trim_end_matches(" \\");
        assert!(
            word.contains('=')
                || [
                    "--non-interactive",
                    "--autoclone",
                    "--use-ssl",
                    "--ssl-check-cert",
                    "--no-ssl-check-cert",
                    "--auto-loadbalance"
                ]
                .contains(&word),
            "{line}"
        );
    }
}

/// The fastly-cli script knows the CLI's surprises: no host field invented, TLS on 8443 by
/// an update.
#[test]
#[ignore = "needs npm, bash and curl: run with --ignored"]
fn the_cli_surprises_are_handled() {
    let dir = TempDir::new("surprises");
    let vcl = fixture(&dir, "services.vcl");
    let migrated = migrate(&vcl, "fastly-cli", &ServiceVersion::default());
    let requests = run_with_cli(&dir, &migrated.text, "surprises");
    let forms = |method: &str, name: &str| -> Vec<&Form> {
        requests
            .iter()
            .filter(|r| {
                r.method == method
                    && r.path.contains("/backend")
                    && (r.form.get("name").map(String::as_str) == Some(name)
                        || r.path.ends_with(&format!("/backend/{name}")))
            })
            .map(|r| &r.form)
            .collect()
    };
    // `api` has TLS on 8443: the create sends no `use_ssl`, the update does.
    let create = forms("POST", "api");
    assert_eq!(create.len(), 1);
    assert!(!create[0].contains_key("use_ssl"));
    assert_eq!(create[0]["override_host"], "");
    assert!(create[0]["ssl_ca_cert"].starts_with("-----BEGIN CERTIFICATE-----\n"));
    let update = forms("PUT", "api");
    assert_eq!(update.len(), 1);
    assert_eq!(update[0], &Form::from([("use_ssl".into(), "1".into())]));
    // `api_mirror` has no SNI hostname: the CLI must not make one up from the address.
    let mirror = forms("POST", "api_mirror");
    assert!(!mirror[0].contains_key("ssl_sni_hostname"), "{mirror:?}");
    assert_eq!(mirror[0]["ssl_check_cert"], "0");
}

/// The hostile fixture's values are as hostile as intended.
#[test]
fn hostile_values_are_as_hostile_as_intended() {
    let dir = TempDir::new("hostile");
    let vcl = fixture(&dir, "hostile.vcl");
    let m = marker(&dir);
    let expected = expected_objects(&vcl);
    let get = |kind: &str, name: &str, field: &str| -> Value {
        expected
            .iter()
            .find(|(k, n, _)| k == kind && n == name)
            .and_then(|(_, _, o)| o.get(field).cloned())
            .unwrap_or_else(|| panic!("{kind} `{name}` has no `{field}`"))
    };
    let s = |v: &str| Value::String(v.to_string());
    assert_eq!(
        get("backend", "evil", "override_host"),
        s(&format!(
            "it's \"quoted\" $(touch {m}) `touch {m}` 100% a=b&c=d+e !x"
        ))
    );
    assert_eq!(get("backend", "evil", "address"), s("-origin.example.com"));
    assert_eq!(
        get("backend", "evil", "ssl_cert_hostname"),
        s(&format!("cert'; touch {m}; echo '"))
    );
    assert_eq!(
        get("backend", "evil", "ssl_sni_hostname"),
        s(&format!("line one\nline two $(touch {m})"))
    );
    assert_eq!(
        get("backend", "evil", "ssl_ciphers"),
        s("-ALL:ECDHE-RSA-AES128-GCM-SHA256:\\back\\\\slash")
    );
    assert_eq!(
        get("backend", "evil", "min_tls_version"),
        s("\u{e9}$HOME${HOME}")
    );
    assert_eq!(
        get("backend", "evil", "ssl_ca_cert"),
        s(&format!(
            "-----BEGIN CERTIFICATE-----\n$(touch {m})\n'; touch {m}; echo '\n`touch {m}`\n-----END CERTIFICATE-----\n"
        ))
    );
    assert_eq!(
        get("backend", "evil", "share_key"),
        s(&format!("k'ey\"$(touch {m})`touch {m}`"))
    );
    assert_eq!(
        get("backend", "evil_too", "share_key"),
        s("-rf --no-preserve-root")
    );
    assert_eq!(
        get("backend", "evil_too", "override_host"),
        s("--override-host=x")
    );
    assert_eq!(
        get("healthcheck", "evil", "path"),
        s(&format!(
            "/health?q='$(touch${{IFS}}{m})'&b=`touch${{IFS}}{m}`"
        ))
    );
    assert_eq!(
        get("healthcheck", "evil", "host"),
        s(&format!("h'ost\"$(touch {m})"))
    );
    assert_eq!(
        get("healthcheck", "evil", "headers"),
        serde_json::json!([
            format!("X-Evil: '; touch {m}; echo '"),
            format!("X-Quote: \"`touch {m}`\" $HOME")
        ])
    );
}

/// The service of the hostile runs. A hostile service id is refused by the command before
/// anything is written, and the library quotes one all the same (both in tests/injection.rs).
fn hostile_target(_dir: &TempDir) -> ServiceVersion {
    ServiceVersion {
        service_id: Some("SVC2hostile".into()),
        version: Some(2),
    }
}

/// Hostile values reach the API unchanged through the CLI script and its commented curl
/// calls, and nothing in them runs.
#[test]
#[ignore = "needs npm, bash and curl: run with --ignored"]
fn hostile_values_reach_the_api_unchanged_through_the_real_cli() {
    let dir = TempDir::new("hostile-cli");
    let vcl = fixture(&dir, "hostile.vcl");
    check_fastly_cli(&dir, &vcl, &hostile_target(&dir));
    assert_eq!(pwned_files(&dir), Vec::<String>::new(), "a value executed");
}

/// The same through the curl script.
#[test]
#[ignore = "needs bash and curl: run with --ignored"]
fn hostile_values_reach_the_api_unchanged_through_curl() {
    let dir = TempDir::new("hostile-curl");
    let vcl = fixture(&dir, "hostile.vcl");
    check_curl(&dir, &vcl, &hostile_target(&dir));
    check_curl(&dir, &vcl, &ServiceVersion::default());
    assert_eq!(pwned_files(&dir), Vec::<String>::new(), "a value executed");
}

// ---------------------------------------------------------------------------------------------
// The fake API itself (plain `cargo test`)

/// Sends `request` to `api` as it is and returns the reply.
fn raw_request(api: &FakeApi, request: &str) -> String {
    let address = api.endpoint().trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(address).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    reply
}

fn reply_json(reply: &str) -> Value {
    assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
    let (_, body) = reply.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap()
}

#[test]
fn the_fake_api_records_forms_with_every_repeated_key() {
    let api = FakeApi::start();
    let body = "name=F%C3%A9+x&headers=A%3A+1&headers=B%3A+2&empty=&bare&&pct=100%25%2x";
    let reply = raw_request(
        &api,
        &format!(
            "POST /service/S%27V/version/3/healthcheck HTTP/1.1\r\nHost: x\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    let reply = reply_json(&reply);
    assert_eq!(reply["name"], "F\u{e9} x");
    assert_eq!(reply["service_id"], "S'V");
    assert_eq!(reply["version"], 3);
    let requests = api.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/service/S%27V/version/3/healthcheck");
    assert_eq!(r.form["headers"], "B: 2");
    assert_eq!(r.form_all["headers"], ["A: 1", "B: 2"]);
    assert_eq!(r.form["empty"], "");
    assert_eq!(r.form["bare"], "");
    assert_eq!(r.form["pct"], "100%%2x");
    assert_eq!(r.form.len(), 5);
}

#[test]
fn the_fake_api_reads_chunked_bodies_and_answers_like_the_api() {
    let api = FakeApi::start();
    let reply = raw_request(
        &api,
        "PUT /service/SVC/version/1/backend/a%20b HTTP/1.1\r\nHost: x\r\n\
         Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n\
         4\r\nuse_\r\n5\r\nssl=1\r\n0\r\n\r\n",
    );
    let reply = reply.strip_prefix("HTTP/1.1 100 Continue\r\n\r\n").unwrap();
    assert_eq!(reply_json(reply)["use_ssl"], "1");
    let versions = reply_json(&raw_request(
        &api,
        "GET /service/SVC/version HTTP/1.1\r\nHost: x\r\n\r\n",
    ));
    assert_eq!(versions[0]["number"], 1);
    assert_eq!(versions[0]["service_id"], "SVC");
    let version = reply_json(&raw_request(
        &api,
        "GET /service/SVC/version/7 HTTP/1.1\r\nHost: x\r\n\r\n",
    ));
    assert_eq!(version["number"], 7);
    assert_eq!(version["locked"], false);
    let deleted = reply_json(&raw_request(
        &api,
        "DELETE /service/SVC/version/1/backend/x HTTP/1.1\r\nHost: x\r\n\r\n",
    ));
    assert_eq!(deleted["status"], "ok");
    let requests = api.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[0].form_all["use_ssl"], ["1"]);
    assert_eq!(requests[0].path, "/service/SVC/version/1/backend/a%20b");
}

#[test]
fn commented_curls_are_uncommented_into_a_script() {
    let script =
        "fastly x \\\n  --y=1\n# curl -X PUT \"u\" \\\n#   -d 'a=1'\n# not curl\nfastly z\n";
    assert_eq!(
        commented_curls(script),
        "#!/usr/bin/env bash\nset -euo pipefail\ncurl -X PUT \"u\" \\\n  -d 'a=1'\nnot curl\n"
    );
}
