//! Unit tests of the VCL grammar, one module per rule: each parser function of grammar/*.ebnf.

use crate::Diagnostic;
use crate::ast::{BackendDecl, Item, ValueKind};
use crate::span::Span;
use crate::syntax::error::{SyntaxError, SyntaxErrorKind};
use crate::syntax::lexical::PResult;
use crate::syntax::parse;
use nom::Err;

/// The codes of the diagnostics, in order.
fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code).collect()
}

/// The primary span of a diagnostic as a pair.
fn primary(d: &Diagnostic) -> (usize, usize) {
    let s = d.primary_span().expect("a labelled diagnostic");
    (s.start, s.end)
}

/// One line per item: `backend NAME`, `probe NAME` or `other KEYWORD`.
fn summary(items: &[Item<'_>]) -> Vec<String> {
    items
        .iter()
        .map(|item| match item {
            Item::Backend(b) => format!("backend {}", b.name.text),
            Item::Probe(p) => format!("probe {}", p.name.text),
            Item::Other(o) => format!("other {}", o.keyword),
        })
        .collect()
}

/// The `n`th item, which must be a backend.
fn backend<'i, 'a>(items: &'i [Item<'a>], n: usize) -> &'i BackendDecl<'a> {
    match &items[n] {
        Item::Backend(b) => b,
        other => panic!("item {n} is not a backend: {other:?}"),
    }
}

fn prop_names<'a>(b: &BackendDecl<'a>) -> Vec<&'a str> {
    b.properties.iter().map(|p| p.name.text).collect()
}

/// The error of a parser that must fail with `Err::Failure`.
fn failure<'a, T: std::fmt::Debug>(r: PResult<'a, T>) -> SyntaxError<'a> {
    match r {
        Err(Err::Failure(e)) => e,
        other => panic!("expected a Failure, got {other:?}"),
    }
}

/// True when a parser failed with a recoverable `Err::Error`.
fn is_error<T>(r: PResult<'_, T>) -> bool {
    matches!(r, Err(Err::Error(_)))
}

fn offset(src: &str, needle: &str) -> usize {
    src.find(needle).expect("needle in source")
}

mod trivia {
    use super::*;
    use crate::syntax::lexical::{block_comment, trivia};

    #[test]
    fn white_space_tabs_and_crlf() {
        assert_eq!(trivia(" \t\r\n\t x"), Ok(("x", ())));
    }

    #[test]
    fn nothing_to_skip() {
        assert_eq!(trivia(""), Ok(("", ())));
        assert_eq!(trivia("x "), Ok(("x ", ())));
    }

    #[test]
    fn hash_line_comment() {
        assert_eq!(trivia("# a } {\nx"), Ok(("x", ())));
    }

    #[test]
    fn slash_line_comment_with_crlf() {
        assert_eq!(trivia("// c\r\nx"), Ok(("x", ())));
    }

    #[test]
    fn a_lone_cr_ends_a_line_comment() {
        assert_eq!(trivia("# c\rx"), Ok(("x", ())));
    }

    #[test]
    fn line_comment_at_end_of_file() {
        assert_eq!(trivia("  # end"), Ok(("", ())));
    }

    #[test]
    fn multi_line_block_comment_with_stars_slashes_and_markers() {
        let src = "/* a\n * b / c // d # e { }\n**/x";
        assert_eq!(trivia(src), Ok(("x", ())));
        assert_eq!(block_comment(src), Ok(("x", &src[..src.len() - 1])));
    }

    #[test]
    fn empty_block_comment() {
        assert_eq!(block_comment("/**/x"), Ok(("x", "/**/")));
        assert_eq!(trivia("/***/x"), Ok(("x", ())));
    }

    #[test]
    fn slash_star_slash_does_not_close() {
        assert_eq!(trivia("/*/ x */y"), Ok(("y", ())));
    }

    #[test]
    fn mixed_comments_and_space() {
        assert_eq!(trivia(" /* a */ # b\n // c\n\t/**/x"), Ok(("x", ())));
    }

    #[test]
    fn lone_slash_and_close_are_not_trivia() {
        assert_eq!(trivia("/ x"), Ok(("/ x", ())));
        assert_eq!(trivia("*/x"), Ok(("*/x", ())));
    }

    #[test]
    fn unterminated_block_comment_is_a_failure() {
        let e = failure(trivia("  /* abc\n x"));
        assert_eq!(e.kind, SyntaxErrorKind::UnterminatedComment);
        assert_eq!(e.input, "/* abc\n x");
        assert_eq!(e.len, 2);
        assert!(e.kind.is_lexical());
    }

    #[test]
    fn unterminated_block_comment_in_a_file() {
        let src = "backend F_a { .host = \"h\"; }\n/* open";
        let (items, diags) = parse(src);
        assert_eq!(summary(&items), ["backend F_a"]);
        assert_eq!(codes(&diags), ["parse::unterminated-comment"]);
        let at = offset(src, "/*");
        assert_eq!(primary(&diags[0]), (at, at + 2));
    }

    #[test]
    fn unterminated_block_comment_inside_a_backend() {
        let (items, diags) = parse("backend F_a { .host = \"h\"; /* open }");
        assert_eq!(prop_names(backend(&items, 0)), ["host"]);
        assert_eq!(codes(&diags), ["parse::unterminated-comment"]);
    }
}

mod ident {
    use super::*;
    use crate::syntax::lexical::{at_word_boundary, ident};

    #[test]
    fn identifiers() {
        assert_eq!(ident("F_x1 {"), Ok((" {", "F_x1")));
        assert_eq!(ident("_"), Ok(("", "_")));
        assert_eq!(ident("_9z;"), Ok((";", "_9z")));
        assert_eq!(ident("my-origin"), Ok(("-origin", "my")));
    }

    #[test]
    fn hyphenated_identifiers_are_read_whole() {
        use crate::syntax::lexical::hyphenated_ident;
        assert_eq!(hyphenated_ident("web-1;"), Ok((";", "web-1")));
        assert_eq!(
            hyphenated_ident("health-check-v2 }"),
            Ok((" }", "health-check-v2"))
        );
        // A `-` joins only when identifier characters follow it.
        assert_eq!(hyphenated_ident("web-;"), Ok(("-;", "web")));
        assert_eq!(hyphenated_ident("web - 1"), Ok((" - 1", "web")));
        assert_eq!(hyphenated_ident("web--1"), Ok(("--1", "web")));
        assert!(is_error(hyphenated_ident("-web")));
    }

