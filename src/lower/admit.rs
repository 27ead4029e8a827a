//! Admission: the declarations of a file taken in order into one model. Duplicates, shared
//! and named probes, healthcheck names and the API names of backends are decided here, on the
//! one thread that sees every declaration (docs/design.md §2).

use std::collections::HashMap;

use crate::ast::Item;
use crate::diagnostic::{Diagnostic, Label};
use crate::model::Backend;
use crate::model::names::vcl_ident;
use crate::span::Span;
use crate::suggest::Suggester;
use crate::syntax::Dialect;

use super::declaration::{Declared, DeclaredBackend, DeclaredProbe, lower_item};
use super::keys::{AlreadyHashed, Keys, Prehashed, same_probe};
use super::probe::ProbeOutcome;
use super::spares::Spares;
use super::{BackendSource, Lowered, api_name, reservation};

/// Receives each finished backend, with where it was declared.
pub type Emit<'e> = dyn FnMut(&Backend, &BackendSource) + 'e;

/// Lowers items one at a time; [`Lowerer::finish`] resolves named probes and returns the model.
#[derive(Default)]
pub struct Lowerer<'a, 'e> {
    pub(super) lowered: Lowered,
    /// Where finished backends go when streaming; `None` keeps them in `lowered`.
    pub(super) emit: Option<&'e mut Emit<'e>>,
    /// How many backends were emitted (as they were admitted, or drained from the front of
    /// `config.backends` and `sources` when they had to wait for a named probe).
    pub(super) emitted: usize,
    /// The keyed hash of names and probes for this run.
    pub(super) keys: Keys,
    /// Declared backend identifiers, for duplicates.
    pub(super) names: HashMap<Prehashed<'a>, Span, AlreadyHashed>,
    /// Healthchecks by a hash of their fields (without name), so identical probes share one:
    /// the last one made with each hash, and from each the one before it with the same hash
    /// (a chain in place of a list per hash, which cost an allocation per healthcheck).
    pub(super) shared: HashMap<u64, usize, AlreadyHashed>,
    pub(super) same_hash_before: Vec<Option<usize>>,
    /// Named probes (Varnish) and the backends that use them, resolved at the end.
    pub(super) named_probes: HashMap<String, (Span, Option<ProbeOutcome>)>,
    pub(super) probe_uses: Vec<(usize, String, Span)>,
    /// The names healthchecks took, once the file declares a named probe or a backend whose
    /// identifier is not the `F_` one Fastly generates (only then can two want one name: a
    /// probe `web` and backend `web`'s inline probe, or the inline probes of backends `web`
    /// and `F_web`). `None` until then, so generated files pay nothing.
    pub(super) healthcheck_names: Option<std::collections::HashSet<String>>,
    /// Hand-written names (no `F_`), told once per file.
    pub(super) unprefixed: Vec<(String, Span)>,
    /// Declarations this thread made and admitted, to lower the next ones in.
    pub(super) spares: Spares<'a>,
    /// The dialect declarations are read in.
    pub(super) dialect: Dialect,
    /// The text declarations are read from (directors are read from it where they are met).
    pub(super) src: &'a str,
    /// Directors read so far, in source order.
    pub(super) declared_directors: Vec<super::director::DeclaredDirector<'a>>,
    /// Identifiers that may not be the one Fastly would generate for their API name (`origin`,
    /// `F_web-1`): only these can meet another backend under the API ([`api_name_clashes`]).
    pub(super) renamed: Vec<(String, Span)>,
}

impl<'a, 'e> Lowerer<'a, 'e> {
    /// Reserves once, for as many backends as `src` can declare: tables and lists grown by
    /// doubling would rehash, copy, and briefly hold two copies of a large list. When
    /// streaming, only the names and healthchecks are kept to the end. Healthchecks are
    /// reserved one per backend (an inline probe each; named probes beyond that grow the list).
    pub(super) fn reserve_for(&mut self, src: &str) {
        let (estimate, guessed) = reservation(src);
        // Fallible: the count takes the word anywhere (comments, strings, `backendbackend`),
        // so a hostile text can make it large; the lists then grow as they fill instead.
        // The table has room to spare already (and more of it would be touched, every
        // insert landing anywhere in it); a list that outgrows a guess is copied whole, so it
        // gets a quarter more, which costs address space only.
        let _ = self.names.try_reserve(estimate);
        let lists = if guessed {
            estimate.saturating_add(estimate / 4)
        } else {
            estimate
        };
        let config = &mut self.lowered.config;
        let _ = config.healthchecks.try_reserve_exact(lists);
        if self.emit.is_none() {
            let _ = config.backends.try_reserve_exact(lists);
            let _ = self.lowered.sources.try_reserve_exact(lists);
        }
    }

