//! The VCL routing of the backends that move (docs/design.md §6.8): each statement that
//! selects one (`set req.backend = X;` under an `if`, `fastly.try_select_shield(DIRECTOR, X)`,
//! an unconditional `set req.backend = X;`) is reported at that backend with its API
//! equivalent. It is not converted: the routing stays in VCL, where it keeps working because
//! the API generates the same `F_` identifier, and converting it too would route twice.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Label};
use crate::migrate::{Note, Plan};
use crate::references::References;
use crate::references::routing::{Routing, Selection, Selects};
use crate::span::Span;

/// The code of the info said at each conditional or shield selection.
pub const CODE: &str = "migrate::vcl-routing";

/// The most conditions a statement is composed of: past them the report points at the line.
const MAX_CONDITIONS: usize = 8;

/// The longest statement or condition repeated in the report: each selection's text is
/// bounded, so many selections under one long condition cost no more than their number.
const MAX_TEXT: usize = 1024;

/// Reports the routing of every backend of `plan` that moves; `declarations` are the
/// backend declarations, which the scan skips.
pub(crate) fn report(src: &str, declarations: Vec<Span>, plan: &mut Plan) {
    if plan.moved.is_empty() {
        return;
    }
    let (_, routing) = References::scan_routing(src, declarations);
    if routing.selections.is_empty() {
        return;
    }
    // Declared backends only: an anonymous one has no name in VCL to be selected by.
    let moved: HashMap<&str, usize> = plan
        .moved
        .iter()
        .enumerate()
        .filter(|(_, m)| m.in_director.is_none())
        .map(|(i, m)| (m.ident.as_str(), i))
        .collect();
    let pops: HashMap<&str, &str> = plan
        .stayed_directors
        .iter()
        .filter_map(|d| Some((d.name.as_str(), d.shield.as_deref()?)))
        .collect();
    let starts = crate::source::line_starts(src);
    let reporter = Reporter {
        src,
        plan,
        routing: &routing,
        pops: &pops,
        line: &|offset| crate::source::line_of(&starts, offset) + 1,
    };
    // Per backend, its first unconditional selection and how many more there are.
    let mut defaults: Vec<(usize, &Selection<'_>, &str, usize)> = Vec::new();
    let mut default_of: HashMap<usize, usize> = HashMap::new();
    let mut notes = Vec::new();
    let mut diagnostics = Vec::new();
    for selection in &routing.selections {
        let Some(&index) = moved.get(selection.backend) else {
            continue;
        };
        match (selection.selects, selection.guard) {
            (Selects::Assigned { variable }, None) => match default_of.get(&index) {
                Some(&d) => defaults[d].3 += 1,
                None => {
                    default_of.insert(index, defaults.len());
                    defaults.push((index, selection, variable, 0));
                }
            },
            (Selects::Assigned { variable }, Some(guard)) => {
                let (note, diagnostic) = reporter.conditional(index, selection, variable, guard);
                notes.push(note);
                diagnostics.push(diagnostic);
            }
            (Selects::Shield { director }, _) => {
                let (note, diagnostic) = reporter.shield(index, selection, director);
                notes.push(note);
                diagnostics.push(diagnostic);
            }
        }
    }
    let defaults: Vec<Note> = defaults
        .into_iter()
        .map(|(index, selection, variable, more)| {
            reporter.default(index, selection, variable, more)
        })
        .collect();
    plan.routing.extend(defaults);
    plan.routing.extend(notes);
    plan.diagnostics.extend(diagnostics);
}

struct Reporter<'r, 'a> {
    src: &'a str,
    plan: &'r Plan,
    routing: &'r Routing<'a>,
    pops: &'r HashMap<&'r str, &'r str>,
    line: &'r dyn Fn(usize) -> usize,
}

impl Reporter<'_, '_> {
    fn note(&self, index: usize, field: &str, message: String, how: Option<String>) -> Note {
        Note {
            object: self.plan.backends[index].name.clone().unwrap_or_default(),
            kind: "backend",
            field: field.into(),
            message,
            how,
        }
    }

    /// `(line 12, sub `vcl_recv`)`.
    fn place(&self, selection: &Selection<'_>) -> String {
        let line = (self.line)(selection.span.start);
        match selection.sub {
            Some(sub) => format!("line {line}, sub `{sub}`"),
            None => format!("line {line}"),
        }
    }

    /// Why the routing keeps working once the backend is an API backend.
    fn keeps_working(&self, index: usize) -> String {
        let moved = &self.plan.moved[index];
        if moved.ident == moved.api_ident {
            format!(
                "it keeps working, as the API generates the same `{}`",
                moved.api_ident
            )
        } else {
            format!(
                "it keeps working once `--rewrite-vcl` renames `{}` to `{}`, the identifier the API generates",
                moved.ident, moved.api_ident
            )
        }
    }

    /// A backend selected under a condition: the API's equivalent is a request condition.
    fn conditional(
        &self,
        index: usize,
        selection: &Selection<'_>,
        variable: &str,
        guard: u32,
    ) -> (Note, Diagnostic) {
        let head = self
            .routing
            .guard(guard)
            .map(|g| shown(&self.src[g.head.start..g.head.end]))
            .unwrap_or_default();
        let guard_line = self
            .routing
            .guard(guard)
            .map_or(0, |g| (self.line)(g.head.start));
        let message = format!(
            "selected in VCL by `set {variable} = {};` ({}) under `{head}` (line {guard_line}): the routing stays in VCL; {}",
            selection.backend,
            self.place(selection),
            self.keeps_working(index)
        );
        let how = if in_recv(selection, variable) {
            match self.statement(guard) {
                Ok(statement) => format!(
                    "under the API this is a REQUEST condition with the statement `{statement}`, named as the backend's `request_condition`; make it only when this routing leaves the VCL, or both route"
                ),
                Err(why) => format!(
                    "under the API this is a REQUEST condition named as the backend's `request_condition`, with the conditions that lead to line {}: {why}",
                    (self.line)(selection.span.start)
                ),
            }
        } else {
            "the API's request conditions select a backend in `vcl_recv` only: this selection has no API form".into()
        };
        let diagnostic = Diagnostic::info(
            CODE,
            format!(
                "backend `{}` is selected in VCL under a condition: the routing stays in VCL",
                selection.backend
            ),
        )
        .with_label(Label::primary(selection.span, format!("selected under `{head}`")))
        .with_help("nothing is lost: the report gives the API's equivalent (a `request_condition`), to set only if this routing leaves the VCL");
        (
            self.note(index, "request_condition", message, Some(how)),
            diagnostic,
        )
    }

    /// A backend shielded through a shield director: the API's equivalent is its `shield`.
    fn shield(
        &self,
        index: usize,
        selection: &Selection<'_>,
        director: Option<(&str, Span)>,
    ) -> (Note, Diagnostic) {
        let place = self.place(selection);
        let pop = director.and_then(|(name, _)| match self.pops.get(name) {
            Some(pop) => Some(((*pop).to_string(), "")),
            // Current dumps use `ssl_shield_<pop>` without declaring it (§5.2).
            None => name
                .strip_prefix("ssl_shield_")
                .filter(|pop| !pop.is_empty())
                .map(|pop| (pop.replace('_', "-"), ", read from its name")),
        });
        let through = match (director, &pop) {
            (Some((name, _)), Some((pop, from))) => format!("`{name}` (POP `{pop}`{from})"),
            (Some((name, _)), None) => format!("`{name}`"),
            (None, _) => "a director given by an expression".into(),
        };
        let message = format!(
            "shielded in VCL through {through} by `fastly.try_select_shield` ({place}): the shielding and the shield director stay in VCL; {}",
            self.keeps_working(index)
        );
        let how = match (director, &pop) {
            (Some((name, _)), Some((pop, _))) => format!(
                "the API's equivalent is `shield: {pop}` on this backend; set it only when this shielding and `director {name}` leave the VCL: the generator then declares that director itself"
            ),
            _ => "the API's `shield` is the POP code of the shield director's `.shield`, which this file does not give".into(),
        };
        let diagnostic = Diagnostic::info(
            CODE,
            format!(
                "backend `{}` is shielded in VCL: the shielding stays in VCL",
                selection.backend
            ),
        )
        .with_label(Label::primary(selection.span, format!("shielded through {through}")))
        .with_help("nothing is lost: the report gives the API's equivalent (`shield`), to set only if this shielding leaves the VCL");
        (self.note(index, "shield", message, Some(how)), diagnostic)
    }

    /// A backend selected without a condition: in `vcl_recv`, the default backend.
    fn default(
        &self,
        index: usize,
        selection: &Selection<'_>,
        variable: &str,
        more: usize,
    ) -> Note {
        let more = match more {
            0 => String::new(),
            1 => " (and 1 more such statement)".into(),
            n => format!(" (and {n} more such statements)"),
        };
        let statement = format!(
            "`set {variable} = {};` ({}){more}",
            selection.backend,
            self.place(selection)
        );
        if !in_recv(selection, variable) {
            return self.note(
                index,
                "request_condition",
                format!("selected in VCL without a condition by {statement}: it stays in VCL"),
                Some("the API's routing selects a backend in `vcl_recv` only: this selection has no API form".into()),
            );
        }
        let how = if index == 0 {
            "under the API the default backend is the first backend without a `request_condition`, as this one is in the output".to_string()
        } else {
            let first = self.plan.backends[0].name.as_deref().unwrap_or("");
            format!(
                "under the API the default backend is the first backend without a `request_condition`, which in the output is `{first}`: if this routing leaves the VCL, put this backend first or give the ones before it their request conditions"
            )
        };
        self.note(
            index,
            "request_condition",
            format!(
                "selected in VCL without a condition by {statement}: the default backend, unless a later statement selects another; it stays in VCL"
            ),
            Some(how),
        )
    }

    /// The statement of a REQUEST condition true where `guard`'s block runs: its own
    /// condition, the negations of the branches before it, and the same of each block around
    /// it; or why there is none to give.
    fn statement(&self, guard: u32) -> Result<String, String> {
        let mut terms: Vec<(bool, Span)> = Vec::new();
        let mut at = Some(guard);
        while let Some(g) = at.and_then(|g| self.routing.guard(g)) {
            terms.extend(g.condition.map(|c| (false, c)));
            let mut before = g.previous;
            while let Some(p) = before.and_then(|p| self.routing.guard(p)) {
                terms.extend(p.condition.map(|c| (true, c)));
                before = p.previous;
                if terms.len() > MAX_CONDITIONS {
                    break;
                }
            }
            if terms.len() > MAX_CONDITIONS {
                return Err(format!("more than {MAX_CONDITIONS} conditions lead there"));
            }
            at = g.parent;
        }
        terms.reverse();
        let text = |s: Span| self.src[s.start..s.end].trim();
        let statement = match terms.as_slice() {
            [] => return Err("the conditions around it could not be read".into()),
            [(false, only)] => text(*only).to_string(),
            _ => terms
                .iter()
                .map(|&(negated, c)| format!("{}({})", if negated { "!" } else { "" }, text(c)))
                .collect::<Vec<_>>()
                .join(" && "),
        };
        if statement.len() > MAX_TEXT {
            return Err(format!(
                "the statement is too long to repeat here ({} bytes)",
                statement.len()
            ));
        }
        Ok(statement)
    }
}

/// Whether a selection is where the API's routing selects backends: `req.backend` in
/// `vcl_recv` (or outside any sub the scan knows).
fn in_recv(selection: &Selection<'_>, variable: &str) -> bool {
    matches!(variable, "req.backend" | "req.backend_hint")
        && selection.sub.is_none_or(|sub| sub == "vcl_recv")
}

/// A guard's head on one line (its white space runs made one space), cut to [`MAX_TEXT`].
fn shown(head: &str) -> String {
    let mut out = String::with_capacity(head.len().min(MAX_TEXT + 4));
    for word in head.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.len() > MAX_TEXT {
            let mut cut = MAX_TEXT;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push_str(" ...");
            break;
        }
    }
    out
}
