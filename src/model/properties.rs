//! One table per object of the API, backend and healthcheck: a row per field, in the model's
//! order, with what it is called in VCL, in the Fastly CLI and in Terraform and who sets it.
//!
//! The backend table is the only place a backend property is declared: lowering looks VCL
//! names up in it and stores values where it says, generate prints the rows it places and
//! warns about the fields it cannot, and the migrate writers read their flags, attributes and
//! never-sent fields from it (docs/design.md §2.3, §4.1, §4.6, §8, §9). A test fails when a
//! model field has no row.
//!
//! The probe keys are declared once too ([`PROBE`]): lowering looks probe keys up in it, generate
//! prints a healthcheck's keys from it, and the API fields each key fills ([`HEALTHCHECK`]'s
//! rows, with their accessors) are what probes are hashed and compared by.

use crate::model::vcl_form::{
    Destination, Field, HcField, ProbeDestination, SSL_CHECK_CERT_WORDS, VclType,
};

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

/// One API field of the healthcheck object.
#[derive(Clone, Copy)]
pub struct Property {
    /// The API's field name (the model's serde name).
    pub api: &'static str,
    /// The field, when a probe key fills it (see [`PROBE`]): what probes are hashed and
    /// compared by.
    pub probe: Option<HcValue>,
    pub role: Role,
    pub cli: CliFlag,
    /// The attribute in terraform-provider-fastly's block, if any.
    pub terraform: Option<&'static str>,
    /// What the API fills in when the field is left out (docs/design.md §13.2).
    pub default: ApiDefault,
}

/// One backend property: an API field, a VCL property, or both.
#[derive(Clone, Copy)]
pub struct BackendProperty {
    /// The API's field name (the model's serde name); `None` for a property only VCL has.
    pub api: Option<&'static str>,
    /// Its VCL form, if it has one.
    pub vcl: Option<VclProperty>,
    pub role: Role,
    pub cli: CliFlag,
    /// The attribute in terraform-provider-fastly's block, if any.
    pub terraform: Option<&'static str>,
    /// What generate says of a value it has no place for.
    pub unplaced: Unplaced,
    /// What the API fills in when the field is left out (docs/design.md §13.2).
    pub default: ApiDefault,
}

/// The value the API gives a field an object leaves out: what `diff` compares an absent field
/// as, and what generate prints for it (docs/design.md §13.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiDefault {
    /// No default: absent stays absent.
    None,
    Integer(i64),
    Bool(bool),
    /// A text; `""` for the fields whose empty string means none (docs/design.md §1.2).
    Text(&'static str),
    /// `port`: 443 when the backend uses TLS, else 80.
    Port,
    /// `use_ssl`: on when the port is 443 (the API infers it on create).
    UseSslFromPort,
}

/// A backend property as VCL writes it (docs/design.md §2.3, §4.1).
#[derive(Clone, Copy)]
pub struct VclProperty {
    pub name: &'static str,
    pub ty: VclType,
    /// Where lowering stores its value.
    pub destination: Destination,
    /// Where and how generate prints it.
    pub print: Print,
}

/// Where generate prints a property: Fastly's layout has a general group and, under TLS, a
/// TLS group, each alphabetical (docs/design.md §4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Print {
    /// Not in either group: the probe is a group of its own, and VCL-only settings Fastly never
    /// writes stay out.
    No,
    General(Shown),
    /// Only when the backend uses TLS.
    Tls(Shown),
}

/// Which value generate prints for a property, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// The stored value; left out when absent, empty or false.
    IfSet,
    /// The stored value, left out when absent or zero.
    IfNonZero,
    /// The stored value, or the API's default when absent (the API would have filled it in):
    /// [`BACKEND_VCL`] holds the number, taken from the row's `default` column.
    OrDefault(i64),
    /// What a row writes for [`Shown::OrDefault`]: the row's `default` column fills it in.
    OrApiDefault,
    /// The stored value, `""` when absent.
    OrEmpty,
    /// `true`, whatever the model says.
    True,
    /// `true` when the backend has an `override_host` (docs/design.md §4.3).
    WithOverrideHost,
    /// The port generate works out (the API's from `use_ssl` when absent).
    Port,
    /// The share key generate works out (`share_key`, `service_id`, `--service-id`).
    ShareKey,
    /// `never` when `ssl_check_cert` is false, otherwise `always`.
    CheckCert,
}