    /// A lowerer for declarations read in `dialect`; feed it with [`Lowerer::item`], then
    /// [`Lowerer::finish`].
    pub fn in_dialect(dialect: Dialect) -> Self {
        Lowerer {
            dialect,
            ..Lowerer::default()
        }
    }

    pub fn item(&mut self, item: &Item<'a>) {
        let (src, dialect) = (self.src, self.dialect);
        if let Some(declared) = lower_item(item, src, &self.keys, dialect, &mut self.spares) {
            self.admit(declared);
        }
    }

    /// Lowers items already parsed from `src` (lint keeps the tree for its own rules) in
    /// `dialect`.
    pub fn lower_items(src: &'a str, items: &[Item<'a>], dialect: Dialect) -> Lowered {
        let mut lowerer = Lowerer::in_dialect(dialect);
        lowerer.src = src;
        items.iter().for_each(|item| lowerer.item(item));
        lowerer.finish()
    }

    /// Only the findings of lowering `items` (a parsed tree, or a [`crate::syntax::Parser`] read as it
    /// goes) in `dialect`: each backend is dropped as soon as it is made.
    pub fn diagnostics_of<I>(
        src: &'a str,
        items: impl IntoIterator<Item = I>,
        dialect: Dialect,
    ) -> Vec<Diagnostic>
    where
        I: std::borrow::Borrow<Item<'a>>,
    {
        let mut discard = |_: &Backend, _: &BackendSource| {};
        let mut lowerer = Lowerer::streaming(&mut discard);
        lowerer.dialect = dialect;
        lowerer.src = src;
        items
            .into_iter()
            .for_each(|item| lowerer.item(item.borrow()));
        lowerer.finish().diagnostics
    }

    /// A lowerer that hands each finished backend to `emit` and keeps none; feed it with
    /// [`Lowerer::item`], then [`Lowerer::finish`].
    pub fn streaming(emit: &'e mut Emit<'e>) -> Self {
        Lowerer {
            emit: Some(emit),
            ..Lowerer::default()
        }
    }

    /// Looks up the name of every backend in `declared` before any is admitted. What another
    /// core made, and the table of names, are misses in this core's caches; one after another
    /// they wait in turn, but lookups that depend on nothing overlap, and admitting then finds
    /// them in cache (docs/performance.md has the figure).
    pub(super) fn warm_up(&self, declared: &[Declared<'a>]) {
        let known = declared
            .iter()
            .filter(|d| matches!(d, Declared::Backend(b) if self.names.contains_key(&b.ident)))
            .count();
        std::hint::black_box(known);
    }

    /// Takes one lowered declaration into the file: duplicates, shared and named probes,
    /// and (when streaming) hands finished backends on.
    pub fn admit(&mut self, declared: Declared<'a>) {
        if let Some(spent) = self.admit_giving_back(declared) {
            self.spares.keep(spent);
        }
    }

    /// [`Lowerer::admit`], giving back what is left of a backend's declaration (emptied of
    /// whatever was kept) to the thread that made it, which lowers its next declarations in
    /// it ([`Spares`]). Freeing it here instead would make the system allocator contend for
    /// the maker's lock.
    pub(super) fn admit_giving_back(
        &mut self,
        declared: Declared<'a>,
    ) -> Option<Box<DeclaredBackend<'a>>> {
        match declared {
            Declared::Backend(backend) => Some(self.admit_backend(backend)),
            Declared::Probe(probe) => {
                self.admit_probe(probe);
                None
            }
            Declared::Director(director) => {
                self.lowered.directors.push(director.span);
                self.declared_directors.push(*director);
                None
            }
        }
    }

    pub(super) fn admit_backend(
        &mut self,
        mut boxed: Box<DeclaredBackend<'a>>,
    ) -> Box<DeclaredBackend<'a>> {
        let d = &mut *boxed;
        let ident = d.ident.text;
        if let Some(first) = self.names.get(&d.ident) {
            let d = Diagnostic::error(
                "parse::duplicate-backend",
                format!("backend `{ident}` is declared twice"),
            )
            .with_label(Label::primary(d.name_span, "declared again here"))
            .with_label(Label::secondary(*first, "first declared here"))
            .with_help("rename one of them, or remove the duplicate");
            self.lowered.diagnostics.push(d);
            // The duplicate's own problems are reported too: fixing the name leaves them.
            let own = &mut boxed.diagnostics;
            self.lowered.diagnostics.append(own);
            return boxed;
        }
        self.names.insert(d.ident, d.name_span);
        if self.renamed_under_api(ident) {
            self.renamed.push((ident.to_string(), d.name_span));
            // `web` and `F_web` are one name under the API, and so are their inline probes'
            // healthchecks (docs/design.md §2.14).
            self.track_healthcheck_names();
        }
        if !d.diagnostics.is_empty() {
            self.lowered.diagnostics.append(&mut d.diagnostics);
        }
        if d.unprefixed {
            self.unprefixed.push((ident.to_string(), d.name_span));
        }
        if d.failed {
            return boxed;
        }
        if let Some((outcome, span)) = &mut d.probe {
            let probe = (outcome, d.probe_key, *span);
            self.attach_probe(&mut d.model, &mut d.source, probe, None);
        }
        // Counts every kept backend, emitted or not: where this one goes if it waits.
        let index = self.emitted + self.lowered.sources.len();
        if let Some((name, span)) = d.probe_use.take() {
            match self.named_probes.get(&name) {
                // Declared already: resolve now, so the backend can be emitted.
                Some((_, outcome)) => {
                    if let Some(mut outcome) = outcome.clone() {
                        let (model, source) = (&mut d.model, &mut d.source);
                        let probe = (&mut outcome, None, span);
                        self.attach_probe(model, source, probe, Some(&name));
                    }
                }
                None => self.probe_uses.push((index, name, span)),
            }
        }
        match self.emit.as_mut() {
            // Handed over from where it was made: a backend is about a kilobyte.
            Some(emit) if self.probe_uses.is_empty() => {
                emit(&d.model, &d.source);
                self.emitted += 1;
            }
            _ => {
                self.lowered
                    .config
                    .backends
                    .push(std::mem::take(&mut d.model));
                self.lowered.sources.push(std::mem::take(&mut d.source));
            }
        }
        boxed
    }

    /// True when `ident` may not be the identifier Fastly generates for its API name (`F_`
    /// and letters, digits and `_`): two such identifiers never meet under the API, any other
    /// one may ([`api_name_clashes`]). Only the prefix is read in a Fastly file: a name with
    /// other characters is a syntax error there already (and the file is not output), while
    /// a Varnish name may hold `-`.
    pub(super) fn renamed_under_api(&self, ident: &str) -> bool {
        ident.len() <= 2
            || !ident.starts_with("F_")
            || (self.dialect.is_varnish() && ident.contains('-'))
    }

    /// From now on, healthcheck names are kept unique ([`unique_name`]), starting with those
    /// made so far.
    pub(super) fn track_healthcheck_names(&mut self) {
        if self.healthcheck_names.is_none() {
            let made = self.lowered.config.healthchecks.iter();
            self.healthcheck_names = Some(made.filter_map(|h| h.name.clone()).collect());
        }
    }

    pub(super) fn admit_probe(&mut self, d: DeclaredProbe<'a>) {
        if let Some((first, _)) = self.named_probes.get(d.name) {
            let e = Diagnostic::error(
                "parse::duplicate-probe",
                format!("probe `{}` is declared twice", d.name),
            )
            .with_label(Label::primary(d.name_span, "declared again here"))
            .with_label(Label::secondary(*first, "first declared here"))
            .with_help("rename one of them, or remove the duplicate");
            self.lowered.diagnostics.push(e);
            // As for backends: the duplicate's own problems are reported too.
            self.lowered.diagnostics.extend(d.diagnostics);
            return;
        }
        self.lowered.diagnostics.extend(d.diagnostics);
        self.track_healthcheck_names();
        self.named_probes
            .insert(d.name.to_string(), (d.name_span, d.outcome));
    }

    /// Gives a backend its probe: a shared healthcheck, nothing, or a report. `probe` is the
    /// outcome (what is kept is taken out of it), its [`Keys::probe`] if known, and the span
    /// of the `.probe` value.
    pub(super) fn attach_probe(
        &mut self,
        backend: &mut Backend,
        source: &mut BackendSource,
        probe: (&mut ProbeOutcome, Option<u64>, Span),
        probe_name: Option<&str>,
    ) {
        let (outcome, key, span) = probe;
        match outcome {
            ProbeOutcome::DefaultDummy => {}
            ProbeOutcome::Dummy { dropped } => {
                let probe = probe_label(probe_name, &source.ident);
                self.lowered.diagnostics.push(
                    Diagnostic::warning("parse::dummy-probe", format!("{probe} is `.dummy = true`: Fastly never sends it, so no healthcheck is made; dropped: {dropped}"))
                        .with_label(Label::primary(span, "never sent: the backend has no healthcheck"))
                        .with_help("a dummy probe only resolves DNS; remove the settings, or set `.dummy = false;` if the probe was meant to be sent"),
                );
                source.dummy_probe = Some(std::mem::take(dropped));
            }
            ProbeOutcome::Unrepresentable { reason } => {
                let ident = &source.ident;
                self.lowered.diagnostics.push(
                    Diagnostic::warning("parse::unrepresentable-probe", format!("the probe of backend `{ident}` has no API form: {reason}"))
                        .with_label(Label::primary(span, "kept in VCL only: no healthcheck made"))
                        .with_help("the backend is kept without a healthcheck; keep this probe in VCL, or rewrite it as an HTTP request line with headers"),
                );
                source.unrepresentable_probe = Some(std::mem::take(reason));
            }
            ProbeOutcome::Healthcheck(hc) => {
                let key = key.unwrap_or_else(|| self.keys.probe(hc));
                let healthchecks = &mut self.lowered.config.healthchecks;
                let last = self.shared.get(&key).copied();
                let existing = std::iter::successors(last, |&i| self.same_hash_before[i])
                    .find(|&i| same_probe(&healthchecks[i], hc));
                match existing {
                    Some(i) => backend.healthcheck.clone_from(&healthchecks[i].name),
                    None => {
                        // An inline probe comes named after its backend ([`DeclaredBackend`]).
                        if probe_name.is_some() || hc.name.is_none() {
                            hc.name = probe_name
                                .map(str::to_string)
                                .or_else(|| backend.name.clone());
                            backend.healthcheck.clone_from(&hc.name);
                        }
                        if let Some(taken) = &mut self.healthcheck_names {
                            if let Some(unique) = unique_name(taken, hc.name.as_deref()) {
                                let wanted = hc.name.as_deref().unwrap_or("");
                                let probe = probe_label(probe_name, &source.ident);
                                self.lowered.diagnostics.push(
                                    Diagnostic::info("parse::healthcheck-renamed", format!("the healthcheck of {probe} is named `{unique}`: `{wanted}` is another probe's already"))
                                        .with_label(Label::primary(span, format!("healthcheck `{unique}`")))
                                        .with_help("healthcheck names are unique; rename the probe or the backend to choose the name yourself"),
                                );
                                hc.name = Some(unique);
                                backend.healthcheck.clone_from(&hc.name);
                            }
                        }
                        self.same_hash_before.push(last);
                        self.shared.insert(key, healthchecks.len());
                        healthchecks.push(std::mem::take(&mut **hc));
                    }
                }
            }
        }
    }

    /// Streaming: hands over every kept backend, unless one still waits for a probe declared
    /// further down (then all wait, to keep source order and valid indexes).
    pub(super) fn emit_finished(&mut self) {
        if let Some(emit) = self.emit.as_mut() {
            if self.probe_uses.is_empty() {
                self.emitted += self.lowered.config.backends.len();
                let sources = self.lowered.sources.drain(..);
                for (backend, source) in self.lowered.config.backends.drain(..).zip(sources) {
                    emit(&backend, &source);
                }
            }
        }
    }

    /// Resolves `.probe = NAME;` references and returns the model.
    /// Resolves named probes, lowers the directors beside the backends (the API directors,
    /// and, when the backends were kept, each member backend's weight and auto load
    /// balancing: docs/design.md §2.25), and returns the model.
    pub fn finish(mut self) -> Lowered {
        let declared = std::mem::take(&mut self.declared_directors);
        if !declared.is_empty() {
            let (names, keys) = (&self.names, &self.keys);
            let backend_at = |ident: &str| names.get(&keys.name(ident)).copied();
            let carried =
                super::director::lower_directors(declared, &mut self.lowered, keys, &backend_at);
            if self.emit.is_none() {
                carry(&carried, &mut self.lowered.config.backends);
            }
        }
        let mut undefined = Vec::new();
        for (index, name, span) in std::mem::take(&mut self.probe_uses) {
            match self.named_probes.get(&name) {
                Some((_, Some(outcome))) => {
                    let mut outcome = outcome.clone();
                    // Out of the lists while the probe is attached (they are borrowed too).
                    let at = index - self.emitted;
                    let mut backend = std::mem::take(&mut self.lowered.config.backends[at]);
                    let mut source = std::mem::take(&mut self.lowered.sources[at]);
                    let probe = (&mut outcome, None, span);
                    self.attach_probe(&mut backend, &mut source, probe, Some(&name));
                    self.lowered.config.backends[at] = backend;
                    self.lowered.sources[at] = source;
                }
                Some((_, None)) => {}
                None => undefined.push((name, span)),
            }
        }
        if !undefined.is_empty() {
            let mut suggester = Suggester::new(self.named_probes.keys().map(String::as_str));
            for (name, span) in undefined {
                let d = Diagnostic::error(
                    "parse::undefined-probe",
                    format!("no probe named `{name}` is declared"),
                )
                .with_label(Label::primary(span, "undeclared probe"));
                let d = match suggester.suggest(&name) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(format!(
                        "declare it: `probe {name} {{ .url = \"/\"; }}`, or write the probe inline"
                    )),
                };
                self.lowered.diagnostics.push(d);
            }
        }
        if let Some(note) = api_name_note(&self.unprefixed) {
            self.lowered.diagnostics.push(note);
        }
        let declared = self.names.iter().map(|(name, span)| (name.text, *span));
        let clashes = api_name_clashes(&self.renamed, declared);
        self.lowered.diagnostics.extend(clashes);
        self.emit_finished();
        self.lowered
    }
}

