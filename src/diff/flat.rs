//! An object as the list of its compared fields, in its table's order, with the API's
//! defaults filled in where it leaves a field out (docs/design.md §13.2).
//!
//! Texts are copied into one buffer the object reuses, so comparing two equal objects
//! allocates nothing; a value becomes JSON only when it is reported.

use std::ops::Range;

use serde_json::Value;

use crate::model::fields::{FieldVisitor, Fields};
use crate::model::properties::{ApiDefault, BACKEND, HEALTHCHECK};
use crate::model::{Backend, Director, Healthcheck, director_defaults};

/// One field's value; texts are ranges of [`Flat`]'s buffer.
#[derive(Clone, Debug)]
enum Slot {
    Null,
    Integer(i64),
    Bool(bool),
    Text(Range<usize>),
    /// Ranges of [`Flat::items`].
    List(Range<usize>),
}

/// An object's compared fields, in the table's order; reused from object to object.
#[derive(Default)]
pub struct Flat {
    fields: Vec<(&'static str, Slot)>,
    text: String,
    items: Vec<Range<usize>>,
}

impl Flat {
    pub fn new() -> Self {
        Self::default()
    }

    fn clear(&mut self) {
        self.fields.clear();
        self.text.clear();
        self.items.clear();
    }

    fn text_range(&mut self, text: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(text);
        start..self.text.len()
    }

    fn push(&mut self, key: &'static str, slot: Slot) {
        self.fields.push((key, slot));
    }

    fn push_text(&mut self, key: &'static str, text: &str) {
        let range = self.text_range(text);
        self.push(key, Slot::Text(range));
    }

    /// A list compared as a set: sorted, and empty is none.
    fn push_set<'t>(&mut self, key: &'static str, items: Option<impl Iterator<Item = &'t str>>) {
        let Some(items) = items else {
            return self.push(key, Slot::Null);
        };
        let start = self.items.len();
        for item in items {
            let range = self.text_range(item);
            self.items.push(range);
        }
        if self.items.len() == start {
            return self.push(key, Slot::Null);
        }
        let text = &self.text;
        self.items[start..].sort_unstable_by(|x, y| text[x.clone()].cmp(&text[y.clone()]));
        let end = self.items.len();
        self.push(key, Slot::List(start..end));
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn key(&self, i: usize) -> &'static str {
        self.fields[i].0
    }

    fn item(&self, range: &Range<usize>) -> &str {
        &self.text[range.clone()]
    }

    /// Whether field `i` holds the same value here and in `other` (same table, same index).
    pub fn same(&self, other: &Flat, i: usize) -> bool {
        match (&self.fields[i].1, &other.fields[i].1) {
            (Slot::Null, Slot::Null) => true,
            (Slot::Integer(x), Slot::Integer(y)) => x == y,
            (Slot::Bool(x), Slot::Bool(y)) => x == y,
            (Slot::Text(x), Slot::Text(y)) => self.item(x) == other.item(y),
            (Slot::List(x), Slot::List(y)) => {
                x.len() == y.len()
                    && self.items[x.clone()]
                        .iter()
                        .zip(&other.items[y.clone()])
                        .all(|(p, q)| self.item(p) == other.item(q))
            }
            _ => false,
        }
    }

    /// Field `i` as JSON.
    pub fn value(&self, i: usize) -> Value {
        match &self.fields[i].1 {
            Slot::Null => Value::Null,
            Slot::Integer(n) => (*n).into(),
            Slot::Bool(b) => (*b).into(),
            Slot::Text(range) => self.item(range).into(),
            Slot::List(range) => self.items[range.clone()]
                .iter()
                .map(|r| Value::from(self.item(r)))
                .collect(),
        }
    }

    /// Every field as a JSON object, in order.
    pub fn object(&self) -> Value {
        let fields = (0..self.len()).map(|i| (self.key(i).to_owned(), self.value(i)));
        Value::Object(fields.collect())
    }
}

/// Collects the kept fields of an object, filling the table's defaults: `defaults[i]` is the
/// default of the `i`-th field visited.
struct Collect<'f, 'o> {
    out: &'f mut Flat,
    keep: &'o [bool],
    at: usize,
    default: fn(usize) -> ApiDefault,
    /// What the special defaults and `share_key` are worked out from.
    backend: Option<BackendContext<'o>>,
}

struct BackendContext<'o> {
    port: i64,
    tls: bool,
    share_key: Option<&'o str>,
}

impl Collect<'_, '_> {
    /// The next field's index, if it is kept.
    fn next(&mut self) -> Option<usize> {
        let i = self.at;
        self.at += 1;
        self.keep.get(i).copied().unwrap_or(false).then_some(i)
    }
}