/// What generate does with an API field that has no VCL form (docs/design.md §4.6).
#[derive(Clone, Copy)]
pub enum Unplaced {
    /// Nothing: it has a VCL form, or nothing to lose (metadata, derived by the API, unused).
    Silent,
    /// A warning when the field carries meaning (a non-empty text, `true`, a non-zero number),
    /// saying why it has no place.
    Warn(Value, &'static str),
    /// `auto_loadbalance`: a warning when it is on but not realised (a `request_condition`
    /// overrides it, so the backend is no `autodirector_` member).
    WarnWhenOverridden(Value, &'static str),
    /// `weight`: a warning when the weight is used nowhere (the backend is no director's
    /// member) and is given under `auto_loadbalance` or differs from the API's default.
    WarnWhenUnused(Value, &'static str),
}

impl Unplaced {
    pub const fn is_silent(&self) -> bool {
        matches!(self, Unplaced::Silent)
    }
}

/// A model field generate reads without printing it.
#[derive(Clone, Copy)]
pub enum Value {
    Text(Field<String>),
    Integer(Field<i64>),
    Boolean(Field<bool>),
}

/// The columns both tables have, for the writers that read either.
pub trait Row {
    fn api(&self) -> Option<&'static str>;
    fn role(&self) -> Role;
    fn cli(&self) -> CliFlag;
    fn terraform(&self) -> Option<&'static str>;
}

impl Row for Property {
    fn api(&self) -> Option<&'static str> {
        Some(self.api)
    }
    fn role(&self) -> Role {
        self.role
    }
    fn cli(&self) -> CliFlag {
        self.cli
    }
    fn terraform(&self) -> Option<&'static str> {
        self.terraform
    }
}

impl Row for BackendProperty {
    fn api(&self) -> Option<&'static str> {
        self.api
    }
    fn role(&self) -> Role {
        self.role
    }
    fn cli(&self) -> CliFlag {
        self.cli
    }
    fn terraform(&self) -> Option<&'static str> {
        self.terraform
    }
}

/// A model field lowering writes and generate reads.
macro_rules! field {
    ($name:ident) => {
        Field {
            get: |b| &b.$name,
            set: |b| &mut b.$name,
        }
    };
}

const fn vcl(
    name: &'static str,
    ty: VclType,
    destination: Destination,
    print: Print,
) -> Option<VclProperty> {
    Some(VclProperty {
        name,
        ty,
        destination,
        print,
    })
}

/// A backend field a user sets.
const fn config(
    api: &'static str,
    vcl: Option<VclProperty>,
    cli: CliFlag,
    terraform: Option<&'static str>,
    unplaced: Unplaced,
) -> BackendProperty {
    BackendProperty {
        api: Some(api),
        vcl,
        role: Role::Config,
        cli,
        terraform,
        unplaced,
        default: ApiDefault::None,
    }
}

/// `row` with the API's default for its field.
const fn defaults_to(mut row: BackendProperty, default: ApiDefault) -> BackendProperty {
    row.default = default;
    row
}

/// A VCL string property named as its field everywhere, in the TLS group.
const fn tls_text(api: &'static str, cli: &'static str, field: Field<String>) -> BackendProperty {
    let form = vcl(api, VclType::String, Destination::Text(field), Tls(IfSet));
    config(api, form, Flag(cli), Some(api), Silent)
}

/// A field VCL has no form for.
const fn api_only(
    api: &'static str,
    cli: CliFlag,
    terraform: Option<&'static str>,
    unplaced: Unplaced,
) -> BackendProperty {
    config(api, None, cli, terraform, unplaced)
}

/// A VCL property the API has no field for.
const fn vcl_only(name: &'static str, destination: Destination, print: Print) -> BackendProperty {
    BackendProperty {
        api: None,
        vcl: vcl(name, VclType::Bool, destination, print),
        role: Role::Config,
        cli: CliFlag::None,
        terraform: None,
        unplaced: Silent,
        default: ApiDefault::None,
    }
}

const fn backend_metadata(api: &'static str) -> BackendProperty {
    BackendProperty {
        api: Some(api),
        vcl: None,
        role: Role::Metadata,
        cli: CliFlag::None,
        terraform: None,
        unplaced: Silent,
        default: ApiDefault::None,
    }
}

use CliFlag::{None as NoFlag, Switch, Value as Flag};
use Print::{General, Tls};
use Shown::{IfSet, OrApiDefault, OrDefault};
use Unplaced::{Silent, Warn};

const CONNECTION_SETTING: &str = "this connection setting has no VCL property";

