//! `include "NAME";`: the files a Fastly VCL file pulls in. A backend declared in an included
//! file is declared for the file that includes it, so lint reads them (docs/design.md §5.3).
//! Finding the files is the caller's (the CLI looks beside the including file); this module
//! reads the statements and the names an included text declares.

use crate::ast::Item;
use crate::syntax::{Dialect, Parser};

/// What the files a file includes declare, as its caller found them.
#[derive(Debug, Clone, Default)]
pub struct Included {
    /// Backends and directors declared in the included files.
    pub names: std::collections::HashSet<String>,
    /// True when every `include` of the file (and of the files it includes) was read: only
    /// then is a name declared nowhere certainly undeclared.
    pub complete: bool,
}

/// The names of the files `text` includes, in order: `include "backends";` gives `backends`.
pub fn include_names(text: &str, dialect: Dialect) -> Vec<String> {
    Parser::new_in(text, dialect)
        .filter_map(|item| match item {
            Item::Other(form) if form.keyword == "include" => {
                quoted(&text[form.span.start..form.span.end]).map(str::to_string)
            }
            _ => None,
        })
        .collect()
}

/// The backends and directors `text` declares.
pub fn declared_names(text: &str, dialect: Dialect) -> Vec<String> {
    Parser::new_in(text, dialect)
        .filter_map(|item| match item {
            Item::Backend(b) => Some(b.name.text.to_string()),
            Item::Other(form) if form.keyword == "director" => {
                let rest = text[form.span.start..form.span.end].strip_prefix("director")?;
                let name = rest.split_whitespace().next()?;
                Some(name.trim_end_matches('{').to_string())
            }
            _ => None,
        })
        .collect()
}

/// The text between the first pair of double quotes.
fn quoted(statement: &str) -> Option<&str> {
    let (_, rest) = statement.split_once('"')?;
    let (inside, _) = rest.split_once('"')?;
    (!inside.is_empty()).then_some(inside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_and_the_names_they_declare_are_read() {
        let main = "include \"backends\";\n# include \"not_this\";\nsub vcl_recv { set req.backend = a; }\ninclude \"ratelimits\";\n";
        assert_eq!(
            include_names(main, Dialect::Fastly),
            ["backends", "ratelimits"]
        );
        let backends = "backend a { .host = \"a\"; }\ndirector pool random { { .backend = a; .weight = 1; } }\n";
        assert_eq!(declared_names(backends, Dialect::Fastly), ["a", "pool"]);
    }
}
