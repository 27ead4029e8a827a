//! The backend block, laid out exactly as Fastly's current generator writes it
//! (fastly-backends.md §3.2, decisions.md "generate"): three groups (general, TLS, probe),
//! each alphabetical, separated by one blank line; 4-space properties, 8-space probe keys,
//! the probe closed by 6 spaces and `}`, no blank line between backends.

use std::fmt::Write;

use crate::generate::vcl_string::{NulInString, vcl_string};
use crate::model::{Backend, Healthcheck};

/// API defaults, applied where the input leaves a field out (the API would have filled it).
pub mod defaults {
    pub const BETWEEN_BYTES_TIMEOUT: i64 = 10_000;
    pub const CONNECT_TIMEOUT: i64 = 1_000;
    pub const FIRST_BYTE_TIMEOUT: i64 = 15_000;
    pub const MAX_CONN: i64 = 200;
    pub const HC_CHECK_INTERVAL: i64 = 5_000;
    pub const HC_EXPECTED_RESPONSE: i64 = 200;
    pub const HC_HTTP_VERSION: &str = "1.1";
    pub const HC_INITIAL: i64 = 3;
    pub const HC_METHOD: &str = "HEAD";
    pub const HC_PATH: &str = "/";
    pub const HC_THRESHOLD: i64 = 3;
    pub const HC_TIMEOUT: i64 = 5_000;
    pub const HC_WINDOW: i64 = 5;
}

/// What goes in `.probe`.
pub enum Probe<'a> {
    /// Fastly's dummy probe for a backend without a healthcheck.
    Dummy,
    /// A healthcheck; `host` is the Host header it sends.
    Healthcheck { hc: &'a Healthcheck, host: &'a str },
}

/// Everything the block needs that is not a field of the backend itself.
pub struct BlockInput<'a> {
    pub ident: &'a str,
    pub share_key: Option<&'a str>,
    pub use_ssl: bool,
    pub port: i64,
    pub probe: Probe<'a>,
}

/// A whole number of seconds is `Ns`, anything else `Nms`.
pub fn duration(ms: i64) -> String {
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

fn text(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|s| !s.is_empty())
}

/// Writes one `backend` block. The strings were checked for NUL by the caller; a NUL here is
/// returned as an error all the same.
pub fn backend_block(
    out: &mut String,
    b: &Backend,
    input: &BlockInput<'_>,
) -> Result<(), NulInString> {
    let mut general: Vec<(&str, String)> = Vec::new();
    let override_host = text(&b.override_host);
    if override_host.is_some() {
        general.push(("always_use_host_header", "true".into()));
    }
    let ms = |v: Option<i64>, default| duration(v.unwrap_or(default));
    general.push((
        "between_bytes_timeout",
        ms(b.between_bytes_timeout, defaults::BETWEEN_BYTES_TIMEOUT),
    ));
    general.push((
        "connect_timeout",
        ms(b.connect_timeout, defaults::CONNECT_TIMEOUT),
    ));
    general.push(("dynamic", "true".into()));
    if let Some(v) = b.fetch_timeout {
        general.push(("fetch_timeout", duration(v)));
    }
    general.push((
        "first_byte_timeout",
        ms(b.first_byte_timeout, defaults::FIRST_BYTE_TIMEOUT),
    ));
    general.push(("host", vcl_string(b.address.as_deref().unwrap_or(""))?));
    if let Some(host) = override_host {
        general.push(("host_header", vcl_string(host)?));
    }
    if let Some(seconds) = b.keepalive_time {
        general.push(("keepalive_time", format!("{seconds}s")));
    }
    general.push((
        "max_connections",
        b.max_conn.unwrap_or(defaults::MAX_CONN).to_string(),
    ));
    general.push(("port", format!("\"{}\"", input.port)));
    if b.prefer_ipv6 == Some(true) {
        general.push(("prefer_ipv6", "true".into()));
    }
    if let Some(n) = b.error_threshold.filter(|&n| n != 0) {
        general.push(("saintmode_threshold", n.to_string()));
    }
    if let Some(key) = input.share_key {
        general.push(("share_key", vcl_string(key)?));
    }

    let mut tls: Vec<(&str, String)> = Vec::new();
    if input.use_ssl {
        let strings = [
            ("max_tls_version", &b.max_tls_version),
            ("min_tls_version", &b.min_tls_version),
            ("ssl_ca_cert", &b.ssl_ca_cert),
            ("ssl_cert_hostname", &b.ssl_cert_hostname),
            ("ssl_ciphers", &b.ssl_ciphers),
            ("ssl_client_cert", &b.ssl_client_cert),
            ("ssl_client_key", &b.ssl_client_key),
            ("ssl_hostname", &b.ssl_hostname),
            ("ssl_sni_hostname", &b.ssl_sni_hostname),
        ];
        for (name, value) in strings {
            if let Some(v) = text(value) {
                tls.push((name, vcl_string(v)?));
            }
        }
        tls.push(("ssl", "true".into()));
        let check = if b.ssl_check_cert == Some(false) {
            "never"
        } else {
            "always"
        };
        tls.push(("ssl_check_cert", check.into()));
        tls.sort_by_key(|&(name, _)| name);
    }

    let _ = writeln!(out, "backend {} {{", input.ident);
    for (name, value) in &general {
        let _ = writeln!(out, "    .{name} = {value};");
    }
    if !tls.is_empty() {
        out.push('\n');
        for (name, value) in &tls {
            let _ = writeln!(out, "    .{name} = {value};");
        }
    }
    out.push('\n');
    probe(out, b, &input.probe)?;
    out.push_str("}\n");
    Ok(())
}