/// The backend object's fields in the model's order, then the properties only VCL has; a
/// constant, for the lists other layers work out from it at compile time.
pub const BACKEND_ROWS: [BackendProperty; 50] = [
    // The VCL identifier, not a property.
    api_only("name", Flag("name"), Some("name"), Silent),
    config(
        "address",
        vcl(
            "host",
            VclType::String,
            Destination::Text(field!(address)),
            General(Shown::OrEmpty),
        ),
        Flag("address"),
        Some("address"),
        Silent,
    ),
    defaults_to(
        config(
            "port",
            vcl(
                "port",
                VclType::String,
                Destination::Port,
                General(Shown::Port),
            ),
            Flag("port"),
            Some("port"),
            Silent,
        ),
        ApiDefault::Port,
    ),
    defaults_to(
        config(
            "use_ssl",
            vcl(
                "ssl",
                VclType::Bool,
                Destination::Flag(field!(use_ssl)),
                Tls(Shown::True),
            ),
            Switch,
            Some("use_ssl"),
            Silent,
        ),
        ApiDefault::UseSslFromPort,
    ),
    defaults_to(
        config(
            "ssl_check_cert",
            vcl(
                "ssl_check_cert",
                VclType::Keyword(SSL_CHECK_CERT_WORDS),
                Destination::SslCheckCert,
                Tls(Shown::CheckCert),
            ),
            Switch,
            Some("ssl_check_cert"),
            Silent,
        ),
        ApiDefault::Bool(true),
    ),
    tls_text(
        "ssl_cert_hostname",
        "ssl-cert-hostname",
        field!(ssl_cert_hostname),
    ),
    tls_text(
        "ssl_sni_hostname",
        "ssl-sni-hostname",
        field!(ssl_sni_hostname),
    ),
    config(
        "ssl_hostname",
        vcl(
            "ssl_hostname",
            VclType::String,
            Destination::Text(field!(ssl_hostname)),
            Tls(IfSet),
        ),
        NoFlag,
        None,
        Silent,
    ),
    tls_text("ssl_ca_cert", "ssl-ca-cert", field!(ssl_ca_cert)),
    tls_text(
        "ssl_client_cert",
        "ssl-client-cert",
        field!(ssl_client_cert),
    ),
    tls_text("ssl_client_key", "ssl-client-key", field!(ssl_client_key)),
    tls_text("ssl_ciphers", "ssl-ciphers", field!(ssl_ciphers)),
    tls_text(
        "min_tls_version",
        "min-tls-version",
        field!(min_tls_version),
    ),
    tls_text(
        "max_tls_version",
        "max-tls-version",
        field!(max_tls_version),
    ),
    config(
        "override_host",
        vcl(
            "host_header",
            VclType::String,
            Destination::Text(field!(override_host)),
            General(IfSet),
        ),
        Flag("override-host"),
        Some("override_host"),
        Silent,
    ),
    defaults_to(
        config(
            "connect_timeout",
            vcl(
                "connect_timeout",
                VclType::Rtime,
                Destination::Millis(field!(connect_timeout)),
                General(OrApiDefault),
            ),
            Flag("connect-timeout"),
            Some("connect_timeout"),
            Silent,
        ),
        ApiDefault::Integer(1_000),
    ),
    defaults_to(
        config(
            "first_byte_timeout",
            vcl(
                "first_byte_timeout",
                VclType::Rtime,
                Destination::Millis(field!(first_byte_timeout)),
                General(OrApiDefault),
            ),
            Flag("first-byte-timeout"),
            Some("first_byte_timeout"),
            Silent,
        ),
        ApiDefault::Integer(15_000),
    ),
    defaults_to(
        config(
            "between_bytes_timeout",
            vcl(
                "between_bytes_timeout",
                VclType::Rtime,
                Destination::Millis(field!(between_bytes_timeout)),
                General(OrApiDefault),
            ),
            Flag("between-bytes-timeout"),
            Some("between_bytes_timeout"),
            Silent,
        ),
        ApiDefault::Integer(10_000),
    ),
    config(
        "fetch_timeout",
        vcl(
            "fetch_timeout",
            VclType::Rtime,
            Destination::Millis(field!(fetch_timeout)),
            General(IfSet),
        ),
        NoFlag,
        None,
        Silent,
    ),
    config(
        "keepalive_time",
        vcl(
            "keepalive_time",
            VclType::Rtime,
            Destination::Seconds(field!(keepalive_time)),
            General(IfSet),
        ),
        Flag("http-ka-time"),
        Some("keepalive_time"),
        Silent,
    ),
    defaults_to(
        config(
            "max_conn",
            vcl(
                "max_connections",
                VclType::Integer,
                Destination::Count(field!(max_conn)),
                General(OrApiDefault),
            ),
            Flag("max-conn"),
            Some("max_conn"),
            Silent,
        ),
        ApiDefault::Integer(200),
    ),
    defaults_to(
        config(
            "error_threshold",
            vcl(
                "saintmode_threshold",
                VclType::Integer,
                Destination::Count(field!(error_threshold)),
                General(Shown::IfNonZero),
            ),
            NoFlag,
            Some("error_threshold"),
            Silent,
        ),
        ApiDefault::Integer(0),
    ),
    config(
        "share_key",
        vcl(
            "share_key",
            VclType::String,
            Destination::Text(field!(share_key)),
            General(Shown::ShareKey),
        ),
        NoFlag,
        Some("share_key"),
        Silent,
    ),
    // Printed as the probe group, after the others.
    defaults_to(
        config(
            "healthcheck",
            vcl("probe", VclType::Probe, Destination::Probe, Print::No),
            Flag("healthcheck"),
            Some("healthcheck"),
            Silent,
        ),
        ApiDefault::Text(""),
    ),
    defaults_to(
        config(
            "prefer_ipv6",
            vcl(
                "prefer_ipv6",
                VclType::Bool,
                Destination::Flag(field!(prefer_ipv6)),
                General(IfSet),
            ),
            Flag("prefer-ipv6"),
            Some("prefer_ipv6"),
            Silent,
        ),
        ApiDefault::Bool(false),
    ),
    // The API derives these three from `address`.
    api_only("hostname", NoFlag, None, Silent),
    api_only("ipv4", NoFlag, None, Silent),
    api_only("ipv6", NoFlag, None, Silent),
    defaults_to(
        api_only(
            "auto_loadbalance",
            Switch,
            Some("auto_loadbalance"),
            Unplaced::WarnWhenOverridden(
                Value::Boolean(field!(auto_loadbalance)),
                "its `request_condition` overrides it: the backend is not in `autodirector_`",
            ),
        ),
        ApiDefault::Bool(false),
    ),
    defaults_to(
        api_only(
            "weight",
            Flag("weight"),
            Some("weight"),
            Unplaced::WarnWhenUnused(
                Value::Integer(field!(weight)),
                "a weight is a director member's, and this backend is in no director",
            ),
        ),
        ApiDefault::Integer(100),
    ),
    // Both have a VCL form outside the declaration: generate's routing (docs/design.md §4.8).
    defaults_to(
        api_only("shield", Flag("shield"), Some("shield"), Silent),
        ApiDefault::Text(""),
    ),
    defaults_to(
        api_only(
            "request_condition",
            Flag("request-condition"),
            Some("request_condition"),
            Silent,
        ),
        ApiDefault::Text(""),
    ),
    defaults_to(
        api_only(
            "comment",
            Flag("comment"),
            None,
            Warn(
                Value::Text(field!(comment)),
                "comments are not part of generated VCL",
            ),
        ),
        ApiDefault::Text(""),
    ),
    api_only(
        "tcp_keepalive_enable",
        Flag("tcp-ka-enabled"),
        None,
        Warn(
            Value::Boolean(field!(tcp_keepalive_enable)),
            "TCP keepalive has no VCL property",
        ),
    ),
    defaults_to(
        api_only(
            "tcp_keepalive_interval",
            Flag("tcp-ka-interval"),
            None,
            Warn(
                Value::Integer(field!(tcp_keepalive_interval)),
                CONNECTION_SETTING,
            ),
        ),
        ApiDefault::Integer(10),
    ),
    defaults_to(
        api_only(
            "tcp_keepalive_probes",
            Flag("tcp-ka-probes"),
            None,
            Warn(
                Value::Integer(field!(tcp_keepalive_probes)),
                CONNECTION_SETTING,
            ),
        ),
        ApiDefault::Integer(3),
    ),
    defaults_to(
        api_only(
            "tcp_keepalive_time",
            Flag("tcp-ka-time"),
            None,
            Warn(
                Value::Integer(field!(tcp_keepalive_time)),
                CONNECTION_SETTING,
            ),
        ),
        ApiDefault::Integer(300),
    ),
    defaults_to(
        api_only(
            "max_use",
            Flag("max-use"),
            Some("max_use"),
            Warn(Value::Integer(field!(max_use)), CONNECTION_SETTING),
        ),
        ApiDefault::Integer(0),
    ),
    defaults_to(
        api_only(
            "max_lifetime",
            Flag("max-lifetime"),
            Some("max_lifetime"),
            Warn(Value::Integer(field!(max_lifetime)), CONNECTION_SETTING),
        ),
        ApiDefault::Integer(0),
    ),
    // The API documents it as unused.
    api_only("client_cert", NoFlag, None, Silent),
    backend_metadata("service_id"),
    backend_metadata("version"),
    backend_metadata("locked"),
    backend_metadata("created_at"),
    backend_metadata("updated_at"),
    backend_metadata("deleted_at"),
    // Implied by `override_host` (docs/design.md §4.3).
    vcl_only(
        "always_use_host_header",
        Destination::AlwaysUseHostHeader,
        General(Shown::WithOverrideHost),
    ),
    vcl_only("bypass_local_route_table", Destination::VclOnly, Print::No),
    // Always `true` in what Fastly generates (docs/design.md §4.3).
    vcl_only("dynamic", Destination::VclOnly, General(Shown::True)),
    vcl_only("is_shield", Destination::VclOnly, Print::No),
];