/// How a diagnostic names a probe: `probe `p` of backend `a`` or `the probe of backend `a``.
fn probe_label(probe_name: Option<&str>, ident: &str) -> String {
    match probe_name {
        Some(name) => format!("probe `{name}` (of backend `{ident}`)"),
        None => format!("the probe of backend `{ident}`"),
    }
}

/// Takes `wanted` in `taken`; when a healthcheck made earlier has it already, the first free
/// of `wanted_2`, `wanted_3`, ... instead (returned). Deterministic: healthchecks are made in
/// the order backends are admitted.
fn unique_name(
    taken: &mut std::collections::HashSet<String>,
    wanted: Option<&str>,
) -> Option<String> {
    let wanted = wanted?;
    if taken.insert(wanted.to_string()) {
        return None;
    }
    let unique = (2u64..)
        .map(|n| format!("{wanted}_{n}"))
        .find(|candidate| !taken.contains(candidate))?;
    taken.insert(unique.clone());
    Some(unique)
}

/// One note for all hand-written backend names: under the API, Fastly prefixes them with `F_`.
/// One label (on the first) keeps the report short; the message names them all, up to a few.
fn api_name_note(unprefixed: &[(String, Span)]) -> Option<Diagnostic> {
    const LISTED: usize = 4;
    let (first, span) = unprefixed.first()?;
    let mut renames: Vec<String> = unprefixed
        .iter()
        .take(LISTED)
        .map(|(ident, _)| format!("`{ident}` -> `{}`", vcl_ident(ident)))
        .collect();
    if unprefixed.len() > LISTED {
        renames.push(format!("and {} more", unprefixed.len() - LISTED));
    }
    let first_vcl = vcl_ident(first);
    let message = match unprefixed.len() {
        1 => format!("under the API, backend `{first}` is named `{first_vcl}` in VCL"),
        n => format!(
            "under the API, {n} hand-written backends get an `F_` name in VCL: {}",
            renames.join(", ")
        ),
    };
    let note = Diagnostic::info("parse::api-name", message)
        .with_label(Label::primary(*span, format!("`{first_vcl}` under the API")))
        .with_help("Fastly prefixes API backends with `F_`: references to them change once they move to the API (`vcl-backend migrate` rewrites them)");
    Some(note)
}

