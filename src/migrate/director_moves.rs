//! Which directors move (docs/design.md §6.6): a `random`, `hash` or `client` director whose
//! every member is a backend that moves becomes an API director; any other stays in VCL, and
//! the plan says why. Anonymous members take their backend's new name, and their `.weight`
//! becomes that backend's `weight` (each is in one director only).

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lower::director::{api_type, check_values, generator_made, lower_director};
use crate::migrate::plan::{Note, Plan};
use crate::model::Director;
use crate::model::names::{api_name, vcl_ident};
use crate::span::Span;
use crate::syntax::Dialect;
use crate::syntax::director::{DirectorDecl, DirectorValue, parse_director};

/// A director that moves.
#[derive(Debug, Clone, PartialEq)]
pub struct MovedDirector {
    /// The identifier as declared in VCL.
    pub ident: String,
    /// The identifier Fastly will generate for it (`F_` + sanitised API name).
    pub api_ident: String,
    /// The declaration (removed by `--rewrite-vcl`).
    pub span: Span,
}

/// A director that stays in VCL, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StayedDirector {
    pub name: String,
    pub policy: String,
    pub why: String,
    #[serde(skip)]
    pub span: Span,
}

/// What the plan knows of the backends when the directors are considered.
pub(crate) struct Backends<'a> {
    /// Declared backends that stay in VCL (shield nodes, refused names).
    pub stayed: &'a HashSet<String>,
    /// Identifiers under the API already taken, with the VCL name and place of each.
    pub api_idents: &'a mut HashMap<String, (String, Span)>,
}

/// Why a director cannot move, and where to point at.
struct Stays {
    why: String,
    label: Span,
    /// The generator's own directors are summarised, not reported one by one.
    generated: bool,
}

/// Plans every director at `spans` (lowering's, in source order) into `plan`.
pub(crate) fn plan_directors(
    src: &str,
    dialect: Dialect,
    spans: &[Span],
    plan: &mut Plan,
    backends: Backends<'_>,
    strict: bool,
) {
    if spans.is_empty() {
        return;
    }
    // Lowering reported every problem of these already: a director with errors is skipped.
    let decls: Vec<DirectorDecl<'_>> = spans
        .iter()
        .filter_map(|&span| {
            let mut found = Vec::new();
            let decl = parse_director(src, span, dialect, &mut found)?;
            check_values(&decl, &mut found);
            (!found.iter().any(Diagnostic::is_error)).then_some(decl)
        })
        .collect();
    let directors: HashSet<&str> = decls.iter().map(|d| d.name).collect();
    // Declared backends that move, by VCL identifier; anonymous ones by their object's start.
    let mut by_ident: HashMap<String, usize> = HashMap::new();
    let mut by_object: HashMap<usize, usize> = HashMap::new();
    for (i, m) in plan.moved.iter().enumerate() {
        match m.in_director {
            Some(_) => by_object.insert(m.span.start, i),
            None => by_ident.insert(m.ident.clone(), i),
        };
    }
    for decl in &decls {
        carry_anonymous_weights(decl, &by_object, plan);
        let kind = api_type(decl.policy);
        let members = members(decl, &by_ident, &by_object, plan);
        let stays = match (kind, members) {
            _ if generator_made(decl.name) => Err(Stays {
                why: "Fastly's generator makes it from the backends' `shield` or `auto_loadbalance`: it stays in VCL as generated".into(),
                label: decl.name_span,
                generated: true,
            }),
            (None, _) => Err(Stays {
                why: format!(
                    "the `{}` policy has no API director (the API has random, hash and client)",
                    decl.policy
                ),
                label: decl.policy_span,
                generated: false,
            }),
            (Some(kind), Ok(members)) => Ok((kind, members)),
            (Some(_), Err(member)) => Err(member.stays(&directors, backends.stayed)),
        };
        match stays {
            Ok((kind, members)) => {
                let moving = Moving { decl, kind, strict };
                moving.apply(members, plan, backends.api_idents);
            }
            Err(stays) => stay(decl, stays, plan, strict),
        }
    }
}

/// A member that keeps its director in VCL.
enum Unmoved<'a> {
    Named(&'a str, Span),
    Anonymous(Span),
}

impl Unmoved<'_> {
    fn stays(&self, directors: &HashSet<&str>, stayed: &HashSet<String>) -> Stays {
        let (why, label) = match self {
            Unmoved::Named(name, span) if directors.contains(name) => (
                format!(
                    "member `{name}` is a director, and the API's director members are backends"
                ),
                *span,
            ),
            Unmoved::Named(name, span) if stayed.contains(*name) => (
                format!("member `{name}` is a backend that stays in VCL"),
                *span,
            ),
            Unmoved::Named(name, span) => (
                format!(
                    "member `{name}` is declared nowhere in this file, so no backend that moves is it"
                ),
                *span,
            ),
            Unmoved::Anonymous(span) => ("an anonymous member could not move".into(), *span),
        };
        Stays {
            why,
            label,
            generated: false,
        }
    }
}

