//! `pretty_json` writes exactly what serde_json's pretty printer writes, for random backends
//! and healthchecks (every field of the model, strings with quotes, backslashes, control
//! characters and any other character, integers to their limits, unknown `extra` fields), at
//! random depths. The fields come from the model itself (its `Debug` output, typed by what
//! serde accepts), so a field added to the model is tested without touching this file.

mod support;

use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use vcl_backend::model::{Backend, Healthcheck};
use vcl_backend::pretty_json::{write_backend, write_healthcheck, write_list};

/// serde_json's pretty output with every line after the first indented to `depth`.
fn expected(value: &impl Serialize, depth: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap();
    text.replace('\n', &format!("\n{}", "  ".repeat(depth)))
}

/// The model's field names, from its `Debug` output (`Backend { name: None, ... }`).
fn field_names<T: Default + std::fmt::Debug>() -> Vec<String> {
    let debug = format!("{:?}", T::default());
    let inner = &debug[debug.find('{').unwrap() + 1..debug.rfind('}').unwrap()];
    inner
        .split(", ")
        .filter_map(|field| {
            field
                .split_once(": ")
                .map(|(name, _)| name.trim().to_string())
        })
        .filter(|name| name != "extra")
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Integer,
    Boolean,
    TextList,
}

/// Each field with the JSON type serde reads into it (and keeps out of `extra`).
fn typed_fields<T: Default + std::fmt::Debug + DeserializeOwned + Serialize>() -> Vec<(String, Kind)>
{
    let samples = [
        (Kind::Text, json!("x")),
        (Kind::Integer, json!(1)),
        (Kind::Boolean, json!(true)),
        (Kind::TextList, json!(["x"])),
    ];
    field_names::<T>()
        .into_iter()
        .map(|name| {
            let kind = samples
                .iter()
                .find(|(_, sample)| {
                    let object = json!({ name.clone(): sample.clone() });
                    serde_json::from_value::<T>(object)
                        .is_ok_and(|t| serde_json::to_value(&t).unwrap().get(&name).is_some())
                })
                .map(|(kind, _)| *kind)
                .unwrap_or_else(|| panic!("no JSON type reads into `{name}`"));
            (name, kind)
        })
        .collect()
}

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just('"'),
        Just('\\'),
        Just('\n'),
        Just('\u{1}'),
        Just('\u{7f}'),
        Just('é'),
        prop::char::range('a', 'z'),
        any::<char>(),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|chars| chars.into_iter().collect())
}

/// One value of each kind; the field's kind picks which is used.
#[derive(Debug, Clone)]
struct Values {
    text: String,
    integer: i64,
    boolean: bool,
    list: Vec<String>,
}

fn values() -> impl Strategy<Value = Option<Values>> {
    let integer = prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(0), any::<i64>()];
    prop::option::of(
        (
            text(),
            integer,
            any::<bool>(),
            prop::collection::vec(text(), 0..3),
        )
            .prop_map(|(text, integer, boolean, list)| Values {
                text,
                integer,
                boolean,
                list,
            }),
    )
}

/// A JSON object for `T` with the fields that have a value, and perhaps unknown ones.
fn object(
    fields: &[(String, Kind)],
    values: &[Option<Values>],
    extra: &[(String, i64)],
) -> Map<String, Value> {
    let mut map = Map::new();
    for ((name, kind), value) in fields.iter().zip(values) {
        let Some(v) = value else {
            continue;
        };
        let json = match kind {
            Kind::Text => json!(v.text),
            Kind::Integer => json!(v.integer),
            Kind::Boolean => json!(v.boolean),
            Kind::TextList => json!(v.list),
        };
        map.insert(name.clone(), json);
    }
    for (name, n) in extra {
        map.insert(format!("zz_{name}"), json!({ "n": n, "list": [n] }));
    }
    map
}

fn check<T: DeserializeOwned + Serialize>(
    map: Map<String, Value>,
    depth: usize,
    write: fn(&mut Vec<u8>, &T, usize),
) -> Result<(), TestCaseError> {
    let value: T = serde_json::from_value(Value::Object(map)).unwrap();
    let mut out = Vec::new();
    write(&mut out, &value, depth);
    prop_assert_eq!(String::from_utf8(out).unwrap(), expected(&value, depth));
    Ok(())
}

fn extra_fields() -> impl Strategy<Value = Vec<(String, i64)>> {
    prop_oneof![
        3 => Just(Vec::new()),
        1 => prop::collection::vec(("[a-z]{1,4}", any::<i64>()), 1..3),
    ]
}

proptest! {
    #![proptest_config(support::cases(256))]

    #[test]
    fn backends_are_written_as_serde_writes_them(
        values in prop::collection::vec(values(), 46),
        extra in extra_fields(),
        depth in 0usize..20,
    ) {
        let fields = typed_fields::<Backend>();
        check(object(&fields, &values, &extra), depth, write_backend)?;
    }

    #[test]
    fn healthchecks_are_written_as_serde_writes_them(
        values in prop::collection::vec(values(), 18),
        extra in extra_fields(),
        depth in 0usize..20,
    ) {
        let fields = typed_fields::<Healthcheck>();
        check(object(&fields, &values, &extra), depth, write_healthcheck)?;
    }
}

proptest! {
    #![proptest_config(support::cases(64))]

    #[test]
    fn lists_are_written_as_serde_writes_them(
        objects in prop::collection::vec(prop::collection::vec(values(), 46), 0..4),
        depth in 0usize..4,
    ) {
        let fields = typed_fields::<Backend>();
        let backends: Vec<Backend> = objects
            .iter()
            .map(|values| serde_json::from_value(Value::Object(object(&fields, values, &[]))).unwrap())
            .collect();
        let mut out = Vec::new();
        write_list(&mut out, &backends, write_backend, depth);
        prop_assert_eq!(String::from_utf8(out).unwrap(), expected(&backends, depth));
    }
}

#[test]
fn every_field_of_the_model_is_covered_with_its_type() {
    let backend = typed_fields::<Backend>();
    let healthcheck = typed_fields::<Healthcheck>();
    // The property tests draw one value per field: these counts are theirs.
    assert_eq!(backend.len(), 46);
    assert_eq!(healthcheck.len(), 18);
    assert!(backend.contains(&("port".to_string(), Kind::Integer)));
    assert!(healthcheck.contains(&("headers".to_string(), Kind::TextList)));
}

#[test]
fn empty_objects_and_lists_are_written_as_serde_writes_them() {
    let mut out = Vec::new();
    write_backend(&mut out, &Backend::default(), 2);
    assert_eq!(out, b"{}");
    let hc = Healthcheck {
        headers: Some(Vec::new()),
        ..Healthcheck::default()
    };
    let mut out = Vec::new();
    write_healthcheck(&mut out, &hc, 1);
    assert_eq!(String::from_utf8(out).unwrap(), expected(&hc, 1));
}
