//! Migrate's promises that need no external tool: round trips through generate, rewritten
//! VCL that still resolves every reference, located errors for what the API would reject,
//! and snapshots of every format.

use vcl_backend::generate::{Options, generate};
use vcl_backend::lint::{LintOptions, lint};
use vcl_backend::migrate::{ServiceVersion, curl, fastly_cli, json, plan, rewrite, terraform};
use vcl_backend::model::Config;
use vcl_backend::source::SourceFile;

fn backend_blocks(vcl: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in vcl.lines() {
        if line.starts_with("backend ") {
            inside = true;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
        if line == "}" {
            inside = false;
        }
    }
    out
}

/// Generated-format VCL: migrate to JSON, generate from it, get the same blocks back.
#[test]
fn generate_of_migrated_json_gives_back_the_blocks() {
    for path in [
        "fixtures/parse/ok/generated_current.vcl",
        "fixtures/parse/ok/many_backends.vcl",
    ] {
        let src = std::fs::read_to_string(path).unwrap();
        let p = plan(&src, false);
        assert!(!p.has_errors(), "{path}: {:?}", p.diagnostics);
        let config: Config = serde_json::from_str(&json::emit(&p).text).unwrap();
        let generated = generate(&config, &Options::default());
        assert!(!generated.has_errors(), "{path}: {:?}", generated.findings);
        assert_eq!(generated.vcl, backend_blocks(&src), "{path}");
    }
}

/// The rewritten VCL plus the blocks Fastly will generate parse, and every reference resolves.
#[test]
fn rewritten_vcl_with_generated_blocks_resolves_every_reference() {
    for path in [
        "fixtures/parse/ok/custom_mixed.vcl",
        "fixtures/parse/ok/varnish_41.vcl",
    ] {
        let src = std::fs::read_to_string(path).unwrap();
        let p = plan(&src, false);
        let (rewritten, renamed) = rewrite::rewrite(&src, &p, |_| 0).expect("no collision");
        assert!(!renamed.is_empty(), "{path}: nothing renamed");
        for m in &p.moved {
            assert!(
                !rewritten.contains(&format!("backend {} {{", m.ident)),
                "{path}: {} still declared",
                m.ident
            );
        }
        let config: Config = serde_json::from_str(&json::emit(&p).text).unwrap();
        let generated = generate(
            &config,
            &Options {
                service_id: Some("SVC123".into()),
                strict: false,
                ..Default::default()
            },
        );
        let combined = format!("{}{rewritten}", generated.vcl);
        let (_, syntax) = vcl_backend::syntax::parse(&combined);
        assert!(syntax.iter().all(|d| !d.is_error()), "{path}: {syntax:?}");
        let found = lint(
            &SourceFile::new(path, combined.clone()),
            &LintOptions::default(),
        );
        let unresolved: Vec<_> = found
            .iter()
            .filter(|d| d.code == "lint::undeclared-backend")
            .map(|d| &d.message)
            .collect();
        assert!(unresolved.is_empty(), "{path}: {unresolved:?}");
    }
}

/// Outside the removed declarations and renamed references, not a byte changes.
#[test]
fn rewrite_changes_nothing_else() {
    let src = "# keep me\nbackend origin {\n  .host = \"a.example\";\n}\nsub vcl_recv {\n  # origin in a comment stays\n  set req.http.X = \"origin\";\n  set req.backend = origin;\n}\n";
    let p = plan(src, false);
    let (out, renamed) = rewrite::rewrite(src, &p, |_| 0).unwrap();
    assert_eq!(
        out,
        "# keep me\nsub vcl_recv {\n  # origin in a comment stays\n  set req.http.X = \"origin\";\n  set req.backend = F_origin;\n}\n"
    );
    assert_eq!(renamed.len(), 1);
}

#[test]
fn a_rename_onto_a_name_in_use_is_an_error() {
    let src = "backend origin { .host = \"a.example\"; }\ndirector F_origin random { { .backend = origin; .weight = 1; } }\n";
    let p = plan(src, false);
    let errors = rewrite::rewrite(src, &p, |_| 0).unwrap_err();
    assert_eq!(errors[0].code, "migrate::rename-collision");
}

#[test]
fn names_that_meet_under_the_api_are_an_error() {
    let p = plan(
        "backend origin { .host = \"a\"; }\nbackend F_origin { .host = \"b\"; }\n",
        false,
    );
    let codes: Vec<_> = p.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["migrate::name-collision"]);
    assert_eq!(p.diagnostics[0].labels.len(), 2);
}

#[test]
fn a_dummy_probe_that_is_not_fastlys_is_a_warning_and_an_error_with_strict() {
    let src = "backend F_a { .host = \"a\"; .probe = { .dummy = true; .initial = 2; .request = \"HEAD / HTTP/1.1\" \"Host: a\" \"Connection: close\"; .threshold = 1; .timeout = 2s; .window = 5; } }";
    let p = plan(src, false);
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    assert_eq!(p.diagnostics[0].code, "migrate::dummy-probe");
    assert!(p.backends[0].healthcheck.is_none());
    let strict = plan(src, true);
    assert_eq!(
        strict
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .unwrap()
            .code,
        "migrate::dummy-probe"
    );
}

