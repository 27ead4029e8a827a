//! generate's checks: every backend and healthcheck of the input, before anything is written
//! (docs/design.md §4): names, values the API or VCL cannot hold, fields with no VCL form, and
//! what the printer needs of each backend.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::properties::{BACKEND_ROWS, BACKEND_UNPLACED, BackendProperty, Unplaced, Value};
use crate::model::vcl_form::{Destination, Field};
use crate::model::{Backend, Healthcheck, ObjectKind, director_defaults, none_if_empty};
use crate::suggest::Suggester;

use super::directors::auto_loadbalanced;
use super::print::{BlockInput, Probe};
use super::{Finding, Options, Subject};

/// The checks, and the findings they make.
pub(super) struct Checker {
    pub(super) findings: Vec<Finding>,
    pub(super) strict: bool,
    /// The identifiers given (docs/design.md §4.10).
    pub(super) names: crate::model::names::Names,
    /// Any error so far.
    pub(super) failed: bool,
}

/// What `check_backend` works out for the printer.
pub(super) struct Checked<'a> {
    pub(super) ident: String,
    pub(super) share_key: Option<&'a str>,
    pub(super) use_ssl: bool,
    pub(super) port: i64,
    pub(super) healthcheck: Option<(&'a Healthcheck, &'a str)>,
}

impl<'a> Checked<'a> {
    pub(super) fn block(&'a self) -> BlockInput<'a> {
        BlockInput {
            ident: &self.ident,
            share_key: self.share_key,
            use_ssl: self.use_ssl,
            port: self.port,
            probe: match self.healthcheck {
                Some((hc, host)) => Probe::Healthcheck { hc, host },
                None => Probe::Dummy,
            },
        }
    }
}

impl Checker {
    pub(super) fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        target: Subject,
        message: String,
        label: &str,
        help: &str,
    ) {
        let severity = if self.strict && severity == Severity::Warning {
            Severity::Error
        } else {
            severity
        };
        self.failed |= severity == Severity::Error;
        let mut diagnostic = Diagnostic::new(severity, code, message);
        if !help.is_empty() {
            diagnostic = diagnostic.with_help(help.to_string());
        }
        self.findings.push(Finding {
            diagnostic,
            target,
            label: label.to_string(),
            related: Vec::new(),
        });
    }

    /// With `--names api`, each identifier that is not the generator's is reported, and
    /// one the generator could have declared is warned about (docs/design.md §4.10).
    pub(super) fn renamed(&mut self, kind: ObjectKind, index: usize, name: &str, ident: &str) {
        if self.names == crate::model::names::Names::Vcl {
            return;
        }
        let word = kind.word();
        let generated = crate::model::names::vcl_ident(name);
        let at = target(kind, index, Some("name"));
        if ident == generated {
            self.push(
                Severity::Info,
                "generate::renamed",
                at,
                format!(
                    "{word} `{name}` keeps `{ident}`: a VCL identifier cannot start with a digit"
                ),
                "keeps `F_`",
                "rename it in the API to drop the prefix",
            );
            return;
        }
        let reserved = crate::model::names::GENERATOR_PREFIXES
            .iter()
            .find(|p| ident.starts_with(**p));
        if let Some(prefix) = reserved {
            self.push(
                Severity::Warning,
                "generate::reserved-name",
                at.clone(),
                format!("{word} `{name}` becomes `{ident}`, which starts like the names Fastly generates (`{prefix}`)"),
                "a generator's prefix",
                "rename it, or keep the `F_` names (`--names vcl`): Fastly's generated VCL may declare this name",
            );
        }
        self.push(
            Severity::Info,
            "generate::renamed",
            at,
            format!("{word} `{name}` is `{ident}` in VCL, not `{generated}`"),
            &format!("`{ident}`"),
            &format!("VCL that names `{generated}` must say `{ident}`"),
        );
    }