fn probe(out: &mut String, b: &Backend, probe: &Probe<'_>) -> Result<(), NulInString> {
    out.push_str("    .probe = {\n");
    match probe {
        Probe::Dummy => {
            let host = vcl_string(&format!("Host: {}", b.address.as_deref().unwrap_or("")))?;
            out.push_str("        .dummy = true;\n");
            out.push_str("        .initial = 5;\n");
            // Two spaces after the request line: what Fastly writes.
            let _ = writeln!(
                out,
                "        .request = \"HEAD / HTTP/1.1\"  {host} \"Connection: close\";"
            );
            out.push_str("        .threshold = 1;\n");
            out.push_str("        .timeout = 2s;\n");
            out.push_str("        .window = 5;\n");
        }
        Probe::Healthcheck { hc, host } => {
            let method = hc
                .method
                .as_deref()
                .filter(|s| !s.is_empty())
                .unwrap_or(defaults::HC_METHOD);
            let path = hc
                .path
                .as_deref()
                .filter(|s| !s.is_empty())
                .unwrap_or(defaults::HC_PATH);
            let version = hc
                .http_version
                .as_deref()
                .filter(|s| !s.is_empty())
                .unwrap_or(defaults::HC_HTTP_VERSION);
            let mut request = vec![
                vcl_string(&format!("{method} {path} HTTP/{version}"))?,
                vcl_string(&format!("Host: {host}"))?,
                "\"Connection: close\"".to_string(),
                "\"User-Agent: Varnish/fastly (healthcheck)\"".to_string(),
            ];
            for header in hc.headers.iter().flatten() {
                request.push(vcl_string(header)?);
            }
            let or = |v: Option<i64>, d: i64| v.unwrap_or(d);
            let _ = writeln!(
                out,
                "        .expected_response = {};",
                or(hc.expected_response, defaults::HC_EXPECTED_RESPONSE)
            );
            let _ = writeln!(
                out,
                "        .initial = {};",
                or(hc.initial, defaults::HC_INITIAL)
            );
            let _ = writeln!(
                out,
                "        .interval = {};",
                duration(or(hc.check_interval, defaults::HC_CHECK_INTERVAL))
            );
            let _ = writeln!(out, "        .request = {};", request.join(" "));
            let _ = writeln!(
                out,
                "        .threshold = {};",
                or(hc.threshold, defaults::HC_THRESHOLD)
            );
            let _ = writeln!(
                out,
                "        .timeout = {};",
                duration(or(hc.timeout, defaults::HC_TIMEOUT))
            );
            let _ = writeln!(
                out,
                "        .window = {};",
                or(hc.window, defaults::HC_WINDOW)
            );
        }
    }
    out.push_str("      }\n");
    Ok(())
}
