//! generate's routing (docs/design.md §4.8): what Fastly's generator writes into `vcl_recv`
//! for API backends (the default backend, each request condition, `autodirector_`, shield
//! selection) and the shield directors it declares, checked before anything is written.

use std::collections::HashMap;

use crate::diagnostic::Severity;
use crate::model::{Backend, Condition, ObjectKind, none_if_empty};
use crate::suggest::Suggester;

use super::check::{Checker, target};
use super::directors::auto_loadbalanced;
use super::statement::check_statement;

/// The shield directors made so far, by POP and by identifier: a lookup each, however many.
type ShieldsSeen = (HashMap<String, usize>, HashMap<String, usize>);

/// A backend selected by its request condition.
pub(super) struct Routed {
    pub(super) backend: usize,
    pub(super) condition: usize,
    pub(super) priority: i64,
}

/// A shield director: its identifier and POP code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct ShieldDirector {
    pub(super) ident: String,
    pub(super) pop: String,
}

/// What the routing and the shield directors need, in the order they are printed.
#[derive(Default)]
pub(super) struct Routing {
    /// The first backend, in input order, without a request condition.
    pub(super) default: Option<usize>,
    /// Some backend is auto-load-balanced: `set req.backend = autodirector_;`.
    pub(super) autodirector: bool,
    /// By priority, lower first; ties in input order of the backends.
    pub(super) conditional: Vec<Routed>,
    /// Each shielded backend, in input order, with its shield director's index.
    pub(super) shields: Vec<(usize, usize)>,
    /// One per POP in use, by identifier.
    pub(super) shield_directors: Vec<ShieldDirector>,
}

impl Routing {
    pub(super) fn is_empty(&self) -> bool {
        self.default.is_none()
            && !self.autodirector
            && self.conditional.is_empty()
            && self.shields.is_empty()
    }
}

/// The shield director's identifier for a POP code: `ssl_shield_` and the code with every
/// character but ASCII letters and digits as `_` (`-` is the only one real codes hold).
pub fn shield_ident(pop: &str) -> String {
    let mut ident = String::from("ssl_shield_");
    ident.extend(
        pop.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
    );
    ident
}

