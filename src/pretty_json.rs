//! The model as `serde_json::to_string_pretty` writes it, byte for byte, at any nesting depth,
//! without serde's generic path: `parse` writes tens of megabytes of it, and serde's map
//! machinery (the flattened `extra` field makes every object a map) was a quarter of the
//! command's instructions. An object with `extra` fields (arbitrary JSON) goes through serde.
//!
//! Every field is named in a destructuring pattern, so a field added to the model does not
//! compile until it is written here; the tests compare with serde on random objects.

use serde::Serialize;

use crate::model::{Backend, Healthcheck};

/// Appends `value` as pretty JSON whose `{` stands at nesting `depth` (0 for a whole
/// document, 2 for an element of `{"backends": [...]}`).
pub fn write_backend(out: &mut Vec<u8>, value: &Backend, depth: usize) {
    let Backend {
        name,
        address,
        port,
        use_ssl,
        ssl_check_cert,
        ssl_cert_hostname,
        ssl_sni_hostname,
        ssl_hostname,
        ssl_ca_cert,
        ssl_client_cert,
        ssl_client_key,
        ssl_ciphers,
        min_tls_version,
        max_tls_version,
        override_host,
        connect_timeout,
        first_byte_timeout,
        between_bytes_timeout,
        fetch_timeout,
        keepalive_time,
        max_conn,
        error_threshold,
        share_key,
        healthcheck,
        prefer_ipv6,
        hostname,
        ipv4,
        ipv6,
        auto_loadbalance,
        weight,
        shield,
        request_condition,
        comment,
        tcp_keepalive_enable,
        tcp_keepalive_interval,
        tcp_keepalive_probes,
        tcp_keepalive_time,
        max_use,
        max_lifetime,
        client_cert,
        service_id,
        version,
        locked,
        created_at,
        updated_at,
        deleted_at,
        extra,
    } = value;
    if !extra.is_empty() {
        return through_serde(out, value, depth);
    }
    let mut o = Object::open(out, depth);
    o.string("name", name);
    o.string("address", address);
    o.integer("port", *port);
    o.boolean("use_ssl", *use_ssl);
    o.boolean("ssl_check_cert", *ssl_check_cert);
    o.string("ssl_cert_hostname", ssl_cert_hostname);
    o.string("ssl_sni_hostname", ssl_sni_hostname);
    o.string("ssl_hostname", ssl_hostname);
    o.string("ssl_ca_cert", ssl_ca_cert);
    o.string("ssl_client_cert", ssl_client_cert);
    o.string("ssl_client_key", ssl_client_key);
    o.string("ssl_ciphers", ssl_ciphers);
    o.string("min_tls_version", min_tls_version);
    o.string("max_tls_version", max_tls_version);
    o.string("override_host", override_host);
    o.integer("connect_timeout", *connect_timeout);
    o.integer("first_byte_timeout", *first_byte_timeout);
    o.integer("between_bytes_timeout", *between_bytes_timeout);
    o.integer("fetch_timeout", *fetch_timeout);
    o.integer("keepalive_time", *keepalive_time);
    o.integer("max_conn", *max_conn);
    o.integer("error_threshold", *error_threshold);
    o.string("share_key", share_key);
    o.string("healthcheck", healthcheck);
    o.boolean("prefer_ipv6", *prefer_ipv6);
    o.string("hostname", hostname);
    o.string("ipv4", ipv4);
    o.string("ipv6", ipv6);
    o.boolean("auto_loadbalance", *auto_loadbalance);
    o.integer("weight", *weight);
    o.string("shield", shield);
    o.string("request_condition", request_condition);
    o.string("comment", comment);
    o.boolean("tcp_keepalive_enable", *tcp_keepalive_enable);
    o.integer("tcp_keepalive_interval", *tcp_keepalive_interval);
    o.integer("tcp_keepalive_probes", *tcp_keepalive_probes);
    o.integer("tcp_keepalive_time", *tcp_keepalive_time);
    o.integer("max_use", *max_use);
    o.integer("max_lifetime", *max_lifetime);
    o.string("client_cert", client_cert);
    o.string("service_id", service_id);
    o.integer("version", *version);
    o.boolean("locked", *locked);
    o.string("created_at", created_at);
    o.string("updated_at", updated_at);
    o.string("deleted_at", deleted_at);
    o.close();
}

