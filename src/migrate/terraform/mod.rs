//! `--to terraform`: `healthcheck { ... }`, `backend { ... }` and `director { ... }` blocks
//! for the body of a `resource "fastly_service_vcl"` in terraform-provider-fastly,
//! healthchecks first, directors last (docs/design.md §9).
//!
//! Every attribute the provider has is written with its value, the provider's default where the
//! plan has none: VCL's defaults and the provider's differ (a probe's above all), so nothing is
//! left to either side's. `keepalive_time` (no default in the provider) and `headers` are the
//! exceptions: they are written only when set. The provider requires a healthcheck's `host`
//! and `path`; a probe that names none (a VCL `.url` probe) gets the backend's `override_host`,
//! else its `address`, and a path of `/` (Varnish's default), each with a [`Note`].
//!
//! Fields the provider has no attribute for (`ssl_hostname`, `fetch_timeout`,
//! `tcp_keepalive_*`, a `comment`, ...) become a [`Note`], with a `curl` command that sets them
//! where the API can, and a comment in the block. Read-only metadata (`service_id`, `version`,
//! `created_at`, ...) describes an object rather than configures it and is not written.
//!
//! Values are HCL-escaped so that none can end its string or start a template: in quoted
//! strings `\`, `"` and control characters are escaped, and `${` / `%{` are doubled to
//! `$${` / `%%{`. A value of lines that ends in a newline (a PEM certificate or key) is a
//! heredoc whose delimiter is no line of the value; any other value is a quoted string, so a
//! value never gains or loses a final newline.

use std::collections::HashMap;
use std::fmt::Write;

use crate::migrate::curl;
use crate::migrate::{Emitted, Note, Plan, ServiceVersion, shell};
use crate::model::ObjectKind;
use crate::model::properties::{self, BACKEND, HEALTHCHECK, Row};
use crate::model::{Backend, Director, Healthcheck, none_if_empty};

pub(crate) mod hcl;

use hcl::{HclBlock, Value, quoted, render_block};

/// Writes the plan's healthchecks and backends as terraform-provider-fastly blocks.
pub fn emit(plan: &Plan, target: &ServiceVersion) -> Emitted {
    let mut notes = Vec::new();
    let mut blocks = Vec::new();
    // Built when a healthcheck first needs a host chosen: a plan from VCL names every host.
    let users = std::cell::OnceCell::new();
    for hc in &plan.healthchecks {
        blocks.push(healthcheck_block(hc, plan, &users, target, &mut notes));
    }
    for backend in &plan.backends {
        blocks.push(backend_block(backend, target, &mut notes));
    }
    for director in &plan.directors {
        blocks.push(director_block(director, target, &mut notes));
    }
    let mut text = super::output_text(plan, 1024);
    text.push_str(&header(target));
    if !plan.directors.is_empty() {
        text.push_str("# The director blocks come last: they name backends.\n");
    }
    if blocks.is_empty() {
        text.push_str("\n# No backend to migrate.\n");
    }
    for block in &blocks {
        text.push('\n');
        render_block(&mut text, block);
    }
    Emitted {
        text,
        notes,
        left_to_api: Vec::new(),
        remarks: Vec::new(),
    }
}

fn header(target: &ServiceVersion) -> String {
    let mut out = String::from(
        "# Backends and healthchecks migrated from VCL by `vcl-backend migrate`, for\n\
         # terraform-provider-fastly. Paste these blocks into the body of your\n\
         # `resource \"fastly_service_vcl\"`, the healthcheck blocks first: backends name them.\n\
         # Every value is written out, since VCL's defaults and the provider's differ.\n\
         # A comment in a block names what the provider cannot set; the migration report\n\
         # says how to set it.\n",
    );
    if let Some(id) = &target.service_id {
        // Escaped like a value, so that no character of it can end the comment.
        let _ = writeln!(
            out,
            "# The service is {}: bring it under Terraform with\n\
             # `terraform import fastly_service_vcl.NAME {}` before the first apply.",
            quoted(id),
            shell::quote(id),
        );
    }
    if let Some(version) = target.version {
        let _ = writeln!(
            out,
            "# Terraform clones and activates versions itself: `--version {version}` is not used here."
        );
    }
    out
}

/// The provider's healthcheck defaults (docs/design.md §9).
const HC_DEFAULTS: HcDefaults = HcDefaults {
    method: "HEAD",
    http_version: "1.1",
    check_interval: 5000,
    timeout: 5000,
    window: 5,
    threshold: 3,
    initial: 3,
    expected_response: 200,
};

