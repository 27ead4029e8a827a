//! The round trip of issue 22: generate's declarations and routing, placed in a minimal Fastly
//! VCL file, lint clean; `migrate` of that file gives back the service's backends and
//! healthchecks, and reports the routing (request conditions and shielding) it leaves in VCL
//! (docs/design.md §4.8, §6.8).

use serde_json::{Map, Value, json};
use vcl_backend::migrate::{json as migrate_json, plan, report};

mod support;
use support::routed::{self, SERVICE, generated};
use support::{TempDir, run_cli, text};

fn service() -> Value {
    serde_json::from_str(&std::fs::read_to_string(SERVICE).unwrap()).unwrap()
}

/// The generated service in a minimal Fastly VCL file (`support::routed`).
fn minimal_service() -> String {
    routed::minimal_service(&generated())
}

/// The service in a directory of its own, with the `F_` names allowed (design §4.8).
fn service_dir(tag: &str) -> (TempDir, String) {
    let dir = TempDir::new(tag);
    std::fs::write(dir.join("main.vcl"), minimal_service()).unwrap();
    std::fs::write(
        dir.join("vcl-backend.toml"),
        "[backends]\nallow-names = [\"F_API_Origin\", \"F_Web_Origin_Main\"]\n",
    )
    .unwrap();
    let path = dir.join("main.vcl").to_str().unwrap().to_string();
    (dir, path)
}

/// `object` without the fields each with a reason not to come back, every one of which must
/// be there to drop (a fixture change that makes a reason void fails here).
fn without(object: &Value, dropped: &[(&str, &str)]) -> Map<String, Value> {
    let mut fields = object.as_object().unwrap().clone();
    for (field, why) in dropped {
        assert!(fields.remove(*field).is_some(), "{field} ({why})");
    }
    fields
}

#[test]
fn the_minimal_service_lints_clean() {
    let (_dir, vcl) = service_dir("roundtrip-lint");
    let out = run_cli(&["lint", &vcl], None);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings, 0 infos"), "{stderr}");
}

/// Fields of every object that never come back: the API's metadata, and what the API holds
/// at its default, which migrate does not send (design §6.2).
const METADATA: [(&str, &str); 3] = [
    ("service_id", "metadata of the API, no VCL form"),
    ("version", "metadata of the API, no VCL form"),
    ("comment", "empty: the API's default, not sent"),
];

#[test]
fn migrate_gives_back_the_backends_and_healthchecks() {
    let (_dir, vcl) = service_dir("roundtrip-migrate");
    let out = run_cli(&["migrate", &vcl, "--to", "json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let migrated: Value = serde_json::from_slice(&out.stdout).unwrap();
    let service = service();
    let routing: [(&str, &str); 2] = [
        (
            "request_condition",
            "the routing, which stays in VCL (reported)",
        ),
        ("shield", "the routing, which stays in VCL (reported)"),
    ];
    let defaults: [(&str, &str); 3] = [
        ("auto_loadbalance", "false: the API's default, not sent"),
        ("error_threshold", "0: the API's default, not sent"),
        ("weight", "100: the API's default, not sent"),
    ];
    let mut expected = Vec::new();
    for backend in service["backends"].as_array().unwrap() {
        let mut dropped: Vec<(&str, &str)> = [METADATA, defaults].concat();
        dropped.extend(routing);
        let has_healthcheck = backend["healthcheck"] != "";
        let has_override = !backend["override_host"].is_null();
        if !has_healthcheck {
            dropped.push(("healthcheck", "empty: none"));
        }
        if !has_override {
            dropped.push(("override_host", "null: none"));
        }
        let mut fields = without(backend, &dropped);
        let name = fields["name"].as_str().unwrap().to_string();
        // Names come back as the VCL identifier without `F_`: the generator's sanitising
        // (every character not a letter or digit made `_`, design §4.2) cannot be undone.
        let sanitised: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        fields.insert("name".into(), json!(sanitised));
        if has_healthcheck {
            // The probe is written inside the backend: the healthcheck comes back named
            // after its backend, the name it had in the API being written nowhere in VCL.
            fields.insert("healthcheck".into(), json!(sanitised));
        }
        // generate writes the service ID as `.share_key` when the backend has none (§4.3).
        fields.insert("share_key".into(), backend["service_id"].clone());
        expected.push(Value::Object(fields));
    }
    assert_eq!(migrated["backends"], Value::Array(expected));

    let mut expected = Vec::new();
    for healthcheck in service["healthchecks"].as_array().unwrap() {
        let dropped: Vec<(&str, &str)> =
            [&METADATA[..], &[("headers", "empty: none, not sent")]].concat();
        let mut fields = without(healthcheck, &dropped);
        // Named after the backend whose probe it is (see above).
        fields.insert("name".into(), json!("API_Origin"));
        expected.push(Value::Object(fields));
    }
    assert_eq!(migrated["healthchecks"], Value::Array(expected));
    // The shield director is the generator's: it stays in VCL, no API director.
    assert!(migrated.get("directors").is_none());
}

/// The routing note of `backend` about `field`, from the JSON report.
fn routing_note<'a>(report: &'a Value, backend: &str, field: &str) -> &'a Value {
    let backend = report["backends"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == backend)
        .unwrap();
    let notes: Vec<&Value> = backend["routing"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["field"] == field)
        .collect();
    assert_eq!(notes.len(), 1, "{backend:#}");
    notes[0]
}

