//! The real Fastly CLI test (issue 8): `migrate --to fastly-cli` run by the real `fastly`
//! (v16.1.0, through `../shared/tools/with-fastly-cli`) against a loopback fake of the API
//! must build, per backend and healthcheck, exactly the fields of `migrate --to json` that the
//! CLI can carry, and the report must name every field it cannot. `migrate --to curl`, run
//! against the same fake API, must carry every field. Hostile values must reach the API
//! unchanged and execute nothing.
//!
//! "Carried" is judged as the API would hold the object: the POST's form merged with any later
//! PUT of the same object, then the API's defaults for what was not sent (`use_ssl` from port
//! 443, `ssl_check_cert` true) and `override_host=''` taken as absent.
//!
//! Needs bash, curl, python3 and npm (the CLI is installed from npm on first use), and the
//! workplace's `shared/tools` beside the repository. CI has them; without them the tests fail
//! and say what is missing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

mod support;
use support::TempDir;

type Form = BTreeMap<String, String>;

/// What every fixture's `/tmp/pwned` is replaced with: a path in the test's own directory.
const MARKER: &str = "/tmp/pwned";

// ---------------------------------------------------------------------------------------------
// The environment

/// The workplace's shared tools: `$VCL_BACKEND_SHARED_TOOLS`, else `shared/tools` beside the
/// repository, else the workplace's fixed place (a clone elsewhere still finds them).
fn tools() -> PathBuf {
    let candidates = [
        std::env::var_os("VCL_BACKEND_SHARED_TOOLS").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools")),
        Some(PathBuf::from("/work/shared/tools")),
    ];
    let dir = candidates
        .into_iter()
        .flatten()
        .find(|d| d.join("with-fastly-cli").is_file())
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools"));
    for tool in ["with-fastly-cli", "fake-fastly-api.py"] {
        assert!(
            dir.join(tool).is_file(),
            "the real Fastly CLI test needs {} (the workplace's shared/tools, beside the \
             repository); CI has it",
            dir.join(tool).display()
        );
    }
    for program in ["bash", "curl", "python3", "npm"] {
        assert!(
            on_path(program),
            "the real Fastly CLI test needs `{program}` on PATH (npm installs the Fastly CLI, \
             python3 runs the fake API); CI has it"
        );
    }
    dir
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(program).is_file()))
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
struct Target {
    service_id: Option<String>,
    version: Option<u32>,
}

