//! Hashes for the tables of lowering, computed where a declaration is lowered (on any
//! thread), so that the one thread admitting declarations in order only looks them up.

use std::hash::{BuildHasher, Hash, Hasher};

use crate::model::Healthcheck;

/// FNV-1a: the maps here hold our own identifiers and hashes, not attacker-chosen keys that
/// need SipHash's protection, and hashing them was a visible share of lowering.
#[derive(Default, Clone, Copy)]
pub struct FastHash;

impl BuildHasher for FastHash {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A hash of every healthcheck field but the name (the fields a probe can set).
pub fn probe_hash(hc: &Healthcheck) -> u64 {
    let mut hasher = FastHash.build_hasher();
    (
        &hc.method,
        &hc.host,
        &hc.path,
        &hc.http_version,
        &hc.headers,
    )
        .hash(&mut hasher);
    (
        hc.check_interval,
        hc.timeout,
        hc.window,
        hc.threshold,
        hc.initial,
        hc.expected_response,
    )
        .hash(&mut hasher);
    hasher.finish()
}

/// Equal in every field but the name.
pub fn same_probe(a: &Healthcheck, b: &Healthcheck) -> bool {
    // Lowering sets only the fields a probe can express (never `extra` or metadata).
    (&a.method, &a.host, &a.path, &a.http_version, &a.headers)
        == (&b.method, &b.host, &b.path, &b.http_version, &b.headers)
        && (
            a.check_interval,
            a.timeout,
            a.window,
            a.threshold,
            a.initial,
            a.expected_response,
        ) == (
            b.check_interval,
            b.timeout,
            b.window,
            b.threshold,
            b.initial,
            b.expected_response,
        )
}

/// FNV-1a of a name.
pub fn name_hash(text: &str) -> u64 {
    let mut hasher = FastHash.build_hasher();
    hasher.write(text.as_bytes());
    hasher.finish()
}

/// A backend identifier with its hash ([`name_hash`]): a table of them never reads the
/// text again but to compare two names with the same hash.
#[derive(Debug, Clone, Copy)]
pub struct Prehashed<'a> {
    pub hash: u64,
    pub text: &'a str,
}

impl<'a> Prehashed<'a> {
    pub fn of(text: &'a str) -> Self {
        Prehashed {
            hash: name_hash(text),
            text,
        }
    }
}

impl PartialEq for Prehashed<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.text == other.text
    }
}

impl Eq for Prehashed<'_> {}

impl Hash for Prehashed<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// For tables whose keys are hashes already ([`Prehashed`], [`probe_hash`]): the key's
/// `u64` is the hash.
#[derive(Default, Clone, Copy)]
pub struct AlreadyHashed;

impl BuildHasher for AlreadyHashed {
    type Hasher = AlreadyHashedHasher;
    fn build_hasher(&self) -> AlreadyHashedHasher {
        AlreadyHashedHasher(0)
    }
}

pub struct AlreadyHashedHasher(u64);

impl Hasher for AlreadyHashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    /// Not used by the keys above; hashes anything else properly all the same.
    fn write(&mut self, bytes: &[u8]) {
        let mut fnv = Fnv(self.0 ^ 0xcbf2_9ce4_8422_2325);
        fnv.write(bytes);
        self.0 = fnv.finish();
    }
}
