//! Issue 19, "nothing dropped without a word": every input the tool cannot read as written is
//! reported where it stands, and nothing after it is lost (docs/design.md §2.12 and after).

mod support;

use vcl_backend::diagnostic::{self, render};
use vcl_backend::lower::parse_config;
use vcl_backend::source::SourceFile;

/// The backends parse read, and its diagnostics as a terminal shows them (without colour).
fn parse_report(src: &str) -> String {
    let file = SourceFile::new("in.vcl", src);
    let lowered = parse_config(src);
    let names: Vec<&str> = lowered
        .config
        .backends
        .iter()
        .filter_map(|b| b.name.as_deref())
        .collect();
    let mut diagnostics: Vec<_> = lowered
        .diagnostics
        .iter()
        .filter(|d| d.code != "parse::api-name")
        .cloned()
        .collect();
    diagnostic::sort(&mut diagnostics);
    let rendered: String = diagnostics
        .iter()
        .map(|d| render(d, &file, false, 100))
        .collect();
    format!("backends: {names:?}\n{rendered}")
}

/// The codes of everything parse said, in order, notes about API names left out.
fn parse_codes(src: &str) -> Vec<&'static str> {
    let mut diagnostics = parse_config(src).diagnostics;
    diagnostic::sort(&mut diagnostics);
    diagnostics
        .iter()
        .map(|d| d.code)
        .filter(|&c| c != "parse::api-name")
        .collect()
}

fn backend_names(src: &str) -> Vec<String> {
    parse_config(src)
        .config
        .backends
        .iter()
        .filter_map(|b| b.name.clone())
        .collect()
}

mod unknown_form {
    use super::*;

    #[test]
    fn an_unknown_word_before_a_backend_on_its_line_loses_only_the_word() {
        let src = "foo backend a { .host = \"a\"; }\nbackend b { .host = \"b\"; }\n";
        insta::assert_snapshot!(parse_report(src));
        assert_eq!(backend_names(src), ["a", "b"]);
    }

    #[test]
    fn a_misspelt_keyword_is_an_error_with_did_you_mean_and_the_next_backend_is_read() {
        for (word, suggested) in [
            ("Backend", "backend"),
            ("bakend", "backend"),
            ("BACKEND", "backend"),
            ("dirctor", "director"),
            ("subb", "sub"),
        ] {
            let src = format!("{word} x {{ .host = \"x\"; }}\nbackend b {{ .host = \"b\"; }}\n");
            let lowered = parse_config(&src);
            let unknown: Vec<_> = lowered
                .diagnostics
                .iter()
                .filter(|d| d.code == "parse::unknown-form")
                .collect();
            assert_eq!(unknown.len(), 1, "{word}: {:?}", lowered.diagnostics);
            let d = unknown[0];
            assert_eq!(
                d.primary_span().map(|s| (s.start, s.end)),
                Some((0, word.len()))
            );
            let help = d.help.as_deref().unwrap_or("");
            assert!(
                help.contains(&format!("did you mean `{suggested}`")),
                "{word}: {help}"
            );
            assert_eq!(backend_names(&src), ["b"], "{word}");
        }
        insta::assert_snapshot!(parse_report(
            "Backend x { .host = \"x\"; }\nbackend b { .host = \"b\"; }\n"
        ));
    }

    #[test]
    fn a_far_word_gets_no_suggestion() {
        let lowered = parse_config("frobnicate;\n");
        let d = &lowered.diagnostics[0];
        assert_eq!(d.code, "parse::unknown-form");
        assert!(!d.help.as_deref().unwrap_or("").contains("did you mean"));
    }

    #[test]
    fn every_unknown_form_of_a_file_is_reported() {
        let src = "foo;\nbackend a { .host = \"a\"; }\nbar { x }\nbackend b { .host = \"b\"; }\nbaz\nbackend c { .host = \"c\"; }\n";
        assert_eq!(
            parse_codes(src),
            [
                "parse::unknown-form",
                "parse::unknown-form",
                "parse::unknown-form"
            ]
        );
        assert_eq!(backend_names(src), ["a", "b", "c"]);
    }