    pub(super) fn healthcheck_names<'h>(
        &mut self,
        healthchecks: &'h [Healthcheck],
    ) -> HashMap<&'h str, usize> {
        let mut names = HashMap::with_capacity(healthchecks.len());
        for (index, hc) in healthchecks.iter().enumerate() {
            match none_if_empty(&hc.name) {
                Some(name) => {
                    if names.insert(name, index).is_some() {
                        self.push(
                            Severity::Error,
                            "generate::duplicate-healthcheck",
                            target(ObjectKind::Healthcheck, index, Some("name")),
                            format!("healthcheck `{name}` is defined twice"),
                            "defined again here",
                            "healthcheck names are unique in a service version",
                        );
                    }
                }
                None => self.push(
                    Severity::Error,
                    "generate::missing-field",
                    target(ObjectKind::Healthcheck, index, None),
                    "a healthcheck has no `name`".into(),
                    "this healthcheck has no name",
                    "backends refer to healthchecks by name",
                ),
            }
        }
        names
    }

    pub(super) fn check_backend<'a, 'h>(
        &mut self,
        index: usize,
        b: &'a Backend,
        healthchecks: (
            &'a [Healthcheck],
            &HashMap<&'h str, usize>,
            &mut Option<Suggester<'h>>,
        ),
        idents: &mut HashMap<String, (usize, &'a str)>,
        options: &'a Options,
        in_director: bool,
    ) -> Option<Checked<'a>> {
        let (all_healthchecks, healthchecks, suggester) = healthchecks;
        let at = |field: &str| target(ObjectKind::Backend, index, Some(field));
        let Some(name) = none_if_empty(&b.name) else {
            self.push(
                Severity::Error,
                "generate::missing-field",
                target(ObjectKind::Backend, index, None),
                "a backend has no `name`".into(),
                "this backend has no name",
                "every API backend has a `name`; it becomes the VCL identifier `F_<name>`",
            );
            return None;
        };
        if none_if_empty(&b.address).is_none() {
            self.push(
                Severity::Error,
                "generate::missing-field",
                at("address"),
                format!("backend `{name}` has no `address`"),
                "no address",
                "`address` becomes `.host`: the origin's hostname or IP",
            );
        }
        let ident = self.names.ident(name);
        self.renamed(ObjectKind::Backend, index, name, &ident);
        if let Some(&(first, first_name)) = idents.get(&ident) {
            self.push(
                Severity::Error,
                "generate::name-collision",
                at("name"),
                format!("backends `{first_name}` and `{name}` both become `{ident}` in VCL"),
                &format!("becomes `{ident}`"),
                "names are sanitised (every character but ASCII letters and digits becomes `_`): rename one of them",
            );
            if let Some(f) = self.findings.last_mut() {
                let first_at = target(ObjectKind::Backend, first, Some("name"));
                f.related
                    .push((first_at, format!("`{first_name}` is `{ident}` already")));
            }
        } else {
            idents.insert(ident.clone(), (index, name));
        }
        self.check_values(index, name, b);
        // Absent, the API infers TLS from port 443 when it creates the backend (its responses
        // always carry `use_ssl`; `parse` always writes it).
        let use_ssl = b.use_ssl.unwrap_or(b.port == Some(443));
        let port = b.port.unwrap_or(if use_ssl { 443 } else { 80 });
        self.check_no_vcl_form(index, name, b, use_ssl, in_director);
        if in_director || auto_loadbalanced(b) {
            self.check_member_weight(index, name, b);
        }
        let share_key = none_if_empty(&b.share_key)
            .or_else(|| none_if_empty(&b.service_id))
            .or(options.service_id.as_deref());
        if share_key.is_none() {
            self.push(
                Severity::Warning,
                "generate::no-share-key",
                target(ObjectKind::Backend, index, None),
                format!(
                    "backend `{name}` gets no `.share_key`: it has no `share_key` or `service_id`"
                ),
                "no share key",
                "pass `--service-id ID`: Fastly uses the service ID as the share key",
            );
        }
        let healthcheck = match none_if_empty(&b.healthcheck) {
            None => None,
            Some(hc_name) => match healthchecks.get(hc_name) {
                Some(&i) => Some(&all_healthchecks[i]),
                None => {
                    let suggester = suggester
                        .get_or_insert_with(|| Suggester::new(healthchecks.keys().copied()));
                    let help = match suggester.suggest(hc_name) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "give the healthchecks too: `{\"backends\": [...], \"healthchecks\": [...]}` or `--healthchecks FILE`".to_string(),
                    };
                    self.push(
                        Severity::Error,
                        "generate::unknown-healthcheck",
                        at("healthcheck"),
                        format!("backend `{name}` names healthcheck `{hc_name}`, which is not in the input"),
                        "no such healthcheck",
                        &help,
                    );
                    None
                }
            },
        };
        let healthcheck = healthcheck.map(|hc| {
            let host = none_if_empty(&hc.host).unwrap_or_else(|| {
                let fallback = none_if_empty(&b.override_host)
                    .or(none_if_empty(&b.address))
                    .unwrap_or("");
                self.push(
                    Severity::Warning,
                    "generate::healthcheck-host",
                    at("healthcheck"),
                    format!(
                        "healthcheck `{}` has no `host`: its probe sends `Host: {fallback}`",
                        hc.name.as_deref().unwrap_or("")
                    ),
                    "probe Host taken from the backend",
                    "set the healthcheck's `host`",
                );
                fallback
            });
            (hc, host)
        });
        Some(Checked {
            ident,
            share_key,
            use_ssl,
            port,
            healthcheck,
        })
    }

    /// Ranges and representability: what would make the VCL wrong or unsafe.
    pub(super) fn check_values(&mut self, index: usize, name: &str, b: &Backend) {
        let at = |field: &str| target(ObjectKind::Backend, index, Some(field));
        if let Some(port) = b.port.filter(|p| !(1..=65535).contains(p)) {
            self.push(
                Severity::Error,
                "generate::out-of-range",
                at("port"),
                format!("backend `{name}` has port {port}, not between 1 and 65535"),
                "not a TCP port",
                "",
            );
        }
        // RTIME holds nanoseconds in 64 bits: larger durations cannot be written.
        let max_ms = i64::MAX / 1_000_000;
        // The numbers lowering stores and generate prints, from the backend table.
        for (field, value, _) in numbers(b) {
            if let Some(v) = value.filter(|v| *v < 0) {
                self.push(
                    Severity::Error,
                    "generate::out-of-range",
                    at(field),
                    format!("backend `{name}` has a negative `{field}` ({v})"),
                    "negative",
                    "",
                );
            }
        }
        for (field, _, ms) in numbers(b) {
            if ms.is_some_and(|v| v > max_ms) {
                self.push(
                    Severity::Error,
                    "generate::out-of-range",
                    at(field),
                    format!("backend `{name}` has a `{field}` beyond what an RTIME can hold"),
                    "too large",
                    "RTIME holds at most about 292 years",
                );
            }
        }
        // Both become Host header lines (of requests and of the probe): a line break in
        // them would add a header.
        for (field, value) in [("address", &b.address), ("override_host", &b.override_host)] {
            if value.as_deref().is_some_and(|v| v.contains(['\r', '\n'])) {
                self.push(
                    Severity::Error,
                    "generate::unrepresentable-string",
                    at(field),
                    format!("backend `{name}` has a line break in `{field}`"),
                    "line break",
                    "this value becomes a Host header: a line break would add a header line",
                );
            }
        }
        for (field, value) in string_fields(b) {
            if value.is_some_and(|v| v.contains('\0')) {
                self.push(
                    Severity::Error,
                    "generate::unrepresentable-string",
                    at(field),
                    format!("backend `{name}` has a NUL character in `{field}`"),
                    "holds a NUL",
                    "a VCL string cannot hold NUL (`%00` ends a string in Fastly VCL)",
                );
            }
        }
    }

    /// Fields that carry meaning but have no place in a backend declaration.
    pub(super) fn check_no_vcl_form(
        &mut self,
        index: usize,
        name: &str,
        b: &Backend,
        use_ssl: bool,
        in_director: bool,
    ) {
        let text = |v: &Option<String>| none_if_empty(v).is_some();
        let unplaced = unplaced(b, in_director);
        for (field, why) in unplaced {
            self.push(Severity::Warning, "generate::no-vcl-form", target(ObjectKind::Backend, index, Some(field)),
                format!("backend `{name}`: `{field}` has no place in a backend declaration and is left out"),
                why, "keep it in the API; `--strict` makes this an error");
        }
        for (key, value) in &b.extra {
            if !value.is_null() {
                self.push(Severity::Warning, "generate::unknown-field", target(ObjectKind::Backend, index, Some(key)),
                    format!("backend `{name}`: unknown field `{key}` is left out"), "not a known backend field",
                    "vcl-backend knows the Fastly API's backend fields; this one has no VCL form here");
            }
        }
        if !use_ssl {
            let address = none_if_empty(&b.address);
            // The Fastly CLI sets both hostnames to the address on every backend it creates:
            // that default alone is not worth a warning.
            let cli_default =
                |v: &Option<String>| none_if_empty(v).is_none() || none_if_empty(v) == address;
            let deliberate = [
                ("ssl_ca_cert", &b.ssl_ca_cert),
                ("ssl_client_cert", &b.ssl_client_cert),
                ("ssl_client_key", &b.ssl_client_key),
                ("ssl_ciphers", &b.ssl_ciphers),
                ("min_tls_version", &b.min_tls_version),
                ("max_tls_version", &b.max_tls_version),
                ("ssl_hostname", &b.ssl_hostname),
            ];
            let mut set: Vec<&str> = deliberate
                .iter()
                .filter(|(_, v)| text(v))
                .map(|&(f, _)| f)
                .collect();
            if !cli_default(&b.ssl_cert_hostname) || !cli_default(&b.ssl_sni_hostname) {
                set.extend(
                    ["ssl_cert_hostname", "ssl_sni_hostname"]
                        .iter()
                        .filter(|f| {
                            let v = if **f == "ssl_cert_hostname" {
                                &b.ssl_cert_hostname
                            } else {
                                &b.ssl_sni_hostname
                            };
                            text(v)
                        }),
                );
            }
            if let Some(first) = set.first() {
                self.push(
                    Severity::Warning,
                    "generate::tls-without-ssl",
                    target(ObjectKind::Backend, index, Some(first)),
                    format!(
                        "backend `{name}` does not use TLS, so {} left out",
                        set.iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                            + if set.len() == 1 { " is" } else { " are" }
                    ),
                    "set, but TLS is off",
                    "set `use_ssl: true` if the origin speaks TLS",
                );
            }
        }
    }

    pub(super) fn check_healthcheck(&mut self, index: usize, hc: &Healthcheck) {
        let name = hc.name.as_deref().unwrap_or("");
        let at = |field: &str| target(ObjectKind::Healthcheck, index, Some(field));
        let request_parts = [
            ("method", hc.method.as_deref()),
            ("host", hc.host.as_deref()),
            ("path", hc.path.as_deref()),
            ("http_version", hc.http_version.as_deref()),
        ]
        .into_iter()
        .chain(
            hc.headers
                .iter()
                .flatten()
                .map(|h| ("headers", Some(h.as_str()))),
        );
        let mut broken = None;
        let mut malformed = None;
        for (field, value) in request_parts {
            let Some(value) = value else { continue };
            if value.contains(['\0', '\r', '\n']) {
                broken.get_or_insert(field);
            } else if field != "headers" && field != "host" && value.contains(char::is_whitespace) {
                malformed
                    .get_or_insert((field, "holds white space, which splits the request line"));
            } else if field == "host" && value.trim() != value {
                malformed.get_or_insert((
                    field,
                    "starts or ends with white space, which the Host line drops",
                ));
            } else if field == "headers" && !is_custom_header(value) {
                malformed.get_or_insert((
                    field,
                    "is not a `Name: value` header Fastly leaves as it is",
                ));
            }
        }
        if let Some(field) = broken {
            self.push(
                Severity::Error,
                "generate::unrepresentable-string",
                at(field),
                format!("healthcheck `{name}` has a NUL or a line break in `{field}`"),
                "NUL or line break",
                "each probe request line is one string: a line break would add a request line, and NUL cannot be written",
            );
        }
        if let Some((field, why)) = malformed {
            self.push(
                Severity::Warning,
                "generate::malformed-probe-request",
                at(field),
                format!("healthcheck `{name}`: `{field}` {why}"),
                "the probe request will not read back as this healthcheck",
                "fix the healthcheck in the API; `--strict` makes this an error",
            );
        }
        for (field, value) in [
            ("check_interval", hc.check_interval),
            ("timeout", hc.timeout),
        ] {
            if let Some(v) = value.filter(|v| *v > i64::from(u32::MAX)) {
                self.push(
                    Severity::Error,
                    "generate::out-of-range",
                    at(field),
                    format!("healthcheck `{name}` has `{field}` {v} ms, beyond the API's 32-bit milliseconds"),
                    "too large",
                    "",
                );
            }
        }
        for (field, value) in [
            ("check_interval", hc.check_interval),
            ("timeout", hc.timeout),
            ("window", hc.window),
            ("threshold", hc.threshold),
            ("initial", hc.initial),
            ("expected_response", hc.expected_response),
        ] {
            if let Some(v) = value.filter(|v| *v < 0) {
                self.push(
                    Severity::Error,
                    "generate::out-of-range",
                    at(field),
                    format!("healthcheck `{name}` has a negative `{field}` ({v})"),
                    "negative",
                    "",
                );
            }
        }
        if none_if_empty(&hc.comment).is_some() {
            self.push(
                Severity::Warning,
                "generate::no-vcl-form",
                at("comment"),
                format!("healthcheck `{name}`: `comment` has no place in a probe and is left out"),
                "comments are not part of generated VCL",
                "keep it in the API; `--strict` makes this an error",
            );
        }
    }
}

