//! The VCL-only properties of [`super::from_lowering::API_INCOMPATIBLE`].

use crate::diagnostic::{Diagnostic, Label};
use crate::lint::context::{LintContext, property};
use crate::lint::rules::from_lowering::API_INCOMPATIBLE;

/// Properties with no API field at all.
const VCL_ONLY: &[&str] = &["is_shield", "bypass_local_route_table"];

pub fn check(cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for decl in cx.checked_backends() {
        for name in VCL_ONLY {
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