    #[test]
    fn not_identifiers_are_errors_not_incomplete() {
        assert!(is_error(ident("1abc")));
        assert!(is_error(ident("")));
        assert!(is_error(ident("é")));
        assert!(is_error(ident(".host")));
    }

    #[test]
    fn word_boundary() {
        for end in ["", " x", "{", "-", ".", "!", "\n"] {
            assert!(at_word_boundary(end), "{end:?}");
        }
        for more in ["x", "_", "9", "Z"] {
            assert!(!at_word_boundary(more), "{more:?}");
        }
    }

    #[test]
    fn keyword_must_end_at_a_word_boundary() {
        let src = "backends x;\nbackend_x { }\nbackend F_a { .host = \"h\"; }";
        let (items, diags) = parse(src);
        assert_eq!(
            summary(&items),
            ["other backends", "other backend_x", "backend F_a"]
        );
        // Neither is a keyword: each is an unknown form, and the backend after them is read.
        assert_eq!(
            codes(&diags),
            ["parse::unknown-form", "parse::unknown-form"]
        );
    }
}

mod short_string {
    use super::*;
    use crate::syntax::lexical::short_string;

    #[test]
    fn plain() {
        assert_eq!(short_string("\"abc\";"), Ok((";", "abc")));
    }

    #[test]
    fn empty() {
        assert_eq!(short_string("\"\"x"), Ok(("x", "")));
    }

    #[test]
    fn braces_hash_and_comment_openers_are_content() {
        assert_eq!(short_string("\"{}#/*//\" x"), Ok((" x", "{}#/*//")));
    }

    #[test]
    fn escapes_are_not_decoded() {
        assert_eq!(short_string("\"%41\""), Ok(("", "%41")));
    }

    #[test]
    fn not_a_string() {
        assert!(is_error(short_string("abc")));
        assert!(is_error(short_string("")));
    }

    #[test]
    fn unterminated_at_newline() {
        let src = "\"abc\ndef\"";
        let e = failure(short_string(src));
        assert_eq!(e.kind, SyntaxErrorKind::UnterminatedString);
        assert_eq!(e.input, src);
        assert_eq!(e.len, 4);
    }

    #[test]
    fn unterminated_at_crlf_stops_before_cr() {
        assert_eq!(failure(short_string("\"abc\r\nx\"")).len, 4);
    }

    #[test]
    fn unterminated_at_end_of_file() {
        assert_eq!(failure(short_string("\"abc")).len, 4);
        assert_eq!(failure(short_string("\"")).len, 1);
        assert_eq!(failure(short_string("\"ab\r")).len, 3);
    }

    #[test]
    fn unterminated_in_a_backend() {
        let src = "backend F_a {\n  .host = \"abc\n}\nbackend F_b { .host = \"h\"; }";
        let (items, diags) = parse(src);
        assert_eq!(codes(&diags), ["parse::unterminated-string"]);
        let at = offset(src, "\"abc");
        assert_eq!(primary(&diags[0]), (at, at + 4));
        assert_eq!(summary(&items), ["backend F_a", "backend F_b"]);
        assert!(backend(&items, 0).recovered);
        assert!(!backend(&items, 1).recovered);
    }
}

mod long_string {
    use super::*;
    use crate::syntax::lexical::long_string;

    #[test]
    fn quotes_inside() {
        assert_eq!(
            long_string("{\"a \"quoted\" b\"}x"),
            Ok(("x", "a \"quoted\" b"))
        );
    }

    #[test]
    fn newlines_inside() {
        assert_eq!(long_string("{\"l1\nl2\r\n\"};"), Ok((";", "l1\nl2\r\n")));
    }

    #[test]
    fn empty() {
        assert_eq!(long_string("{\"\"}"), Ok(("", "")));
    }

    #[test]
    fn delimiter_allows_quote_brace_inside() {
        assert_eq!(long_string("{EOF\"a\"}b\"EOF}."), Ok((".", "a\"}b")));
    }

    #[test]
    fn delimiter_with_digits_and_underscore() {
        assert_eq!(long_string("{A_1\"x\"A_\"A_1}"), Ok(("", "x\"A_")));
        assert_eq!(long_string("{9\"x\"9}"), Ok(("", "x")));
    }

    #[test]
    fn unterminated() {
        let e = failure(long_string("{\"abc"));
        assert_eq!(e.kind, SyntaxErrorKind::UnterminatedLongString);
        assert_eq!(e.len, 2);
        assert_eq!(failure(long_string("{EOF\"abc\"}")).len, 5);
        assert_eq!(failure(long_string("{EOF\"abc\"EO}")).len, 5);
    }

    #[test]
    fn an_object_is_not_a_long_string() {
        assert!(is_error(long_string("{ .x = 1; }")));
        assert!(is_error(long_string("{abc .x")));
        assert!(is_error(long_string("x")));
    }

    #[test]
    fn as_a_property_value() {
        let src = "backend F_a { .ssl_ca_cert = {\"-----BEGIN\nX\n-----END\"}; }";
        let (items, diags) = parse(src);
        assert!(diags.is_empty());
        let ValueKind::String(s) = &backend(&items, 0).properties[0].value.kind else {
            panic!("not a string");
        };
        assert!(s.first.long);
        assert_eq!(s.first.raw, "-----BEGIN\nX\n-----END");
        let at = offset(src, "{\"");
        assert_eq!(s.first.span, Span::new(at, offset(src, "\"};") + 2));
        assert_eq!(s.first.content_start(), at + 2);
    }

    #[test]
    fn unterminated_in_a_backend() {
        let (items, diags) = parse("backend F_a { .host = {\"abc; }");
        assert_eq!(
            codes(&diags),
            ["parse::unterminated-string", "parse::missing-brace"]
        );
        assert_eq!(diags[0].message, "unterminated long string");
        assert_eq!(prop_names(backend(&items, 0)), Vec::<&str>::new());
    }
}

mod decode_short_string {
    use std::borrow::Cow;

    use crate::escape::decode_short_string as decode;

    fn ok(raw: &str) -> String {
        decode(raw, 0).expect("decodes").into_owned()
    }

    /// The error span of `raw` decoded at offset 10.
    fn err(raw: &str) -> (usize, usize) {
        let e = decode(raw, 10).expect_err("invalid");
        (e.span.start, e.span.end)
    }

    #[test]
    fn no_escape_borrows() {
        assert!(matches!(decode("abc", 0), Ok(Cow::Borrowed("abc"))));
    }

    #[test]
    fn byte_escapes() {
        assert_eq!(ok("%41"), "A");
        assert_eq!(ok("a%20b"), "a b");
        assert_eq!(ok("%25"), "%");
    }

