//! The two dialects through every command: a Varnish file read as Varnish (auto-detected, by
//! flag, by vcl-backend.toml) and as Fastly, a Fastly file with a hyphenated name, and names
//! that are one under the API; and hexadecimal integers, which both dialects write.

mod support;

use vcl_backend::diagnostic::{Diagnostic, render};
use vcl_backend::lint::{FASTLY_ONLY, LintOptions, lint};
use vcl_backend::lower::{parse_config, parse_config_in};
use vcl_backend::source::SourceFile;
use vcl_backend::syntax::{Dialect, DialectSetting};

use support::{TempDir, run_cli as run, text};

const VARNISH: &str = "fixtures/parse/ok/varnish_7_hyphens.vcl";
const FASTLY_HYPHEN: &str = "fixtures/parse/err/fastly_hyphenated_name.vcl";

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// `code line:column` for each finding, in order.
fn places(file: &SourceFile, found: &[Diagnostic]) -> Vec<String> {
    found
        .iter()
        .map(|d| {
            let (line, column) = d.primary_span().map_or((0, 0), |s| file.line_col(s.start));
            format!("{} {line}:{column}", d.code)
        })
        .collect()
}

fn lint_in(path: &str, dialect: Option<DialectSetting>) -> (SourceFile, Vec<Diagnostic>) {
    let file = SourceFile::new(path, read(path));
    let options = LintOptions {
        dialect,
        ..LintOptions::default()
    };
    let found = lint(&file, &options);
    (file, found)
}

#[test]
fn a_varnish_file_is_detected_and_reads_without_errors() {
    let src = read(VARNISH);
    assert_eq!(DialectSetting::Auto.resolve(&src), Dialect::Varnish);
    let lowered = parse_config(&src);
    assert!(!lowered.has_errors(), "{:?}", lowered.diagnostics);
    let names: Vec<_> = lowered
        .config
        .backends
        .iter()
        .map(|b| b.name.as_deref().unwrap_or(""))
        .collect();
    // The Unix-socket backend has no API form: it is reported and left out.
    assert_eq!(names, ["web-1", "web-2", "tls-proxy", "api-origin"]);
    let api = &lowered.config.backends[3];
    assert_eq!(api.use_ssl, Some(true), "`.tls = true` is use_ssl");
    assert_eq!(
        lowered.config.backends[1].port,
        Some(8080),
        "`.port = 8080;`"
    );
    assert_eq!(lowered.config.healthchecks.len(), 1);
    assert_eq!(
        lowered.config.backends[1].healthcheck.as_deref(),
        Some("health-check")
    );
}

/// The bug this fixes, in its exact shape: the Varnish file read as Fastly gives one
/// `invalid-name` per hyphenated name (declarations and the `.probe` references), and what
/// Fastly really refuses (Varnish's properties, `.port = 8080;` unquoted, a backend with no
/// `.host`), and nothing else: no `missing-semicolon`, no `undefined-probe`, no probe named
/// `health`.
#[test]
fn a_varnish_file_read_as_fastly_has_no_cascade() {
    let src = read(VARNISH);
    let file = SourceFile::new("varnish_7_hyphens.vcl", src.clone());
    let lowered = parse_config_in(&src, Dialect::Fastly);
    let mut found = lowered.diagnostics;
    vcl_backend::diagnostic::sort(&mut found);
    assert_eq!(
        places(&file, &found),
        [
            "parse::invalid-name 7:7",
            "parse::api-name 15:9",
            "parse::invalid-name 15:9",
            "parse::invalid-name 22:14",
            "parse::invalid-name 25:9",
            "parse::wrong-type 27:13",
            "parse::invalid-name 28:14",
            "parse::varnish-property 29:6",
            "parse::invalid-name 32:9",
            "parse::missing-host 32:9",
            "parse::varnish-property 33:6",
            "parse::invalid-name 36:9",
            "parse::invalid-name 41:9",
            "parse::varnish-property 44:6",
            "parse::host-header-meaning 45:5",
            "parse::varnish-property 46:6",
            "parse::varnish-property 47:6",
            "parse::varnish-property 48:6",
        ]
    );
    assert!(found.iter().all(|d| d.code != "parse::missing-semicolon"));
    assert!(found.iter().all(|d| d.code != "parse::undefined-probe"));
}

