//! The routing's text (docs/design.md §4.8): the shield directors' blocks and the `vcl_recv`
//! code, each line as Fastly's generator writes it, without the blank lines its template
//! leaves between them.

use std::fmt::Write;

use super::vcl_string::push_vcl_string;

/// Our "first pass" variable: Fastly's generated code declares `var.fastly_req_do_shield`
/// while the service still has shielded API backends, so ours has a name of its own.
pub const FIRST_PASS: &str = "var.vcl_backend_do_shield";

/// `director ssl_shield_<pop> shield { ... }`, as the generator writes it.
pub fn shield_director_block(out: &mut String, ident: &str, pop: &str) {
    let _ = writeln!(out, "director {ident} shield {{");
    out.push_str("   .shield = ");
    // Control characters (NUL among them) were refused by the checks.
    let _ = push_vcl_string(out, pop);
    out.push_str(";\n   .is_ssl = true;\n}\n");
}

/// One backend a request condition selects.
pub struct ConditionalInput<'a> {
    pub condition: &'a str,
    pub priority: i64,
    pub statement: &'a str,
    pub backend: String,
}

/// The routing, identifiers worked out.
pub struct RecvInput<'a> {
    pub default: Option<String>,
    pub autodirector: bool,
    pub conditional: Vec<ConditionalInput<'a>>,
    /// The backend's identifier and its shield director's.
    pub shields: Vec<(String, &'a str)>,
}

/// The body of `vcl_recv`'s routing, in the generator's order.
pub fn recv_text(out: &mut String, input: &RecvInput<'_>) {
    if !input.shields.is_empty() {
        let _ = writeln!(out, "  declare local {FIRST_PASS} BOOL;");
        let _ = writeln!(out, "  set {FIRST_PASS} = (req.restarts == 0);");
    }
    if input.default.is_some() || input.autodirector {
        out.push_str("  # default conditions\n");
        if let Some(default) = &input.default {
            let _ = writeln!(out, "  set req.backend = {default};");
        }
        if input.autodirector {
            let _ = writeln!(out, "  set req.backend = {};", super::AUTODIRECTOR);
        }
        out.push_str("    # end default conditions\n");
    }
    for c in &input.conditional {
        let _ = writeln!(
            out,
            "  # Request Condition: {} Prio: {}",
            c.condition, c.priority
        );
        let _ = writeln!(out, "  if( {} ) {{", c.statement);
        let _ = writeln!(out, "    set req.backend = {};", c.backend);
        out.push_str("      }\n  #end condition\n");
    }
    for (backend, shield) in &input.shields {
        let _ = writeln!(out, "      #do shield here {backend} > {shield};");
        out.push_str("  {\n");
        let _ = writeln!(out, "    if (req.backend == {backend} && {FIRST_PASS}) {{");
        let _ = writeln!(
            out,
            "      set req.backend = fastly.try_select_shield({shield}, {backend});"
        );
        out.push_str("    }\n  }\n");
    }
}