    #[test]
    fn a_token_that_is_no_word_is_an_unknown_form_too() {
        let src = "\"oops\" backend a { .host = \"a\"; }\n= 1;\nbackend b { .host = \"b\"; }\n";
        insta::assert_snapshot!(parse_report(src));
        assert_eq!(backend_names(src), ["a", "b"]);
    }

    #[test]
    fn known_forms_snippet_statements_and_template_lines_are_not_unknown() {
        let src = "vcl 4.1;\nimport std;\ninclude \"x\";\npragma optional_param a b;\n\
                   acl a { \"1.2.3.4\"; }\ntable t { \"a\": \"b\" }\nsub vcl_recv { }\n\
                   director d random { { .backend = F_a; .weight = 1; } }\n\
                   penaltybox p { }\nratecounter r { }\n\
                   C!\nW!\n\
                   if (req.http.x) { set req.backend = F_a; } else { unset req.http.y; }\n\
                   declare local var.x STRING;\nreturn(lookup);\ncall f;\nerror 600;\n\
                   %{ if X ~}\n<% end -%>\n{{ x }}\n";
        assert_eq!(parse_codes(src), Vec::<&str>::new());
    }
}

mod byte_order_mark {
    use super::*;

    #[test]
    fn at_the_start_it_is_not_part_of_the_text() {
        let src = "\u{feff}backend a { .host = \"a\"; }\n";
        assert_eq!(parse_codes(src), Vec::<&str>::new());
        assert_eq!(backend_names(src), ["a"]);
    }

    #[test]
    fn between_declarations_it_is_an_error_and_the_next_backend_is_read() {
        let src = "backend a { .host = \"a\"; }\n\u{feff}backend b { .host = \"b\"; }\n";
        insta::assert_snapshot!(parse_report(src));
        assert_eq!(parse_codes(src), ["parse::byte-order-mark"]);
        assert_eq!(backend_names(src), ["a", "b"]);
    }

    #[test]
    fn inside_a_block_it_is_an_error_and_the_property_after_it_is_read() {
        let src = "backend a {\n\u{feff}.host = \"a\";\n}\n";
        assert_eq!(parse_codes(src), ["parse::byte-order-mark"]);
        assert_eq!(backend_names(src), ["a"]);
        let lowered = parse_config(src);
        assert_eq!(lowered.config.backends[0].address.as_deref(), Some("a"));
    }

    #[test]
    fn each_of_many_is_reported() {
        let src = "\u{feff}\u{feff}backend a { .host = \"a\"; }\n\u{feff}\n";
        assert_eq!(
            parse_codes(src),
            ["parse::byte-order-mark", "parse::byte-order-mark"]
        );
    }
}

mod lone_carriage_returns {
    use super::*;

    /// An old Mac file: every line ends with a lone `\r`.
    const MAC: &str = "# origin servers\rbackend a { .host = \"a\"; }\r// the next one\rC!\rbackend b {\r  .host = \"b\";\r  .port = \"http\";\r}\r";

    #[test]
    fn a_comment_ends_at_a_lone_cr_and_the_backend_after_it_is_read() {
        let fixed = MAC.replace("\"http\"", "\"80\"");
        assert_eq!(backend_names(&fixed), ["a", "b"]);
        assert_eq!(parse_codes(&fixed), Vec::<&str>::new());
    }

