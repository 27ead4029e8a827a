//! Lowering: the source-side tree to the API model, as docs/design.md §2 fixes it. The only place
//! where names and units change; every value that cannot be carried across is reported.

mod admit;
pub(crate) mod anonymous;
pub(crate) mod backend;
pub(crate) mod declaration;
pub mod director;
mod host_port;
pub(crate) mod keys;
mod pieces;
pub(crate) mod probe;
pub(crate) mod spares;
pub(crate) mod values;

use crate::diagnostic::{self, Diagnostic};
use crate::model::Config;
use crate::span::Span;
use crate::syntax::{Dialect, Parser};
pub(crate) use declaration::duplicate_property;

pub use admit::{Emit, Lowerer};
#[cfg(any(test, feature = "fuzzing"))]
use spares::Spares;

/// What lowering knows about one backend beyond its API fields: where it is and what of it
/// stays in VCL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BackendSource {
    /// The VCL identifier as declared.
    pub ident: String,
    /// The whole declaration.
    pub span: Span,
    /// The name in the declaration.
    pub name_span: Span,
    /// The `.probe` property, when there is one.
    pub probe_span: Option<Span>,
    /// VCL-only properties (`.dynamic`, `.is_shield`, `.bypass_local_route_table`, and
    /// Varnish's own) by name: names from the property tables, so nothing is copied.
    pub vcl_only: Vec<(&'static str, Span)>,
    /// Why the probe has no API form, when it has none (every reason, then every setting).
    pub unrepresentable_probe: Option<String>,
    /// A `.dummy = true` probe other than Fastly's default: the settings it drops.
    pub dummy_probe: Option<String>,
    /// `.host_header` without `.always_use_host_header = true;`: it only applies to requests
    /// without a Host, where `override_host` applies to all (docs/design.md §2.4).
    pub host_header_only_without_host: Option<Span>,
}