/// Backends that are two in VCL but one under the API: the same API name (`httpbin_org` and
/// `F_httpbin_org`), or API names that generate one VCL identifier (`web-1` and `web_1`).
/// `generate` refuses such a pair; parse tells it at once, at both declarations. Only
/// `renamed` identifiers ([`Lowerer::renamed_under_api`]) can meet another, so the declared
/// names are read once, and only when there are renamed ones.
fn api_name_clashes<'n>(
    renamed: &[(String, Span)],
    declared: impl Iterator<Item = (&'n str, Span)>,
) -> Vec<Diagnostic> {
    if renamed.is_empty() {
        return Vec::new();
    }
    // By the identifier each would get; the first one declared of each.
    let mut by_vcl: HashMap<String, Named<'_>> = HashMap::with_capacity(renamed.len());
    let mut pairs: Vec<(Named<'_>, Named<'_>)> = Vec::new();
    for (ident, span) in renamed {
        let vcl = vcl_ident(api_name(ident));
        match by_vcl.get(&vcl) {
            Some(&first) => pairs.push((first, (ident, *span))),
            None => {
                by_vcl.insert(vcl, (ident.as_str(), *span));
            }
        }
    }
    for (ident, span) in declared {
        if let Some(&other) = by_vcl.get(ident) {
            pairs.push(((ident, span), other));
        }
    }
    let mut found: Vec<Diagnostic> = pairs
        .into_iter()
        .map(|(a, b)| {
            let (first, second) = if a.1.start <= b.1.start {
                (a, b)
            } else {
                (b, a)
            };
            api_name_clash(first, second)
        })
        .collect();
    found.sort_by_key(|d| d.labels.first().map(|l| l.span.start));
    found
}