/// The fields of `b` with no VCL form that carry meaning (not at the API's defaults), with
/// why each has no place, in the model's order: the backend table's `unplaced` column.
/// `auto_loadbalance` and `weight` have a place in directors (docs/design.md §4.7): they are
/// warned about only where no director carries them.
fn unplaced(b: &Backend, in_director: bool) -> Vec<(&'static str, &'static str)> {
    let auto_loadbalance = b.auto_loadbalance == Some(true);
    let weight_used = in_director || auto_loadbalanced(b);
    let mut found = Vec::new();
    for (api, unplaced) in BACKEND_UNPLACED {
        let (warned, why) = match unplaced {
            Unplaced::Silent => continue,
            Unplaced::Warn(value, why) => (meaningful(value, b), why),
            Unplaced::WarnWhenOverridden(value, why) => {
                (meaningful(value, b) && !auto_loadbalanced(b), why)
            }
            Unplaced::WarnWhenUnused(Value::Integer(field), why) => {
                let weight = *(field.get)(b);
                let chosen = weight.is_some_and(|w| w != director_defaults::WEIGHT);
                (
                    !weight_used && weight.is_some() && (auto_loadbalance || chosen),
                    why,
                )
            }
            Unplaced::WarnWhenUnused(value, why) => (!weight_used && given(value, b), why),
        };
        if warned {
            found.push((api, why));
        }
    }
    found
}