    #[test]
    fn byte_escapes_form_utf8() {
        assert_eq!(ok("%e2%82%ac"), "€");
        assert_eq!(ok("%E2%82%AC"), "€");
    }

    #[test]
    fn four_digit_unicode() {
        assert_eq!(ok("%u0041"), "A");
        assert_eq!(ok("%u20AC!"), "€!");
    }

    #[test]
    fn braced_unicode() {
        assert_eq!(ok("%u{1F600}"), "😀");
        assert_eq!(ok("%u{41}"), "A");
        assert_eq!(ok("%u{10FFFF}"), "\u{10FFFF}");
    }

    #[test]
    fn not_hex() {
        assert_eq!(err("%zz"), (10, 11));
        let e = decode("%zz", 0).unwrap_err();
        assert!(e.message.starts_with("invalid escape"), "{}", e.message);
    }

    #[test]
    fn one_hex_digit() {
        assert_eq!(err("ab%4"), (12, 14));
        assert_eq!(err("%4x"), (10, 12));
    }

    #[test]
    fn short_four_digit_unicode() {
        assert_eq!(err("%u12"), (10, 14));
        assert_eq!(err("%u12zz"), (10, 14));
        assert_eq!(err("%u"), (10, 12));
    }

    #[test]
    fn empty_braces() {
        assert_eq!(err("%u{}"), (10, 14));
    }

    #[test]
    fn seven_digits_in_braces() {
        assert_eq!(err("%u{1234567}"), (10, 21));
    }

    #[test]
    fn unclosed_braces() {
        assert_eq!(err("%u{41"), (10, 15));
    }

    #[test]
    fn surrogates_and_beyond_unicode() {
        assert_eq!(err("%u{D800}"), (10, 18));
        assert_eq!(err("%uD800"), (10, 16));
        assert_eq!(err("%u{110000}"), (10, 20));
        let e = decode("%u{D800}", 0).unwrap_err();
        assert_eq!(e.message, "`%u{...}` is not a Unicode scalar value");
    }

    #[test]
    fn nul_is_an_error() {
        assert_eq!(err("a%00"), (11, 14));
        assert_eq!(err("%u0000"), (10, 16));
        assert_eq!(err("%u{0}"), (10, 15));
        let e = decode("%00", 0).unwrap_err();
        assert!(e.message.contains("`%00`"), "{}", e.message);
    }

    #[test]
    fn trailing_percent() {
        assert_eq!(err("abc%"), (13, 14));
    }

    #[test]
    fn invalid_utf8_covers_the_whole_string() {
        assert_eq!(err("%ff"), (10, 13));
        assert_eq!(err("a%e2%82"), (10, 17));
    }
}

mod number {
    use super::*;
    use crate::ast::{Rtime, RtimeUnit};
    use crate::lower::parse_config;
    use crate::model::Backend;
    use crate::syntax::lexical::{number, rtime_unit};

    #[test]
    fn numbers() {
        assert_eq!(number("500ms"), Ok(("ms", "500")));
        assert_eq!(number("-5;"), Ok((";", "-5")));
        assert_eq!(number("1.5s"), Ok(("s", "1.5")));
        assert_eq!(number("1."), Ok((".", "1")));
        assert!(is_error(number("-x")));
        assert!(is_error(number(".5")));
    }

    #[test]
    fn every_unit() {
        let units = [
            ("ms", RtimeUnit::Milliseconds),
            ("s", RtimeUnit::Seconds),
            ("m", RtimeUnit::Minutes),
            ("h", RtimeUnit::Hours),
            ("d", RtimeUnit::Days),
            ("w", RtimeUnit::Weeks),
            ("y", RtimeUnit::Years),
        ];
        for (suffix, unit) in units {
            let input = format!("{suffix};");
            assert_eq!(rtime_unit(&input), Ok((";", Some((unit, suffix)))));
            assert_eq!(unit.suffix(), suffix);
        }
    }

    #[test]
    fn unit_lengths() {
        assert_eq!(RtimeUnit::Weeks.millis(), 7 * 86_400_000);
        assert_eq!(RtimeUnit::Years.millis(), 365 * 86_400_000);
    }

    #[test]
    fn unit_after_spaces() {
        assert_eq!(
            rtime_unit(" m;"),
            Ok((";", Some((RtimeUnit::Minutes, "m"))))
        );
        assert_eq!(
            rtime_unit("\tms;"),
            Ok((";", Some((RtimeUnit::Milliseconds, "ms"))))
        );
    }

    #[test]
    fn no_unit() {
        assert_eq!(rtime_unit(";"), Ok((";", None)));
        assert_eq!(rtime_unit(" ;"), Ok((" ;", None)));
        assert_eq!(rtime_unit("\nm"), Ok(("\nm", None)));
        assert_eq!(rtime_unit(" sec;"), Ok((" sec;", None)));
    }

    #[test]
    fn glued_letters_that_are_no_unit() {
        for (input, len) in [("x;", 1), ("sec;", 3), ("s2;", 2)] {
            let e = failure(rtime_unit(input));
            assert_eq!(e.kind, SyntaxErrorKind::BadRtimeUnit);
            assert_eq!((e.input, e.len), (input, len));
        }
    }

    #[test]
    fn rtime_value_in_the_tree() {
        let src = "backend F_a { .connect_timeout = 2 m; }";
        let (items, _) = parse(src);
        let at = offset(src, "m;");
        assert_eq!(
            backend(&items, 0).properties[0].value.kind,
            ValueKind::Rtime(Rtime {
                number: "2",
                unit: RtimeUnit::Minutes,
                unit_span: Span::new(at, at + 1),
            })
        );
    }

    #[test]
    fn number_values_in_the_tree() {
        let (items, _) = parse("backend F_a { .a = 200; .b = -5; .c = 1.5; }");
        let kinds: Vec<_> = backend(&items, 0)
            .properties
            .iter()
            .map(|p| p.value.kind.clone())
            .collect();
        assert_eq!(
            kinds,
            [
                ValueKind::Number("200"),
                ValueKind::Number("-5"),
                ValueKind::Number("1.5")
            ]
        );
    }

    /// Lowers one backend with `.host` and `prop`; returns the backend (no diagnostics allowed).
    fn lowered(prop: &str) -> Backend {
        let l = parse_config(&format!("backend F_a {{ .host = \"h\"; {prop} }}"));
        assert_eq!(codes(&l.diagnostics), Vec::<&str>::new(), "{prop}");
        l.config.backends[0].clone()
    }

