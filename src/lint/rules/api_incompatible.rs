//! The VCL-only properties of [`super::from_lowering::API_INCOMPATIBLE`].

use crate::diagnostic::{Diagnostic, Label};
use crate::lint::context::{LintContext, property};
use crate::lint::rules::from_lowering::API_INCOMPATIBLE;
use crate::model::properties::{BACKEND, Print};

/// Properties with no API field at all: the backend table's rows without one that generate
/// never writes either (`.dynamic` and `.always_use_host_header` it writes from the API
/// backend, so they move).
fn vcl_only() -> impl Iterator<Item = &'static str> {
    BACKEND
        .iter()
        .filter(|row| row.api.is_none())
        .filter_map(|row| row.vcl)
        .filter(|form| form.print == Print::No)
        .map(|form| form.name)
}

pub fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for decl in cx.checked_backends() {
        for name in vcl_only() {
            if let Some(prop) = property(decl, name) {
                out.push(
                    API_INCOMPATIBLE
                        .diagnostic(format!(
                            "backend `{}`: `.{name}` has no API form",
                            decl.name.text
                        ))
                        .with_label(Label::primary(prop.name.span, "VCL only")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule's documentation names every property the table makes VCL-only.
    #[test]
    fn the_documentation_names_every_vcl_only_property() {
        let names: Vec<_> = vcl_only().collect();
        assert!(!names.is_empty());
        for name in names {
            assert!(
                API_INCOMPATIBLE.what.contains(&format!("`.{name}`")),
                "{name}"
            );
        }
    }
}
