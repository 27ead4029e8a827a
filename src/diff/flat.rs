//! An object as the list of its compared fields, in its table's order, with the API's
//! defaults filled in where it leaves a field out (docs/design.md §13.2).

use serde_json::Value;

use crate::model::fields::{FieldVisitor, Fields};
use crate::model::properties::{ApiDefault, BACKEND, HEALTHCHECK};
use crate::model::{Backend, Director, Healthcheck, director_defaults};

/// Field names and values, in the table's order.
pub type Flat = Vec<(&'static str, Value)>;

/// Collects every known field of an object, absent ones as `null`.
struct Collect<'f>(&'f mut Flat);

impl FieldVisitor for Collect<'_> {
    fn string(&mut self, key: &'static str, value: &Option<String>) {
        self.0.push((
            key,
            value.as_ref().map_or(Value::Null, |s| s.as_str().into()),
        ));
    }
    fn integer(&mut self, key: &'static str, value: Option<i64>) {
        self.0.push((key, value.map_or(Value::Null, Value::from)));
    }
    fn boolean(&mut self, key: &'static str, value: Option<bool>) {
        self.0.push((key, value.map_or(Value::Null, Value::from)));
    }
    fn strings(&mut self, key: &'static str, value: &Option<Vec<String>>) {
        // An empty list is none, however a side writes it.
        let list = value
            .as_ref()
            .filter(|items| !items.is_empty())
            .map(|items| {
                // The API returns a healthcheck's headers sorted: their order carries nothing.
                let mut items: Vec<&str> = items.iter().map(String::as_str).collect();
                items.sort_unstable();
                Value::from(items)
            });
        self.0.push((key, list.unwrap_or(Value::Null)));
    }
}

fn fill(value: &mut Value, default: ApiDefault) {
    if !value.is_null() {
        return;
    }
    *value = match default {
        ApiDefault::Integer(n) => n.into(),
        ApiDefault::Bool(b) => b.into(),
        ApiDefault::Text(text) => text.into(),
        ApiDefault::None | ApiDefault::Port | ApiDefault::UseSslFromPort => Value::Null,
    };
}

/// A backend's fields with the API's defaults; `share_key` is its `service_id`, else
/// `service_id` (the service's), when it has none (docs/design.md §4.3). `keep` says which
/// fields are compared, by index in [`BACKEND`].
pub fn backend(b: &Backend, service_id: Option<&str>, keep: &[bool], out: &mut Flat) {
    out.clear();
    b.visit_fields(&mut Collect(out));
    let (port, use_ssl) = (b.port, b.use_ssl);
    // Absent, the API infers TLS from port 443, and the port from TLS (as generate does).
    let tls = use_ssl.unwrap_or(port == Some(443));
    for (i, (key, value)) in out.iter_mut().enumerate() {
        match BACKEND[i].default {
            ApiDefault::Port => *value = port.unwrap_or(if tls { 443 } else { 80 }).into(),
            ApiDefault::UseSslFromPort => *value = tls.into(),
            default => fill(value, default),
        }
        if *key == "share_key" && value.as_str().is_none_or(str::is_empty) {
            let own = b.service_id.as_deref().filter(|s| !s.is_empty());
            *value = own.or(service_id).map_or(Value::Null, Value::from);
        }
    }
    retain(out, keep);
}

/// A healthcheck's fields with the API's defaults, by index in [`HEALTHCHECK`].
pub fn healthcheck(hc: &Healthcheck, keep: &[bool], out: &mut Flat) {
    out.clear();
    hc.visit_fields(&mut Collect(out));
    for (i, (_, value)) in out.iter_mut().enumerate() {
        fill(value, HEALTHCHECK[i].default);
    }
    retain(out, keep);
}

/// A director's fields (docs/design.md §13.2): its API defaults, and its members sorted (the
/// API's director-backend relation is a set). Members are compared by `member_key`.
pub fn director(d: &Director, keep: &[bool], member_key: impl Fn(&str) -> String, out: &mut Flat) {
    out.clear();
    let text =
        |s: &Option<String>, default: &'static str| Value::from(s.as_deref().unwrap_or(default));
    let number =
        |n: Option<i64>, default: Option<i64>| n.or(default).map_or(Value::Null, Value::from);
    let members = d.backends.as_ref().map_or(Value::Null, |names| {
        let mut keys: Vec<String> = names.iter().map(|n| member_key(n)).collect();
        keys.sort_unstable();
        keys.into()
    });
    let values = [
        number(d.kind, None),
        number(d.quorum, Some(director_defaults::QUORUM)),
        number(d.retries, Some(director_defaults::RETRIES)),
        number(d.capacity, Some(director_defaults::CAPACITY)),
        text(&d.comment, ""),
        text(&d.shield, ""),
        members,
    ];
    out.extend(DIRECTOR_FIELDS.iter().map(|f| f.0).zip(values));
    retain(out, keep);
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

fn retain(out: &mut Flat, keep: &[bool]) {
    let mut i = 0;
    out.retain(|_| {
        i += 1;
        keep.get(i - 1).copied().unwrap_or(false)
    });
}
