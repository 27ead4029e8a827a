//! `--to fastly-cli`: the plan as a bash script of `fastly service healthcheck create` and
//! `fastly service backend create|update` commands, healthchecks first (backends name them).
//!
//! Written for what the real CLI (v16.1.0) sends, as docs/design.md §8 records it:
//! - every value is `--flag='value'`, one single-quoted word, so a PEM value starting with
//!   `-` is not read as a flag and nothing in a value is expanded;
//! - `--override-host` is always given (`''` when the backend has none): with none of the
//!   three host flags, the CLI would set `override_host` and both `ssl_*_hostname` to the
//!   address;
//! - `--use-ssl` on create sends nothing (and without `--port` it sends `port=443`), so it is
//!   never used there: the API turns TLS on for port 443 by itself, and for TLS on any other
//!   port the create is followed by `backend update --use-ssl`, which does send `use_ssl=1`;
//! - what no flag can send (`share_key`, `ssl_hostname`, `fetch_timeout`, `error_threshold`,
//!   healthcheck `headers`, `use_ssl` false on port 443, ...) is reported, and written after
//!   the object's commands as a commented curl call that would set it;
//! - the CLI has no director commands: the directors and their members are curl calls that the
//!   script runs, with `FASTLY_API_TOKEN` checked first and, without `--version`, every command
//!   on `FASTLY_SERVICE_VERSION` (a curl call needs the version's number).

use serde_json::Value;

use crate::migrate::curl::{self, Kind};
use crate::migrate::{Emitted, Note, Plan, ServiceVersion, shell};
use crate::model::properties::{self, BACKEND, HEALTHCHECK};
use crate::model::{Backend, Healthcheck};

/// A field the CLI cannot send, with its value and why.
struct Left {
    field: String,
    value: Value,
    why: String,
}

pub fn emit(plan: &Plan, target: &ServiceVersion) -> Emitted {
    let mut out = Script {
        target,
        version_from_env: target.version.is_none() && !plan.directors.is_empty(),
        text: header(plan, target),
        notes: Vec::new(),
        left_to_api: Vec::new(),
    };
    for h in &plan.healthchecks {
        out.healthcheck(h);
    }
    for b in &plan.backends {
        out.backend(b);
    }
    let mut remarks = Vec::new();
    if !plan.directors.is_empty() {
        out.text.push_str(
            "\n# The directors: the Fastly CLI has no director commands, so these are curl calls.\n",
        );
        let directors = curl::director_commands(plan, target, &mut out.notes);
        out.text.push_str(&directors);
        remarks.push(format!(
            "the Fastly CLI has no director commands: the script creates the {} with curl calls to the API (it needs FASTLY_API_TOKEN{})",
            plural(plan.directors.len(), "director"),
            if target.version.is_none() {
                ", and FASTLY_SERVICE_VERSION for every command"
            } else {
                ""
            },
        ));
    }
    Emitted {
        text: out.text,
        notes: out.notes,
        left_to_api: out.left_to_api,
        remarks,
    }
}

/// `1 director`, `2 directors`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn header(plan: &Plan, target: &ServiceVersion) -> String {
    let mut text = super::output_text(plan, 1024);
    text.push_str("#!/usr/bin/env bash\n");
    text.push_str(&format!(
        "# Written by `vcl-backend migrate --to fastly-cli`: {} healthcheck{}, then {} backend{},\n\
         # with the Fastly CLI (`fastly`, authenticated by a profile or FASTLY_API_TOKEN).\n",
        plan.healthchecks.len(),
        if plan.healthchecks.len() == 1 {
            ""
        } else {
            "s"
        },
        plan.backends.len(),
        if plan.backends.len() == 1 { "" } else { "s" },
    ));
    if target.service_id.is_none() {
        text.push_str("# The service is FASTLY_SERVICE_ID.\n");
    }
    let directors = !plan.directors.is_empty();
    if directors {
        text.push_str(&format!(
            "# Then {}, with curl (the Fastly CLI has no director commands).\n",
            plural(plan.directors.len(), "director")
        ));
    }
    match (target.version, directors) {
        (None, false) => text.push_str(
            "# The version is the latest, cloned first if it is locked (`--autoclone`).\n",
        ),
        (None, true) => text.push_str(
            "# The version is FASTLY_SERVICE_VERSION (a version not yet activated): the\n\
             # directors' curl calls name it, so every command does.\n",
        ),
        _ => {}
    }
    text.push_str(
        "# Lines `# curl ...` set what the CLI has no flag for: run them by hand afterwards,\n\
         # with FASTLY_API_TOKEN set",
    );
    if target.version.is_none() {
        text.push_str(" (and FASTLY_SERVICE_VERSION: the version the commands changed)");
    }
    text.push_str(".\nset -euo pipefail\n");
    if directors {
        text.push_str(
            ": \"${FASTLY_API_TOKEN:?the directors are created with curl, which needs FASTLY_API_TOKEN}\"\n",
        );
        if target.version.is_none() {
            text.push_str(
                ": \"${FASTLY_SERVICE_VERSION:?set it to the version to change: the directors are created with curl, which needs its number}\"\n",
            );
        }
    }
    text
}

