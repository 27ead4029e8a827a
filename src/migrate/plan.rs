//! The migration plan: the API objects each VCL backend becomes, and what stays behind.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lower::BackendSource;
use crate::lower::keys::{Keys, same_probe};
use crate::migrate::director::Anonymous;
use crate::migrate::director_moves::{
    Backends, Lowered as DirectorsLowered, MovedDirector, StayedDirector, plan_directors,
};
use crate::model::names::vcl_ident;
use crate::model::{Backend, Director, Healthcheck, none_if_empty};
use crate::span::Span;

/// Something the report says about one object: a field that has no API form, no flag in the
/// chosen format, a value chosen for the user, and so on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    /// The API name of the backend, healthcheck or director it is about.
    pub object: String,
    /// `backend`, `healthcheck` or `director`.
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
    /// The identifier as declared in VCL (for an anonymous director backend, the name it
    /// was given: `<director>_<n>`).
    pub ident: String,
    /// The identifier Fastly will generate for it (`F_` + sanitised API name).
    pub api_ident: String,
    /// The declaration's place (removed by `--rewrite-vcl`); for an anonymous backend, its
    /// `{ ... }` object (replaced by `api_ident`).
    pub span: Span,
    /// The director an anonymous backend was declared in.
    pub in_director: Option<String>,
}

/// The plan of a whole file.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Healthchecks first: backends name them.
    pub healthchecks: Vec<Healthcheck>,
    pub backends: Vec<Backend>,
    /// One per entry of `backends`, same order.
    pub moved: Vec<Moved>,
    /// The API directors, after the backends they name.
    pub directors: Vec<Director>,
    /// One per entry of `directors`, same order.
    pub moved_directors: Vec<MovedDirector>,
    /// The directors that stay in VCL, each with the reason.
    pub stayed_directors: Vec<StayedDirector>,
    /// What the report says is not carried as is (the formats add their own).
    pub notes: Vec<Note>,
    /// Values chosen for the user where the VCL names none (a `.url` probe's `host`).
    pub chosen: Vec<Note>,
    /// The VCL routing that selects a moved backend: it stays in VCL (docs/design.md §6.8).
    pub routing: Vec<Note>,
    /// Errors and warnings about the VCL, located.
    pub diagnostics: Vec<Diagnostic>,
}