/// [`write_backend`] for a healthcheck.
pub fn write_healthcheck(out: &mut Vec<u8>, value: &Healthcheck, depth: usize) {
    let Healthcheck {
        name,
        method,
        host,
        path,
        http_version,
        headers,
        check_interval,
        timeout,
        window,
        threshold,
        initial,
        expected_response,
        comment,
        service_id,
        version,
        created_at,
        updated_at,
        deleted_at,
        extra,
    } = value;
    if !extra.is_empty() {
        return through_serde(out, value, depth);
    }
    let mut o = Object::open(out, depth);
    o.string("name", name);
    o.string("method", method);
    o.string("host", host);
    o.string("path", path);
    o.string("http_version", http_version);
    o.strings("headers", headers);
    o.integer("check_interval", *check_interval);
    o.integer("timeout", *timeout);
    o.integer("window", *window);
    o.integer("threshold", *threshold);
    o.integer("initial", *initial);
    o.integer("expected_response", *expected_response);
    o.string("comment", comment);
    o.string("service_id", service_id);
    o.integer("version", *version);
    o.string("created_at", created_at);
    o.string("updated_at", updated_at);
    o.string("deleted_at", deleted_at);
    o.close();
}

/// Appends `items` as a pretty JSON array whose `[` stands at nesting `depth`, each item
/// written by `write`.
pub fn write_list<T>(
    out: &mut Vec<u8>,
    items: &[T],
    write: fn(&mut Vec<u8>, &T, usize),
    depth: usize,
) {
    if items.is_empty() {
        out.extend_from_slice(b"[]");
        return;
    }
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        indent(out, depth + 1);
        write(out, item, depth + 1);
    }
    out.push(b'\n');
    indent(out, depth);
    out.push(b']');
}

/// serde_json's pretty output, indented to `depth`: its strings never hold a raw newline, so
/// every newline in it is structure.
fn through_serde(out: &mut Vec<u8>, value: &impl Serialize, depth: usize) {
    let mut text = Vec::new();
    // Serialising the model cannot fail: its maps have string keys.
    let _ = serde_json::to_writer_pretty(&mut text, value);
    for line in text.split_inclusive(|&b| b == b'\n') {
        out.extend_from_slice(line);
        if line.ends_with(b"\n") {
            indent(out, depth);
        }
    }
}

/// An object being written: `{` already out, each present field a line of its own.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    depth: usize,
    empty: bool,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut Vec<u8>, depth: usize) -> Self {
        out.push(b'{');
        Object {
            out,
            depth,
            empty: true,
        }
    }

    fn key(&mut self, key: &str) {
        self.out
            .extend_from_slice(if self.empty { b"\n" } else { b",\n" });
        self.empty = false;
        indent(self.out, self.depth + 1);
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    fn string(&mut self, key: &str, value: &Option<String>) {
        if let Some(value) = value {
            self.key(key);
            string(self.out, value);
        }
    }

    fn integer(&mut self, key: &str, value: Option<i64>) {
        if let Some(value) = value {
            self.key(key);
            integer(self.out, value);
        }
    }

    fn boolean(&mut self, key: &str, value: Option<bool>) {
        if let Some(value) = value {
            self.key(key);
            self.out
                .extend_from_slice(if value { b"true" } else { b"false" });
        }
    }

    fn strings(&mut self, key: &str, value: &Option<Vec<String>>) {
        let Some(list) = value else {
            return;
        };
        self.key(key);
        if list.is_empty() {
            self.out.extend_from_slice(b"[]");
            return;
        }
        self.out.push(b'[');
        for (i, item) in list.iter().enumerate() {
            self.out
                .extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            indent(self.out, self.depth + 2);
            string(self.out, item);
        }
        self.out.push(b'\n');
        indent(self.out, self.depth + 1);
        self.out.push(b']');
    }

    fn close(self) {
        if !self.empty {
            self.out.push(b'\n');
            indent(self.out, self.depth);
        }
        self.out.push(b'}');
    }
}

/// Two spaces per level, as serde_json's pretty printer.
fn indent(out: &mut Vec<u8>, depth: usize) {
    const SPACES: &[u8] = &[b' '; 32];
    let mut n = depth * 2;
    while n > 0 {
        let step = n.min(SPACES.len());
        out.extend_from_slice(&SPACES[..step]);
        n -= step;
    }
}

/// A JSON string: copied whole when nothing in it needs escaping (the usual case), else
/// escaped by serde_json itself.
fn string(out: &mut Vec<u8>, value: &str) {
    if value.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(value.as_bytes());
        out.push(b'"');
    } else {
        // Writing into a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *out, value);
    }
}

fn integer(out: &mut Vec<u8>, value: i64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = value.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if value < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[at..]);
}