#[test]
fn the_report_names_the_routing_left_in_vcl() {
    let (_dir, vcl) = service_dir("roundtrip-report");
    let out = run_cli(&["migrate", &vcl, "--to", "json", "--format", "json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let document: Value = serde_json::from_slice(&out.stderr).unwrap();
    let service = service();
    let condition = &service["conditions"][0];
    let statement = condition["statement"].as_str().unwrap();
    let api_origin = &service["backends"][0];
    assert_eq!(api_origin["request_condition"], condition["name"]);

    let report = &document["report"];
    let note = routing_note(report, "API_Origin", "request_condition");
    let message = note["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("under `if( {statement} )` (line 65)")),
        "{message}"
    );
    let how = note["how"].as_str().unwrap();
    assert!(
        how.contains(&format!(
            "REQUEST condition with the statement `{statement}`"
        )),
        "{how}"
    );

    let web = &service["backends"][1];
    let pop = web["shield"].as_str().unwrap();
    let note = routing_note(report, "Web_Origin_Main", "shield");
    let message = note["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("`ssl_shield_iad_va_us` (POP `{pop}`)")),
        "{message}"
    );
    assert!(
        note["how"]
            .as_str()
            .unwrap()
            .contains(&format!("`shield: {pop}`"))
    );
    // The default backend, said once.
    let note = routing_note(report, "Web_Origin_Main", "request_condition");
    assert!(
        note["message"]
            .as_str()
            .unwrap()
            .contains("the default backend"),
        "{note}"
    );

    // One info per conditional or shield selection, located; nothing else.
    let diagnostics: Vec<(&str, &str, u64)> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        diagnostics,
        [
            ("vcl-backend::migrate::vcl-routing", "info", 66),
            ("vcl-backend::migrate::vcl-routing", "info", 72),
        ]
    );
}

#[test]
fn the_human_report_is_snapshotted() {
    let src = minimal_service();
    let p = plan(&src, false);
    let emitted = migrate_json::emit(&p);
    let report = report::build(
        &p,
        "json",
        &emitted.notes,
        &emitted.left_to_api,
        &emitted.remarks,
        &[],
    );
    insta::assert_snapshot!("routing_report", report.human());
}

/// Nothing is dropped, so `--strict` passes; `--rewrite-vcl` keeps the routing and the shield
/// director it needs, byte for byte.
#[test]
fn strict_passes_and_the_rewritten_vcl_keeps_the_routing() {
    let (dir, vcl) = service_dir("roundtrip-strict");
    let rewritten = dir.join("rewritten.vcl");
    let out = run_cli(
        &[
            "migrate",
            &vcl,
            "--to",
            "json",
            "--strict",
            "--rewrite-vcl",
            rewritten.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let rewritten = std::fs::read_to_string(rewritten).unwrap();
    let g = generated();
    assert!(rewritten.contains(&g.recv), "{rewritten}");
    let shield = &g.vcl[g.vcl.find("director ssl_shield_").unwrap()..];
    assert!(rewritten.contains(shield), "{rewritten}");
    assert!(!rewritten.contains("backend F_"), "{rewritten}");
}
