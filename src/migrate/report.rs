//! The migration report: per backend, healthcheck and director, what moved, what did not and
//! how to carry it, and each renamed reference with its line; each director that stays in VCL
//! with the reason. Nothing is dropped silently.

use std::collections::HashMap;
use std::fmt::Write;

use serde::Serialize;

use crate::migrate::curl;
use crate::migrate::director_moves::StayedDirector;
use crate::migrate::rewrite::Renamed;
use crate::migrate::{Note, Plan};

#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub format: &'a str,
    pub backends: Vec<BackendReport<'a>>,
    pub healthchecks: Vec<ObjectReport<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub directors: Vec<DirectorReport<'a>>,
    /// The directors that stay in VCL, each with the reason.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub stayed_directors: &'a [StayedDirector],
    /// What the format says of itself (the Fastly CLI script's curl calls).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub remarks: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct DirectorReport<'a> {
    pub name: &'a str,
    pub vcl_name: &'a str,
    pub api_vcl_name: &'a str,
    /// The API fields set for it.
    pub moved: Vec<String>,
    /// Its members, by API name.
    pub backends: &'a [String],
    pub notes: Vec<&'a Note>,
    pub renamed_references: Vec<&'a Renamed>,
}

#[derive(Debug, Serialize)]
pub struct BackendReport<'a> {
    pub name: &'a str,
    pub vcl_name: &'a str,
    pub api_vcl_name: &'a str,
    /// For an anonymous backend, the director it was declared in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_director: Option<&'a str>,
    /// The API fields set for it.
    pub moved: Vec<&'a str>,
    /// Fields not sent because the API gives them the same value by itself.
    pub left_to_api: Vec<&'a Note>,
    pub notes: Vec<&'a Note>,
    /// The VCL routing that selects it, which stays in VCL (docs/design.md §6.8).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub routing: Vec<&'a Note>,
    pub renamed_references: Vec<&'a Renamed>,
}

#[derive(Debug, Serialize)]
pub struct ObjectReport<'a> {
    pub name: &'a str,
    pub moved: Vec<&'a str>,
    /// Values chosen where the VCL names none (moved, with the reason for the value).
    pub chosen: Vec<&'a Note>,
    pub notes: Vec<&'a Note>,
}

/// Gathers the report of a plan written in `format`, with the format's own notes, the
/// fields it leaves to the API and its remarks.
pub fn build<'a>(
    plan: &'a Plan,
    format: &'a str,
    notes: &'a [Note],
    left_to_api: &'a [Note],
    remarks: &'a [String],
    renamed: &'a [Renamed],
) -> Report<'a> {
    // Indexed once: a service may have many thousands of backends, each with notes.
    let index = |list: &mut dyn Iterator<Item = &'a Note>| {
        let mut by_object: HashMap<(&'a str, &'a str), Vec<&'a Note>> = HashMap::new();
        for n in list {
            by_object
                .entry((n.kind, n.object.as_str()))
                .or_default()
                .push(n);
        }
        by_object
    };
    let mut by_object = index(&mut plan.notes.iter().chain(notes));
    let mut defaults = index(&mut left_to_api.iter());
    let mut chosen = index(&mut plan.chosen.iter());
    let mut routing = index(&mut plan.routing.iter());
    let mut renames: HashMap<&str, Vec<&'a Renamed>> = HashMap::new();
    for r in renamed {
        renames.entry(r.from.as_str()).or_default().push(r);
    }
    // The set fields (as the curl format sends them) that no note says were left behind or
    // left to the API.
    // An empty table is not asked: a lookup hashes the key even then.
    let take = |table: &mut HashMap<(&'a str, &'a str), Vec<&'a Note>>, key| {
        if table.is_empty() {
            Vec::new()
        } else {
            table.remove(&key).unwrap_or_default()
        }
    };
    let mut object = |kind: &'static str, name: &'a str, mut fields: Vec<&'a str>| {
        let notes = take(&mut by_object, (kind, name));
        let defaults = take(&mut defaults, (kind, name));
        fields.retain(|field| !notes.iter().chain(&defaults).any(|n| n.field == *field));
        (fields, notes, defaults)
    };
    let backends = plan
        .backends
        .iter()
        .zip(&plan.moved)
        .map(|(b, m)| {
            let name = b.name.as_deref().unwrap_or("");
            let (moved, notes, left_to_api) = object("backend", name, curl::field_names(b));
            let routing = take(&mut routing, ("backend", name));
            BackendReport {
                name,
                vcl_name: &m.ident,
                api_vcl_name: &m.api_ident,
                in_director: m.in_director.as_deref(),
                moved,
                left_to_api,
                notes,
                routing,
                renamed_references: renames.remove(m.ident.as_str()).unwrap_or_default(),
            }
        })
        .collect();
    let healthchecks = plan
        .healthchecks
        .iter()
        .map(|h| {
            let name = h.name.as_deref().unwrap_or("");
            let (moved, notes, _) = object("healthcheck", name, curl::field_names(h));
            let chosen = if chosen.is_empty() {
                Vec::new()
            } else {
                chosen.remove(&("healthcheck", name)).unwrap_or_default()
            };
            ObjectReport {
                name,
                moved,
                chosen,
                notes,
            }
        })
        .collect();
    let directors = plan
        .directors
        .iter()
        .zip(&plan.moved_directors)
        .map(|(d, m)| {
            let name = d.name.as_deref().unwrap_or("");
            DirectorReport {
                name,
                vcl_name: &m.ident,
                api_vcl_name: &m.api_ident,
                moved: director_fields(d),
                backends: d.backends.as_deref().unwrap_or_default(),
                notes: take(&mut by_object, ("director", name)),
                renamed_references: renames.remove(m.ident.as_str()).unwrap_or_default(),
            }
        })
        .collect();
    Report {
        format,
        backends,
        healthchecks,
        directors,
        stayed_directors: &plan.stayed_directors,
        remarks,
    }
}

