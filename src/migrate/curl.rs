//! `--to curl`: the plan as calls of the Fastly API with curl, healthchecks first (backends
//! name them), directors last (they name backends), each followed by one call per member on
//! the director-backend endpoint. curl can set every field, so the script is complete: one
//! `--data-urlencode` per field, each a single-quoted `'field=value'` word, so nothing in a
//! value is expanded.
//!
//! The pieces are shared with [`super::fastly_cli`], whose script carries what the CLI cannot
//! as commented curl commands, and its directors (the CLI has none) as curl commands.

use serde_json::Value;

use crate::migrate::{Emitted, Note, Plan, ServiceVersion, shell};
pub(crate) use crate::model::ObjectKind as Kind;
use crate::model::fields::{FieldVisitor, Fields};
use crate::model::{Director, properties};

/// The API's base URL, overridable like the Fastly CLI's.
pub(crate) const ENDPOINT: &str = "${FASTLY_API_ENDPOINT:-https://api.fastly.com}";

/// The start of every call: silent but for errors, failing the script on an HTTP error.
const CURL: &str = "curl -sS --fail-with-body";

/// An object's fields that are set, in the model's order (metadata and nulls left out): what
/// serde would write, without building serde's map of it.
pub(crate) fn fields(object: &impl Fields) -> Vec<(String, Value)> {
    let mut set = SetFields(Vec::new());
    object.visit_fields(&mut set);
    let mut fields = set.0;
    for (key, value) in object.extra() {
        // As in serde's map: a key met again keeps its place and takes the later value.
        match fields.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.clone(),
            None => fields.push((key.clone(), value.clone())),
        }
    }
    fields.retain(|(k, v)| !v.is_null() && !properties::is_metadata(k));
    fields
}

/// The names of [`fields`], without their values: what the report lists.
pub(crate) fn field_names(object: &impl Fields) -> Vec<&str> {
    let mut names = SetNames(Vec::new());
    object.visit_fields(&mut names);
    let mut names = names.0;
    for (key, value) in object.extra() {
        // As `fields`: a known name met again keeps its place, unless its value is now null.
        match (names.iter().position(|n| n == key), value.is_null()) {
            (Some(at), true) => {
                names.remove(at);
            }
            (None, false) => names.push(key),
            _ => {}
        }
    }
    names.retain(|n| !properties::is_metadata(n));
    names
}

/// Collects the names of the fields that have a value.
struct SetNames(Vec<&'static str>);

impl FieldVisitor for SetNames {
    fn string(&mut self, key: &'static str, value: &Option<String>) {
        if value.is_some() {
            self.0.push(key);
        }
    }

    fn integer(&mut self, key: &'static str, value: Option<i64>) {
        if value.is_some() {
            self.0.push(key);
        }
    }

    fn boolean(&mut self, key: &'static str, value: Option<bool>) {
        if value.is_some() {
            self.0.push(key);
        }
    }

    fn strings(&mut self, key: &'static str, value: &Option<Vec<String>>) {
        if value.is_some() {
            self.0.push(key);
        }
    }
}

/// Collects the fields that have a value, as JSON values.
struct SetFields(Vec<(String, Value)>);

impl SetFields {
    fn set(&mut self, key: &str, value: Value) {
        self.0.push((key.to_string(), value));
    }
}

impl FieldVisitor for SetFields {
    fn string(&mut self, key: &'static str, value: &Option<String>) {
        if let Some(v) = value {
            self.set(key, Value::String(v.clone()));
        }
    }

    fn integer(&mut self, key: &'static str, value: Option<i64>) {
        if let Some(v) = value {
            self.set(key, Value::from(v));
        }
    }

    fn boolean(&mut self, key: &'static str, value: Option<bool>) {
        if let Some(v) = value {
            self.set(key, Value::Bool(v));
        }
    }

    fn strings(&mut self, key: &'static str, value: &Option<Vec<String>>) {
        if let Some(list) = value {
            self.set(key, list.iter().cloned().map(Value::String).collect());
        }
    }
}

/// A field's value as the API's form takes it: one entry per repeated key (go-fastly sends a
/// list as the same key repeated). `None` for a value a form cannot hold (an object).
pub(crate) fn form_values(field: &str, value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Number(n) => Some(vec![n.to_string()]),
        // go-fastly sends its `Compatibool`s as 1/0, and `tcp_keepalive_enable`, a plain bool,
        // as true/false: the same as the CLI does.
        Value::Bool(b) if field == "tcp_keepalive_enable" => Some(vec![b.to_string()]),
        Value::Bool(b) => Some(vec![if *b { "1" } else { "0" }.to_string()]),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Value::Null | Value::Object(_) => None,
    }
}