    /// The single diagnostic code for one backend with `.host` and `prop`.
    fn code(prop: &str) -> &'static str {
        let l = parse_config(&format!("backend F_a {{ .host = \"h\"; {prop} }}"));
        assert_eq!(l.diagnostics.len(), 1, "{prop}: {:?}", l.diagnostics);
        l.diagnostics[0].code
    }

    #[test]
    fn durations_in_milliseconds() {
        for (rtime, ms) in [
            ("500ms", 500),
            ("1s", 1000),
            ("1.5s", 1500),
            ("2 m", 120_000),
            ("1h", 3_600_000),
            ("1d", 86_400_000),
            ("1w", 604_800_000),
            ("0.5s", 500),
        ] {
            let b = lowered(&format!(".connect_timeout = {rtime};"));
            assert_eq!(b.connect_timeout, Some(ms), "{rtime}");
        }
    }

    #[test]
    fn keepalive_year_is_365_days() {
        let b = lowered(".keepalive_time = 1y;");
        assert_eq!(b.keepalive_time, Some(365 * 86_400));
    }

    #[test]
    fn bad_units() {
        assert_eq!(code(".connect_timeout = 5x;"), "parse::bad-rtime-unit");
        let src = "backend F_a { .host = \"h\"; .connect_timeout = 5sec; }";
        let l = parse_config(src);
        let d = &l.diagnostics[0];
        assert_eq!(d.message, "`sec` is not an RTIME unit");
        let at = offset(src, "sec;");
        assert_eq!(primary(d), (at, at + 3));
    }

    #[test]
    fn inexact_durations() {
        assert_eq!(
            code(".connect_timeout = 1.0005s;"),
            "parse::inexact-duration"
        );
        assert_eq!(code(".keepalive_time = 1500ms;"), "parse::inexact-duration");
    }

    #[test]
    fn negative_duration() {
        assert_eq!(code(".connect_timeout = -1s;"), "parse::out-of-range");
    }

    #[test]
    fn integers() {
        assert_eq!(lowered(".max_connections = 200;").max_conn, Some(200));
        assert_eq!(code(".max_connections = -5;"), "parse::out-of-range");
        assert_eq!(code(".max_connections = 1.5;"), "parse::wrong-type");
    }

    #[test]
    fn hexadecimal_integers() {
        use crate::syntax::lexical::hex_integer;
        assert_eq!(hex_integer("0x5;"), Some(Ok((";", "0x5"))));
        assert_eq!(hex_integer("0XfF }"), Some(Ok((" }", "0XfF"))));
        assert_eq!(hex_integer("-0x1A;"), Some(Ok((";", "-0x1A"))));
        assert_eq!(hex_integer("05;"), None);
        assert_eq!(hex_integer("x5;"), None);
        // No digits, or a glued word (a hexadecimal integer takes no unit): an error at it.
        let e = failure(hex_integer("0x;").unwrap());
        assert_eq!(e.input, ";");
        let e = failure(hex_integer("0x5s;").unwrap());
        assert_eq!(e.input, "s;");
        let e = failure(hex_integer("0x5g").unwrap());
        assert_eq!(e.input, "g");
        for (literal, value) in [("0x64", 100), ("0X0a", 10), ("0xFFff", 65535), ("0x0", 0)] {
            let b = lowered(&format!(".max_connections = {literal};"));
            assert_eq!(b.max_conn, Some(value), "{literal}");
        }
        assert_eq!(code(".max_connections = -0x5;"), "parse::out-of-range");
        assert_eq!(
            code(".max_connections = 0x8000000000000000;"),
            "parse::out-of-range"
        );
        assert_eq!(code(".max_connections = 0x;"), "parse::unexpected-token");
        assert_eq!(code(".max_connections = 0x5s;"), "parse::unexpected-token");
        // In a probe: the value, not a bad RTIME unit, so what is wrong with it is seen.
        let l = parse_config(
            "backend F_a { .host = \"h\"; .probe = { .url = \"/\"; .threshold = 0x5; .window = 0x3; } }",
        );
        assert_eq!(codes(&l.diagnostics), Vec::<&str>::new());
        let hc = &l.config.healthchecks[0];
        assert_eq!((hc.threshold, hc.window), (Some(5), Some(3)));
    }
}

mod string_value {
    use super::*;
    use crate::syntax::properties::string_value;

    fn decoded(src: &str) -> String {
        let (_, s) = string_value(src, src).expect("a string value");
        s.decode().expect("decodes").into_owned()
    }

    #[test]
    fn adjacent_strings() {
        let src = "\"a\" \"b\";";
        let (rest, s) = string_value(src, src).unwrap();
        assert_eq!(rest, ";");
        let raws: Vec<_> = s.parts().map(|p| p.raw).collect();
        assert_eq!(raws, ["a", "b"]);
        let spans: Vec<_> = s.parts().map(|p| p.span).collect();
        assert_eq!(spans, [Span::new(0, 3), Span::new(4, 7)]);
        assert_eq!(s.decode().unwrap(), "ab");
    }

    #[test]
    fn comments_between_parts() {
        assert_eq!(decoded("\"a\"/*c*/\"b\";"), "ab");
        assert_eq!(decoded("\"a\" # c\n  \"b\";"), "ab");
    }

    #[test]
    fn short_and_long_mixed() {
        let src = "\"a\" {\"b\"} {X\"c\"X} \"d\";";
        let (rest, s) = string_value(src, src).unwrap();
        assert_eq!(rest, ";");
        let longs: Vec<_> = s.parts().map(|p| p.long).collect();
        assert_eq!(longs, [false, true, true, false]);
        assert_eq!(s.decode().unwrap(), "abcd");
    }

    #[test]
    fn each_part_is_decoded_on_its_own() {
        assert_eq!(decoded("\"%41\" \"%42\""), "AB");
        assert_eq!(decoded("\"%25\" \"41\""), "%41");
        assert_eq!(decoded("\"%41\" {\"%42\"}"), "A%42");
    }

    #[test]
    fn escape_error_has_an_absolute_span() {
        let src = "  \"x\" \"y%zz\"";
        let (_, s) = string_value(src, &src[2..]).unwrap();
        let e = s.decode().unwrap_err();
        assert_eq!(e.span, Span::new(8, 9));
    }

    #[test]
    fn stops_before_an_object() {
        let src = "\"a\" { .x = 1; }";
        let (rest, s) = string_value(src, src).unwrap();
        assert_eq!(rest, " { .x = 1; }");
        assert_eq!(s.rest.len(), 0);
    }

    #[test]
    fn unterminated_second_part_fails() {
        let src = "\"a\" \"b";
        let e = failure(string_value(src, src));
        assert_eq!(
            (e.kind, e.input),
            (SyntaxErrorKind::UnterminatedString, "\"b")
        );
    }

