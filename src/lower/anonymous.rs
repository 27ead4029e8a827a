//! Anonymous backends inside directors (Varnish 2 style, which Fastly reads too):
//! `director d random { { .backend = { .host = "a"; .port = "80"; } .weight = 40; } }`.
//! The director parser (`syntax::director`) reads such a member as an object and leaves it
//! out of the director's members; this finds the objects in a director's text, so that
//! parse can report them and migrate can move them (src/migrate/director.rs).

use crate::diagnostic::{Diagnostic, Label};
use crate::span::Span;
use crate::syntax::skip::{Coarse, balanced_block, coarse_token};

/// An anonymous backend found in a director, not yet lowered.
pub struct Found<'a> {
    pub director: &'a str,
    /// From `.backend` to the end of the object.
    pub property: Span,
    /// The `{ ... }` object.
    pub object: Span,
}

/// The anonymous backends of the directors at `directors` (lowering's [`crate::lower::Lowered::directors`]),
/// in source order. Only the directors' own text is read.
pub fn find<'a>(src: &'a str, directors: &[Span]) -> Vec<Found<'a>> {
    let mut found = Vec::new();
    for &span in directors {
        let text = &src[span.start..span.end];
        let Some(director) = text
            .split_whitespace()
            .nth(1)
            .map(|n| n.trim_end_matches('{'))
        else {
            continue;
        };
        for (property, object) in objects(src, span) {
            found.push(Found {
                director,
                property,
                object,
            });
        }
    }
    found
}

/// The `.backend = { ... }` objects of the director at `span`: the span from `.backend` to the
/// object's end, and the object's.
fn objects(src: &str, span: Span) -> Vec<(Span, Span)> {
    let mut out = Vec::new();
    let mut rest = &src[span.start..span.end];
    let offset = |rest: &str| span.end - rest.len();
    // The last words read: `.backend` then `=` (or `.backend=` as one word).
    let mut backend_at: Option<usize> = None;
    let mut equals = false;
    while let Ok((next, token)) = coarse_token(rest) {
        let token_end = offset(next);
        let word = src[offset(rest)..token_end].trim_start();
        match token {
            Coarse::End => break,
            Coarse::Open if backend_at.is_some() && equals => {
                let open = token_end - 1;
                let mut ignored = Vec::new();
                let after = balanced_block(src, &src[open..span.end], &mut ignored);
                let end = span.end - after.len();
                if let Some(start) = backend_at {
                    out.push((Span::new(start, end), Span::new(open, end)));
                }
                rest = after;
                backend_at = None;
                equals = false;
                continue;
            }
            Coarse::Other if word == ".backend" => {
                backend_at = Some(token_end - word.len());
                equals = false;
            }
            Coarse::Other if word == ".backend=" => {
                backend_at = Some(token_end - word.len());
                equals = true;
            }
            Coarse::Other if word == "=" && backend_at.is_some() && !equals => equals = true,
            _ => {
                backend_at = None;
                equals = false;
            }
        }
        rest = next;
    }
    out
}

/// parse's word on each anonymous backend: it has no name, so it is not in the output.
pub fn report(src: &str, directors: &[Span]) -> Vec<Diagnostic> {
    find(src, directors)
        .into_iter()
        .map(|f| {
            Diagnostic::warning(
                "parse::anonymous-backend",
                format!(
                    "an anonymous backend of director `{}` has no name: it is not in the output",
                    f.director
                ),
            )
            .with_label(Label::primary(f.object, "a backend with no name"))
            .with_help(format!(
                "`migrate` moves it as backend `{}_<n>` (the n-th of the director); or declare it as `backend NAME {{ ... }}` and write `.backend = NAME;`",
                f.director
            ))
        })
        .collect()
}
