//! Which directors move (docs/design.md §6.6): a `random`, `hash` or `client` director whose
//! every member is a backend that moves becomes an API director; any other stays in VCL, and
//! the plan says why. Anonymous members take their backend's new name, and their `.weight`
//! becomes that backend's `weight` (each is in one director only).

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lower::director::{VclOnlyDirector, api_type, generator_made, lower_director};
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
    /// A `shield` director's POP (its `.shield`), which the routing report names (§6.8).
    #[serde(skip)]
    pub shield: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// What lowering made of the directors: the API ones, in source order, and those it keeps in
/// VCL. A director in neither had errors (reported by lowering).
pub(crate) struct Lowered<'a> {
    pub spans: &'a [Span],
    pub api: &'a [Director],
    pub vcl_only: &'a [VclOnlyDirector],
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
    /// The generator's own directors are said in the report only, as shield nodes are.
    generated: bool,
}

/// Plans every director lowering met into `plan`, as lowering classified it.
pub(crate) fn plan_directors(
    src: &str,
    dialect: Dialect,
    lowered: Lowered<'_>,
    plan: &mut Plan,
    backends: Backends<'_>,
    strict: bool,
) {
    if lowered.spans.is_empty() {
        return;
    }
    let kept: HashSet<usize> = lowered.vcl_only.iter().map(|d| d.span.start).collect();
    let mut api = lowered.api.iter().peekable();
    let mut decls = Vec::with_capacity(lowered.spans.len());
    for &span in lowered.spans {
        // Lowering reported every problem of these already.
        let Some(decl) = parse_director(src, span, dialect, &mut Vec::new()) else {
            continue;
        };
        let name = api_name(decl.name);
        let is_api = api.peek().is_some_and(|d| d.name.as_deref() == Some(name));
        if is_api {
            api.next();
        }
        // A director in neither list had errors: nothing is written.
        if is_api || kept.contains(&span.start) {
            decls.push((decl, is_api));
        }
    }
    let directors: HashSet<&str> = decls.iter().map(|(d, _)| d.name).collect();
    // Declared backends that move, by VCL identifier; anonymous ones by their object's start.
    let mut by_ident: HashMap<String, usize> = HashMap::new();
    let mut by_object: HashMap<usize, usize> = HashMap::new();
    for (i, m) in plan.moved.iter().enumerate() {
        match m.in_director {
            Some(_) => by_object.insert(m.span.start, i),
            None => by_ident.insert(m.ident.clone(), i),
        };
    }
    for (decl, is_api) in &decls {
        carry_anonymous_weights(decl, &by_object, plan);
        let members = members(decl, &by_ident, &by_object, plan);
        let stays = match (api_type(decl.policy), members) {
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
            (Some(kind), Ok(members)) if *is_api => Ok((kind, members)),
            (Some(_), Ok(_)) => Err(Stays {
                why: "it lists a director, and the API's director members are backends".into(),
                label: decl.name_span,
                generated: false,
            }),
            (Some(_), Err(member)) => Err(member.stays(&directors, backends.stayed)),
        };
        match stays {
            Ok((kind, members)) => {
                let moving = Moving { decl, kind };
                if moving.apply(members, plan, backends.api_idents) {
                    note_weights_not_carried(decl, &by_ident, plan);
                }
            }
            Err(stays) => stay(decl, stays, plan, strict),
        }
    }
}

/// A member weighted otherwise than its backend carries (lowering's `conflicting-weight`
/// says where): the report says so at the backend.
fn note_weights_not_carried(
    decl: &DirectorDecl<'_>,
    by_ident: &HashMap<String, usize>,
    plan: &mut Plan,
) {
    for member in &decl.members {
        let (Some(DirectorValue::Ident(ident)), Some(DirectorValue::Integer(weight))) =
            (member.get("backend"), member.get("weight"))
        else {
            continue;
        };
        let Some(&i) = by_ident.get(*ident) else {
            continue;
        };
        let backend = &plan.backends[i];
        let Some(carried) = backend.weight.filter(|w| w != weight) else {
            continue;
        };
        let note = Note {
            object: backend.name.clone().unwrap_or_default(),
            kind: "backend",
            field: ".weight".into(),
            message: format!(
                "director `{}` gives it `.weight = {weight}`, but the API keeps one weight per backend: {carried} is carried (the first director's to list it)",
                decl.name
            ),
            how: Some(
                "give the backend one weight in every director, or declare one backend per weight"
                    .into(),
            ),
        };
        plan.notes.push(note);
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

/// The API names of the members, in order, or the first member that does not move.
fn members<'a>(
    decl: &DirectorDecl<'a>,
    by_ident: &HashMap<String, usize>,
    by_object: &HashMap<usize, usize>,
    plan: &Plan,
) -> Result<Vec<String>, Unmoved<'a>> {
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
        names.push(name_of(*index));
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
}

impl Moving<'_, '_> {
    /// Writes the director into the plan; false when its name is taken under the API.
    fn apply(
        &self,
        members: Vec<String>,
        plan: &mut Plan,
        api_idents: &mut HashMap<String, (String, Span)>,
    ) -> bool {
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
            return false;
        }
        api_idents.insert(api_ident.clone(), (decl.name.to_owned(), decl.name_span));
        let mut director: Director = lower_director(decl, self.kind);
        // A member listed twice is listed once: lowering's `duplicate-member` says so.
        let mut seen = HashSet::new();
        let listed = members
            .into_iter()
            .filter(|m| seen.insert(m.clone()))
            .collect();
        director.backends = Some(listed);
        plan.directors.push(director);
        plan.moved_directors.push(MovedDirector {
            ident: decl.name.to_owned(),
            api_ident,
            span: decl.span,
        });
        true
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
        shield: match (decl.policy, decl.get("shield")) {
            ("shield", Some(DirectorValue::Str(pop))) => Some((*pop).to_owned()),
            _ => None,
        },
        span: decl.span,
    });
}