struct HcDefaults {
    method: &'static str,
    http_version: &'static str,
    check_interval: i64,
    timeout: i64,
    window: i64,
    threshold: i64,
    initial: i64,
    expected_response: i64,
}

fn healthcheck_block<'p>(
    hc: &Healthcheck,
    plan: &'p Plan,
    users: &std::cell::OnceCell<Users<'p>>,
    target: &ServiceVersion,
    notes: &mut Vec<Note>,
) -> HclBlock {
    let name = hc.name.as_deref().unwrap_or("");
    let note = |field: &str, message: String, how: Option<String>| Note {
        object: name.to_string(),
        kind: "healthcheck",
        field: field.to_string(),
        message,
        how,
    };
    let d = &HC_DEFAULTS;
    let mut block = HclBlock::new("healthcheck");
    block.str("name", Some(name), "");
    let host = match hc.host.as_deref() {
        Some(host) => host.to_string(),
        None => {
            let users = users.get_or_init(|| users_by_healthcheck(plan));
            let users = users.get(name).map_or(&[][..], Vec::as_slice);
            let (host, message) = chosen_host(users);
            block
                .comments
                .push(format!("host: the VCL probe names none; {message}"));
            notes.push(note(
                "host",
                format!("the VCL probe sends no Host header of its own (a `.url` probe, or a `.request` without one): {message}"),
                Some("change `host` in the healthcheck block if the origin expects another Host header".into()),
            ));
            host
        }
    };
    block.str("host", Some(&host), "");
    if hc.path.is_none() {
        block
            .comments
            .push("path: the VCL probe names none; \"/\" is Varnish's default".into());
        notes.push(note(
            "path",
            "the VCL probe names no path: `path` is set to \"/\", Varnish's default `.url`".into(),
            None,
        ));
    }
    block.str("path", hc.path.as_deref(), "/");
    block.str("method", hc.method.as_deref(), d.method);
    block.str("http_version", hc.http_version.as_deref(), d.http_version);
    block.int("check_interval", hc.check_interval, d.check_interval);
    block.int("timeout", hc.timeout, d.timeout);
    block.int("window", hc.window, d.window);
    block.int("threshold", hc.threshold, d.threshold);
    block.int("initial", hc.initial, d.initial);
    block.int(
        "expected_response",
        hc.expected_response,
        d.expected_response,
    );
    if let Some(headers) = &hc.headers {
        block
            .attributes
            .push(("headers", Value::List(headers.clone())));
    }
    let defaulted: Vec<&str> = [
        ("method", hc.method.is_none()),
        ("http_version", hc.http_version.is_none()),
        ("check_interval", hc.check_interval.is_none()),
        ("timeout", hc.timeout.is_none()),
        ("window", hc.window.is_none()),
        ("threshold", hc.threshold.is_none()),
        ("initial", hc.initial.is_none()),
        ("expected_response", hc.expected_response.is_none()),
    ]
    .iter()
    .filter(|(_, absent)| *absent)
    .map(|(field, _)| *field)
    .collect();
    if !defaulted.is_empty() {
        block.comments.push(format!(
            "the provider's defaults (the VCL probe does not set them): {}",
            defaulted.join(", ")
        ));
    }
    for (field, value) in not_carried(hc, HEALTHCHECK) {
        block.comments.push(not_carried_comment(&field, &value));
        let how = how_to_set(target, ObjectKind::Healthcheck, name, &field, &value);
        notes.push(note(
            &field,
            "has no attribute in terraform-provider-fastly's healthcheck block".into(),
            Some(how),
        ));
    }
    block
}

/// The backends that use each healthcheck, in plan order.
type Users<'p> = HashMap<&'p str, Vec<&'p Backend>>;

/// Every healthcheck's users, gathered in one pass over the backends: looking them up for
/// each healthcheck in turn was quadratic (thousands of `.url` probes, docs/performance.md).
fn users_by_healthcheck(plan: &Plan) -> Users<'_> {
    let mut users: Users<'_> = HashMap::new();
    for b in &plan.backends {
        #[cfg(test)]
        tests::BACKENDS_READ.with(|n| n.set(n.get() + 1));
        if let Some(name) = none_if_empty(&b.healthcheck) {
            users.entry(name).or_default().push(b);
        }
    }
    users
}

