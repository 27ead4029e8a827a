//! `migrate --to terraform`: the blocks, read back with a real HCL parser (hcl-rs), carry
//! exactly the values of `migrate --to json`, with the provider's defaults written out where
//! the JSON has no value, and the report names every field the provider cannot set.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use hcl::eval::{Context, Evaluate};
use serde_json::{Map, Value, json};

mod support;
use support::TempDir;

/// Several backends, a shared named probe, `.url` probes with and without a Host header, TLS
/// on 8443, PEM values, and values written to break out of HCL, shell and templates.
const VCL: &str = r##"
probe shared_health {
    .request = "GET /health?from=${edge} HTTP/1.1" "Host: health.example.com" "Connection: close" "User-Agent: Varnish/fastly (healthcheck)" "X-Probe: %22q%22 \back $(touch /tmp/pwned) `id` %25{y} é";
    .interval = 15s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
    .expected_response = 204;
}

backend F_web_1 {
    .dynamic = true;
    .share_key = "abc123";
    .host = "web1.example.com";
    .port = "80";
    .max_connections = 500;
    .probe = shared_health;
}

backend F_web_2 {
    .dynamic = true;
    .share_key = "abc123";
    .host = "web2.example.com";
    .port = "80";
    .connect_timeout = 2s;
    .probe = shared_health;
}

