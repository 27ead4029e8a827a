//! Reading Fastly API JSON as users really have it: one backend object, a list (the list
//! endpoint, or `fastly service backend list --json`), or `{"backends": [...],
//! "healthchecks": [...], "directors": [...]}`; healthchecks and directors alone the same ways;
//! and locating objects and fields in the text for diagnostics.
//!
//! Reading is one serde pass over the text. Only when something must be reported is the text
//! read again ([`SpanIndex`]) to find where each object and field is, so the common case costs
//! no more than serde_json itself.

mod spans;

use spans::object_spans;
pub use spans::{ObjectSpans, SpanIndex, place};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::diagnostic::{Diagnostic, Label};
use crate::model::{Backend, Condition, Config, Director, Healthcheck, ObjectKind};
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
/// a healthcheck, a list of them, or a config's healthchecks; `Director` a director, a list of
/// them (the director list endpoint's), or a config's directors.
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
        (Some(b'['), ObjectKind::Director) => serde_json::from_str(text).map(|directors| {
            (
                Config {
                    directors,
                    ..Config::default()
                },
                Shape::List,
            )
        }),
        (Some(b'['), ObjectKind::Condition) => serde_json::from_str(text).map(|conditions| {
            (
                Config {
                    conditions,
                    ..Config::default()
                },
                Shape::List,
            )
        }),
        (Some(b'{'), ObjectKind::Director) => read_director_object(text),
        (Some(b'{'), ObjectKind::Condition) => read_condition_object(text),
        (Some(b'{'), _) => match serde_json::from_str::<TopLevel>(text) {
            Ok(top) if top.is_mixed() => return Err(vec![mixed_top_level(file, kind)]),
            Ok(top) => top.into_config(kind),
            Err(e) => Err(e),
        },
        _ => return Err(shape_of(file, kind).err().unwrap_or_default()),
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
            let shape = shape_of(file, kind)?;
            Err(type_errors(file, shape, kind))
        }
    }
}

/// A directors file's top-level object: `{"directors": [...]}` (what `parse` prints; its
/// other lists are not a directors file's), or one director, whose `backends` are its members'
/// names.
fn read_director_object(text: &str) -> Result<(Config, Shape), serde_json::Error> {
    let mut object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text)?;
    let (directors, shape) = match object.remove("directors") {
        Some(directors) => (serde_json::from_value(directors)?, Shape::Config),
        None => (
            vec![serde_json::from_value(serde_json::Value::Object(object))?],
            Shape::Single,
        ),
    };
    let config = Config {
        directors,
        ..Config::default()
    };
    Ok((config, shape))
}

/// A conditions file's top-level object: `{"conditions": [...]}`, or one condition.
fn read_condition_object(text: &str) -> Result<(Config, Shape), serde_json::Error> {
    let mut object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text)?;
    let (conditions, shape) = match object.remove("conditions") {
        Some(conditions) => (serde_json::from_value(conditions)?, Shape::Config),
        None => (
            vec![serde_json::from_value(serde_json::Value::Object(object))?],
            Shape::Single,
        ),
    };
    let config = Config {
        conditions,
        ..Config::default()
    };
    Ok((config, shape))
}