/// Every backend property, each declared once: the API's fields in the model's order, then
/// the properties only VCL has.
pub static BACKEND: &[BackendProperty] = &BACKEND_ROWS;

/// The VCL forms of [`BACKEND`], alphabetical by VCL name (the order Fastly prints each group
/// in), worked out at compile time for lowering and generate.
pub const BACKEND_VCL: [VclProperty; VCL_FORMS] = vcl_forms_alphabetical();

/// The API fields of [`BACKEND`] generate may warn about (docs/design.md §4.6), in the model's
/// order.
pub const BACKEND_UNPLACED: [(&str, Unplaced); UNPLACED] = unplaced_rows();

const UNPLACED: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < BACKEND_ROWS.len() {
        if !BACKEND_ROWS[i].unplaced.is_silent() {
            n += 1;
        }
        i += 1;
    }
    n
};

const fn unplaced_rows() -> [(&'static str, Unplaced); UNPLACED] {
    let mut rows = [("", Silent); UNPLACED];
    let (mut n, mut i) = (0, 0);
    while i < BACKEND_ROWS.len() {
        let row = &BACKEND_ROWS[i];
        if let (Some(api), false) = (row.api, row.unplaced.is_silent()) {
            rows[n] = (api, row.unplaced);
            n += 1;
        }
        i += 1;
    }
    rows
}

/// How many rows of [`BACKEND`] have a VCL form.
pub const VCL_FORMS: usize = count_vcl_forms();

const fn count_vcl_forms() -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < BACKEND_ROWS.len() {
        if BACKEND_ROWS[i].vcl.is_some() {
            n += 1;
        }
        i += 1;
    }
    n
}

