//! vcl-backend: Fastly backends between custom VCL and the Fastly API.
//!
//! The pipeline, one module a layer:
//! [`syntax`] reads VCL into a source-side tree ([`ast`]) with spans;
//! [`lower`] turns that tree into the API [`model`] (the only place units and names change);
//! [`diagnostic`] carries every problem with a stable code and a labelled span.
//!
//! ```
//! let vcl = r#"backend F_origin { .host = "example.com"; .port = "443"; .connect_timeout = 1.5s; }"#;
//! let lowered = vcl_backend::lower::parse_config(vcl);
//! assert!(!lowered.has_errors());
//! let origin = &lowered.config.backends[0];
//! assert_eq!(origin.name.as_deref(), Some("origin"));
//! assert_eq!(origin.port, Some(443));
//! assert_eq!(origin.connect_timeout, Some(1500));
//! ```

// The library never prints: it returns what it found.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod api_json;
pub mod apply;
pub mod ast;
pub mod bounded;
pub mod controls;
mod decimal;
pub mod diagnostic;
pub mod diff;
pub mod escape;
pub mod generate;
pub mod lint;
pub mod lower;
pub mod migrate;
pub mod model;
mod percent;
pub mod placeholder;
pub mod pretty_json;
pub mod references;
pub mod source;
pub mod span;
pub mod suggest;
pub mod syntax;
#[cfg(test)]
mod test_support;

pub use diagnostic::{Diagnostic, Severity};
pub use model::{Backend, Healthcheck};
