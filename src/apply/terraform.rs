//! `generate --to terraform`: `snippet { }` blocks for a `fastly_service_vcl` resource of
//! terraform-provider-fastly, after comments naming the `backend`, `healthcheck` and
//! `director` blocks they replace (docs/design.md §4.11). The content is a heredoc escaped as
//! migrate's values are (§9, §10.2): no line of it ends the heredoc, and `${` / `%{` start no
//! template.

use super::Replacement;
use crate::controls;
use crate::generate::snippet::Snippet;
use crate::migrate::terraform::hcl::{HclBlock, Value, quoted, render_block};

pub fn emit(replacement: &Replacement, snippets: &[Snippet]) -> String {
    let mut out = String::from(
        "# VCL snippets written by `vcl-backend generate --to terraform`, for the body of your\n\
         # `resource \"fastly_service_vcl\"` (terraform-provider-fastly).\n",
    );
    let removed = [
        ("backend", &replacement.backends),
        ("healthcheck", &replacement.healthchecks),
        ("director", &replacement.directors),
    ];
    if removed.iter().any(|(_, names)| !names.is_empty()) {
        out.push_str(
            "# They replace these blocks: remove them from the resource in the same change\n\
             # (two declarations of one backend do not compile):\n",
        );
        for (kind, names) in removed {
            for name in names {
                // As the block writes it, so a search finds it.
                comment(
                    &mut out,
                    &format!("  {kind} block with name = {}", quoted(name)),
                );
            }
        }
    }
    for line in replacement.kept_lines() {
        comment(&mut out, &format!("Keep: {line}."));
    }
    for snippet in snippets {
        let mut block = HclBlock::new("snippet");
        block.str("name", Some(snippet.name), "");
        block.str("type", Some(snippet.kind), "");
        // The constants are whole numbers (generate::snippet).
        let priority = snippet.priority.parse().unwrap_or(100);
        block.attributes.push(("priority", Value::Int(priority)));
        block.str("content", Some(snippet.content), "");
        out.push('\n');
        render_block(&mut out, &block);
    }
    out
}

/// `# text`, every hidden character of a name escaped.
fn comment(out: &mut String, text: &str) {
    for line in text.lines() {
        out.push_str("# ");
        out.push_str(&controls::for_terminal(line));
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::snippet::snippets;
    use crate::model::{Backend, Config};

    #[test]
    fn names_the_blocks_to_remove_and_escapes_the_content() {
        let config = Config {
            backends: vec![Backend {
                name: Some("a\u{1b}[2J".into()),
                ..Backend::default()
            }],
            ..Config::default()
        };
        let r = Replacement::new(&config);
        let text = emit(&r, &snippets("x \"${y}\" %{z}\n", "EOT\n"));
        assert!(
            text.contains("#   backend block with name = \"a\\u001b[2J\"\n"),
            "{text}"
        );
        assert!(!text.contains('\u{1b}'));
        assert!(
            text.contains("content  = <<EOT\nx \"$${y}\" %%{z}\nEOT\n"),
            "{text}"
        );
        assert!(text.contains("<<EOT1\nEOT\nEOT1\n"), "{text}");
    }
}
