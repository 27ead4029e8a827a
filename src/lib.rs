//! vcl-backend: Fastly backends between custom VCL and the Fastly API.
//!
//! The pipeline, one module a layer:
//! [`syntax`] reads VCL into a source-side tree ([`ast`]) with spans;
//! [`lower`] turns that tree into the API [`model`] (the only place units and names change);
//! [`diagnostic`] carries every problem with a stable code and a labelled span.

pub mod ast;
pub mod diagnostic;
pub mod lower;
pub mod model;
pub mod source;
pub mod span;
pub mod syntax;

pub use diagnostic::{Diagnostic, Severity};
pub use model::{Backend, Healthcheck};
