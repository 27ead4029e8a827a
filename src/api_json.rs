//! Reading Fastly API JSON as users really have it: one backend object, a list (the list
//! endpoint, or `fastly service backend list --json`), or `{"backends": [...],
//! "healthchecks": [...]}`; and locating objects and fields in the text for diagnostics.
//!
//! Reading is one serde pass over the text. Only when something must be reported is the text
//! read again ([`SpanIndex`]) to find where each object and field is, so the common case costs
//! no more than serde_json itself.

use std::collections::HashMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::diagnostic::{Diagnostic, Label};
use crate::generate::Finding;
use crate::model::{Backend, Config, Healthcheck, ObjectKind};
use crate::source::SourceFile;
use crate::span::Span;

/// The shape of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A single object of the expected kind.
    Single,
    /// A list of objects of the expected kind.
    List,
    /// `{"backends": [...], "healthchecks": [...]}`.
    Config,
}

/// What to read a document as: `Backend` reads any shape into a config; `Healthcheck` reads
/// a healthcheck, a list of them, or a config's healthchecks.
pub fn read(file: &SourceFile, kind: ObjectKind) -> Result<(Config, Shape), Vec<Diagnostic>> {
    let text = json_text(file);
    let fast = match (text.trim_start().as_bytes().first(), kind) {
        (Some(b'['), ObjectKind::Backend) => serde_json::from_str(text).map(|backends| {
            (
                Config {
                    backends,
                    ..Config::default()
                },
                Shape::List,
            )
        }),
        (Some(b'['), ObjectKind::Healthcheck) => serde_json::from_str(text).map(|healthchecks| {
            (
                Config {
                    healthchecks,
                    ..Config::default()
                },
                Shape::List,
            )
        }),
        (Some(b'{'), _) => match serde_json::from_str::<TopLevel>(text) {
            Ok(top) if top.is_mixed() => return Err(vec![mixed_top_level(file, kind)]),
            Ok(top) => top.into_config(kind),
            Err(e) => Err(e),
        },
        _ => return Err(shape_of(file).err().unwrap_or_default()),
    };
    match fast {
        Ok((config, shape)) => match mixed_objects(file, &config, shape, kind) {
            mixed if mixed.is_empty() => Ok((config, shape)),
            mixed => Err(mixed),
        },
        Err(e) if e.classify() != serde_json::error::Category::Data => {
            Err(vec![syntax_error(file, &e)])
        }
        // Well-formed, but a value has the wrong type: read each object on its own, to report
        // every problem with its path and place.
        Err(_) => {
            let shape = shape_of(file)?;
            Err(type_errors(file, shape, kind))
        }
    }
}

/// A top-level object, read in one pass: the two lists typed as they stream by, any other
/// key kept as a value (then the object is a single backend or healthcheck).
struct TopLevel {
    backends: Option<Vec<Backend>>,
    healthchecks: Option<Vec<Healthcheck>>,
    rest: serde_json::Map<String, serde_json::Value>,
}

impl TopLevel {
    /// Both a config (`backends` or `healthchecks`) and an object of its own (any other key
    /// but read-only metadata): docs/design.md §2.18.
    fn is_mixed(&self) -> bool {
        (self.backends.is_some() || self.healthchecks.is_some())
            && self
                .rest
                .keys()
                .any(|k| !crate::model::properties::is_metadata(k))
    }

    fn into_config(self, kind: ObjectKind) -> Result<(Config, Shape), serde_json::Error> {
        if self.backends.is_some() || self.healthchecks.is_some() {
            let config = Config {
                backends: self.backends.unwrap_or_default(),
                healthchecks: self.healthchecks.unwrap_or_default(),
            };
            return Ok((config, Shape::Config));
        }
        let object = serde_json::Value::Object(self.rest);
        let config = match kind {
            ObjectKind::Backend => Config {
                backends: vec![serde_json::from_value(object)?],
                ..Config::default()
            },
            ObjectKind::Healthcheck => Config {
                healthchecks: vec![serde_json::from_value(object)?],
                ..Config::default()
            },
        };
        Ok((config, Shape::Single))
    }
}

