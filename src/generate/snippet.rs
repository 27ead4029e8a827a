//! `generate --to snippet`: the bodies the snippet API takes (docs/design.md §4.9), the
//! declarations as an `init` snippet and the routing as a `recv` snippet.

use serde::Serialize;

/// The declarations' snippet: first among `init` snippets, before any that uses a backend.
pub const INIT_NAME: &str = "vcl-backend declarations";
pub const INIT_PRIORITY: &str = "10";
/// The routing's snippet: after the other `recv` snippets, as the generator's routing comes
/// after them.
pub const RECV_NAME: &str = "vcl-backend routing";
pub const RECV_PRIORITY: &str = "999";

/// One snippet, with the API's field names and its string-typed numbers.
#[derive(Debug, Serialize)]
pub struct Snippet<'a> {
    pub name: &'a str,
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub priority: &'a str,
    /// `"0"`: a versioned snippet, part of the service version like the objects it replaces.
    pub dynamic: &'a str,
    pub content: &'a str,
}

/// The snippets: `init` for the declarations, then `recv` when there is routing.
pub fn snippets<'a>(declarations: &'a str, recv: &'a str) -> Vec<Snippet<'a>> {
    let mut list = vec![Snippet {
        name: INIT_NAME,
        kind: "init",
        priority: INIT_PRIORITY,
        dynamic: "0",
        content: declarations,
    }];
    if !recv.is_empty() {
        list.push(Snippet {
            name: RECV_NAME,
            kind: "recv",
            priority: RECV_PRIORITY,
            dynamic: "0",
            content: recv,
        });
    }
    list
}

/// The snippets as a pretty JSON list, with a final newline.
pub fn snippets_json(snippets: &[Snippet]) -> String {
    // Serialising borrowed strings into a String cannot fail.
    let mut json = serde_json::to_string_pretty(snippets).unwrap_or_default();
    json.push('\n');
    json
}
