//! Healthchecks matched by what they check, never by name (docs/design.md §13.3): through the
//! backends that use them, and the others by a hash of the probe fields (`lower::keys`).

use std::collections::{HashMap, HashSet};

use crate::diff::flat::{self, Flat};
use crate::diff::{Change, ChangeKind, Kind, changed, whole};
use crate::lower::keys::{Keys, same_probe};
use crate::model::Healthcheck;
use crate::model::properties::{ApiDefault, HEALTHCHECK, HcValue};

/// One side's healthchecks, with the API's defaults filled in and ignored fields emptied.
struct SideProbes<'c> {
    names: Vec<&'c str>,
    normalised: Vec<Healthcheck>,
    hashes: Vec<u64>,
    by_name: HashMap<&'c str, usize>,
    by_content: HashMap<u64, Vec<usize>>,
}

/// What a backend's `healthcheck` names on one side.
#[derive(Clone, Copy)]
enum Use<'n> {
    None,
    Found(usize),
    /// A name no healthcheck of the side has: compared by name.
    Missing(&'n str),
}

impl<'c> SideProbes<'c> {
    fn new(healthchecks: &'c [Healthcheck], ignore: &[String], keys: &Keys) -> Self {
        let names: Vec<&str> = healthchecks
            .iter()
            .map(|h| h.name.as_deref().unwrap_or_default())
            .collect();
        let normalised: Vec<Healthcheck> =
            healthchecks.iter().map(|h| normalise(h, ignore)).collect();
        let hashes: Vec<u64> = normalised.iter().map(|h| keys.probe(h)).collect();
        let mut by_name = HashMap::with_capacity(names.len());
        let mut by_content: HashMap<u64, Vec<usize>> = HashMap::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            by_name.entry(*name).or_insert(i);
            by_content.entry(hashes[i]).or_default().push(i);
        }
        SideProbes {
            names,
            normalised,
            hashes,
            by_name,
            by_content,
        }
    }

    fn find<'n>(&self, name: Option<&'n str>) -> Use<'n> {
        match name {
            None => Use::None,
            Some(name) => self
                .by_name
                .get(name)
                .map_or(Use::Missing(name), |&i| Use::Found(i)),
        }
    }

    /// Whether this side has a healthcheck that checks what `hc` (of hash `hash`) checks.
    fn holds(&self, hc: &Healthcheck, hash: u64) -> bool {
        self.by_content
            .get(&hash)
            .is_some_and(|found| found.iter().any(|&i| same_probe(&self.normalised[i], hc)))
    }
}

/// Both sides' healthchecks, and the pairs the backends in both make of them.
pub struct Probes<'c> {
    a: SideProbes<'c>,
    b: SideProbes<'c>,
    pairs: Vec<(usize, usize)>,
    paired: HashSet<(usize, usize)>,
    paired_a: Vec<bool>,
    paired_b: Vec<bool>,
}

impl<'c> Probes<'c> {
    pub fn new(a: &'c [Healthcheck], b: &'c [Healthcheck], ignore: &[String]) -> Self {
        let keys = Keys::default();
        let (a, b) = (
            SideProbes::new(a, ignore, &keys),
            SideProbes::new(b, ignore, &keys),
        );
        let (paired_a, paired_b) = (vec![false; a.names.len()], vec![false; b.names.len()]);
        Probes {
            a,
            b,
            pairs: Vec::new(),
            paired: HashSet::new(),
            paired_a,
            paired_b,
        }
    }

    /// Whether two backends agree on having a healthcheck: what it checks is compared on the
    /// healthcheck itself ([`Probes::pair`]), and its name never (docs/design.md §13.3).
    pub fn same_use(&self, a: Option<&str>, b: Option<&str>) -> bool {
        match (self.a.find(a), self.b.find(b)) {
            (Use::None, Use::None) | (Use::Found(_), Use::Found(_)) => true,
            (Use::Missing(x), Use::Missing(y)) => x == y,
            _ => false,
        }
    }

    /// Notes that one backend uses `a` in A and `b` in B: the two are compared field by field.
    pub fn pair(&mut self, a: Option<&str>, b: Option<&str>) {
        if let (Use::Found(i), Use::Found(j)) = (self.a.find(a), self.b.find(b)) {
            self.paired_a[i] = true;
            self.paired_b[j] = true;
            if self.paired.insert((i, j)) {
                self.pairs.push((i, j));
            }
        }
    }

    /// The healthchecks' changes: each pair's fields, then those no backend in both uses and
    /// the other side checks nowhere.
    pub fn changes(&self, keep: &[bool], out: &mut Vec<Change>) {
        let (mut flat_a, mut flat_b) = (Flat::new(), Flat::new());
        for &(i, j) in &self.pairs {
            flat::healthcheck(&self.a.normalised[i], keep, &mut flat_a);
            flat::healthcheck(&self.b.normalised[j], keep, &mut flat_b);
            for f in 0..flat_a.len() {
                if !flat_a.same(&flat_b, f) {
                    let (va, vb) = (flat_a.value(f), flat_b.value(f));
                    out.push(changed(
                        Kind::Healthcheck,
                        self.a.names[i],
                        flat_a.key(f),
                        va,
                        vb,
                    ));
                }
            }
        }
        for (side, other, paired, change) in [
            (&self.a, &self.b, &self.paired_a, ChangeKind::Removed),
            (&self.b, &self.a, &self.paired_b, ChangeKind::Added),
        ] {
            for (i, hc) in side.normalised.iter().enumerate() {
                if !paired[i] && !other.holds(hc, side.hashes[i]) {
                    flat::healthcheck(hc, keep, &mut flat_a);
                    out.push(whole(Kind::Healthcheck, side.names[i], change, &flat_a));
                }
            }
        }
    }
}

/// `hc` as the API holds it: defaults where it leaves a probe field out, headers sorted (the
/// API returns them so), ignored probe fields emptied so that nothing tells them apart.
fn normalise(hc: &Healthcheck, ignore: &[String]) -> Healthcheck {
    let mut hc = hc.clone();
    for row in HEALTHCHECK {
        let Some(value) = row.probe else { continue };
        let ignored = ignore.iter().any(|f| f == row.api);
        match value {
            HcValue::Text(field) => {
                let slot = (field.set)(&mut hc);
                if ignored {
                    *slot = None;
                } else if let (None, ApiDefault::Text(text)) = (&slot, row.default) {
                    *slot = Some(text.to_owned());
                }
            }
            HcValue::Number(field) => {
                let slot = (field.set)(&mut hc);
                if ignored {
                    *slot = None;
                } else if let (None, ApiDefault::Integer(n)) = (&slot, row.default) {
                    *slot = Some(n);
                }
            }
            HcValue::List(field) => {
                let slot = (field.set)(&mut hc);
                if ignored {
                    *slot = None;
                } else if slot.as_ref().is_some_and(Vec::is_empty) {
                    // No headers is no headers, however a side writes it.
                    *slot = None;
                } else if let Some(items) = slot {
                    items.sort_unstable();
                }
            }
        }
    }
    hc
}