/// `a < b`, byte by byte, at compile time.
const fn before(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

const fn vcl_forms_alphabetical() -> [VclProperty; VCL_FORMS] {
    let Some(first) = BACKEND_ROWS[1].vcl else {
        panic!("`address` has a VCL form")
    };
    let mut forms = [first; VCL_FORMS];
    let mut n = 0;
    let mut i = 0;
    while i < BACKEND_ROWS.len() {
        if let Some(form) = BACKEND_ROWS[i].vcl {
            let form = with_api_default(form, BACKEND_ROWS[i].default);
            // Insertion sort: a few dozen rows, once, by the compiler.
            let mut at = n;
            while at > 0 && before(form.name, forms[at - 1].name) {
                forms[at] = forms[at - 1];
                at -= 1;
            }
            forms[at] = form;
            n += 1;
        }
        i += 1;
    }
    forms
}

/// The API's default of backend field `api`, an integer, read from [`BACKEND_ROWS`] at compile
/// time.
pub const fn backend_number_default(api: &str) -> i64 {
    let mut i = 0;
    while i < BACKEND_ROWS.len() {
        if let (Some(name), ApiDefault::Integer(n)) = (BACKEND_ROWS[i].api, BACKEND_ROWS[i].default)
        {
            if same_text(name, api) {
                return n;
            }
        }
        i += 1;
    }
    panic!("no integer default for this backend field")
}

/// `form` with a [`Shown::OrApiDefault`] print made [`Shown::OrDefault`] of the row's default:
/// the number is written once, in the `default` column.
const fn with_api_default(mut form: VclProperty, default: ApiDefault) -> VclProperty {
    let ApiDefault::Integer(n) = default else {
        if let General(OrApiDefault) | Tls(OrApiDefault) = form.print {
            panic!("a row printed with the API's default has an integer `default`")
        }
        return form;
    };
    form.print = match form.print {
        General(OrApiDefault) => General(OrDefault(n)),
        Tls(OrApiDefault) => Tls(OrDefault(n)),
        print => print,
    };
    form
}

/// A healthcheck field a probe key fills.
#[derive(Clone, Copy)]
pub enum HcValue {
    Text(HcField<String>),
    Number(HcField<i64>),
    List(HcField<Vec<String>>),
}

/// A healthcheck field named alike everywhere, filled by the probe key of its name.
const fn same(api: &'static str, cli: &'static str, value: HcValue) -> Property {
    row(api, Some(value), Flag(cli), Some(api))
}

const fn row(
    api: &'static str,
    probe: Option<HcValue>,
    cli: CliFlag,
    terraform: Option<&'static str>,
) -> Property {
    Property {
        api,
        probe,
        role: Role::Config,
        cli,
        terraform,
        default: ApiDefault::None,
    }
}

/// `row` with the API's default for its field.
const fn hc_default(mut row: Property, default: ApiDefault) -> Property {
    row.default = default;
    row
}

/// The API's default of healthcheck field `api`, read from [`HEALTHCHECK_ROWS`] at compile
/// time (generate prints it for an absent field).
pub const fn healthcheck_default(api: &str) -> ApiDefault {
    let mut i = 0;
    while i < HEALTHCHECK_ROWS.len() {
        if same_text(HEALTHCHECK_ROWS[i].api, api) {
            return HEALTHCHECK_ROWS[i].default;
        }
        i += 1;
    }
    panic!("no such healthcheck field")
}

/// [`healthcheck_default`] of a number field.
pub const fn healthcheck_number_default(api: &str) -> i64 {
    match healthcheck_default(api) {
        ApiDefault::Integer(n) => n,
        _ => panic!("not a number default"),
    }
}

/// [`healthcheck_default`] of a text field.
pub const fn healthcheck_text_default(api: &str) -> &'static str {
    match healthcheck_default(api) {
        ApiDefault::Text(text) => text,
        _ => panic!("not a text default"),
    }
}

