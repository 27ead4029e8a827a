//! Hashes for the tables of lowering (backend names, probes), computed where a declaration is
//! lowered (on any thread), so that the one thread admitting declarations in order only looks
//! them up.
//!
//! The names and probes come from the input, so the hash is keyed afresh for every run
//! (SipHash, std's `RandomState`): a file cannot be built whose names all share a hash and
//! make the tables quadratic.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, DefaultHasher, Hash, Hasher};

use crate::model::Healthcheck;
use crate::model::properties::{HcValue, PROBE_FIELDS};

/// The keyed hash of one run; every thread of the run hashes with the same keys.
#[derive(Default, Clone)]
pub struct Keys(RandomState);

impl Keys {
    /// A backend identifier with its hash.
    pub fn name<'a>(&self, text: &'a str) -> Prehashed<'a> {
        Prehashed {
            hash: self.0.hash_one(text),
            text,
        }
    }

    /// A hash of every healthcheck field a probe can set (all but the name), read through the
    /// probe table's accessors.
    ///
    /// Every byte goes through the keyed hash, gathered into one buffer first: each write
    /// to the hasher costs a few dozen instructions however short, and a write per field
    /// made a probe's hash cost a fifth more. Strings end with a byte UTF-8 never holds, so
    /// the stream is unambiguous.
    pub fn probe(&self, hc: &Healthcheck) -> u64 {
        const END: u8 = 0xff;
        const NONE: u8 = 0xfe;
        const LIST_END: u8 = 0xfd;
        let mut stream = Gathered::new(self.0.build_hasher());
        let text = |stream: &mut Gathered, s: &Option<String>| match s {
            Some(s) => {
                stream.put(s.as_bytes());
                stream.put(&[END]);
            }
            None => stream.put(&[NONE]),
        };
        for field in &PROBE_FIELDS {
            match *field {
                HcValue::Text(field) => text(&mut stream, (field.get)(hc)),
                HcValue::List(field) => match (field.get)(hc) {
                    Some(items) => {
                        for item in items {
                            stream.put(item.as_bytes());
                            stream.put(&[END]);
                        }
                        stream.put(&[LIST_END]);
                    }
                    None => stream.put(&[NONE]),
                },
                HcValue::Number(field) => match *(field.get)(hc) {
                    Some(n) => {
                        stream.put(&[1]);
                        stream.put(&n.to_le_bytes());
                    }
                    None => stream.put(&[0; 9]),
                },
            }
        }
        stream.finish()
    }
}

/// Bytes for a hasher, gathered in a buffer and written a buffer at a time.
struct Gathered {
    hasher: DefaultHasher,
    buffer: [u8; 256],
    len: usize,
}

impl Gathered {
    fn new(hasher: DefaultHasher) -> Self {
        Gathered {
            hasher,
            buffer: [0; 256],
            len: 0,
        }
    }