impl FieldVisitor for Collect<'_, '_> {
    fn string(&mut self, key: &'static str, value: &Option<String>) {
        let Some(i) = self.next() else { return };
        if key == "share_key" {
            if let Some(context) = &self.backend {
                return match context.share_key {
                    Some(text) => self.out.push_text(key, text),
                    None => self.out.push(key, Slot::Null),
                };
            }
        }
        match (value.as_deref(), (self.default)(i)) {
            (Some(text), _) | (None, ApiDefault::Text(text)) => self.out.push_text(key, text),
            (None, _) => self.out.push(key, Slot::Null),
        }
    }

    fn integer(&mut self, key: &'static str, value: Option<i64>) {
        let Some(i) = self.next() else { return };
        let slot = match (value, (self.default)(i), &self.backend) {
            (_, ApiDefault::Port, Some(context)) => Slot::Integer(context.port),
            (Some(n), _, _) | (None, ApiDefault::Integer(n), _) => Slot::Integer(n),
            (None, _, _) => Slot::Null,
        };
        self.out.push(key, slot);
    }

    fn boolean(&mut self, key: &'static str, value: Option<bool>) {
        let Some(i) = self.next() else { return };
        let slot = match (value, (self.default)(i), &self.backend) {
            (_, ApiDefault::UseSslFromPort, Some(context)) => Slot::Bool(context.tls),
            (Some(b), _, _) | (None, ApiDefault::Bool(b), _) => Slot::Bool(b),
            (None, _, _) => Slot::Null,
        };
        self.out.push(key, slot);
    }

    fn strings(&mut self, key: &'static str, value: &Option<Vec<String>>) {
        if self.next().is_none() {
            return;
        }
        // The API returns a healthcheck's headers sorted: their order carries nothing.
        let items = value.as_ref().map(|items| items.iter().map(String::as_str));
        self.out.push_set(key, items);
    }
}

/// A backend's fields with the API's defaults; `share_key` is its `share_key`, else its
/// `service_id`, else `service_id` (the service's) (docs/design.md §4.3). `keep` says which
/// fields are compared, by index in [`BACKEND`].
pub fn backend(b: &Backend, service_id: Option<&str>, keep: &[bool], out: &mut Flat) {
    out.clear();
    // Absent, the API infers TLS from port 443, and the port from TLS (as generate does).
    let tls = b.use_ssl.unwrap_or(b.port == Some(443));
    fn own(s: &Option<String>) -> Option<&str> {
        s.as_deref().filter(|s| !s.is_empty())
    }
    let context = BackendContext {
        port: b.port.unwrap_or(if tls { 443 } else { 80 }),
        tls,
        share_key: own(&b.share_key).or(own(&b.service_id)).or(service_id),
    };
    b.visit_fields(&mut Collect {
        out,
        keep,
        at: 0,
        default: |i| BACKEND[i].default,
        backend: Some(context),
    });
}

/// A healthcheck's fields with the API's defaults, by index in [`HEALTHCHECK`].
pub fn healthcheck(hc: &Healthcheck, keep: &[bool], out: &mut Flat) {
    out.clear();
    hc.visit_fields(&mut Collect {
        out,
        keep,
        at: 0,
        default: |i| HEALTHCHECK[i].default,
        backend: None,
    });
}

/// A director's fields (docs/design.md §13.2): its API defaults, and its members as a set (the
/// API's director-backend relation is one), each by `member_key`.
pub fn director(d: &Director, keep: &[bool], member_key: impl Fn(&str) -> String, out: &mut Flat) {
    out.clear();
    let number =
        |n: Option<i64>, default: Option<i64>| n.or(default).map_or(Slot::Null, Slot::Integer);
    let slots = [
        number(d.kind, None),
        number(d.quorum, Some(director_defaults::QUORUM)),
        number(d.retries, Some(director_defaults::RETRIES)),
        number(d.capacity, Some(director_defaults::CAPACITY)),
    ];
    let mut slots = slots.into_iter();
    for (i, &(key, _)) in DIRECTOR_FIELDS.iter().enumerate() {
        let slot = slots.next();
        if !keep.get(i).copied().unwrap_or(false) {
            continue;
        }
        match key {
            "comment" => out.push_text(key, d.comment.as_deref().unwrap_or_default()),
            "shield" => out.push_text(key, d.shield.as_deref().unwrap_or_default()),
            "backends" => {
                let keys: Option<Vec<String>> = d
                    .backends
                    .as_ref()
                    .map(|names| names.iter().map(|n| member_key(n)).collect());
                out.push_set(key, keys.as_ref().map(|k| k.iter().map(String::as_str)));
            }
            _ => out.push(key, slot.unwrap_or(Slot::Null)),
        }
    }
}

/// A director's compared fields, in the model's order, and whether VCL can say them.
pub const DIRECTOR_FIELDS: [(&str, bool); 7] = [
    ("type", true),
    ("quorum", true),
    ("retries", true),
    ("capacity", false),
    ("comment", false),
    ("shield", false),
    ("backends", true),
];