/// The host for a healthcheck whose probe names none, given the backends that use it: the
/// `override_host` of the first, else its `address`; and what to tell the user.
fn chosen_host(users: &[&Backend]) -> (String, String) {
    let host_of = |b: &Backend| -> (String, &'static str) {
        match none_if_empty(&b.override_host) {
            Some(host) => (host.to_string(), "override_host"),
            None => (b.address.clone().unwrap_or_default(), "address"),
        }
    };
    let Some(first) = users.first() else {
        return (
            String::new(),
            "no backend uses this healthcheck, so `host` is empty: fill it in".into(),
        );
    };
    let (host, source) = host_of(first);
    let mut message = format!(
        "`host` is set to backend `{}`'s {source} {}",
        first.name.as_deref().unwrap_or(""),
        quoted(&host)
    );
    let others: Vec<String> = users[1..]
        .iter()
        .filter(|b| {
            #[cfg(test)]
            tests::BACKENDS_READ.with(|n| n.set(n.get() + 1));
            host_of(b).0 != host
        })
        .map(|b| format!("`{}`", b.name.as_deref().unwrap_or("")))
        .collect();
    if !others.is_empty() {
        let (who, verb) = if others.len() == 1 {
            ("backend", "shares")
        } else {
            ("backends", "share")
        };
        let _ = write!(
            message,
            "; {who} {} {verb} this healthcheck with another host: give {} a healthcheck of its own if the Host header matters",
            others.join(", "),
            if others.len() == 1 { "it" } else { "each" },
        );
    }
    (host, message)
}

/// A backend's block, with the provider's defaults (docs/design.md §9) where the plan has no value.
fn backend_block(backend: &Backend, target: &ServiceVersion, notes: &mut Vec<Note>) -> HclBlock {
    let b = backend;
    let name = b.name.as_deref().unwrap_or("");
    let mut block = HclBlock::new("backend");
    block.str("name", Some(name), "");
    block.str("address", b.address.as_deref(), "");
    block.int("port", b.port, 80);
    block.str("override_host", b.override_host.as_deref(), "");
    block.bool("use_ssl", b.use_ssl, false);
    block.bool("ssl_check_cert", b.ssl_check_cert, true);
    block.str("ssl_cert_hostname", b.ssl_cert_hostname.as_deref(), "");
    block.str("ssl_sni_hostname", b.ssl_sni_hostname.as_deref(), "");
    block.str("min_tls_version", b.min_tls_version.as_deref(), "");
    block.str("max_tls_version", b.max_tls_version.as_deref(), "");
    block.str("ssl_ciphers", b.ssl_ciphers.as_deref(), "");
    block.int("connect_timeout", b.connect_timeout, 1000);
    block.int("first_byte_timeout", b.first_byte_timeout, 15000);
    block.int("between_bytes_timeout", b.between_bytes_timeout, 10000);
    if let Some(seconds) = b.keepalive_time {
        block.int("keepalive_time", Some(seconds), 0);
    }
    block.int("max_conn", b.max_conn, 200);
    block.int("max_use", b.max_use, 0);
    block.int("max_lifetime", b.max_lifetime, 0);
    block.int("error_threshold", b.error_threshold, 0);
    block.str("share_key", b.share_key.as_deref(), "");
    block.str("healthcheck", b.healthcheck.as_deref(), "");
    block.str("shield", b.shield.as_deref(), "");
    block.str("request_condition", b.request_condition.as_deref(), "");
    block.bool("auto_loadbalance", b.auto_loadbalance, false);
    block.int("weight", b.weight, 100);
    block.bool("prefer_ipv6", b.prefer_ipv6, false);
    // The certificates last: heredocs read best at the end of a block.
    block.str("ssl_ca_cert", b.ssl_ca_cert.as_deref(), "");
    block.str("ssl_client_cert", b.ssl_client_cert.as_deref(), "");
    block.str("ssl_client_key", b.ssl_client_key.as_deref(), "");

    for (field, value) in not_carried(b, BACKEND) {
        block.comments.push(not_carried_comment(&field, &value));
        let (why, how) = match field.as_str() {
            "hostname" | "ipv4" | "ipv6" => (": the API derives it from `address`", None),
            "client_cert" => (": the API documents it as unused", None),
            "ssl_hostname" => (
                "",
                Some(format!(
                    "set `ssl_cert_hostname` and `ssl_sni_hostname` to it in the block (the API deprecated `ssl_hostname` for them), or {}",
                    how_to_set(target, ObjectKind::Backend, name, &field, &value)
                )),
            ),
            _ => (
                "",
                Some(how_to_set(
                    target,
                    ObjectKind::Backend,
                    name,
                    &field,
                    &value,
                )),
            ),
        };
        notes.push(Note {
            object: name.to_string(),
            kind: "backend",
            field,
            message: format!("has no attribute in terraform-provider-fastly's backend block{why}"),
            how,
        });
    }
    block
}