impl<'de> Deserialize<'de> for TopLevel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = TopLevel;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<TopLevel, A::Error> {
                let mut top = TopLevel {
                    backends: None,
                    healthchecks: None,
                    rest: serde_json::Map::new(),
                };
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "backends" => top.backends = Some(map.next_value()?),
                        "healthchecks" => top.healthchecks = Some(map.next_value()?),
                        _ => {
                            let value = map.next_value()?;
                            top.rest.insert(key, value);
                        }
                    }
                }
                Ok(top)
            }
        }
        d.deserialize_map(V)
    }
}

/// The text of a JSON input without the UTF-8 byte order mark Windows tools write (a slice
/// of the file's text, so offsets into it are found with [`offset_in`]).
fn json_text(file: &SourceFile) -> &str {
    file.text.strip_prefix('\u{feff}').unwrap_or(&file.text)
}

/// Keys that make an object a config: one that also has them is two documents in one.
const CONFIG_KEYS: [&str; 2] = ["backends", "healthchecks"];

/// A top-level object that is a config and a backend (or healthcheck) at once: both readings
/// named, as either would drop what the other keeps (docs/design.md §2.18).
fn mixed_top_level(file: &SourceFile, kind: ObjectKind) -> Diagnostic {
    let text = json_text(file);
    let spans = object_spans(&file.text, text.trim());
    let config_key = spans
        .fields()
        .iter()
        .find(|(k, _)| CONFIG_KEYS.contains(&k.as_str()));
    let other_key = spans.fields().iter().find(|(k, _)| {
        !CONFIG_KEYS.contains(&k.as_str()) && !crate::model::properties::is_metadata(k)
    });
    let word = kind.word();
    let mut d = Diagnostic::error(
        "json::mixed-shape",
        format!(
            "this object is both a config (`{{\"backends\": [...], \"healthchecks\": [...]}}`) and a {word}: read as either, it would lose what the other reading keeps"
        ),
    );
    if let Some((key, span)) = config_key {
        d = d.with_label(Label::primary(
            *span,
            format!("`{key}`: read as a config, only the lists are kept"),
        ));
    }
    if let Some((key, span)) = other_key {
        d = d.with_label(Label::secondary(
            *span,
            format!(
                "`{key}`: read as a {word}, `{}` would be an unknown field",
                config_key.map_or("backends", |(k, _)| k.as_str())
            ),
        ));
    }
    if d.labels.is_empty() {
        d = d.with_label(Label::primary(spans.whole, "this object"));
    }
    d.with_help(format!(
        "split it: a config holds only `backends` and `healthchecks`; put this {word}'s own fields in an object of that list"
    ))
}

/// Objects of a list that also carry `backends` or `healthchecks`: read as a backend (or
/// healthcheck) the list would be kept as an unknown field, unread (docs/design.md §2.18).
/// Only when one does is the text read again for places.
fn mixed_objects(
    file: &SourceFile,
    config: &Config,
    shape: Shape,
    kind: ObjectKind,
) -> Vec<Diagnostic> {
    let has_config_key = |extra: &serde_json::Map<String, serde_json::Value>| {
        CONFIG_KEYS.iter().any(|k| extra.contains_key(*k))
    };
    let backends = config.backends.iter().map(|b| has_config_key(&b.extra));
    let healthchecks = config.healthchecks.iter().map(|h| has_config_key(&h.extra));
    let mixed: Vec<(ObjectKind, usize)> = backends
        .enumerate()
        .filter(|&(_, m)| m)
        .map(|(i, _)| (ObjectKind::Backend, i))
        .chain(
            healthchecks
                .enumerate()
                .filter(|&(_, m)| m)
                .map(|(i, _)| (ObjectKind::Healthcheck, i)),
        )
        .collect();
    if mixed.is_empty() {
        return Vec::new();
    }
    let index = SpanIndex::build(file, shape, kind).unwrap_or_default();
    mixed
        .into_iter()
        .map(|(of, i)| {
            let word = of.word();
            let object = index.object(of, i);
            let key = object.and_then(|o| {
                o.fields()
                    .iter()
                    .find(|(k, _)| CONFIG_KEYS.contains(&k.as_str()))
            });
            let path = index.path(of, i, None);
            let d = Diagnostic::error(
                "json::mixed-shape",
                format!("object `{path}` is both a {word} and a config: its `{}` list would be kept as an unknown field, unread", key.map_or("backends", |(k, _)| k.as_str())),
            );
            let d = match (key, object) {
                (Some((k, span)), Some(o)) => d
                    .with_label(Label::primary(*span, format!("read as a config, `{k}` holds objects of their own")))
                    .with_label(Label::secondary(Span::at(o.whole.start), format!("read as a {word}, this object is one"))),
                (_, Some(o)) => d.with_label(Label::primary(o.whole, "this object")),
                _ => d.with_label(Label::primary(Span::at(0), "this document")),
            };
            d.with_help(format!("a {word} has no `backends` or `healthchecks`: move the list to the top level (`{{\"backends\": [...], \"healthchecks\": [...]}}`)"))
        })
        .collect()
}

