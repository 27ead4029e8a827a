//! One row per field of the API's backend and healthcheck objects, in the model's order: what
//! each is called in VCL, in the Fastly CLI and in Terraform, its unit and who sets it.
//!
//! The migrate writers read their flags, attributes and never-sent fields from here, and a
//! test fails when a model field has no row (docs/design.md §8, §9 record the columns).

/// Who gives a field its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Configuration a user sets.
    Config,
    /// Read-only metadata an exported object carries: never sent.
    Metadata,
}

/// How the Fastly CLI sends a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CliFlag {
    /// No flag: the value is reported and sent with curl.
    None,
    /// `--flag='VALUE'`.
    Value(&'static str),
    /// A switch the writer handles on its own (`--use-ssl`, `--no-ssl-check-cert`, ...).
    Switch,
}

/// One API field.
#[derive(Clone, Copy, Debug)]
pub struct Property {
    /// The API's field name (the model's serde name).
    pub api: &'static str,
    /// The VCL property (backend) or probe key it comes from, if any.
    pub vcl: Option<&'static str>,
    pub role: Role,
    pub cli: CliFlag,
    /// The attribute in terraform-provider-fastly's block, if any.
    pub terraform: Option<&'static str>,
}

const fn row(
    api: &'static str,
    vcl: Option<&'static str>,
    cli: CliFlag,
    terraform: Option<&'static str>,
) -> Property {
    Property {
        api,
        vcl,
        role: Role::Config,
        cli,
        terraform,
    }
}

/// A field named alike everywhere.
const fn same(api: &'static str, cli: &'static str) -> Property {
    row(api, Some(api), CliFlag::Value(cli), Some(api))
}

const fn metadata(api: &'static str) -> Property {
    Property {
        api,
        vcl: None,
        role: Role::Metadata,
        cli: CliFlag::None,
        terraform: None,
    }
}

use CliFlag::{None as NoFlag, Switch, Value as Flag};

/// The backend object's fields, in the model's order.
pub static BACKEND: &[Property] = &[
    row("name", None, Flag("name"), Some("name")),
    row("address", Some("host"), Flag("address"), Some("address")),
    row("port", Some("port"), Flag("port"), Some("port")),
    row("use_ssl", Some("ssl"), Switch, Some("use_ssl")),
    row(
        "ssl_check_cert",
        Some("ssl_check_cert"),
        Switch,
        Some("ssl_check_cert"),
    ),
    same("ssl_cert_hostname", "ssl-cert-hostname"),
    same("ssl_sni_hostname", "ssl-sni-hostname"),
    row("ssl_hostname", Some("ssl_hostname"), NoFlag, None),
    same("ssl_ca_cert", "ssl-ca-cert"),
    same("ssl_client_cert", "ssl-client-cert"),
    same("ssl_client_key", "ssl-client-key"),
    same("ssl_ciphers", "ssl-ciphers"),
    same("min_tls_version", "min-tls-version"),
    same("max_tls_version", "max-tls-version"),
    row(
        "override_host",
        Some("host_header"),
        Flag("override-host"),
        Some("override_host"),
    ),
    same("connect_timeout", "connect-timeout"),
    same("first_byte_timeout", "first-byte-timeout"),
    same("between_bytes_timeout", "between-bytes-timeout"),
    row("fetch_timeout", Some("fetch_timeout"), NoFlag, None),
    same("keepalive_time", "http-ka-time"),
    row(
        "max_conn",
        Some("max_connections"),
        Flag("max-conn"),
        Some("max_conn"),
    ),
    row(
        "error_threshold",
        Some("saintmode_threshold"),
        NoFlag,
        Some("error_threshold"),
    ),
    row("share_key", Some("share_key"), NoFlag, Some("share_key")),
    row(
        "healthcheck",
        Some("probe"),
        Flag("healthcheck"),
        Some("healthcheck"),
    ),
    same("prefer_ipv6", "prefer-ipv6"),
    row("hostname", None, NoFlag, None),
    row("ipv4", None, NoFlag, None),
    row("ipv6", None, NoFlag, None),
    row("auto_loadbalance", None, Switch, Some("auto_loadbalance")),
    row("weight", None, Flag("weight"), Some("weight")),
    row("shield", None, Flag("shield"), Some("shield")),
    row(
        "request_condition",
        None,
        Flag("request-condition"),
        Some("request_condition"),
    ),
    row("comment", None, Flag("comment"), None),
    row("tcp_keepalive_enable", None, Flag("tcp-ka-enabled"), None),
    row(
        "tcp_keepalive_interval",
        None,
        Flag("tcp-ka-interval"),
        None,
    ),
    row("tcp_keepalive_probes", None, Flag("tcp-ka-probes"), None),
    row("tcp_keepalive_time", None, Flag("tcp-ka-time"), None),
    row("max_use", None, Flag("max-use"), Some("max_use")),
    row(
        "max_lifetime",
        None,
        Flag("max-lifetime"),
        Some("max_lifetime"),
    ),
    row("client_cert", None, NoFlag, None),
    metadata("service_id"),
    metadata("version"),
    metadata("locked"),
    metadata("created_at"),
    metadata("updated_at"),
    metadata("deleted_at"),
];