impl Target {
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

fn migrate(vcl: &Path, to: &str, target: &Target) -> Migrated {
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

/// `migrate --to json`: `(kind, name) -> fields`, healthchecks first.
fn expected_objects(vcl: &Path) -> Vec<(String, String, Map<String, Value>)> {
    let json: Value = serde_json::from_str(&migrate(vcl, "json", &Target::default()).text).unwrap();
    let mut objects = Vec::new();
    for (list, kind) in [("healthchecks", "healthcheck"), ("backends", "backend")] {
        for o in json[list].as_array().unwrap() {
            let o = o.as_object().unwrap().clone();
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

// ---------------------------------------------------------------------------------------------
// Running scripts against the fake API

struct Request {
    method: String,
    path: String,
    form: Form,
}

fn read_record(path: &Path) -> Vec<Request> {
    let text = fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            let form = v["form"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
            Request {
                method: v["method"].as_str().unwrap().to_string(),
                path: v["path"].as_str().unwrap().to_string(),
                form,
            }
        })
        .collect()
}

/// Runs `script` with the real Fastly CLI against a fresh fake API; its requests.
fn run_with_cli(dir: &TempDir, script: &str, tag: &str) -> Vec<Request> {
    let path = dir.join(format!("{tag}.sh"));
    fs::write(&path, script).unwrap();
    let record = dir.join(format!("{tag}.jsonl"));
    let out = Command::new(tools().join("with-fastly-cli"))
        .arg("--record")
        .arg(&record)
        .args(["--", "bash"])
        .arg(&path)
        .current_dir(dir.path())
        .env("FASTLY_SERVICE_ID", "SVC")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    check_output(&format!("with-fastly-cli -- bash {}", path.display()), &out);
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
    read_record(&record)
}

/// The fake API on its own (for the curl scripts), stopped when dropped.
struct FakeApi {
    child: Child,
    port: String,
    record: PathBuf,
}

impl FakeApi {
    fn start(dir: &TempDir, tag: &str) -> FakeApi {
        let record = dir.join(format!("{tag}.jsonl"));
        let port_file = dir.join(format!("{tag}.port"));
        // A run before this one in the same directory left its port behind.
        let _ = fs::remove_file(&port_file);
        let _ = fs::remove_file(&record);
        let child = Command::new("python3")
            .arg(tools().join("fake-fastly-api.py"))
            .arg(&record)
            .arg("--port-file")
            .arg(&port_file)
            .args(["--lifetime", "300"])
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let mut api = FakeApi {
            child,
            port: String::new(),
            record,
        };
        let start = Instant::now();
        while api.port.is_empty() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the fake API did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
            api.port = fs::read_to_string(&port_file).unwrap_or_default();
        }
        api
    }
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a curl script against a fresh fake API; its requests.
fn run_with_curl(dir: &TempDir, script: &str, tag: &str) -> Vec<Request> {
    let api = FakeApi::start(dir, tag);
    let path = dir.join(format!("{tag}.sh"));
    fs::write(&path, script).unwrap();
    let out = Command::new("bash")
        .arg(&path)
        .current_dir(dir.path())
        .env(
            "FASTLY_API_ENDPOINT",
            format!("http://127.0.0.1:{}", api.port),
        )
        .env("FASTLY_API_TOKEN", "x")
        .env("FASTLY_SERVICE_ID", "SVC")
        .env("FASTLY_SERVICE_VERSION", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    check_output(&format!("bash {}", path.display()), &out);
    read_record(&api.record)
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

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// The objects the API would hold: `(kind, name) -> form`, POST creating and PUT merging; and
/// the order of creation. Checks every write names the expected service and version.
#[derive(Default)]
struct Api {
    objects: BTreeMap<(String, String), Form>,
    created: Vec<(String, String)>,
}

impl Api {
    fn apply(&mut self, requests: &[Request], target: &Target, puts_allowed: bool) {
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
            assert!(kind == "backend" || kind == "healthcheck", "{}", r.path);
            match (r.method.as_str(), parts.len()) {
                ("POST", 5) => {
                    let name = r
                        .form
                        .get("name")
                        .expect("a create names its object")
                        .clone();
                    let key = (kind, name);
                    assert!(!self.objects.contains_key(&key), "{key:?} created twice");
                    self.objects.insert(key.clone(), r.form.clone());
                    self.created.push(key);
                }
                ("PUT", 6) if puts_allowed => {
                    let key = (kind, percent_decode(parts[5]));
                    let object = self
                        .objects
                        .get_mut(&key)
                        .unwrap_or_else(|| panic!("PUT {} before its create", r.path));
                    object.extend(r.form.clone());
                }
                _ => panic!("unexpected request {} {}", r.method, r.path),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing with the JSON

/// Whether the API got `json` for a field as `sent`. Booleans arrive as `1`/`0` (or
/// `true`/`false`, as the CLI sends `tcp_keepalive_enable`).
fn same(json: &Value, sent: &str) -> bool {
    match json {
        Value::String(s) => s == sent,
        Value::Number(n) => n.to_string() == sent,
        Value::Bool(true) => sent == "1" || sent == "true",
        Value::Bool(false) => sent == "0" || sent == "false",
        // `headers` is sent as one repeated key per header, and the fake API keeps only the
        // last value of a repeated key: only the last header can be checked against it.
        Value::Array(items) => items.last().and_then(Value::as_str) == Some(sent),
        _ => false,
    }
}

/// What the API holds for a field the requests did not send, where the test knows it
/// (docs/design.md §9).
fn api_default(kind: &str, field: &str, form: &Form) -> Option<Value> {
    match (kind, field) {
        // "Setting port to 80 or 443 will also set use_ssl automatically"; otherwise false.
        ("backend", "use_ssl") => Some(Value::Bool(
            form.get("port").map(String::as_str) == Some("443"),
        )),
        ("backend", "ssl_check_cert") => Some(Value::Bool(true)),
        ("backend", "error_threshold") => Some(Value::from(0)),
        _ => None,
    }
}

/// A field sent although the JSON has none: only `override_host=''`, which the API takes as
/// no override (the CLI needs it to invent none).
fn same_as_absent(kind: &str, field: &str, sent: &str) -> bool {
    kind == "backend" && field == "override_host" && sent.is_empty()
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
fn check_fastly_cli(dir: &TempDir, vcl: &Path, target: &Target) {
    let expected = expected_objects(vcl);
    let migrated = migrate(vcl, "fastly-cli", target);
    let script = &migrated.text;
    assert!(script.starts_with("#!/usr/bin/env bash\n"), "{script}");
    assert!(script.contains("\nset -euo pipefail\n"), "{script}");
    let requests = run_with_cli(dir, script, &unique("fastly-cli"));
    let mut api = Api::default();
    api.apply(&requests, target, true);
    let problems = compare(&expected, &api, &Expect::CarriedOrReported(&migrated.notes));
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
fn check_curl(dir: &TempDir, vcl: &Path, target: &Target) {
    let expected = expected_objects(vcl);
    let migrated = migrate(vcl, "curl", target);
    let script = &migrated.text;
    assert!(script.starts_with("#!/usr/bin/env bash\n"), "{script}");
    assert!(script.contains("\nset -euo pipefail\n"), "{script}");
    let requests = run_with_curl(dir, script, &unique("curl"));
    let mut api = Api::default();
    // curl creates each object in one POST: no PUT.
    api.apply(&requests, target, false);
    let problems = compare(&expected, &api, &Expect::Carried { defaults: false });
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

fn check_fixture(name: &str) {
    let dir = TempDir::new(name.trim_end_matches(".vcl"));
    let vcl = fixture(&dir, name);
    check_fastly_cli(&dir, &vcl, &Target::default());
    check_curl(&dir, &vcl, &Target::default());
}

#[test]
fn services_through_the_real_cli_and_curl() {
    check_fixture("services.vcl");
}

#[test]
fn generated_format_through_the_real_cli_and_curl() {
    check_fixture("generated.vcl");
}

#[test]
fn varnish_through_the_real_cli_and_curl() {
    check_fixture("varnish.vcl");
}

#[test]
fn hostile_through_the_real_cli_and_curl() {
    check_fixture("hostile.vcl");
}

/// The hand-written shapes of issue 18: what `--to json` holds reaches the API through the
/// real CLI and curl, healthcheck names included (distinct, each backend on its own probe's).
#[test]
fn hand_written_shapes_through_the_real_cli_and_curl() {
    for name in [
        "dummy_probes.vcl",
        "host_header.vcl",
        "probe_name_collision.vcl",
        "director_anonymous.vcl",
        "placeholders.vcl",
        "url_probes.vcl",
    ] {
        check_fixture(name);
    }
}

#[test]
fn an_explicit_service_and_version_are_used() {
    let dir = TempDir::new("target");
    let vcl = fixture(&dir, "services.vcl");
    let target = Target {
        service_id: Some("SrvId42".into()),
        version: Some(4),
    };
    check_fastly_cli(&dir, &vcl, &target);
    check_curl(&dir, &vcl, &target);
    let script = migrate(&vcl, "fastly-cli", &target).text;
    assert!(script.contains("--service-id='SrvId42'"), "{script}");
    assert!(!script.contains("--autoclone"), "{script}");
    assert!(!script.contains("FASTLY_SERVICE_ID"), "{script}");
}

/// The fastly-cli script knows the CLI's surprises: no host field invented, TLS on 8443 by
/// an update, plain HTTP on 443 reported, every value joined to its flag.
#[test]
fn the_cli_surprises_are_handled() {
    let dir = TempDir::new("surprises");
    let vcl = fixture(&dir, "services.vcl");
    let migrated = migrate(&vcl, "fastly-cli", &Target::default());
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

/// Hostile values reach the API unchanged, through the CLI script, its commented curl calls
/// and the curl script, and nothing in them runs.
#[test]
fn hostile_values_reach_the_api_unchanged_and_execute_nothing() {
    let dir = TempDir::new("hostile");
    let vcl = fixture(&dir, "hostile.vcl");
    let m = marker(&dir);

    // The values are as hostile as intended.
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

    // A hostile service id is refused before anything is written (docs/design.md §11; the
    // library quotes one all the same: tests/injection.rs).
    let hostile_id = format!("S'V\"C $(touch${{IFS}}{m}-id) `touch {m}-id`");
    let out = Command::new(env!("CARGO_BIN_EXE_vcl-backend"))
        .arg("migrate")
        .arg(&vcl)
        .args(["--to", "fastly-cli", "--service-id", &hostile_id])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let target = Target {
        service_id: Some("SVC2hostile".into()),
        version: Some(2),
    };
    check_fastly_cli(&dir, &vcl, &target);
    check_curl(&dir, &vcl, &target);
    check_curl(&dir, &vcl, &Target::default());
    assert_eq!(pwned_files(&dir), Vec::<String>::new(), "a value executed");
}