#[test]
fn a_fastly_file_with_a_hyphenated_name_has_exactly_one_error() {
    let src = read(FASTLY_HYPHEN);
    assert_eq!(DialectSetting::Auto.resolve(&src), Dialect::Fastly);
    let errors: Vec<_> = parse_config(&src)
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .map(|d| d.code)
        .collect();
    assert_eq!(errors, ["parse::invalid-name"]);
    // Lint too: the reference in vcl_recv is `web-1`, declared, so neither undeclared nor unused.
    let (file, found) = lint_in(FASTLY_HYPHEN, None);
    assert_eq!(places(&file, &found), ["parse::invalid-name 2:9"]);
}

#[test]
fn a_hyphenated_probe_reference_never_binds_to_a_shorter_name() {
    let src = "probe a { .url = \"/a\"; }\nprobe a-b { .url = \"/ab\"; }\nbackend x { .host = \"h\"; .probe = a-b; }\n";
    let varnish = parse_config_in(src, Dialect::Varnish);
    assert!(!varnish.has_errors(), "{:?}", varnish.diagnostics);
    assert_eq!(
        varnish.config.backends[0].healthcheck.as_deref(),
        Some("a-b")
    );
    let fastly = parse_config_in(src, Dialect::Fastly);
    let file = SourceFile::new("x.vcl", src.to_string());
    let errors: Vec<_> = fastly
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    assert_eq!(
        places(&file, &errors),
        ["parse::invalid-name 2:7", "parse::invalid-name 3:35"]
    );
    assert!(fastly.config.backends.is_empty());
    assert_eq!(errors[1].message, "`a-b` is not a valid probe name");
}

#[test]
fn varnish_lint_findings() {
    let (file, found) = lint_in(VARNISH, None);
    assert!(
        found.iter().all(|d| !FASTLY_ONLY.contains(&d.code)),
        "{:?}",
        places(&file, &found)
    );
    let rendered: String = found.iter().map(|d| render(d, &file, false, 100)).collect();
    insta::assert_snapshot!(rendered);
}

#[test]
fn fastly_only_rules_run_when_the_file_is_read_as_fastly() {
    let path = "fixtures/parse/ok/varnish_40_hyphens.vcl";
    let (_, varnish) = lint_in(path, None);
    let (_, fastly) = lint_in(path, Some(DialectSetting::Fastly));
    let fastly_only = |found: &[Diagnostic]| {
        let codes: std::collections::BTreeSet<_> = found
            .iter()
            .map(|d| d.code)
            .filter(|c| FASTLY_ONLY.contains(c))
            .collect();
        codes.into_iter().collect::<Vec<_>>()
    };
    assert_eq!(fastly_only(&varnish), Vec::<&str>::new());
    assert_eq!(
        fastly_only(&fastly),
        [
            "lint::missing-dynamic",
            "lint::missing-share-key",
            "lint::probe-without-initial"
        ]
    );
}

#[test]
fn varnish_names_that_generate_one_identifier_are_reported_at_both() {
    let src = "vcl 4.1;\nbackend web-1 { .host = \"a\"; }\nbackend web_1 { .host = \"b\"; }\n";
    let lowered = parse_config(src);
    let clash: Vec<_> = lowered
        .diagnostics
        .iter()
        .filter(|d| d.code == "parse::api-name-clash")
        .collect();
    assert_eq!(clash.len(), 1);
    assert_eq!(
        clash[0].message,
        "backends `web-1` and `web_1` would both be `F_web_1` in the VCL Fastly generates"
    );
    let spans: Vec<_> = clash[0].labels.iter().map(|l| l.span.start).collect();
    assert_eq!(
        spans,
        [src.find("web_1").unwrap(), src.find("web-1").unwrap()]
    );
    assert!(!lowered.has_errors());
}