/// Tells a config from a list from a single object; malformed JSON is reported here.
fn shape_of(file: &SourceFile) -> Result<Shape, Vec<Diagnostic>> {
    #[derive(Deserialize)]
    struct Top<'a> {
        #[serde(borrow, default)]
        backends: Option<&'a RawValue>,
        #[serde(borrow, default)]
        healthchecks: Option<&'a RawValue>,
    }
    let text = json_text(file);
    let raw: &RawValue = serde_json::from_str(text).map_err(|e| vec![syntax_error(file, &e)])?;
    match raw.get().as_bytes().first() {
        Some(b'[') => Ok(Shape::List),
        Some(b'{') => {
            let top: Top =
                serde_json::from_str(raw.get()).map_err(|e| vec![syntax_error(file, &e)])?;
            if top.backends.is_some() || top.healthchecks.is_some() {
                Ok(Shape::Config)
            } else {
                Ok(Shape::Single)
            }
        }
        _ => {
            let start = offset_in(&file.text, raw.get());
            Err(vec![
                Diagnostic::error("json::unexpected-shape", "expected a backend object, a list of them, or {\"backends\": [...], \"healthchecks\": [...]}")
                    .with_label(Label::primary(Span::new(start, start + raw.get().len()), "not an object or a list"))
                    .with_help("give the JSON of `GET /service/ID/version/N/backend`, or `fastly service backend list --json`"),
            ])
        }
    }
}

fn syntax_error(file: &SourceFile, e: &serde_json::Error) -> Diagnostic {
    // serde_json counts from after a byte order mark (read without it): on its line, so do we.
    let bom = file.text.len() - json_text(file).len();
    let column = if e.line() == 1 {
        e.column() + bom
    } else {
        e.column()
    };
    let offset = file.offset_of(e.line(), column);
    let message = plain_message(e);
    if e.classify() == serde_json::error::Category::Data {
        // Well-formed JSON of the wrong shape (e.g. `"backends": {}`).
        return Diagnostic::error("json::unexpected-shape", format!("unexpected shape: {message}"))
            .with_label(Label::primary(Span::at(offset), message))
            .with_help(
                "expected a backend object, a list of them, or {\"backends\": [...], \"healthchecks\": [...]}",
            );
    }
    Diagnostic::error("json::syntax", format!("malformed JSON: {message}"))
        .with_label(Label::primary(Span::at(offset), message))
        .with_help("the input must be JSON as the Fastly API or `fastly ... --json` prints it")
}

/// serde_json's message without its " at line L column C" (the label says where), with
/// Rust type names put in words.
fn plain_message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    message
        .replace("expected i64", "expected an integer")
        .replace("expected a boolean", "expected `true` or `false`")
        .replace("expected struct Backend", "expected a backend object")
        .replace(
            "expected struct Healthcheck",
            "expected a healthcheck object",
        )
}

