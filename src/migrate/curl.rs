//! `--to curl`: the plan as calls of the Fastly API with curl, healthchecks first (backends
//! name them). curl can set every field, so the script is complete: one `--data-urlencode`
//! per field, each a single-quoted `'field=value'` word, so nothing in a value is expanded.
//!
//! The pieces are shared with [`super::fastly_cli`], whose script carries what the CLI cannot
//! as commented curl commands.

use serde_json::Value;

pub(crate) use crate::api_json::Kind;
use crate::migrate::{Emitted, Note, Plan, Target, shell};

/// The API's base URL, overridable like the Fastly CLI's.
pub(crate) const ENDPOINT: &str = "${FASTLY_API_ENDPOINT:-https://api.fastly.com}";

/// The start of every call: silent but for errors, failing the script on an HTTP error.
const CURL: &str = "curl -sS --fail-with-body";

/// Read-only metadata an exported object may carry: never sent.
pub(crate) const METADATA: &[&str] = &[
    "service_id",
    "version",
    "locked",
    "created_at",
    "updated_at",
    "deleted_at",
];

/// An object's fields that are set, in the model's order (metadata and nulls left out).
pub(crate) fn fields(object: &impl serde::Serialize) -> Vec<(String, Value)> {
    match serde_json::to_value(object) {
        Ok(Value::Object(map)) => map
            .into_iter()
            .filter(|(k, v)| !v.is_null() && !METADATA.contains(&k.as_str()))
            .collect(),
        _ => Vec::new(),
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
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `"${FASTLY_API_ENDPOINT:-...}/service/SID/version/VER/KIND"`, and `/NAME` when `name` is
/// given: the URL of a collection or of one object, double-quoted for the shell.
pub(crate) fn url(target: &Target, kind: Kind, name: Option<&str>) -> String {
    let service = target
        .service_id
        .as_deref()
        .map_or_else(|| "${FASTLY_SERVICE_ID:?}".to_string(), segment);
    let version = target.version.map_or_else(
        || "${FASTLY_SERVICE_VERSION:?}".to_string(),
        |v| v.to_string(),
    );
    let object = name.map(|n| format!("/{}", segment(n))).unwrap_or_default();
    format!(
        "\"{ENDPOINT}/service/{service}/version/{version}/{}{object}\"",
        kind.word()
    )
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

/// The same call on one line (for a report's `how`; a value may still hold newlines).
pub(crate) fn one_line(method: &str, url: &str, args: &[String]) -> String {
    let mut line = format!("{CURL} -X {method} {url} -H \"Fastly-Key: $FASTLY_API_TOKEN\"");
    for a in args {
        line.push(' ');
        line.push_str(a);
    }
    line
}

pub fn emit(plan: &Plan, target: &Target) -> Emitted {
    let mut text = String::new();
    text.push_str("#!/usr/bin/env bash\n");
    text.push_str(
        "# Written by `vcl-backend migrate --to curl`: creates the migrated healthchecks, then\n\
         # the backends, with the Fastly API (FASTLY_API_ENDPOINT overrides its address).\n",
    );
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
    Emitted { text, notes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Backend, Healthcheck};

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
        let out = emit(&plan, &Target::default());
        assert!(out.notes.is_empty());
        let t = &out.text;
        assert!(t.contains("--data-urlencode 'headers=X-A: it'\\''s' \\\n"));
        assert!(t.contains("--data-urlencode 'headers=X-B: $(x)'"));
        assert!(t.contains("--data-urlencode 'use_ssl=1'"));
        assert!(t.contains("--data-urlencode 'ssl_ca_cert=-----BEGIN\nX\n-----END'"));
        assert!(t.contains(
            "-X POST \"${FASTLY_API_ENDPOINT:-https://api.fastly.com}/service/${FASTLY_SERVICE_ID:?}/version/${FASTLY_SERVICE_VERSION:?}/healthcheck\""
        ));
        assert!(t.find("/healthcheck\"").unwrap() < t.find("/backend\"").unwrap());
    }

    #[test]
    fn service_ids_and_names_are_percent_encoded_in_urls() {
        let target = Target {
            service_id: Some("a b\"$(x)".into()),
            version: Some(4),
        };
        assert_eq!(
            url(&target, Kind::Backend, Some("x/y")),
            "\"${FASTLY_API_ENDPOINT:-https://api.fastly.com}/service/a%20b%22%24%28x%29/version/4/backend/x%2Fy\""
        );
    }
}