/// The result of lowering a file.
#[derive(Debug, Clone, Default)]
pub struct Lowered {
    pub config: Config,
    /// One per entry of `config.backends`, same order.
    pub sources: Vec<BackendSource>,
    /// Where each `director` is, in source order (the API ones are in `config.directors`).
    pub directors: Vec<Span>,
    /// The directors (of `directors`) with an anonymous member `.backend = { ... }`.
    pub directors_with_anonymous: Vec<Span>,
    /// Directors whose policy has no API form (fallback, chash, shield, Varnish's own).
    pub vcl_only_directors: Vec<director::VclOnlyDirector>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Lowered {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses and lowers a whole VCL source, streaming: each declaration is lowered and its tree
/// dropped before the next is read. The dialect is the one the file declares
/// ([`Dialect::detect`]); [`parse_config_in`] sets it.
pub fn parse_config(src: &str) -> Lowered {
    parse_config_in(src, Dialect::detect(src))
}

/// [`parse_config`] in a given dialect.
///
/// ```
/// use vcl_backend::syntax::Dialect;
/// let vcl = r#"backend web-1 { .host = "example.com"; .proxy_header = 1; }"#;
/// let varnish = vcl_backend::lower::parse_config_in(vcl, Dialect::Varnish);
/// // The API name keeps the hyphen; `.proxy_header` has no Fastly form (a warning).
/// assert_eq!(varnish.config.backends[0].name.as_deref(), Some("web-1"));
/// assert!(!varnish.has_errors());
/// // In Fastly VCL the name is one `invalid-name` error.
/// assert!(vcl_backend::lower::parse_config_in(vcl, Dialect::Fastly).has_errors());
/// ```
pub fn parse_config_in(src: &str, dialect: Dialect) -> Lowered {
    run(src, Lowerer::in_dialect(dialect))
}

/// The shortest declaration that lowers to a backend, `backend a{.host="";}`: no text declares
/// more backends than its length over this.
const SHORTEST_BACKEND: usize = 20;

/// About as many backends as `src` declares, for reserving, and whether that is a guess: a
/// SIMD count of the keyword, never more than the text has room for. A text over
/// [`SAMPLED_FROM`] is counted in [`SAMPLES`] stretches spread over it and the count scaled
/// up: counting all of a large text would hold up the thread that admits every backend. A
/// low guess only makes the tables grow as they fill.
fn reservation(src: &str) -> (usize, bool) {
    let keywords = |text: &[u8]| memchr::memmem::find_iter(text, b"backend").count();
    let bytes = src.as_bytes();
    let cap = bytes.len() / SHORTEST_BACKEND;
    if bytes.len() <= SAMPLED_FROM {
        return (keywords(bytes).min(cap), false);
    }
    let stretch = SAMPLED_FROM / 4 / SAMPLES;
    let step = bytes.len() / SAMPLES;
    let found: usize = (0..SAMPLES)
        .map(|k| keywords(&bytes[k * step..k * step + stretch]))
        .sum();
    let scaled = found as f64 * (bytes.len() as f64 / (SAMPLES * stretch) as f64);
    ((scaled as usize).min(cap), true)
}

/// From this size on, [`reservation`] counts in samples.
const SAMPLED_FROM: usize = 8 << 20;

/// How many stretches [`reservation`] samples.
const SAMPLES: usize = 32;

/// Like [`parse_config`], but hands each backend to `emit`, in source order, as soon as it is
/// complete, instead of keeping it: `config.backends` and `sources` come back empty. Memory
/// then stays near the size of the file however many backends it has. Backends are emitted even when
/// the file has errors; check [`Lowered::has_errors`] before using what was emitted.
pub fn parse_config_streaming(src: &str, emit: &mut Emit<'_>) -> Lowered {
    parse_config_streaming_in(src, Dialect::detect(src), emit)
}

/// [`parse_config_streaming`] in a given dialect.
pub fn parse_config_streaming_in(src: &str, dialect: Dialect, emit: &mut Emit<'_>) -> Lowered {
    let lowerer = Lowerer {
        emit: Some(emit),
        dialect,
        ..Lowerer::default()
    };
    run(src, lowerer)
}

/// [`parse_config`] read in pieces of about `piece_bytes` bytes whatever the size of `src`,
/// for the fuzz target that checks it gives exactly what one parser gives.
#[cfg(any(test, feature = "fuzzing"))]
pub fn parse_config_in_pieces(src: &str, piece_bytes: usize) -> Lowered {
    run_in(
        src,
        Lowerer::in_dialect(Dialect::detect(src)),
        Some(piece_bytes),
    )
}

/// [`parse_config`] on one thread with each declaration lowered into a new box and new
/// strings, for the fuzz target that checks lowering into spares gives exactly the same.
#[cfg(any(test, feature = "fuzzing"))]
pub fn parse_config_without_spares(src: &str) -> Lowered {
    let lowerer = Lowerer {
        spares: Spares::keeping(0),
        ..Lowerer::in_dialect(Dialect::detect(src))
    };
    run_in(src, lowerer, None)
}

fn run<'a>(src: &'a str, lowerer: Lowerer<'a, '_>) -> Lowered {
    let pieces = pieces::worth_it(src).then_some(pieces::PIECE_BYTES);
    run_in(src, lowerer, pieces)
}

/// `pieces`: read in pieces of about that many bytes on every core.
fn run_in<'a>(src: &'a str, mut lowerer: Lowerer<'a, '_>, pieces: Option<usize>) -> Lowered {
    lowerer.src = src;
    let syntax_diagnostics = if let Some(size) = pieces {
        pieces::run(src, &mut lowerer, size)
    } else {
        lowerer.reserve_for(src);
        let mut parser = Parser::new_in(src, lowerer.dialect);
        while let Some(item) = parser.next() {
            lowerer.item(&item);
            parser.recycle(item);
        }
        parser.diagnostics
    };
    let mut lowered = lowerer.finish();
    lowered.diagnostics.extend(syntax_diagnostics);
    if !lowered.directors_with_anonymous.is_empty() {
        let anonymous = anonymous::report(src, &lowered.directors_with_anonymous);
        lowered.diagnostics.extend(anonymous);
    }
    diagnostic::sort(&mut lowered.diagnostics);
    lowered
}