/// Byte offset of `part` (a slice of `whole`) in `whole`.
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// The slow path: every object read on its own, every type error reported with its JSON path
/// and its place.
fn type_errors(file: &SourceFile, shape: Shape, kind: ObjectKind) -> Vec<Diagnostic> {
    let index = match SpanIndex::build(file, shape, kind) {
        Ok(index) => index,
        Err(d) => return d,
    };
    let mut diagnostics = Vec::new();
    for (kind, objects) in [
        (ObjectKind::Backend, &index.backends),
        (ObjectKind::Healthcheck, &index.healthchecks),
    ] {
        for (i, object) in objects.iter().enumerate() {
            let raw = &file.text[object.whole.start..object.whole.end];
            let errors = match kind {
                ObjectKind::Backend => deserialize_errors::<Backend>(raw),
                ObjectKind::Healthcheck => deserialize_errors::<Healthcheck>(raw),
            };
            // Every wrong field of the object, not only the first serde meets.
            for (path, message, at) in errors {
                let name = object.name.as_deref().unwrap_or("?");
                let field = Some(path.as_str()).filter(|p| !p.is_empty());
                let where_ = index.path(kind, i, field);
                let at = object.whole.start + at.unwrap_or(0);
                let field_span = object.field(&path).unwrap_or(Span::at(at));
                diagnostics.push(
                    Diagnostic::error("json::wrong-type", format!("{} `{name}` ({where_}): {message}", kind.word()))
                        .with_label(Label::primary(field_span, message))
                        .with_help("values must have the API's JSON types, e.g. `\"port\": 443` (an integer), `\"use_ssl\": true`"),
                );
            }
        }
    }
    if diagnostics.is_empty() {
        // A shape error serde found outside any object (e.g. "backends" not a list).
        diagnostics.push(Diagnostic::error("json::unexpected-shape", "the document does not have the expected shape")
            .with_label(Label::primary(Span::new(0, file.text.len().min(1)), "here"))
            .with_help("expected a backend object, a list of them, or {\"backends\": [...], \"healthchecks\": [...]}"));
    }
    diagnostics
}

fn deserialize_error<T: DeserializeOwned>(raw: &str) -> Option<(String, serde_json::Error)> {
    let mut de = serde_json::Deserializer::from_str(raw);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(_) => None,
        // An error about the object itself has the path `.`: no field.
        Err(e) => {
            let path = e.path().to_string();
            Some((path.trim_start_matches('.').to_string(), e.into_inner()))
        }
    }
}

/// Every type error of the object `raw`: its field path, the message, and (for the first,
/// which serde places) the offset in `raw`. The first is read from the text; then the
/// offending field is taken out and the object read again, until it reads or an error is
/// not about one field. At most one round per field.
fn deserialize_errors<T: DeserializeOwned>(raw: &str) -> Vec<(String, String, Option<usize>)> {
    let Some((path, e)) = deserialize_error::<T>(raw) else {
        return Vec::new();
    };
    let first_at = file_offset_in(raw, e.line(), e.column());
    let mut errors = vec![(path, trimmed_message(&e), Some(first_at))];
    let Ok(serde_json::Value::Object(mut object)) = serde_json::from_str(raw) else {
        return errors;
    };
    while let Some((path, _, _)) = errors.last() {
        // `headers[1]` or `a.b`: the top-level key to take out.
        let key = path.split(['[', '.']).next().unwrap_or("").to_string();
        if key.is_empty() || object.remove(&key).is_none() {
            break;
        }
        let value = serde_json::Value::Object(object.clone());
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(_) => break,
            Err(e) => {
                let path = e.path().to_string().trim_start_matches('.').to_string();
                let message = trimmed_message(e.inner());
                errors.push((path, message, None));
            }
        }
    }
    errors
}

/// serde's message without its "at line L column C".
fn trimmed_message(e: &serde_json::Error) -> String {
    let message = plain_message(e);
    message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string()
}