/// The healthcheck object's fields, in the model's order. `.request` in VCL carries the
/// method, host, path, HTTP version and headers at once.
pub static HEALTHCHECK: &[Property] = &[
    row("name", None, Flag("name"), Some("name")),
    row("method", Some("request"), Flag("method"), Some("method")),
    row("host", Some("request"), Flag("host"), Some("host")),
    row("path", Some("request"), Flag("path"), Some("path")),
    row(
        "http_version",
        Some("request"),
        Flag("http-version"),
        Some("http_version"),
    ),
    row("headers", Some("request"), NoFlag, Some("headers")),
    row(
        "check_interval",
        Some("interval"),
        Flag("check-interval"),
        Some("check_interval"),
    ),
    same("timeout", "timeout"),
    same("window", "window"),
    same("threshold", "threshold"),
    same("initial", "initial"),
    same("expected_response", "expected-response"),
    row("comment", None, Flag("comment"), None),
    metadata("service_id"),
    metadata("version"),
    metadata("created_at"),
    metadata("updated_at"),
    metadata("deleted_at"),
];

/// The row of `api` in `table`.
pub fn find(table: &'static [Property], api: &str) -> Option<&'static Property> {
    table.iter().find(|p| p.api == api)
}

/// The Fastly CLI flag that sends `api` as `--flag='VALUE'`, if there is one.
pub fn cli_flag(table: &'static [Property], api: &str) -> Option<&'static str> {
    match find(table, api)?.cli {
        CliFlag::Value(flag) => Some(flag),
        CliFlag::None | CliFlag::Switch => None,
    }
}

/// Whether Terraform's block has an attribute for `api`.
pub fn has_terraform_attribute(table: &'static [Property], api: &str) -> bool {
    find(table, api).is_some_and(|p| p.terraform.is_some())
}

/// Whether `api` is read-only metadata of either object (never sent).
pub fn is_metadata(api: &str) -> bool {
    [BACKEND, HEALTHCHECK]
        .iter()
        .any(|table| find(table, api).is_some_and(|p| p.role == Role::Metadata))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fields::{FieldVisitor, Fields};
    use crate::model::{Backend, Healthcheck};

    struct Names(Vec<&'static str>);

    impl FieldVisitor for Names {
        fn string(&mut self, key: &'static str, _: &Option<String>) {
            self.0.push(key);
        }
        fn integer(&mut self, key: &'static str, _: Option<i64>) {
            self.0.push(key);
        }
        fn boolean(&mut self, key: &'static str, _: Option<bool>) {
            self.0.push(key);
        }
        fn strings(&mut self, key: &'static str, _: &Option<Vec<String>>) {
            self.0.push(key);
        }
    }

    fn model_fields(object: &impl Fields) -> Vec<&'static str> {
        let mut names = Names(Vec::new());
        object.visit_fields(&mut names);
        names.0
    }

    fn table_fields(table: &[Property]) -> Vec<&'static str> {
        table.iter().map(|p| p.api).collect()
    }

    /// A field added to the model without its row fails here (and `fields.rs` does not
    /// compile until the field is visited).
    #[test]
    fn every_model_field_has_one_row_in_order() {
        assert_eq!(table_fields(BACKEND), model_fields(&Backend::default()));
        assert_eq!(
            table_fields(HEALTHCHECK),
            model_fields(&Healthcheck::default())
        );
    }

    #[test]
    fn a_flag_or_attribute_is_never_given_for_metadata() {
        for p in BACKEND.iter().chain(HEALTHCHECK) {
            if p.role == Role::Metadata {
                assert_eq!(p.cli, CliFlag::None, "{}", p.api);
                assert_eq!(p.terraform, None, "{}", p.api);
            }
        }
    }

    /// Lowering's backend property table and this one agree on every VCL name with an API
    /// field.
    #[test]
    fn vcl_names_agree_with_lowering() {
        use crate::lower::backend::{BACKEND_PROPERTIES, Destination};
        for vcl in &BACKEND_PROPERTIES {
            let stored = !matches!(
                vcl.destination,
                Destination::VclOnly | Destination::AlwaysUseHostHeader
            );
            let row = BACKEND.iter().find(|p| p.vcl == Some(vcl.name));
            assert_eq!(row.is_some(), stored, "`.{}`", vcl.name);
        }
        for p in BACKEND.iter().filter_map(|p| p.vcl) {
            assert!(
                BACKEND_PROPERTIES.iter().any(|v| v.name == p),
                "`.{p}` is not a property lowering reads"
            );
        }
    }
}