impl Plan {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Lowering's findings that migrate says in its own words (with what it does about them).
const OWN: &[&str] = &[
    "parse::api-name",
    "parse::unrepresentable-probe",
    "parse::dummy-probe",
    "parse::host-header-meaning",
    // A clash of API names is migrate's `name-collision`.
    "parse::api-name-clash",
    // Migrate moves anonymous director backends under names of their own.
    "parse::anonymous-backend",
    // Migrate says which directors stay, and why (`director-stays`).
    "parse::vcl-only-director",
];

/// Plans the migration of every backend of `src`. `strict` turns what would be reported
/// (probes with no API form, properties with none, meanings that change) into errors.
pub fn plan(src: &str, strict: bool) -> Plan {
    plan_in(src, strict, crate::syntax::Dialect::detect(src))
}

/// [`plan`] of `src` read in `dialect`.
pub fn plan_in(src: &str, strict: bool, dialect: crate::syntax::Dialect) -> Plan {
    // Streamed (in pieces on every core when large): no syntax tree is kept, the sources say
    // where each backend is.
    let lowered = crate::lower::parse_config_in(src, dialect);
    let diagnostics = lowered
        .diagnostics
        .into_iter()
        .filter(|d| !OWN.contains(&d.code))
        .map(|mut d| {
            // A Varnish socket or `none` backend cannot move, a backend weighted differently
            // by its directors carries one weight, and a member listed twice is one
            // membership: `--strict` fails on them.
            if strict
                && matches!(
                    d.code,
                    "parse::unix-socket-backend"
                        | "parse::none-backend"
                        | "parse::conflicting-weight"
                        | "parse::duplicate-member"
                )
            {
                d.severity = Severity::Error;
            }
            d
        })
        .collect();
    let mut planner = Planner {
        plan: Plan {
            diagnostics,
            ..Plan::default()
        },
        strict,
        api_idents: HashMap::new(),
        host_headers: Vec::new(),
        collided: false,
        stayed: HashSet::new(),
        names: None,
        probes: None,
    };
    // Names an anonymous director backend must not take: only gathered when there is one.
    let anonymous = crate::migrate::director::find(src, &lowered.directors_with_anonymous);
    let mut declared = HashSet::new();
    // Backends that stay in VCL are marked and then removed in place: the list is the largest
    // thing migrate holds, and building a second one would hold it twice.
    let mut backends = lowered.config.backends;
    let mut moves = Vec::with_capacity(backends.len());
    // The declarations the routing scan skips: nothing in them selects a backend.
    let mut declarations = Vec::with_capacity(backends.len());
    for (backend, source) in backends.iter_mut().zip(lowered.sources) {
        declarations.push(source.span);
        if !anonymous.is_empty() {
            // Both: `F_pool_1` is named `pool_1` under the API.
            declared.insert(source.ident.clone());
            declared.extend(backend.name.clone());
        }
        moves.push(planner.consider(backend, source, None));
    }
    let mut moves = moves.into_iter();
    backends.retain(|_| moves.next().unwrap_or(false));
    planner.plan.backends = backends;
    let used: HashSet<&str> = planner
        .plan
        .backends
        .iter()
        .filter_map(|b| b.healthcheck.as_deref())
        .collect();
    let mut healthchecks = lowered.config.healthchecks;
    healthchecks.retain(|h| h.name.as_deref().is_some_and(|n| used.contains(n)));
    drop(used);
    if planner.collided {
        // Each name once: the first made is the one moved backends use (a later one with
        // that name belongs to a backend refused for its name).
        let mut seen = HashSet::new();
        healthchecks.retain(|h| {
            h.name
                .as_deref()
                .is_some_and(|n| seen.insert(n.to_string()))
        });
    }
    planner.plan.healthchecks = healthchecks;
    for lowered in crate::migrate::director::lower_all(src, &anonymous, &mut declared) {
        planner.anonymous(lowered);
    }
    let backends = Backends {
        stayed: &planner.stayed,
        api_idents: &mut planner.api_idents,
    };
    let directors = DirectorsLowered {
        spans: &lowered.directors,
        api: &lowered.config.directors,
        vcl_only: &lowered.vcl_only_directors,
    };
    plan_directors(src, dialect, directors, &mut planner.plan, backends, strict);
    planner.choose_probe_hosts();
    planner.note_probe_defaults();
    let mut plan = planner.plan;
    crate::migrate::routing::report(src, declarations, &mut plan);
    let placeholders = crate::migrate::placeholder::check(src, &plan);
    plan.diagnostics.extend(placeholders);
    crate::diagnostic::sort(&mut plan.diagnostics);
    plan
}

struct Planner {
    plan: Plan,
    strict: bool,
    /// The identifier each moved backend gets under the API, with its VCL name and place.
    api_idents: HashMap<String, (String, Span)>,
    /// Per moved backend, the `.host_header` not carried as `override_host` (a probe's Host).
    host_headers: Vec<Option<String>>,
    /// A backend was refused for its API name: its healthcheck may share a name.
    collided: bool,
    /// The declared backends that stay in VCL (a director naming one stays too).
    stayed: HashSet<String>,
    /// The healthchecks' names, once a new one must be made ([`names_of`]).
    names: Option<HashSet<String>>,
    /// The healthchecks by a hash of their probe, once an anonymous backend has one.
    probes: Option<(Keys, HashMap<u64, Vec<usize>>)>,
}

impl Planner {
    /// Decides whether one backend moves, reporting what does not move with it.
    fn consider(
        &mut self,
        backend: &mut Backend,
        source: BackendSource,
        director: Option<&str>,
    ) -> bool {
        let plan = &mut self.plan;
        if source.vcl_only.iter().any(|(name, _)| *name == "is_shield") {
            plan.notes.push(note(
                backend,
                "is_shield",
                "a Fastly shield node: left in VCL, not migrated",
                None,
            ));
            self.stayed.insert(source.ident);
            return false;
        }
        let api_name = backend.name.clone().unwrap_or_default();
        let api_ident = vcl_ident(&api_name);
        if let Some((first, first_span)) = self.api_idents.get(&api_ident) {
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
            self.collided = true;
            self.stayed.insert(source.ident);
            return false;
        }
        self.api_idents
            .insert(api_ident.clone(), (source.ident.clone(), source.name_span));
        let strict = self.strict;
        check_probe(plan, backend, &source, strict);
        check_dummy(plan, backend, &source, strict);
        let host_header = check_host_header(plan, backend, &source, strict);
        self.host_headers.push(host_header);
        report_vcl_only(plan, backend, &source, strict);
        plan.moved.push(Moved {
            ident: source.ident,
            api_ident,
            span: source.span,
            in_director: director.map(str::to_string),
        });
        true
    }

