//! The model as `serde_json::to_string_pretty` writes it, byte for byte, at any nesting depth,
//! without serde's generic path: `parse` writes tens of megabytes of it, and serde's map
//! machinery (the flattened `extra` field makes every object a map) was a quarter of the
//! command's instructions. An object with `extra` fields (arbitrary JSON) goes through serde.
//!
//! The fields come from [`Fields`], which names every one; the tests compare with serde on
//! random objects.

use serde::Serialize;

use crate::decimal::Decimal;
use crate::model::fields::{FieldVisitor, Fields};
use crate::model::{Backend, Healthcheck};

/// Appends `value` as pretty JSON whose `{` stands at nesting `depth` (0 for a whole
/// document, 2 for an element of `{"backends": [...]}`).
pub fn write_backend(out: &mut Vec<u8>, value: &Backend, depth: usize) {
    write_object(out, value, depth);
}

/// [`write_backend`] for a healthcheck.
pub fn write_healthcheck(out: &mut Vec<u8>, value: &Healthcheck, depth: usize) {
    write_object(out, value, depth);
}

/// [`write_backend`] for a director: through serde, as directors are few.
pub fn write_director(out: &mut Vec<u8>, value: &crate::model::Director, depth: usize) {
    through_serde(out, value, depth);
}

fn write_object(out: &mut Vec<u8>, value: &(impl Fields + Serialize), depth: usize) {
    if !value.extra().is_empty() {
        return through_serde(out, value, depth);
    }
    let mut o = Object::open(out, depth);
    value.visit_fields(&mut o);
    o.close();
}

/// Appends `items` as a pretty JSON array whose `[` stands at nesting `depth`, each item
/// written by `write`.
pub fn write_list<T>(
    out: &mut Vec<u8>,
    items: &[T],
    write: fn(&mut Vec<u8>, &T, usize),
    depth: usize,
) {
    if items.is_empty() {
        out.extend_from_slice(b"[]");
        return;
    }
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        indent(out, depth + 1);
        write(out, item, depth + 1);
    }
    out.push(b'\n');
    indent(out, depth);
    out.push(b']');
}

/// serde_json's pretty output, indented to `depth`: its strings never hold a raw newline, so
/// every newline in it is structure.
fn through_serde(out: &mut Vec<u8>, value: &impl Serialize, depth: usize) {
    let mut text = Vec::new();
    // Serialising the model cannot fail: its maps have string keys.
    let _ = serde_json::to_writer_pretty(&mut text, value);
    for line in text.split_inclusive(|&b| b == b'\n') {
        out.extend_from_slice(line);
        if line.ends_with(b"\n") {
            indent(out, depth);
        }
    }
}

/// An object being written: `{` already out, each present field a line of its own.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    depth: usize,
    empty: bool,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut Vec<u8>, depth: usize) -> Self {
        out.push(b'{');
        Object {
            out,
            depth,
            empty: true,
        }
    }

    fn key(&mut self, key: &str) {
        // The separator and the indentation in one copy, up to 16 levels deep.
        const PREFIX: &[u8] = b",\n                                ";
        let skip = usize::from(self.empty);
        self.empty = false;
        match PREFIX.get(skip..2 + 2 * (self.depth + 1)) {
            Some(prefix) => self.out.extend_from_slice(prefix),
            None => {
                self.out.extend_from_slice(&PREFIX[skip..2]);
                indent(self.out, self.depth + 1);
            }
        }
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    fn close(self) {
        if !self.empty {
            self.out.push(b'\n');
            indent(self.out, self.depth);
        }
        self.out.push(b'}');
    }
}

impl FieldVisitor for Object<'_> {
    fn string(&mut self, key: &'static str, value: &Option<String>) {
        if let Some(value) = value {
            self.key(key);
            string(self.out, value);
        }
    }

    fn integer(&mut self, key: &'static str, value: Option<i64>) {
        if let Some(value) = value {
            self.key(key);
            integer(self.out, value);
        }
    }

    fn boolean(&mut self, key: &'static str, value: Option<bool>) {
        if let Some(value) = value {
            self.key(key);
            self.out
                .extend_from_slice(if value { b"true" } else { b"false" });
        }
    }

    fn strings(&mut self, key: &'static str, value: &Option<Vec<String>>) {
        let Some(list) = value else {
            return;
        };
        self.key(key);
        if list.is_empty() {
            self.out.extend_from_slice(b"[]");
            return;
        }
        self.out.push(b'[');
        for (i, item) in list.iter().enumerate() {
            self.out
                .extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            indent(self.out, self.depth + 2);
            string(self.out, item);
        }
        self.out.push(b'\n');
        indent(self.out, self.depth + 1);
        self.out.push(b']');
    }
}

/// Two spaces per level, as serde_json's pretty printer.
fn indent(out: &mut Vec<u8>, depth: usize) {
    const SPACES: &[u8] = &[b' '; 32];
    let mut n = depth * 2;
    while n > 0 {
        let step = n.min(SPACES.len());
        out.extend_from_slice(&SPACES[..step]);
        n -= step;
    }
}

/// A JSON string: copied whole when nothing in it needs escaping (the usual case), else
/// escaped by serde_json itself.
fn string(out: &mut Vec<u8>, value: &str) {
    if value.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(value.as_bytes());
        out.push(b'"');
    } else {
        // Writing into a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *out, value);
    }
}

fn integer(out: &mut Vec<u8>, value: i64) {
    out.extend_from_slice(Decimal::new(value).as_bytes());
}