    #[test]
    fn value_span_covers_all_parts() {
        let src = "backend F_a { .host = \"a\" \"b\"; }";
        let (items, diags) = parse(src);
        assert!(diags.is_empty());
        let v = &backend(&items, 0).properties[0].value;
        assert_eq!(v.span, Span::new(offset(src, "\"a\""), offset(src, ";")));
    }
}

mod property {
    use super::*;

    #[test]
    fn spans_of_a_property() {
        let src = "backend F_a { .host = \"h\"; }";
        let (items, diags) = parse(src);
        assert!(diags.is_empty());
        let p = &backend(&items, 0).properties[0];
        let dot = offset(src, ".host");
        assert_eq!(p.name.span, Span::new(dot + 1, dot + 5));
        assert_eq!(p.span, Span::new(dot, offset(src, ";")));
        assert_eq!(
            p.value.span,
            Span::new(offset(src, "\"h\""), offset(src, ";"))
        );
    }

    #[test]
    fn missing_semicolon_before_next_property() {
        let src = "backend F_a {\n  .host = \"h\"\n  .port = \"80\";\n}";
        let (items, diags) = parse(src);
        assert_eq!(codes(&diags), ["parse::missing-semicolon"]);
        let at = offset(src, "\"h\"") + 3;
        assert_eq!(primary(&diags[0]), (at, at));
        assert_eq!(prop_names(backend(&items, 0)), ["host", "port"]);
    }

    #[test]
    fn missing_semicolon_before_close() {
        let (items, diags) = parse("backend F_a { .host = \"h\" }");
        assert_eq!(codes(&diags), ["parse::missing-semicolon"]);
        assert_eq!(prop_names(backend(&items, 0)), ["host"]);
    }

    #[test]
    fn probe_object_needs_no_semicolon() {
        let src = "backend F_a { .host = \"h\"; .probe = { .dummy = true; } .port = \"80\"; }";
        let (items, diags) = parse(src);
        assert!(diags.is_empty(), "{diags:?}");
        let b = backend(&items, 0);
        assert_eq!(prop_names(b), ["host", "probe", "port"]);
        let ValueKind::Object(body) = &b.properties[1].value.kind else {
            panic!("not an object");
        };
        assert_eq!(body[0].name.text, "dummy");
        assert_eq!(body[0].value.kind, ValueKind::Ident("true"));
    }

    #[test]
    fn probe_object_with_semicolon() {
        let (items, diags) = parse("backend F_a { .probe = {.dummy = true;}; .host = \"h\"; }");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(prop_names(backend(&items, 0)), ["probe", "host"]);
    }

    #[test]
    fn name_missing_after_dot() {
        let src = "backend F_a { .= \"x\"; .host = \"h\"; }";
        let (items, diags) = parse(src);
        assert_eq!(codes(&diags), ["parse::unexpected-token"]);
        assert_eq!(
            diags[0].message,
            "expected a property name after `.`, found `=`"
        );
        let at = offset(src, "= \"x\"");
        assert_eq!(primary(&diags[0]), (at, at + 1));
        assert_eq!(prop_names(backend(&items, 0)), ["host"]);
    }

    #[test]
    fn name_missing_after_dot_and_space() {
        let (_, diags) = parse("backend F_a { . = \"x\"; .host = \"h\"; }");
        assert_eq!(
            diags[0].message,
            "expected a property name after `.`, found `=`"
        );
    }

    #[test]
    fn equals_missing() {
        let (items, diags) = parse("backend F_a { .host \"h\"; .port = \"80\"; }");
        assert_eq!(codes(&diags), ["parse::unexpected-token"]);
        assert_eq!(
            diags[0].message,
            "expected `=` after the property name, found `\"`"
        );
        assert_eq!(prop_names(backend(&items, 0)), ["port"]);
    }

    #[test]
    fn double_equals() {
        let src = "backend F_a { .host == \"h\"; .port = \"80\"; }";
        let (items, diags) = parse(src);
        assert_eq!(codes(&diags), ["parse::unexpected-token"]);
        assert!(diags[0].message.starts_with("expected a value"));
        assert!(diags[0].message.ends_with("found `=`"));
        let at = offset(src, "= \"h\"");
        assert_eq!(primary(&diags[0]), (at, at + 1));
        assert_eq!(prop_names(backend(&items, 0)), ["port"]);
    }

    #[test]
    fn value_missing() {
        let (items, diags) = parse("backend F_a { .host = ; .port = \"80\"; }");
        assert_eq!(codes(&diags), ["parse::unexpected-token"]);
        assert!(diags[0].message.ends_with("found `;`"));
        assert_eq!(prop_names(backend(&items, 0)), ["port"]);
    }

    #[test]
    fn word_without_dot() {
        let (items, diags) = parse("backend F_a { host = \"h\"; .port = \"80\"; }");
        assert_eq!(codes(&diags), ["parse::unexpected-token"]);
        assert_eq!(
            diags[0].message,
            "expected a property such as `.host` or `}`, found `host`"
        );
        assert_eq!(prop_names(backend(&items, 0)), ["port"]);
    }

    #[test]
    fn top_level_keyword_in_an_unclosed_backend() {
        let src = "backend F_a {\n  .host = \"h\";\nbackend F_b {\n  .host = \"i\";\n}\n";
        let (items, diags) = parse(src);
        assert_eq!(codes(&diags), ["parse::missing-brace"]);
        let at = offset(src, "backend F_b");
        assert_eq!(primary(&diags[0]), (at, at));
        let open = offset(src, "{");
        assert_eq!(diags[0].labels[1].span, Span::new(open, open + 1));
        assert_eq!(summary(&items), ["backend F_a", "backend F_b"]);
        assert_eq!(prop_names(backend(&items, 1)), ["host"]);
    }

    #[test]
    fn sub_after_an_unclosed_backend() {
        let (items, diags) = parse("backend F_a { .host = \"h\";\nsub vcl_recv { }");
        assert_eq!(codes(&diags), ["parse::missing-brace"]);
        assert_eq!(summary(&items), ["backend F_a", "other sub"]);
    }

    #[test]
    fn top_level_keyword_after_a_missing_semicolon() {
        let src = "backend F_a {\n  .host = \"h\"\nbackend F_b {\n  .host = \"i\";\n}\n";
        let (items, diags) = parse(src);
        assert_eq!(summary(&items), ["backend F_a", "backend F_b"]);
        assert_eq!(
            codes(&diags),
            ["parse::missing-semicolon", "parse::missing-brace"]
        );
    }

