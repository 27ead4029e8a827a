//! generate's checks of directors (docs/design.md §4.7): the API's directors (names, types,
//! values, members that name a backend of the input, fields with no VCL form) and the
//! `autodirector_` the generator makes of the auto-load-balanced backends.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::Severity;
use crate::model::{Backend, Director, ObjectKind, director_defaults, none_if_empty};
use crate::suggest::Suggester;

use super::check::{Checker, target};
use super::director_print::{DirectorInput, Policy};

/// The identifier of the director the generator makes of the auto-load-balanced backends.
pub const AUTODIRECTOR: &str = "autodirector_";

/// A director checked: what its block needs.
pub(super) struct CheckedDirector {
    ident: String,
    policy: Policy,
    quorum: Option<i64>,
    retries: Option<i64>,
    /// Indices into the config's backends.
    members: Vec<usize>,
}

impl CheckedDirector {
    pub(super) fn input(&self) -> DirectorInput<'_> {
        DirectorInput {
            ident: &self.ident,
            policy: self.policy,
            quorum: self.quorum,
            retries: self.retries,
            members: &self.members,
        }
    }

    /// `autodirector_`: random, the members in input order, no quorum or retries (none is
    /// observed in the generator's).
    pub(super) fn autodirector(members: Vec<usize>) -> Self {
        CheckedDirector {
            ident: AUTODIRECTOR.to_owned(),
            policy: Policy::Random,
            quorum: None,
            retries: None,
            members,
        }
    }
}

/// Whether the generator puts `b` in `autodirector_`: `auto_loadbalance` on, and no
/// `request_condition`, which the API says overrides it.
pub fn auto_loadbalanced(b: &Backend) -> bool {
    b.auto_loadbalance == Some(true) && none_if_empty(&b.request_condition).is_none()
}

/// The names of every backend some director lists (empty without directors: nothing is
/// built for a document that has none).
pub(super) fn member_names(directors: &[Director]) -> HashSet<&str> {
    directors
        .iter()
        .flat_map(|d| d.backends.iter().flatten())
        .map(String::as_str)
        .collect()
}

/// The backends' identifiers, as `check_backend` collected them: identifier to index and name.
pub(super) type BackendIdents<'a> = HashMap<String, (usize, &'a str)>;

impl Checker {
    /// A weight the VCL prints (the backend is a member or auto-load-balanced) that no
    /// director can take.
    pub(super) fn check_member_weight(&mut self, index: usize, name: &str, b: &Backend) {
        if let Some(w) = b.weight.filter(|w| *w < 0) {
            self.push(
                Severity::Error,
                "generate::out-of-range",
                target(ObjectKind::Backend, index, Some("weight")),
                format!("backend `{name}` has a negative `weight` ({w}): a director member cannot weigh less than 0"),
                "negative",
                "a member's `.weight` is its share of the director's traffic: 0 or more",
            );
        }
    }

    /// Checks every director, in input order, and works out its block.
    pub(super) fn check_directors(
        &mut self,
        directors: &[Director],
        backends: &[Backend],
        backend_idents: &BackendIdents<'_>,
    ) -> Vec<CheckedDirector> {
        let mut idents: HashMap<String, (usize, &str)> = HashMap::with_capacity(directors.len());
        // Made at the first unknown member: most documents have none.
        let mut suggester = None;
        let mut checked = Vec::with_capacity(directors.len());
        for (index, d) in directors.iter().enumerate() {
            let Some(name) = none_if_empty(&d.name) else {
                self.push(
                    Severity::Error,
                    "generate::missing-field",
                    target(ObjectKind::Director, index, None),
                    "a director has no `name`".into(),
                    "this director has no name",
                    "every API director has a `name`; it becomes the VCL identifier `F_<name>`",
                );
                continue;
            };
            let ident = self.names.ident(name);
            self.renamed(ObjectKind::Director, index, name, &ident);
            self.check_director_ident(index, name, &ident, backend_idents, &mut idents);
            let policy = self.check_type(index, name, d);
            let members =
                self.check_members(index, name, d, backends, backend_idents, &mut suggester);
            self.check_director_values(index, name, d, policy);
            self.check_director_unplaced(index, name, d, policy);
            // A director without members is left out (warned about in `check_members`).
            let empty = d.backends.as_deref().unwrap_or_default().is_empty();
            if let Some(policy) = policy.filter(|_| !empty) {
                checked.push(CheckedDirector {
                    ident,
                    policy,
                    quorum: Some(d.quorum.unwrap_or(director_defaults::QUORUM)),
                    retries: policy
                        .takes_retries()
                        .then(|| d.retries.unwrap_or(director_defaults::RETRIES)),
                    members,
                });
            }
        }
        checked
    }

