//! Snapshot tests over `fixtures/generate`: the VCL and the placed diagnostics of every valid
//! API document, the diagnostics of every bad one, and the VCL read back by `parse`.

use std::path::Path;

use vcl_backend::api_json::{self, SpanIndex};
use vcl_backend::diagnostic::{self, Diagnostic, render};
use vcl_backend::generate::{Generated, Options, auto_loadbalanced, generate, vcl_ident};
use vcl_backend::lower::parse_config;
use vcl_backend::model::ObjectKind;
use vcl_backend::model::{Backend, Config, Director};
use vcl_backend::source::SourceFile;

/// The service ID every fixture is generated with.
const SERVICE_ID: &str = "SU1Z0isxPaozGVKXdv0eY";

/// The healthchecks given beside `backends_for_healthchecks.json`, as `--healthchecks` does.
const HEALTHCHECKS_ONLY: &str = "healthchecks_only.json";
const BACKENDS_FOR_HEALTHCHECKS: &str = "backends_for_healthchecks.json";
/// The directors given beside `backends_for_directors.json`, as `--directors` does.
const DIRECTORS_ONLY: &str = "directors_only.json";
const BACKENDS_FOR_DIRECTORS: &str = "backends_for_directors.json";
/// The conditions given beside `backends_for_conditions.json`, as `--conditions` does.
const CONDITIONS_ONLY: &str = "conditions_only.json";
const BACKENDS_FOR_CONDITIONS: &str = "backends_for_conditions.json";

/// The side file read with a main input, and as what.
fn side_file(path: &Path) -> Option<(&'static str, ObjectKind)> {
    let name = path.file_name()?;
    if name == BACKENDS_FOR_HEALTHCHECKS {
        Some((HEALTHCHECKS_ONLY, ObjectKind::Healthcheck))
    } else if name == BACKENDS_FOR_DIRECTORS {
        Some((DIRECTORS_ONLY, ObjectKind::Director))
    } else if name == BACKENDS_FOR_CONDITIONS {
        Some((CONDITIONS_ONLY, ObjectKind::Condition))
    } else {
        None
    }
}

/// Read with its main input, not on its own.
fn is_side_file(path: &Path) -> bool {
    let name = path.file_name().unwrap();
    name == HEALTHCHECKS_ONLY || name == DIRECTORS_ONLY || name == CONDITIONS_ONLY
}

fn source(path: &Path) -> SourceFile {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let (file, utf8) = SourceFile::from_bytes(name, std::fs::read(path).unwrap());
    assert!(utf8.is_empty(), "{}: not UTF-8", path.display());
    file
}

fn options() -> Options {
    Options {
        service_id: Some(SERVICE_ID.into()),
        strict: false,
        ..Default::default()
    }
}

/// One input document: its text, what it was read as, and what reading it reported.
struct Input {
    file: SourceFile,
    kind: ObjectKind,
    shape: Option<api_json::Shape>,
    diagnostics: Vec<Diagnostic>,
}

impl Input {
    fn read(path: &Path, kind: ObjectKind) -> (Self, Config) {
        let file = source(path);
        let (config, shape, diagnostics) = match api_json::read(&file, kind) {
            Ok((config, shape)) => (config, Some(shape), Vec::new()),
            Err(diagnostics) => (Config::default(), None, diagnostics),
        };
        let input = Input {
            file,
            kind,
            shape,
            diagnostics,
        };
        (input, config)
    }

    fn index(&self) -> Option<SpanIndex> {
        SpanIndex::build(&self.file, self.shape?, self.kind).ok()
    }

    /// The diagnostics in the order the command prints them.
    fn rendered(&self) -> String {
        let mut sorted = self.diagnostics.clone();
        diagnostic::sort(&mut sorted);
        sorted
            .iter()
            .map(|d| render(d, &self.file, false, 100))
            .collect()
    }
}

