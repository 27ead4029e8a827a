//! The migration plan: the API objects each VCL backend becomes, and what stays behind.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::generate::vcl_ident;
use crate::lower::BackendSource;
use crate::model::{Backend, Healthcheck};
use crate::span::Span;

/// Something the report says about one object: a field that has no API form, no flag in the
/// chosen format, a value chosen for the user, and so on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    /// The API name of the backend or healthcheck it is about.
    pub object: String,
    /// `backend` or `healthcheck`.
    pub kind: &'static str,
    /// The API field (or VCL property) concerned.
    pub field: String,
    pub message: String,
    /// How to carry it anyway, if there is a way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub how: Option<String>,
}

/// One backend that moves.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    /// The identifier as declared in VCL.
    pub ident: String,
    /// The identifier Fastly will generate for it (`F_` + sanitised API name).
    pub api_ident: String,
    /// The declaration's place (removed by `--rewrite-vcl`).
    pub span: Span,
}

/// The plan of a whole file.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Healthchecks first: backends name them.
    pub healthchecks: Vec<Healthcheck>,
    pub backends: Vec<Backend>,
    /// One per entry of `backends`, same order.
    pub moved: Vec<Moved>,
    /// What the report says (the formats add their own).
    pub notes: Vec<Note>,
    /// Errors and warnings about the VCL, located.
    pub diagnostics: Vec<Diagnostic>,
}

impl Plan {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Plans the migration of every backend of `src`. `strict` turns what would be reported
/// (probes with no API form, properties with none) into errors.
pub fn plan(src: &str, strict: bool) -> Plan {
    plan_in(src, strict, crate::syntax::Dialect::detect(src))
}

/// [`plan`] of `src` read in `dialect`.
pub fn plan_in(src: &str, strict: bool, dialect: crate::syntax::Dialect) -> Plan {
    // Streamed (in pieces on every core when large): no syntax tree is kept, the sources say
    // where each backend is.
    let lowered = crate::lower::parse_config_in(src, dialect);
    // The API names are the point of migrating (a clash is migrate's `name-collision`); an
    // unmovable probe is migrate's own finding.
    let own = [
        "parse::api-name",
        "parse::api-name-clash",
        "parse::unrepresentable-probe",
    ];
    let diagnostics = lowered
        .diagnostics
        .into_iter()
        .filter(|d| !own.contains(&d.code))
        .map(|mut d| {
            // A Varnish socket or `none` backend cannot move: `--strict` fails on it.
            if strict && matches!(d.code, "parse::unix-socket-backend" | "parse::none-backend") {
                d.severity = Severity::Error;
            }
            d
        })
        .collect();
    let mut plan = Plan {
        diagnostics,
        ..Plan::default()
    };
    let mut api_idents: HashMap<String, (String, Span)> = HashMap::new();
    let mut used_healthchecks: std::collections::HashSet<String> = std::collections::HashSet::new();
    // Backends that stay in VCL are marked and then removed in place: the list is the largest
    // thing migrate holds, and building a second one would hold it twice.
    let mut backends = lowered.config.backends;
    let mut moves = Vec::with_capacity(backends.len());
    for (backend, source) in backends.iter().zip(lowered.sources) {
        moves.push(false);
        if source.vcl_only.iter().any(|(name, _)| *name == "is_shield") {
            plan.notes.push(note(
                backend,
                "is_shield",
                "a Fastly shield node: left in VCL, not migrated",
                None,
            ));
            continue;
        }
        let api_name = backend.name.clone().unwrap_or_default();
        let api_ident = vcl_ident(&api_name);
        if let Some((first, first_span)) = api_idents.get(&api_ident) {
            plan.diagnostics.push(
                Diagnostic::error(
                    "migrate::name-collision",
                    format!(
                        "backends `{first}` and `{}` would both be `{api_ident}` under the API",
                        source.ident
                    ),
                )
                .with_label(Label::primary(
                    source.name_span,
                    format!("becomes `{api_ident}`"),
                ))
                .with_label(Label::secondary(
                    *first_span,
                    format!("`{first}` is `{api_ident}` already"),
                ))
                .with_help("rename one of them before migrating: API backend names must be unique"),
            );
            continue;
        }
        api_idents.insert(api_ident.clone(), (source.ident.clone(), source.name_span));
        check_probe(&mut plan, backend, &source, strict);
        report_vcl_only(&mut plan, backend, &source, strict);
        if let Some(hc) = backend.healthcheck.clone() {
            used_healthchecks.insert(hc);
        }
        plan.moved.push(Moved {
            ident: source.ident.clone(),
            api_ident,
            span: source.span,
        });
        if let Some(last) = moves.last_mut() {
            *last = true;
        }
    }
    let mut moves = moves.into_iter();
    backends.retain(|_| moves.next().unwrap_or(false));
    plan.backends = backends;
    plan.healthchecks = lowered
        .config
        .healthchecks
        .into_iter()
        .filter(|h| {
            h.name
                .as_ref()
                .is_some_and(|n| used_healthchecks.contains(n))
        })
        .collect();
    crate::diagnostic::sort(&mut plan.diagnostics);
    plan
}

fn note(backend: &Backend, field: &str, message: &str, how: Option<String>) -> Note {
    Note {
        object: backend.name.clone().unwrap_or_default(),
        kind: "backend",
        field: field.to_string(),
        message: message.to_string(),
        how,
    }
}

/// A probe the API cannot hold: a non-default dummy is an error (the API would get a
/// different health check); any other is reported, or an error with `--strict`.
fn check_probe(plan: &mut Plan, backend: &Backend, source: &BackendSource, strict: bool) {
    let Some(reason) = &source.unrepresentable_probe else {
        return;
    };
    plan.notes.push(note(
        backend,
        "probe",
        &format!("the probe stays in VCL, the backend moves without a healthcheck: {reason}"),
        Some(
            "rewrite the probe as a request line with headers, or keep this backend in VCL".into(),
        ),
    ));
    let span = source.probe_span.unwrap_or(source.name_span);
    let dummy = reason.contains(".dummy = true");
    let severity = if dummy || strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    plan.diagnostics.push(
        Diagnostic::new(severity, "migrate::probe-not-migrated", format!("the probe of `{}` cannot move to the API: {reason}", source.ident))
            .with_label(Label::primary(span, "no healthcheck can hold this probe"))
            .with_help("rewrite the probe as an HTTP request line (method, path, Host, headers), or keep this backend in VCL"),
    );
}

/// VCL-only properties: `.dynamic` is implied by an API backend; the others have no API form.
fn report_vcl_only(plan: &mut Plan, backend: &Backend, source: &BackendSource, strict: bool) {
    for (name, span) in &source.vcl_only {
        if *name == "dynamic" {
            continue;
        }
        let message = if crate::lower::backend::VARNISH_ONLY.contains(name) {
            format!("`.{name}` is a Varnish property with no Fastly form and is not carried across")
        } else {
            format!("`.{name}` has no API form and is not carried across")
        };
        if strict {
            plan.diagnostics.push(
                Diagnostic::error(
                    "migrate::no-api-form",
                    format!("backend `{}`: {message}", source.ident),
                )
                .with_label(Label::primary(*span, "VCL only")),
            );
        }
        plan.notes.push(note(backend, name, &message, None));
    }
}