struct Script<'a> {
    target: &'a ServiceVersion,
    /// Every command on `FASTLY_SERVICE_VERSION`, as the directors' curl calls are.
    version_from_env: bool,
    text: String,
    notes: Vec<Note>,
    left_to_api: Vec<Note>,
}

impl Script<'_> {
    /// `fastly service KIND VERB --non-interactive --service-id=... --version=...`.
    fn start(&self, kind: Kind, verb: &str) -> Vec<String> {
        let mut args = vec![
            format!("fastly service {} {verb}", kind.word()),
            "--non-interactive".to_string(),
        ];
        args.push(match &self.target.service_id {
            Some(id) => shell::flag("service-id", id),
            None => "--service-id=\"${FASTLY_SERVICE_ID:?}\"".to_string(),
        });
        match self.target.version {
            Some(v) => args.push(shell::flag("version", &v.to_string())),
            None if self.version_from_env => {
                args.push("--version=\"${FASTLY_SERVICE_VERSION:?}\"".to_string());
            }
            None => {
                args.push(shell::flag("version", "latest"));
                args.push("--autoclone".to_string());
            }
        }
        args
    }

    fn push_command(&mut self, args: &[String]) {
        self.text.push_str(&args.join(" \\\n  "));
        self.text.push('\n');
    }

    fn heading(&mut self, kind: Kind, name: &str) {
        self.text.push('\n');
        self.text
            .push_str(&shell::comment_out(&format!("{} `{name}`", kind.word())));
        self.text.push('\n');
    }

    fn healthcheck(&mut self, h: &Healthcheck) {
        let name = h.name.clone().unwrap_or_default();
        self.heading(Kind::Healthcheck, &name);
        let mut args = self.start(Kind::Healthcheck, "create");
        let mut left = Vec::new();
        for (field, value) in curl::fields(h) {
            match properties::cli_flag(HEALTHCHECK, &field) {
                Some(flag) => args.push(shell::flag(flag, &flag_value(&value))),
                None => {
                    let why = if field == "headers" {
                        "the Fastly CLI has no flag for healthcheck `headers`: the probe's custom \
                         request headers"
                            .to_string()
                    } else {
                        format!("the Fastly CLI has no flag for healthcheck `{field}`")
                    };
                    left.push(Left { field, value, why });
                }
            }
        }
        self.push_command(&args);
        self.leave(Kind::Healthcheck, &name, left);
    }

    fn backend(&mut self, b: &Backend) {
        let name = b.name.clone().unwrap_or_default();
        self.heading(Kind::Backend, &name);
        let mut args = self.start(Kind::Backend, "create");
        let mut left = Vec::new();
        let set = curl::fields(b);
        for property in BACKEND {
            let properties::CliFlag::Value(flag) = property.cli else {
                continue;
            };
            match set.iter().find(|(f, _)| property.api == Some(f.as_str())) {
                Some((_, value)) => args.push(shell::flag(flag, &flag_value(value))),
                // Always given: without any host flag the CLI sets all three to the address.
                None if property.api == Some("override_host") => args.push(shell::flag(flag, "")),
                None => {}
            }
        }
        for (field, value) in &set {
            if properties::cli_flag(BACKEND, field).is_some() {
                continue;
            }
            match (field.as_str(), value) {
                // `--ssl-check-cert` is deprecated (the CLI says so): true is the API's default.
                ("ssl_check_cert", Value::Bool(true)) => {
                    self.default(&name, field, "true is the API's default; not sent");
                }
                ("ssl_check_cert", Value::Bool(false)) => args.push("--no-ssl-check-cert".into()),
                ("auto_loadbalance", Value::Bool(true)) => {
                    args.push("--auto-loadbalance".into());
                }
                // `--auto-loadbalance=false` is a parse error.
                ("auto_loadbalance", Value::Bool(false)) => {
                    self.default(&name, field, "false is the API's default; not sent");
                }
                ("use_ssl", _) => {}
                ("error_threshold", Value::Number(n)) if n.as_i64() == Some(0) => {
                    self.default(&name, field, "0 is the API's default; not sent");
                }
                _ => left.push(Left {
                    field: field.clone(),
                    value: value.clone(),
                    why: no_flag_reason(field),
                }),
            }
        }
        self.push_command(&args);
        // The API sets `use_ssl` from port 443 or 80 when it is not sent; otherwise its
        // default is false. `--use-ssl` sends `use_ssl=1` only on update, and nothing can
        // send `use_ssl=0`.
        let derived = b.port == Some(443);
        match b.use_ssl {
            Some(true) if !derived => {
                let mut update = self.start(Kind::Backend, "update");
                update.push(shell::flag("name", &name));
                update.push("--use-ssl".to_string());
                self.push_command(&update);
            }
            Some(false) if derived => left.push(Left {
                field: "use_ssl".into(),
                value: Value::Bool(false),
                why: "the Fastly CLI cannot send `use_ssl` false, and the API turns TLS on for \
                      port 443 when `use_ssl` is not sent: the backend would use TLS"
                    .into(),
            }),
            Some(true) => self.default(
                &name,
                "use_ssl",
                "not sent: the API turns TLS on for port 443",
            ),
            Some(false) => self.default(
                &name,
                "use_ssl",
                "not sent: false is the API's default for ports other than 443",
            ),
            None => {}
        }
        self.leave(Kind::Backend, &name, left);
    }

    /// Notes a backend field the script does not send because the API sets the same value.
    fn default(&mut self, backend: &str, field: &str, message: &str) {
        self.left_to_api.push(Note {
            object: backend.to_string(),
            kind: "backend",
            field: field.to_string(),
            message: message.to_string(),
            how: None,
        });
    }

    /// Reports what the CLI could not send, and writes the curl call that would, commented.
    fn leave(&mut self, kind: Kind, name: &str, left: Vec<Left>) {
        if left.is_empty() {
            return;
        }
        let mut all = Vec::new();
        let mut fields = Vec::new();
        for l in left {
            let values = curl::form_values(&l.field, &l.value);
            // An empty list (no probe headers) is the API's default: nothing to carry.
            if values.as_ref().is_some_and(Vec::is_empty) {
                continue;
            }
            let how = values.map(|values| {
                let args = curl::data_args(&l.field, &values);
                let how = curl::put_fields(self.target, kind, name, &args);
                all.extend(args);
                fields.push(format!("`{}`", l.field));
                how
            });
            self.notes.push(Note {
                object: name.to_string(),
                kind: kind.word(),
                field: l.field,
                message: l.why,
                how,
            });
        }
        if all.is_empty() {
            return;
        }
        let fields = match fields.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => fields.concat(),
        };
        self.text.push_str(&shell::comment_out(&format!(
            "The Fastly CLI cannot set {fields}; this call does:"
        )));
        self.text.push('\n');
        self.text.push_str(&shell::comment_out(&curl::command(
            "PUT",
            &curl::url(self.target, kind, Some(name)),
            &all,
        )));
        self.text.push('\n');
    }
}

