//! One declaration lowered on its own, before it meets the rest of the file (duplicates,
//! shared probes, named probes), which [`super::Lowerer::admit`] handles. Pure: it reads
//! the declaration and nothing else.

use crate::ast::{BackendDecl, Item, ProbeDecl, Property, ValueKind};
use crate::diagnostic::{Diagnostic, Label};
use crate::lower::director::{DeclaredDirector, declare_director};
use crate::lower::host_port;
use crate::lower::keys::{Keys, Prehashed};
use crate::lower::probe::{ProbeOutcome, lower_probe};
use crate::lower::spares::Spares;
use crate::lower::{BackendSource, backend, values};
use crate::model::Backend;
use crate::span::Span;
use crate::syntax::Dialect;

/// A declaration lowered on its own.
pub enum Declared<'a> {
    /// Boxed: the model is about a kilobyte, and moving it from one function to the next
    /// would copy it each time.
    Backend(Box<DeclaredBackend<'a>>),
    Probe(DeclaredProbe<'a>),
    /// A `director`, read and checked on its own (`lower::director`); what it means beside
    /// the other declarations is decided once the file is read.
    Director(Box<DeclaredDirector<'a>>),
}

/// A `backend` declaration lowered on its own.
///
/// What the admitting thread reads of every declaration comes first (`repr(C)` keeps the
/// order): it reads what another core made, and each cache line it touches is a miss.
#[repr(C)]
pub struct DeclaredBackend<'a> {
    /// The VCL identifier, as declared, with its hash for the table of names.
    pub ident: Prehashed<'a>,
    /// Where the name is (also in `source`, further on).
    pub name_span: Span,
    /// It has errors: it is not kept.
    pub failed: bool,
    /// Named by hand (no `F_`, not a shield): under the API its VCL name changes.
    pub unprefixed: bool,
    /// [`Keys::probe`] of the probe's healthcheck, when it has one.
    pub probe_key: Option<u64>,
    /// The properties stored in `model`, as bits of their indexes in
    /// [`backend::BACKEND_PROPERTIES`]: the fields to empty when the declaration is reused.
    pub stored: backend::PropertyBits,
    /// Problems found in it, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// An inline probe the API can hold (or the default dummy), with the `.probe` value's span.
    /// A healthcheck comes named after the backend, and the backend's `healthcheck` set to
    /// it, as when it shares no earlier probe.
    pub probe: Option<(ProbeOutcome, Span)>,
    /// `.probe = NAME;`: the probe's name and the value's span.
    pub probe_use: Option<(String, Span)>,
    pub source: BackendSource,
    pub model: Backend,
}

/// A Varnish `probe NAME { }` lowered on its own.
pub struct DeclaredProbe<'a> {
    pub name: &'a str,
    pub name_span: Span,
    /// `None` when it has errors.
    pub outcome: Option<ProbeOutcome>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lowers one top-level item; `None` for forms lowering does not read. `keys` hashes names and
/// probes for the tables of the file (the same for every declaration of a run); a backend is
/// lowered into one of this thread's `spares` when it has one.
pub fn lower_item<'a>(
    item: &Item<'a>,
    src: &'a str,
    keys: &Keys,
    dialect: Dialect,
    spares: &mut Spares<'a>,
) -> Option<Declared<'a>> {
    match item {
        Item::Backend(decl) => Some(Declared::Backend(declare_backend(
            decl, keys, dialect, spares,
        ))),
        Item::Probe(decl) => Some(Declared::Probe(declare_probe(decl))),
        Item::Other(form) if form.keyword == "director" => Some(Declared::Director(Box::new(
            declare_director(src, form.span, dialect),
        ))),
        Item::Other(_) => None,
    }
}

fn declare_probe<'a>(decl: &ProbeDecl<'a>) -> DeclaredProbe<'a> {
    let mut diagnostics = Vec::new();
    let outcome = lower_probe(&decl.properties, &mut diagnostics, &mut Vec::new());
    DeclaredProbe {
        name: decl.name.text,
        name_span: decl.name.span,
        outcome,
        diagnostics,
    }
}

