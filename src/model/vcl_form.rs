//! How a backend field is written in VCL: its type, and where lowering stores a value and
//! generate reads it. The columns of the property table (`model::properties`) that say it;
//! lowering and generate act on them.

use crate::model::Backend;

/// The VCL type a property takes, as falco and Fastly's docs name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VclType {
    String,
    Bool,
    Integer,
    Rtime,
    /// A bare keyword from a fixed set (`.ssl_check_cert = always;`).
    Keyword(&'static [&'static str]),
    /// A probe: `{ ... }` or the name of a `probe` declaration.
    Probe,
}

/// A model field: lowering writes it, generate reads it.
pub struct Field<T: 'static> {
    pub get: fn(&Backend) -> &Option<T>,
    pub set: fn(&mut Backend) -> &mut Option<T>,
}

// By hand: a derive would ask `T: Copy`, and `String` is not.
impl<T> Clone for Field<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Field<T> {}

/// Where a backend property's value goes.
#[derive(Clone, Copy)]
pub enum Destination {
    Text(Field<String>),
    Flag(Field<bool>),
    Millis(Field<i64>),
    Seconds(Field<i64>),
    Count(Field<i64>),
    Port,
    /// `always` / `never` -> `ssl_check_cert`.
    SslCheckCert,
    /// Becomes a healthcheck.
    Probe,
    /// Implied by `.host_header` (`override_host`): checked, nothing to store.
    AlwaysUseHostHeader,
    /// VCL-only: checked and kept on the parse result, never an API field.
    VclOnly,
}

/// The words `.ssl_check_cert` takes.
pub const SSL_CHECK_CERT_WORDS: &[&str] = &["always", "never"];
