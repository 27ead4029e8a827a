//! The Fastly API's backend and healthcheck objects, as typed serde structs.
//!
//! Field names and JSON types are the API's own, so API JSON reads and writes back without
//! translation; units and names change only in [`crate::lower`]. Every field is optional because
//! the API returns `null` for unset fields and users hand us partial objects. Fields we do not
//! know are kept in `extra` and written back unchanged, so a round trip never loses data.
//!
//! The same structs also read the Fastly CLI's `--json` output, which carries the Go client's
//! field names (`Address`, `HealthCheck`, `ServiceVersion`, ...), through `#[serde(alias)]`.
//! Aliases only affect reading: writing always uses the API's names. Aliases work alongside the
//! flattened `extra` map (serde matches known names and aliases first; only the rest reach
//! `extra`), which the tests pin. An object that carries both spellings of a field (`address`
//! and `Address`) is rejected as a duplicate field rather than one silently winning.

pub mod condition;
pub mod fields;
pub mod members;
pub mod names;
pub mod properties;
pub mod vcl_form;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use condition::Condition;

/// A Fastly API backend object (`/service/{id}/version/{n}/backend`).
///
/// Integers are `i64` rather than the narrowest fitting type (for example `u16` for `port`) so
/// that out-of-range values the API or a user supplies still read, and callers can report them
/// with context instead of failing the whole document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Backend {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Name")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Address")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Port")]
    pub port: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "UseSSL")]
    pub use_ssl: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "SSLCheckCert")]
    pub ssl_check_cert: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "SSLCertHostname")]
    pub ssl_cert_hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "SSLSNIHostname")]
    pub ssl_sni_hostname: Option<String>,
    /// Deprecated by the API in favour of `ssl_cert_hostname` and `ssl_sni_hostname`; the CLI
    /// prints no key for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "SSLCACert")]
    pub ssl_ca_cert: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "SSLClientCert")]
    pub ssl_client_cert: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "SSLClientKey")]
    pub ssl_client_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "SSLCiphers")]
    pub ssl_ciphers: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "MinTLSVersion")]
    pub min_tls_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "MaxTLSVersion")]
    pub max_tls_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "OverrideHost")]
    pub override_host: Option<String>,
    /// Milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "ConnectTimeout")]
    pub connect_timeout: Option<i64>,
    /// Milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "FirstByteTimeout")]
    pub first_byte_timeout: Option<i64>,
    /// Milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "BetweenBytesTimeout")]
    pub between_bytes_timeout: Option<i64>,
    /// Milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetch_timeout: Option<i64>,
    /// Seconds, unlike the other durations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "KeepAliveTime")]
    pub keepalive_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "MaxConn")]
    pub max_conn: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "ErrorThreshold")]
    pub error_threshold: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "ShareKey")]
    pub share_key: Option<String>,
    /// Name of a [`Healthcheck`]; `""` means none (see [`none_if_empty`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "HealthCheck")]
    pub healthcheck: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "PreferIPv6")]
    pub prefer_ipv6: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Hostname")]
    pub hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv4: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "AutoLoadbalance")]
    pub auto_loadbalance: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Weight")]
    pub weight: Option<i64>,
    /// Shield POP code; `""` means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Shield")]
    pub shield: Option<String>,
    /// Name of a request condition; `""` means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "RequestCondition")]
    pub request_condition: Option<String>,
    /// `""` means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Comment")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "TCPKeepAliveEnable")]
    pub tcp_keepalive_enable: Option<bool>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "TCPKeepAliveIntvl")]
    pub tcp_keepalive_interval: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "TCPKeepAliveProbes")]
    pub tcp_keepalive_probes: Option<i64>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "TCPKeepAliveTime")]
    pub tcp_keepalive_time: Option<i64>,
    /// Requests per pooled connection; 0 means unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "MaxUse")]
    pub max_use: Option<i64>,
    /// Milliseconds; 0 means unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "MaxLifetime")]
    pub max_lifetime: Option<i64>,
    /// Documented by the API as unused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cert: Option<String>,
    // Read-only metadata: kept so an exported service writes back as it came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "ServiceID")]
    pub service_id: Option<String>,
    /// The service version; the CLI calls it `ServiceVersion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "ServiceVersion")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "CreatedAt")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "UpdatedAt")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "DeletedAt")]
    pub deleted_at: Option<String>,
    /// Fields this model does not know, in input order; written back unchanged after the
    /// known fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A Fastly API healthcheck object (`/service/{id}/version/{n}/healthcheck`), the API side of