/// Offset in `text` of a 1-based line and column, as serde_json counts them.
fn file_offset_in(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// Where an object is, and where its top-level fields' values are.
#[derive(Debug, Clone, Default)]
pub struct ObjectSpans {
    pub whole: Span,
    pub name: Option<String>,
    /// Keys and the spans of their values, in the object's order.
    fields: Vec<(String, Span)>,
    /// The position in `fields` of the first key of each squashed name: a lookup per
    /// finding, each comparing with every key, was quadratic on an object of many keys.
    first_by_squashed_key: HashMap<String, usize>,
}

impl ObjectSpans {
    /// Keys and the spans of their values, in the object's order.
    pub fn fields(&self) -> &[(String, Span)] {
        &self.fields
    }

    fn push_field(&mut self, key: String, span: Span) {
        let at = self.fields.len();
        self.first_by_squashed_key.entry(squash(&key)).or_insert(at);
        self.fields.push((key, span));
    }

    /// The span of a field's value, by API name or the CLI's Go name: the first key that
    /// names it.
    pub fn field(&self, name: &str) -> Option<Span> {
        let wanted = name.split('.').next().unwrap_or(name);
        let first = |squashed: &str| self.first_by_squashed_key.get(squashed).copied();
        // Go names that are not the API's name squashed.
        let go_name = match wanted {
            "version" => Some("serviceversion"),
            "tcp_keepalive_interval" => Some("tcpkeepaliveintvl"),
            _ => None,
        };
        let at = match (first(&squash(wanted)), go_name.and_then(first)) {
            (Some(api), Some(go)) => Some(api.min(go)),
            (api, go) => api.or(go),
        };
        at.and_then(|i| self.fields.get(i)).map(|&(_, span)| span)
    }
}

/// A key with underscores dropped and letters lowercased, so that `SSLCACert` and
/// `ssl_ca_cert` are the same.
fn squash(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where every object of a document is: built only when a diagnostic needs a place.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    pub shape: Option<Shape>,
    pub backends: Vec<ObjectSpans>,
    pub healthchecks: Vec<ObjectSpans>,
}

impl SpanIndex {
    pub fn build(
        file: &SourceFile,
        shape: Shape,
        kind: ObjectKind,
    ) -> Result<Self, Vec<Diagnostic>> {
        #[derive(Deserialize)]
        struct Top<'a> {
            #[serde(borrow, default)]
            backends: Vec<&'a RawValue>,
            #[serde(borrow, default)]
            healthchecks: Vec<&'a RawValue>,
        }
        let text = json_text(file);
        let wrong_shape = |e: serde_json::Error| vec![syntax_error(file, &e)];
        let (backends, healthchecks): (Vec<&RawValue>, Vec<&RawValue>) = match (shape, kind) {
            (Shape::Config, _) => {
                let top: Top = serde_json::from_str(text).map_err(wrong_shape)?;
                (top.backends, top.healthchecks)
            }
            (Shape::List, ObjectKind::Backend) => {
                (serde_json::from_str(text).map_err(wrong_shape)?, Vec::new())
            }
            (Shape::List, ObjectKind::Healthcheck) => {
                (Vec::new(), serde_json::from_str(text).map_err(wrong_shape)?)
            }
            (Shape::Single, ObjectKind::Backend) => (
                vec![serde_json::from_str(text).map_err(wrong_shape)?],
                Vec::new(),
            ),
            (Shape::Single, ObjectKind::Healthcheck) => (
                Vec::new(),
                vec![serde_json::from_str(text).map_err(wrong_shape)?],
            ),
        };
        let spans = |raws: Vec<&RawValue>| {
            raws.into_iter()
                .map(|r| object_spans(&file.text, r.get()))
                .collect()
        };
        Ok(SpanIndex {
            shape: Some(shape),
            backends: spans(backends),
            healthchecks: spans(healthchecks),
        })
    }

    pub fn object(&self, kind: ObjectKind, index: usize) -> Option<&ObjectSpans> {
        match kind {
            ObjectKind::Backend => self.backends.get(index),
            ObjectKind::Healthcheck => self.healthchecks.get(index),
        }
    }

    /// The JSON path of an object's field, e.g. `backends[2].port`.
    pub fn path(&self, kind: ObjectKind, index: usize, field: Option<&str>) -> String {
        let object = match (self.shape, kind) {
            (Some(Shape::Single), _) => String::new(),
            (Some(Shape::List), _) => format!("[{index}]"),
            (_, ObjectKind::Backend) => format!("backends[{index}]"),
            (_, ObjectKind::Healthcheck) => format!("healthchecks[{index}]"),
        };
        match field {
            Some(f) if object.is_empty() => f.to_string(),
            Some(f) => format!("{object}.{f}"),
            None if object.is_empty() => "the object".to_string(),
            None => object,
        }
    }
}

/// Scans one object's raw text for its top-level keys and the spans of their values.
fn object_spans(text: &str, raw: &str) -> ObjectSpans {
    let base = offset_in(text, raw);
    let mut spans = ObjectSpans {
        whole: Span::new(base, base + raw.len()),
        ..ObjectSpans::default()
    };
    let Ok(map) = serde_json::from_str::<entries::Entries>(raw) else {
        return spans;
    };
    for (key, value) in map.0 {
        let start = offset_in(text, value.get());
        if key == "name" || key == "Name" {
            spans.name = serde_json::from_str::<String>(value.get()).ok();
        }
        spans.push_field(key, Span::new(start, start + value.get().len()));
    }
    spans
}

