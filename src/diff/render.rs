//! A diff printed for people (like a plan: `+`, `-`, `~` and `field: old -> new`) or as JSON
//! (docs/design.md §13.5). People's output shows every value JSON-quoted with hidden
//! characters escaped (§10.3); JSON keeps exact values.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use crate::controls::{for_terminal, is_hidden};
use crate::diff::{Change, ChangeKind, Diff};

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// Writes each change for a terminal: an object's header, then its changed fields indented.
pub fn write_human(diff: &Diff, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let paint = |code: &'static str| if color { code } else { "" };
    let mut last: Option<&Change> = None;
    for change in &diff.changes {
        let same_object = last.is_some_and(|l| l.kind == change.kind && l.name == change.name);
        if !same_object {
            let (sign, code) = match change.change {
                ChangeKind::Added => ('+', GREEN),
                ChangeKind::Removed => ('-', RED),
                ChangeKind::Changed => ('~', YELLOW),
            };
            writeln!(
                out,
                "{}{sign} {} {}{}",
                paint(code),
                change.kind.word(),
                name(&change.name),
                paint(RESET)
            )?;
        }
        if let Some(field) = change.field {
            writeln!(
                out,
                "    {field}: {} -> {}",
                value(&change.a),
                value(&change.b)
            )?;
        }
        last = Some(change);
    }
    Ok(())
}

/// A name as it is when plain, else JSON-quoted with hidden characters escaped, so that no
/// name can start a line of its own or move the cursor.
fn name(name: &str) -> std::borrow::Cow<'_, str> {
    let plain = !name.is_empty() && !name.chars().any(|c| is_hidden(c) || c == '"');
    if plain {
        name.into()
    } else {
        for_terminal(&Value::from(name).to_string())
            .into_owned()
            .into()
    }
}

/// A value as JSON on one line, hidden characters escaped (JSON leaves bidi controls raw).
fn value(v: &Value) -> String {
    for_terminal(&v.to_string()).into_owned()
}

#[derive(Serialize)]
struct JsonDiff<'d> {
    equal: bool,
    changes: Vec<JsonChange<'d>>,
    not_compared: &'d [&'static str],
}

#[derive(Serialize)]
struct JsonChange<'d> {
    kind: &'static str,
    name: &'d str,
    change: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
    a: &'d Value,
    b: &'d Value,
}

/// Writes `{"equal": ..., "changes": [...], "not_compared": [...]}`, pretty, with a newline.
pub fn write_json(diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    let json = JsonDiff {
        equal: diff.is_equal(),
        changes: diff
            .changes
            .iter()
            .map(|c| JsonChange {
                kind: c.kind.word(),
                name: &c.name,
                change: c.change.word(),
                field: c.field,
                a: &c.a,
                b: &c.b,
            })
            .collect(),
        not_compared: &diff.not_compared,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}

/// "2 changes: 1 added, 1 changed" (the objects added, removed and changed), or "equal".
pub fn summary(diff: &Diff) -> String {
    if diff.is_equal() {
        return "equal".to_owned();
    }
    let mut counts = [0usize; 3];
    let mut last: Option<&Change> = None;
    for change in &diff.changes {
        if last.is_none_or(|l| l.kind != change.kind || l.name != change.name) {
            counts[change.change as usize] += 1;
        }
        last = Some(change);
    }
    let total: usize = counts.iter().sum();
    let parts: Vec<String> = [
        (counts[0], "added"),
        (counts[1], "removed"),
        (counts[2], "changed"),
    ]
    .into_iter()
    .filter(|&(n, _)| n > 0)
    .map(|(n, word)| format!("{n} {word}"))
    .collect();
    let (s, verb) = if total == 1 {
        ("", "differs")
    } else {
        ("s", "differ")
    };
    format!("{total} object{s} {verb}: {}", parts.join(", "))
}