/// a VCL `.probe`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Healthcheck {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Name")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Method")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Host")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Path")]
    pub path: Option<String>,
    /// For example `"1.1"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "HTTPVersion")]
    pub http_version: Option<String>,
    /// Extra request headers, each `"Name: value"`; the API returns them sorted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Headers")]
    pub headers: Option<Vec<String>>,
    /// Milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "CheckInterval")]
    pub check_interval: Option<i64>,
    /// Milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Timeout")]
    pub timeout: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Window")]
    pub window: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Threshold")]
    pub threshold: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Initial")]
    pub initial: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "ExpectedResponse")]
    pub expected_response: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Comment")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "ServiceID")]
    pub service_id: Option<String>,
    /// The service version; the CLI calls it `ServiceVersion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "ServiceVersion")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "CreatedAt")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "UpdatedAt")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "DeletedAt")]
    pub deleted_at: Option<String>,
    /// Fields this model does not know, in input order; written back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The API's director types: the integer in a director's `type` field.
pub mod director_type {
    /// `random`: a member chosen at random, by weight.
    pub const RANDOM: i64 = 1;
    /// `hash`: a member chosen by the request's hash.
    pub const HASH: i64 = 3;
    /// `client`: a member chosen by the client's identity.
    pub const CLIENT: i64 = 4;
}

/// What the API fills in when a director or a member backend leaves a field out: generate
/// prints these for an absent value, as the API would return them (docs/design.md §4.7).
pub mod director_defaults {
    /// A director's `quorum`, in percent.
    pub const QUORUM: i64 = 75;
    /// A director's `retries`.
    pub const RETRIES: i64 = 5;
    /// A backend's `weight`, its weight as a director member: the backend table's default.
    pub const WEIGHT: i64 = super::properties::backend_number_default("weight");
    /// A director's `capacity` (the API documents it as unused).
    pub const CAPACITY: i64 = 100;
}

/// A Fastly API director object (`/service/{id}/version/{n}/director`), the API side of a VCL
/// `director NAME random|hash|client { ... }`.
///
/// `backends` lists the member backends' names; the API attaches them one by one through the
/// director-backend endpoint and carries no weight (a member's weight is its backend's own
/// `weight`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Director {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Name")]
    pub name: Option<String>,
    /// 1 random, 3 hash, 4 client ([`director_type`]).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Type")]
    pub kind: Option<i64>,
    /// Percentage of capacity (0-100) that must be healthy; the API's default is 75.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Quorum")]
    pub quorum: Option<i64>,
    /// Times to try another member; the API's default is 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Retries")]
    pub retries: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Capacity")]
    pub capacity: Option<i64>,
    /// `""` means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Comment")]
    pub comment: Option<String>,
    /// Shield POP code; `""` means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Shield")]
    pub shield: Option<String>,
    /// The member backends' names, in order (read from names or backend objects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Backends", deserialize_with = "members::deserialize")]
    pub backends: Option<Vec<String>>,
    /// Fields this model does not know, in input order; written back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Which of the API's objects something is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Backend,
    Healthcheck,
    Director,
    Condition,
}

impl ObjectKind {
    pub fn word(self) -> &'static str {
        match self {
            ObjectKind::Backend => "backend",
            ObjectKind::Healthcheck => "healthcheck",
            ObjectKind::Director => "director",
            ObjectKind::Condition => "condition",
        }
    }
}