    #[test]
    fn lines_and_columns_count_a_lone_cr_as_a_line_end() {
        let lowered = parse_config(MAC);
        let d = lowered
            .diagnostics
            .iter()
            .find(|d| d.code == "parse::invalid-value")
            .expect("the port is reported");
        let file = SourceFile::new("mac.vcl", MAC);
        let at = d.primary_span().unwrap().start;
        assert_eq!(file.line_col(at), (7, 11));
        // CRLF stays one line end, not two.
        let file = SourceFile::new("dos.vcl", "a\r\nb\r\rc");
        assert_eq!(file.line_col(3), (2, 1));
        assert_eq!(file.line_col(5), (3, 1));
        assert_eq!(file.line_col(6), (4, 1));
        assert_eq!(file.line_text(2), Some("b"));
    }

    #[test]
    fn a_report_shows_the_lines_of_a_mac_file() {
        insta::assert_snapshot!(parse_report(MAC));
    }

    #[test]
    fn json_diagnostics_carry_the_line() {
        let out = support::run_cli(&["parse", "--format", "json", "-"], Some(MAC.as_bytes()));
        let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stderr).unwrap();
        let port = findings
            .iter()
            .find(|d| d["code"] == "vcl-backend::parse::invalid-value")
            .unwrap();
        assert_eq!(
            (port["line"].as_u64(), port["column"].as_u64()),
            (Some(7), Some(11))
        );
    }
}

mod healthcheck_names {
    use super::*;
    use proptest::prelude::*;

    /// The names healthchecks got, and whether every backend names one of them.
    fn check(src: &str) -> Result<(), TestCaseError> {
        let lowered = parse_config(src);
        let names: Vec<&str> = lowered
            .config
            .healthchecks
            .iter()
            .map(|h| h.name.as_deref().unwrap_or(""))
            .collect();
        let unique: std::collections::HashSet<&str> = names.iter().copied().collect();
        prop_assert_eq!(unique.len(), names.len(), "{:?}\n{}", names, src);
        for b in &lowered.config.backends {
            if let Some(hc) = &b.healthcheck {
                prop_assert!(unique.contains(hc.as_str()), "{hc} of {:?}\n{src}", b.name);
            }
        }
        Ok(())
    }

    #[test]
    fn inline_probes_of_backends_one_under_the_api_get_two_names() {
        let src = "backend F_web { .host = \"a\"; .probe = { .request = \"GET /a HTTP/1.1\"; } }\n\
                   backend web { .host = \"b\"; .probe = { .request = \"GET /b HTTP/1.1\"; } }\n";
        let lowered = parse_config(src);
        let names: Vec<_> = lowered
            .config
            .healthchecks
            .iter()
            .map(|h| (h.name.clone().unwrap(), h.path.clone().unwrap()))
            .collect();
        assert_eq!(
            names,
            [("web".into(), "/a".into()), ("web_2".into(), "/b".into())]
        );
        let of: Vec<_> = lowered
            .config
            .backends
            .iter()
            .map(|b| b.healthcheck.clone())
            .collect();
        assert_eq!(of, [Some("web".into()), Some("web_2".into())]);
        assert!(
            lowered
                .diagnostics
                .iter()
                .any(|d| d.code == "parse::healthcheck-renamed")
        );
    }

    #[test]
    fn a_named_probe_and_an_inline_probe_get_two_names() {
        let src = "vcl 4.1;\nprobe web { .url = \"/a\"; }\n\
                   backend web { .host = \"w\"; .probe = { .url = \"/b\"; } }\n\
                   backend other { .host = \"o\"; .probe = web; }\n";
        check(src).unwrap();
    }

    /// One declaration of a small file whose names collide often.
    fn declaration() -> impl Strategy<Value = String> {
        let name = prop::sample::select(vec![
            "web", "F_web", "web_2", "F_web_2", "api", "F_api", "web_3",
        ]);
        let path = prop::sample::select(vec!["/a", "/b", "/c"]);
        prop_oneof![
            (name.clone(), path.clone())
                .prop_map(|(n, p)| format!("probe {n} {{ .url = \"{p}\"; }}\n")),
            (name.clone(), name.clone(), path.clone()).prop_map(|(b, h, p)| format!(
                "backend {b}_{h} {{ .host = \"h\"; .probe = {{ .url = \"{p}\"; }} }}\n"
            )),
            (name.clone(), path).prop_map(|(n, p)| format!(
                "backend {n} {{ .host = \"h\"; .probe = {{ .url = \"{p}\"; }} }}\n"
            )),
            (name.clone(), name)
                .prop_map(|(b, p)| format!("backend {b} {{ .host = \"h\"; .probe = {p}; }}\n")),
        ]
    }