fn declare_backend<'a>(
    decl: &BackendDecl<'a>,
    keys: &Keys,
    dialect: Dialect,
    spares: &mut Spares<'a>,
) -> Box<DeclaredBackend<'a>> {
    let ident = decl.name.text;
    // Filled in place, never moved whole: the model is about a kilobyte.
    let mut declared = spares.backend(decl, keys);
    let d = &mut *declared;
    let mut seen = [None; backend::BACKEND_PROPERTIES.len()];
    let mut probe = None;
    let (mut host_header, mut always_use_host_header) = (None, false);
    // Varnish's `.path`: a Unix socket instead of `.host`.
    let mut socket = None;
    let mut host = None;
    for prop in &decl.properties {
        let name = prop.name.text;
        let Some((index, spec)) = backend::lookup(name) else {
            socket = not_a_fastly_property(prop, dialect, d).or(socket);
            continue;
        };
        if let Some(first) = seen[index].replace(prop.name.span) {
            d.diagnostics
                .push(duplicate_property(prop.name.text, prop.name.span, first));
            continue;
        }
        if let Err(e) = backend::apply(spec, prop, &mut d.model, spares) {
            // Only on the error path: Fastly files pay nothing for Varnish's spellings.
            let model = &mut d.model;
            if !(dialect.is_varnish() && varnish_value(spec, prop, model, &mut d.diagnostics)) {
                d.diagnostics.push(e);
                continue;
            }
        }
        d.stored |= 1 << index;
        if index == backend::HOST {
            host = Some(prop);
        }
        match spec.destination {
            backend::Destination::VclOnly => d.source.vcl_only.push((spec.name, prop.span)),
            backend::Destination::Probe => {
                probe = Some(prop);
                d.source.probe_span = Some(prop.span);
            }
            backend::Destination::AlwaysUseHostHeader => {
                always_use_host_header = values::boolean(prop).unwrap_or(false);
            }
            backend::Destination::Text(_) if spec.name == "host_header" => host_header = Some(prop),
            _ => {}
        }
    }
    if let Some(prop) = host_header.filter(|_| !always_use_host_header) {
        d.diagnostics.push(host_header_meaning(prop, dialect));
        d.source.host_header_only_without_host = Some(prop.span);
    }
    // A port inside `.host` (Varnish's `"name:8081"`): a colon is rare in a host name.
    if let Some(host) = host.filter(|_| d.model.address.as_deref().is_some_and(|a| a.contains(':')))
    {
        let port_set = seen[backend::PORT].is_some();
        host_port::move_port_out_of_host(&mut d.model, host, port_set, dialect, &mut d.diagnostics);
        // The port may now be set: a spare empties only the fields marked stored.
        d.stored |= 1 << backend::PORT;
    }
    // VCL's default is no TLS. Say so: the API would infer TLS from port 443.
    d.model.use_ssl.get_or_insert(false);
    // What has no API form at all: a Unix socket, or Varnish's `backend NAME none;`.
    let socket_only = match socket {
        Some(path) if seen[backend::HOST].is_none() => {
            d.diagnostics.push(socket_backend(ident, path));
            true
        }
        Some(path) => {
            d.diagnostics.push(varnish_property(path, dialect));
            false
        }
        None if decl.none => {
            d.diagnostics.push(none_backend(decl));
            true
        }
        None => false,
    };
    // After a syntax error the `.host` may be the property that was skipped.
    // Every property named `.host` was seen, whatever became of it.
    if !decl.recovered && !socket_only && seen[backend::HOST].is_none() {
        d.diagnostics.push(
            Diagnostic::error(
                "parse::missing-host",
                format!("backend `{ident}` has no `.host`"),
            )
            .with_label(Label::primary(
                decl.name.span,
                "this backend has no `.host`",
            ))
            .with_help("add the origin's address, e.g. `.host = \"origin.example.com\";`"),
        );
    }
    if let Some(prop) = probe {
        match &prop.value.kind {
            ValueKind::Object(body) => {
                d.probe = lower_probe(body, &mut d.diagnostics, spares.request_lines())
                    .map(|o| (o, prop.value.span));
                if let Some((ProbeOutcome::Healthcheck(hc), _)) = &mut d.probe {
                    d.probe_key = Some(keys.probe(hc));
                    hc.name.clone_from(&d.model.name);
                    d.model.healthcheck.clone_from(&d.model.name);
                }
            }
            // Read whole (`a-b`), so it never names a probe `a`; Fastly names have no `-`.
            ValueKind::Ident(name) if !dialect.is_varnish() && name.contains('-') => {
                d.diagnostics.push(hyphenated_reference(name, prop));
            }
            ValueKind::Ident(name) => d.probe_use = Some((name.to_string(), prop.value.span)),
            _ => d
                .diagnostics
                .push(values::wrong_type(prop, values::VclType::Probe)),
        }
    }
    d.failed = socket_only || d.diagnostics.iter().any(Diagnostic::is_error);
    let is_shield = d
        .source
        .vcl_only
        .iter()
        .any(|(name, _)| *name == "is_shield");
    // A socket backend goes nowhere under the API: no name there to tell.
    d.unprefixed = !socket_only && !ident.starts_with("F_") && !is_shield;
    declared
}