    #[test]
    fn unterminated_string_keeps_the_next_line() {
        let src = "backend F_a {\n  .host = \"abc\n  .port = \"80\";\n}";
        let (items, diags) = parse(src);
        assert_eq!(codes(&diags), ["parse::unterminated-string"]);
        assert_eq!(prop_names(backend(&items, 0)), ["port"]);
    }

    #[test]
    fn object_inside_a_probe_is_skipped_whole() {
        let src = "backend F_a { .probe = { .request = { .x = { .y = 1; }; }; .window = 5; } }";
        let (items, diags) = parse(src);
        assert!(diags.is_empty(), "{diags:?}");
        let ValueKind::Object(body) = &backend(&items, 0).properties[0].value.kind else {
            panic!("not an object");
        };
        assert_eq!(body.len(), 2);
        assert_eq!(body[0].value.kind, ValueKind::Object(Vec::new()));
        let from = offset(src, "{ .x");
        let to = offset(src, "; .window");
        assert_eq!(body[0].value.span, Span::new(from, to));
        assert_eq!(body[1].value.kind, ValueKind::Number("5"));
    }

    #[test]
    fn identifier_values() {
        let (items, _) = parse("backend F_a { .ssl = true; .ssl_check_cert = never; }");
        let kinds: Vec<_> = backend(&items, 0)
            .properties
            .iter()
            .map(|p| p.value.kind.clone())
            .collect();
        assert_eq!(kinds, [ValueKind::Ident("true"), ValueKind::Ident("never")]);
    }
}

mod skip {
    use super::*;
    use crate::syntax::skip::{Coarse, balanced_block, coarse_token, recover_in_block, skip_line};

    const BACKEND: &str = "backend F_a { .host = \"h\"; }";

    /// Parses `form` followed by a backend: the form must be skipped as one item whose
    /// keyword is `keyword`, with no diagnostics, and the backend found.
    fn skipped(form: &str, keyword: &str) {
        let src = format!("{form}\n{BACKEND}\n");
        let (items, diags) = parse(&src);
        assert_eq!(codes(&diags), Vec::<&str>::new(), "{form}");
        assert_eq!(
            summary(&items),
            [format!("other {keyword}"), "backend F_a".to_string()],
            "{form}"
        );
    }

    #[test]
    fn sub_with_braces_in_strings_long_strings_and_comments() {
        let form = "sub vcl_recv {\n  set req.http.a = \"}\";\n  set req.http.b = {\"}\"};\n  \
                    set req.http.c = {EOF\"x\"}y\"EOF};\n  # }\n  // }\n  /* } */\n  \
                    if (req.http.d) { set req.backend = F_a; }\n}";
        skipped(form, "sub");
    }

    #[test]
    fn acl() {
        skipped("acl internal { \"10.0.0.0\"/8; !\"10.1.0.0\"/16; }", "acl");
    }

    #[test]
    fn table() {
        skipped("table t {\n  \"}\": \"{\",\n  \"k\": \"v\"\n}", "table");
    }

    #[test]
    fn director() {
        skipped(
            "director d random {\n  .quorum = 50%;\n  { .backend = F_a; .weight = 1; }\n}",
            "director",
        );
    }

    #[test]
    fn pragma_include_import() {
        skipped("pragma optional_param geoip_opt_in true;", "pragma");
        skipped("include \"other.vcl\";", "include");
        skipped("import std;", "import");
    }

    #[test]
    fn penaltybox_and_ratecounter() {
        skipped("penaltybox banned { }", "penaltybox");
        skipped("ratecounter counter { }", "ratecounter");
    }

    #[test]
    fn varnish_version() {
        skipped("vcl 4.1;", "vcl");
    }

    #[test]
    fn generated_markers() {
        let src = format!("C!\nW! {{ }}\n{BACKEND}");
        let (items, diags) = parse(&src);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(summary(&items), ["other C!", "other W!", "backend F_a"]);
        let Item::Other(c) = &items[0] else {
            unreachable!()
        };
        assert_eq!(c.span, Span::new(0, 2));
    }

    #[test]
    fn other_form_span() {
        let (items, _) = parse("  sub x { }  ");
        let Item::Other(o) = &items[0] else {
            panic!("not skipped")
        };
        assert_eq!(o.span, Span::new(2, 11));
    }

    #[test]
    fn stray_close_brace() {
        let src = format!("sub x {{ }} }}\n{BACKEND}");
        let (items, diags) = parse(&src);
        assert_eq!(codes(&diags), ["parse::unmatched-brace"]);
        assert_eq!(primary(&diags[0]), (10, 11));
        assert_eq!(summary(&items), ["other sub", "backend F_a"]);
    }

    #[test]
    fn sub_never_closed() {
        let src = "sub vcl_recv {\n  if (x) {\n}\n";
        let (items, diags) = parse(src);
        assert_eq!(codes(&diags), ["parse::missing-brace"]);
        let end = src.trim_end().len();
        assert_eq!(primary(&diags[0]), (end, end));
        assert_eq!(diags[0].labels[1].span, Span::new(13, 14));
        assert_eq!(
            diags[0].help.as_deref(),
            Some("add the `}` that closes `sub`")
        );
        assert_eq!(summary(&items), ["other sub"]);
    }

    #[test]
    fn unterminated_string_in_a_sub_ends_at_its_line() {
        let src = format!("sub x {{ set a = \"abc;\n}}\n{BACKEND}");
        let (items, diags) = parse(&src);
        assert_eq!(codes(&diags), ["parse::unterminated-string"]);
        assert_eq!(summary(&items), ["other sub", "backend F_a"]);
    }

    #[test]
    fn deep_nesting_in_a_sub() {
        let src = format!("sub x {{ {}", "{".repeat(200_000));
        let (items, diags) = parse(&src);
        assert_eq!(codes(&diags), ["parse::missing-brace"]);
        assert_eq!(summary(&items), ["other sub"]);
    }

    #[test]
    fn deep_balanced_nesting_in_a_sub() {
        let n = 200_000;
        let src = format!("sub x {{ {}{} }}\n{BACKEND}", "{".repeat(n), "}".repeat(n));
        let (items, diags) = parse(&src);
        assert!(diags.is_empty());
        assert_eq!(summary(&items), ["other sub", "backend F_a"]);
    }

    #[test]
    fn deep_nesting_in_a_probe_value() {
        let src = format!(
            "backend F_a {{ .host = \"h\"; .probe = {{ .request = {}",
            "{".repeat(200_000)
        );
        let (items, diags) = parse(&src);
        assert!(!diags.is_empty());
        assert!(
            diags.iter().all(|d| d.code == "parse::missing-brace"),
            "{:?}",
            codes(&diags)
        );
        assert_eq!(prop_names(backend(&items, 0)), ["host", "probe"]);
    }

