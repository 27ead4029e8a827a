//! What the Fastly CLI script and the curl script share: the header, the snippets' files,
//! the deletes' order and the closing words (docs/design.md §4.11).

use std::fmt::Write;

use super::Replacement;
use crate::controls;
use crate::generate::snippet::Snippet;
use crate::migrate::{ServiceVersion, shell};
use crate::model::ObjectKind;

/// The file a snippet's content is written to, under the script's temporary directory.
pub(super) fn file_name(index: usize, kind: &str) -> String {
    format!("$work/{index}-{kind}.vcl")
}

/// The script's opening: what it does, the service, the temporary directory and every
/// snippet's file. `tool` says what runs the commands.
pub(super) fn opening(
    replacement: &Replacement,
    snippets: &[Snippet],
    target: &ServiceVersion,
    tool: &str,
    source: &str,
) -> String {
    let mut out = String::from("#!/usr/bin/env bash\n");
    let _ = writeln!(
        out,
        "# Written by `vcl-backend generate --to {tool}`.\n\
         # In a clone of {source} of the service, it creates the snippets"
    );
    for s in snippets {
        let _ = writeln!(
            out,
            "#   `{}` (type {}, priority {})",
            s.name, s.kind, s.priority
        );
    }
    let _ = writeln!(
        out,
        "# then deletes the API objects they replace: {}.\n\
         # Nothing is activated: the script ends by printing the commands that validate and\n\
         # activate the clone.",
        replacement.deleted_summary(),
    );
    for line in replacement.kept_lines() {
        out.push_str(&shell::comment_out(&format!("Kept: {line}.")));
        out.push('\n');
    }
    out.push_str("set -euo pipefail\n");
    match &target.service_id {
        Some(id) => {
            let _ = writeln!(out, "FASTLY_SERVICE_ID={}", shell::quote(id));
        }
        None => out.push_str(
            ": \"${FASTLY_SERVICE_ID:?set it to the service whose backends these snippets replace}\"\n",
        ),
    }
    out
}

/// The temporary directory and each snippet's content written to its file exactly.
pub(super) fn snippet_files(out: &mut String, snippets: &[Snippet]) {
    out.push_str("work=$(mktemp -d)\ntrap 'rm -rf \"$work\"' EXIT\n");
    for (i, snippet) in snippets.iter().enumerate() {
        write_file(out, &file_name(i, snippet.kind), snippet.content);
    }
}

/// Writes `content` to `path` (a double-quoted shell word's inside) exactly: as a quoted
/// heredoc when it is lines ending in a newline with no other hidden character, so the script
/// reads as the VCL does; otherwise as one quoted `printf` word (a heredoc would show the
/// character raw, or add a final newline).
pub(super) fn write_file(out: &mut String, path: &str, content: &str) {
    let readable = content.ends_with('\n')
        && !content
            .chars()
            .any(|c| controls::is_hidden(c) && c != '\n' && c != '\t');
    if !readable {
        let _ = writeln!(out, "printf '%s' {} >\"{path}\"", shell::quote(content));
        return;
    }
    // bash ends a heredoc at a line that is the delimiter exactly.
    let delimiter = shell::unused_delimiter("VCL_BACKEND_EOF", content.lines());
    let _ = write!(
        out,
        "cat >\"{path}\" <<'{delimiter}'\n{content}{delimiter}\n"
    );
}

/// The checks after the clone: the version is a number, and said.
pub(super) fn check_version(out: &mut String) {
    out.push_str(
        "[[ $FASTLY_SERVICE_VERSION =~ ^[0-9]+$ ]] || { echo \"the clone's version number could not be read\" >&2; exit 1; }\n\
         echo \"Changing version $FASTLY_SERVICE_VERSION of service $FASTLY_SERVICE_ID (a clone).\" >&2\n",
    );
}

/// Every object to delete, in an order the API accepts: directors (they name backends),
/// backends, then healthchecks (backends name them).
pub(super) fn deletes<'a>(replacement: &'a Replacement) -> Vec<(ObjectKind, &'a str)> {
    let kinds = [
        (ObjectKind::Director, &replacement.directors),
        (ObjectKind::Backend, &replacement.backends),
        (ObjectKind::Healthcheck, &replacement.healthchecks),
    ];
    kinds
        .into_iter()
        .flat_map(|(kind, names)| names.iter().map(move |n| (kind, *n)))
        .collect()
}

/// The closing words: nothing is active; how to validate and activate, with the CLI or, for
/// a curl script, with curl.
pub(super) fn closing(out: &mut String, with_curl: bool) {
    out.push_str(
        "echo \"Done: version $FASTLY_SERVICE_VERSION holds the snippets and no longer the objects they replace. Nothing was activated.\" >&2\n",
    );
    if with_curl {
        let version = "${FASTLY_API_ENDPOINT:-https://api.fastly.com}/service/$FASTLY_SERVICE_ID/version/$FASTLY_SERVICE_VERSION";
        let _ = write!(
            out,
            "echo \"Validate it: curl -sS -H 'Fastly-Key: ...' {version}/validate\" >&2\n\
             echo \"Activate it: curl -sS -X PUT -H 'Fastly-Key: ...' {version}/activate\" >&2\n"
        );
        return;
    }
    out.push_str(
        "echo \"Validate it: fastly service version validate --service-id=$FASTLY_SERVICE_ID --version=$FASTLY_SERVICE_VERSION\" >&2\n\
         echo \"Activate it: fastly service version activate --service-id=$FASTLY_SERVICE_ID --version=$FASTLY_SERVICE_VERSION\" >&2\n",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_a_heredoc_whose_delimiter_is_no_line_of_it() {
        let mut out = String::new();
        write_file(
            &mut out,
            "$work/a",
            "x\nVCL_BACKEND_EOF\nVCL_BACKEND_EOF1\n",
        );
        assert!(
            out.starts_with("cat >\"$work/a\" <<'VCL_BACKEND_EOF2'\nx\n"),
            "{out}"
        );
        assert!(out.ends_with("\nVCL_BACKEND_EOF2\n"));
    }

    #[test]
    fn content_without_a_final_newline_or_with_hidden_characters_is_one_quoted_word() {
        let mut out = String::new();
        write_file(&mut out, "$work/a", "x");
        assert_eq!(out, "printf '%s' 'x' >\"$work/a\"\n");
        out.clear();
        write_file(&mut out, "$work/a", "a\r\n$(x)\n");
        assert_eq!(out, "printf '%s' $'a\\r\\n$(x)\\n' >\"$work/a\"\n");
    }
}
