//! What every rule sees: the file's syntax tree, whether the file is a Fastly-generated dump,
//! the backend references found in it, and lenient value readers.

use std::collections::{HashMap, HashSet};

use crate::ast::{BackendDecl, Item, ProbeDecl, Property, ValueKind};
use crate::lint::directors::Directors;
use crate::lower::values;
use crate::references::References;
use crate::source::SourceFile;
use crate::syntax::director::DirectorDecl;

pub struct LintContext<'a> {
    pub source: &'a SourceFile,
    /// The declarations to check: the whole file's, or (for a large file, read in batches to
    /// bound memory) one batch's. Rules report on these only.
    pub items: &'a [Item<'a>],
    /// The part of the file `items` cover: a rule that reports places outside declarations
    /// (references in subs) reports those in this range, so each is reported once.
    pub range: std::ops::Range<usize>,
    /// Every backend declared in the file, by name, with whether it has a health check (a
    /// probe that is sent, in any of its declarations).
    pub declared: &'a HashMap<&'a str, bool>,
    /// Every name referenced anywhere in the file.
    pub used: &'a HashSet<&'a str>,
    /// Fastly's own "Show VCL" output (see [`is_generated_dump`]).
    pub generated_dump: bool,
    /// Whether the file has a `sub`: a file without one is an include (backends only).
    pub has_subs: bool,
    /// The first backend the file declares: Fastly's default backend when the file has subs.
    pub default_backend: Option<&'a str>,
    /// Spans of the values that look like template placeholders, in file order.
    pub placeholders: &'a [crate::span::Span],
    pub references: &'a References<'a>,
    /// Backends that exist outside this file (the service's API backends, and what the files
    /// it includes declare).
    pub assumed_backends: &'a HashSet<String>,
    /// Whether the service's API backends were given, so that an `F_` name can be checked.
    pub service_known: bool,
    /// Whether the file includes files that were not read.
    pub unread_includes: bool,
    /// Names the configuration allows despite the reserved-name rule.
    pub allowed_names: &'a HashSet<String>,
    /// Every director of the file, and which names are in use.
    pub directors: &'a Directors<'a>,
}

/// Fastly's generated VCL carries markers hand-written files do not: a `#--FASTLY <NAME> BEGIN`
/// macro line, a `C!` or `W!` line, or a `pragma optional_param` line (the generator writes a
/// dozen, and Fastly documents none of them for custom VCL). Any one of them makes the file a
/// dump, so that a dump with some of them edited out still is one.
pub fn is_generated_dump(text: &str) -> bool {
    let bytes = text.as_bytes();
    let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    if has(b"#--FASTLY") || has(b"pragma optional_param") {
        return true;
    }
    // The words first (a SIMD search), the lines only when one is there at all.
    (has(b"C!") || has(b"W!")) && text.lines().any(|l| matches!(l.trim(), "C!" | "W!"))
}

/// Prefixes of the names Fastly's generator writes: API backends, shield nodes, shield
/// directors, the auto load-balancing director.
pub const GENERATOR_PREFIXES: &[&str] = crate::model::names::GENERATOR_PREFIXES;

/// How the rules' documentation says which declarations they leave to the generator.
#[doc(hidden)]
#[macro_export]
macro_rules! generated_exempt {
    () => {
        " Backends Fastly's generator made, and their probes, are exempt: in a Fastly-generated \"Show VCL\" dump (a file with a `#--FASTLY <NAME> BEGIN` line, a `C!` or `W!` line, or a `pragma optional_param` line), backends named `F_...`, `shield_...`, `ssl_shield_...` or `autodirector_...`, and backends with `.is_shield`, are the generator's, whatever the era of the dump."
    };
}

/// How the director rules' documentation says which directors they leave to the generator.
#[doc(hidden)]
#[macro_export]
macro_rules! generated_directors_exempt {
    () => {
        " Directors Fastly's generator made are exempt, and count as in use: in a Fastly-generated \"Show VCL\" dump (recognised as for backends), `autodirector_`, the shield directors `ssl_shield_<pop>`, and the API's directors (whose members are all the generator's backends: `F_...`, shield nodes)."
    };
}

