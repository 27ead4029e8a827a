//! `vcl-backend generate` as a user runs it: streams, exit codes, `-o`, `--strict`,
//! `--healthchecks`, `--service-id`, JSON diagnostics, and `parse | generate` round trips.

use vcl_backend::api_json;
use vcl_backend::generate::{Options, generate};
use vcl_backend::model::ObjectKind;
use vcl_backend::source::SourceFile;

const OK: &str = "fixtures/generate/ok";
const ERR: &str = "fixtures/generate/err";
const SERVICE_ID: &str = "SU1Z0isxPaozGVKXdv0eY";

fn ok(name: &str) -> String {
    format!("{OK}/{name}")
}

fn err(name: &str) -> String {
    format!("{ERR}/{name}")
}

/// What the library generates for a fixture, with the fixtures' service ID.
fn library_vcl(path: &str) -> String {
    let (file, _) = SourceFile::from_bytes(path, std::fs::read(path).unwrap());
    let (config, _) = api_json::read(&file, ObjectKind::Backend).unwrap();
    let options = Options {
        service_id: Some(SERVICE_ID.into()),
        strict: false,
        ..Default::default()
    };
    let generated = generate(&config, &options);
    assert!(!generated.has_errors());
    generated.vcl
}

mod support;
use support::{TempDir, run_cli as run, text};

/// The names in a directory, sorted.
fn entries(dir: &TempDir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The `backend` blocks of a VCL file, from `backend ` to the `}` at column 0, byte for byte.
fn backend_blocks(vcl: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in vcl.split_inclusive('\n') {
        inside |= line.starts_with("backend ");
        if inside {
            out.push_str(line);
            inside = line.trim_end_matches(['\n', '\r']) != "}";
        }
    }
    out
}

#[test]
fn prints_vcl_on_stdout_and_exits_0() {
    let path = ok("api_list_tls_and_plain.json");
    let out = run(&["generate", &path, "--service-id", SERVICE_ID], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), library_vcl(&path));
    assert!(text(&out.stdout).starts_with("backend F_App_Origin {\n"));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("3 backends generated"), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "colour on a pipe: {stderr}");
}

#[test]
fn reads_stdin() {
    let path = ok("config_with_healthchecks.json");
    let input = std::fs::read(&path).unwrap();
    let out = run(&["generate", "-", "--service-id", SERVICE_ID], Some(&input));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), library_vcl(&path));
    assert!(text(&out.stderr).contains("<stdin>: 4 backends generated"));
}