/// A property not in Fastly's table: a Varnish one, or unknown. Varnish VCL is an input too
/// (people migrate from it): its own backend properties are reported and kept on the source,
/// not refused. Returns a Varnish `.path`, which stands for `.host`. Out of line: Fastly files
/// rarely come here.
#[cold]
#[inline(never)]
fn not_a_fastly_property<'p, 'a>(
    prop: &'p Property<'a>,
    dialect: Dialect,
    d: &mut DeclaredBackend<'_>,
) -> Option<&'p Property<'a>> {
    let name = prop.name.text;
    let Some(&varnish) = backend::VARNISH_ONLY.iter().find(|&&v| v == name) else {
        d.diagnostics.push(unknown_backend_property(prop));
        return None;
    };
    if dialect.is_varnish() && varnish == backend::VARNISH_TLS {
        varnish_tls(prop, d);
        return None;
    }
    d.source.vcl_only.push((varnish, prop.span));
    if dialect.is_varnish() && varnish == "path" {
        return Some(prop);
    }
    d.diagnostics.push(varnish_property(prop, dialect));
    None
}

fn unknown_backend_property(prop: &Property<'_>) -> Diagnostic {
    let name = prop.name.text;
    let d = Diagnostic::error(
        "parse::unknown-property",
        format!("unknown backend property `.{name}`"),
    )
    .with_label(Label::primary(prop.name.span, "not a backend property"));
    match crate::suggest::did_you_mean(name, backend::BACKEND_PROPERTIES.iter().map(|p| p.name)) {
        Some(s) => d.with_help(format!("did you mean `.{s}`?")),
        None => d.with_help("see the backend properties Fastly accepts: https://www.fastly.com/documentation/reference/vcl/declarations/backend"),
    }
}

/// `.host_header` alone sets the Host of requests that carry none (in practice only probes);
/// `override_host`, its API form, sets every request's (docs/design.md §2.4).
fn host_header_meaning(prop: &Property<'_>, dialect: Dialect) -> Diagnostic {
    let (message, help) = if dialect.is_varnish() {
        (
            "Varnish's `.host_header` only sets the Host of requests that carry none (in practice the probe's); `override_host` sets every request's",
            "keep `override_host` off the API backend unless every request should carry this Host",
        )
    } else {
        (
            "`.host_header` without `.always_use_host_header = true;` only sets the Host of requests that carry none (in practice the probe's); `override_host` sets every request's",
            "add `.always_use_host_header = true;` if every request should carry this Host; otherwise `override_host` changes what the origin receives",
        )
    };
    Diagnostic::warning("parse::host-header-meaning", message)
        .with_label(Label::primary(
            prop.span,
            "filled in as `override_host`, which applies to every request",
        ))
        .with_help(help)
}

fn varnish_property(prop: &Property<'_>, dialect: Dialect) -> Diagnostic {
    let name = prop.name.text;
    let d = Diagnostic::warning(
        "parse::varnish-property",
        format!("`.{name}` is a Varnish backend property that Fastly does not have"),
    )
    .with_label(Label::primary(
        prop.name.span,
        "Varnish only: not carried to Fastly",
    ));
    match dialect {
        Dialect::Fastly => {
            d.with_help("Fastly's compiler refuses it; remove it when the VCL moves to Fastly")
        }
        Dialect::Varnish => d.with_help(
            "Fastly has no such setting: the backend moves to Fastly without it, so check that nothing depends on it",
        ),
    }
}