/// Why a backend field has no flag.
fn no_flag_reason(field: &str) -> String {
    match field {
        "share_key" => "the Fastly CLI has no flag for `share_key`: without it, Fastly's \
                        generated VCL uses the service ID as the backend's share key"
            .into(),
        "ssl_hostname" => "the Fastly CLI has no flag for the deprecated `ssl_hostname` (its \
                           `--ssl-cert-hostname` and `--ssl-sni-hostname` replace it)"
            .into(),
        _ => format!("the Fastly CLI has no flag for backend `{field}`"),
    }
}

/// A flag's value as the CLI reads it: text as it is, numbers and booleans (`true`/`false`,
/// as `--prefer-ipv6` and `--tcp-ka-enabled` take them) written out.
fn flag_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend(name: &str, port: i64, ssl: bool) -> Backend {
        Backend {
            name: Some(name.into()),
            address: Some("origin.example.com".into()),
            port: Some(port),
            use_ssl: Some(ssl),
            ..Backend::default()
        }
    }

    fn run(backends: Vec<Backend>, target: &ServiceVersion) -> Emitted {
        let plan = Plan {
            backends,
            ..Plan::default()
        };
        emit(&plan, target)
    }

    #[test]
    fn tls_off_port_443_is_followed_by_an_update_and_port_443_without_tls_is_reported() {
        let out = run(
            vec![
                backend("a", 8443, true),
                backend("b", 443, true),
                backend("c", 443, false),
            ],
            &ServiceVersion::default(),
        );
        let t = &out.text;
        assert_eq!(t.matches("fastly service backend update").count(), 1);
        assert!(t.contains("--name='a' \\\n  --use-ssl\n"));
        assert!(!t.contains("create --non-interactive \\\n  --use-ssl"));
        assert_eq!(out.notes.len(), 1);
        assert_eq!(
            (out.notes[0].object.as_str(), out.notes[0].field.as_str()),
            ("c", "use_ssl")
        );
        assert!(t.contains("#   --data-urlencode 'use_ssl=0'"));
        assert_eq!(t.matches("--override-host=''").count(), 3);
        assert!(t.contains("--service-id=\"${FASTLY_SERVICE_ID:?}\""));
        assert!(t.contains("--version='latest' \\\n  --autoclone"));
    }

    /// The CLI has no director commands: the directors are curl calls the script runs, on the
    /// version every command names, with the token checked before anything is sent.
    #[test]
    fn directors_are_curl_calls_that_run_on_the_version_every_command_names() {
        let plan = Plan {
            backends: vec![backend("a", 80, false)],
            directors: vec![crate::model::Director {
                name: Some("pool".into()),
                kind: Some(1),
                quorum: Some(50),
                backends: Some(vec!["a".into()]),
                ..crate::model::Director::default()
            }],
            ..Plan::default()
        };
        let out = emit(&plan, &ServiceVersion::default());
        let t = &out.text;
        assert!(!t.contains("--autoclone"), "{t}");
        assert!(
            t.contains("--version=\"${FASTLY_SERVICE_VERSION:?}\""),
            "{t}"
        );
        let checks = t.find(": \"${FASTLY_API_TOKEN:?").unwrap();
        assert!(checks < t.find("fastly service").unwrap());
        assert!(t.contains(": \"${FASTLY_SERVICE_VERSION:?"));
        assert!(t.contains("\ncurl -sS --fail-with-body -X POST \"${FASTLY_API_ENDPOINT:-https://api.fastly.com}/service/${FASTLY_SERVICE_ID:?}/version/${FASTLY_SERVICE_VERSION:?}/director\""));
        assert!(t.contains("/director/pool/backend/a\""));
        assert_eq!(out.remarks.len(), 1);
        assert!(out.remarks[0].contains("no director commands"));
        // With a version given, the CLI commands name it and only the token is checked.
        let fixed = emit(
            &plan,
            &ServiceVersion {
                service_id: None,
                version: Some(3),
            },
        );
        assert!(fixed.text.contains("/version/3/director\""));
        assert!(!fixed.text.contains("FASTLY_SERVICE_VERSION"));
    }

    #[test]
    fn fields_without_flags_become_notes_and_commented_curl_lines() {
        let mut b = backend("b", 80, false);
        b.share_key = Some("k'1\n$(x)".into());
        b.fetch_timeout = Some(3000);
        let target = ServiceVersion {
            service_id: Some("SVC".into()),
            version: Some(7),
        };
        let out = run(vec![b], &target);
        let fields: Vec<&str> = out.notes.iter().map(|n| n.field.as_str()).collect();
        assert_eq!(fields, ["fetch_timeout", "share_key"]);
        assert!(out.notes.iter().all(|n| n.how.is_some()));
        // Every line after the command's is a comment.
        let after = out.text.split("--override-host=''").nth(1).unwrap();
        let body: Vec<&str> = after.lines().skip(1).filter(|l| !l.is_empty()).collect();
        assert!(body.iter().all(|l| l.starts_with('#')), "{body:?}");
        // The value on one line, its newline escaped: the comment would run as it stands.
        assert!(out.text.contains("$'share_key=k\\'1\\n$(x)'"));
        assert!(out.text.contains("/service/SVC/version/7/backend/b\""));
        assert!(out.text.contains("--service-id='SVC'"));
        assert!(out.text.contains("--version='7'"));
    }
}