/// A director's block, with the provider's defaults (docs/design.md §9) where the plan has
/// none. The provider has no `capacity` (the API documents it as unused).
fn director_block(director: &Director, target: &ServiceVersion, notes: &mut Vec<Note>) -> HclBlock {
    let d = director;
    let name = d.name.as_deref().unwrap_or("");
    let mut block = HclBlock::new("director");
    block.str("name", Some(name), "");
    block.attributes.push((
        "backends",
        Value::List(d.backends.clone().unwrap_or_default()),
    ));
    block.int("type", d.kind, 1);
    block.int("quorum", d.quorum, 75);
    block.int("retries", d.retries, 5);
    block.str("comment", d.comment.as_deref(), "");
    block.str("shield", d.shield.as_deref(), "");
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(d) else {
        return block;
    };
    for (field, value) in fields {
        if DIRECTOR_ATTRIBUTES.contains(&field.as_str())
            || properties::is_metadata(&field)
            || value.is_null()
            || value.as_str() == Some("")
        {
            continue;
        }
        block.comments.push(not_carried_comment(&field, &value));
        notes.push(Note {
            object: name.to_string(),
            kind: "director",
            message: "has no attribute in terraform-provider-fastly's director block".into(),
            how: Some(how_to_set(
                target,
                ObjectKind::Director,
                name,
                &field,
                &value,
            )),
            field,
        });
    }
    block
}

/// The attributes of the provider's `director` block.
const DIRECTOR_ATTRIBUTES: &[&str] = &[
    "name", "backends", "type", "quorum", "retries", "comment", "shield",
];

/// The fields of `object` that carry a value but have no attribute in the provider, known
/// fields and unknown ones (kept in `extra`) alike. `null` and `""` are the API's "none".
fn not_carried<R: Row>(
    object: &impl serde::Serialize,
    table: &'static [R],
) -> Vec<(String, serde_json::Value)> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(object) else {
        return Vec::new();
    };
    fields
        .into_iter()
        .filter(|(key, value)| {
            !properties::has_terraform_attribute(table, key)
                && !properties::is_metadata(key)
                && !value.is_null()
                && value.as_str() != Some("")
        })
        .collect()
}

fn not_carried_comment(field: &str, value: &serde_json::Value) -> String {
    let shown = match value {
        serde_json::Value::String(s) => quoted(s),
        // Compact JSON: escaped, on one line.
        other => other.to_string(),
    };
    format!("not carried: {field} = {shown} (no attribute in the provider)")
}

/// How to set a field Terraform cannot: with the API, once Terraform has made the object.
fn how_to_set(
    target: &ServiceVersion,
    kind: ObjectKind,
    object: &str,
    field: &str,
    value: &serde_json::Value,
) -> String {
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let args = curl::data_args(field, &[text]);
    format!(
        "set it with the API after `terraform apply`, on a draft version (Terraform neither sets nor undoes it):\n{}",
        curl::put_fields(target, kind, object, &args)
    )
}

#[cfg(test)]
mod tests {
    use super::hcl::heredoc;
    use super::*;
    use crate::controls;

