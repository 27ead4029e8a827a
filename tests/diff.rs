//! The comparison itself (docs/design.md §13): defaults, names across VCL and the API,
//! healthchecks by content, fields VCL cannot say, and the order of the changes.

use serde_json::json;
use vcl_backend::api_json;
use vcl_backend::diff::{ChangeKind, Diff, Kind, Options, Side, diff, unknown_field};
use vcl_backend::lower::parse_config;
use vcl_backend::model::{Config, ObjectKind};
use vcl_backend::source::SourceFile;

/// API JSON in any shape, read as generate and diff read it.
fn api(value: serde_json::Value) -> Config {
    let file = SourceFile::new("t.json", value.to_string());
    api_json::read(&file, ObjectKind::Backend).unwrap().0
}

fn vcl(text: &str) -> Config {
    let lowered = parse_config(text);
    assert!(!lowered.has_errors(), "{:?}", lowered.diagnostics);
    lowered.config
}

fn compare(a: &Config, a_vcl: bool, b: &Config, b_vcl: bool, options: &Options) -> Diff {
    let side = |config, vcl| Side { config, vcl };
    diff(side(a, a_vcl), side(b, b_vcl), options)
}

/// `kind name field: a -> b` lines, for short assertions.
fn lines(d: &Diff) -> Vec<String> {
    d.changes
        .iter()
        .map(|c| match c.change {
            ChangeKind::Changed => format!(
                "~ {} {} {}: {} -> {}",
                c.kind.word(),
                c.name,
                c.field.unwrap(),
                c.a,
                c.b
            ),
            ChangeKind::Added => format!("+ {} {}", c.kind.word(), c.name),
            ChangeKind::Removed => format!("- {} {}", c.kind.word(), c.name),
        })
        .collect()
}

#[test]
fn a_field_left_out_is_the_apis_default_and_what_the_api_derives_is_ignored() {
    let a = api(json!([{"name": "a", "address": "a.example.com"}]));
    let b = api(json!([{
        "name": "a", "address": "a.example.com", "port": 80, "use_ssl": false,
        "connect_timeout": 1000, "first_byte_timeout": 15000, "between_bytes_timeout": 10000,
        "max_conn": 200, "ssl_check_cert": true, "weight": 100, "auto_loadbalance": false,
        "comment": "", "shield": "", "request_condition": "", "healthcheck": "",
        "hostname": "a.example.com", "ipv4": "192.0.2.1", "version": 3, "locked": true,
        "created_at": "2024-01-01T00:00:00Z", "error_threshold": 0, "max_use": 0
    }]));
    let d = compare(&a, false, &b, false, &Options::default());
    assert_eq!(lines(&d), Vec::<String>::new());
    // TLS without a port is port 443, and port 443 without `use_ssl` is TLS.
    let tls = api(json!([{"name": "a", "address": "a.example.com", "use_ssl": true}]));
    let port = api(json!([{"name": "a", "address": "a.example.com", "port": 443}]));
    assert!(compare(&tls, false, &port, false, &Options::default()).is_equal());
}