const fn same_text(a: &str, b: &str) -> bool {
    !before(a, b) && !before(b, a)
}

const fn metadata(api: &'static str) -> Property {
    Property {
        api,
        probe: None,
        role: Role::Metadata,
        cli: CliFlag::None,
        terraform: None,
        default: ApiDefault::None,
    }
}

/// The healthcheck object's fields, in the model's order. `.request` in VCL carries the
/// method, host, path, HTTP version and headers at once.
pub static HEALTHCHECK: &[Property] = &HEALTHCHECK_ROWS;

/// [`HEALTHCHECK`], a constant for the list of probe fields worked out from it at compile time.
pub const HEALTHCHECK_ROWS: [Property; 18] = [
    row("name", None, Flag("name"), Some("name")),
    hc_default(
        row(
            "method",
            Some(HcValue::Text(field!(method))),
            Flag("method"),
            Some("method"),
        ),
        ApiDefault::Text("HEAD"),
    ),
    row(
        "host",
        Some(HcValue::Text(field!(host))),
        Flag("host"),
        Some("host"),
    ),
    hc_default(
        row(
            "path",
            Some(HcValue::Text(field!(path))),
            Flag("path"),
            Some("path"),
        ),
        ApiDefault::Text("/"),
    ),
    hc_default(
        row(
            "http_version",
            Some(HcValue::Text(field!(http_version))),
            Flag("http-version"),
            Some("http_version"),
        ),
        ApiDefault::Text("1.1"),
    ),
    row(
        "headers",
        Some(HcValue::List(field!(headers))),
        NoFlag,
        Some("headers"),
    ),
    hc_default(
        row(
            "check_interval",
            Some(HcValue::Number(field!(check_interval))),
            Flag("check-interval"),
            Some("check_interval"),
        ),
        ApiDefault::Integer(5_000),
    ),
    hc_default(
        same("timeout", "timeout", HcValue::Number(field!(timeout))),
        ApiDefault::Integer(5_000),
    ),
    hc_default(
        same("window", "window", HcValue::Number(field!(window))),
        ApiDefault::Integer(5),
    ),
    hc_default(
        same("threshold", "threshold", HcValue::Number(field!(threshold))),
        ApiDefault::Integer(3),
    ),
    hc_default(
        same("initial", "initial", HcValue::Number(field!(initial))),
        ApiDefault::Integer(3),
    ),
    hc_default(
        same(
            "expected_response",
            "expected-response",
            HcValue::Number(field!(expected_response)),
        ),
        ApiDefault::Integer(200),
    ),
    hc_default(
        row("comment", None, Flag("comment"), None),
        ApiDefault::Text(""),
    ),
    metadata("service_id"),
    metadata("version"),
    metadata("created_at"),
    metadata("updated_at"),
    metadata("deleted_at"),
];

/// The fields of [`HEALTHCHECK`] a probe key fills, in the model's order: what probes are
/// hashed and compared by, worked out at compile time.
pub const PROBE_FIELDS: [HcValue; PROBE_FIELD_COUNT] = probe_fields();

const PROBE_FIELD_COUNT: usize = {
    let (mut n, mut i) = (0, 0);
    while i < HEALTHCHECK_ROWS.len() {
        if HEALTHCHECK_ROWS[i].probe.is_some() {
            n += 1;
        }
        i += 1;
    }
    n
};

const fn probe_fields() -> [HcValue; PROBE_FIELD_COUNT] {
    let mut fields = [HcValue::Text(field!(method)); PROBE_FIELD_COUNT];
    let (mut n, mut i) = (0, 0);
    while i < HEALTHCHECK_ROWS.len() {
        if let Some(value) = HEALTHCHECK_ROWS[i].probe {
            fields[n] = value;
            n += 1;
        }
        i += 1;
    }
    fields
}