/// Reads `path` (and, for the `--healthchecks` and `--directors` pairs, the file beside it),
/// generates, and places every finding in the document it is about.
fn run(path: &Path) -> (Generated, Vec<Input>) {
    let (mut main, mut config) = Input::read(path, ObjectKind::Backend);
    let (own_healthchecks, own_directors, own_conditions) = (
        config.healthchecks.len(),
        config.directors.len(),
        config.conditions.len(),
    );
    let mut inputs = Vec::new();
    if let Some((side, kind)) = side_file(path) {
        let (extra, more) = Input::read(&path.with_file_name(side), kind);
        assert!(extra.diagnostics.is_empty(), "{side} does not read");
        config.healthchecks.extend(more.healthchecks);
        config.directors.extend(more.directors);
        config.conditions.extend(more.conditions);
        inputs.push(extra);
    }
    if !main.diagnostics.is_empty() {
        return (Generated::default(), vec![main]);
    }
    let generated = generate(&config, &options());
    let main_index = main.index();
    let extra_index = inputs.first().and_then(Input::index);
    for finding in &generated.findings {
        let t = &finding.target;
        let own = match t.kind {
            ObjectKind::Healthcheck => own_healthchecks,
            ObjectKind::Director => own_directors,
            ObjectKind::Condition => own_conditions,
            ObjectKind::Backend => usize::MAX,
        };
        match inputs.first_mut() {
            Some(extra) if t.kind == extra.kind && t.index >= own => {
                let mut local = finding.clone();
                local.target.index -= own;
                extra
                    .diagnostics
                    .push(api_json::place(&local, extra_index.as_ref()));
            }
            _ => main
                .diagnostics
                .push(api_json::place(finding, main_index.as_ref())),
        }
    }
    inputs.insert(0, main);
    (generated, inputs)
}

fn all_diagnostics(inputs: &[Input]) -> impl Iterator<Item = &Diagnostic> {
    inputs.iter().flat_map(|i| &i.diagnostics)
}

#[test]
fn valid_documents_generate_vcl() {
    insta::glob!("../fixtures/generate", "ok/*.json", |path| {
        if is_side_file(path) {
            // Read with its backends, in `backends_for_*.json`.
            return;
        }
        let (generated, inputs) = run(path);
        let rendered: String = inputs
            .iter()
            .map(|i| format!("=== {} ===\n{}", i.file.name, i.rendered()))
            .collect();
        assert!(
            !generated.has_errors() && !all_diagnostics(&inputs).any(Diagnostic::is_error),
            "{}: unexpected errors:\n{rendered}",
            path.display()
        );
        for d in all_diagnostics(&inputs) {
            assert!(
                !d.labels.is_empty(),
                "{}: {} has no label",
                path.display(),
                d.code
            );
        }
        insta::assert_snapshot!(format!(
            "{}\n--- recv ---\n{}\n--- diagnostics ---\n{rendered}",
            generated.vcl, generated.recv
        ));
    });
}