#[test]
fn service_id_stands_for_share_key() {
    let a = vcl("backend F_a { .host = \"a\"; .share_key = \"S1\"; }");
    let b = api(json!([{"name": "a", "address": "a", "service_id": "S1"}]));
    assert!(compare(&a, true, &b, false, &Options::default()).is_equal());
    let bare = api(json!([{"name": "a", "address": "a"}]));
    assert_eq!(
        lines(&compare(&a, true, &bare, false, &Options::default())),
        [r#"~ backend a share_key: "S1" -> null"#]
    );
    let options = Options {
        service_id: Some("S1".into()),
        ..Options::default()
    };
    assert!(compare(&a, true, &bare, false, &options).is_equal());
}

#[test]
fn vcl_names_match_api_names_through_f_and_sanitising() {
    let a =
        vcl("backend F_Helix_5_DA_Origin { .host = \"h\"; }\nbackend origin { .host = \"o\"; }");
    let b = api(json!([
        {"name": "Helix 5/DA Origin", "address": "h"},
        {"name": "origin", "address": "o"}
    ]));
    assert!(compare(&a, true, &b, false, &Options::default()).is_equal());
    // Between two API sides, names are exact.
    let c = api(
        json!([{"name": "Helix_5_DA_Origin", "address": "h"}, {"name": "origin", "address": "o"}]),
    );
    assert_eq!(
        lines(&compare(&b, false, &c, false, &Options::default())),
        ["- backend Helix 5/DA Origin", "+ backend Helix_5_DA_Origin"]
    );
}

#[test]
fn probes_match_healthchecks_by_what_they_check_not_by_name() {
    let a = vcl(concat!(
        "backend F_a { .host = \"a\"; .probe = { .request = \"GET /h HTTP/1.1\" ",
        "\"Host: a\" \"X-B: 2\" \"X-A: 1\"; .interval = 5s; } }"
    ));
    let b = api(json!({
        "backends": [{"name": "a", "address": "a", "healthcheck": "other name"}],
        "healthchecks": [{"name": "other name", "method": "GET", "path": "/h", "host": "a",
            "headers": ["X-A: 1", "X-B: 2"], "check_interval": 5000, "window": 5}]
    }));
    assert!(compare(&a, true, &b, false, &Options::default()).is_equal());
    // Same name, another check: the healthcheck changes, the backend still has one.
    let c = api(json!({
        "backends": [{"name": "a", "address": "a", "healthcheck": "a"}],
        "healthchecks": [{"name": "a", "method": "GET", "path": "/h", "host": "a",
            "headers": ["X-A: 1", "X-B: 2"], "check_interval": 6000}]
    }));
    assert_eq!(
        lines(&compare(&a, true, &c, false, &Options::default())),
        ["~ healthcheck a check_interval: 5000 -> 6000"]
    );
}

#[test]
fn healthchecks_no_backend_uses_match_by_content_and_are_listed_when_unmatched() {
    let a = api(json!({"healthchecks": [
        {"name": "one", "path": "/1"}, {"name": "two", "path": "/2"}
    ]}));
    let b = api(json!({"healthchecks": [
        {"name": "renamed", "path": "/1"}, {"name": "three", "path": "/3"}
    ]}));
    assert_eq!(
        lines(&compare(&a, false, &b, false, &Options::default())),
        ["+ healthcheck three", "- healthcheck two"]
    );
}

#[test]
fn a_backend_losing_its_healthcheck_says_so() {
    let a = api(json!({
        "backends": [{"name": "a", "healthcheck": "h"}],
        "healthchecks": [{"name": "h", "path": "/"}]
    }));
    let b = api(json!({"backends": [{"name": "a", "healthcheck": ""}]}));
    assert_eq!(
        lines(&compare(&a, false, &b, false, &Options::default())),
        [r#"~ backend a healthcheck: "h" -> """#, "- healthcheck h"]
    );
}

#[test]
fn fields_vcl_cannot_say_are_not_compared_across_vcl_but_weights_are() {
    let a = vcl(concat!(
        "backend F_a { .host = \"a\"; }\nbackend F_b { .host = \"b\"; }\n",
        "director F_d random { { .backend = F_a; .weight = 30; } { .backend = F_b; .weight = 70; } }"
    ));
    let b = api(json!({
        "backends": [
            {"name": "a", "address": "a", "weight": 30, "comment": "x", "shield": "iad-va-us"},
            {"name": "b", "address": "b", "weight": 50, "max_use": 9}
        ],
        "directors": [{"name": "d", "type": 1, "backends": ["b", "a"], "capacity": 7}]
    }));
    let d = compare(&a, true, &b, false, &Options::default());
    assert_eq!(lines(&d), ["~ backend b weight: 70 -> 50"]);
    for field in ["comment", "shield", "max_use", "capacity"] {
        assert!(
            d.not_compared.contains(&field),
            "{field}: {:?}",
            d.not_compared
        );
    }
    assert!(!d.not_compared.contains(&"weight"));
    // Between two API sides, they are.
    let c = api(json!({"backends": [{"name": "a", "address": "a", "weight": 30}]}));
    let e = api(json!({"backends": [{"name": "a", "address": "a", "weight": 30, "comment": "x"}]}));
    let d = compare(&c, false, &e, false, &Options::default());
    assert_eq!(lines(&d), [r#"~ backend a comment: "" -> "x""#]);
    assert!(d.not_compared.is_empty());
}

#[test]
fn ignored_fields_are_left_out_everywhere_and_unknown_ones_are_found() {
    let a = api(json!({
        "backends": [{"name": "a", "port": 80, "healthcheck": "h"}],
        "healthchecks": [{"name": "h", "check_interval": 1000}]
    }));
    let b = api(json!({
        "backends": [{"name": "a", "port": 81, "healthcheck": "h"}],
        "healthchecks": [{"name": "h", "check_interval": 2000}]
    }));
    let options = Options {
        ignore: vec!["port".into(), "check_interval".into()],
        ..Options::default()
    };
    assert!(compare(&a, false, &b, false, &options).is_equal());
    assert_eq!(
        unknown_field(&["port".into(), "prot".into()]),
        Some(("prot", Some("port")))
    );
    assert_eq!(unknown_field(&["quorum".into(), "headers".into()]), None);
}

#[test]
fn changes_are_ordered_by_kind_then_name_then_the_tables_order() {
    let a = api(json!({
        "backends": [{"name": "z", "port": 1, "address": "x"}, {"name": "b"}],
        "directors": [{"name": "d", "type": 1}]
    }));
    let b = api(json!({
        "backends": [{"name": "a"}, {"name": "z", "port": 2, "address": "y"}],
        "healthchecks": [{"name": "h"}],
        "directors": [{"name": "d", "type": 3}]
    }));
    let d = compare(&a, false, &b, false, &Options::default());
    assert_eq!(
        lines(&d),
        [
            "+ backend a",
            "- backend b",
            r#"~ backend z address: "x" -> "y""#,
            "~ backend z port: 1 -> 2",
            "+ healthcheck h",
            "~ director d type: 1 -> 3"
        ]
    );
    assert_eq!(d.changes[0].kind, Kind::Backend);
}

#[test]
fn a_second_object_of_one_name_is_listed_on_its_own() {
    let a = api(json!([{"name": "a"}]));
    let b = api(json!([{"name": "a"}, {"name": "a", "port": 8080}]));
    assert_eq!(
        lines(&compare(&a, false, &b, false, &Options::default())),
        ["+ backend a"]
    );
}
