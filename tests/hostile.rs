//! Huge and hostile inputs: each works with its exact outcome, or is refused clearly.

use std::process::{Command, Stdio};

mod support;
use support::{TempDir, run_cli};

use vcl_backend::lower::parse_config;
use vcl_backend::model::Backend;
use vcl_backend::source::SourceFile;

const ONE: &str = "backend F_origin {\n    .dynamic = true;\n    .host = \"origin.example.com\";\n    .port = \"443\";\n    .share_key = \"abc123\";\n\n    .ssl = true;\n    .ssl_cert_hostname = \"origin.example.com\";\n\n    .probe = {\n        .expected_response = 200;\n        .initial = 3;\n        .interval = 15s;\n        .request = \"GET /health HTTP/1.1\" \"Host: origin.example.com\" \"Connection: close\";\n        .threshold = 3;\n        .timeout = 2s;\n        .window = 5;\n      }\n}\n";

fn backends(src: &str) -> Vec<Backend> {
    let lowered = parse_config(src);
    assert!(!lowered.has_errors(), "{:?}", lowered.diagnostics);
    lowered.config.backends
}

#[test]
fn a_single_100_mb_string_is_read_whole() {
    let pem_line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2\n";
    let body = pem_line.repeat(100 * 1024 * 1024 / pem_line.len());
    let src = format!("backend F_a {{ .host = \"a\"; .ssl_ca_cert = {{\"{body}\"}}; }}\n");
    assert!(src.len() > 100_000_000);
    let parsed = backends(&src);
    assert_eq!(
        parsed[0].ssl_ca_cert.as_deref().map(str::len),
        Some(body.len())
    );
}

#[test]
fn crlf_line_endings_read_as_lf() {
    assert_eq!(backends(&ONE.replace('\n', "\r\n")), backends(ONE));
}

#[test]
fn a_byte_order_mark_is_not_text() {
    let (file, diagnostics) =
        SourceFile::from_bytes("bom", [b"\xEF\xBB\xBF".as_slice(), ONE.as_bytes()].concat());
    assert!(diagnostics.is_empty());
    assert_eq!(backends(&file.text), backends(ONE));
}

#[test]
fn a_file_of_only_comments_has_no_backends_and_no_findings() {
    let src = "# a\n// b\n/* c\n * d */\n".repeat(10_000);
    let lowered = parse_config(&src);
    assert!(lowered.diagnostics.is_empty());
    assert!(lowered.config.backends.is_empty());
}

#[test]
fn nul_bytes_are_an_error_each_run_once() {
    let src = format!(
        "{}\0\0\0\n{}",
        ONE,
        ONE.replace("F_origin", "F_other")
            .replace("\"443\"", "\"4\0\0\"")
    );
    let lowered = parse_config(&src);
    let nul: Vec<_> = lowered
        .diagnostics
        .iter()
        .filter(|d| d.code == "parse::nul-byte")
        .collect();
    assert_eq!(nul.len(), 2);
    assert_eq!(nul[0].labels[0].span.len(), 3);
}

#[test]
fn deep_nesting_in_every_position_does_not_overflow() {
    let deep = "{".repeat(200_000);
    for src in [
        format!("sub vcl_recv {deep}"),
        format!("backend F_a {{ .host = \"a\"; .probe = {{ .request = {deep} }} }}"),
        format!("backend F_a {{ .host = {deep} }}"),
        deep.clone(),
    ] {
        let lowered = parse_config(&src);
        assert!(
            lowered
                .diagnostics
                .iter()
                .any(|d| d.code == "parse::missing-brace" || d.code == "parse::unexpected-token")
        );
    }
}

#[test]
fn ten_thousand_backends_parse_in_order() {
    let src: String = (0..10_000)
        .map(|i| ONE.replace("F_origin", &format!("F_origin_{i}")))
        .collect();
    let parsed = backends(&src);
    assert_eq!(parsed.len(), 10_000);
    assert_eq!(parsed[9_999].name.as_deref(), Some("origin_9999"));
}

