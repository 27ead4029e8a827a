//! Where each object and field of an API JSON document is, for diagnostics: built only when
//! something must be reported ([`SpanIndex`]), and the placing of generate's findings in it.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::diagnostic::{Diagnostic, Label};
use crate::generate::Finding;
use crate::model::ObjectKind;
use crate::source::SourceFile;
use crate::span::Span;

use super::{Shape, json_text, offset_in, syntax_error};

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
    /// The elements' spans of each field whose value is a list, by position in `fields`.
    elements: HashMap<usize, Vec<Span>>,
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
    /// names it; `backends[2]` is the third element of the list `backends`.
    pub fn field(&self, name: &str) -> Option<Span> {
        let wanted = name.split('.').next().unwrap_or(name);
        if let Some((key, element)) = wanted.split_once('[') {
            let at = self.position(key)?;
            let element = element
                .strip_suffix(']')
                .and_then(|n| n.parse::<usize>().ok());
            let list = self.elements.get(&at);
            let span = element.and_then(|n| list?.get(n).copied());
            return span.or_else(|| self.fields.get(at).map(|&(_, span)| span));
        }
        self.position(wanted)
            .and_then(|i| self.fields.get(i))
            .map(|&(_, span)| span)
    }

    /// The position in `fields` of the first key naming the field `wanted`.
    fn position(&self, wanted: &str) -> Option<usize> {
        let first = |squashed: &str| self.first_by_squashed_key.get(squashed).copied();
        // Go names that are not the API's name squashed.
        let go_name = match wanted {
            "version" => Some("serviceversion"),
            "tcp_keepalive_interval" => Some("tcpkeepaliveintvl"),
            _ => None,
        };
        match (first(&squash(wanted)), go_name.and_then(first)) {
            (Some(api), Some(go)) => Some(api.min(go)),
            (api, go) => api.or(go),
        }
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
    pub directors: Vec<ObjectSpans>,
    pub conditions: Vec<ObjectSpans>,
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
            #[serde(borrow, default)]
            directors: Vec<&'a RawValue>,
            #[serde(borrow, default)]
            conditions: Vec<&'a RawValue>,
        }
        let text = json_text(file);
        let wrong_shape = |e: serde_json::Error| vec![syntax_error(file, &e)];
        let mut top = match shape {
            Shape::Config => serde_json::from_str(text).map_err(wrong_shape)?,
            Shape::List | Shape::Single => Top {
                backends: Vec::new(),
                healthchecks: Vec::new(),
                directors: Vec::new(),
                conditions: Vec::new(),
            },
        };
        let own = match kind {
            ObjectKind::Backend => &mut top.backends,
            ObjectKind::Healthcheck => &mut top.healthchecks,
            ObjectKind::Director => &mut top.directors,
            ObjectKind::Condition => &mut top.conditions,
        };
        match shape {
            Shape::Config => {}
            Shape::List => *own = serde_json::from_str(text).map_err(wrong_shape)?,
            Shape::Single => *own = vec![serde_json::from_str(text).map_err(wrong_shape)?],
        }
        let spans = |raws: Vec<&RawValue>| {
            raws.into_iter()
                .map(|r| object_spans(&file.text, r.get()))
                .collect()
        };
        Ok(SpanIndex {
            shape: Some(shape),
            backends: spans(top.backends),
            healthchecks: spans(top.healthchecks),
            directors: spans(top.directors),
            conditions: spans(top.conditions),
        })
    }

    pub fn object(&self, kind: ObjectKind, index: usize) -> Option<&ObjectSpans> {
        match kind {
            ObjectKind::Backend => self.backends.get(index),
            ObjectKind::Healthcheck => self.healthchecks.get(index),
            ObjectKind::Director => self.directors.get(index),
            ObjectKind::Condition => self.conditions.get(index),
        }
    }

    /// The JSON path of an object's field, e.g. `backends[2].port`.
    pub fn path(&self, kind: ObjectKind, index: usize, field: Option<&str>) -> String {
        let object = match (self.shape, kind) {
            (Some(Shape::Single), _) => String::new(),
            (Some(Shape::List), _) => format!("[{index}]"),
            (_, ObjectKind::Backend) => format!("backends[{index}]"),
            (_, ObjectKind::Healthcheck) => format!("healthchecks[{index}]"),
            (_, ObjectKind::Director) => format!("directors[{index}]"),
            (_, ObjectKind::Condition) => format!("conditions[{index}]"),
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
pub(super) fn object_spans(text: &str, raw: &str) -> ObjectSpans {
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
        if value.get().starts_with('[')
            && let Ok(list) = serde_json::from_str::<Vec<&RawValue>>(value.get())
        {
            let elements = list.iter().map(|element| {
                let at = offset_in(text, element.get());
                Span::new(at, at + element.get().len())
            });
            spans
                .elements
                .insert(spans.fields.len(), elements.collect());
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
