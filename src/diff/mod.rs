//! `diff`: two services, each read from VCL or API JSON into the model, compared as the API
//! holds them (docs/design.md §13): the API's defaults where a side leaves a field out, names
//! matched across VCL and the API, healthchecks by what they check. A pure function of two
//! configs; reading and printing are the command's.

mod flat;
mod probes;
pub mod render;

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use crate::model::names::{api_name, vcl_ident};
use crate::model::properties::{BACKEND, HEALTHCHECK, Role};
use crate::model::{Config, none_if_empty};
pub use flat::DIRECTOR_FIELDS;
use flat::Flat;
use probes::Probes;

/// Which object a change is about; the order changes are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Backend,
    Healthcheck,
    Director,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Backend => "backend",
            Kind::Healthcheck => "healthcheck",
            Kind::Director => "director",
        }
    }
}

/// Whether an object is only in B, only in A, or in both with fields that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    pub fn word(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One difference: an object added or removed (its compared fields as `b` or `a`), or one
/// field of an object in both.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: Kind,
    pub name: String,
    pub change: ChangeKind,
    /// The API field, for a change of an object in both.
    pub field: Option<&'static str>,
    pub a: Value,
    pub b: Value,
}

/// One side: its objects, and whether it was read from VCL (which cannot say some fields).
pub struct Side<'c> {
    pub config: &'c Config,
    pub vcl: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// API field names left out of the comparison (checked by [`unknown_field`] first).
    pub ignore: Vec<String>,
    /// The service ID: the share key of backends that carry neither `share_key` nor
    /// `service_id`, as generate takes it (docs/design.md §4.3).
    pub service_id: Option<String>,
}

/// What differs, in a stable order: backends, healthchecks, directors, each by name, fields in
/// the table's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diff {
    pub changes: Vec<Change>,
    /// Fields that were not compared because a side is VCL, which has no form for them.
    pub not_compared: Vec<&'static str>,
}