#[test]
fn bad_documents_report_located_errors() {
    insta::glob!("../fixtures/generate", "err/*.json", |path| {
        let (generated, inputs) = run(path);
        assert!(
            generated.vcl.is_empty(),
            "{}: VCL despite errors",
            path.display()
        );
        assert!(
            all_diagnostics(&inputs).any(Diagnostic::is_error),
            "{} reports no error",
            path.display()
        );
        for d in all_diagnostics(&inputs) {
            assert!(
                !d.labels.is_empty(),
                "{}: {} has no label",
                path.display(),
                d.code
            );
        }
        let rendered: String = inputs.iter().map(Input::rendered).collect();
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn many_errors_reports_every_problem() {
    let (_, inputs) = run(Path::new("fixtures/generate/err/many_errors.json"));
    let mut codes: Vec<&str> = all_diagnostics(&inputs).map(|d| d.code).collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            "generate::missing-field",
            "generate::missing-field",
            "generate::name-collision",
            "generate::out-of-range",
            "generate::out-of-range",
            "generate::unknown-healthcheck",
            "generate::unrepresentable-string",
        ]
    );
    assert!(all_diagnostics(&inputs).all(Diagnostic::is_error));
}

#[test]
fn malformed_json_is_located_at_the_missing_comma() {
    let (_, inputs) = run(Path::new("fixtures/generate/err/malformed_json.json"));
    let [d] = &inputs[0].diagnostics[..] else {
        panic!("expected one diagnostic: {:?}", inputs[0].diagnostics);
    };
    assert_eq!(d.code, "json::syntax");
    let span = d.primary_span().unwrap();
    // serde_json stops at the `"port"` key that follows the value without a comma.
    assert_eq!(inputs[0].file.line_col(span.start), (5, 5));
}

#[test]
fn generated_vcl_parses_back_to_the_same_backends() {
    insta::glob!("../fixtures/generate", "ok/*.json", |path| {
        if is_side_file(path) {
            return;
        }
        let (generated, _) = run(path);
        let lowered = parse_config(&generated.vcl);
        let errors: Vec<_> = lowered
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: the generated VCL does not parse: {errors:#?}\n{}",
            path.display(),
            generated.vcl
        );
        let file = source(path);
        let (config, _) = api_json::read(&file, ObjectKind::Backend).unwrap();
        assert_eq!(
            lowered.config.backends.len(),
            config.backends.len(),
            "{}",
            path.display()
        );
        for (given, back) in config.backends.iter().zip(&lowered.config.backends) {
            same_values(path, given, back);
        }
        let directors = match side_file(path) {
            Some((side, ObjectKind::Director)) => {
                let file = source(&path.with_file_name(side));
                api_json::read(&file, ObjectKind::Director)
                    .unwrap()
                    .0
                    .directors
            }
            _ => config.directors,
        };
        same_directors(path, &directors, &lowered.config.directors);
        same_weights(path, &config.backends, &directors, &lowered.config.backends);
    });
}

/// A director's members, each once (a member listed twice is printed once).
fn members_once(d: &Director) -> Vec<&str> {
    let mut once: Vec<&str> = Vec::new();
    for m in d.backends.iter().flatten() {
        if !once.contains(&m.as_str()) {
            once.push(m);
        }
    }
    once
}

/// A backend some director prints comes back with its weight (100 when it had none), and an
/// auto-load-balanced one with `auto_loadbalance: true`; the others with neither.
fn same_weights(path: &Path, given: &[Backend], directors: &[Director], back: &[Backend]) {
    for (b, got) in given.iter().zip(back) {
        let name = b.name.as_deref().unwrap();
        let member = directors
            .iter()
            .any(|d| d.backends.iter().flatten().any(|m| m == name));
        let auto = auto_loadbalanced(b);
        let weight = (member || auto).then(|| b.weight.unwrap_or(100));
        assert_eq!(got.weight, weight, "{} `{name}`", path.display());
        assert_eq!(
            got.auto_loadbalance,
            auto.then_some(true),
            "{} `{name}`",
            path.display()
        );
    }
}

/// Every director comes back as the VCL carries it: its sanitised name, its type, its quorum
/// and (random only) retries, the API's defaults where absent, and its members' names.
fn same_directors(path: &Path, given: &[Director], back: &[Director]) {
    // A director without members is left out (Fastly's compiler refuses one).
    let expected: Vec<Director> = given
        .iter()
        .filter(|d| d.backends.as_ref().is_some_and(|m| !m.is_empty()))
        .map(|d| {
            let kind = d.kind.unwrap_or(1);
            let sanitised = |name: &str| vcl_ident(name)[2..].to_string();
            Director {
                name: d.name.as_deref().map(sanitised),
                kind: Some(kind),
                quorum: Some(d.quorum.unwrap_or(75)),
                retries: (kind == 1).then(|| d.retries.unwrap_or(5)),
                backends: Some(members_once(d).into_iter().map(sanitised).collect()),
                ..Director::default()
            }
        })
        .collect();
    assert_eq!(back, expected, "{}", path.display());
}

/// Every value of `given` that the VCL carries comes back from `parse` unchanged (the name as
/// its sanitised form, since the VCL identifier is all that is left of it).
fn same_values(path: &Path, given: &Backend, back: &Backend) {
    let ident = vcl_ident(given.name.as_deref().unwrap());
    assert_eq!(
        format!("F_{}", back.name.as_deref().unwrap()),
        ident,
        "{}",
        path.display()
    );
    let given_json = serde_json::to_value(given).unwrap();
    let back_json = serde_json::to_value(back).unwrap();
    let tls = given.use_ssl == Some(true);
    let mut fields = vec![
        "address",
        "port",
        "override_host",
        "connect_timeout",
        "first_byte_timeout",
        "between_bytes_timeout",
        "fetch_timeout",
        "keepalive_time",
        "max_conn",
        "prefer_ipv6",
        "share_key",
    ];
    if tls {
        fields.extend([
            "use_ssl",
            "ssl_check_cert",
            "ssl_cert_hostname",
            "ssl_sni_hostname",
            "ssl_hostname",
            "ssl_ca_cert",
            "ssl_client_cert",
            "ssl_client_key",
            "ssl_ciphers",
            "min_tls_version",
            "max_tls_version",
        ]);
    }
    for field in fields {
        let value = &given_json[field];
        if value.is_null() || value == "" || (field == "prefer_ipv6" && value == false) {
            continue;
        }
        assert_eq!(
            &back_json[field],
            value,
            "{} {ident}: `{field}` does not come back",
            path.display()
        );
    }
    if let Some(n) = given.error_threshold.filter(|&n| n != 0) {
        assert_eq!(back.error_threshold, Some(n), "{} {ident}", path.display());
    }
}

/// Generates one in-memory document, for the cases below that need no fixture file.
fn generate_text(json: &str) -> Generated {
    let file = SourceFile::new("inline.json", json);
    let (config, _) = api_json::read(&file, ObjectKind::Backend).unwrap();
    generate(&config, &options())
}

#[test]
fn whole_object_type_error_names_a_clean_path() {
    let file = SourceFile::new("inline.json", "[42]");
    let diagnostics = api_json::read(&file, ObjectKind::Backend).unwrap_err();
    let message = &diagnostics[0].message;
    assert!(message.contains("([0])"), "{message}");
    assert!(!message.contains(".."), "{message}");
}

#[test]
fn wrong_shape_is_not_called_malformed() {
    for json in [
        r#"{"backends": {}}"#,
        r#"{"backends": [], "healthchecks": 5}"#,
    ] {
        let file = SourceFile::new("inline.json", json);
        let diagnostics = api_json::read(&file, ObjectKind::Backend).unwrap_err();
        assert_ne!(diagnostics[0].code, "json::syntax", "{json}");
        assert!(
            !diagnostics[0].message.contains("malformed"),
            "{json}: {}",
            diagnostics[0].message
        );
    }
}

#[test]
fn line_breaks_in_probe_request_parts_are_errors() {
    let generated = generate_text(
        r#"{"backends": [{"name": "a", "address": "a.example.com", "healthcheck": "h"}],
            "healthchecks": [{"name": "h", "host": "a.example.com",
                              "headers": ["X-A: 1\r\nX-Injected: 2"]}]}"#,
    );
    assert!(generated.has_errors(), "{}", generated.vcl);
    assert!(generated.vcl.is_empty());
}

#[test]
fn probe_request_line_with_a_space_is_reported() {
    let generated = generate_text(
        r#"{"backends": [{"name": "a", "address": "a.example.com", "healthcheck": "h"}],
            "healthchecks": [{"name": "h", "host": "a.example.com", "path": "/status page"}]}"#,
    );
    // Written as Fastly would write it, but never silently: the probe cannot read back.
    let codes: Vec<_> = generated
        .findings
        .iter()
        .map(|f| f.diagnostic.code)
        .collect();
    assert_eq!(codes, ["generate::malformed-probe-request"]);
    assert!(generated.vcl.contains("\"HEAD /status page HTTP/1.1\""));
}
