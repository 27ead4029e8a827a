//! Each field of the model in serde's order, for code that must go over all of them without
//! serde's generic machinery (the pretty JSON writer, the migration formats and report).
//!
//! Every field is named in a destructuring pattern, so a field added to the model does not
//! compile until it is visited here.

use serde_json::{Map, Value};

use crate::model::{Backend, Healthcheck};

/// Receives the fields of an object, in the order serde writes them; absent ones too.
pub trait FieldVisitor {
    fn string(&mut self, key: &'static str, value: &Option<String>);
    fn integer(&mut self, key: &'static str, value: Option<i64>);
    fn boolean(&mut self, key: &'static str, value: Option<bool>);
    fn strings(&mut self, key: &'static str, value: &Option<Vec<String>>);
}

/// A model object whose known fields can be visited; the unknown ones are in `extra`.
pub trait Fields {
    /// Visits every known field (not `extra`), in serde's order.
    fn visit_fields(&self, visitor: &mut impl FieldVisitor);
    /// The fields this model does not know, written after the known ones.
    fn extra(&self) -> &Map<String, Value>;
}

impl Fields for Backend {
    fn visit_fields(&self, o: &mut impl FieldVisitor) {
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
            extra: _,
        } = self;
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
    }

    fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

impl Fields for Healthcheck {
    fn visit_fields(&self, o: &mut impl FieldVisitor) {
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
            extra: _,
        } = self;
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
    }

    fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}
