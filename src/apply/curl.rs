//! `generate --to curl`: the Fastly CLI script's requests, made with curl: the clone, one
//! `POST .../snippet` per snippet (the content read from its file by `--data-urlencode
//! content@FILE`), then one `DELETE` per object replaced (docs/design.md §4.11).

use super::Replacement;
use super::script::{check_version, closing, deletes, file_name, opening, snippet_files};
use crate::generate::snippet::Snippet;
use crate::migrate::{ServiceVersion, curl, shell};

/// The script. `target.version` is the version to clone; without it, the script clones
/// `FASTLY_SERVICE_VERSION` (the API names the active version only inside a JSON document
/// bash cannot read reliably).
pub fn emit(replacement: &Replacement, snippets: &[Snippet], target: &ServiceVersion) -> String {
    let source = match target.version {
        Some(v) => format!("version {v}"),
        None => "version $FASTLY_SERVICE_VERSION (normally the active one)".to_string(),
    };
    let mut out = opening(replacement, snippets, target, "curl", &source);
    out.push_str(": \"${FASTLY_API_TOKEN:?set it to an API token that can change the service}\"\n");
    let from = match target.version {
        Some(v) => v.to_string(),
        None => {
            out.push_str(
                ": \"${FASTLY_SERVICE_VERSION:?set it to the version to clone, normally the active one (fastly service version list)}\"\n",
            );
            "${FASTLY_SERVICE_VERSION}".to_string()
        }
    };
    snippet_files(&mut out, snippets);
    let clone = format!(
        "\"{}/service/${{FASTLY_SERVICE_ID}}/version/{from}/clone\"",
        curl::ENDPOINT
    );
    // The API answers with the clone as one line of JSON: its `"number"`.
    out.push_str(&format!(
        "FASTLY_SERVICE_VERSION=$({} \\\n  | sed -n 's/^.*\"number\":[[:space:]]*\\([0-9][0-9]*\\).*$/\\1/p')\n",
        curl::command("PUT", &clone, &[])
    ));
    check_version(&mut out);
    let here = ServiceVersion::default();
    for (i, snippet) in snippets.iter().enumerate() {
        out.push('\n');
        out.push_str(&shell::comment_out(&format!("snippet `{}`", snippet.name)));
        out.push('\n');
        let mut args = Vec::new();
        for (field, value) in [
            ("name", snippet.name),
            ("type", snippet.kind),
            ("priority", snippet.priority),
            ("dynamic", snippet.dynamic),
        ] {
            args.extend(curl::data_args(field, &[value.to_string()]));
        }
        args.push(format!(
            "--data-urlencode \"content@{}\"",
            file_name(i, snippet.kind)
        ));
        let url = format!(
            "\"{}/service/${{FASTLY_SERVICE_ID:?}}/version/${{FASTLY_SERVICE_VERSION:?}}/snippet\"",
            curl::ENDPOINT
        );
        out.push_str(&curl::command("POST", &url, &args));
        out.push('\n');
    }
    for (kind, name) in deletes(replacement) {
        out.push('\n');
        out.push_str(&shell::comment_out(&format!("{} `{name}`", kind.word())));
        out.push('\n');
        let url = curl::url(&here, kind, Some(name));
        out.push_str(&curl::command("DELETE", &url, &[]));
        out.push('\n');
    }
    out.push('\n');
    closing(&mut out, true);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::snippet::snippets;
    use crate::model::{Backend, Config};

    #[test]
    fn without_a_version_the_clone_is_of_the_one_the_environment_names() {
        let config = Config {
            backends: vec![Backend {
                name: Some("a b".into()),
                ..Backend::default()
            }],
            ..Config::default()
        };
        let r = Replacement::new(&config);
        let s = snippets("backend F_a {}\n", "");
        let text = emit(&r, &s, &ServiceVersion::default());
        assert!(text.contains(": \"${FASTLY_SERVICE_VERSION:?"), "{text}");
        assert!(text.contains("/version/${FASTLY_SERVICE_VERSION}/clone\""));
        assert!(text.contains("--data-urlencode \"content@$work/0-init.vcl\""));
        assert!(text.contains("-X DELETE \"${FASTLY_API_ENDPOINT:-https://api.fastly.com}/service/${FASTLY_SERVICE_ID:?}/version/${FASTLY_SERVICE_VERSION:?}/backend/a%20b\""));
        assert_eq!(
            text.matches("-X POST").count(),
            1,
            "one snippet: no routing"
        );
        let with_version = emit(
            &r,
            &s,
            &ServiceVersion {
                service_id: None,
                version: Some(7),
            },
        );
        assert!(with_version.contains("/version/7/clone\""));
        assert!(!with_version.contains("FASTLY_SERVICE_VERSION:?set"));
    }
}
