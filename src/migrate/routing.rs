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
            "selected in VCL by `set {variable} = {};` ({}) under `{head}` (line {guard_line}); {}",
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
            no_api_form(selection, variable)
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
                format!("selected in VCL without a condition by {statement}"),
                Some(no_api_form(selection, variable)),
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
                "selected in VCL without a condition by {statement}: the default backend, unless a later statement selects another"
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
        // Measured before it is made: a long condition around many selections is not copied
        // for each of them.
        let joined = match terms.as_slice() {
            [(false, only)] => text(*only).len(),
            _ => terms
                .iter()
                .map(|&(negated, c)| text(c).len() + usize::from(negated) + 2 + 4)
                .sum::<usize>()
                .saturating_sub(4),
        };
        if joined > MAX_TEXT {
            return Err(format!(
                "the statement is too long to repeat here ({joined} bytes)"
            ));
        }
        let statement = match terms.as_slice() {
            [] => return Err("the conditions around it could not be read".into()),
            [(false, only)] => text(*only).to_string(),
            _ => terms
                .iter()
                .map(|&(negated, c)| format!("{}({})", if negated { "!" } else { "" }, text(c)))
                .collect::<Vec<_>>()
                .join(" && "),
        };
        Ok(statement)
    }
}

/// Whether a selection is where the API's routing selects backends: `req.backend` in
/// `vcl_recv` (or outside any sub the scan knows).
fn in_recv(selection: &Selection<'_>, variable: &str) -> bool {
    matches!(variable, "req.backend" | "req.backend_hint")
        && selection.sub.is_none_or(|sub| sub == "vcl_recv")
}

/// Why a selection outside `vcl_recv`'s `req.backend` has no API form.
fn no_api_form(selection: &Selection<'_>, variable: &str) -> String {
    let sub = selection.sub.unwrap_or("?");
    format!(
        "the API's routing sets `req.backend` in `vcl_recv`: a selection through `{variable}` in sub `{sub}` has no API form of its own"
    )
}

