//! A director's `backends` as the API's documents hold them: names (what the API takes and
//! `parse` prints), or backend objects (the director schema of the API's reference), of which
//! the `name` is the member (docs/design.md §4.7).

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

/// One member: a name, or an object whose `name` is one (its other fields are the backend's,
/// read from the backends' own list).
struct Member(String);

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MemberVisitor)
    }
}

struct MemberVisitor;

impl<'de> Visitor<'de> for MemberVisitor {
    type Value = Member;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a backend name, or a backend object with a `name`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Member, E> {
        Ok(Member(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Member, E> {
        Ok(Member(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Member, A::Error> {
        let mut name = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<str>>()? {
            if key == "name" || key == "Name" {
                name = Some(map.next_value::<String>()?);
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        name.map(Member).ok_or_else(|| {
            de::Error::custom("a member object without a `name`: the backend's name is the member")
        })
    }
}

/// `null` or a list of members, each a name or an object with a `name`.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    d.deserialize_option(OptionalMembers)
}

struct OptionalMembers;

impl<'de> Visitor<'de> for OptionalMembers {
    type Value = Option<Vec<String>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of backend names, or of backend objects with a `name`")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(Members).map(Some)
    }
}

struct Members;

impl<'de> Visitor<'de> for Members {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of backend names, or of backend objects with a `name`")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(member) = seq.next_element::<Member>()? {
            out.push(member.0);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Director;

    #[test]
    fn members_are_names_or_objects_with_a_name() {
        let d: Director = serde_json::from_str(
            r#"{"name": "pool", "backends": ["a", {"name": "b", "address": "b.example"}]}"#,
        )
        .unwrap();
        assert_eq!(d.backends, Some(vec!["a".to_string(), "b".to_string()]));
        let none: Director = serde_json::from_str(r#"{"backends": null}"#).unwrap();
        assert_eq!(none.backends, None);
        let bad = serde_json::from_str::<Director>(r#"{"backends": [{"address": "x"}]}"#);
        assert!(bad.is_err());
        let not_a_list = serde_json::from_str::<Director>(r#"{"backends": "a"}"#);
        assert!(not_a_list.is_err());
    }
}
