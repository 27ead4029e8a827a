//! Template placeholders in values (`${host}`, `{{ host }}`, `__HOST__`, `YOUR_SERVICE_ID`):
//! a file that was never filled in. They are carried literally (they are valid strings) and
//! each value holding one is reported once, located.

use crate::ast::{Item, Property, ValueKind};
use crate::diagnostic::{Diagnostic, Label};
use crate::migrate::Plan;
use crate::model::fields::{FieldVisitor, Fields};
use crate::span::Span;

pub use crate::placeholder::find;

/// One warning per value holding a placeholder, among the values of the moved backends and
/// their healthchecks, located in `src`.
pub fn check(src: &str, plan: &Plan) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // Healthchecks with one (rare): the backends whose probe it was are read again too.
    let probes: std::collections::HashSet<&str> = plan
        .healthchecks
        .iter()
        .filter(|h| {
            let mut any = Any(false);
            h.visit_fields(&mut any);
            any.0
        })
        .filter_map(|h| h.name.as_deref())
        .collect();
    for (backend, moved) in plan.backends.iter().zip(&plan.moved) {
        let mut any = Any(false);
        backend.visit_fields(&mut any);
        let probe = backend
            .healthcheck
            .as_deref()
            .is_some_and(|h| probes.contains(h));
        if any.0 || probe {
            locate(src, moved.span, &moved.ident, probe, &mut found);
        }
    }
    found
}

/// Finds whether any string value holds a placeholder.
struct Any(bool);

impl FieldVisitor for Any {
    fn string(&mut self, key: &'static str, value: &Option<String>) {
        // Names are identifiers from the VCL, never template values.
        if key != "name" && key != "healthcheck" {
            self.0 |= value.as_deref().and_then(find).is_some();
        }
    }
    fn integer(&mut self, _: &'static str, _: Option<i64>) {}
    fn boolean(&mut self, _: &'static str, _: Option<bool>) {}
    fn strings(&mut self, _: &'static str, value: &Option<Vec<String>>) {
        self.0 |= value.iter().flatten().any(|v| find(v).is_some());
    }
}

/// Reads the declaration at `span` again (or the `{ ... }` object of an anonymous backend)
/// and reports each string value with a placeholder, at the value.
fn locate(src: &str, span: Span, ident: &str, probe: bool, found: &mut Vec<Diagnostic>) {
    let text = &src[span.start..span.end];
    let (wrapped, shift) = if text.starts_with('{') {
        (format!("backend x {text}"), "backend x ".len())
    } else {
        (text.to_string(), 0)
    };
    let (items, _) = crate::syntax::parse(&wrapped);
    let place = |s: Span| Span::new(s.start - shift + span.start, s.end - shift + span.start);
    for item in &items {
        if let Item::Backend(b) = item {
            values(&b.properties, ident, probe, &place, found);
        }
    }
}

/// `probe`: the backend's healthcheck holds a placeholder (a named probe's is reported at
/// the `.probe = NAME;` that brings it in).
fn values(
    properties: &[Property<'_>],
    ident: &str,
    probe: bool,
    place: &dyn Fn(Span) -> Span,
    found: &mut Vec<Diagnostic>,
) {
    for prop in properties {
        match &prop.value.kind {
            ValueKind::String(s) => {
                let text: String = s
                    .parts()
                    .filter_map(|p| p.decode().ok())
                    .collect::<Vec<_>>()
                    .concat();
                if let Some(placeholder) = find(&text) {
                    found.push(
                        Diagnostic::warning(
                            "migrate::placeholder",
                            format!(
                                "backend `{ident}`: `.{}` holds the template placeholder `{placeholder}`, carried literally",
                                prop.name.text
                            ),
                        )
                        .with_label(Label::primary(place(prop.value.span), "a placeholder, carried as it is"))
                        .with_help("fill the template in before migrating (the API would get this text as the value)"),
                    );
                }
            }
            ValueKind::Object(inner) => values(inner, ident, probe, place, found),
            ValueKind::Ident(name) if probe && prop.name.text == "probe" => found.push(
                Diagnostic::warning(
                    "migrate::placeholder",
                    format!("backend `{ident}`: probe `{name}` holds a template placeholder, carried literally"),
                )
                .with_label(Label::primary(place(prop.value.span), "its healthcheck carries a placeholder as it is"))
                .with_help("fill the template in before migrating (the API would get this text as the value)"),
            ),
            _ => {}
        }
    }
}