/// A backend's identifier and where it is declared.
type Named<'n> = (&'n str, Span);

fn api_name_clash(first: Named<'_>, second: Named<'_>) -> Diagnostic {
    let (a, b) = (api_name(first.0), api_name(second.0));
    let (message, label) = if a == b {
        (
            format!(
                "backends `{}` and `{}` are one backend under the API: both are named `{a}`",
                first.0, second.0
            ),
            format!("API name `{a}`"),
        )
    } else {
        let vcl = vcl_ident(a);
        (
            format!(
                "backends `{}` and `{}` would both be `{vcl}` in the VCL Fastly generates",
                first.0, second.0
            ),
            format!("`{vcl}` in generated VCL"),
        )
    };
    Diagnostic::warning("parse::api-name-clash", message)
        .with_label(Label::primary(second.1, label.clone()))
        .with_label(Label::secondary(first.1, label))
        .with_help("rename one of them: the API keeps one backend per name, and `vcl-backend generate` refuses the pair")
}

/// What the directors say onto the backends they list.
fn carry(carried: &super::director::Carried<'_>, backends: &mut [Backend]) {
    for backend in backends {
        let Some(name) = backend.name.as_deref() else {
            continue;
        };
        if let Some(weight) = carried.weight(name) {
            backend.weight = Some(weight);
        }
        if carried.auto_loadbalanced(name) {
            backend.auto_loadbalance = Some(true);
        }
    }
}