    /// Two directors, or a director and a backend, that become one identifier.
    fn check_director_ident<'d>(
        &mut self,
        index: usize,
        name: &'d str,
        ident: &str,
        backend_idents: &BackendIdents<'_>,
        idents: &mut HashMap<String, (usize, &'d str)>,
    ) {
        let first = match (backend_idents.get(ident), idents.get(ident)) {
            (Some(&(i, first)), _) => Some((ObjectKind::Backend, i, first)),
            (None, Some(&(i, first))) => Some((ObjectKind::Director, i, first)),
            (None, None) => None,
        };
        let Some((kind, first, first_name)) = first else {
            idents.insert(ident.to_owned(), (index, name));
            return;
        };
        self.push(
            Severity::Error,
            "generate::name-collision",
            target(ObjectKind::Director, index, Some("name")),
            format!(
                "{} `{first_name}` and director `{name}` both become `{ident}` in VCL",
                kind.word()
            ),
            &format!("becomes `{ident}`"),
            "names are sanitised (every character but ASCII letters and digits becomes `_`), and backends and directors share one namespace: rename one of them",
        );
        if let Some(f) = self.findings.last_mut() {
            f.related.push((
                target(kind, first, Some("name")),
                format!("`{first_name}` is `{ident}` already"),
            ));
        }
    }

    /// The director's policy; an absent `type` is the API's default, random.
    fn check_type(&mut self, index: usize, name: &str, d: &Director) -> Option<Policy> {
        let kind = d.kind.unwrap_or(crate::model::director_type::RANDOM);
        let policy = Policy::of_type(kind);
        if policy.is_none() {
            self.push(
                Severity::Error,
                "generate::unknown-director-type",
                target(ObjectKind::Director, index, Some("type")),
                format!("director `{name}` has type {kind}, which is no API director type"),
                "not 1, 3 or 4",
                "the API's director types are 1 (random), 3 (hash) and 4 (client)",
            );
        }
        policy
    }