impl Diff {
    pub fn is_equal(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Fields the API fills by itself from others: never compared (docs/design.md §13.2).
const DERIVED: [&str; 3] = ["hostname", "ipv4", "ipv6"];

/// Backend fields VCL has no form for but lowering carries from directors (§2.25).
const CARRIED_FROM_DIRECTORS: [&str; 2] = ["weight", "auto_loadbalance"];

/// Every field name `--ignore` takes: the backend's, the healthcheck's and the director's API
/// fields, each once, in that order.
pub fn field_names() -> Vec<&'static str> {
    let backend = BACKEND.iter().filter_map(|p| p.api);
    let healthcheck = HEALTHCHECK.iter().map(|p| p.api);
    let director = DIRECTOR_FIELDS.iter().map(|f| f.0);
    let mut names: Vec<&'static str> = Vec::new();
    for name in backend.chain(healthcheck).chain(director) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The first name of `ignore` that is no field, with the closest field, if any is close.
pub fn unknown_field(ignore: &[String]) -> Option<(&str, Option<&'static str>)> {
    let names = field_names();
    let unknown = ignore.iter().find(|f| !names.contains(&f.as_str()))?;
    let close = crate::suggest::did_you_mean(unknown, names.iter().copied());
    Some((unknown, close))
}

/// Which fields of each table are compared.
struct Compared {
    backend: Vec<bool>,
    healthcheck: Vec<bool>,
    director: Vec<bool>,
    not_compared: Vec<&'static str>,
}

impl Compared {
    fn new(options: &Options, vcl: bool) -> Self {
        let ignored = |api: &str| options.ignore.iter().any(|f| f == api);
        let mut not_compared: Vec<&'static str> = Vec::new();
        let mut note = |api: &'static str| {
            if !ignored(api) && !not_compared.contains(&api) {
                not_compared.push(api);
            }
        };
        let backend = BACKEND
            .iter()
            .filter_map(|p| Some((p, p.api?)))
            .map(|(p, api)| {
                let kept = p.role == Role::Config && api != "name" && !DERIVED.contains(&api);
                let no_vcl_form = p.vcl.is_none() && !CARRIED_FROM_DIRECTORS.contains(&api);
                if kept && vcl && no_vcl_form {
                    note(api);
                }
                kept && !(vcl && no_vcl_form) && !ignored(api)
            })
            .collect();
        let healthcheck = HEALTHCHECK
            .iter()
            .map(|p| {
                let kept = p.role == Role::Config && p.api != "name";
                if kept && vcl && p.probe.is_none() {
                    note(p.api);
                }
                kept && !(vcl && p.probe.is_none()) && !ignored(p.api)
            })
            .collect();
        let director = DIRECTOR_FIELDS
            .iter()
            .map(|&(api, in_vcl)| {
                if vcl && !in_vcl {
                    note(api);
                }
                (in_vcl || !vcl) && !ignored(api)
            })
            .collect();
        Compared {
            backend,
            healthcheck,
            director,
            not_compared,
        }
    }
}

/// Compares A with B: what B adds, removes and changes.
pub fn diff(a: Side<'_>, b: Side<'_>, options: &Options) -> Diff {
    let vcl = a.vcl || b.vcl;
    let compared = Compared::new(options, vcl);
    // Names from an API side are the ones the service knows.
    let shown = |name_a: &str, name_b: &str| -> String {
        if a.vcl && !b.vcl { name_b } else { name_a }.to_owned()
    };
    let service_id = options.service_id.as_deref();
    let mut probes = Probes::new(
        &a.config.healthchecks,
        &b.config.healthchecks,
        &options.ignore,
    );
    let ignore_healthcheck = options.ignore.iter().any(|f| f == "healthcheck");
    let mut changes = Vec::new();
    let (mut flat_a, mut flat_b) = (Flat::new(), Flat::new());

    let backends_b = index(b.config.backends.iter().map(|x| x.name.as_deref()), vcl);
    let mut seen_b = vec![false; b.config.backends.len()];
    for ba in &a.config.backends {
        let name_a = ba.name.as_deref().unwrap_or_default();
        flat::backend(ba, service_id, &compared.backend, &mut flat_a);
        let Some(&j) = backends_b.get(&key(vcl, name_a)).filter(|&&j| !seen_b[j]) else {
            changes.push(whole(Kind::Backend, name_a, ChangeKind::Removed, &flat_a));
            continue;
        };
        seen_b[j] = true;
        let bb = &b.config.backends[j];
        let name = shown(name_a, bb.name.as_deref().unwrap_or_default());
        flat::backend(bb, service_id, &compared.backend, &mut flat_b);
        for i in 0..flat_a.len() {
            let field = flat_a.key(i);
            let differs = if field == "healthcheck" {
                let (x, y) = (
                    none_if_empty(&ba.healthcheck),
                    none_if_empty(&bb.healthcheck),
                );
                !ignore_healthcheck && !probes.same_use(x, y)
            } else {
                !flat_a.same(&flat_b, i)
            };
            if differs {
                let (va, vb) = (flat_a.value(i), flat_b.value(i));
                changes.push(changed(Kind::Backend, &name, field, va, vb));
            }
        }
        if !ignore_healthcheck {
            probes.pair(
                none_if_empty(&ba.healthcheck),
                none_if_empty(&bb.healthcheck),
            );
        }
    }
    for (j, bb) in b.config.backends.iter().enumerate() {
        if !seen_b[j] {
            flat::backend(bb, service_id, &compared.backend, &mut flat_b);
            let name = bb.name.as_deref().unwrap_or_default();
            changes.push(whole(Kind::Backend, name, ChangeKind::Added, &flat_b));
        }
    }

    probes.changes(&compared.healthcheck, &mut changes);

    let directors_b = index(b.config.directors.iter().map(|d| d.name.as_deref()), vcl);
    let mut seen_b = vec![false; b.config.directors.len()];
    let member = |n: &str| key(vcl, n).into_owned();
    for da in &a.config.directors {
        let name_a = da.name.as_deref().unwrap_or_default();
        flat::director(da, &compared.director, member, &mut flat_a);
        let Some(&j) = directors_b.get(&key(vcl, name_a)).filter(|&&j| !seen_b[j]) else {
            changes.push(whole(Kind::Director, name_a, ChangeKind::Removed, &flat_a));
            continue;
        };
        seen_b[j] = true;
        let db = &b.config.directors[j];
        let name = shown(name_a, db.name.as_deref().unwrap_or_default());
        flat::director(db, &compared.director, member, &mut flat_b);
        for i in 0..flat_a.len() {
            if !flat_a.same(&flat_b, i) {
                let (va, vb) = (flat_a.value(i), flat_b.value(i));
                changes.push(changed(Kind::Director, &name, flat_a.key(i), va, vb));
            }
        }
    }
    for (j, db) in b.config.directors.iter().enumerate() {
        if !seen_b[j] {
            flat::director(db, &compared.director, member, &mut flat_b);
            let name = db.name.as_deref().unwrap_or_default();
            changes.push(whole(Kind::Director, name, ChangeKind::Added, &flat_b));
        }
    }
    // Stable: the fields of one object stay in the table's order.
    changes.sort_by(|x, y| (x.kind, &x.name).cmp(&(y.kind, &y.name)));
    Diff {
        changes,
        not_compared: if vcl {
            compared.not_compared
        } else {
            Vec::new()
        },
    }
}

/// The name objects are matched by: across VCL, a name is its VCL identifier's API name
/// (§2.2, §4.2), so `F_a_b` matches the API's `a b`.
fn key(vcl: bool, name: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if !vcl || (!name.starts_with("F_") && !name.is_empty() && name.chars().all(plain)) {
        // Its own key: no `F_` to remove, nothing to sanitise.
        Cow::Borrowed(name)
    } else {
        Cow::Owned(api_name(&vcl_ident(name)).to_owned())
    }
}

/// Each object's index by its key; a second object of a key is left unmatched (it is listed
/// as added or removed).
fn index<'n>(
    names: impl Iterator<Item = Option<&'n str>>,
    vcl: bool,
) -> HashMap<Cow<'n, str>, usize> {
    let mut map = HashMap::new();
    for (i, name) in names.enumerate() {
        map.entry(key(vcl, name.unwrap_or_default())).or_insert(i);
    }
    map
}

fn changed(kind: Kind, name: &str, field: &'static str, a: Value, b: Value) -> Change {
    Change {
        kind,
        name: name.to_owned(),
        change: ChangeKind::Changed,
        field: Some(field),
        a,
        b,
    }
}

/// An object only one side has, with its compared fields.
fn whole(kind: Kind, name: &str, change: ChangeKind, flat: &Flat) -> Change {
    let (a, b) = match change {
        ChangeKind::Removed => (flat.object(), Value::Null),
        _ => (Value::Null, flat.object()),
    };
    Change {
        kind,
        name: name.to_owned(),
        change,
        field: None,
        a,
        b,
    }
}