/// Varnish Enterprise's `.tls = true;` (or `1`): Fastly's `.ssl`, the API's `use_ssl`.
fn varnish_tls(prop: &Property<'_>, d: &mut DeclaredBackend<'_>) {
    let on = match prop.value.kind {
        ValueKind::Ident("true") | ValueKind::Number("1") => Some(true),
        ValueKind::Ident("false") | ValueKind::Number("0") => Some(false),
        _ => None,
    };
    match on {
        Some(on) => {
            d.model.use_ssl = Some(on);
            d.stored |= 1 << backend::SSL;
        }
        None => d
            .diagnostics
            .push(values::wrong_type(prop, values::VclType::Bool)),
    }
}

/// Varnish's own spellings of shared properties: `1`/`0` for a boolean (Enterprise's
/// `.ssl = 1;`) and an unquoted `.port = 8080;`. True when the value was taken.
#[cold]
#[inline(never)]
fn varnish_value(
    spec: &backend::BackendProperty,
    prop: &Property<'_>,
    model: &mut Backend,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    if let (backend::Destination::Port, ValueKind::String(s)) =
        (&spec.destination, &prop.value.kind)
    {
        let Ok(text) = s.decode() else {
            return false;
        };
        let Some((port, note)) = host_port::service_name_port(prop, &text) else {
            return false;
        };
        model.port = Some(port);
        diagnostics.push(note);
        return true;
    }
    let ValueKind::Number(n) = prop.value.kind else {
        return false;
    };
    match spec.destination {
        backend::Destination::Flag(field) if matches!(n, "0" | "1") => {
            *(field.set)(model) = Some(n == "1");
            true
        }
        backend::Destination::Port => match n.parse::<i64>() {
            Ok(port) if (1..=65535).contains(&port) => {
                model.port = Some(port);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// A Varnish `.path` backend with no `.host`: it listens on a Unix socket.
fn socket_backend(ident: &str, path: &Property<'_>) -> Diagnostic {
    Diagnostic::warning(
        "parse::unix-socket-backend",
        format!("backend `{ident}` connects over a Unix socket: it has no Fastly form"),
    )
    .with_label(Label::primary(
        path.name.span,
        "a local socket, not a network address: left out of the API configuration",
    ))
    .with_help(
        "Fastly reaches backends over the network: give it a `.host` (and `.port`) the origin listens on, or keep it in Varnish",
    )
}

/// Varnish's `backend NAME none;`.
fn none_backend(decl: &BackendDecl<'_>) -> Diagnostic {
    Diagnostic::warning(
        "parse::none-backend",
        format!(
            "backend `{}` is Varnish's empty backend (`none`): it has no Fastly form",
            decl.name.text
        ),
    )
    .with_label(Label::primary(
        decl.name.span,
        "always fails: left out of the API configuration",
    ))
    .with_help("Fastly has no backend that always fails: answer such requests in VCL (an `error` in `vcl_recv`) instead")
}

/// `.probe = a-b;` in a Fastly file: one error at the whole name.
fn hyphenated_reference(name: &str, prop: &Property<'_>) -> Diagnostic {
    let suggestion = name.replace('-', "_");
    Diagnostic::error(
        "parse::invalid-name",
        format!("`{name}` is not a valid probe name"),
    )
    .with_label(Label::primary(prop.value.span, "not a VCL identifier"))
    .with_help(crate::syntax::declaration::invalid_name_help(
        name,
        &suggestion,
        false,
    ))
}

/// `.name` set again at `at` (a property's name), first set at `first`: backends, probes and
/// directors alike.
pub(crate) fn duplicate_property(name: &str, at: Span, first: Span) -> Diagnostic {
    Diagnostic::error(
        "parse::duplicate-property",
        format!("`.{name}` is set twice"),
    )
    .with_label(Label::primary(at, "set again here"))
    .with_label(Label::secondary(first, "first set here"))
    .with_help("remove one of them")
}