/// One key of a `.probe = { ... }` (docs/design.md §2.5, §4.1).
#[derive(Clone, Copy)]
pub struct ProbeKey {
    pub name: &'static str,
    pub ty: VclType,
    /// Where lowering stores its value.
    pub destination: ProbeDestination,
    /// How generate prints it for a healthcheck.
    pub print: ProbePrint,
    /// The API fields of [`HEALTHCHECK`] it fills.
    pub fills: &'static [&'static str],
}

/// How generate prints a probe key for a healthcheck (Fastly's dummy probe is its own text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbePrint {
    /// Not printed: the API has no dummy, and a path is printed in `.request`.
    No,
    /// The stored value, or the API's default when absent (the API would have filled it in).
    OrDefault(i64),
    /// The request line, the host and Fastly's own lines, then the headers.
    Request,
}

const fn key(
    name: &'static str,
    ty: VclType,
    destination: ProbeDestination,
    print: ProbePrint,
    fills: &'static [&'static str],
) -> ProbeKey {
    ProbeKey {
        name,
        ty,
        destination,
        print,
        fills,
    }
}

/// Every key a probe takes, alphabetical (the order Fastly prints them in).
pub static PROBE: [ProbeKey; 9] = [
    key(
        "dummy",
        VclType::Bool,
        ProbeDestination::Dummy,
        ProbePrint::No,
        &[],
    ),
    key(
        "expected_response",
        VclType::Integer,
        ProbeDestination::Count(field!(expected_response)),
        ProbePrint::OrDefault(healthcheck_number_default("expected_response")),
        &["expected_response"],
    ),
    key(
        "initial",
        VclType::Integer,
        ProbeDestination::Count(field!(initial)),
        ProbePrint::OrDefault(healthcheck_number_default("initial")),
        &["initial"],
    ),
    key(
        "interval",
        VclType::Rtime,
        ProbeDestination::Millis(field!(check_interval)),
        ProbePrint::OrDefault(healthcheck_number_default("check_interval")),
        &["check_interval"],
    ),
    key(
        "request",
        VclType::String,
        ProbeDestination::Request,
        ProbePrint::Request,
        &["method", "host", "path", "http_version", "headers"],
    ),
    key(
        "threshold",
        VclType::Integer,
        ProbeDestination::Count(field!(threshold)),
        ProbePrint::OrDefault(healthcheck_number_default("threshold")),
        &["threshold"],
    ),
    key(
        "timeout",
        VclType::Rtime,
        ProbeDestination::Millis(field!(timeout)),
        ProbePrint::OrDefault(healthcheck_number_default("timeout")),
        &["timeout"],
    ),
    // A path alone: generate prints it in `.request`.
    key(
        "url",
        VclType::String,
        ProbeDestination::Url,
        ProbePrint::No,
        &["path"],
    ),
    key(
        "window",
        VclType::Integer,
        ProbeDestination::Count(field!(window)),
        ProbePrint::OrDefault(healthcheck_number_default("window")),
        &["window"],
    ),
];

impl Property {
    /// The first probe key that fills this field, if any.
    pub fn vcl_key(&self) -> Option<&'static str> {
        PROBE
            .iter()
            .find(|k| k.fills.contains(&self.api))
            .map(|k| k.name)
    }
}