#[test]
fn inputs_over_the_limit_are_refused_before_reading() {
    let big = ONE.repeat(100);
    for args in [
        &["--max-input-size", "1K", "parse", "-"][..],
        &["--max-input-size", "1K", "lint", "-"],
        &["--max-input-size", "1K", "generate", "-"],
        &["--max-input-size", "1K", "migrate", "--to", "json", "-"],
    ] {
        let out = run_cli(args, Some(big.as_bytes()));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("standard input is larger than --max-input-size (1024 bytes)"),
            "{stderr}"
        );
    }
    let dir = TempDir::new("hostile");
    let path = dir.join("big.vcl");
    std::fs::write(&path, &big).unwrap();
    let out = run_cli(
        &["--max-input-size", "1K", "parse", path.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    // Within the limit it is read.
    let out = run_cli(
        &["--max-input-size", "1M", "parse", "-"],
        Some(big.as_bytes()),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "100 backends named F_origin: duplicates"
    );
    assert_eq!(
        run_cli(&["--max-input-size", "12X", "parse", "-"], None)
            .status
            .code(),
        Some(2)
    );
}

/// The default limit is 1 GiB: a file one byte larger is refused before a byte of it is read
/// (the file is sparse: it takes no disk space and is never read here either).
#[test]
fn a_file_over_one_gib_is_refused_by_default() {
    let dir = TempDir::new("huge");
    let path = dir.join("huge.vcl");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len((1 << 30) + 1).unwrap();
    for command in ["parse", "lint"] {
        let out = run_cli(&[command, path.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("is larger than --max-input-size (1073741824 bytes)")
                && stderr.contains("--max-input-size 2048M"),
            "{stderr}"
        );
    }
}

/// Large inputs get a progress display on a terminal only: through a pipe, stderr holds the
/// results and nothing else.
#[test]
fn large_inputs_show_no_progress_through_a_pipe() {
    let mut big = "# padding\n".repeat((17 << 20) / 10);
    big.push_str("backend F_origin { .host = \"example.com\"; }\n");
    let out = run_cli(&["parse", "-"], Some(big.as_bytes()));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "<stdin>: 1 backend, 0 healthchecks\n"
    );
    for args in [&["lint", "-"][..], &["migrate", "--to", "json", "-"]] {
        let out = run_cli(args, Some(big.as_bytes()));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("parsing")
                && !stderr.contains("linting")
                && !stderr.contains("migrating")
                && !stderr.contains('\r'),
            "{args:?}: {stderr}"
        );
    }
}

/// On a terminal the same input shows its progress. `script` (util-linux) gives the command a
/// pseudo-terminal for stderr, so the test needs it and is run by `cargo test -- --ignored`.
#[test]
#[ignore = "needs `script` (util-linux): run with --ignored"]
fn large_inputs_show_progress_on_a_terminal() {
    support::require("the terminal progress test", &["script"]);
    let dir = TempDir::new("progress");
    let path = dir.join("big.vcl");
    let mut big = "# padding\n".repeat((17 << 20) / 10);
    big.push_str("backend F_origin { .host = \"example.com\"; }\n");
    std::fs::write(&path, big).unwrap();
    let command = format!(
        "'{}' parse '{}' > /dev/null",
        env!("CARGO_BIN_EXE_vcl-backend"),
        path.display()
    );
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let terminal = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{terminal}");
    assert!(
        terminal.contains("MiB") && terminal.contains("parsing"),
        "{terminal}"
    );
    assert!(
        terminal.contains("big.vcl: 1 backend, 0 healthchecks"),
        "{terminal}"
    );
}