    thread_local! {
        /// Backends read to choose healthcheck hosts: the work of [`users_by_healthcheck`].
        pub(super) static BACKENDS_READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// 2,000 healthchecks without a host (a plan built by a library user), each used by one
    /// backend: every host is chosen reading each backend a bounded number of times, not
    /// every backend per healthcheck.
    #[test]
    fn healthcheck_hosts_are_chosen_reading_each_backend_once() {
        let n = 2_000;
        let mut plan = Plan::default();
        for i in 0..n {
            plan.healthchecks.push(Healthcheck {
                name: Some(format!("hc{i}")),
                ..Healthcheck::default()
            });
            plan.backends.push(Backend {
                name: Some(format!("b{i}")),
                address: Some(format!("h{i}")),
                healthcheck: Some(format!("hc{i}")),
                ..Backend::default()
            });
        }
        // Two more users of the last one, one with another host: still reported.
        for (name, address) in [("c", format!("h{}", n - 1)), ("d", "other".to_string())] {
            plan.backends.push(Backend {
                name: Some(name.into()),
                address: Some(address),
                healthcheck: Some(format!("hc{}", n - 1)),
                ..Backend::default()
            });
        }
        BACKENDS_READ.with(|r| r.set(0));
        let out = emit(&plan, &ServiceVersion::default());
        assert!(BACKENDS_READ.with(|r| r.get()) <= 2 * (n + 2));
        assert!(out.text.contains(&format!("\"h{}\"", n - 1)));
        let chosen = format!(
            "`host` is set to backend `b{}`'s address \"h{}\"; backend `d` shares",
            n - 1,
            n - 1
        );
        assert!(
            out.notes.iter().any(|note| note.message.contains(&chosen)),
            "{:?}",
            out.notes.last()
        );
    }

    #[test]
    fn quoted_strings_escape_everything_that_could_end_them() {
        assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quoted("x\ny\r\tz"), r#""x\ny\r\tz""#);
        assert_eq!(quoted("${x} %{y} $x %y $$"), r#""$${x} %%{y} $x %y $$""#);
        assert_eq!(quoted("$${x}"), r#""$$${x}""#);
        assert_eq!(quoted("\u{0}\u{7f}\u{85}é"), r#""\u0000\u007f\u0085é""#);
        assert_eq!(quoted("a\u{202e}b\u{1b}"), r#""a\u202eb\u001b""#);
    }

    #[test]
    fn heredocs_only_for_values_that_end_in_a_newline() {
        assert_eq!(heredoc("a\nb\n").as_deref(), Some("EOT"));
        assert_eq!(heredoc("a\nb"), None);
        assert_eq!(heredoc("a\r\nb\r\n"), None);
        assert_eq!(heredoc("a\n EOT\nEOT1\n").as_deref(), Some("EOT2"));
    }

    /// The search this replaced, every line read for each candidate: the delimiters must
    /// stay the same.
    fn heredoc_by_rescanning(value: &str) -> Option<String> {
        if !value.ends_with('\n') || value.chars().any(|c| controls::is_hidden(c) && c != '\n') {
            return None;
        }
        let taken = |d: &str| value.lines().any(|line| line.trim() == d);
        let mut delimiter = "EOT".to_string();
        let mut n = 0;
        while taken(&delimiter) {
            n += 1;
            delimiter = format!("EOT{n}");
        }
        Some(delimiter)
    }

    #[test]
    fn heredoc_delimiters_skip_every_line_of_the_value() {
        let lines = |lines: &[&str]| lines.iter().map(|l| format!("{l}\n")).collect::<String>();
        for (value, delimiter) in [
            (lines(&["EOT", "EOT2", "EOT1"]), "EOT3"),
            (lines(&["EOT1", "EOT2"]), "EOT"),
            (lines(&["EOT", "EOT01", "EOTX", "EOT 1", "xEOT1"]), "EOT1"),
            (lines(&["\u{a0}EOT1\u{3000}", "EOT2"]), "EOT"),
            (lines(&["\u{a0}EOT\u{3000}", " EOT1 "]), "EOT2"),
        ] {
            assert_eq!(heredoc(&value).as_deref(), Some(delimiter), "{value:?}");
        }
        let many: String =
            lines(&["EOT"]) + &(1..1000).map(|n| format!("EOT{n}\n")).collect::<String>();
        assert_eq!(heredoc(&many).as_deref(), Some("EOT1000"));
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::cases(512))]

        /// Any value of lines that look like delimiters: the same delimiter as the rescans.
        #[test]
        fn heredoc_delimiters_are_those_of_the_rescans(
            lines in proptest::collection::vec("[ \u{a0}]{0,2}(EOT|EOT[0-3]|EOT1[0-2]|EOT0|eot|X)[ \u{3000}]{0,2}", 0..12),
            tail in "(\n|\r\n|)",
        ) {
            let value = lines.join("\n") + &tail;
            proptest::prop_assert_eq!(heredoc(&value), heredoc_by_rescanning(&value));
        }
    }

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(curl::segment("a b/c%é"), "a%20b%2Fc%25%C3%A9");
    }
}