    proptest! {
        #![proptest_config(support::cases(512))]

        /// However probes and backends want names, no two healthchecks share one, and every
        /// backend names a healthcheck that exists.
        #[test]
        fn healthcheck_names_are_always_unique(
            decls in prop::collection::vec(declaration(), 0..12),
            varnish in any::<bool>(),
        ) {
            let mut src = String::new();
            if varnish {
                src.push_str("vcl 4.1;\n");
            }
            src.extend(decls);
            check(&src)?;
        }
    }
}

mod suppression {
    use super::*;
    use vcl_backend::lint::{LintOptions, lint, suppress::PARSE_CODES};

    fn lint_report(src: &str) -> (Vec<&'static str>, String) {
        let file = SourceFile::new("in.vcl", src);
        let found = lint(&file, &LintOptions::default());
        let codes = found.iter().map(|d| d.code).collect();
        let rendered = found.iter().map(|d| render(d, &file, false, 100)).collect();
        (codes, rendered)
    }

    const FILE: &str = "sub vcl_recv { set req.backend = a; }\nbackend a { .host = \"a\"; .dynamic = true; .share_key = \"x\"; }\n";

    #[test]
    fn an_unclosed_allow_allows_nothing_and_is_an_error() {
        let src = format!(
            "{FILE}# vcl-backend: allow(all\nbackend b {{ .host = \"b\"; .dynamic = true; .share_key = \"x\"; }}\n"
        );
        let (codes, rendered) = lint_report(&src);
        assert!(codes.contains(&"suppress::unclosed-allow"), "{codes:?}");
        assert!(codes.contains(&"lint::unused-backend"), "{codes:?}");
        insta::assert_snapshot!(rendered);
        // In a block comment too: its `*/` comes before any `)`.
        let block = format!(
            "{FILE}/* vcl-backend: allow(unused-backend */ backend b {{ .host = \"b\"; .dynamic = true; .share_key = \"x\"; }} /* ) */\n"
        );
        let (codes, _) = lint_report(&block);
        assert!(codes.contains(&"suppress::unclosed-allow"), "{codes:?}");
        assert!(codes.contains(&"lint::unused-backend"), "{codes:?}");
    }

    #[test]
    fn an_unknown_rule_is_a_warning_with_did_you_mean() {
        let src = format!(
            "{FILE}# vcl-backend: allow(unused-backnd, parse::unknown-frm, lint::unused-backend, frobnicate)\nbackend b {{ .host = \"b\"; .dynamic = true; .share_key = \"x\"; }}\n"
        );
        let (codes, rendered) = lint_report(&src);
        assert_eq!(
            codes,
            [
                "suppress::unknown-rule",
                "suppress::unknown-rule",
                "suppress::unknown-rule"
            ],
            "the known code still allows: {rendered}"
        );
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn every_spelling_of_a_known_code_is_known() {
        let src = format!(
            "{FILE}# vcl-backend: allow(all, unused-backend, lint::unused-backend, vcl-backend::lint::unused-backend, parse::unknown-form, unknown-form, vcl-backend::parse::unknown-form)\nbackend b {{ .host = \"b\"; .dynamic = true; .share_key = \"x\"; }}\n"
        );
        assert_eq!(lint_report(&src).0, Vec::<&str>::new());
    }

    /// Every `parse::` code in the source is one an allow comment may name.
    #[test]
    fn the_parse_codes_are_all_listed() {
        let mut found = std::collections::BTreeSet::new();
        let mut dirs = vec![std::path::PathBuf::from("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (at, _) in text.match_indices("\"parse::") {
                        let code: String = text[at + 1..]
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '-')
                            .collect();
                        if text[at + 1 + code.len()..].starts_with('"') && code.len() > 7 {
                            found.insert(code);
                        }
                    }
                }
            }
        }
        let missing: Vec<_> = found
            .iter()
            .filter(|c| !PARSE_CODES.contains(&c.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "not in suppress::PARSE_CODES: {missing:?}"
        );
    }
}