    /// Every member names a backend of the input: the indices of the backends, in order.
    fn check_members<'b>(
        &mut self,
        index: usize,
        name: &str,
        d: &Director,
        backends: &'b [Backend],
        backend_idents: &BackendIdents<'_>,
        suggester: &mut Option<Suggester<'b>>,
    ) -> Vec<usize> {
        let listed = d.backends.as_deref().unwrap_or_default();
        if listed.is_empty() {
            // Fastly's compiler refuses a director without members (docs/design.md §2.23).
            self.push(
                Severity::Warning,
                "generate::empty-director",
                target(ObjectKind::Director, index, Some("backends")),
                format!("director `{name}` has no backends: it is left out"),
                "no member",
                "add its backends (the API's director-backend endpoint): Fastly's compiler refuses a director without members",
            );
        }
        let mut members = Vec::with_capacity(listed.len());
        let mut seen = HashSet::with_capacity(listed.len());
        for (position, member) in listed.iter().enumerate() {
            let found = backend_idents
                .get(&self.names.ident(member))
                .filter(|(_, backend)| *backend == member.as_str());
            if let Some(&(i, _)) = found {
                if seen.insert(i) {
                    members.push(i);
                } else {
                    self.duplicate_member(index, name, member, position);
                }
                continue;
            }
            let suggester = suggester.get_or_insert_with(|| {
                Suggester::new(backends.iter().filter_map(|b| none_if_empty(&b.name)))
            });
            let help = match suggester.suggest(member) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "members are API backend names: give the backends in the same document (`{\"backends\": [...], \"directors\": [...]}`)".to_string(),
            };
            self.push(
                Severity::Error,
                "generate::unknown-backend",
                target(
                    ObjectKind::Director,
                    index,
                    Some(&format!("backends[{position}]")),
                ),
                format!("director `{name}` lists backend `{member}`, which is not in the input"),
                "no such backend",
                &help,
            );
        }
        members
    }

    /// A backend listed twice is printed once: the API holds a member once, and parse reads
    /// one listed twice once (docs/design.md §2.24).
    fn duplicate_member(&mut self, index: usize, name: &str, member: &str, position: usize) {
        self.push(
            Severity::Warning,
            "generate::duplicate-member",
            target(
                ObjectKind::Director,
                index,
                Some(&format!("backends[{position}]")),
            ),
            format!("director `{name}` lists backend `{member}` twice: it is printed once"),
            "listed again here",
            "list each member once: the API's director-backend relation holds a backend once",
        );
    }

    /// Values VCL cannot hold: a quorum outside 0-100%, negative retries.
    fn check_director_values(
        &mut self,
        index: usize,
        name: &str,
        d: &Director,
        policy: Option<Policy>,
    ) {
        if let Some(q) = d.quorum.filter(|q| !(0..=100).contains(q)) {
            self.push(
                Severity::Error,
                "generate::out-of-range",
                target(ObjectKind::Director, index, Some("quorum")),
                format!("director `{name}` has a quorum of {q}%, not 0-100%"),
                "not a percentage",
                "`quorum` is the percentage of the members' weight that must be healthy",
            );
        }
        let printed = policy.is_some_and(Policy::takes_retries);
        if let Some(r) = d.retries.filter(|r| printed && *r < 0) {
            self.push(
                Severity::Error,
                "generate::out-of-range",
                target(ObjectKind::Director, index, Some("retries")),
                format!("director `{name}` has negative `retries` ({r})"),
                "negative",
                "`retries` is how many more members the director tries: 0 or more",
            );
        }
    }

    /// Fields that carry meaning but have no place in a director declaration, and unknown
    /// fields (read-only metadata is silent).
    fn check_director_unplaced(
        &mut self,
        index: usize,
        name: &str,
        d: &Director,
        policy: Option<Policy>,
    ) {
        let mut unplaced: Vec<(&str, String)> = Vec::new();
        if let Some(policy) = policy.filter(|p| !p.takes_retries())
            && d.retries.is_some_and(|r| r != director_defaults::RETRIES)
        {
            unplaced.push((
                "retries",
                format!("a {} director takes no `.retries`", policy.keyword()),
            ));
        }
        if d.capacity.is_some_and(|c| c != director_defaults::CAPACITY) {
            unplaced.push((
                "capacity",
                "the API documents `capacity` as unused".to_owned(),
            ));
        }
        if none_if_empty(&d.comment).is_some() {
            unplaced.push((
                "comment",
                "comments are not part of generated VCL".to_owned(),
            ));
        }
        if none_if_empty(&d.shield).is_some() {
            unplaced.push((
                "shield",
                "shielding is realised by vcl_recv code, not the declaration".to_owned(),
            ));
        }
        for (field, why) in unplaced {
            self.push(
                Severity::Warning,
                "generate::no-vcl-form",
                target(ObjectKind::Director, index, Some(field)),
                format!("director `{name}`: `{field}` has no place in a director declaration and is left out"),
                &why,
                "keep it in the API; `--strict` makes this an error",
            );
        }
        for (key, value) in &d.extra {
            if !value.is_null() && !crate::model::properties::is_metadata(key) {
                self.push(
                    Severity::Warning,
                    "generate::unknown-field",
                    target(ObjectKind::Director, index, Some(key)),
                    format!("director `{name}`: unknown field `{key}` is left out"),
                    "not a known director field",
                    "vcl-backend knows the Fastly API's director fields; this one has no VCL form here",
                );
            }
        }
    }
}
