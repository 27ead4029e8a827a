//! How a backend field (or a probe key) is written in VCL: its type, and where lowering stores
//! a value and generate reads it. The columns of the property tables (`model::properties`) that
//! say it; lowering and generate act on them.

use crate::model::{Backend, Healthcheck};

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

/// A model field of a backend (or of another object `O`): lowering writes it, generate reads it.
pub struct Field<T: 'static, O: 'static = Backend> {
    pub get: fn(&O) -> &Option<T>,
    pub set: fn(&mut O) -> &mut Option<T>,
}

// By hand: a derive would ask `T: Copy`, and `String` is not.
impl<T, O> Clone for Field<T, O> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T, O> Copy for Field<T, O> {}

/// A healthcheck field.
pub type HcField<T> = Field<T, Healthcheck>;

/// Where a probe key's value goes (docs/design.md §2.5, §2.6).
#[derive(Clone, Copy)]
pub enum ProbeDestination {
    /// `.dummy`: decides whether there is a healthcheck at all.
    Dummy,
    /// `.request`: split into the method, path, HTTP version, host and headers.
    Request,
    /// `.url`: the path of a `GET`.
    Url,
    /// A duration, in the API's milliseconds.
    Millis(HcField<i64>),
    Count(HcField<i64>),
}

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