mod json_input {
    use super::*;
    use vcl_backend::api_json::read;
    use vcl_backend::model::ObjectKind;

    fn read_report(text: &str, kind: ObjectKind) -> (Result<usize, Vec<&'static str>>, String) {
        let file = SourceFile::new("in.json", text);
        match read(&file, kind) {
            Ok((config, _)) => (
                Ok(config.backends.len() + config.healthchecks.len()),
                String::new(),
            ),
            Err(diagnostics) => {
                let rendered = diagnostics
                    .iter()
                    .map(|d| render(d, &file, false, 100))
                    .collect();
                (Err(diagnostics.iter().map(|d| d.code).collect()), rendered)
            }
        }
    }

    #[test]
    fn a_byte_order_mark_is_read_in_every_shape() {
        for text in [
            "\u{feff}{\"name\": \"a\", \"address\": \"a.example.com\"}",
            "\u{feff}[{\"name\": \"a\", \"address\": \"a.example.com\"}]",
            "\u{feff}{\"backends\": [{\"name\": \"a\", \"address\": \"a.example.com\"}]}",
        ] {
            assert_eq!(read_report(text, ObjectKind::Backend).0, Ok(1), "{text:?}");
        }
        assert_eq!(
            read_report("\u{feff}[{\"name\": \"h\"}]", ObjectKind::Healthcheck).0,
            Ok(1)
        );
    }

    #[test]
    fn errors_after_a_byte_order_mark_are_placed_right() {
        let text = "\u{feff}{\"name\": x}";
        let file = SourceFile::new("in.json", text);
        let d = &read(&file, ObjectKind::Backend).unwrap_err()[0];
        assert_eq!(d.code, "json::syntax");
        assert_eq!(d.primary_span().unwrap().start, text.find('x').unwrap());
        let text = "\u{feff}[{\"name\": \"a\", \"port\": \"80\"}]";
        let file = SourceFile::new("in.json", text);
        let d = &read(&file, ObjectKind::Backend).unwrap_err()[0];
        assert_eq!(
            d.primary_span().unwrap().start,
            text.find("\"80\"").unwrap()
        );
    }

