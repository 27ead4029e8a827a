//! The Fastly API's condition object (`/service/{id}/version/{n}/condition`): a VCL
//! expression with a type and a priority, which a backend's `request_condition` names.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The condition type that routes requests to a backend: the only one generate realises
/// (docs/design.md §4.8).
pub const REQUEST: &str = "REQUEST";

/// The priority the API gives a condition created without one (docs/design.md §4.8).
pub const DEFAULT_PRIORITY: i64 = 100;

/// A condition's priority as the input holds it: the API returns a string (`"10"`), the
/// Fastly CLI and users write a number; written back as it came.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Priority {
    Number(i64),
    Text(String),
}

impl Priority {
    /// The number, when the text is one (surrounding white space is not).
    pub fn value(&self) -> Option<i64> {
        match self {
            Priority::Number(n) => Some(*n),
            Priority::Text(text) => text.parse().ok(),
        }
    }
}

/// A Fastly API condition object.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Condition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Name")]
    pub name: Option<String>,
    /// The VCL expression, e.g. `req.url.path ~ "^/api/"`; `""` means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Statement")]
    pub statement: Option<String>,
    /// `REQUEST`, `CACHE`, `RESPONSE` or `PREFETCH`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Type")]
    pub kind: Option<String>,
    /// Lower runs first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Priority")]
    pub priority: Option<Priority>,
    /// `""` means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Comment")]
    pub comment: Option<String>,
    // Read-only metadata: kept so an exported service writes back as it came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "ServiceID")]
    pub service_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "ServiceVersion")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "CreatedAt")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "UpdatedAt")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(alias = "DeletedAt")]
    pub deleted_at: Option<String>,
    /// Fields this model does not know, in input order; written back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Condition {
    /// Whether it is a request condition; an absent type is read as one (the API requires
    /// a type, and a backend's `request_condition` can only name one).
    pub fn is_request(&self) -> bool {
        crate::model::none_if_empty(&self.kind).is_none_or(|k| k.eq_ignore_ascii_case(REQUEST))
    }

    /// The priority, the API's default when absent; `Err` holds text that is no number.
    pub fn priority(&self) -> Result<i64, &str> {
        match &self.priority {
            None => Ok(DEFAULT_PRIORITY),
            Some(p) => p.value().ok_or(match p {
                Priority::Text(t) => t.as_str(),
                Priority::Number(_) => "",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_condition_reads_priority_as_text_and_writes_it_back() {
        let text = r#"{"name":"api","statement":"req.url.path ~ \"^/api/\"","type":"REQUEST","priority":"10","comment":"","service_id":"S","version":3,"future":1}"#;
        let c: Condition = serde_json::from_str(text).unwrap();
        assert_eq!(c.priority(), Ok(10));
        assert!(c.is_request());
        assert_eq!(c.extra.keys().collect::<Vec<_>>(), ["future"]);
        assert_eq!(serde_json::to_string(&c).unwrap(), text);
    }

    #[test]
    fn cli_names_and_numeric_priority_read() {
        let c: Condition = serde_json::from_str(
            r#"{"Name":"n","Statement":"true","Type":"CACHE","Priority":5,"ServiceVersion":2}"#,
        )
        .unwrap();
        assert_eq!(c.priority(), Ok(5));
        assert!(!c.is_request());
        assert_eq!(c.version, Some(2));
        assert!(c.extra.is_empty());
    }

    #[test]
    fn absent_priority_is_the_api_default_and_bad_text_is_kept() {
        assert_eq!(Condition::default().priority(), Ok(DEFAULT_PRIORITY));
        let c: Condition = serde_json::from_str(r#"{"priority":"high"}"#).unwrap();
        assert_eq!(c.priority(), Err("high"));
        assert!(serde_json::from_str::<Condition>(r#"{"priority":true}"#).is_err());
    }
}