    /// An anonymous director backend: moved like a declared one, its healthcheck shared
    /// with an identical one or named so that no two share a name.
    fn anonymous(&mut self, anonymous: Anonymous) {
        let Anonymous {
            director,
            mut backend,
            source,
            healthcheck,
            diagnostics,
        } = anonymous;
        let ident = source.ident.clone();
        let span = source.span;
        let failed = diagnostics.iter().any(Diagnostic::is_error);
        self.plan
            .diagnostics
            .extend(diagnostics.into_iter().filter(|d| !OWN.contains(&d.code)));
        self.plan.diagnostics.push(
            Diagnostic::info(
                "migrate::anonymous-backend",
                format!("an anonymous backend of director `{director}` moves as backend `{ident}`"),
            )
            .with_label(Label::primary(span, format!("becomes `{}`", vcl_ident(&ident))))
            .with_help("the name is `<director>_<n>`, the n-th anonymous backend of the director; `--rewrite-vcl` puts the new name in its place"),
        );
        if failed || !self.consider(&mut backend, source, Some(&director)) {
            return;
        }
        if let Some(mut hc) = healthcheck {
            let healthchecks = &mut self.plan.healthchecks;
            // Indexed by a hash of the probe the first time: a hostile file may have many.
            let (keys, by_probe) = self.probes.get_or_insert_with(|| {
                let keys = Keys::default();
                let mut by_probe: HashMap<u64, Vec<usize>> = HashMap::new();
                for (i, h) in healthchecks.iter().enumerate() {
                    by_probe.entry(keys.probe(h)).or_default().push(i);
                }
                (keys, by_probe)
            });
            let key = keys.probe(&hc);
            let same = by_probe.get(&key).and_then(|list| {
                list.iter()
                    .map(|&i| &healthchecks[i])
                    .find(|h| same_probe(h, &hc))
            });
            match same {
                Some(same) => backend.healthcheck.clone_from(&same.name),
                None => {
                    let names = names_of(&mut self.names, healthchecks);
                    let name = free_name(names, hc.name.as_deref().unwrap_or(&ident));
                    hc.name = Some(name);
                    backend.healthcheck.clone_from(&hc.name);
                    by_probe.entry(key).or_default().push(healthchecks.len());
                    healthchecks.push(hc);
                }
            }
        }
        self.plan.backends.push(backend);
    }