    #[test]
    fn a_backend_that_is_also_a_config_is_an_error_naming_both_readings() {
        let text = "{\"name\": \"x\", \"address\": \"x.example.com\",\n \"backends\": [{\"name\": \"a\", \"address\": \"a.example.com\"}]}\n";
        let (codes, rendered) = read_report(text, ObjectKind::Backend);
        assert_eq!(codes, Err(vec!["json::mixed-shape"]));
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn a_list_object_with_a_list_of_its_own_is_an_error() {
        let text = "[{\"name\": \"a\", \"address\": \"a.example.com\"},\n {\"name\": \"x\", \"address\": \"x.example.com\", \"healthchecks\": [{\"name\": \"h\"}]}]\n";
        let (codes, rendered) = read_report(text, ObjectKind::Backend);
        assert_eq!(codes, Err(vec!["json::mixed-shape"]));
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn a_config_with_metadata_beside_its_lists_is_no_mix() {
        let text = "{\"service_id\": \"SU1Z\", \"version\": 3, \"backends\": [{\"name\": \"a\", \"address\": \"a.example.com\"}]}";
        assert_eq!(read_report(text, ObjectKind::Backend).0, Ok(1));
    }
}

mod configuration {
    use super::*;
    use support::{TempDir, run_cli, text};

    const BROKEN: &str =
        "dialect = \"varnsh\"\n\n[rules]\nunused-backnd = \"off\"\nmissing-dynamic = \"loud\"\n";

    /// A directory with `a.vcl` and a `vcl-backend.toml` holding `config`.
    fn project(tag: &str, config: &str) -> TempDir {
        let dir = TempDir::new(tag);
        std::fs::write(dir.join("vcl-backend.toml"), config).unwrap();
        std::fs::write(dir.join("a.vcl"), "backend a { .host = \"a\"; }\n").unwrap();
        dir
    }

    #[test]
    fn every_problem_of_a_configuration_is_placed_in_it() {
        let file = SourceFile::new("vcl-backend.toml", BROKEN);
        let problems = vcl_backend::lint::config::LintConfig::parse(BROKEN).unwrap_err();
        let rendered: String = problems
            .iter()
            .map(|d| render(d, &file, false, 100))
            .collect();
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn configuration_errors_follow_format_json_on_every_command() {
        let dir = project("config-json", BROKEN);
        let vcl = dir.join("a.vcl");
        let vcl = vcl.to_str().unwrap();
        for command in [&["lint"][..], &["parse"], &["migrate", "--to", "json"]] {
            let mut args = command.to_vec();
            args.extend(["--format", "json", vcl]);
            let out = run_cli(&args, None);
            assert_eq!(out.status.code(), Some(2), "{command:?}");
            // lint prints findings on stdout, the other commands diagnostics on stderr.
            let printed = if command[0] == "lint" {
                &out.stdout
            } else {
                &out.stderr
            };
            let found: Vec<serde_json::Value> = serde_json::from_slice(printed)
                .unwrap_or_else(|e| panic!("{command:?}: {e}\n{}", text(printed)));
            let places: Vec<_> = found
                .iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap().to_string(),
                        d["line"].as_u64().unwrap(),
                        d["column"].as_u64().unwrap(),
                    )
                })
                .collect();
            assert_eq!(
                places,
                [
                    ("vcl-backend::config::invalid-dialect".to_string(), 1, 11),
                    ("vcl-backend::config::unknown-rule".to_string(), 4, 1),
                    ("vcl-backend::config::invalid-level".to_string(), 5, 19),
                ],
                "{command:?}"
            );
            assert!(
                found[0]["file"]
                    .as_str()
                    .unwrap()
                    .ends_with("vcl-backend.toml")
            );
        }
    }

    #[test]
    fn a_toml_syntax_error_is_placed() {
        let dir = project("config-syntax", "[rules\n");
        let vcl = dir.join("a.vcl");
        let out = run_cli(&["lint", "--format", "json", vcl.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(2));
        let found: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(found[0]["code"], "vcl-backend::config::syntax");
        assert_eq!(found[0]["line"], 1);
    }

    #[test]
    fn service_backends_errors_follow_format_json() {
        let dir = project("service-backends-json", "");
        let json = dir.join("backends.json");
        std::fs::write(&json, "[\n  {\"name\": 3}\n]\n").unwrap();
        let vcl = dir.join("a.vcl");
        let args = [
            "lint",
            "--format",
            "json",
            "--service-backends",
            json.to_str().unwrap(),
            vcl.to_str().unwrap(),
        ];
        let out = run_cli(&args, None);
        assert_eq!(out.status.code(), Some(2));
        let found: Vec<serde_json::Value> = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(found[0]["code"], "vcl-backend::json::wrong-type");
        assert_eq!(
            (found[0]["line"].as_u64(), found[0]["column"].as_u64()),
            (Some(2), Some(12))
        );
        // Bytes that are not UTF-8 are placed too.
        std::fs::write(&json, b"[\n  {\"name\": \"a\xff\"}\n]\n").unwrap();
        let out = run_cli(&args, None);
        assert_eq!(out.status.code(), Some(2));
        let found: Vec<serde_json::Value> = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(found[0]["code"], "vcl-backend::parse::invalid-utf8");
        assert_eq!(
            (found[0]["line"].as_u64(), found[0]["column"].as_u64()),
            (Some(2), Some(14))
        );
    }
}

mod references_in_expressions {
    use super::*;
    use support::{TempDir, run_cli, text};

