//! The migration report: per backend, what moved, what did not and how to carry it, and each
//! renamed reference with its line. Nothing is dropped silently.

use std::collections::HashMap;
use std::fmt::Write;

use serde::Serialize;

use crate::migrate::curl;
use crate::migrate::rewrite::Renamed;
use crate::migrate::{Note, Plan};

#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub format: &'a str,
    pub backends: Vec<BackendReport<'a>>,
    pub healthchecks: Vec<ObjectReport<'a>>,
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

/// Gathers the report of a plan written in `format`, with the format's own notes and the
/// fields it leaves to the API.
pub fn build<'a>(
    plan: &'a Plan,
    format: &'a str,
    notes: &'a [Note],
    left_to_api: &'a [Note],
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
            BackendReport {
                name,
                vcl_name: &m.ident,
                api_vcl_name: &m.api_ident,
                in_director: m.in_director.as_deref(),
                moved,
                left_to_api,
                notes,
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
    Report {
        format,
        backends,
        healthchecks,
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
        let carried = self.backends.iter().map(|b| b.notes.len()).sum::<usize>()
            + self
                .healthchecks
                .iter()
                .map(|h| h.notes.len())
                .sum::<usize>();
        let _ = writeln!(
            out,
            "{} backend{}, {} healthcheck{} for {}; {carried} thing{} not carried as is (see above)",
            self.backends.len(),
            if self.backends.len() == 1 { "" } else { "s" },
            self.healthchecks.len(),
            if self.healthchecks.len() == 1 {
                ""
            } else {
                "s"
            },
            self.format,
            if carried == 1 { "" } else { "s" },
        );
        // Names and values from the input, shown escaped (docs/design.md §10).
        match crate::controls::for_terminal(&out) {
            std::borrow::Cow::Borrowed(_) => out,
            std::borrow::Cow::Owned(escaped) => escaped,
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
    for n in notes {
        let _ = writeln!(out, "  not carried: `{}`: {}", n.field, n.message);
        if let Some(how) = &n.how {
            for (i, line) in how.lines().enumerate() {
                let _ = writeln!(out, "    {}{line}", if i == 0 { "how: " } else { "     " });
            }
        }
    }
}
