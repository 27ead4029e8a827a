//! Generate: the API model to VCL, exactly as Fastly's own generator writes it, with every
//! value safe inside its string and every field that has no place in VCL reported.

mod check;
pub mod director_print;
mod directors;
pub mod print;
mod routing;
pub mod routing_print;
pub mod snippet;
mod statement;
pub mod vcl_string;

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
pub use crate::model::names::Names;
use crate::model::{Backend, Config, ObjectKind, none_if_empty};
use check::{Checked, Checker};
use director_print::director_block;
use directors::CheckedDirector;
pub use directors::{AUTODIRECTOR, auto_loadbalanced};
use print::backend_block;
use routing::Routing;
pub use routing::shield_ident;
use routing_print::{ConditionalInput, RecvInput, recv_text, shield_director_block};

/// How to generate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The share key for backends that carry neither `share_key` nor `service_id`.
    pub service_id: Option<String>,
    /// Turn every warning into an error.
    pub strict: bool,
    /// `F_` identifiers (the default) or the plain sanitised names (docs/design.md §4.10).
    pub names: Names,
}

/// What a finding is about: an object of the input and maybe one of its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub kind: ObjectKind,
    pub index: usize,
    pub field: Option<String>,
}

/// A diagnostic about the input, placed later (when there is a text to point into).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    pub target: Subject,
    /// What the label at the target says.
    pub label: String,
    /// Other places worth pointing at (e.g. the first of two colliding names).
    pub related: Vec<(Subject, String)>,
}

/// VCL and what was found on the way. When any finding is an error, `vcl` and `recv` are
/// empty.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// The declarations: the top level, or an `init` snippet.
    pub vcl: String,
    /// The routing: `vcl_recv`'s code, or a `recv` snippet (docs/design.md §4.8).
    pub recv: String,
    pub findings: Vec<Finding>,
}

impl Generated {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.diagnostic.is_error())
    }
}

pub use crate::model::names::vcl_ident;

/// Generates the `backend` blocks of `config`, in input order, then its directors' and
/// `autodirector_` (docs/design.md §4.7), into one string: for a large output, [`prepare`]
/// and [`Prepared::write_to`] write it block by block instead.
pub fn generate(config: &Config, options: &Options) -> Generated {
    let prepared = prepare(config, options);
    let mut vcl = String::new();
    if !prepared.failed {
        vcl.reserve(prepared.blocks.len().saturating_mul(700));
    }
    prepared
        .write_blocks(|block| {
            vcl.push_str(block);
            Ok(())
        })
        .unwrap_or_default();
    Generated {
        vcl,
        recv: prepared.recv(),
        findings: prepared.findings,
    }
}

/// The checks of `generate` done, and what each backend's block needs: the findings are
/// known before a line is written, so an output with errors is never started
/// (docs/design.md §11: the VCL is never whole in memory).
pub struct Prepared<'a> {
    pub findings: Vec<Finding>,
    blocks: Vec<(&'a Backend, Checked<'a>)>,
    /// The API's directors, then `autodirector_` when a backend is auto-load-balanced.
    directors: Vec<CheckedDirector>,
    /// The routing and the shield directors (docs/design.md §4.8).
    routing: Routing,
    backends: &'a [Backend],
    conditions: &'a [crate::model::Condition],
    names: Names,
    failed: bool,
}

