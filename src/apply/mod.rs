//! Apply: what `generate` writes, put on a service in place of the API objects it replaces
//! (docs/design.md §4.11). The snippets are created in a clone of a version, then the
//! directors, backends and healthchecks they declare are deleted; conditions are kept. Nothing
//! is activated: each form ends by saying how to validate and activate the clone.
//!
//! [`fastly_cli`] and [`curl`] write bash scripts with the quoting rules of migrate's
//! (docs/design.md §10); [`terraform`] writes `snippet { }` blocks and names the blocks to
//! remove.

pub mod curl;
pub mod fastly_cli;
mod script;
pub mod terraform;

use std::collections::HashSet;

use crate::model::{Config, ObjectKind, none_if_empty};

/// What the snippets replace: the API objects to delete, by API name, in the order they can
/// be deleted (a director names backends, a backend names its healthcheck).
#[derive(Debug)]
pub struct Replacement<'a> {
    pub directors: Vec<&'a str>,
    pub backends: Vec<&'a str>,
    pub healthchecks: Vec<&'a str>,
    /// Healthchecks and directors of the input that stay on the service, and why.
    pub kept: Vec<Kept<'a>>,
    /// The input's conditions, all kept: other objects may use them.
    pub conditions: Vec<&'a str>,
}

/// An object of the input that is not deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept<'a> {
    pub kind: ObjectKind,
    pub name: &'a str,
    pub why: &'static str,
}

impl<'a> Replacement<'a> {
    /// What the snippets replace in `config`, a document `generate` wrote without errors:
    /// every backend; the healthchecks a backend names (printed as its probe); the directors
    /// with members (one without is not printed, docs/design.md §4.7).
    pub fn new(config: &'a Config) -> Self {
        let named: HashSet<&str> = config
            .backends
            .iter()
            .filter_map(|b| none_if_empty(&b.healthcheck))
            .collect();
        let mut out = Replacement {
            directors: Vec::new(),
            backends: config
                .backends
                .iter()
                .filter_map(|b| none_if_empty(&b.name))
                .collect(),
            healthchecks: Vec::new(),
            kept: Vec::new(),
            conditions: config
                .conditions
                .iter()
                .filter_map(|c| none_if_empty(&c.name))
                .collect(),
        };
        for hc in &config.healthchecks {
            let Some(name) = none_if_empty(&hc.name) else {
                continue;
            };
            if named.contains(name) {
                out.healthchecks.push(name);
            } else {
                out.kept.push(Kept {
                    kind: ObjectKind::Healthcheck,
                    name,
                    why: "no backend of the input uses it, so no probe declares it",
                });
            }
        }
        for director in &config.directors {
            let Some(name) = none_if_empty(&director.name) else {
                continue;
            };
            if director.backends.as_ref().is_some_and(|m| !m.is_empty()) {
                out.directors.push(name);
            } else {
                out.kept.push(Kept {
                    kind: ObjectKind::Director,
                    name,
                    why: "it has no members, so no declaration replaces it",
                });
            }
        }
        out
    }

    /// What stays, a line each (without a prefix): each healthcheck and director by name, the
    /// conditions in one line (a service may have thousands), the first three named.
    pub fn kept_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .kept
            .iter()
            .map(|k| format!("{} `{}`: {}", k.kind.word(), k.name, k.why))
            .collect();
        let n = self.conditions.len();
        if n > 0 {
            let mut named: Vec<String> = self
                .conditions
                .iter()
                .take(3)
                .map(|c| format!("`{c}`"))
                .collect();
            if n > 3 {
                named.push("...".to_string());
            }
            lines.push(format!(
                "{n} condition{} ({}): other objects (headers, cache settings) may use them",
                if n == 1 { "" } else { "s" },
                named.join(", ")
            ));
        }
        lines
    }

    /// `2 backends, 1 healthcheck and 1 director`: what is deleted.
    pub fn deleted_summary(&self) -> String {
        let parts: Vec<String> = [
            (self.directors.len(), "director"),
            (self.backends.len(), "backend"),
            (self.healthchecks.len(), "healthcheck"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{n} {word}{}", if n == 1 { "" } else { "s" }))
        .collect();
        match parts.split_last() {
            None => "nothing".to_string(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Backend, Condition, Director, Healthcheck};

    #[test]
    fn deletes_what_the_snippets_declare_and_keeps_the_rest() {
        let backend = |name: &str, hc: Option<&str>| Backend {
            name: Some(name.into()),
            healthcheck: hc.map(Into::into),
            ..Backend::default()
        };
        let config = Config {
            backends: vec![backend("a", Some("h")), backend("b", None)],
            healthchecks: vec![
                Healthcheck {
                    name: Some("h".into()),
                    ..Healthcheck::default()
                },
                Healthcheck {
                    name: Some("unused".into()),
                    ..Healthcheck::default()
                },
            ],
            directors: vec![
                Director {
                    name: Some("pool".into()),
                    backends: Some(vec!["a".into()]),
                    ..Director::default()
                },
                Director {
                    name: Some("empty".into()),
                    ..Director::default()
                },
            ],
            conditions: vec![Condition {
                name: Some("api".into()),
                ..Condition::default()
            }],
        };
        let r = Replacement::new(&config);
        assert_eq!(r.backends, ["a", "b"]);
        assert_eq!(r.healthchecks, ["h"]);
        assert_eq!(r.directors, ["pool"]);
        let kept: Vec<(ObjectKind, &str)> = r.kept.iter().map(|k| (k.kind, k.name)).collect();
        assert_eq!(
            kept,
            [
                (ObjectKind::Healthcheck, "unused"),
                (ObjectKind::Director, "empty"),
            ]
        );
        assert_eq!(r.conditions, ["api"]);
        assert_eq!(
            r.kept_lines()[2],
            "1 condition (`api`): other objects (headers, cache settings) may use them"
        );
        assert_eq!(
            r.deleted_summary(),
            "1 director, 2 backends and 1 healthcheck"
        );
    }
}