/// `--data-urlencode 'field=value'`, one per value.
pub(crate) fn data_args(field: &str, values: &[String]) -> Vec<String> {
    values
        .iter()
        .map(|v| format!("--data-urlencode {}", shell::quote(&format!("{field}={v}"))))
        .collect()
}

/// A path segment, percent-encoded so that it is safe in the URL and inside the script's
/// double quotes (only unreserved characters stay as they are).
pub(crate) fn segment(text: &str) -> String {
    crate::percent::encode(text, b"")
}

/// `"${FASTLY_API_ENDPOINT:-...}/service/SID/version/VER/KIND"`, and `/NAME` when `name` is
/// given: the URL of a collection or of one object, double-quoted for the shell.
pub(crate) fn url(target: &ServiceVersion, kind: Kind, name: Option<&str>) -> String {
    let object = name.map(|n| format!("/{}", segment(n))).unwrap_or_default();
    format!("\"{}/{}{object}\"", version_url(target), kind.word())
}

/// `${FASTLY_API_ENDPOINT:-...}/service/SID/version/VER`, not quoted.
fn version_url(target: &ServiceVersion) -> String {
    let service = target
        .service_id
        .as_deref()
        .map_or_else(|| "${FASTLY_SERVICE_ID:?}".to_string(), segment);
    let version = target.version.map_or_else(
        || "${FASTLY_SERVICE_VERSION:?}".to_string(),
        |v| v.to_string(),
    );
    format!("{ENDPOINT}/service/{service}/version/{version}")
}

/// The URL of the directors, or of one director's membership of `backend`, double-quoted.
fn director_url(target: &ServiceVersion, member: Option<(&str, &str)>) -> String {
    let member = member
        .map(|(director, backend)| format!("/{}/backend/{}", segment(director), segment(backend)))
        .unwrap_or_default();
    format!("\"{}/director{member}\"", version_url(target))
}

/// A director's fields as the API's form takes them: every field but `backends` (each member
/// is a call of its own), metadata and nulls left out.
fn director_fields(director: &Director) -> Vec<(String, Value)> {
    let Ok(Value::Object(fields)) = serde_json::to_value(director) else {
        return Vec::new();
    };
    fields
        .into_iter()
        .filter(|(k, v)| k != "backends" && !v.is_null() && !properties::is_metadata(k))
        .collect()
}

/// Every director of the plan: its create call, then one call per member. What a form cannot
/// hold goes to `notes`.
pub(crate) fn director_commands(
    plan: &Plan,
    target: &ServiceVersion,
    notes: &mut Vec<Note>,
) -> String {
    let mut text = String::new();
    for director in &plan.directors {
        let name = director.name.as_deref().unwrap_or("");
        let mut args = Vec::new();
        for (field, value) in director_fields(director) {
            match form_values(&field, &value) {
                Some(values) => args.extend(data_args(&field, &values)),
                None => notes.push(Note {
                    object: name.to_string(),
                    kind: "director",
                    message: format!("`{field}` is not a value an API form can hold: {value}"),
                    field,
                    how: None,
                }),
            }
        }
        text.push('\n');
        text.push_str(&shell::comment_out(&format!("director `{name}`")));
        text.push('\n');
        text.push_str(&command("POST", &director_url(target, None), &args));
        text.push('\n');
        for backend in director.backends.iter().flatten() {
            let url = director_url(target, Some((name, backend)));
            text.push_str(&command("POST", &url, &[]));
            text.push('\n');
        }
    }
    text
}

