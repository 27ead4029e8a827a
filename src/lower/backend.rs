//! The backend properties Fastly accepts and where each goes in the API model.

use crate::ast::{Property, ValueKind};
use crate::diagnostic::Diagnostic;
use crate::lower::spares::Spares;
use crate::lower::values::{self, TimeUnit};
use crate::model::Backend;
use crate::model::properties::{BACKEND_VCL, VCL_FORMS};
pub use crate::model::vcl_form::{Destination, SSL_CHECK_CERT_WORDS};

/// One property of a `backend` declaration (docs/design.md §2.3, §2.8): a row of the one
/// backend table, [`crate::model::properties::BACKEND`].
pub use crate::model::properties::VclProperty as BackendProperty;

/// Backend properties of Varnish that Fastly has no property of that name for, alphabetical:
/// Varnish Cache 4.1 to 7 (`.path` for Unix sockets, `.proxy_header`, `.preamble`, `.via`,
/// `.authority`, `.backend_wait_timeout`, `.backend_wait_limit`) and Varnish Enterprise
/// (`.tls`, `.last_byte_timeout`, `.ssl_sni`, `.ssl_verify_peer`, `.ssl_verify_host`). The
/// rest of a Varnish backend (`.host`, `.port`, `.host_header`, the three timeouts,
/// `.max_connections`, `.probe`, Enterprise `.ssl`) is in [`BACKEND_PROPERTIES`].
pub const VARNISH_ONLY: &[&str] = &[
    "authority",
    "backend_wait_limit",
    "backend_wait_timeout",
    "last_byte_timeout",
    "path",
    "preamble",
    "proxy_header",
    "ssl_sni",
    "ssl_verify_host",
    "ssl_verify_peer",
    "tls",
    "via",
];

/// The Varnish property with an API meaning: `.tls` (Varnish Enterprise) is `.ssl`.
pub const VARNISH_TLS: &str = "tls";

/// Every property Fastly's compiler and generator know, alphabetical: the VCL forms of the
/// backend table, in memory lowering reads for each property.
pub static BACKEND_PROPERTIES: [BackendProperty; VCL_FORMS] = BACKEND_VCL;

/// The index of `.host` in [`BACKEND_PROPERTIES`].
pub const HOST: usize = index_of("host");
pub const PORT: usize = index_of("port");

/// The index of `.ssl` in [`BACKEND_PROPERTIES`] (Varnish's `.tls` is stored there).
pub const SSL: usize = index_of("ssl");

/// The index of `name` in [`BACKEND_PROPERTIES`], at compile time: a name not there does
/// not compile.
const fn index_of(name: &str) -> usize {
    let mut i = 0;
    while i < BACKEND_VCL.len() {
        let candidate = BACKEND_VCL[i].name.as_bytes();
        let wanted = name.as_bytes();
        let mut same = candidate.len() == wanted.len();
        let mut b = 0;
        while same && b < wanted.len() {
            same = candidate[b] == wanted[b];
            b += 1;
        }
        if same {
            return i;
        }
        i += 1;
    }
    panic!("no such backend property")
}

/// The property named `name`, with its index in [`BACKEND_PROPERTIES`]. Only the names of
/// its length are compared (one or two): lowering looks up every property, so scanning all
/// names showed in profiles.
pub fn lookup(name: &str) -> Option<(usize, &'static BackendProperty)> {
    let mut candidates = *BY_LENGTH.get(name.len())?;
    while candidates != 0 {
        let index = candidates.trailing_zeros() as usize;
        if same_name(BACKEND_PROPERTIES[index].name, name) {
            return Some((index, &BACKEND_PROPERTIES[index]));
        }
        candidates &= candidates - 1;
    }
    None
}