/// The row of `api` in `table`.
pub fn find<R: Row>(table: &'static [R], api: &str) -> Option<&'static R> {
    table.iter().find(|p| p.api() == Some(api))
}

/// The Fastly CLI flag that sends `api` as `--flag='VALUE'`, if there is one.
pub fn cli_flag<R: Row>(table: &'static [R], api: &str) -> Option<&'static str> {
    match find(table, api)?.cli() {
        CliFlag::Value(flag) => Some(flag),
        CliFlag::None | CliFlag::Switch => None,
    }
}

/// Whether Terraform's block has an attribute for `api`.
pub fn has_terraform_attribute<R: Row>(table: &'static [R], api: &str) -> bool {
    find(table, api).is_some_and(|p| p.terraform().is_some())
}

/// Whether `api` is read-only metadata of either object (never sent).
pub fn is_metadata(api: &str) -> bool {
    find(BACKEND, api).is_some_and(|p| p.role == Role::Metadata)
        || find(HEALTHCHECK, api).is_some_and(|p| p.role == Role::Metadata)
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

    fn table_fields<R: Row>(table: &[R]) -> Vec<&'static str> {
        table.iter().filter_map(Row::api).collect()
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
        let rows = BACKEND.iter().map(|p| p as &dyn Row);
        for p in rows.chain(HEALTHCHECK.iter().map(|p| p as &dyn Row)) {
            if p.role() == Role::Metadata {
                assert_eq!(p.cli(), CliFlag::None, "{:?}", p.api());
                assert_eq!(p.terraform(), None, "{:?}", p.api());
            }
        }
    }

    /// A row is an API field, a VCL property or both; only a field VCL cannot hold says why,
    /// and a VCL name is declared once.
    #[test]
    fn every_row_is_consistent() {
        for p in BACKEND {
            assert!(p.api.is_some() || p.vcl.is_some(), "an empty row");
            if p.vcl.is_some() || p.role == Role::Metadata {
                assert!(p.unplaced.is_silent(), "{:?}", p.api);
            }
        }
        let names: Vec<_> = BACKEND_VCL.iter().map(|v| v.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "VCL names, alphabetical and each once");
        assert_eq!(
            names.len(),
            BACKEND.iter().filter(|p| p.vcl.is_some()).count()
        );
    }

    /// Probe keys are alphabetical and each declared once; every field a key fills has its
    /// accessor in [`HEALTHCHECK`], and every accessor is filled by a key.
    #[test]
    fn every_probe_key_is_consistent() {
        let names: Vec<_> = PROBE.iter().map(|k| k.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "probe keys, alphabetical and each once");
        for key in &PROBE {
            for api in key.fills {
                let row = find(HEALTHCHECK, api);
                assert!(
                    row.is_some_and(|r| r.probe.is_some()),
                    "`.{}` fills `{api}`",
                    key.name
                );
            }
        }
        for row in HEALTHCHECK {
            assert_eq!(
                row.probe.is_some(),
                row.vcl_key().is_some(),
                "`{}`",
                row.api
            );
        }
        assert_eq!(
            PROBE_FIELDS.len(),
            HEALTHCHECK.iter().filter(|r| r.probe.is_some()).count()
        );
    }

    /// Each healthcheck accessor, and each key's destination, reads and writes its own field.
    #[test]
    fn every_probe_accessor_reads_its_own_field() {
        let set_fields = |hc: &Healthcheck| -> Vec<String> {
            let json = serde_json::to_value(hc).unwrap();
            json.as_object().unwrap().keys().cloned().collect()
        };
        for row in HEALTHCHECK {
            let Some(value) = row.probe else { continue };
            let mut hc = Healthcheck::default();
            match value {
                HcValue::Text(field) => *(field.set)(&mut hc) = Some("x".into()),
                HcValue::Number(field) => *(field.set)(&mut hc) = Some(1),
                HcValue::List(field) => *(field.set)(&mut hc) = Some(Vec::new()),
            }
            assert_eq!(set_fields(&hc), [row.api], "`{}`", row.api);
        }
        for key in &PROBE {
            if let ProbeDestination::Millis(field) | ProbeDestination::Count(field) =
                key.destination
            {
                let mut hc = Healthcheck::default();
                *(field.set)(&mut hc) = Some(1);
                assert_eq!(set_fields(&hc), key.fills, "`.{}`", key.name);
            }
        }
    }

    /// What generate prints for an absent field is the row's `default`, the value diff
    /// compares it as: one number, in one place.
    #[test]
    fn every_printed_default_is_the_rows_default() {
        for row in BACKEND {
            let Some(form) = row.vcl else { continue };
            let printed = BACKEND_VCL.iter().find(|f| f.name == form.name).unwrap();
            match printed.print {
                Print::General(Shown::OrDefault(n)) | Print::Tls(Shown::OrDefault(n)) => {
                    assert_eq!(row.default, ApiDefault::Integer(n), "`{}`", form.name);
                }
                Print::General(Shown::OrApiDefault) | Print::Tls(Shown::OrApiDefault) => {
                    panic!("`{}` was not given its default", form.name)
                }
                _ => {}
            }
        }
        for key in &PROBE {
            if let ProbePrint::OrDefault(n) = key.print {
                for api in key.fills {
                    let row = find(HEALTHCHECK, api).unwrap();
                    assert_eq!(row.default, ApiDefault::Integer(n), "`.{}`", key.name);
                }
            }
        }
        assert_eq!(crate::model::director_defaults::WEIGHT, 100);
    }

    /// Each warning row reads its own field: set through the row, only that field is set.
    #[test]
    fn every_unplaced_row_reads_its_own_field() {
        for (api, unplaced) in BACKEND_UNPLACED {
            let mut b = Backend::default();
            match unplaced {
                Unplaced::Warn(value, _)
                | Unplaced::WarnWhenOverridden(value, _)
                | Unplaced::WarnWhenUnused(value, _) => match value {
                    Value::Text(field) => *(field.set)(&mut b) = Some("x".into()),
                    Value::Integer(field) => *(field.set)(&mut b) = Some(1),
                    Value::Boolean(field) => *(field.set)(&mut b) = Some(true),
                },
                Unplaced::Silent => panic!("`{api}` is silent"),
            }
            let json = serde_json::to_value(&b).unwrap();
            let set: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
            assert_eq!(set, [api], "`{api}`");
        }
    }
}