/// A non-empty text, `true`, a non-zero number.
fn meaningful(value: Value, b: &Backend) -> bool {
    match value {
        Value::Text(field) => none_if_empty((field.get)(b)).is_some(),
        Value::Integer(field) => (field.get)(b).is_some_and(|v| v != 0),
        Value::Boolean(field) => *(field.get)(b) == Some(true),
    }
}

fn given(value: Value, b: &Backend) -> bool {
    match value {
        Value::Text(field) => (field.get)(b).is_some(),
        Value::Integer(field) => (field.get)(b).is_some(),
        Value::Boolean(field) => (field.get)(b).is_some(),
    }
}

/// A header line `Name: value` that is not one of the lines Fastly adds to every probe itself.
fn is_custom_header(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    let implied = [
        "connection: close",
        "user-agent: varnish/fastly (healthcheck)",
    ];
    line.split_once(':')
        .is_some_and(|(name, _)| !name.is_empty() && !name.contains(char::is_whitespace))
        && !implied.contains(&lower.as_str())
        && !lower.starts_with("host:")
}

/// A number lowering stores and generate prints: its API name, its field, and for a duration
/// how many milliseconds its unit is.
type Number = (&'static str, Field<i64>, Option<i64>);

/// The backend table's numbers, in the model's order, worked out at compile time.
const NUMBERS: [Number; count_numbers()] = table_numbers();

const fn number(row: &BackendProperty) -> Option<Number> {
    let (Some(api), Some(form)) = (row.api, row.vcl) else {
        return None;
    };
    match form.destination {
        Destination::Millis(field) => Some((api, field, Some(1))),
        Destination::Seconds(field) => Some((api, field, Some(1000))),
        Destination::Count(field) => Some((api, field, None)),
        _ => None,
    }
}

const fn count_numbers() -> usize {
    let (mut n, mut i) = (0, 0);
    while i < BACKEND_ROWS.len() {
        if number(&BACKEND_ROWS[i]).is_some() {
            n += 1;
        }
        i += 1;
    }
    n
}

const fn table_numbers<const N: usize>() -> [Number; N] {
    let mut first = 0;
    let placeholder = loop {
        if let Some(number) = number(&BACKEND_ROWS[first]) {
            break number;
        }
        first += 1;
    };
    let mut numbers = [placeholder; N];
    let (mut n, mut i) = (0, 0);
    while i < BACKEND_ROWS.len() {
        if let Some(number) = number(&BACKEND_ROWS[i]) {
            numbers[n] = number;
            n += 1;
        }
        i += 1;
    }
    numbers
}

/// The backend's numbers with a VCL form: each value, and for a duration its milliseconds.
fn numbers(b: &Backend) -> impl Iterator<Item = (&'static str, Option<i64>, Option<i64>)> {
    NUMBERS.iter().map(move |&(api, field, per_ms)| {
        let value = *(field.get)(b);
        let ms = per_ms.and_then(|per| value.map(|v| v.saturating_mul(per)));
        (api, value, ms)
    })
}

/// The backend's string fields that are printed, by API name.
fn string_fields(b: &Backend) -> [(&'static str, Option<&str>); 14] {
    [
        ("name", b.name.as_deref()),
        ("address", b.address.as_deref()),
        ("override_host", b.override_host.as_deref()),
        ("share_key", b.share_key.as_deref()),
        ("service_id", b.service_id.as_deref()),
        ("ssl_ca_cert", b.ssl_ca_cert.as_deref()),
        ("ssl_cert_hostname", b.ssl_cert_hostname.as_deref()),
        ("ssl_ciphers", b.ssl_ciphers.as_deref()),
        ("ssl_client_cert", b.ssl_client_cert.as_deref()),
        ("ssl_client_key", b.ssl_client_key.as_deref()),
        ("ssl_hostname", b.ssl_hostname.as_deref()),
        ("ssl_sni_hostname", b.ssl_sni_hostname.as_deref()),
        ("min_tls_version", b.min_tls_version.as_deref()),
        ("max_tls_version", b.max_tls_version.as_deref()),
    ]
}

pub(super) fn target(kind: ObjectKind, index: usize, field: Option<&str>) -> Subject {
    Subject {
        kind,
        index,
        field: field.map(str::to_string),
    }
}