/// `a == b` for names of the same length, compared eight bytes at a time (the last eight
/// overlapping): property names are a few dozen bytes at most, where a call to `memcmp`
/// costs more than the comparison.
fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a == b;
    }
    let word = |s: &[u8], at: usize| u64::from_ne_bytes(s[at..at + 8].try_into().unwrap_or([0; 8]));
    let mut at = 0;
    while at + 8 < n {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

/// The longest property name.
const LONGEST: usize = longest_name();

/// For each length, the indexes in [`BACKEND_PROPERTIES`] of the names that long, as bits.
static BY_LENGTH: [PropertyBits; LONGEST + 1] = names_by_length();

/// A set of properties of [`BACKEND_PROPERTIES`], one bit each by index (which properties a
/// declaration stored, which names have a given length).
pub type PropertyBits = u64;

const _: () = assert!(
    VCL_FORMS <= PropertyBits::BITS as usize,
    "more backend properties than PropertyBits has bits: widen PropertyBits (e.g. to u128)"
);

const fn longest_name() -> usize {
    let mut longest = 0;
    let mut i = 0;
    while i < BACKEND_VCL.len() {
        if BACKEND_VCL[i].name.len() > longest {
            longest = BACKEND_VCL[i].name.len();
        }
        i += 1;
    }
    longest
}

const fn names_by_length() -> [PropertyBits; LONGEST + 1] {
    let mut table = [0; LONGEST + 1];
    let mut i = 0;
    while i < BACKEND_VCL.len() {
        table[BACKEND_VCL[i].name.len()] |= 1 << i;
        i += 1;
    }
    table
}

/// The position of `name` among `names`. Length and first byte are compared before the
/// bytes: a string comparison is a library call.
pub fn find_name<'n>(mut names: impl Iterator<Item = &'n str>, name: &str) -> Option<usize> {
    let first = name.as_bytes().first()?;
    names.position(|n| n.len() == name.len() && n.as_bytes()[0] == *first && same_name(n, name))
}

/// Stores one property's value in `backend`. `.probe` is the caller's.
pub fn apply(
    spec: &BackendProperty,
    prop: &Property<'_>,
    backend: &mut Backend,
    spares: &mut Spares<'_>,
) -> Result<(), Diagnostic> {
    if matches!(prop.value.kind, ValueKind::Object(_))
        && !matches!(spec.destination, Destination::Probe)
    {
        return Err(values::wrong_type(prop, spec.ty));
    }
    match spec.destination {
        Destination::Text(field) => {
            *(field.set)(backend) = Some(spares.text_of(values::string_ref(prop)?))
        }
        Destination::Flag(field) => *(field.set)(backend) = Some(values::boolean(prop)?),
        Destination::Millis(field) => {
            *(field.set)(backend) = Some(values::duration(prop, TimeUnit::Milliseconds)?)
        }
        Destination::Seconds(field) => {
            *(field.set)(backend) = Some(values::duration(prop, TimeUnit::Seconds)?)
        }
        Destination::Count(field) => *(field.set)(backend) = Some(values::count(prop)?),
        Destination::Port => backend.port = Some(values::port(prop)?),
        Destination::SslCheckCert => {
            backend.ssl_check_cert = Some(values::keyword(prop, SSL_CHECK_CERT_WORDS)? == "always");
        }
        Destination::AlwaysUseHostHeader | Destination::VclOnly => {
            values::boolean(prop)?;
        }
        Destination::Probe => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_name_is_equality_at_every_length_and_position() {
        for len in 0..=40 {
            let name: String = (0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect();
            assert!(same_name(&name, &name.clone()), "{name}");
            assert!(!same_name(&name, &format!("{name}x")), "{name}");
            for at in 0..len {
                let mut other = name.clone().into_bytes();
                other[at] = b'_';
                let other = String::from_utf8(other).unwrap();
                assert!(!same_name(&name, &other), "{name} against {other}");
            }
        }
    }

    #[test]
    fn lookup_finds_every_property_and_nothing_else() {
        for (i, p) in BACKEND_PROPERTIES.iter().enumerate() {
            assert_eq!(lookup(p.name).map(|(index, _)| index), Some(i));
        }
        assert_eq!(BACKEND_PROPERTIES[HOST].name, "host");
        let too_long = "bypass_local_route_tables";
        assert_eq!(too_long.len(), LONGEST + 1);
        for name in ["", "hots", "h", "hostt", "Host", "ssl_ca_certs", too_long] {
            assert!(lookup(name).is_none(), "{name}");
        }
    }
}
