//! `generate --to fastly-cli`: a bash script that clones a version with the Fastly CLI,
//! creates the snippets in the clone with `fastly service vcl snippet create`, and deletes
//! the objects they replace with `fastly service backend|healthcheck delete` (directors with
//! curl: the CLI has no director commands). docs/design.md §4.11 and §8 record what the real
//! CLI sends.

use super::Replacement;
use super::script::{check_version, closing, deletes, file_name, opening, snippet_files};
use crate::generate::snippet::Snippet;
use crate::migrate::{ServiceVersion, curl, shell};
use crate::model::ObjectKind;

/// The script. `target.version` is the version to clone (default: the active one).
pub fn emit(replacement: &Replacement, snippets: &[Snippet], target: &ServiceVersion) -> String {
    let source = match target.version {
        Some(v) => format!("version {v}"),
        None => "the active version".to_string(),
    };
    let mut out = opening(replacement, snippets, target, "fastly-cli", &source);
    if !replacement.directors.is_empty() {
        out.push_str(
            ": \"${FASTLY_API_TOKEN:?the directors are deleted with curl (the Fastly CLI has no director commands), which needs FASTLY_API_TOKEN}\"\n",
        );
    }
    snippet_files(&mut out, snippets);
    let from = target
        .version
        .map_or_else(|| "active".to_string(), |v| v.to_string());
    // The clone's number is read from the CLI's JSON: its top-level `"Number"` line.
    out.push_str(&format!(
        "FASTLY_SERVICE_VERSION=$(fastly service version clone --non-interactive \\\n  \
         --service-id=\"$FASTLY_SERVICE_ID\" {} --json \\\n  \
         | sed -n 's/^  \"Number\": \\([0-9][0-9]*\\),\\{{0,1\\}}$/\\1/p')\n",
        shell::flag("version", &from)
    ));
    check_version(&mut out);
    for (i, snippet) in snippets.iter().enumerate() {
        out.push('\n');
        out.push_str(&shell::comment_out(&format!("snippet `{}`", snippet.name)));
        out.push('\n');
        let mut args = start("vcl snippet create");
        args.push(shell::flag("name", snippet.name));
        args.push(shell::flag("type", snippet.kind));
        args.push(shell::flag("priority", snippet.priority));
        // A path the CLI reads the content from: a value this long is no argument for exec.
        args.push(format!("--content=\"{}\"", file_name(i, snippet.kind)));
        push_command(&mut out, &args);
    }
    for (kind, name) in deletes(replacement) {
        out.push('\n');
        out.push_str(&shell::comment_out(&format!("{} `{name}`", kind.word())));
        out.push('\n');
        if kind == ObjectKind::Director {
            out.push_str("# The Fastly CLI has no director commands: curl deletes it.\n");
            let url = curl::url(&ServiceVersion::default(), kind, Some(name));
            out.push_str(&curl::command("DELETE", &url, &[]));
            out.push('\n');
            continue;
        }
        let mut args = start(&format!("{} delete", kind.word()));
        args.push(shell::flag("name", name));
        push_command(&mut out, &args);
    }
    out.push('\n');
    closing(&mut out, false);
    out
}

/// `fastly service WHAT --non-interactive` on the service and the clone.
fn start(what: &str) -> Vec<String> {
    vec![
        format!("fastly service {what} --non-interactive"),
        "--service-id=\"$FASTLY_SERVICE_ID\"".to_string(),
        "--version=\"$FASTLY_SERVICE_VERSION\"".to_string(),
    ]
}

fn push_command(out: &mut String, args: &[String]) {
    out.push_str(&args.join(" \\\n  "));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::snippet::snippets;
    use crate::model::{Backend, Config, Director};

    /// The script for `config`, with a declaration and a routing snippet.
    fn emit_for(config: &Config, target: &ServiceVersion) -> String {
        let snippets = snippets("backend F_a {}\n", "  set req.backend = F_a;\n");
        emit(&Replacement::new(config), &snippets, target)
    }

    #[test]
    fn clones_creates_the_snippets_then_deletes_what_they_replace() {
        let config = Config {
            backends: vec![Backend {
                name: Some("a'b".into()),
                ..Backend::default()
            }],
            ..Config::default()
        };
        let text = emit_for(&config, &ServiceVersion::default());
        let clone = text.find("fastly service version clone").unwrap();
        let create = text.find("fastly service vcl snippet create").unwrap();
        let delete = text.find("fastly service backend delete").unwrap();
        assert!(clone < create && create < delete, "{text}");
        assert!(text.contains("--version='active' --json"));
        assert!(text.contains("--name='a'\\''b'"));
        // Activation is said, never run.
        assert!(
            !text
                .lines()
                .any(|l| l.contains("version activate") && !l.starts_with("echo "))
        );
        assert!(text.contains("echo \"Activate it: fastly service version activate"));
        assert!(
            !text.contains("FASTLY_API_TOKEN:?"),
            "no director: no token check"
        );
        assert!(text.contains("cat >\"$work/0-init.vcl\" <<'VCL_BACKEND_EOF'\nbackend F_a {}\n"));
    }

    #[test]
    fn directors_are_deleted_first_with_curl() {
        let config = Config {
            backends: vec![Backend {
                name: Some("a".into()),
                ..Backend::default()
            }],
            directors: vec![Director {
                name: Some("pool".into()),
                backends: Some(vec!["a".into()]),
                ..Director::default()
            }],
            ..Config::default()
        };
        let text = emit_for(
            &config,
            &ServiceVersion {
                service_id: Some("SVC".into()),
                version: Some(4),
            },
        );
        assert!(text.contains("FASTLY_SERVICE_ID='SVC'\n"));
        assert!(text.contains("--version='4' --json"));
        let director = text.find("-X DELETE").unwrap();
        assert!(director < text.find("fastly service backend delete").unwrap());
        assert!(text.contains("/director/pool\""));
        assert!(text.contains(": \"${FASTLY_API_TOKEN:?"));
    }
}