/// A whole curl call: `method` on `url` with `args` (already quoted), one argument a line.
pub(crate) fn command(method: &str, url: &str, args: &[String]) -> String {
    let mut parts = vec![
        format!("{CURL} -X {method} {url}"),
        "-H \"Fastly-Key: $FASTLY_API_TOKEN\"".to_string(),
    ];
    parts.extend(args.iter().cloned());
    parts.join(" \\\n  ")
}

/// The one curl command that sets fields of one API object where a format cannot: every
/// writer's "not carried, here is how" uses it.
pub(crate) fn put_fields(
    target: &ServiceVersion,
    kind: Kind,
    object: &str,
    args: &[String],
) -> String {
    one_line("PUT", &url(target, kind, Some(object)), args)
}

/// The same call on one line (for a report's `how`; a value may still hold newlines).
pub(crate) fn one_line(method: &str, url: &str, args: &[String]) -> String {
    let mut line = format!("{CURL} -X {method} {url} -H \"Fastly-Key: $FASTLY_API_TOKEN\"");
    for a in args {
        line.push(' ');
        line.push_str(a);
    }
    line
}

pub fn emit(plan: &Plan, target: &ServiceVersion) -> Emitted {
    let mut text = super::output_text(plan, 1024);
    text.push_str("#!/usr/bin/env bash\n");
    text.push_str(
        "# Written by `vcl-backend migrate --to curl`: creates the migrated healthchecks, then\n\
         # the backends, with the Fastly API (FASTLY_API_ENDPOINT overrides its address).\n",
    );
    if !plan.directors.is_empty() {
        text.push_str("# Then the directors, each followed by its members.\n");
    }
    let mut needs = vec!["FASTLY_API_TOKEN"];
    if target.service_id.is_none() {
        needs.push("FASTLY_SERVICE_ID");
    }
    if target.version.is_none() {
        needs.push("FASTLY_SERVICE_VERSION (a version not yet activated)");
    }
    let last = needs.pop().unwrap_or_default();
    let needs = if needs.is_empty() {
        last.to_string()
    } else {
        format!("{} and {last}", needs.join(", "))
    };
    text.push_str(&format!("# Needs {needs}.\nset -euo pipefail\n"));
    let mut notes = Vec::new();
    let objects = plan
        .healthchecks
        .iter()
        .map(|h| (Kind::Healthcheck, h.name.as_deref(), fields(h)))
        .chain(
            plan.backends
                .iter()
                .map(|b| (Kind::Backend, b.name.as_deref(), fields(b))),
        );
    for (kind, name, set) in objects {
        let name = name.unwrap_or("");
        let mut args = Vec::new();
        for (field, value) in &set {
            match form_values(field, value) {
                Some(values) => args.extend(data_args(field, &values)),
                None => notes.push(Note {
                    object: name.to_string(),
                    kind: kind.word(),
                    field: field.clone(),
                    message: format!("`{field}` is not a value an API form can hold: {value}"),
                    how: None,
                }),
            }
        }
        text.push('\n');
        text.push_str(&shell::comment_out(&format!("{} `{name}`", kind.word())));
        text.push('\n');
        text.push_str(&command("POST", &url(target, kind, None), &args));
        text.push('\n');
    }
    text.push_str(&director_commands(plan, target, &mut notes));
    Emitted {
        text,
        notes,
        left_to_api: Vec::new(),
        remarks: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Backend, Healthcheck};

    /// What `fields` gives, by way of serde's map (how it was first written).
    fn through_serde(object: &impl serde::Serialize) -> Vec<(String, Value)> {
        let Ok(Value::Object(map)) = serde_json::to_value(object) else {
            panic!("not an object");
        };
        map.into_iter()
            .filter(|(k, v)| !v.is_null() && !properties::is_metadata(k))
            .collect()
    }

    #[test]
    fn fields_are_what_serde_writes() {
        // Every field set, metadata included; unknown fields, one null, one a known name.
        let backend: Backend = serde_json::from_str(
            r#"{"name": "a", "address": "h", "port": 443, "use_ssl": true,
                "ssl_check_cert": false, "ssl_cert_hostname": "c", "ssl_sni_hostname": "s",
                "ssl_hostname": "o", "ssl_ca_cert": "ca", "ssl_client_cert": "cc",
                "ssl_client_key": "ck", "ssl_ciphers": "x", "min_tls_version": "1.2",
                "max_tls_version": "1.3", "override_host": "oh", "connect_timeout": 1,
                "first_byte_timeout": 2, "between_bytes_timeout": 3, "fetch_timeout": 4,
                "keepalive_time": 5, "max_conn": 6, "error_threshold": 7, "share_key": "k",
                "healthcheck": "hc", "prefer_ipv6": true, "hostname": "hn", "ipv4": "1.2.3.4",
                "ipv6": "::1", "auto_loadbalance": false, "weight": 8, "shield": "iad",
                "request_condition": "rc", "comment": "", "tcp_keepalive_enable": true,
                "tcp_keepalive_interval": 9, "tcp_keepalive_probes": 10,
                "tcp_keepalive_time": 11, "max_use": 12, "max_lifetime": -13,
                "client_cert": "x", "service_id": "sid", "version": 3, "locked": true,
                "created_at": "t", "updated_at": "t", "deleted_at": "t",
                "zz_new": {"a": [1]}, "zz_null": null}"#,
        )
        .unwrap();
        assert_eq!(fields(&backend), through_serde(&backend));
        let mut renamed = backend.clone();
        renamed
            .extra
            .insert("address".into(), Value::from("elsewhere"));
        renamed.extra.insert("share_key".into(), Value::Null);
        assert_eq!(fields(&renamed), through_serde(&renamed));
        let hc = Healthcheck {
            name: Some("h".into()),
            headers: Some(vec!["X: 1".into(), "Y: 2".into()]),
            check_interval: Some(1000),
            version: Some(2),
            ..Healthcheck::default()
        };
        assert_eq!(fields(&hc), through_serde(&hc));
        assert_eq!(fields(&Backend::default()), Vec::new());
        for (object, names) in [
            (fields(&backend), field_names(&backend)),
            (fields(&renamed), field_names(&renamed)),
            (fields(&hc), field_names(&hc)),
        ] {
            let expected: Vec<&str> = object.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(names, expected);
        }
    }

    #[test]
    fn every_field_is_one_quoted_word_and_lists_repeat_their_key() {
        let plan = Plan {
            healthchecks: vec![Healthcheck {
                name: Some("hc".into()),
                headers: Some(vec!["X-A: it's".into(), "X-B: $(x)".into()]),
                ..Healthcheck::default()
            }],
            backends: vec![Backend {
                name: Some("b".into()),
                port: Some(8443),
                use_ssl: Some(true),
                ssl_ca_cert: Some("-----BEGIN\nX\n-----END".into()),
                healthcheck: Some("hc".into()),
                ..Backend::default()
            }],
            ..Plan::default()
        };
        let out = emit(&plan, &ServiceVersion::default());
        assert!(out.notes.is_empty());
        let t = &out.text;
        assert!(t.contains("--data-urlencode 'headers=X-A: it'\\''s' \\\n"));
        assert!(t.contains("--data-urlencode 'headers=X-B: $(x)'"));
        assert!(t.contains("--data-urlencode 'use_ssl=1'"));
        assert!(t.contains("--data-urlencode $'ssl_ca_cert=-----BEGIN\\nX\\n-----END'"));
        assert!(t.contains(
            "-X POST \"${FASTLY_API_ENDPOINT:-https://api.fastly.com}/service/${FASTLY_SERVICE_ID:?}/version/${FASTLY_SERVICE_VERSION:?}/healthcheck\""
        ));
        assert!(t.find("/healthcheck\"").unwrap() < t.find("/backend\"").unwrap());
    }

    #[test]
    fn service_ids_and_names_are_percent_encoded_in_urls() {
        let target = ServiceVersion {
            service_id: Some("a b\"$(x)".into()),
            version: Some(4),
        };
        assert_eq!(
            url(&target, Kind::Backend, Some("x/y")),
            "\"${FASTLY_API_ENDPOINT:-https://api.fastly.com}/service/a%20b%22%24%28x%29/version/4/backend/x%2Fy\""
        );
    }
}