    const VCL: &str = "backend origin { .host = \"o.example.com\"; .dynamic = true; .share_key = \"abc\"; }\n\
                       backend other { .host = \"x.example.com\"; .dynamic = true; .share_key = \"abc\"; }\n\
                       sub vcl_recv {\n\
                       \x20 set req.http.A = \"a\" origin;\n\
                       \x20 set req.http.B = origin \"b\";\n\
                       \x20 set req.http.C = req.http.W origin;\n\
                       \x20 set req.http.D = if(req.http.a, origin, \"0\");\n\
                       \x20 set req.http.E = \"e\" backend.origin.healthy;\n\
                       \x20 set req.http.F = \"f\" if(req.backend == origin, \"1\", \"0\");\n\
                       \x20 set req.http.G = now;\n\
                       \x20 set req.backend = other;\n\
                       }\n";

    #[test]
    fn migrate_renames_a_backend_named_in_any_expression() {
        let dir = TempDir::new("expression-references");
        let input = dir.join("in.vcl");
        let output = dir.join("out.vcl");
        std::fs::write(&input, VCL).unwrap();
        let out = run_cli(
            &[
                "migrate",
                "--to",
                "json",
                "--rewrite-vcl",
                output.to_str().unwrap(),
                input.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let rewritten = std::fs::read_to_string(&output).unwrap();
        assert!(!rewritten.contains(" origin"), "{rewritten}");
        assert_eq!(rewritten.matches("F_origin").count(), 6, "{rewritten}");
        assert!(rewritten.contains("set req.http.G = now;"), "{rewritten}");
        insta::assert_snapshot!(rewritten);
    }

    #[test]
    fn a_name_in_an_expression_is_a_use_but_never_undeclared() {
        use vcl_backend::lint::{LintOptions, lint};
        // `origin` is used only inside a concatenation, `now` is no backend.
        let src = "backend first { .host = \"f.example.com\"; .dynamic = true; .share_key = \"abc\"; }\n\
                   backend origin { .host = \"o.example.com\"; .dynamic = true; .share_key = \"abc\"; }\n\
                   sub vcl_recv { set req.http.A = \"a\" origin; set req.http.G = now; set req.backend = first; }\n";
        let file = SourceFile::new("in.vcl", src);
        let codes: Vec<_> = lint(&file, &LintOptions::default())
            .iter()
            .map(|d| d.code)
            .collect();
        assert!(!codes.contains(&"lint::unused-backend"), "{codes:?}");
        assert!(!codes.contains(&"lint::undeclared-backend"), "{codes:?}");
    }
}

mod unknown_form_recovery {
    use super::*;

    #[test]
    fn a_declaration_on_the_next_line_ends_an_unknown_form_left_open() {
        let src = "foo {\nbackend a { .host = \"a\"; }\nbackend b { .host = \"b\"; }\n";
        assert_eq!(parse_codes(src), ["parse::unknown-form"]);
        assert_eq!(backend_names(src), ["a", "b"]);
    }
}

mod varnish_inline_c {
    use super::*;

    #[test]
    fn inline_c_is_a_known_form_skipped_whole() {
        let src = "C{\n  #include <stdio.h>\n  static int x(void) { return 1; }\n}C\nbackend a { .host = \"a\"; }\n";
        assert_eq!(parse_codes(src), Vec::<&str>::new());
        assert_eq!(backend_names(src), ["a"]);
    }
}