/// The fields of a director that are set, as the API gets them.
fn director_fields(director: &crate::model::Director) -> Vec<String> {
    match serde_json::to_value(director) {
        Ok(serde_json::Value::Object(fields)) => fields
            .into_iter()
            .filter(|(k, v)| !v.is_null() && !crate::model::properties::is_metadata(k))
            .map(|(k, _)| k)
            .collect(),
        _ => Vec::new(),
    }
}

impl Report<'_> {
    /// The report as text for a terminal: control and bidirectional characters escaped.
    pub fn human(&self) -> String {
        // About what each object takes (a large report grown by doubling would copy itself
        // into fresh memory again and again; room not written is never touched).
        let objects = self.backends.len() + self.healthchecks.len();
        let mut out = String::with_capacity(objects.saturating_mul(256).saturating_add(256));
        for b in &self.backends {
            let _ = write!(out, "backend `{}`", b.name);
            if let Some(director) = b.in_director {
                let _ = write!(
                    out,
                    " (an anonymous backend of director `{director}`: `{}` in VCL)",
                    b.api_vcl_name
                );
            } else if b.vcl_name != b.api_vcl_name {
                let _ = write!(
                    out,
                    " (`{}` in VCL becomes `{}`)",
                    b.vcl_name, b.api_vcl_name
                );
            }
            out.push_str("\n  moved: ");
            push_list(&mut out, &b.moved);
            out.push('\n');
            for n in &b.left_to_api {
                let _ = writeln!(out, "  left to the API: `{}`: {}", n.field, n.message);
            }
            write_notes(&mut out, &b.notes);
            write_list(&mut out, "routing stays in VCL", &b.routing);
            for r in &b.renamed_references {
                let _ = writeln!(
                    out,
                    "  renamed: line {}: `{}` -> `{}`",
                    r.line, r.from, r.to
                );
            }
        }
        for h in &self.healthchecks {
            let _ = write!(out, "healthcheck `{}`\n  moved: ", h.name);
            push_list(&mut out, &h.moved);
            out.push('\n');
            for n in &h.chosen {
                let _ = writeln!(out, "  chosen: `{}`: {}", n.field, n.message);
            }
            write_notes(&mut out, &h.notes);
        }
        self.write_directors(&mut out);
        for remark in self.remarks {
            let _ = writeln!(out, "note: {remark}");
        }
        let carried = self.backends.iter().map(|b| b.notes.len()).sum::<usize>()
            + self
                .healthchecks
                .iter()
                .map(|h| h.notes.len())
                .sum::<usize>()
            + self.directors.iter().map(|d| d.notes.len()).sum::<usize>()
            + self.stayed_directors.len();
        let directors = if self.directors.is_empty() && self.stayed_directors.is_empty() {
            String::new()
        } else {
            format!(
                ", {} ({} left in VCL)",
                count(self.directors.len(), "director"),
                self.stayed_directors.len()
            )
        };
        let routing = self.backends.iter().map(|b| b.routing.len()).sum::<usize>();
        let routing = if routing == 0 {
            String::new()
        } else {
            format!("; {} in VCL (see above)", count(routing, "routing note"))
        };
        let _ = writeln!(
            out,
            "{}, {}{directors} for {}; {} not carried as is (see above){routing}",
            count(self.backends.len(), "backend"),
            count(self.healthchecks.len(), "healthcheck"),
            self.format,
            count(carried, "thing"),
        );
        // Names and values from the input, shown escaped (docs/design.md §10).
        match crate::controls::for_terminal(&out) {
            std::borrow::Cow::Borrowed(_) => out,
            std::borrow::Cow::Owned(escaped) => escaped,
        }
    }
}

/// `1 backend`, `2 backends`.
fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

impl Report<'_> {
    /// The directors that move, then those that stay, each with the reason.
    fn write_directors(&self, out: &mut String) {
        for d in &self.directors {
            let _ = write!(out, "director `{}`", d.name);
            if d.vcl_name != d.api_vcl_name {
                let _ = write!(
                    out,
                    " (`{}` in VCL becomes `{}`)",
                    d.vcl_name, d.api_vcl_name
                );
            }
            out.push_str("\n  moved: ");
            let moved: Vec<&str> = d.moved.iter().map(String::as_str).collect();
            push_list(out, &moved);
            out.push_str("\n  members: ");
            let members: Vec<&str> = d.backends.iter().map(String::as_str).collect();
            push_list(out, &members);
            out.push('\n');
            write_notes(out, &d.notes);
            for r in &d.renamed_references {
                let _ = writeln!(
                    out,
                    "  renamed: line {}: `{}` -> `{}`",
                    r.line, r.from, r.to
                );
            }
        }
        for s in self.stayed_directors {
            let _ = writeln!(
                out,
                "director `{}` ({}) stays in VCL: {}",
                s.name, s.policy, s.why
            );
        }
    }
}

/// `a, b, c`, written in place.
fn push_list(out: &mut String, items: &[&str]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item);
    }
}

fn write_notes(out: &mut String, notes: &[&Note]) {
    write_list(out, "not carried", notes);
}

/// Each note as `  WHAT: `field`: message`, then its `how` on lines of its own.
fn write_list(out: &mut String, what: &str, notes: &[&Note]) {
    for n in notes {
        let _ = writeln!(out, "  {what}: `{}`: {}", n.field, n.message);
        if let Some(how) = &n.how {
            for (i, line) in how.lines().enumerate() {
                let _ = writeln!(out, "    {}{line}", if i == 0 { "how: " } else { "     " });
            }
        }
    }
}