#[test]
fn directors_file_supplies_the_directors() {
    let backends = ok("backends_for_directors.json");
    let directors = ok("directors_only.json");
    let args = [
        "generate",
        &backends,
        "--directors",
        &directors,
        "--service-id",
        SERVICE_ID,
    ];
    let out = run(&args, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let vcl = text(&out.stdout);
    assert_eq!(vcl.matches("backend F_").count(), 2, "{vcl}");
    assert!(
        vcl.contains(
            "director F_origins random {\n\n   .quorum = 75%;\n   .retries = 5;\n   {\n    \
             .backend = F_origin_a;\n    .weight  = 70;\n   }{\n    .backend = F_origin_b;\n    \
             .weight  = 30;\n   }\n}\n"
        ),
        "{vcl}"
    );
    // Directors come after every backend.
    assert!(vcl.find("director ").unwrap() > vcl.rfind("backend F_").unwrap());
    // The director's warning points into the directors file, not the backends file.
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("[fixtures/generate/ok/directors_only.json:23:16]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 backends, 2 directors generated"),
        "{stderr}"
    );

    // Without the backends, every member is unknown, and said so in the directors file.
    let out = run(
        &[
            "generate",
            &ok("auto_loadbalance.json"),
            "--directors",
            &directors,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr
            .matches("vcl-backend::generate::unknown-backend")
            .count(),
        3,
        "{stderr}"
    );
    assert!(
        stderr.contains("[fixtures/generate/ok/directors_only.json:3:18]"),
        "{stderr}"
    );
}

/// A directors file holds one director (its `backends` are names), a list, or `{"directors":
/// [...]}`; anything else is said in the directors file's terms.
#[test]
fn directors_file_shapes() {
    let dir = TempDir::new("directors-shapes");
    let backends = ok("backends_for_directors.json");
    let write = |name: &str, json: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, json).unwrap();
        path.to_string_lossy().into_owned()
    };
    let one = write(
        "one.json",
        r#"{"name": "one", "type": 3, "backends": ["origin-a"]}"#,
    );
    let config = write(
        "config.json",
        r#"{"directors": [{"name": "two", "backends": ["origin-b"]}]}"#,
    );
    for (file, printed) in [
        (&one, "director F_one hash {"),
        (&config, "director F_two random {"),
    ] {
        let out = run(
            &[
                "generate",
                &backends,
                "--directors",
                file,
                "--service-id",
                SERVICE_ID,
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(text(&out.stdout).contains(printed), "{}", text(&out.stdout));
    }
    let number = write("number.json", "42");
    let out = run(&["generate", &backends, "--directors", &number], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("expected a director object, a list of them, or {\"directors\": [...]}"),
        "{stderr}"
    );
}

#[test]
fn directors_key_of_the_main_input_is_printed_and_strict_fails_on_their_warnings() {
    let input = ok("director_fields_without_vcl_form.json");
    let out = run(&["generate", &input, "--service-id", SERVICE_ID], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let vcl = text(&out.stdout);
    assert!(
        vcl.contains("director F_noted client {\n\n   .quorum = 60%;\n   {\n"),
        "{vcl}"
    );
    // The director without members is left out, with a warning.
    assert!(!vcl.contains("F_empty"), "{vcl}");
    assert!(text(&out.stderr).contains("vcl-backend::generate::empty-director"));
    let out = run(
        &["generate", &input, "--service-id", SERVICE_ID, "--strict"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn auto_loadbalanced_backends_make_autodirector_last() {
    let out = run(
        &[
            "generate",
            &ok("auto_loadbalance.json"),
            "--service-id",
            SERVICE_ID,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let vcl = text(&out.stdout);
    assert!(
        vcl.ends_with(
            "director autodirector_ random {\n\n   {\n    .backend = F_east;\n    .weight  = 100;\n   \
             }{\n    .backend = F_west;\n    .weight  = 25;\n   }{\n    .backend = F_north;\n    \
             .weight  = 100;\n   }\n}\n"
        ),
        "{vcl}"
    );
    assert!(text(&out.stderr).contains("6 backends, 1 director generated"));
}

#[test]
fn healthchecks_file_supplies_the_probes() {
    let backends = ok("backends_for_healthchecks.json");
    let healthchecks = ok("healthchecks_only.json");
    let out = run(
        &["generate", &backends, "--healthchecks", &healthchecks],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let vcl = text(&out.stdout);
    assert_eq!(vcl.matches("backend F_").count(), 3);
    assert_eq!(
        vcl.matches(
            "        .request = \"GET /ping HTTP/1.1\" \"Host: catalog.example.com\" \
             \"Connection: close\" \"User-Agent: Varnish/fastly (healthcheck)\" \
             \"X-Health-Check: 1\";\n"
        )
        .count(),
        2,
        "{vcl}"
    );
    assert!(vcl.contains("        .interval = 120s;\n"), "{vcl}");
    assert!(!vcl.contains(".dummy"), "{vcl}");
    // The healthcheck's warning points into the healthchecks file, not the backends file.
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("vcl-backend::generate::no-vcl-form")
            && stderr.contains("[fixtures/generate/ok/healthchecks_only.json:26:16]"),
        "{stderr}"
    );

    // Without the healthchecks, every reference is unknown.
    let out = run(&["generate", &backends], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr
            .matches("vcl-backend::generate::unknown-healthcheck")
            .count(),
        3,
        "{stderr}"
    );
}

#[test]
fn service_id_becomes_the_share_key() {
    let backend = br#"{"name": "origin", "address": "origin.example.com", "port": 443}"#;
    let out = run(
        &["generate", "--service-id", "Abc123DefGhi", "-"],
        Some(backend),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let vcl = text(&out.stdout);
    assert!(
        vcl.contains("    .share_key = \"Abc123DefGhi\";\n"),
        "{vcl}"
    );
    assert!(
        vcl.contains("    .ssl = true;\n"),
        "port 443 implies TLS: {vcl}"
    );
    assert!(!text(&out.stderr).contains("warning"));

    // Without it: no share key, and a warning that says how to get one.
    let out = run(&["generate", "-"], Some(backend));
    assert_eq!(out.status.code(), Some(0));
    assert!(!text(&out.stdout).contains(".share_key"));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("vcl-backend::generate::no-share-key") && stderr.contains("--service-id"),
        "{stderr}"
    );

    // The backend's own share_key, then its service_id, win over the option.
    let own = br#"[{"name": "a", "address": "a.example.com", "share_key": "OwnKey1"},
                   {"name": "b", "address": "b.example.com", "service_id": "Svc2"}]"#;
    let out = run(&["generate", "--service-id", "Flag3", "-"], Some(own));
    assert_eq!(out.status.code(), Some(0));
    let vcl = text(&out.stdout);
    assert!(vcl.contains(".share_key = \"OwnKey1\";"), "{vcl}");
    assert!(vcl.contains(".share_key = \"Svc2\";"), "{vcl}");
    assert!(!vcl.contains("Flag3"), "{vcl}");
}

#[test]
fn warnings_exit_0_but_strict_exits_1_with_nothing_on_stdout() {
    let path = ok("every_field.json");
    let out = run(&["generate", &path], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("backend F_Everything_Origin {\n"));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("1 backend, 1 director generated; 11 warnings"),
        "{stderr}"
    );

    let out = run(&["generate", "--strict", &path], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("nothing written; 11 errors"), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn errors_exit_1_and_print_nothing() {
    let out = run(&["generate", &err("many_errors.json")], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    for code in [
        "missing-field",
        "name-collision",
        "out-of-range",
        "unknown-healthcheck",
        "unrepresentable-string",
    ] {
        assert!(
            stderr.contains(&format!("vcl-backend::generate::{code}")),
            "{code} missing:\n{stderr}"
        );
    }
    assert!(stderr.contains("nothing written; 7 errors"), "{stderr}");

    for name in [
        "malformed_json.json",
        "not_an_object.json",
        "wrong_type_port_string.json",
        "nul_in_value.json",
    ] {
        let out = run(&["generate", &err(name)], None);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(out.stdout.is_empty(), "{name}");
    }
}

#[test]
fn output_file_is_written() {
    let dir = TempDir::new("written");
    let target = dir.join("backends.vcl");
    let path = ok("pem_values.json");
    let out = run(&["generate", &path, "-o", target.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        library_vcl(&path)
    );
    assert_eq!(entries(&dir), ["backends.vcl"]);

    // An existing file is replaced.
    let path = ok("odd_names.json");
    let out = run(
        &[
            "generate",
            &path,
            "--service-id",
            SERVICE_ID,
            "--output",
            target.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        library_vcl(&path)
    );
    assert_eq!(entries(&dir), ["backends.vcl"]);
}

#[test]
fn output_file_is_left_alone_on_error() {
    let dir = TempDir::new("kept");
    let target = dir.join("backends.vcl");
    let before = "backend F_keep_me { .host = \"192.0.2.1\"; }\n";
    std::fs::write(&target, before).unwrap();
    let target = target.to_str().unwrap();
    for args in [
        vec![
            "generate",
            "fixtures/generate/err/many_errors.json",
            "-o",
            target,
        ],
        vec![
            "generate",
            "fixtures/generate/err/malformed_json.json",
            "-o",
            target,
        ],
        vec![
            "generate",
            "--strict",
            "fixtures/generate/ok/every_field.json",
            "-o",
            target,
        ],
    ] {
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(std::fs::read_to_string(target).unwrap(), before, "{args:?}");
        assert_eq!(entries(&dir), ["backends.vcl"], "{args:?}");
    }
}

#[test]
fn unreadable_files_exit_2() {
    let out = run(&["generate", "fixtures/generate/no/such.json"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("cannot read fixtures/generate/no/such.json"));

    let out = run(
        &[
            "generate",
            &ok("backends_for_healthchecks.json"),
            "--healthchecks",
            "fixtures/generate/no/healthchecks.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());

    // A directory is not a readable file either.
    let out = run(&["generate", OK], None);
    assert_eq!(out.status.code(), Some(2));

    assert_eq!(run(&["generate"], None).status.code(), Some(2));
}

#[test]
fn json_diagnostics_are_an_array_with_code_line_and_column() {
    let out = run(
        &["--format", "json", "generate", &err("many_errors.json")],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let diagnostics: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    let list = diagnostics.as_array().expect("a JSON array");
    assert_eq!(list.len(), 7);
    for d in list {
        assert!(d["code"].as_str().unwrap().starts_with("vcl-backend::"));
        assert!(d["line"].as_u64().unwrap() >= 1);
        assert!(d["column"].as_u64().unwrap() >= 1);
        assert_eq!(d["severity"], "error");
    }
    insta::assert_json_snapshot!(diagnostics);

    let out = run(
        &["generate", "--format", "json", &err("malformed_json.json")],
        None,
    );
    let diagnostics: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(diagnostics[0]["code"], "vcl-backend::json::syntax");
    assert_eq!(
        (&diagnostics[0]["line"], &diagnostics[0]["column"]),
        (&serde_json::json!(5), &serde_json::json!(5))
    );

    // Clean input: an empty array, and nothing else on stderr.
    let out = run(
        &[
            "generate",
            "--format",
            "json",
            "--service-id",
            SERVICE_ID,
            &ok("api_single_backend.json"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let diagnostics: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(diagnostics, serde_json::json!([]));
}

#[test]
fn cli_go_names_place_warnings_on_their_keys() {
    let export = br#"[
  {
    "Address": "origin.example.com",
    "HealthCheck": "",
    "Name": "Origin",
    "Port": 443,
    "ServiceID": "SU1Z0isxPaozGVKXdv0eY",
    "Shield": "",
    "TCPKeepAliveIntvl": 10,
    "UseSSL": true
  }
]"#;
    let out = run(&["--format", "json", "generate", "-"], Some(export));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("backend F_Origin {"));
    let diagnostics: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    let places: Vec<(String, u64, u64)> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["message"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [(
            "backend `Origin`: `tcp_keepalive_interval` has no place in a backend declaration \
                 and is left out"
                .to_string(),
            9,
            26
        ),]
    );
}

/// `vcl-backend parse FILE | vcl-backend generate [ARGS] -` gives back FILE's backend blocks.
fn round_trip(vcl_path: &str, extra: &[&str]) {
    let parsed = run(&["parse", vcl_path], None);
    assert_eq!(parsed.status.code(), Some(0), "{}", text(&parsed.stderr));
    let mut args = vec!["generate"];
    args.extend_from_slice(extra);
    args.push("-");
    let out = run(&args, Some(&parsed.stdout));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let original = std::fs::read_to_string(vcl_path).unwrap();
    let expected = backend_blocks(&original);
    assert!(!expected.is_empty());
    let generated = text(&out.stdout);
    if generated != expected {
        let line = generated
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{vcl_path}: generated VCL differs from line {}:\n  got:      {:?}\n  expected: {:?}",
            line + 1,
            generated.lines().nth(line),
            expected.lines().nth(line)
        );
    }
    assert!(
        !text(&out.stderr).contains("warning"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn parse_then_generate_reproduces_a_current_dump() {
    round_trip(
        "fixtures/parse/ok/generated_current.vcl",
        &["--service-id", "9rKw2ZcT4bXyLm7NpV1eHd"],
    );
}

#[test]
fn parse_then_generate_reproduces_300_backends() {
    round_trip("fixtures/parse/ok/many_backends.vcl", &[]);
}

#[test]
fn backend_blocks_takes_only_the_declarations() {
    let vcl = "# head\nbackend F_a {\n    .x = 1;\n}\nsub vcl_recv {\n}\nbackend F_b {\n}\n";
    assert_eq!(
        backend_blocks(vcl),
        "backend F_a {\n    .x = 1;\n}\nbackend F_b {\n}\n"
    );
}

#[test]
fn unwritable_output_still_reports_the_warnings() {
    let dir = TempDir::new("unwritable");
    let target = dir.join("no-such-dir").join("backends.vcl");
    let out = run(
        &[
            "generate",
            &ok("every_field.json"),
            "-o",
            target.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert!(
        stderr.contains("vcl-backend::generate::no-vcl-form"),
        "{stderr}"
    );
    assert_eq!(entries(&dir), Vec::<String>::new());
}

/// Every wrong JSON type of an object is reported, each at its value with code and help, not
/// only the first serde meets; in the other objects too, and with Go (CLI) names.
#[test]
fn every_wrong_type_of_an_object_is_reported() {
    let json = r#"{"backends": [
  {"name": "a", "address": 5, "port": "443", "use_ssl": "yes", "max_conn": 1.5},
  {"name": "ok", "address": "fine.example.com", "port": 80},
  {"Name": "go", "Address": "go.example.com", "Port": "80", "UseSSL": 1}
], "healthchecks": [
  {"name": "h", "check_interval": "10s", "headers": "X: 1", "window": true}
]}"#;
    let out = run(
        &["generate", "--format", "json", "-"],
        Some(json.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let diagnostics: Vec<serde_json::Value> = serde_json::from_slice(&out.stderr).unwrap();
    let mut located: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d["code"], "vcl-backend::json::wrong-type", "{d}");
            assert!(d["help"].as_str().is_some_and(|h| !h.is_empty()));
            let start = d["span"]["start"].as_u64().unwrap() as usize;
            let end = d["span"]["end"].as_u64().unwrap() as usize;
            json[start..end].to_string()
        })
        .collect();
    located.sort();
    let mut expected = [
        "5", "\"443\"", "\"yes\"", "1.5", "\"80\"", "1", "\"10s\"", "\"X: 1\"", "true",
    ];
    expected.sort();
    assert_eq!(located, expected);
}

/// `--conditions FILE` gives the conditions backends name: the declarations gain the shield
/// directors, `--recv` prints the routing, and a condition's note points into its file.
#[test]
fn conditions_file_routing_and_recv() {
    let backends = ok("backends_for_conditions.json");
    let conditions = ok("conditions_only.json");
    let base = ["generate", &backends, "--conditions", &conditions];
    let out = run(&base, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let vcl = text(&out.stdout);
    assert!(
        vcl.ends_with(
            "director ssl_shield_lhr_uk shield {\n   .shield = \"lhr-uk\";\n   .is_ssl = true;\n}\n"
        ),
        "{vcl}"
    );
    assert!(!vcl.contains("req.backend"), "{vcl}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("[fixtures/generate/ok/conditions_only.json:5:71]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("5 backends, 2 directors generated"),
        "{stderr}"
    );
    assert!(!stderr.contains("no-vcl-form"), "{stderr}");

    let out = run(&[&base[..], &["--recv"]].concat(), None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let recv = text(&out.stdout);
    assert!(
        recv.starts_with("  declare local var.vcl_backend_do_shield BOOL;\n"),
        "{recv}"
    );
    assert!(!recv.contains("backend F_"), "{recv}");
    // Priority 10 before 20, whatever the input order.
    assert!(recv.find("Prio: 10").unwrap() < recv.find("Prio: 20").unwrap());

    // Without the conditions, each backend's condition is unknown.
    let out = run(&["generate", &backends], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr.matches("generate::unknown-condition").count(),
        3,
        "{stderr}"
    );
}

/// A conditions file is one condition, a list, or `{"conditions": [...]}`; a wrong type is
/// located in it.
#[test]
fn conditions_file_shapes_and_located_errors() {
    let dir = TempDir::new("conditions-shapes");
    let backends = dir.join("backends.json");
    std::fs::write(
        &backends,
        r#"[{"name": "api", "address": "api.example.com", "request_condition": "api"}]"#,
    )
    .unwrap();
    let condition =
        r#"{"name": "api", "statement": "req.url ~ \"^/api\"", "type": "REQUEST", "priority": 3}"#;
    for (name, body) in [
        ("one.json", condition.to_string()),
        ("list.json", format!("[{condition}]")),
        ("config.json", format!("{{\"conditions\": [{condition}]}}")),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, body).unwrap();
        let args = [
            "generate",
            backends.to_str().unwrap(),
            "--conditions",
            path.to_str().unwrap(),
            "--recv",
        ];
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("  # Request Condition: api Prio: 3\n"),
            "{name}"
        );
    }
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"[{"name": "api", "priority": [1]}]"#).unwrap();
    let args = [
        "generate",
        backends.to_str().unwrap(),
        "--conditions",
        bad.to_str().unwrap(),
    ];
    let out = run(&args, None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("json::wrong-type"), "{stderr}");
    assert!(stderr.contains("bad.json:1:30]"), "{stderr}");
}

/// `--to snippet` writes the snippet API's bodies, to `-o FILE` too; `--recv` and `--to`
/// exclude each other.
#[test]
fn to_snippet_writes_init_and_recv_bodies() {
    let backends = ok("backends_for_conditions.json");
    let conditions = ok("conditions_only.json");
    let dir = TempDir::new("to-snippet");
    let file = dir.join("snippets.json");
    let args = [
        "generate",
        &backends,
        "--conditions",
        &conditions,
        "--to",
        "snippet",
        "-o",
        file.to_str().unwrap(),
    ];
    let out = run(&args, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let plain = run(&["generate", &backends, "--conditions", &conditions], None);
    let recv = run(
        &["generate", &backends, "--conditions", &conditions, "--recv"],
        None,
    );
    assert_eq!(json[0]["type"], "init");
    assert_eq!(json[0]["content"], text(&plain.stdout).as_str());
    assert_eq!(json[1]["type"], "recv");
    assert_eq!(json[1]["content"], text(&recv.stdout).as_str());
    assert_eq!(json[1]["dynamic"], "0");

    let out = run(&["generate", &backends, "--recv", "--to", "vcl"], None);
    assert_eq!(out.status.code(), Some(2));
}

/// `--names api`: plain identifiers in the declarations and the routing, each change a note.
#[test]
fn names_api_uses_plain_identifiers_and_reports_them() {
    let backends = ok("backends_for_conditions.json");
    let conditions = ok("conditions_only.json");
    let args = [
        "generate",
        &backends,
        "--conditions",
        &conditions,
        "--names",
        "api",
    ];
    let out = run(&args, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let vcl = text(&out.stdout);
    assert!(vcl.starts_with("backend images {\n"), "{vcl}");
    assert!(!vcl.contains("F_"), "{vcl}");
    let stderr = text(&out.stderr);
    assert_eq!(stderr.matches("generate::renamed").count(), 5, "{stderr}");
    assert!(
        stderr.contains("backend `api v2` is `api_v2` in VCL, not `F_api_v2`"),
        "{stderr}"
    );
    let out = run(&[&args[..], &["--recv"]].concat(), None);
    assert!(text(&out.stdout).contains("    set req.backend = api_v2;\n"));
}