    /// A healthcheck whose probe sends no Host of its own (a `.url` probe) gets the Host the
    /// probe sent: its backend's `.host_header`, else its `.host` (Varnish's rule). Backends
    /// sharing such a probe with different hosts each get a healthcheck of their own.
    fn choose_probe_hosts(&mut self) {
        let plan = &mut self.plan;
        // Indexed once: the healthchecks without a host, and their users grouped by host, in
        // the order of each group's first user.
        let mut without: HashMap<String, usize> = HashMap::new();
        for (index, hc) in plan.healthchecks.iter().enumerate() {
            if hc.host.is_none() {
                without.insert(hc.name.clone().unwrap_or_default(), index);
            }
        }
        if without.is_empty() {
            return;
        }
        type Group = (String, &'static str, Vec<usize>);
        let mut groups: Vec<Vec<Group>> = vec![Vec::new(); plan.healthchecks.len()];
        let mut group_of: HashMap<(usize, String), usize> = HashMap::new();
        for (i, b) in plan.backends.iter().enumerate() {
            let Some(&index) = none_if_empty(&b.healthcheck).and_then(|n| without.get(n)) else {
                continue;
            };
            let (host, from) = match (&self.host_headers[i], none_if_empty(&b.override_host)) {
                (Some(h), _) => (h.clone(), "`.host_header`"),
                (None, Some(h)) => (h.to_string(), "`.host_header`"),
                (None, None) => (b.address.clone().unwrap_or_default(), "`.host`"),
            };
            let list = &mut groups[index];
            match group_of.get(&(index, host.clone())) {
                Some(&g) => list[g].2.push(i),
                None => {
                    group_of.insert((index, host.clone()), list.len());
                    list.push((host, from, vec![i]));
                }
            }
        }
        for (index, groups) in groups.into_iter().enumerate() {
            let name = plan.healthchecks[index].name.clone().unwrap_or_default();
            for (n, (host, from, users)) in groups.into_iter().enumerate() {
                let target = if n == 0 {
                    index
                } else {
                    // Named after the healthcheck and the first backend that uses the copy.
                    let mut copy = plan.healthchecks[index].clone();
                    let first = plan.backends[users[0]].name.as_deref().unwrap_or("");
                    let names = names_of(&mut self.names, &plan.healthchecks);
                    copy.name = Some(free_name(names, &format!("{name}_{first}")));
                    plan.healthchecks.push(copy);
                    plan.healthchecks.len() - 1
                };
                let hc = &mut plan.healthchecks[target];
                hc.host = Some(host.clone());
                let hc_name = hc.name.clone().unwrap_or_default();
                for &i in &users {
                    plan.backends[i].healthcheck = Some(hc_name.clone());
                }
                let message = host_message(plan, &name, n, (&host, from), &users);
                plan.chosen.push(Note {
                    object: hc_name,
                    kind: "healthcheck",
                    field: "host".into(),
                    message,
                    how: None,
                });
            }
        }
    }
}

/// What the report says of a chosen `host`: its value, where it came from, who uses it.
fn host_message(
    plan: &Plan,
    healthcheck: &str,
    copy: usize,
    (host, from): (&str, &str),
    users: &[usize],
) -> String {
    let backend = |i: usize| plan.backends[i].name.as_deref().unwrap_or("");
    let mut message = format!(
        "the VCL probe sends no Host line of its own (a `.url` probe, or a `.request` without one): `host` is \"{host}\", the {from} of backend `{}`",
        backend(users[0])
    );
    // A few names, then a count: a shared probe may have thousands of users.
    const LISTED: usize = 4;
    if users.len() > 1 {
        let others: Vec<String> = users[1..]
            .iter()
            .take(LISTED)
            .map(|&i| format!("`{}`", backend(i)))
            .collect();
        message.push_str(&format!(" (also used by {}", others.join(", ")));
        if users.len() - 1 > LISTED {
            message.push_str(&format!(" and {} more", users.len() - 1 - LISTED));
        }
        message.push(')');
    }
    if copy > 0 {
        message.push_str(&format!(
            "; a copy of healthcheck `{healthcheck}`, whose other backends' probes sent another Host"
        ));
    }
    message
}

/// The names the healthcheck list holds, gathered the first time a new name is needed.
fn names_of<'n>(
    names: &'n mut Option<HashSet<String>>,
    healthchecks: &[Healthcheck],
) -> &'n mut HashSet<String> {
    names.get_or_insert_with(|| healthchecks.iter().filter_map(|h| h.name.clone()).collect())
}

impl Planner {
    /// Probe settings the VCL leaves out take the API's defaults; what a VCL probe used
    /// instead is not documented by Fastly (Varnish's differ), so each is said, never assumed.
    fn note_probe_defaults(&mut self) {
        for hc in &self.plan.healthchecks {
            let absent: Vec<String> = [
                ("check_interval", hc.check_interval, 5000),
                ("timeout", hc.timeout, 5000),
                ("window", hc.window, 5),
                ("threshold", hc.threshold, 3),
                ("initial", hc.initial, 3),
                ("expected_response", hc.expected_response, 200),
            ]
            .iter()
            .filter(|(_, value, _)| value.is_none())
            .map(|(field, _, default)| format!("`{field}` {default}"))
            .collect();
            if absent.is_empty() {
                continue;
            }
            self.plan.chosen.push(Note {
                object: hc.name.clone().unwrap_or_default(),
                kind: "healthcheck",
                field: "defaults".into(),
                message: format!(
                    "the VCL probe does not set them, so the API's defaults apply: {}; Fastly does not document what a VCL probe uses instead (Varnish: interval 5s, timeout 2s, window 8, threshold 3, initial one less): set them in the VCL to be sure",
                    absent.join(", ")
                ),
                how: None,
            });
        }
    }
}