impl Prepared<'_> {
    pub fn has_errors(&self) -> bool {
        self.failed
    }

    /// Writes the VCL, one backend or director block at a time (nothing when there are
    /// errors).
    pub fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        self.write_blocks(|block| out.write_all(block.as_bytes()))
    }

    fn write_blocks(
        &self,
        mut write: impl FnMut(&str) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        if self.failed {
            return Ok(());
        }
        // One block's text at a time, its memory reused for the next.
        let mut block = String::new();
        for (backend, checked) in &self.blocks {
            block.clear();
            // NUL was checked for every string in `prepare`.
            let _ = backend_block(&mut block, backend, &checked.block());
            write(&block)?;
        }
        for director in &self.directors {
            block.clear();
            director_block(&mut block, &director.input(), self.backends, self.names);
            write(&block)?;
        }
        for shield in &self.routing.shield_directors {
            block.clear();
            shield_director_block(&mut block, &shield.ident, &shield.pop);
            write(&block)?;
        }
        Ok(())
    }

    /// Whether there is routing to write: any backend (the default one, at least).
    pub fn has_routing(&self) -> bool {
        !self.failed && !self.routing.is_empty()
    }

    /// The routing for `vcl_recv` (empty when there are errors).
    pub fn recv(&self) -> String {
        let mut out = String::new();
        if self.failed {
            return out;
        }
        // Only the backends the routing names: most of a large input is in none of it.
        let ident = |i: usize| {
            let name = self.backends.get(i).and_then(|b| b.name.as_deref());
            self.names.ident(name.unwrap_or(""))
        };
        let routing = &self.routing;
        let input = RecvInput {
            default: routing.default.map(ident),
            autodirector: routing.autodirector,
            conditional: routing
                .conditional
                .iter()
                .map(|r| {
                    let c = &self.conditions[r.condition];
                    ConditionalInput {
                        condition: c.name.as_deref().unwrap_or(""),
                        priority: r.priority,
                        statement: c.statement.as_deref().unwrap_or(""),
                        backend: ident(r.backend),
                    }
                })
                .collect(),
            shields: routing
                .shields
                .iter()
                .map(|&(b, d)| (ident(b), routing.shield_directors[d].ident.as_str()))
                .collect(),
        };
        recv_text(&mut out, &input);
        out
    }

    /// Writes the routing (nothing when there are errors).
    pub fn write_recv_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        out.write_all(self.recv().as_bytes())
    }
}

/// Checks every backend, healthcheck and director of `config`, in input order.
pub fn prepare<'a>(config: &'a Config, options: &'a Options) -> Prepared<'a> {
    let mut cx = Checker {
        findings: Vec::new(),
        strict: options.strict,
        names: options.names,
        failed: false,
    };
    let healthchecks = cx.healthcheck_names(&config.healthchecks);
    // Made at the first unknown healthcheck: most documents have none.
    let mut suggester = None;
    let mut idents: HashMap<String, (usize, &str)> = HashMap::with_capacity(config.backends.len());
    let mut blocks = Vec::with_capacity(config.backends.len());
    let members = directors::member_names(&config.directors);
    let mut auto_loadbalanced = Vec::new();
    for (index, backend) in config.backends.iter().enumerate() {
        let in_director = !members.is_empty()
            && none_if_empty(&backend.name).is_some_and(|name| members.contains(name));
        let checked = cx.check_backend(
            index,
            backend,
            (&config.healthchecks, &healthchecks, &mut suggester),
            &mut idents,
            options,
            in_director,
        );
        if checked.is_some() && directors::auto_loadbalanced(backend) {
            auto_loadbalanced.push(index);
        }
        // After an error nothing is written: only the checks go on.
        if let Some(checked) = checked.filter(|_| !cx.failed) {
            blocks.push((backend, checked));
        }
    }
    for (index, hc) in config.healthchecks.iter().enumerate() {
        cx.check_healthcheck(index, hc);
    }
    let mut directors = cx.check_directors(&config.directors, &config.backends, &idents);
    if !auto_loadbalanced.is_empty() {
        directors.push(CheckedDirector::autodirector(auto_loadbalanced));
    }
    let mut routing = cx.check_routing(&config.backends, &config.conditions);
    if cx.failed {
        blocks = Vec::new();
        directors = Vec::new();
        routing = Routing::default();
    }
    Prepared {
        findings: cx.findings,
        blocks,
        directors,
        routing,
        backends: &config.backends,
        conditions: &config.conditions,
        names: options.names,
        failed: cx.failed,
    }
}