    #[test]
    fn deep_nesting_as_a_probe() {
        let src = format!("backend F_a {{ .probe = {}", "{".repeat(200_000));
        let (items, diags) = parse(&src);
        assert_eq!(
            codes(&diags),
            [
                "parse::unexpected-token",
                "parse::missing-brace",
                "parse::missing-brace"
            ]
        );
        assert_eq!(summary(&items), ["backend F_a"]);
    }

    #[test]
    fn form_without_semicolon_does_not_hide_a_backend() {
        let src = format!("import std\n{BACKEND}");
        let (items, diags) = parse(&src);
        assert_eq!(summary(&items), ["other import", "backend F_a"]);
        assert_eq!(diags.len(), 1, "{diags:?}");
    }

    #[test]
    fn coarse_tokens() {
        assert_eq!(coarse_token("  { x"), Ok((" x", Coarse::Open)));
        assert_eq!(coarse_token("{\"a}\"} x"), Ok((" x", Coarse::Other)));
        assert_eq!(coarse_token("\"}\" x"), Ok((" x", Coarse::Other)));
        assert_eq!(coarse_token("} x"), Ok((" x", Coarse::Close)));
        assert_eq!(coarse_token("; x"), Ok((" x", Coarse::Semicolon)));
        assert_eq!(coarse_token("/x"), Ok(("x", Coarse::Other)));
        assert_eq!(coarse_token("a.b{"), Ok(("{", Coarse::Other)));
        assert_eq!(coarse_token(" # c\n"), Ok(("", Coarse::End)));
    }

    #[test]
    fn skip_a_line() {
        assert_eq!(skip_line("C! x }\nnext"), "next");
        assert_eq!(skip_line("no newline"), "");
    }

    #[test]
    fn recover_to_semicolon_or_close() {
        let mut diags = Vec::new();
        let src = "x { ; } ; rest";
        assert_eq!(recover_in_block(src, src, &mut diags), " rest");
        let src = "x \"}\" } rest";
        assert_eq!(recover_in_block(src, src, &mut diags), "} rest");
        assert!(diags.is_empty());
    }

    #[test]
    fn balanced_block_skips_nested_braces() {
        let mut diags = Vec::new();
        let src = "{ a { b } \"}\" /* } */ }rest";
        assert_eq!(balanced_block(src, src, &mut diags), "rest");
        assert!(diags.is_empty());
    }
}

mod declaration {
    use super::*;

    #[test]
    fn names_and_span() {
        let src = "backend F_x { .host = \"h\"; }\nbackend _x { .host = \"h\"; }";
        let (items, diags) = parse(src);
        assert!(diags.is_empty());
        assert_eq!(summary(&items), ["backend F_x", "backend _x"]);
        let b = backend(&items, 0);
        assert_eq!(b.name.span, Span::new(8, 11));
        assert_eq!(b.span, Span::new(0, offset(src, "\n")));
        assert!(!b.recovered);
    }

    #[test]
    fn name_starting_with_a_digit() {
        let src = "backend 1origin { .host = \"h\"; }";
        let (items, diags) = parse(src);
        assert_eq!(codes(&diags), ["parse::invalid-name"]);
        assert_eq!(primary(&diags[0]), (8, 15));
        assert_eq!(
            diags[0].help.as_deref(),
            Some("names are letters, digits and `_`, not starting with a digit: try `_1origin`")
        );
        assert_eq!(prop_names(backend(&items, 0)), ["host"]);
    }

    #[test]
    fn name_with_a_dash() {
        let (items, diags) = parse("backend my-origin { .host = \"h\"; }");
        assert_eq!(codes(&diags), ["parse::invalid-name"]);
        assert_eq!(
            diags[0].help.as_deref(),
            Some(
                "Fastly names are letters, digits and `_`: try `my_origin` (or, for Varnish VCL, `--dialect varnish`)"
            )
        );
        assert_eq!(summary(&items), ["backend my-origin"]);
        assert_eq!(prop_names(backend(&items, 0)), ["host"]);
    }

    #[test]
    fn varnish_names_may_hold_dashes() {
        use crate::syntax::{Dialect, parse_in};
        let src = "probe health-check { .url = \"/\"; }\nbackend web-1 { .host = \"h\"; .probe = health-check; }\nbackend web.2 { .host = \"h\"; }";
        let (items, diags) = parse_in(src, Dialect::Varnish);
        assert_eq!(
            summary(&items),
            ["probe health-check", "backend web-1", "backend web.2"]
        );
        // Only the dot is not a Varnish name character.
        assert_eq!(codes(&diags), ["parse::invalid-name"]);
        assert_eq!(
            diags[0].help.as_deref(),
            Some(
                "names are letters, digits, `_` and `-`, starting with a letter or `_`: try `web_2`"
            )
        );
        assert_eq!(
            backend(&items, 1).properties[1].value.kind,
            ValueKind::Ident("health-check")
        );
        // The same text in a Fastly file: one error at each hyphenated declaration, nothing else.
        let (items, diags) = parse_in(src, Dialect::Fastly);
        assert_eq!(
            summary(&items),
            ["probe health-check", "backend web-1", "backend web.2"]
        );
        assert_eq!(
            codes(&diags),
            [
                "parse::invalid-name",
                "parse::invalid-name",
                "parse::invalid-name"
            ]
        );
        // A file that declares its version is read as Varnish by `parse`.
        let (_, diags) = parse(&format!("vcl 4.1;\n{src}"));
        assert_eq!(codes(&diags), ["parse::invalid-name"]);
    }

    #[test]
    fn name_followed_by_a_line_comment() {
        let (items, diags) = parse("backend F_x# c\n{ .host = \"h\"; }");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(summary(&items), ["backend F_x"]);
    }

    #[test]
    fn name_followed_by_a_block_comment() {
        let (items, diags) = parse("backend F_x/* c */ { .host = \"h\"; }");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(summary(&items), ["backend F_x"]);
        let (items, diags) = parse("backend F_x// c\n{ .host = \"h\"; }");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(summary(&items), ["backend F_x"]);
    }

    #[test]
    fn name_missing() {
        let src = "backend { .host = \"h\"; }\nbackend F_b { .host = \"i\"; }";
        let (items, diags) = parse(src);
        assert_eq!(codes(&diags), ["parse::unexpected-token"]);
        assert_eq!(
            diags[0].message,
            "expected a name after the keyword, found `{`"
        );
        assert_eq!(primary(&diags[0]), (8, 9));
        assert_eq!(summary(&items), ["backend F_b"]);
    }