/// A guard's head on one line (its white space runs made one space), cut to [`MAX_TEXT`].
fn shown(head: &str) -> String {
    // Only what can be shown is read: the head may be long, and shown for many selections.
    let mut end = head.len().min(MAX_TEXT * 2);
    while !head.is_char_boundary(end) {
        end -= 1;
    }
    let cut_early = end < head.len();
    let head = &head[..end];
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
            return out;
        }
    }
    if cut_early {
        out.push_str(" ...");
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::migrate::plan;

    const BACKENDS: &str =
        "backend F_a { .host = \"a.example.com\"; }\nbackend F_b { .host = \"b.example.com\"; }\n";

    /// Each routing note of the plan of `BACKENDS` and `vcl`: object, field, message, how.
    fn notes(vcl: &str) -> Vec<(String, String, String, String)> {
        let p = plan(&format!("{BACKENDS}{vcl}"), false);
        p.routing
            .iter()
            .map(|n| {
                let how = n.how.clone().unwrap_or_default();
                (n.object.clone(), n.field.clone(), n.message.clone(), how)
            })
            .collect()
    }

    /// The statement the report gives for the only conditional note of `vcl`.
    fn statement(vcl: &str) -> String {
        let notes = notes(vcl);
        let conditional: Vec<_> = notes.iter().filter(|n| n.2.contains(" under `")).collect();
        assert_eq!(conditional.len(), 1, "{notes:#?}");
        let how = &conditional[0].3;
        let start = how.find("statement `").map(|i| i + "statement `".len());
        match start {
            Some(start) => how[start..how.rfind("`, named").unwrap()].to_string(),
            None => how.clone(),
        }
    }

    #[test]
    fn one_if_gives_its_condition_as_it_is() {
        let vcl =
            "sub vcl_recv {\n  if ( req.url ~ \"^/b\" ) {\n    set req.backend = F_b;\n  }\n}\n";
        assert_eq!(statement(vcl), "req.url ~ \"^/b\"");
        let notes = notes(vcl);
        assert_eq!(notes[0].0, "b");
        assert_eq!(notes[0].1, "request_condition");
        assert_eq!(
            notes[0].2,
            "selected in VCL by `set req.backend = F_b;` (line 5, sub `vcl_recv`) under `if ( req.url ~ \"^/b\" )` (line 4); it keeps working, as the API generates the same `F_b`"
        );
    }

    #[test]
    fn else_if_chains_negate_the_branches_before() {
        let vcl = "sub vcl_recv {\n  if (x) { set req.http.y = \"1\"; } else if (req.url ~ \"^/b\") {\n    set req.backend = F_b;\n  }\n}\n";
        assert_eq!(statement(vcl), "!(x) && (req.url ~ \"^/b\")");
        let vcl = "sub vcl_recv {\n  if (x) { } elsif (y) { } else {\n    set req.backend = F_b;\n  }\n}\n";
        assert_eq!(statement(vcl), "!(x) && !(y)");
    }

    #[test]
    fn nested_ifs_join_their_conditions() {
        let vcl = "sub vcl_recv {\n  if (x) {\n    if (y) { } else if (z) { set req.backend = F_b; }\n  }\n}\n";
        assert_eq!(statement(vcl), "(x) && !(y) && (z)");
    }

    #[test]
    fn too_many_conditions_or_too_long_a_statement_point_at_the_line() {
        let mut vcl = String::from("sub vcl_recv {\n");
        for i in 0..9 {
            vcl.push_str(&format!("if (c{i}) {{\n"));
        }
        vcl.push_str("set req.backend = F_b;\n");
        vcl.push_str(&"}\n".repeat(10));
        let how = statement(&vcl);
        assert!(
            how.contains("the conditions that lead to line 13: more than 8 conditions lead there"),
            "{how}"
        );
        let long = "x".repeat(2000);
        let vcl =
            format!("sub vcl_recv {{\n  if (req.http.{long}) {{ set req.backend = F_b; }}\n}}\n");
        let notes = notes(&vcl);
        assert!(
            notes[0]
                .3
                .contains("the statement is too long to repeat here (2009 bytes)"),
            "{notes:?}"
        );
        // The condition shown is cut too.
        assert!(notes[0].2.len() < 1300, "{}", notes[0].2.len());
    }

    #[test]
    fn the_default_is_said_once_with_its_place_among_the_backends() {
        let vcl = "sub vcl_recv {\n  set req.backend = F_b;\n  set req.backend = F_b;\n  set req.backend = F_b;\n}\n";
        let notes = notes(vcl);
        assert_eq!(notes.len(), 1, "{notes:#?}");
        assert_eq!(
            notes[0].2,
            "selected in VCL without a condition by `set req.backend = F_b;` (line 4, sub `vcl_recv`) (and 2 more such statements): the default backend, unless a later statement selects another"
        );
        assert!(
            notes[0].3.contains("which in the output is `a`"),
            "{}",
            notes[0].3
        );
        let notes = super::tests::notes("sub vcl_recv {\n  set req.backend = F_a;\n}\n");
        assert!(
            notes[0].3.ends_with("as this one is in the output"),
            "{}",
            notes[0].3
        );
    }

    #[test]
    fn outside_vcl_recv_there_is_no_api_form() {
        let vcl = "sub vcl_miss {\n  set bereq.backend = F_a;\n  if (x) { set bereq.backend = F_b; }\n}\nsub vcl_recv {\n  declare local var.b BACKEND;\n  set var.b = F_b;\n}\n";
        let hows: Vec<String> = notes(vcl).into_iter().map(|n| n.3).collect();
        // The unconditional ones (`F_a`'s, `var.b`'s) first, as every default is.
        assert_eq!(
            hows,
            [
                "the API's routing sets `req.backend` in `vcl_recv`: a selection through `bereq.backend` in sub `vcl_miss` has no API form of its own",
                "the API's routing sets `req.backend` in `vcl_recv`: a selection through `var.b` in sub `vcl_recv` has no API form of its own",
                "the API's routing sets `req.backend` in `vcl_recv`: a selection through `bereq.backend` in sub `vcl_miss` has no API form of its own",
            ]
        );
    }

    #[test]
    fn a_renamed_backend_keeps_working_once_rewritten() {
        let src = "backend origin { .host = \"a.example.com\"; }\nsub vcl_recv {\n  if (x) { set req.backend = origin; }\n}\n";
        let p = plan(src, false);
        assert!(
            p.routing[0]
                .message
                .ends_with("it keeps working once `--rewrite-vcl` renames `origin` to `F_origin`, the identifier the API generates"),
            "{}",
            p.routing[0].message
        );
    }

    #[test]
    fn shield_selection_names_the_pop() {
        let declared = "director ssl_shield_lhr_uk shield { .shield = \"london-uk\"; .is_ssl = true; }\nsub vcl_recv {\n  set req.backend = fastly.try_select_shield(ssl_shield_lhr_uk, F_a);\n}\n";
        let undeclared = "sub vcl_recv {\n  set req.backend = fastly.try_select_shield(ssl_shield_iad_va_us, F_a);\n}\n";
        let expression =
            "sub vcl_recv {\n  set req.backend = fastly.try_select_shield(std.pick(), F_a);\n}\n";
        let cases = [
            (
                declared,
                "`ssl_shield_lhr_uk` (POP `london-uk`)",
                "`shield: london-uk`",
            ),
            (
                undeclared,
                "`ssl_shield_iad_va_us` (POP `iad-va-us`, read from its name)",
                "`shield: iad-va-us`",
            ),
            (
                expression,
                "through a director given by an expression",
                "which this file does not give",
            ),
        ];
        for (vcl, message, how) in cases {
            let notes = notes(vcl);
            assert_eq!(notes.len(), 1, "{notes:#?}");
            assert_eq!(notes[0].1, "shield");
            assert!(notes[0].2.contains(message), "{}", notes[0].2);
            assert!(notes[0].3.contains(how), "{}", notes[0].3);
        }
        // One info per conditional or shield selection, at the backend's name.
        let p = plan(&format!("{BACKENDS}{undeclared}"), false);
        let infos: Vec<_> = p
            .diagnostics
            .iter()
            .filter(|d| d.code == super::CODE)
            .collect();
        assert_eq!(infos.len(), 1);
        assert_eq!(infos[0].severity, crate::diagnostic::Severity::Info);
    }

    #[test]
    fn what_does_not_move_has_no_routing_note() {
        // A shield node stays in VCL; a director's selection is the director's.
        let src = "backend F_s { .host = \"s.example.com\"; .is_shield = true; }\nbackend F_a { .host = \"a.example.com\"; }\ndirector pool random { { .backend = F_a; .weight = 1; } }\nsub vcl_recv {\n  if (x) { set req.backend = F_s; }\n  if (y) { set req.backend = pool; }\n}\n";
        let p = plan(src, false);
        assert!(p.routing.is_empty(), "{:#?}", p.routing);
    }

    #[test]
    fn many_selections_under_one_long_condition_cost_a_bounded_note_each() {
        let long = "x".repeat(100_000);
        let mut vcl = format!("sub vcl_recv {{\n  if (req.http.{long}) {{\n");
        for _ in 0..1000 {
            vcl.push_str("    set req.backend = F_b;\n");
        }
        vcl.push_str("  }\n}\n");
        let notes = notes(&vcl);
        assert_eq!(notes.len(), 1000);
        let total: usize = notes.iter().map(|n| n.2.len() + n.3.len()).sum();
        assert!(total < 1000 * 2000, "{total}");
    }
}