/// `wanted`, or the first of `wanted_2`, `wanted_3`, ... not in `names`; taken from then on.
fn free_name(names: &mut HashSet<String>, wanted: &str) -> String {
    let name = std::iter::once(wanted.to_string())
        .chain((2u64..).map(|n| format!("{wanted}_{n}")))
        .find(|candidate| !names.contains(candidate))
        .unwrap_or_else(|| wanted.to_string());
    names.insert(name.clone());
    name
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

/// A probe the API cannot hold: the backend moves without a healthcheck, reported (an error
/// with `--strict`).
fn check_probe(plan: &mut Plan, backend: &Backend, source: &BackendSource, strict: bool) {
    let Some(reason) = &source.unrepresentable_probe else {
        return;
    };
    plan.notes.push(note(
        backend,
        "probe",
        &format!("the probe has no API form and goes with the declaration: the backend moves without a healthcheck ({reason})"),
        Some(
            "rewrite the probe as a request line with headers, or keep this backend in VCL (leave it out of the migration)".into(),
        ),
    ));
    let span = source.probe_span.unwrap_or(source.name_span);
    plan.diagnostics.push(
        Diagnostic::new(severity(strict), "migrate::probe-not-migrated", format!("the probe of `{}` cannot move to the API: {reason}", source.ident))
            .with_label(Label::primary(span, "no healthcheck can hold this probe: the backend moves without one"))
            .with_help("rewrite the probe as an HTTP request line (method, path, Host, headers), or keep this backend in VCL"),
    );
}

/// A warning, or an error with `--strict`.
fn severity(strict: bool) -> Severity {
    if strict {
        Severity::Error
    } else {
        Severity::Warning
    }
}

/// A `.dummy = true` probe other than Fastly's default: never sent, so no healthcheck, and the
/// settings it makes are named (an error with `--strict`).
fn check_dummy(plan: &mut Plan, backend: &Backend, source: &BackendSource, strict: bool) {
    let Some(dropped) = &source.dummy_probe else {
        return;
    };
    let message = format!(
        "a `.dummy = true` probe is never sent: the backend moves without a healthcheck, and the probe's settings are dropped: {dropped}"
    );
    plan.notes.push(note(
        backend,
        "probe",
        &message,
        Some("set `.dummy = false;` before migrating if the probe was meant to be sent".into()),
    ));
    let span = source.probe_span.unwrap_or(source.name_span);
    plan.diagnostics.push(
        Diagnostic::new(
            severity(strict),
            "migrate::dummy-probe",
            format!("the probe of `{}` is `.dummy = true`, never sent: no healthcheck; dropped: {dropped}", source.ident),
        )
        .with_label(Label::primary(span, "never sent: the backend moves without a healthcheck"))
        .with_help("a dummy probe only resolves DNS; set `.dummy = false;` if it was meant to be sent, or remove its settings"),
    );
}

/// `.host_header` without `.always_use_host_header = true;` only reaches requests that carry
/// no Host (in practice the probe); `override_host` would reach every request. So it is not
/// carried as `override_host` (requests keep their Host), and it is the Host a `.url` probe's
/// healthcheck sends. Returns it.
fn check_host_header(
    plan: &mut Plan,
    backend: &mut Backend,
    source: &BackendSource,
    strict: bool,
) -> Option<String> {
    let span = source.host_header_only_without_host?;
    let value = backend.override_host.take()?;
    let name = backend.name.clone().unwrap_or_default();
    plan.notes.push(note(
        backend,
        "override_host",
        &format!(
            "`.host_header = \"{value}\"` without `.always_use_host_header = true;` only sets the Host of requests that carry none (in practice the probe's); the API's `override_host` would set every request's, so it is not set: requests keep their own Host, and a probe without a Host line sends this one (the healthcheck's `host`)"
        ),
        Some(format!(
            "to override every request's Host instead, add `.always_use_host_header = true;` to the backend and migrate again, or set it afterwards: curl -sS --fail-with-body -X PUT \"${{FASTLY_API_ENDPOINT:-https://api.fastly.com}}/service/${{FASTLY_SERVICE_ID:?}}/version/${{FASTLY_SERVICE_VERSION:?}}/backend/{}\" -H \"Fastly-Key: $FASTLY_API_TOKEN\" --data-urlencode {}",
            crate::migrate::curl::segment(&name),
            crate::migrate::shell::quote(&format!("override_host={value}")),
        )),
    ));
    plan.diagnostics.push(
        Diagnostic::new(
            severity(strict),
            "migrate::host-header-meaning",
            format!("backend `{}`: `.host_header` without `.always_use_host_header = true;` is not carried as `override_host`, which would change the Host of every request", source.ident),
        )
        .with_label(Label::primary(span, "only for requests without a Host: not `override_host`"))
        .with_help("add `.always_use_host_header = true;` if every request should carry this Host; otherwise nothing is lost: the probe's healthcheck sends it"),
    );
    Some(value)
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