impl<'a> LintContext<'a> {
    pub fn backends(&self) -> impl Iterator<Item = &'a BackendDecl<'a>> + 'a {
        self.items.iter().filter_map(|i| match i {
            Item::Backend(b) => Some(b),
            _ => None,
        })
    }

    pub fn named_probes(&self) -> impl Iterator<Item = &'a ProbeDecl<'a>> + 'a {
        self.items.iter().filter_map(|i| match i {
            Item::Probe(p) => Some(p),
            _ => None,
        })
    }

    /// The backends rules check: all but the ones Fastly's generator made.
    pub fn checked_backends(&self) -> impl Iterator<Item = &'a BackendDecl<'a>> + 'a {
        let dump = self.generated_dump;
        self.backends()
            .filter(move |d| !(dump && generator_made(d)))
    }

    /// The directors rules check: those that start in [`LintContext::range`] (each is
    /// checked once, whatever batch it is in), but the ones Fastly's generator made.
    pub fn checked_directors(&self) -> impl Iterator<Item = &'a DirectorDecl<'a>> + 'a {
        let directors = self.directors;
        let range = self.range.clone();
        directors
            .decls
            .iter()
            .filter(move |d| range.contains(&d.span.start) && !directors.generator_made(d))
    }

    /// Whether a backend or director is in use: named outside the directors, or by a
    /// director in use.
    pub fn in_use(&self, name: &str) -> bool {
        self.directors.is_live(name, self.used)
    }

    /// The probe's properties: inline, or a named Varnish probe.
    pub fn probe(&self, decl: &'a BackendDecl<'a>) -> Option<&'a [Property<'a>]> {
        let prop = property(decl, "probe")?;
        match &prop.value.kind {
            ValueKind::Object(props) => Some(props),
            ValueKind::Ident(name) => self
                .named_probes()
                .find(|p| p.name.text == *name)
                .map(|p| &p.properties[..]),
            _ => None,
        }
    }
}

/// Named as the generator names its backends, or a shield node (`.is_shield`).
fn generator_made(decl: &BackendDecl<'_>) -> bool {
    let name = decl.name.text;
    GENERATOR_PREFIXES.iter().any(|p| name.starts_with(p)) || property(decl, "is_shield").is_some()
}

/// The first property named `name` (duplicates are their own finding).
pub fn property<'p, 'a>(props: &'p impl HasProperties<'a>, name: &str) -> Option<&'p Property<'a>> {
    props.properties().iter().find(|p| p.name.text == name)
}

/// Declarations and probe bodies both hold properties.
pub trait HasProperties<'a> {
    fn properties(&self) -> &[Property<'a>];
}

impl<'a> HasProperties<'a> for BackendDecl<'a> {
    fn properties(&self) -> &[Property<'a>] {
        &self.properties
    }
}

impl<'a> HasProperties<'a> for [Property<'a>] {
    fn properties(&self) -> &[Property<'a>] {
        self
    }
}

impl<'a> HasProperties<'a> for &[Property<'a>] {
    fn properties(&self) -> &[Property<'a>] {
        self
    }
}

/// Lenient readers: `None` when the value is absent or malformed (lowering reports that).
pub fn boolean(prop: Option<&Property<'_>>) -> Option<bool> {
    prop.and_then(|p| values::boolean(p).ok())
}

pub fn text(prop: Option<&Property<'_>>) -> Option<String> {
    prop.and_then(|p| values::string(p).ok())
}

pub fn integer(prop: Option<&Property<'_>>) -> Option<i64> {
    prop.and_then(|p| values::count(p).ok())
}

/// A duration in milliseconds, fractions allowed (VCL allows them even where the API does not).
pub fn millis(prop: Option<&Property<'_>>) -> Option<f64> {
    let prop = prop?;
    let ValueKind::Rtime(rtime) = prop.value.kind else {
        return None;
    };
    let number: f64 = rtime.number.parse().ok()?;
    Some(number * rtime.unit.millis() as f64)
}

/// A port as written (`"443"`), when it is one.
pub fn port(prop: Option<&Property<'_>>) -> Option<i64> {
    prop.and_then(|p| values::port(p).ok())
}