    fn put(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > self.buffer.len() {
            self.flush();
            if bytes.len() > self.buffer.len() {
                self.hasher.write(bytes);
                return;
            }
        }
        self.buffer[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    fn flush(&mut self) {
        self.hasher.write(&self.buffer[..self.len]);
        self.len = 0;
    }

    fn finish(mut self) -> u64 {
        self.flush();
        self.hasher.finish()
    }
}

/// Equal in every field a probe can set: all but the name.
pub fn same_probe(a: &Healthcheck, b: &Healthcheck) -> bool {
    // Lowering sets only the fields a probe can express (never `extra` or metadata).
    PROBE_FIELDS.iter().all(|field| match *field {
        HcValue::Text(field) => (field.get)(a) == (field.get)(b),
        HcValue::List(field) => (field.get)(a) == (field.get)(b),
        HcValue::Number(field) => (field.get)(a) == (field.get)(b),
    })
}

/// A backend identifier with its hash ([`Keys::name`]): a table of them never reads the text
/// again but to compare two names with the same hash.
#[derive(Debug, Clone, Copy, Default)]
pub struct Prehashed<'a> {
    pub hash: u64,
    pub text: &'a str,
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

/// For tables whose keys are hashes already ([`Prehashed`], [`Keys::probe`]): the key's
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
    /// Not used by the keys above, which write one `u64`; anything else is mixed in whole.
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::properties::HEALTHCHECK;
    use serde_json::{Value, json};

    /// A healthcheck with only `api` set, to whichever of `values` its type takes.
    fn with_field(api: &str, values: [Value; 3]) -> Healthcheck {
        values
            .into_iter()
            .find_map(|v| serde_json::from_value(json!({ api: v })).ok())
            .unwrap_or_else(|| panic!("no test value fits `{api}`"))
    }

    /// Driven by the property table: every field a probe can set (a row with a VCL form)
    /// takes part in the hash and the equality, so a field added to the model and the table
    /// can never merge two different probes into one healthcheck.
    #[test]
    fn every_field_a_probe_sets_tells_probes_apart() {
        let keys = Keys::default();
        let empty = Healthcheck::default();
        for row in HEALTHCHECK.iter().filter(|row| row.vcl_key().is_some()) {
            let one = with_field(row.api, [json!("a"), json!(1), json!(["a"])]);
            let other = with_field(row.api, [json!("b"), json!(2), json!(["b"])]);
            for (a, b) in [(&one, &other), (&one, &empty)] {
                assert!(!same_probe(a, b), "`{}` is not compared", row.api);
                assert_ne!(keys.probe(a), keys.probe(b), "`{}` is not hashed", row.api);
            }
        }
    }

    #[test]
    fn a_name_hashes_alike_within_a_run_and_differently_across_runs() {
        let (one, other) = (Keys::default(), Keys::default());
        assert_eq!(one.name("F_origin"), one.clone().name("F_origin"));
        assert_eq!(one.name("F_origin").hash, one.name("F_origin").hash);
        // Keys are drawn per run: what collides in one cannot be known to collide in another.
        assert_ne!(one.name("F_origin").hash, other.name("F_origin").hash);
        assert_ne!(one.name("F_origin"), one.name("F_origim"));
    }

    #[test]
    fn probes_that_differ_only_in_name_hash_alike() {
        let keys = Keys::default();
        let a = Healthcheck {
            name: Some("a".into()),
            path: Some("/".into()),
            timeout: Some(2000),
            ..Healthcheck::default()
        };
        let b = Healthcheck {
            name: Some("b".into()),
            ..a.clone()
        };
        assert!(same_probe(&a, &b));
        assert_eq!(keys.probe(&a), keys.probe(&b));
        let c = Healthcheck {
            timeout: Some(3000),
            ..a.clone()
        };
        assert!(!same_probe(&a, &c));
        assert_ne!(keys.probe(&a), keys.probe(&c));
    }

    #[test]
    fn probes_that_differ_in_where_their_text_falls_hash_apart() {
        let keys = Keys::default();
        let with = |f: &dyn Fn(&mut Healthcheck)| {
            let mut hc = Healthcheck::default();
            f(&mut hc);
            keys.probe(&hc)
        };
        let hashes = [
            with(&|_| {}),
            with(&|hc| hc.host = Some(String::new())),
            with(&|hc| hc.path = Some(String::new())),
            with(&|hc| hc.host = Some("ab".into())),
            with(&|hc| {
                hc.host = Some("a".into());
                hc.path = Some("b".into());
            }),
            with(&|hc| hc.headers = Some(Vec::new())),
            with(&|hc| hc.headers = Some(vec![String::new()])),
            with(&|hc| hc.headers = Some(vec![String::new(), String::new()])),
            with(&|hc| hc.headers = Some(vec!["a: b".into()])),
            with(&|hc| hc.window = Some(0)),
            with(&|hc| hc.initial = Some(0)),
            with(&|hc| hc.initial = Some(1)),
        ];
        for (i, a) in hashes.iter().enumerate() {
            for b in &hashes[i + 1..] {
                assert_ne!(a, b, "probe {i}");
            }
        }
    }
}