/// The API names of the members, in order, each with its `.backend`'s value, or the first
/// member that does not move.
fn members<'a>(
    decl: &DirectorDecl<'a>,
    by_ident: &HashMap<String, usize>,
    by_object: &HashMap<usize, usize>,
    plan: &Plan,
) -> Result<Vec<(String, Span)>, Unmoved<'a>> {
    let name_of = |i: usize| plan.backends[i].name.clone().unwrap_or_default();
    let mut names = Vec::with_capacity(decl.members.len());
    for member in &decl.members {
        let Some(property) = member.properties.iter().find(|p| p.name == "backend") else {
            continue;
        };
        let index = match property.value {
            DirectorValue::Ident(ident) => by_ident
                .get(ident)
                .ok_or(Unmoved::Named(ident, property.value_span))?,
            _ => by_object
                .get(&property.value_span.start)
                .ok_or(Unmoved::Anonymous(property.value_span))?,
        };
        names.push((name_of(*index), property.value_span));
    }
    Ok(names)
}

/// The `.weight` of each anonymous member is its backend's `weight`.
fn carry_anonymous_weights(
    decl: &DirectorDecl<'_>,
    by_object: &HashMap<usize, usize>,
    plan: &mut Plan,
) {
    for member in &decl.members {
        let Some(property) = member.properties.iter().find(|p| p.name == "backend") else {
            continue;
        };
        let Some(&i) = by_object.get(&property.value_span.start) else {
            continue;
        };
        if let Some(DirectorValue::Integer(weight)) = member.get("weight") {
            plan.backends[i].weight = Some(*weight);
        }
    }
}

/// A director that moves, being written into the plan.
struct Moving<'d, 'a> {
    decl: &'d DirectorDecl<'a>,
    kind: i64,
    strict: bool,
}

impl Moving<'_, '_> {
    fn apply(
        &self,
        members: Vec<(String, Span)>,
        plan: &mut Plan,
        api_idents: &mut HashMap<String, (String, Span)>,
    ) {
        let decl = self.decl;
        let name = api_name(decl.name).to_owned();
        let api_ident = vcl_ident(&name);
        if let Some((first, first_span)) = api_idents.get(&api_ident) {
            plan.diagnostics.push(
                Diagnostic::error(
                    "migrate::name-collision",
                    format!(
                        "`{first}` and director `{}` would both be `{api_ident}` under the API",
                        decl.name
                    ),
                )
                .with_label(Label::primary(decl.name_span, format!("becomes `{api_ident}`")))
                .with_label(Label::secondary(*first_span, format!("`{first}` is `{api_ident}` already")))
                .with_help("rename one of them before migrating: the names Fastly generates must be unique"),
            );
            return;
        }
        api_idents.insert(api_ident.clone(), (decl.name.to_owned(), decl.name_span));
        let mut director: Director = lower_director(decl, self.kind);
        let mut seen = HashSet::new();
        let mut listed = Vec::with_capacity(members.len());
        for (member, span) in members {
            if seen.insert(member.clone()) {
                listed.push(member);
            } else {
                let message = format!(
                    "backend `{member}` is a member more than once: the API holds each membership once"
                );
                self.not_carried(plan, &name, "backends", message, span);
            }
        }
        director.backends = Some(listed);
        self.note_unmoved_properties(&name, plan);
        plan.directors.push(director);
        plan.moved_directors.push(MovedDirector {
            ident: decl.name.to_owned(),
            api_ident,
            span: decl.span,
        });
    }

    /// Properties an API director has no field for (chash's, shield's, a member's `.id`).
    fn note_unmoved_properties(&self, name: &str, plan: &mut Plan) {
        let decl = self.decl;
        let own = decl
            .properties
            .iter()
            .filter(|p| !matches!(p.name, "quorum" | "retries"));
        let of_members = decl
            .members
            .iter()
            .flat_map(|m| &m.properties)
            .filter(|p| !matches!(p.name, "backend" | "weight"));
        for p in own.chain(of_members) {
            let message = format!("`.{}` has no API form and is not carried across", p.name);
            self.not_carried(plan, name, p.name, message, p.name_span);
        }
    }

    /// A note of what is not carried, and with `--strict` an error at it.
    fn not_carried(&self, plan: &mut Plan, name: &str, field: &str, message: String, span: Span) {
        if self.strict {
            plan.diagnostics.push(
                Diagnostic::error(
                    "migrate::no-api-form",
                    format!("director `{}`: {message}", self.decl.name),
                )
                .with_label(Label::primary(span, "not carried to the API director"))
                .with_help("remove it from the director, or keep the director in VCL"),
            );
        }
        plan.notes.push(director_note(name, field, message));
    }
}

fn director_note(name: &str, field: &str, message: String) -> Note {
    Note {
        object: name.to_owned(),
        kind: "director",
        field: field.to_owned(),
        message,
        how: None,
    }
}

fn stay(decl: &DirectorDecl<'_>, stays: Stays, plan: &mut Plan, strict: bool) {
    if !stays.generated {
        plan.diagnostics.push(
            Diagnostic::new(
                if strict { Severity::Error } else { Severity::Warning },
                "migrate::director-stays",
                format!("director `{}` stays in VCL: {}", decl.name, stays.why),
            )
            .with_label(Label::primary(stays.label, "the API cannot hold this"))
            .with_help("it stays in the rewritten VCL, its members renamed to the identifiers Fastly generates for the backends that move; the API has random, hash and client directors of backends"),
        );
    }
    plan.stayed_directors.push(StayedDirector {
        name: decl.name.to_owned(),
        policy: decl.policy.to_owned(),
        why: stays.why,
        span: decl.span,
    });
}