#[test]
fn other_unmovable_probes_are_reported_and_fail_with_strict() {
    let src = "backend F_a { .host = \"a\"; .probe = { .request = \"invalid\"; .initial = 0; .interval = 365d; } }";
    let p = plan(src, false);
    assert!(!p.has_errors());
    assert!(p.notes.iter().any(|n| n.field == "probe"));
    assert!(p.backends[0].healthcheck.is_none());
    assert!(plan(src, true).has_errors());
}

#[test]
fn shield_nodes_stay_in_vcl() {
    let src = std::fs::read_to_string("fixtures/parse/ok/generated_legacy.vcl").unwrap();
    let p = plan(&src, false);
    assert!(p.moved.iter().all(|m| !m.ident.starts_with("shield_")));
    assert!(p.notes.iter().any(|n| n.field == "is_shield"));
}

#[test]
fn every_format_snapshot() {
    let src = std::fs::read_to_string("fixtures/parse/ok/custom_mixed.vcl").unwrap();
    let p = plan(&src, false);
    let target = ServiceVersion {
        service_id: Some("SU1Z0isxPaozGVKXdv0eY".into()),
        version: Some(7),
    };
    insta::assert_snapshot!("json", json::emit(&p).text);
    insta::assert_snapshot!("fastly_cli", fastly_cli::emit(&p, &target).text);
    insta::assert_snapshot!("curl", curl::emit(&p, &target).text);
    insta::assert_snapshot!("terraform", terraform::emit(&p, &target).text);
    let script = fastly_cli::emit(&p, &target);
    let report = vcl_backend::migrate::report::build(
        &p,
        "fastly-cli",
        &script.notes,
        &script.left_to_api,
        &script.remarks,
        &[],
    );
    insta::assert_snapshot!("report", report.human());
}

/// Varnish VCL is an input: its own backend properties are reported, not refused.
#[test]
fn varnish_only_properties_are_reported_not_refused() {
    let src =
        "vcl 4.1;\nbackend app { .host = \"a.example\"; .port = \"8080\"; .proxy_header = 2; }\n";
    let p = plan(src, false);
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    assert_eq!(
        p.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["parse::varnish-property"]
    );
    assert!(p.notes.iter().any(|n| n.field == "proxy_header"));
    assert!(plan(src, true).has_errors());
}

/// A member listed twice is one membership under the API: listed once, and lowering's
/// warning says so (an error with `--strict`).
#[test]
fn a_member_listed_twice_is_one_membership_and_fails_with_strict() {
    let src = "backend F_a { .host = \"a\"; }\ndirector d random { { .backend = F_a; .weight = 1; } { .backend = F_a; .weight = 1; } }\n";
    let p = plan(src, false);
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    assert_eq!(
        p.directors[0].backends.as_deref(),
        Some(&["a".to_string()][..])
    );
    let codes: Vec<_> = p.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["parse::duplicate-member"]);
    let strict = plan(src, true);
    assert!(strict.has_errors(), "{:?}", strict.diagnostics);
}

/// A backend weighted differently by two directors carries the first weight: lowering warns
/// at each member, the report says at the backend which weight was not carried, and
/// `--strict` fails.
#[test]
fn a_conflicting_weight_is_reported_at_the_backend_and_fails_with_strict() {
    let src = "backend F_a { .host = \"a\"; }\nbackend F_b { .host = \"b\"; }\ndirector d random { { .backend = F_a; .weight = 2; } { .backend = F_b; .weight = 1; } }\ndirector e hash { { .backend = F_a; .weight = 7; } }\n";
    let p = plan(src, false);
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    assert_eq!(p.backends[0].weight, Some(2));
    assert!(
        p.diagnostics
            .iter()
            .any(|d| d.code == "parse::conflicting-weight")
    );
    let note = p
        .notes
        .iter()
        .find(|n| n.field == ".weight")
        .expect("a note");
    assert_eq!(note.object, "a");
    assert!(note.message.contains("`.weight = 7`") && note.message.contains("2 is carried"));
    assert!(plan(src, true).has_errors());
    // Every format carries the weight.
    let target = ServiceVersion::default();
    assert!(json::emit(&p).text.contains("\"weight\": 2"));
    assert!(curl::emit(&p, &target).text.contains("'weight=2'"));
    assert!(fastly_cli::emit(&p, &target).text.contains("--weight='2'"));
    assert!(
        terraform::emit(&p, &target)
            .text
            .contains("weight                = 2")
    );
}

/// A director whose member stays in VCL (a shield node) or is declared nowhere in the file
/// stays too, and says which member.
#[test]
fn a_director_with_a_member_that_does_not_move_stays_and_says_which() {
    let src = "backend F_a { .host = \"a\"; }\nbackend shield_x { .host = \"s\"; .is_shield = true; }\ndirector d random { { .backend = F_a; .weight = 1; } { .backend = shield_x; .weight = 1; } }\ndirector e hash { { .backend = F_a; .weight = 1; } { .backend = F_elsewhere; .weight = 1; } }\n";
    let p = plan(src, false);
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    assert!(p.directors.is_empty(), "{:?}", p.directors);
    let why: Vec<_> = p.stayed_directors.iter().map(|s| s.why.as_str()).collect();
    assert_eq!(
        why,
        [
            "member `shield_x` is a backend that stays in VCL",
            "member `F_elsewhere` is declared nowhere in this file, so no backend that moves is it",
        ]
    );
    let (rewritten, _) = rewrite::rewrite(src, &p, |_| 0).unwrap();
    assert!(rewritten.contains("director d random"), "{rewritten}");
    assert!(rewritten.contains("director e hash"), "{rewritten}");
}