backend F_tls_8443 {
    .dynamic = true;
    .share_key = "abc123";
    .host = "tls.example.com";
    .port = "8443";
    .ssl = true;
    .ssl_cert_hostname = "cert.example.com";
    .ssl_sni_hostname = "sni.example.com";
    .ssl_check_cert = never;
    .ssl_hostname = "legacy.example.com";
    .min_tls_version = "1.2";
    .max_tls_version = "1.3";
    .ssl_ciphers = "ECDHE-RSA-AES128-GCM-SHA256:!RC4";
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 2500ms;
    .fetch_timeout = 60s;
    .keepalive_time = 30s;
    .saintmode_threshold = 5;
    .prefer_ipv6 = true;
    .ssl_ca_cert = {"-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUQ2xh
dW5rbm93bg==
-----END CERTIFICATE-----
"};
    .ssl_client_cert = {"-----BEGIN CERTIFICATE-----
EOT
  EOT
${not_a_template} %{ if true }x%{ endif } "quoted" \n
-----END CERTIFICATE-----
"};
    .ssl_client_key = {"first line
last line, no newline at the end"};
    .probe = {
        .url = "/ping";
        .interval = 5s;
    }
}

backend origin {
    .host = "203.0.113.7";
    .host_header = "q%22uote \back ${x} %25{y} $(touch /tmp/pwned) `id` %0anew line%0d%09tab é 日本 %u{1F600}";
    .always_use_host_header = true;
    .probe = {
        .url = "/status?a=${y}&b=%25{z}";
        .window = 3;
        .threshold = 2;
    }
}
"##;

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vcl-backend"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn migrate(to: &str) -> Output {
    run(&["migrate", "-", "--to", to, "--format", "json"], VCL)
}

/// The blocks of a terraform output, in order, each with its attributes evaluated.
fn hcl_blocks(text: &str) -> Vec<(String, Map<String, Value>)> {
    let body: hcl::Body = hcl::from_str(text).expect("the output is HCL");
    assert_eq!(body.attributes().count(), 0, "only blocks at the top level");
    body.blocks()
        .map(|block| {
            assert!(block.labels.is_empty(), "{} has labels", block.identifier);
            assert_eq!(
                block.body.blocks().count(),
                0,
                "no nested blocks in {}",
                block.identifier
            );
            let mut attributes = Map::new();
            for attribute in block.body.attributes() {
                let value = attribute
                    .expr
                    .evaluate(&Context::new())
                    .unwrap_or_else(|e| panic!("{}: {e}", attribute.key));
                let value = serde_json::to_value(value).unwrap();
                let old = attributes.insert(attribute.key.to_string(), value);
                assert!(old.is_none(), "{} is written twice", attribute.key);
            }
            (block.identifier.to_string(), attributes)
        })
        .collect()
}

/// terraform-provider-fastly's values where its attribute is not set (docs/design.md §9).
fn backend_defaults() -> Map<String, Value> {
    let defaults = json!({
        "port": 80, "override_host": "", "use_ssl": false, "ssl_check_cert": true,
        "ssl_cert_hostname": "", "ssl_sni_hostname": "", "min_tls_version": "",
        "max_tls_version": "", "ssl_ciphers": "", "ssl_ca_cert": "", "ssl_client_cert": "",
        "ssl_client_key": "", "connect_timeout": 1000, "first_byte_timeout": 15000,
        "between_bytes_timeout": 10000, "max_conn": 200, "max_use": 0, "max_lifetime": 0,
        "error_threshold": 0, "share_key": "", "healthcheck": "", "shield": "",
        "request_condition": "", "auto_loadbalance": false, "weight": 100,
        "prefer_ipv6": false
    });
    defaults.as_object().unwrap().clone()
}

fn healthcheck_defaults() -> Map<String, Value> {
    let defaults = json!({
        "method": "HEAD", "http_version": "1.1", "check_interval": 5000, "timeout": 5000,
        "window": 5, "threshold": 3, "initial": 3, "expected_response": 200
    });
    defaults.as_object().unwrap().clone()
}

/// Attribute names of the provider's blocks (besides those with defaults).
const BACKEND_REQUIRED: &[&str] = &["name", "address", "keepalive_time"];
const HEALTHCHECK_REQUIRED: &[&str] = &["name", "host", "path", "headers"];

/// The notes the report gives one object: `(field, message)`.
fn report_notes(stderr: &[u8], kind: &str, name: &str) -> Vec<(String, String)> {
    let document: Value = serde_json::from_slice(stderr).expect("--format json report");
    let list = match kind {
        "backend" => "backends",
        _ => "healthchecks",
    };
    let object = document["report"][list]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("{kind} {name} is in the report"));
    object["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["field"].as_str().unwrap().to_string(),
                n["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_value_of_the_json_reaches_the_blocks_exactly() {
    let json: Value = serde_json::from_slice(&migrate("json").stdout).unwrap();
    let terraform = migrate("terraform");
    let text = String::from_utf8(terraform.stdout).unwrap();
    let blocks = hcl_blocks(&text);

    let healthchecks = json["healthchecks"].as_array().unwrap();
    let backends = json["backends"].as_array().unwrap();
    assert_eq!(healthchecks.len(), 3, "the named probe is shared: {json:#}");
    assert_eq!(backends.len(), 4);
    let kinds: Vec<&str> = blocks.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "healthcheck",
            "healthcheck",
            "healthcheck",
            "backend",
            "backend",
            "backend",
            "backend"
        ],
        "healthchecks first"
    );

    for (hc, (_, block)) in healthchecks.iter().zip(&blocks) {
        let name = hc["name"].as_str().unwrap();
        let mut expected = healthcheck_defaults();
        for (key, value) in hc.as_object().unwrap() {
            assert!(
                expected.contains_key(key) || HEALTHCHECK_REQUIRED.contains(&key.as_str()),
                "healthcheck field {key} has no attribute"
            );
            expected.insert(key.clone(), value.clone());
        }
        if hc.get("host").is_none() {
            // A `.url` probe: the host of the first backend using it.
            let user = backends
                .iter()
                .find(|b| b["healthcheck"] == name)
                .expect("a backend uses it");
            let (host, source) = match user.get("override_host") {
                Some(host) => (host.clone(), "override_host"),
                None => (user["address"].clone(), "address"),
            };
            expected.insert("host".into(), host.clone());
            let notes = report_notes(&terraform.stderr, "healthcheck", name);
            let (_, message) = notes
                .iter()
                .find(|(field, _)| field == "host")
                .expect("the chosen host is reported");
            assert!(
                message.contains(source),
                "{message} names {source} as the host's source"
            );
        }
        assert_eq!(block, &expected, "healthcheck {name}");
    }

    for (backend, (_, block)) in backends.iter().zip(&blocks[healthchecks.len()..]) {
        let name = backend["name"].as_str().unwrap();
        let mut expected = backend_defaults();
        let notes = report_notes(&terraform.stderr, "backend", name);
        for (key, value) in backend.as_object().unwrap() {
            if expected.contains_key(key) || BACKEND_REQUIRED.contains(&key.as_str()) {
                expected.insert(key.clone(), value.clone());
            } else {
                assert!(
                    notes.iter().any(|(field, _)| field == key),
                    "backend {name}: {key} has no attribute and is not in the report: {notes:?}"
                );
                let comment = format!("# not carried: {key} = ");
                assert!(text.contains(&comment), "no comment for {key}");
            }
        }
        assert_eq!(block, &expected, "backend {name}");
    }
}

#[test]
fn hostile_values_stay_values() {
    let text = String::from_utf8(migrate("terraform").stdout).unwrap();
    let blocks = hcl_blocks(&text);
    let origin = &blocks.last().unwrap().1;
    assert_eq!(
        origin["override_host"],
        "q\"uote \\back ${x} %{y} $(touch /tmp/pwned) `id` \nnew line\r\ttab é 日本 😀"
    );
    let tls = &blocks[blocks.len() - 2].1;
    // A heredoc keeps the lines that look like its end, the template sequences and the final
    // newline; a value without a final newline is a quoted string and gains none.
    assert_eq!(
        tls["ssl_client_cert"],
        "-----BEGIN CERTIFICATE-----\nEOT\n  EOT\n${not_a_template} %{ if true }x%{ endif } \"quoted\" \\n\n-----END CERTIFICATE-----\n"
    );
    assert_eq!(
        tls["ssl_client_key"],
        "first line\nlast line, no newline at the end"
    );
    assert!(text.contains("ssl_ca_cert           = <<EOT\n-----BEGIN CERTIFICATE-----\n"));
    assert!(text.contains("ssl_client_cert       = <<EOT1\n"));
    assert!(text.contains("ssl_client_key        = \"first line\\nlast line"));
    // Nothing was run while writing it.
    assert!(!std::path::Path::new("/tmp/pwned").exists());
}

#[test]
fn fields_without_an_attribute_are_reported_with_a_way_to_set_them() {
    let terraform = run(
        &[
            "migrate",
            "-",
            "--to",
            "terraform",
            "--format",
            "json",
            "--service-id",
            "SRV1",
            "--version",
            "7",
        ],
        VCL,
    );
    let document: Value = serde_json::from_slice(&terraform.stderr).unwrap();
    let tls = document["report"]["backends"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "tls_8443")
        .unwrap();
    let notes = tls["notes"].as_array().unwrap();
    let fields: Vec<&str> = notes.iter().map(|n| n["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"ssl_hostname"), "{fields:?}");
    assert!(fields.contains(&"fetch_timeout"), "{fields:?}");
    let fetch = notes
        .iter()
        .find(|n| n["field"] == "fetch_timeout")
        .unwrap();
    let how = fetch["how"].as_str().unwrap();
    assert!(how.contains("-X PUT \"${FASTLY_API_ENDPOINT:-https://api.fastly.com}/service/SRV1/version/7/backend/tls_8443\""), "{how}");
    assert!(
        how.ends_with(" --data-urlencode 'fetch_timeout=60000'"),
        "{how}"
    );
    // `--strict` turns what the provider cannot set into errors.
    let strict = Command::new(env!("CARGO_BIN_EXE_vcl-backend"))
        .args(["migrate", "-", "--to", "terraform", "--strict"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(VCL.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(!strict.status.success());
    assert!(strict.stdout.is_empty());
}

#[test]
fn terraform_output_snapshot() {
    let output = run(
        &["migrate", "-", "--to", "terraform", "--service-id", "SRV1"],
        VCL,
    );
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

/// The same values through Terraform's own HCL (Go): the blocks become object values of a
/// `locals` block, which `terraform console` evaluates. Needs `terraform` on PATH, so it is
/// run by `cargo test -- --ignored` (`.ci/run` leaves it out where terraform is missing).
#[test]
#[ignore = "needs terraform: run with --ignored"]
fn terraform_itself_reads_the_same_values() {
    support::require("the terraform test", &["terraform"]);
    let version = Command::new("terraform")
        .arg("version")
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .expect("terraform runs");
    assert!(version.status.success());
    let text = String::from_utf8(migrate("terraform").stdout).unwrap();
    terraform_reads_what_hcl_rs_reads(&text);
    // With directors too.
    let args = [
        "migrate",
        "fixtures/migrate/directors.vcl",
        "--to",
        "terraform",
    ];
    terraform_reads_what_hcl_rs_reads(&String::from_utf8(run(&args, "").stdout).unwrap());
}

/// `terraform fmt` leaves `text` as it is, and `terraform console` reads every block's values
/// as hcl-rs does.
fn terraform_reads_what_hcl_rs_reads(text: &str) {
    // Formatted already: `terraform fmt` changes nothing.
    let mut fmt = Command::new("terraform")
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    fmt.stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let formatted = fmt.wait_with_output().unwrap();
    assert!(formatted.status.success());
    assert_eq!(String::from_utf8(formatted.stdout).unwrap(), text);
    let mut locals = String::from("locals {\n");
    let mut count = 0;
    for line in text.lines() {
        if ["healthcheck {", "backend {", "director {"].contains(&line) {
            locals.push_str(&format!("block{count} = {{\n"));
            count += 1;
        } else {
            locals.push_str(line);
            locals.push('\n');
        }
    }
    locals.push_str("}\n");
    let dir = TempDir::new("terraform");
    std::fs::write(dir.join("main.tf"), locals).unwrap();
    let list: Vec<String> = (0..count).map(|i| format!("local.block{i}")).collect();
    let mut child = Command::new("terraform")
        .arg("console")
        .current_dir(dir.path())
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let expression = format!("jsonencode([{}])\n", list.join(", "));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(expression.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The console prints the JSON text as a quoted string.
    let printed = String::from_utf8(output.stdout).unwrap();
    let quoted: String = serde_json::from_str(printed.trim()).expect("a quoted string");
    let from_terraform: Vec<Value> = serde_json::from_str(&quoted).unwrap();
    let from_hcl_rs: Vec<Value> = hcl_blocks(text)
        .into_iter()
        .map(|(_, attributes)| Value::Object(attributes))
        .collect();
    assert_eq!(from_terraform, from_hcl_rs);
}

/// The provider's director defaults (docs/design.md §9).
fn director_defaults() -> Map<String, Value> {
    json!({ "type": 1, "quorum": 75, "retries": 5, "comment": "", "shield": "" })
        .as_object()
        .unwrap()
        .clone()
}

/// The directors of `migrate --to json` are `director` blocks after the backends, read back
/// by the HCL parser with every value (members as a list of backend names), and each member
/// backend's block carries its weight.
#[test]
fn director_blocks_carry_the_json_directors() {
    let path = "fixtures/migrate/directors.vcl";
    let args = |to| ["migrate", path, "--to", to, "--format", "json"];
    let json: Value = serde_json::from_slice(&run(&args("json"), "").stdout).unwrap();
    let text = String::from_utf8(run(&args("terraform"), "").stdout).unwrap();
    let blocks = hcl_blocks(&text);
    let directors = json["directors"].as_array().unwrap();
    let backends = json["backends"].as_array().unwrap();
    assert_eq!(directors.len(), 3);
    let kinds: Vec<&str> = blocks.iter().map(|(k, _)| k.as_str()).collect();
    let first_director = kinds.iter().position(|k| *k == "director").unwrap();
    assert!(
        kinds[first_director..].iter().all(|k| *k == "director"),
        "directors last: {kinds:?}"
    );
    for (director, (_, block)) in directors.iter().zip(&blocks[first_director..]) {
        let mut expected = director_defaults();
        for (key, value) in director.as_object().unwrap() {
            expected.insert(key.clone(), value.clone());
        }
        assert_eq!(block, &expected, "director {}", director["name"]);
    }
    for backend in backends {
        let (_, block) = blocks
            .iter()
            .find(|(k, b)| k == "backend" && b["name"] == backend["name"])
            .unwrap();
        assert_eq!(
            block["weight"],
            backend.get("weight").cloned().unwrap_or(json!(100)),
            "backend {}",
            backend["name"]
        );
    }
}