impl Checker {
    /// Checks the conditions and the backends' routing fields, and works out the routing.
    pub(super) fn check_routing(
        &mut self,
        backends: &[Backend],
        conditions: &[Condition],
    ) -> Routing {
        let names = self.condition_names(conditions);
        let mut suggester = None;
        let mut routing = Routing::default();
        let mut checked_statements = vec![false; conditions.len()];
        let mut shields_seen = (HashMap::new(), HashMap::new());
        for (index, b) in backends.iter().enumerate() {
            let Some(name) = none_if_empty(&b.name) else {
                continue;
            };
            match none_if_empty(&b.request_condition) {
                None => {
                    routing.default.get_or_insert(index);
                }
                Some(wanted) => {
                    let found = self.find_condition(
                        index,
                        name,
                        wanted,
                        (conditions, &names, &mut suggester),
                    );
                    if let Some(c) = found {
                        if !std::mem::replace(&mut checked_statements[c], true) {
                            self.check_condition_statement(c, &conditions[c]);
                        }
                        let priority = conditions[c].priority().unwrap_or_default();
                        routing.conditional.push(Routed {
                            backend: index,
                            condition: c,
                            priority,
                        });
                    }
                }
            }
            routing.autodirector |= auto_loadbalanced(b);
            if let Some(pop) = none_if_empty(&b.shield) {
                let at = self.shield_director(
                    index,
                    name,
                    pop,
                    &mut routing.shield_directors,
                    &mut shields_seen,
                );
                routing.shields.push((index, at));
            }
        }
        routing.conditional.sort_by_key(|r| r.priority);
        // Printed by identifier: the shields' indices follow the sort.
        let mut order: Vec<usize> = (0..routing.shield_directors.len()).collect();
        order.sort_by(|&a, &b| routing.shield_directors[a].cmp(&routing.shield_directors[b]));
        let mut position = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            position[old] = new;
        }
        for (_, at) in &mut routing.shields {
            *at = position[*at];
        }
        routing.shield_directors.sort();
        routing
    }

    /// Names to indices; duplicates and missing names are errors; conditions of other
    /// types than REQUEST are noted as ignored, request conditions' names and priorities
    /// checked.
    fn condition_names<'c>(&mut self, conditions: &'c [Condition]) -> HashMap<&'c str, usize> {
        let mut names = HashMap::with_capacity(conditions.len());
        for (index, c) in conditions.iter().enumerate() {
            let at = |field: Option<&str>| target(ObjectKind::Condition, index, field);
            let Some(name) = none_if_empty(&c.name) else {
                self.push(
                    Severity::Error,
                    "generate::missing-field",
                    at(None),
                    "a condition has no `name`".into(),
                    "this condition has no name",
                    "backends name their request condition by its `name`",
                );
                continue;
            };
            // The first of two alike is the one backends find.
            if *names.entry(name).or_insert(index) != index {
                self.push(
                    Severity::Error,
                    "generate::duplicate-condition",
                    at(Some("name")),
                    format!("condition `{name}` is defined twice"),
                    "defined again here",
                    "condition names are unique in a service version",
                );
            }
            if !c.is_request() {
                let kind = c.kind.as_deref().unwrap_or("");
                self.push(
                    Severity::Info,
                    "generate::not-routing",
                    at(Some("type")),
                    format!("condition `{name}` is a {kind} condition, not backend routing: it is ignored"),
                    "not REQUEST",
                    "only request conditions select a backend; this one stays in the API with what uses it",
                );
                continue;
            }
            if name.chars().any(crate::controls::is_hidden) {
                self.push(
                    Severity::Error,
                    "generate::unrepresentable-string",
                    at(Some("name")),
                    format!(
                        "condition `{}` has a control or bidirectional character in its name",
                        name.escape_debug()
                    ),
                    "control or bidirectional character",
                    "the name is written in a VCL comment, which a line break would end",
                );
            }
            if let Err(text) = c.priority() {
                self.push(
                    Severity::Error,
                    "generate::invalid-priority",
                    at(Some("priority")),
                    format!("condition `{name}` has priority `{text}`, which is no integer"),
                    "not an integer",
                    "a priority orders the conditions, lower first: an integer (the API's default is 100)",
                );
            }
        }
        names
    }

    /// The condition a backend names; an unknown one is an error with "did you mean".
    fn find_condition<'c>(
        &mut self,
        index: usize,
        name: &str,
        wanted: &str,
        known: (
            &'c [Condition],
            &HashMap<&'c str, usize>,
            &mut Option<Suggester<'c>>,
        ),
    ) -> Option<usize> {
        let (conditions, names, suggester) = known;
        let at = target(ObjectKind::Backend, index, Some("request_condition"));
        let Some(&c) = names.get(wanted) else {
            let suggester = suggester.get_or_insert_with(|| Suggester::new(names.keys().copied()));
            let help = match suggester.suggest(wanted) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "give the conditions too: `--conditions FILE` or a `conditions` key beside `backends`".to_string(),
            };
            self.push(
                Severity::Error,
                "generate::unknown-condition",
                at,
                format!("backend `{name}` names condition `{wanted}`, which is not in the input"),
                "no such condition",
                &help,
            );
            return None;
        };
        if !conditions[c].is_request() {
            self.push(
                Severity::Error,
                "generate::not-a-request-condition",
                at,
                format!(
                    "backend `{name}` names condition `{wanted}`, a {} condition",
                    conditions[c].kind.as_deref().unwrap_or("")
                ),
                "not a request condition",
                "a backend's `request_condition` names a REQUEST condition",
            );
            return None;
        }
        Some(c)
    }

    /// A used condition's statement is one VCL expression (docs/design.md §4.8).
    fn check_condition_statement(&mut self, index: usize, c: &Condition) {
        let name = c.name.as_deref().unwrap_or("");
        let at = target(ObjectKind::Condition, index, Some("statement"));
        let Some(statement) = none_if_empty(&c.statement).filter(|s| !s.trim().is_empty()) else {
            self.push(
                Severity::Error,
                "generate::missing-field",
                at,
                format!("condition `{name}` has no `statement`"),
                "no statement",
                "the statement is the VCL expression that selects the backend",
            );
            return;
        };
        if let Err(why) = check_statement(statement) {
            self.push(
                Severity::Error,
                "generate::unsafe-statement",
                at,
                format!("condition `{name}`: the statement {why}"),
                "not one expression",
                "the statement is written inside `if( ... )`: it must be one VCL expression, as the API takes it",
            );
        }
    }

    /// The shield director of a POP, added once; its index.
    fn shield_director(
        &mut self,
        index: usize,
        name: &str,
        pop: &str,
        directors: &mut Vec<ShieldDirector>,
        seen: &mut ShieldsSeen,
    ) -> usize {
        let (by_pop, by_ident) = seen;
        if let Some(&at) = by_pop.get(pop) {
            return at;
        }
        let ident = shield_ident(pop);
        if pop.chars().any(crate::controls::is_hidden) {
            self.push(
                Severity::Error,
                "generate::unrepresentable-string",
                target(ObjectKind::Backend, index, Some("shield")),
                format!("backend `{name}` has a control or bidirectional character in `shield`"),
                "control or bidirectional character",
                "a shield is a POP code such as `iad-va-us`",
            );
        } else if let Some(other) = by_ident.get(&ident).map(|&i| &directors[i]) {
            self.push(
                Severity::Error,
                "generate::name-collision",
                target(ObjectKind::Backend, index, Some("shield")),
                format!(
                    "shields `{}` and `{pop}` both become `{ident}` in VCL",
                    other.pop
                ),
                &format!("becomes `{ident}`"),
                "a shield is a POP code such as `iad-va-us`",
            );
        }
        let at = directors.len();
        by_pop.insert(pop.to_owned(), at);
        by_ident.entry(ident.clone()).or_insert(at);
        directors.push(ShieldDirector {
            ident,
            pop: pop.to_owned(),
        });
        at
    }
}