/// One line of 10 MB (a minified or hostile file): the report shows a window of the line
/// around its labels, not the line (which took 0.4 s and 200 MB to lay out, and 18 s and
/// 4.8 GB for 300 MB).
#[test]
fn a_report_on_a_line_of_ten_megabytes_shows_a_window_of_it() {
    // A `sub` that never ends: its missing `;` is reported at the far end of the line.
    let src = format!("sub {}", "backend".repeat(10 * 1024 * 1024 / 7));
    let out = run_cli(&["parse", "-"], Some(src.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let stderr = support::text(&out.stderr);
    let end = format!("<stdin>:1:{}]", src.len() + 1);
    assert!(stderr.contains(&end), "{stderr}");
    assert!(stderr.contains("this declaration"), "{stderr}");
    assert!(stderr.len() < 2000, "{} bytes of report", stderr.len());
}

/// A finding on every line: each is reported, in both formats (the JSON report was written
/// to unbuffered stderr token by token: 13 s for 100,000 findings).
#[test]
fn ten_thousand_unmatched_braces_are_ten_thousand_findings() {
    let src = "}\n".repeat(10_000);
    let human = run_cli(&["parse", "-"], Some(src.as_bytes()));
    assert_eq!(human.status.code(), Some(1));
    let stderr = support::text(&human.stderr);
    assert_eq!(stderr.matches("× unmatched `}`").count(), 10_000);
    assert!(
        stderr.ends_with("<stdin>: nothing written; 10000 errors\n"),
        "{}",
        &stderr[stderr.len() - 200..]
    );
    let json = run_cli(&["parse", "--format", "json", "-"], Some(src.as_bytes()));
    assert_eq!(json.status.code(), Some(1));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&json.stderr).unwrap();
    assert_eq!(findings.len(), 10_000);
    assert_eq!(findings[9_999]["line"], 10_000);
    assert_eq!(
        findings[9_999]["code"],
        "vcl-backend::parse::unmatched-brace"
    );
}

/// Thousands of named probes and as many uses of undeclared ones: "did you mean" compared
/// every use with every probe (20,000 of each took 73 s). Suggestions now stop after a
/// budget of edit-distance cells; every use is still reported.
#[test]
fn many_undeclared_probes_among_many_declared_ones_stay_linear() {
    let n = 5_000;
    let mut src = String::new();
    for i in 0..n {
        src.push_str(&format!("probe p{i} {{ .url = \"/\"; }}\n"));
    }
    for i in 0..n {
        src.push_str(&format!(
            "backend F_b{i} {{ .host = \"h\"; .probe = q{i}; }}\n"
        ));
    }
    let lowered = parse_config(&src);
    let undefined: Vec<_> = lowered
        .diagnostics
        .iter()
        .filter(|d| d.code == "parse::undefined-probe")
        .collect();
    assert_eq!(undefined.len(), n);
    assert_eq!(undefined[0].help.as_deref(), Some("did you mean `p0`?"));
    let suggested = undefined
        .iter()
        .filter(|d| {
            d.help
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean"))
        })
        .count();
    // 100,000,000 cells among 5,000 names of 2 to 5 characters: the first 1,709 uses.
    assert_eq!(suggested, 1_709);
    let last = undefined[n - 1].help.as_deref().unwrap();
    assert!(
        last.starts_with(&format!("declare it: `probe q{}", n - 1)),
        "{last}"
    );
}

/// Minified VCL: thousands of declarations on one line. Skipping a form looked back to the
/// start of the line from every word (1.1 MB took 2.1 s).
#[test]
fn thousands_of_declarations_on_one_line_are_skipped_in_one_pass() {
    let acls: String = (0..20_000)
        .map(|i| format!("acl a{i} {{ \"10.0.0.{}\"; }} ", i % 250))
        .collect();
    let src = format!("{acls}backend F_z {{ .host = \"z\"; }}\n");
    let lowered = parse_config(&src);
    assert!(lowered.diagnostics.is_empty(), "{:?}", lowered.diagnostics);
    assert_eq!(lowered.config.backends.len(), 1);
}

/// Thousands of backends on one line, each used once: removing a declaration read its
/// whole line to see whether anything else was on it (10,000 backends took 0.48 s,
/// 40,000 took 8.1 s). Nothing else is changed.
#[test]
fn many_backends_on_one_line_are_removed_and_renamed() {
    use vcl_backend::migrate::{plan, rewrite};
    let n = 5_000;
    let mut src = String::new();
    let mut expected = " ".repeat(n);
    for i in 0..n {
        src.push_str(&format!(
            "backend b{i} {{ .host = \"h{i}\"; .port = \"80\"; }} "
        ));
    }
    src.push_str("\nsub vcl_recv {\n");
    expected.push_str("\nsub vcl_recv {\n");
    for i in 0..n {
        src.push_str(&format!(
            "  if (req.url ~ \"{i}\") {{ set req.backend = b{i}; }}\n"
        ));
        expected.push_str(&format!(
            "  if (req.url ~ \"{i}\") {{ set req.backend = F_b{i}; }}\n"
        ));
    }
    src.push_str("}\n");
    expected.push_str("}\n");
    let p = plan(&src, false);
    assert_eq!(p.moved.len(), n);
    let (rewritten, renamed) = rewrite::rewrite(&src, &p, |_| 0).unwrap();
    assert_eq!(rewritten, expected);
    assert_eq!(renamed.len(), n);
}

/// A certificate whose lines are EOT, EOT1, EOT2, ...: each candidate delimiter of its
/// heredoc was checked against every line (20,000 lines took 4.1 s, 80,000 took 72 s). It
/// gets the first delimiter that is none of its lines, and the blocks are otherwise those
/// of any certificate.
#[test]
fn a_value_of_every_heredoc_delimiter_gets_the_next_one() {
    use vcl_backend::migrate::{ServiceVersion, plan, terraform};
    let n = 5_000;
    let value: String = std::iter::once("EOT\n".to_string())
        .chain((1..n).map(|k| format!("EOT{k}\n")))
        .collect();
    let terraform = |value: &str| {
        let src = format!(
            "backend b {{ .host = \"a\"; .ssl = true; .ssl_ca_cert = {{\"{value}\"}}; }}\n"
        );
        let p = plan(&src, false);
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        terraform::emit(&p, &ServiceVersion::default()).text
    };
    let plain = terraform("x\n");
    assert_eq!(plain.matches("<<EOT\nx\nEOT\n").count(), 1, "{plain}");
    let expected = plain.replace("<<EOT\nx\nEOT\n", &format!("<<EOT{n}\n{value}EOT{n}\n"));
    assert_eq!(terraform(&value), expected);
}

/// A certificate holding `"}`, `"X}`, `"X1}`, ...: the text was searched for each candidate
/// delimiter's closing form in turn (30,000 of them took 1.1 s, 120,000 took 17.8 s). It
/// gets the first delimiter whose closing form it does not hold, and reads back whole.
#[test]
fn a_value_holding_every_long_string_ending_gets_the_next_delimiter() {
    use vcl_backend::generate::{Options, generate};
    use vcl_backend::model::Config;
    let n = 5_000;
    let value = (1..n).fold("a\n\"}\"X}".to_string(), |v, k| v + &format!("\"X{k}}}"));
    let vcl = |value: &str| {
        let backend = serde_json::json!({
            "name": "b0", "address": "h0.example.com", "port": 443, "use_ssl": true,
            "ssl_cert_hostname": "h0.example.com", "ssl_ca_cert": value,
        });
        let config: Config =
            serde_json::from_value(serde_json::json!({"backends": [backend]})).unwrap();
        let generated = generate(&config, &Options::default());
        assert!(!generated.has_errors(), "{:?}", generated.findings);
        generated.vcl
    };
    let plain = vcl("a\nb");
    assert_eq!(plain.matches("{\"a\nb\"}").count(), 1, "{plain}");
    let expected = plain.replace("{\"a\nb\"}", &format!("{{X{n}\"{value}\"X{n}}}"));
    let generated = vcl(&value);
    assert_eq!(generated, expected);
    let parsed = backends(&generated);
    assert_eq!(parsed[0].ssl_ca_cert.as_deref(), Some(value.as_str()));
}

/// One backend with thousands of unknown fields: placing each warning compared its field
/// with every key, lowercasing both (5,000 fields took 4.9 s, 20,000 took 67 s). Each
/// warning is still labelled at its own field's value.
#[test]
fn thousands_of_unknown_fields_are_each_labelled_at_their_value() {
    use vcl_backend::api_json::{self, SpanIndex, read};
    use vcl_backend::generate::{Options, generate};
    use vcl_backend::model::ObjectKind;
    let n = 5_000;
    let mut backend = serde_json::Map::new();
    backend.insert("name".into(), "b0".into());
    backend.insert("address".into(), "h0.example.com".into());
    for k in 0..n {
        backend.insert(format!("unknown_{k}"), k.into());
    }
    let text = serde_json::to_string(&[backend]).unwrap();
    let file = SourceFile::new("unknown.json", text.clone());
    let (config, shape) = read(&file, ObjectKind::Backend).unwrap();
    let generated = generate(&config, &Options::default());
    let index = SpanIndex::build(&file, shape, ObjectKind::Backend).unwrap();
    let placed: Vec<(String, usize, usize)> = generated
        .findings
        .iter()
        .filter(|f| f.diagnostic.code == "generate::unknown-field")
        .map(|f| {
            let d = api_json::place(f, Some(&index));
            let span = d.labels[0].span;
            (d.message.clone(), span.start, span.end)
        })
        .collect();
    // The keys are in order: each is looked for after the one before.
    let mut from = 0;
    let expected: Vec<(String, usize, usize)> = (0..n)
        .map(|k| {
            let key = format!("\"unknown_{k}\":");
            let start = from + text[from..].find(&key).unwrap() + key.len();
            from = start;
            (
                format!("backend `b0`: unknown field `unknown_{k}` is left out"),
                start,
                start + k.to_string().len(),
            )
        })
        .collect();
    assert_eq!(placed, expected);
}

/// The findings of `lint` on `src`: (code, line) in order.
fn lint_findings(src: &str) -> Vec<(&'static str, usize)> {
    let file = SourceFile::new("hostile.vcl", src);
    let options = vcl_backend::lint::LintOptions::default();
    vcl_backend::lint::lint(&file, &options)
        .iter()
        .map(|d| (d.code, file.line_col(d.primary_span().unwrap().start).0))
        .collect()
}

/// An allow comment alone on the line before every other finding: whether a line held only
/// a comment was found by reading the text's lines from the start (1.15 MB took 31 s).
#[test]
fn an_allow_comment_before_every_other_backend() {
    let n = 4_000;
    let mut src = String::new();
    for i in 0..n {
        if i % 2 == 0 {
            src.push_str("# vcl-backend: allow(all)\n");
        }
        src.push_str(&format!("backend b{i} {{ .host = \"x\"; }}\n"));
    }
    // A sub: without one the file is an include, whose backends are not unused.
    src.push_str("sub vcl_recv { }\n");
    let found = lint_findings(&src);
    // Three findings on each backend without a comment: on lines 3, 6, ... (three lines a pair).
    assert_eq!(found.len(), 3 * n / 2);
    let codes = [
        "lint::missing-dynamic",
        "lint::missing-share-key",
        "lint::unused-backend",
    ];
    for (k, (code, line)) in found.iter().enumerate() {
        assert_eq!(
            (*code, *line),
            (codes[k % 3], 3 * (k / 3) + 3),
            "finding {k}"
        );
    }
}

/// Many findings on a line whose allow comment names many codes: each finding was compared
/// with every code (8,000 of each, 302 KB, took 8.4 s).
#[test]
fn an_allow_comment_naming_many_codes_on_a_line_of_many_findings() {
    let n = 2_000;
    let codes: Vec<String> = (0..n).map(|k| format!("x{k}")).collect();
    let mut src = String::new();
    for i in 0..n {
        src.push_str(&format!("backend b{i} {{ .host = \"x\"; }} "));
    }
    src.push_str(&format!(
        "# vcl-backend: allow({}, missing-share-key)\n",
        codes.join(", ")
    ));
    // A sub: without one the file is an include; the first backend is then the default one.
    src.push_str("sub vcl_recv { }\n");
    let (unknown, found): (Vec<_>, Vec<_>) = lint_findings(&src)
        .into_iter()
        .partition(|(code, _)| *code == "suppress::unknown-rule");
    // Each made-up code is named once, as an unknown rule.
    assert_eq!(unknown.len(), n);
    assert_eq!(found.len(), 2 * n - 1);
    assert!(found.iter().all(|&(_, line)| line == 1));
    let share_keys = found
        .iter()
        .filter(|(code, _)| *code == "lint::missing-share-key")
        .count();
    assert_eq!(share_keys, 0);
    assert_eq!(found[0].0, "lint::missing-dynamic");
    assert_eq!(found[2 * n - 2].0, "lint::unused-backend");
}

/// Tables nested in a block on one long line: whether each stood at the start of its line
/// was found by searching back for the line's start (80,000 nested declarations, 1.2 MB,
/// took 5.1 s). None does, so their values are not read as backends; the one on a line of
/// its own is.
#[test]
fn declarations_nested_on_one_long_line() {
    let n = 20_000;
    let mut src = String::from("sub vcl_recv { ");
    for i in 0..n {
        src.push_str(&format!("table t{i} BACKEND {{ \"k\": b{i} }} "));
    }
    src.push_str("\n  table last BACKEND { \"k\": b_last }\n}\n");
    assert_eq!(lint_findings(&src), [("lint::undeclared-backend", 2)]);
}

/// A backend `F_a`, then `sub vcl_recv {` opened and `n` locals `var.v0`.. declared
/// `BACKEND` in it (the sub left open).
fn backend_and_locals_in_vcl_recv(n: usize) -> String {
    let mut src = String::from(
        "backend F_a { .dynamic = true; .share_key = \"k\"; .host = \"a\"; }\nsub vcl_recv {\n",
    );
    for i in 0..n {
        src.push_str(&format!("  declare local var.v{i} BACKEND;\n"));
    }
    src
}

/// Many `BACKEND` locals, each assigned: every assignment looked the variable up among all
/// the locals declared so far (160,000 of them, 9.7 MB, took 39 s).
#[test]
fn many_backend_locals_each_assigned() {
    let n = 5_000;
    let mut src = backend_and_locals_in_vcl_recv(n);
    for i in 0..n {
        // Odd ones undeclared; `var.wI` is no backend local, so its value is no reference.
        let value = if i % 2 == 0 {
            "F_a".into()
        } else {
            format!("nope{i}")
        };
        src.push_str(&format!(
            "  set var.v{i} = {value};\n  set var.w{i} = w{i};\n"
        ));
    }
    src.push_str("}\n");
    let found = lint_findings(&src);
    assert_eq!(found.len(), 1 + n / 2);
    assert_eq!(found[0], ("lint::reserved-name", 1));
    let first_set = 2 + n + 1;
    assert_eq!(found[1], ("lint::undeclared-backend", first_set + 2));
    assert_eq!(
        found[n / 2],
        ("lint::undeclared-backend", first_set + 2 * (n - 1))
    );
    assert!(found[1..].iter().all(|f| f.0 == "lint::undeclared-backend"));
}

/// One sub with many `BACKEND` locals, then many subs with one each: a local lives in its
/// sub, and forgetting them must not cost the first sub's count in every sub after it.
#[test]
fn many_subs_after_one_with_many_backend_locals() {
    let n = 20_000;
    let mut src = backend_and_locals_in_vcl_recv(n);
    src.push_str("}\n");
    for i in 0..n {
        src.push_str(&format!(
            "sub s{i} {{ declare local var.x BACKEND; set var.x = F_a; set var.v0 = not_local{i}; }}\n"
        ));
    }
    src.push_str("sub last { declare local var.x BACKEND; set var.x = undeclared; }\n");
    let found = lint_findings(&src);
    // `var.v0` is no local of the later subs: its values are no references.
    let last_line = 2 + n + 1 + n + 1;
    assert_eq!(
        found,
        [
            ("lint::reserved-name", 1),
            ("lint::undeclared-backend", last_line)
        ]
    );
}

/// `lint DIR` on a chain of directories: every file's configuration was sought in every
/// directory above it, each path canonicalized afresh (4,000 files over 400 levels took 9 s
/// and more). A configuration halfway down turns `unused-backend` off below it.
#[test]
fn a_deep_chain_of_directories_with_a_configuration_halfway() {
    let levels = 100;
    let root = TempDir::new("deep-chain");
    let mut dir = root.path().to_path_buf();
    for level in 0..levels {
        dir.push("d");
        std::fs::create_dir(&dir).unwrap();
        // `a` is the default backend; `b` is unused.
        let backend = "backend a { .host = \"x\"; .dynamic = true; .share_key = \"k\"; }\nbackend b { .host = \"x\"; .dynamic = true; .share_key = \"k\"; }\nsub vcl_recv { }\n";
        std::fs::write(dir.join(format!("f{level}.vcl")), backend).unwrap();
        if level == levels / 2 {
            let config = "[rules]\nunused-backend = \"off\"\n";
            std::fs::write(dir.join("vcl-backend.toml"), config).unwrap();
        }
    }
    let out = run_cli(
        &["--format", "json", "lint", root.path().to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        support::text(&out.stderr),
        "100 files linted: 0 errors, 50 warnings, 0 infos\n"
    );
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings.len(), levels / 2);
    assert!(
        findings
            .iter()
            .all(|f| f["code"] == "vcl-backend::lint::unused-backend")
    );
    // A directory's subdirectory comes before its files: the deepest file first.
    let file = |i: usize| findings[i]["file"].as_str().unwrap().to_string();
    let deepest = format!("{}/f{}.vcl", "/d".repeat(levels / 2), levels / 2 - 1);
    let root = root.path().to_str().unwrap();
    assert_eq!(file(0), format!("{root}{deepest}"));
    assert_eq!(file(levels / 2 - 1), format!("{root}/d/f0.vcl"));
}

/// A block dense with tokens and a few references among them: every token of the file was
/// kept while they were looked for (40 bytes a token: 16 MB of `;` took 1 GB).
#[test]
fn references_among_a_million_semicolons() {
    let mut src = String::from("sub vcl_recv {\n");
    for k in 0..200 {
        src.push_str(&";".repeat(5_000));
        src.push_str(&format!("\nset req.backend = nope{k};\n"));
    }
    src.push_str("}\n");
    let found = lint_findings(&src);
    assert_eq!(found.len(), 200);
    assert!(found.iter().all(|f| f.0 == "lint::undeclared-backend"));
    assert_eq!((found[0].1, found[199].1), (3, 2 + 2 * 199 + 1));
}

/// Thousands of unused directors that all list one backend, and a chain of directors each
/// listing the one before: who uses a name is a table built once, and what is in use is
/// found without recursion.
#[test]
fn many_unused_directors_over_one_backend_and_a_long_chain() {
    let n = 5_000;
    let mut src = String::from(
        "backend a { .host = \"a.example.com\"; }\nbackend b { .host = \"b.example.com\"; }\nsub vcl_recv { set req.backend = a; }\n",
    );
    for i in 0..n {
        src.push_str(&format!(
            "director d{i} random {{ {{ .backend = b; .weight = 1; }} }}\n"
        ));
    }
    src.push_str("director c0 fallback { { .backend = b; } }\n");
    for i in 1..n {
        src.push_str(&format!(
            "director c{i} fallback {{ {{ .backend = c{}; }} }}\n",
            i - 1
        ));
    }
    src.push_str(&format!(
        "sub vcl_deliver {{ set req.backend = c{}; }}\n",
        n - 1
    ));
    let found = lint_findings(&src);
    let unused_directors = found
        .iter()
        .filter(|(code, _)| *code == "lint::unused-director")
        .count();
    assert_eq!(unused_directors, n);
    assert!(
        !found
            .iter()
            .any(|(code, _)| *code == "lint::unused-backend"),
        "`b` is in use through the chain"
    );
}