/// A top-level object, read in one pass: the two lists typed as they stream by, any other
/// key kept as a value (then the object is a single backend or healthcheck).
struct TopLevel {
    backends: Option<Vec<Backend>>,
    healthchecks: Option<Vec<Healthcheck>>,
    /// `parse`'s `directors` key: a config's directors beside `backends` or `healthchecks`,
    /// otherwise a field of the single object (kept in its `extra`).
    directors: Option<serde_json::Value>,
    /// A config's conditions beside `backends` (docs/design.md §4.8), as `directors` are.
    conditions: Option<serde_json::Value>,
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
                directors: match self.directors {
                    Some(directors) => serde_json::from_value(directors)?,
                    None => Vec::new(),
                },
                conditions: match self.conditions {
                    Some(conditions) => serde_json::from_value(conditions)?,
                    None => Vec::new(),
                },
            };
            return Ok((config, Shape::Config));
        }
        let mut rest = self.rest;
        if let Some(directors) = self.directors {
            rest.insert("directors".to_owned(), directors);
        }
        if let Some(conditions) = self.conditions {
            rest.insert("conditions".to_owned(), conditions);
        }
        let object = serde_json::Value::Object(rest);
        let config = match kind {
            ObjectKind::Backend => Config {
                backends: vec![serde_json::from_value(object)?],
                ..Config::default()
            },
            ObjectKind::Healthcheck => Config {
                healthchecks: vec![serde_json::from_value(object)?],
                ..Config::default()
            },
            ObjectKind::Director => Config {
                directors: vec![serde_json::from_value(object)?],
                ..Config::default()
            },
            ObjectKind::Condition => Config {
                conditions: vec![serde_json::from_value(object)?],
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
                    directors: None,
                    conditions: None,
                    rest: serde_json::Map::new(),
                };
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "backends" => top.backends = Some(map.next_value()?),
                        "healthchecks" => top.healthchecks = Some(map.next_value()?),
                        "directors" => top.directors = Some(map.next_value()?),
                        "conditions" => top.conditions = Some(map.next_value()?),
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
fn shape_of(file: &SourceFile, kind: ObjectKind) -> Result<Shape, Vec<Diagnostic>> {
    #[derive(Deserialize)]
    struct Top<'a> {
        #[serde(borrow, default)]
        backends: Option<&'a RawValue>,
        #[serde(borrow, default)]
        healthchecks: Option<&'a RawValue>,
        #[serde(borrow, default)]
        directors: Option<&'a RawValue>,
        #[serde(borrow, default)]
        conditions: Option<&'a RawValue>,
    }
    let text = json_text(file);
    let raw: &RawValue = serde_json::from_str(text).map_err(|e| vec![syntax_error(file, &e)])?;
    match raw.get().as_bytes().first() {
        Some(b'[') => Ok(Shape::List),
        Some(b'{') => {
            let top: Top =
                serde_json::from_str(raw.get()).map_err(|e| vec![syntax_error(file, &e)])?;
            // A director's own `backends` lists its members: a directors file is a config
            // only with `directors`.
            let config = match kind {
                ObjectKind::Director => top.directors.is_some(),
                ObjectKind::Condition => top.conditions.is_some(),
                _ => top.backends.is_some() || top.healthchecks.is_some(),
            };
            if config {
                Ok(Shape::Config)
            } else {
                Ok(Shape::Single)
            }
        }
        _ => {
            let start = offset_in(&file.text, raw.get());
            let word = kind.word();
            let config = match kind {
                ObjectKind::Director => "{\"directors\": [...]}",
                ObjectKind::Condition => "{\"conditions\": [...]}",
                _ => "{\"backends\": [...], \"healthchecks\": [...]}",
            };
            Err(vec![
                Diagnostic::error("json::unexpected-shape", format!("expected a {word} object, a list of them, or {config}"))
                    .with_label(Label::primary(Span::new(start, start + raw.get().len()), "not an object or a list"))
                    .with_help(match kind {
                        // The Fastly CLI has no director command.
                        ObjectKind::Director => "give the JSON of `GET /service/ID/version/N/director`".to_owned(),
                        ObjectKind::Condition => "give the JSON of `GET /service/ID/version/N/condition`".to_owned(),
                        _ => format!("give the JSON of `GET /service/ID/version/N/{word}`, or `fastly service {word} list --json`"),
                    }),
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
        .replace("expected struct Director", "expected a director object")
        .replace("expected struct Condition", "expected a condition object")
        .replace(
            "data did not match any variant of untagged enum Priority",
            "expected a priority: an integer, or a string holding one",
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
        (ObjectKind::Director, &index.directors),
        (ObjectKind::Condition, &index.conditions),
    ] {
        for (i, object) in objects.iter().enumerate() {
            let raw = &file.text[object.whole.start..object.whole.end];
            let errors = match kind {
                ObjectKind::Backend => deserialize_errors::<Backend>(raw),
                ObjectKind::Healthcheck => deserialize_errors::<Healthcheck>(raw),
                ObjectKind::Director => deserialize_errors::<Director>(raw),
                ObjectKind::Condition => deserialize_errors::<Condition>(raw),
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