pub use crate::model::names::api_name;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Backend;

    /// Every parse fixture (valid and broken) that can stand before others in one text: not
    /// those that are not UTF-8 or would swallow everything after them. In file-name order.
    pub(crate) fn parse_fixtures_to_concatenate() -> Vec<String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/parse");
        const LEFT_OUT: &[&str] = &[
            "invalid_utf8.vcl",
            "unterminated_comment.vcl",
            "unterminated_long_string.vcl",
            "truncated.vcl",
            "missing_brace_eof.vcl",
        ];
        let mut parts = Vec::new();
        for dir in ["ok", "err"] {
            let mut paths: Vec<_> = std::fs::read_dir(format!("{root}/{dir}"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.sort();
            paths.retain(|p| !LEFT_OUT.iter().any(|name| p.ends_with(name)));
            parts.extend(paths.iter().map(|p| std::fs::read_to_string(p).unwrap()));
        }
        parts
    }

    /// Every parse fixture, repeated past the threshold for reading in pieces.
    fn big_mixed_source() -> String {
        let round: String = parse_fixtures_to_concatenate().concat();
        let mut src = String::new();
        // Each round under new names, so that most backends are kept.
        for n in 0.. {
            if src.len() >= 2 * pieces::MIN_BYTES {
                break;
            }
            src.push_str(&round.replace("\nbackend ", &format!("\nbackend r{n}_")));
        }
        src
    }

    fn streamed(src: &str, pieces: Option<usize>) -> (Vec<Backend>, String) {
        let mut emitted = Vec::new();
        let mut emit = |b: &Backend, _: &BackendSource| emitted.push(b.clone());
        let lowerer = Lowerer {
            emit: Some(&mut emit),
            ..Lowerer::default()
        };
        let lowered = run_in(src, lowerer, pieces);
        (emitted, format!("{lowered:?}"))
    }

    /// Streamed on one thread, lowering into `spares`: with none kept (`Spares::keeping(0)`),
    /// each declaration gets a new box and new strings, which lowering into spares must match
    /// exactly, however they were filled before.
    fn streamed_into(src: &str, spares: Spares<'_>) -> (Vec<(Backend, BackendSource)>, String) {
        let mut emitted = Vec::new();
        let mut emit = |b: &Backend, s: &BackendSource| emitted.push((b.clone(), s.clone()));
        let lowerer = Lowerer {
            emit: Some(&mut emit),
            spares,
            ..Lowerer::default()
        };
        let lowered = run_in(src, lowerer, None);
        (emitted, format!("{lowered:?}"))
    }

    #[test]
    fn the_reservation_counts_backends_and_never_more_than_the_text_has_room_for() {
        let shortest = "backend a{.host=\"\";}";
        assert_eq!(shortest.len(), SHORTEST_BACKEND);
        assert_eq!(parse_config(shortest).config.backends.len(), 1);
        let many: String = (0..500)
            .map(|i| format!("backend b{i}{{.host=\"\";}}"))
            .collect();
        assert_eq!(reservation(&many), (500, false));
        // A hostile text of the keyword alone: bounded by its length, not its 1,000 keywords.
        let hostile = "backend".repeat(1000);
        assert_eq!(
            reservation(&hostile),
            (hostile.len() / SHORTEST_BACKEND, false)
        );
        // A large text is sampled: evenly spread declarations are guessed closely.
        let one = "backend F_origin_000000 { .host = \"a\"; }\n";
        let large = one.repeat(SAMPLED_FROM / one.len() + 1000);
        let count = SAMPLED_FROM / one.len() + 1000;
        let (guess, guessed) = reservation(&large);
        assert!(guessed);
        assert!(
            (count * 95 / 100..count * 105 / 100).contains(&guess),
            "{guess} for {count}"
        );
        // Still never more than the text has room for.
        let hostile = "backend".repeat(SAMPLED_FROM / 7 + 1);
        assert_eq!(
            reservation(&hostile),
            (hostile.len() / SHORTEST_BACKEND, true)
        );
    }

    #[test]
    fn reading_in_pieces_gives_exactly_the_sequential_result() {
        let src = big_mixed_source();
        let sequential = run_in(&src, Lowerer::default(), None);
        assert!(sequential.config.backends.len() > 1000);
        assert!(sequential.diagnostics.len() > 300);
        // Each declaration lowered into what the one before it left gives what a fresh one does.
        assert_eq!(
            streamed_into(&src, Spares::default()),
            streamed_into(&src, Spares::keeping(0))
        );
        // Streaming hands over the same backends, in the same order, as keeping them.
        assert_eq!(streamed(&src, None).0, sequential.config.backends);
        for size in [pieces::PIECE_BYTES, 4096, 97] {
            let in_pieces = run_in(&src, Lowerer::default(), Some(size));
            assert_eq!(
                format!("{sequential:?}"),
                format!("{in_pieces:?}"),
                "{size}"
            );
            assert_eq!(streamed(&src, None), streamed(&src, Some(size)), "{size}");
        }
    }

    /// Lines that start with `backend ` where no declaration starts: every cut there is
    /// wrong and must be read again from where the piece before stopped.
    const WRONG_CUTS: &str =
        "\u{feff}backend F_a { .host = \"a\"; .probe = { .request = {\"GET / HTTP/1.1
backend F_in_long_string { .host = \"no\"; }
\"}; .initial = 1; } }
/* backend F_x
backend F_in_comment { .host = \"no\"; }
*/
sub vcl_recv {
backend F_in_sub { .host = \"no\"; }
  set req.http.x = \"}\";
}
backend F_open { .host = \"o\";
backend F_after_open { .host = \"z\"; }
backend F_after_open { .host = \"twice\"; }
backend bad name { }
# backend F_in_line_comment { }
backend F_probe_ref { .host = \"p\"; .probe = later; }
probe later { .url = \"/\"; }
backend F_last { .host = \"l\"; }
/* declarations that open long strings never closed, in a comment
backend F_c1 { .host = {\"
backend F_c2 { .host = {\"
*/
backend F_after_long_comment { .host = \"c\"; } //
backend F_after_line_comment { .host = \"d\"; } /
backend F_unterminated { .host = \"u\"; } /*
backend F_after_unterminated_comment { .host = \"no\"; }
";

    #[test]
    fn pieces_cut_in_the_wrong_place_are_read_again() {
        let sequential = run_in(WRONG_CUTS, Lowerer::default(), None);
        let kept: Vec<_> = sequential
            .sources
            .iter()
            .map(|s| s.ident.as_str())
            .collect();
        assert_eq!(
            kept,
            [
                "F_a",
                "F_open",
                "F_after_open",
                "F_probe_ref",
                "F_last",
                "F_after_long_comment",
                "F_after_line_comment",
                "F_unterminated"
            ]
        );
        // The empty text, and one without a line to cut at (found by fuzzing).
        for text in ["", "\u{feff}", "backend", "x\nbackend "] {
            for size in 1..4 {
                let in_pieces = parse_config_in_pieces(text, size);
                assert_eq!(
                    format!("{:?}", parse_config(text)),
                    format!("{in_pieces:?}")
                );
            }
        }
        let expected = format!("{sequential:?}");
        // Every size from one byte (a cut at every such line) to the whole text.
        for size in 1..=WRONG_CUTS.len() + 1 {
            let in_pieces = run_in(WRONG_CUTS, Lowerer::default(), Some(size));
            assert_eq!(expected, format!("{in_pieces:?}"), "pieces of {size} bytes");
        }
    }

    /// Snippets around which a cut at `\nbackend ` goes wrong, or right.
    const SNIPPETS: &[&str] = &[
        "backend F_s { .host = \"s\"; }\n",
        "backend F_l { .host = {\"x\nbackend F_no { }\n\"}; }\n",
        "/*\nbackend F_no { }\n*/\n",
        "sub vcl_recv {\nbackend F_no { }\n}\n",
        "backend F_open { .host = \"o\";\n",
        "probe p { .url = \"/\"; }\nbackend F_uses { .host = \"u\"; .probe = p; }\n",
        "backend F_dup { .host = \"d\"; .probe = { .request = \"GET / HTTP/1.1\" \"Host: d\"; } }\n",
        "backend F_unclosed_string { .host = \"no\nbackend F_next { .host = \"n\"; }\n",
        "}\n",
        "# backend F_no { }\nbackend\tF_tab { .host = \"t\"; }\n",
    ];

    proptest::proptest! {
        #![proptest_config(crate::test_support::cases(256))]

        /// Snippets and parse fixtures in any order and number, read in pieces of any size:
        /// exactly what one parser makes of them.
        #[test]
        fn pieces_of_any_size_give_the_sequential_result(
            picks in proptest::collection::vec(0usize..1000, 1..16),
            size in 1usize..400,
        ) {
            let fixtures = parse_fixtures_to_concatenate();
            let text: String = picks
                .iter()
                .map(|&i| match i % 3 {
                    0 => fixtures[i % fixtures.len()].as_str(),
                    _ => SNIPPETS[i % SNIPPETS.len()],
                })
                .collect();
            let sequential = run_in(&text, Lowerer::default(), None);
            let in_pieces = run_in(&text, Lowerer::default(), Some(size));
            proptest::prop_assert_eq!(format!("{sequential:?}"), format!("{in_pieces:?}"));
            proptest::prop_assert_eq!(streamed(&text, None), streamed(&text, Some(size)));
            proptest::prop_assert_eq!(
                streamed_into(&text, Spares::default()),
                streamed_into(&text, Spares::keeping(0))
            );
        }
    }
}