    #[test]
    fn open_brace_missing() {
        let src = "backend F_x .host = \"h\"; }\nbackend F_b { .host = \"i\"; }";
        let (items, diags) = parse(src);
        assert_eq!(
            codes(&diags),
            ["parse::unexpected-token", "parse::unmatched-brace"]
        );
        assert_eq!(
            diags[0].message,
            "expected `{` to open the declaration, found `.`"
        );
        assert_eq!(summary(&items), ["backend F_b"]);
    }

    #[test]
    fn open_brace_missing_at_end_of_file() {
        let (items, diags) = parse("backend F_x");
        assert_eq!(codes(&diags), ["parse::unexpected-token"]);
        assert_eq!(
            diags[0].message,
            "expected `{` to open the declaration, found end of file"
        );
        assert!(items.is_empty());
    }

    #[test]
    fn truncated_after_open_brace() {
        let src = "backend F_x {";
        let (items, diags) = parse(src);
        assert_eq!(codes(&diags), ["parse::missing-brace"]);
        assert_eq!(primary(&diags[0]), (13, 13));
        assert_eq!(diags[0].labels[0].message, "the file ends here");
        assert_eq!(summary(&items), ["backend F_x"]);
        assert!(backend(&items, 0).properties.is_empty());
    }

    #[test]
    fn every_truncation_is_reported() {
        let full = "backend F_x {\n  .host = {\"h\"} \"i\";\n  .probe = { .url = \"/\"; }\n}";
        for end in "backend".len()..full.len() {
            let (_, diags) = parse(&full[..end]);
            assert!(!diags.is_empty(), "no diagnostic for {:?}", &full[..end]);
        }
        assert!(parse(full).1.is_empty());
    }

    #[test]
    fn recovered_when_errors_inside() {
        let (items, _) = parse("backend F_x { .host = ; }");
        assert!(backend(&items, 0).recovered);
    }

    #[test]
    fn named_probe() {
        let src = "probe hc { .url = \"/\"; }";
        let (items, diags) = parse(src);
        assert!(diags.is_empty());
        let Item::Probe(p) = &items[0] else {
            panic!("not a probe")
        };
        assert_eq!((p.name.text, p.name.span), ("hc", Span::new(6, 8)));
        assert_eq!(p.span, Span::new(0, src.len()));
        assert_eq!(p.properties[0].name.text, "url");
    }

    #[test]
    fn byte_order_mark_keeps_offsets() {
        let src = "\u{feff}backend F_x { .host = \"h\"; }";
        let (items, diags) = parse(src);
        assert!(diags.is_empty());
        assert_eq!(backend(&items, 0).name.span, Span::new(11, 14));
    }
}

/// grammar/backend.ebnf's director productions (syntax/director.rs).
mod director_decl {
    use crate::span::Span;
    use crate::syntax::Dialect;
    use crate::syntax::director::{
        DirectorDecl, DirectorValue, FASTLY_POLICIES, VARNISH_POLICIES, parse_director,
    };

    fn parse_in(text: &str, dialect: Dialect) -> (Option<DirectorDecl<'_>>, Vec<&'static str>) {
        let mut diagnostics = Vec::new();
        let d = parse_director(text, Span::new(0, text.len()), dialect, &mut diagnostics);
        (d, diagnostics.iter().map(|d| d.code).collect())
    }

    /// `policy`: every policy of each dialect reads, and none of the other's only ones.
    #[test]
    fn policy() {
        for (dialect, policies) in [
            (Dialect::Fastly, FASTLY_POLICIES),
            (Dialect::Varnish, VARNISH_POLICIES),
        ] {
            for policy in policies {
                let text = format!("director d {policy} {{ {{ .backend = a; }} }}");
                let (d, codes) = parse_in(&text, dialect);
                assert!(codes.is_empty(), "{policy}: {codes:?}");
                assert_eq!(d.unwrap().policy, *policy);
            }
        }
        let (_, codes) = parse_in("director d dns { }", Dialect::Fastly);
        assert_eq!(codes, ["parse::unknown-policy"]);
        let (_, codes) = parse_in("director d chash { }", Dialect::Varnish);
        assert_eq!(codes, ["parse::unknown-policy"]);
    }

    /// `director_value`: each kind of value, by the property that takes it.
    #[test]
    fn director_value() {
        let table: &[(&str, DirectorValue<'_>)] = &[
            (".quorum = 75%;", DirectorValue::Percent(75)),
            (".retries = 5;", DirectorValue::Integer(5)),
            (".seed = 0x2a;", DirectorValue::Integer(42)),
            (".shield = \"iad-va-us\";", DirectorValue::Str("iad-va-us")),
            (".is_ssl = false;", DirectorValue::Bool(false)),
            (".key = client;", DirectorValue::Ident("client")),
        ];
        for (property, value) in table {
            let text = format!("director d chash {{ {property} }}");
            let (d, codes) = parse_in(&text, Dialect::Fastly);
            assert!(codes.is_empty(), "{property}: {codes:?}");
            assert_eq!(d.unwrap().properties[0].value, *value, "{property}");
        }
        let (d, codes) = parse_in(
            "director d dns { .ttl = 5m; .list = { \"a\"/8; } }",
            Dialect::Varnish,
        );
        assert!(codes.is_empty(), "{codes:?}");
        let d = d.unwrap();
        assert_eq!(d.get("ttl"), Some(&DirectorValue::Duration("5m")));
        assert_eq!(d.get("list"), Some(&DirectorValue::Object));
    }

    /// `member` and `director_end`: an object value needs no `;`, anything else does.
    #[test]
    fn member_and_director_end() {
        let (d, codes) = parse_in(
            "director d random { { .backend = { .host = \"h\"; } .weight = 1; } }",
            Dialect::Fastly,
        );
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(d.unwrap().members[0].properties.len(), 2);
        let (d, codes) = parse_in(
            "director d random { { .backend = a; .weight = 1 } }",
            Dialect::Fastly,
        );
        assert_eq!(codes, ["parse::missing-semicolon"]);
        assert_eq!(d.unwrap().members[0].properties.len(), 2);
    }

    /// `director_decl`: a broken head is one error and no director.
    #[test]
    fn broken_head() {
        let (d, codes) = parse_in("director d random ;", Dialect::Fastly);
        assert!(d.is_none());
        assert_eq!(codes, ["parse::unexpected-token"]);
        let (d, codes) = parse_in("director { }", Dialect::Fastly);
        assert!(d.is_none());
        assert_eq!(codes, ["parse::unexpected-token"]);
    }
}
