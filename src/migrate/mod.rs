//! Migrate: VCL-defined backends to API configuration that the real Fastly CLI, curl or
//! Terraform can apply, with a report of everything that cannot be carried across.
//!
//! [`plan()`] lowers the VCL and decides, per backend, what moves and what stays; each output
//! format ([`json`], [`fastly_cli`], [`curl`], [`terraform`]) then writes the plan and adds
//! what *it* cannot express to the report. [`rewrite`] produces the VCL without the migrated
//! declarations and with every reference renamed to the identifier Fastly will generate.

pub mod curl;
pub mod director;
pub mod director_moves;
pub mod fastly_cli;
pub mod json;
pub mod placeholder;
pub mod plan;
pub mod report;
pub mod rewrite;
pub mod routing;
pub mod shell;
pub mod terraform;

pub use plan::{Note, Plan, plan};

/// Where the commands apply: a service and version, or the environment's.
#[derive(Debug, Clone, Default)]
pub struct ServiceVersion {
    /// `--service-id`; without it, scripts use `"${FASTLY_SERVICE_ID:?}"`.
    pub service_id: Option<String>,
    /// `--version`; without it, the CLI uses `--version=latest --autoclone` and curl
    /// `"${FASTLY_SERVICE_VERSION:?}"`.
    pub version: Option<u32>,
}

/// An empty output text with room for about `per_object` bytes per healthcheck and backend
/// of `plan`: a large output grown by doubling would copy itself into fresh memory again
/// and again (on 100,000 backends that was a sixth of `migrate`). Room not written is
/// never touched, so a generous guess costs address space, not memory.
pub(crate) fn output_text(plan: &Plan, per_object: usize) -> String {
    let objects = plan.backends.len() + plan.healthchecks.len();
    String::with_capacity(objects.saturating_mul(per_object).saturating_add(4096))
}

/// An output format's text, what it could not carry (added to the report), and the fields
/// it does not send because the API gives them the same value by itself.
#[derive(Debug, Clone, Default)]
pub struct Emitted {
    pub text: String,
    pub notes: Vec<Note>,
    /// Fields left to the API (its default, or derived from another field): not "moved".
    pub left_to_api: Vec<Note>,
    /// What the report says of the format itself (the Fastly CLI script's curl calls).
    pub remarks: Vec<String>,
}