#[test]
fn parse_reports_an_api_name_clash_and_exits_0() {
    let out = run(
        &[
            "parse",
            "--format",
            "json",
            "fixtures/parse/err/api_name_clash.vcl",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let found: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    let clash = found
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "vcl-backend::parse::api-name-clash")
        .expect("a clash");
    assert_eq!(clash["severity"], "warning");
    let lines: Vec<_> = clash["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [6, 2]);
}

#[test]
fn the_dialect_flag_and_the_configuration_file() {
    let dir = TempDir::new("dialect");
    // No `vcl N.N;` line: Fastly unless told.
    let vcl = "backend web-1 { .host = \"a\"; }\n";
    let file = dir.join("site.vcl");
    std::fs::write(&file, vcl).unwrap();
    let file = file.to_str().unwrap();
    let parse = |extra: &[&str]| {
        let mut args = vec!["parse"];
        args.extend_from_slice(extra);
        args.push(file);
        run(&args, None).status.code()
    };
    assert_eq!(parse(&[]), Some(1));
    assert_eq!(parse(&["--dialect", "varnish"]), Some(0));
    std::fs::write(dir.join("vcl-backend.toml"), "dialect = \"varnish\"\n").unwrap();
    assert_eq!(parse(&[]), Some(0));
    // The flag wins over the file.
    assert_eq!(parse(&["--dialect", "fastly"]), Some(1));
    assert_eq!(parse(&["--dialect", "auto"]), Some(1));
    for command in [&["lint"][..], &["migrate", "--to", "json"]] {
        let mut args = command.to_vec();
        args.push(file);
        let out = run(&args, None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command:?}: {}",
            text(&out.stderr)
        );
    }
    std::fs::write(dir.join("vcl-backend.toml"), "dialect = \"varnsh\"\n").unwrap();
    let out = run(&["parse", file], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`varnsh` is not fastly, varnish or auto"));
}

#[test]
fn migrate_a_varnish_file_to_json() {
    let dir = TempDir::new("dialect-migrate");
    let rewritten = dir.join("rewritten.vcl");
    let out = run(
        &[
            "migrate",
            VARNISH,
            "--to",
            "json",
            "--rewrite-vcl",
            rewritten.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    insta::assert_snapshot!(text(&out.stdout));
    // API names keep the hyphen; the VCL refers to the identifiers Fastly generates.
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["backends"][0]["name"], "web-1");
    let vcl = std::fs::read_to_string(&rewritten).unwrap();
    assert!(vcl.contains("web.add_backend(F_web_1);"), "{vcl}");
    assert!(
        vcl.contains("set req.backend_hint = F_api_origin;"),
        "{vcl}"
    );
    // The socket backend stays, as it was.
    assert!(vcl.contains("backend app-socket {"), "{vcl}");
    assert!(vcl.contains("set req.backend_hint = app-socket;"), "{vcl}");
}

#[test]
fn a_socket_backend_stays_in_vcl_and_fails_strict() {
    let vcl =
        b"vcl 4.1;\nbackend web-1 { .host = \"h\"; }\nbackend sock { .path = \"/run/s.sock\"; }\n";
    let out = run(&["migrate", "--to", "json", "-"], Some(vcl));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("parse::unix-socket-backend"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["backends"].as_array().unwrap().len(), 1);
    let out = run(&["migrate", "--to", "json", "--strict", "-"], Some(vcl));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn varnish_none_backends_are_declared_and_left_out() {
    use vcl_backend::ast::Item;
    let src = "vcl 4.1;\nbackend default none;\nbackend nothing  none ;\nbackend web-1 { .host = \"a\"; }\n";
    let (items, syntax) = vcl_backend::syntax::parse(src);
    assert!(syntax.is_empty(), "{syntax:?}");
    let none: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Backend(b) if b.none => Some((b.name.text, &src[b.span.start..b.span.end])),
            _ => None,
        })
        .collect();
    assert_eq!(
        none,
        [
            ("default", "backend default none;"),
            ("nothing", "backend nothing  none ;")
        ]
    );
    let lowered = parse_config(src);
    let codes: Vec<_> = lowered.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            "parse::none-backend",
            "parse::none-backend",
            "parse::api-name"
        ]
    );
    assert_eq!(lowered.config.backends.len(), 1);
    // Not Fastly VCL: there it is an error, and the parser goes on.
    let fastly = parse_config_in(src, Dialect::Fastly);
    let errors: Vec<_> = fastly
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        errors,
        [
            "expected `{` to open the declaration, found `none`",
            "expected `{` to open the declaration, found `none`",
            "`web-1` is not a valid backend name"
        ]
    );
}