/// An object's entries in order, values left raw (so their place in the text is known).
mod entries {
    use serde::de::{Deserializer, MapAccess, Visitor};
    use serde_json::value::RawValue;

    pub struct Entries<'a>(pub Vec<(String, &'a RawValue)>);

    impl<'de: 'a, 'a> serde::Deserialize<'de> for Entries<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Entries<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut entries = Vec::new();
                    while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                        entries.push(entry);
                    }
                    Ok(Entries(entries))
                }
            }
            d.deserialize_map(V)
        }
    }
}

/// A generate finding as a diagnostic, labelled at its place in the input when `index` knows
/// it (the input was JSON text; a model built in code has no places).
pub fn place(finding: &Finding, index: Option<&SpanIndex>) -> Diagnostic {
    let mut d = finding.diagnostic.clone();
    let span_of = |subject: &crate::generate::Subject| {
        let object = index?.object(subject.kind, subject.index)?;
        Some(
            subject
                .field
                .as_deref()
                .and_then(|f| object.field(f))
                .unwrap_or(object.whole),
        )
    };
    if let Some(span) = span_of(&finding.target) {
        d = d.with_label(Label::primary(span, finding.label.clone()));
    }
    for (subject, label) in &finding.related {
        if let Some(span) = span_of(subject) {
            d = d.with_label(Label::secondary(span, label.clone()));
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lookup this replaced, every key compared in turn: the spans must stay the same.
    fn field_by_comparing(fields: &[(String, Span)], name: &str) -> Option<Span> {
        let go_name_matches = |key: &str, api: &str| {
            let key = squash(key);
            key == squash(api)
                || (api == "healthcheck" && key == "healthcheck")
                || (api == "version" && key == "serviceversion")
                || (api == "tcp_keepalive_interval" && key == "tcpkeepaliveintvl")
        };
        let wanted = name.split('.').next().unwrap_or(name);
        fields
            .iter()
            .find(|(key, _)| key == wanted || go_name_matches(key, wanted))
            .map(|&(_, span)| span)
    }

    fn object(keys: &[&str]) -> ObjectSpans {
        let mut object = ObjectSpans::default();
        for (i, key) in keys.iter().enumerate() {
            object.push_field(key.to_string(), Span::new(i, i + 1));
        }
        object
    }

    #[test]
    fn fields_are_found_by_api_and_go_names_the_first_first() {
        let o = object(&[
            "SSLCACert",
            "ssl_ca_cert",
            "ServiceVersion",
            "version",
            "TCPKeepaliveIntvl",
            "Port",
        ]);
        assert_eq!(o.field("ssl_ca_cert"), Some(Span::new(0, 1)));
        assert_eq!(o.field("version"), Some(Span::new(2, 3)));
        assert_eq!(o.field("tcp_keepalive_interval"), Some(Span::new(4, 5)));
        assert_eq!(o.field("port.inner"), Some(Span::new(5, 6)));
        assert_eq!(o.field("address"), None);
        let o = object(&[
            "version",
            "ServiceVersion",
            "tcp_keepalive_interval",
            "TCPKeepaliveIntvl",
        ]);
        assert_eq!(o.field("version"), Some(Span::new(0, 1)));
        assert_eq!(o.field("tcp_keepalive_interval"), Some(Span::new(2, 3)));
        assert_eq!(o.field("serviceversion"), Some(Span::new(1, 2)));
        assert_eq!(ObjectSpans::default().field("name"), None);
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::cases(512))]

        /// Any keys, any name: the same span as comparing with every key.
        #[test]
        fn fields_are_those_found_by_comparing(
            keys in proptest::collection::vec(KEY, 0..10),
            name in KEY,
            path in "(|\\.[a-z]{1,3})",
        ) {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let name = format!("{name}{path}");
            let o = object(&keys);
            let fields = o.fields().to_vec();
            proptest::prop_assert_eq!(o.field(&name), field_by_comparing(&fields, &name));
        }
    }

    /// API names, Go names, their near misses, and letters whose lowercase is longer.
    const KEY: &str = "version|Version|ServiceVersion|service_version|tcp_keepalive_interval|TCPKeepaliveIntvl|tcpkeepaliveintvl|healthcheck|HealthCheck|ssl_ca_cert|SSLCACert|ssl_c_a_cert|_|[a-cA-C_İ]{0,4}";
}