/// A service's backends, healthchecks and directors: the shape `parse` prints.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Config {
    /// Missing in the input means none, so a document with only healthchecks still reads.
    #[serde(default)]
    pub backends: Vec<Backend>,
    /// Written after `backends`, in declaration order.
    #[serde(default)]
    pub healthchecks: Vec<Healthcheck>,
    /// Written after `healthchecks`, and only when there are some, so a file without
    /// directors prints as it always has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub directors: Vec<Director>,
    /// The conditions backends name (generate's routing, docs/design.md §4.8); written
    /// only when there are some.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

/// The value of a reference-like string field, with `""` read as absent.
///
/// The API returns `""` rather than `null` for an unset `healthcheck`, `shield`,
/// `request_condition` or `comment`, so callers must not treat `""` as a name to look up.
/// Only the exact empty string counts: anything else is a value the API accepted.
///
/// ```
/// use vcl_backend::model::none_if_empty;
/// assert_eq!(none_if_empty(&Some(String::new())), None);
/// assert_eq!(none_if_empty(&Some("origin".into())), Some("origin"));
/// ```
#[must_use]
pub fn none_if_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Shaped like a real `GET .../backend/NAME` response: nulls, `""`, metadata, and a field
    /// this model does not know.
    const API_BACKEND: &str = r#"{
        "address": "origin.example.com", "auto_loadbalance": false,
        "between_bytes_timeout": 10000, "client_cert": null, "comment": "",
        "connect_timeout": 1000, "error_threshold": 0, "first_byte_timeout": 15000,
        "future_field": {"a": 1}, "healthcheck": "", "hostname": "origin.example.com",
        "ipv4": null, "ipv6": null, "keepalive_time": null, "max_conn": 200,
        "max_tls_version": null, "min_tls_version": "1.2", "name": "Origin",
        "override_host": null, "port": 443, "request_condition": "", "shield": "iad-va-us",
        "ssl_ca_cert": null, "ssl_cert_hostname": "origin.example.com", "ssl_check_cert": true,
        "ssl_ciphers": null, "ssl_client_cert": null, "ssl_client_key": null,
        "ssl_hostname": null, "ssl_sni_hostname": "origin.example.com", "use_ssl": true,
        "weight": 100, "share_key": null, "prefer_ipv6": false, "zz_later": [1, 2],
        "service_id": "tTSyFJgoN3lZqBOA0n3Rd7", "version": 12, "locked": true,
        "created_at": "2024-01-05T10:00:00Z", "updated_at": "2024-01-06T11:30:00Z",
        "deleted_at": null
    }"#;

    fn api_backend() -> Backend {
        serde_json::from_str(API_BACKEND).unwrap()
    }

    #[test]
    fn api_backend_reads_nulls_as_none_and_keeps_unknown_fields() {
        let b = api_backend();
        assert_eq!(b.port, Some(443));
        assert_eq!(b.error_threshold, Some(0));
        assert_eq!(b.keepalive_time, None);
        assert_eq!(b.deleted_at, None);
        assert_eq!(b.comment.as_deref(), Some(""));
        assert_eq!(none_if_empty(&b.healthcheck), None);
        assert_eq!(none_if_empty(&b.shield), Some("iad-va-us"));
        let extra: Vec<&str> = b.extra.keys().map(String::as_str).collect();
        assert_eq!(extra, ["future_field", "zz_later"]);
    }

    #[test]
    fn api_backend_writes_known_fields_in_model_order_then_unknown_ones() {
        let out = serde_json::to_string(&api_backend()).unwrap();
        let expected = json!({
            "name": "Origin", "address": "origin.example.com", "port": 443, "use_ssl": true,
            "ssl_check_cert": true, "ssl_cert_hostname": "origin.example.com",
            "ssl_sni_hostname": "origin.example.com", "min_tls_version": "1.2",
            "connect_timeout": 1000, "first_byte_timeout": 15000,
            "between_bytes_timeout": 10000, "max_conn": 200, "error_threshold": 0,
            "healthcheck": "", "prefer_ipv6": false, "hostname": "origin.example.com",
            "auto_loadbalance": false, "weight": 100, "shield": "iad-va-us",
            "request_condition": "", "comment": "", "service_id": "tTSyFJgoN3lZqBOA0n3Rd7",
            "version": 12, "locked": true, "created_at": "2024-01-05T10:00:00Z",
            "updated_at": "2024-01-06T11:30:00Z", "future_field": {"a": 1}, "zz_later": [1, 2]
        });
        // Compare text, not values: with preserve_order the string also pins the key order.
        assert_eq!(out, expected.to_string());
        let again: Backend = serde_json::from_str(&out).unwrap();
        assert_eq!(again, api_backend());
    }

    #[test]
    fn cli_go_names_read_into_the_same_values() {
        // The CLI's `backend list --json` keys, in its order, with the API's values.
        let cli = json!({
            "Address": "origin.example.com", "AutoLoadbalance": false,
            "BetweenBytesTimeout": 10000, "Comment": "", "ConnectTimeout": 1000,
            "CreatedAt": "2024-01-05T10:00:00Z", "DeletedAt": null, "ErrorThreshold": 0,
            "FirstByteTimeout": 15000, "HealthCheck": "", "Hostname": "origin.example.com",
            "KeepAliveTime": null, "MaxConn": 200, "MaxUse": null, "MaxLifetime": null,
            "MaxTLSVersion": null, "MinTLSVersion": "1.2", "Name": "Origin",
            "OverrideHost": null, "Port": 443, "PreferIPv6": false, "RequestCondition": "",
            "ShareKey": null, "SSLCACert": null, "SSLCertHostname": "origin.example.com",
            "SSLCheckCert": true, "SSLCiphers": null, "SSLClientCert": null,
            "SSLClientKey": null, "SSLSNIHostname": "origin.example.com",
            "ServiceID": "tTSyFJgoN3lZqBOA0n3Rd7", "ServiceVersion": 12,
            "Shield": "iad-va-us", "TCPKeepAliveEnable": null, "TCPKeepAliveIntvl": null,
            "TCPKeepAliveProbes": null, "TCPKeepAliveTime": null,
            "UpdatedAt": "2024-01-06T11:30:00Z", "UseSSL": true, "Weight": 100
        });
        let from_cli: Backend = serde_json::from_value(cli).unwrap();
        // The CLI has no `locked` key, and the API fixture's unknown fields are not in it.
        let mut expected = api_backend();
        expected.locked = None;
        expected.extra.clear();
        assert_eq!(from_cli, expected);
    }

    #[test]
    fn cli_integer_aliases_fill_every_field() {
        let b: Backend = serde_json::from_value(json!({
            "KeepAliveTime": 25, "MaxUse": 10, "MaxLifetime": 60000, "TCPKeepAliveEnable": true,
            "TCPKeepAliveIntvl": 10, "TCPKeepAliveProbes": 3, "TCPKeepAliveTime": 300,
            "HealthCheck": "hc", "SSLCACert": "-----BEGIN CERTIFICATE-----"
        }))
        .unwrap();
        assert_eq!(b.keepalive_time, Some(25));
        assert_eq!((b.max_use, b.max_lifetime), (Some(10), Some(60000)));
        assert_eq!(b.tcp_keepalive_enable, Some(true));
        assert_eq!(b.tcp_keepalive_interval, Some(10));
        assert_eq!(b.tcp_keepalive_probes, Some(3));
        assert_eq!(b.tcp_keepalive_time, Some(300));
        assert_eq!(b.healthcheck.as_deref(), Some("hc"));
        assert!(b.ssl_ca_cert.is_some());
        assert!(
            b.extra.is_empty(),
            "an alias leaked into extra: {:?}",
            b.extra
        );
    }

    #[test]
    fn healthcheck_with_headers_round_trips_from_api_and_cli() {
        let api = json!({
            "check_interval": 60000, "comment": "", "created_at": "2024-01-05T10:00:00Z",
            "deleted_at": null, "expected_response": 200, "headers": ["X-A: 1", "X-B: 2"],
            "host": "origin.example.com", "http_version": "1.1", "initial": 1,
            "method": "GET", "name": "hc", "path": "/health", "service_id": "S",
            "threshold": 1, "timeout": 5000, "updated_at": null, "version": 3, "window": 2
        });
        let hc: Healthcheck = serde_json::from_value(api).unwrap();
        assert_eq!(
            hc.headers.as_deref(),
            Some(&["X-A: 1".into(), "X-B: 2".into()][..])
        );
        assert_eq!(hc.check_interval, Some(60000));
        assert!(hc.extra.is_empty());
        let back: Healthcheck = serde_json::from_str(&serde_json::to_string(&hc).unwrap()).unwrap();
        assert_eq!(back, hc);

        let cli = json!({
            "CheckInterval": 60000, "Comment": "", "CreatedAt": "2024-01-05T10:00:00Z",
            "DeletedAt": null, "ExpectedResponse": 200, "HTTPVersion": "1.1",
            "Headers": ["X-A: 1", "X-B: 2"], "Host": "origin.example.com", "Initial": 1,
            "Method": "GET", "Name": "hc", "Path": "/health", "ServiceID": "S",
            "ServiceVersion": 3, "Threshold": 1, "Timeout": 5000, "UpdatedAt": null, "Window": 2
        });
        assert_eq!(serde_json::from_value::<Healthcheck>(cli).unwrap(), hc);
    }

    #[test]
    fn wrong_json_types_are_errors() {
        // Only the flattened `extra` accepts anything; known fields keep their types.
        assert!(serde_json::from_str::<Backend>(r#"{"port": "443"}"#).is_err());
        assert!(serde_json::from_str::<Backend>(r#"{"Port": "443"}"#).is_err());
        assert!(serde_json::from_str::<Backend>(r#"{"use_ssl": 1}"#).is_err());
        assert!(serde_json::from_str::<Healthcheck>(r#"{"headers": "X-A: 1"}"#).is_err());
        assert!(serde_json::from_str::<Healthcheck>(r#"{"window": 2.5}"#).is_err());
    }

    #[test]
    fn config_writes_backends_then_healthchecks_and_defaults_missing_lists() {
        let config = Config {
            healthchecks: vec![Healthcheck {
                name: Some("hc".into()),
                ..Default::default()
            }],
            backends: vec![Backend {
                name: Some("b".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&config).unwrap(),
            r#"{"backends":[{"name":"b"}],"healthchecks":[{"name":"hc"}]}"#
        );
        let empty: Config = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, Config::default());
    }

    #[test]
    fn config_writes_directors_only_when_there_are_some() {
        let mut config = Config::default();
        assert_eq!(
            serde_json::to_string(&config).unwrap(),
            r#"{"backends":[],"healthchecks":[]}"#
        );
        config.directors.push(Director {
            name: Some("d".into()),
            kind: Some(director_type::HASH),
            quorum: Some(50),
            backends: Some(vec!["a".into(), "b".into()]),
            ..Default::default()
        });
        let text = serde_json::to_string(&config).unwrap();
        assert_eq!(
            text,
            r#"{"backends":[],"healthchecks":[],"directors":[{"name":"d","type":3,"quorum":50,"backends":["a","b"]}]}"#
        );
        assert_eq!(serde_json::from_str::<Config>(&text).unwrap(), config);
    }

    #[test]
    fn director_keeps_unknown_fields_and_reads_cli_names() {
        let d: Director =
            serde_json::from_str(r#"{"Name":"d","Type":1,"Retries":2,"future":true}"#).unwrap();
        assert_eq!(d.name.as_deref(), Some("d"));
        assert_eq!(d.kind, Some(director_type::RANDOM));
        assert_eq!(d.retries, Some(2));
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"name":"d","type":1,"retries":2,"future":true}"#
        );
    }
}