/// A hexadecimal `.threshold` used to be a bad RTIME unit, hiding what is wrong with the
/// probe: a threshold above its window.
#[test]
fn hexadecimal_probe_values_reach_the_probe_rules() {
    let vcl = "backend origin {\n  .host = \"a\";\n  .dynamic = true;\n  .share_key = \"k\";\n  .probe = { .url = \"/\"; .threshold = 0x5; .window = 0x3; .initial = 0x5; }\n}\nsub vcl_recv { set req.backend = origin; }\n";
    let file = SourceFile::new("hex.vcl", vcl.to_string());
    let found = lint(&file, &LintOptions::default());
    assert_eq!(
        places(&file, &found),
        [
            "lint::threshold-above-window 5:39",
            "lint::initial-above-window 5:70"
        ],
        "{found:?}"
    );
}

#[test]
fn sarif_is_listed_by_lint_alone() {
    for command in ["parse", "migrate", "generate"] {
        let help = text(&run(&[command, "--help"], None).stdout);
        assert!(help.contains("--format <FORMAT>"), "{command}");
        assert!(
            help.contains("possible values: human, json"),
            "{command}:\n{help}"
        );
        assert!(!help.contains("sarif"), "{command}:\n{help}");
    }
    let help = text(&run(&["lint", "--help"], None).stdout);
    assert!(help.contains("sarif"), "{help}");
    let help = text(&run(&["--help"], None).stdout);
    assert!(help.contains("possible values: human, json"), "{help}");
    for command in ["parse", "lint", "migrate"] {
        let help = text(&run(&[command, "--help"], None).stdout);
        assert!(help.contains("--dialect <DIALECT>"), "{command}");
    }
}

proptest::proptest! {
    #![proptest_config(support::cases(256))]

    /// Any hyphenated name: read whole in a Varnish file (declared, referenced, named in
    /// `.probe`, kept under the API with its hyphen), and one error per place in a Fastly one.
    #[test]
    fn hyphenated_names_in_either_dialect(
        backend in "[a-z][a-z0-9_]{0,5}(-[a-z0-9_]{1,4}){1,3}",
        probe in "[a-z][a-z0-9_]{0,5}(-[a-z0-9_]{1,4}){0,3}",
    ) {
        let src = format!(
            "probe {probe} {{ .url = \"/\"; }}\nbackend {backend} {{ .host = \"h\"; .probe = {probe}; }}\nsub vcl_recv {{ set req.backend_hint = {backend}; }}\n"
        );
        let varnish = parse_config_in(&src, Dialect::Varnish);
        proptest::prop_assert!(!varnish.has_errors(), "{:?}", varnish.diagnostics);
        let kept = &varnish.config.backends[0];
        proptest::prop_assert_eq!(kept.name.as_deref(), Some(backend.as_str()));
        proptest::prop_assert_eq!(kept.healthcheck.as_deref(), Some(probe.as_str()));
        let file = SourceFile::new("p.vcl", src.clone());
        let options = LintOptions { dialect: Some(DialectSetting::Varnish), ..LintOptions::default() };
        let found = lint(&file, &options);
        proptest::prop_assert!(
            found.iter().all(|d| !d.is_error() && d.code != "lint::unused-backend"),
            "{:?}", found
        );
        let fastly = parse_config_in(&src, Dialect::Fastly);
        let codes: Vec<_> = fastly.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
        // The backend's name, and the probe's at its declaration and in `.probe` when it has
        // a hyphen.
        let expected = if probe.contains('-') { 3 } else { 1 };
        proptest::prop_assert_eq!(codes, vec!["parse::invalid-name"; expected]);
    }
}
