//! Hand-written Fastly VCL shapes that migrate must move (issue 18): dummy probes, a
//! `.host_header` without `.always_use_host_header`, a named probe and an inline probe that
//! want one healthcheck name, anonymous director backends, template placeholders and `.url`
//! probes. Each fixture of `fixtures/migrate` is snapshotted in every format with its report,
//! diagnostics and rewritten VCL; each class has its own assertions.

use serde_json::Value;
use vcl_backend::diagnostic::render;
use vcl_backend::generate::{Options, generate};
use vcl_backend::lint::{LintOptions, lint};
use vcl_backend::migrate::{
    Plan, ServiceVersion, curl, fastly_cli, json, plan, report, rewrite, terraform,
};
use vcl_backend::model::Config;
use vcl_backend::source::SourceFile;

mod support;
use support::{TempDir, run_cli};

/// The hand-written shapes, each a file of `fixtures/migrate`.
const FIXTURES: &[&str] = &[
    "dummy_probes",
    "host_header",
    "probe_name_collision",
    "director_anonymous",
    "placeholders",
    "url_probes",
    "directors",
];

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("fixtures/migrate/{name}.vcl")).unwrap()
}

fn target() -> ServiceVersion {
    ServiceVersion {
        service_id: Some("SU1Z0isxPaozGVKXdv0eY".into()),
        version: Some(7),
    }
}

fn json_of(p: &Plan) -> Value {
    serde_json::from_str(&json::emit(p).text).unwrap()
}

fn codes(p: &Plan) -> Vec<&'static str> {
    p.diagnostics.iter().map(|d| d.code).collect()
}

/// Every format, the report of each, the diagnostics and the rewritten VCL: one snapshot.
#[test]
fn every_fixture_in_every_format() {
    for name in FIXTURES {
        let src = read(name);
        let p = plan(&src, false);
        assert!(!p.has_errors(), "{name}: {:?}", p.diagnostics);
        let file = SourceFile::new(format!("{name}.vcl"), src.clone());
        let diagnostics: String = p
            .diagnostics
            .iter()
            .map(|d| render(d, &file, false, 100))
            .collect();
        let (rewritten, renamed) = rewrite::rewrite(&src, &p, |o| file.line_col(o).0).unwrap();
        let mut out = format!("--- diagnostics ---\n{diagnostics}\n");
        let emitted = [
            ("json", json::emit(&p)),
            ("fastly-cli", fastly_cli::emit(&p, &target())),
            ("curl", curl::emit(&p, &target())),
            ("terraform", terraform::emit(&p, &target())),
        ];
        for (format, e) in &emitted {
            let report = report::build(&p, format, &e.notes, &e.left_to_api, &e.remarks, &renamed);
            out.push_str(&format!(
                "--- {format} ---\n{}\n--- report ({format}) ---\n{}\n",
                e.text,
                report.human()
            ));
        }
        out.push_str(&format!("--- rewritten VCL ---\n{rewritten}"));
        insta::assert_snapshot!(*name, out);
    }
}

/// `migrate --to json` exits 0 with every backend present, and the closing line says what
/// was written: the JSON on stdout, no file.
#[test]
fn the_command_moves_every_backend_of_every_fixture() {
    for name in FIXTURES {
        let path = format!("fixtures/migrate/{name}.vcl");
        let out = run_cli(&["migrate", &path, "--to", "json"], None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
        let config: Config = serde_json::from_slice(&out.stdout).unwrap();
        let expected = plan(&read(name), false).backends.len();
        assert_eq!(config.backends.len(), expected, "{name}");
        assert!(
            stderr.contains(&format!(
                "{path}: the JSON printed on stdout; no file written"
            )),
            "{stderr}"
        );
    }
    let dir = TempDir::new("closing-line");
    let vcl = dir.join("out.vcl");
    let out = run_cli(
        &[
            "migrate",
            "fixtures/migrate/url_probes.vcl",
            "--to",
            "fastly-cli",
            "--rewrite-vcl",
            vcl.to_str().unwrap(),
        ],
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "the Fastly CLI script printed on stdout; the rewritten VCL written to {}",
            vcl.display()
        )),
        "{stderr}"
    );
}

#[test]
fn dummy_probes_move_without_a_healthcheck_and_name_what_they_drop() {
    let src = read("dummy_probes");
    let p = plan(&src, false);
    let doc = json_of(&p);
    assert_eq!(doc["healthchecks"], Value::Array(Vec::new()));
    assert_eq!(doc["backends"].as_array().unwrap().len(), 4);
    assert!(p.backends.iter().all(|b| b.healthcheck.is_none()));
    // Fastly's own default and `.dummy = true;` alone drop nothing: no warning for them.
    assert_eq!(codes(&p), ["migrate::dummy-probe", "migrate::dummy-probe"]);
    let www = &p.diagnostics[0].message;
    assert!(
        www.contains("`F_www`")
            && www.contains("`.initial`, `.request`, `.threshold`, `.timeout`, `.window`"),
        "{www}"
    );
    // Even a request that is not a request line: the probe is never sent.
    assert!(p.diagnostics[1].message.contains("`.request`, `.interval`"));
    let strict = plan(&src, true);
    assert_eq!(
        strict.diagnostics.iter().filter(|d| d.is_error()).count(),
        2
    );
}

#[test]
fn parse_warns_about_a_dummy_probe_and_makes_no_healthcheck() {
    let lowered = vcl_backend::lower::parse_config(&read("dummy_probes"));
    assert!(!lowered.has_errors());
    assert!(lowered.config.healthchecks.is_empty());
    let dummy: Vec<_> = lowered
        .diagnostics
        .iter()
        .filter(|d| d.code == "parse::dummy-probe")
        .collect();
    assert_eq!(dummy.len(), 2);
    assert!(dummy[0].message.contains("dropped: `.initial`"));
}

#[test]
fn host_header_without_always_is_not_override_host_and_is_reported() {
    let src = read("host_header");
    let p = plan(&src, false);
    let doc = json_of(&p);
    let backends = doc["backends"].as_array().unwrap();
    let by_name = |n: &str| backends.iter().find(|b| b["name"] == n).unwrap();
    assert_eq!(by_name("app").get("override_host"), None);
    assert_eq!(by_name("legacy").get("override_host"), None);
    assert_eq!(by_name("cms")["override_host"], "cms.example.com");
    // Where it did apply, the probe: its `.url` healthcheck sends it.
    assert_eq!(doc["healthchecks"][0]["host"], "app.internal");
    let notes: Vec<_> = p
        .notes
        .iter()
        .filter(|n| n.field == "override_host")
        .map(|n| n.object.as_str())
        .collect();
    assert_eq!(notes, ["app", "legacy"]);
    assert!(
        p.notes[0]
            .how
            .as_deref()
            .unwrap()
            .contains(".always_use_host_header = true;")
    );
    assert_eq!(
        codes(&p)
            .iter()
            .filter(|c| **c == "migrate::host-header-meaning")
            .count(),
        2
    );
    assert!(plan(&src, true).has_errors());
    // parse fills `override_host`, the closest API form, and says so.
    let lowered = vcl_backend::lower::parse_config(&src);
    assert_eq!(
        lowered.config.backends[0].override_host.as_deref(),
        Some("app.internal")
    );
    assert_eq!(
        lowered
            .diagnostics
            .iter()
            .filter(|d| d.code == "parse::host-header-meaning")
            .count(),
        2
    );
}

/// `probe web` and backend `web`'s inline probe: two healthchecks with distinct names, and
/// every backend points at the one it had, in every format.
#[test]
fn healthcheck_names_are_unique_in_every_format() {
    let src = read("probe_name_collision");
    let p = plan(&src, false);
    let names: Vec<&str> = p
        .healthchecks
        .iter()
        .filter_map(|h| h.name.as_deref())
        .collect();
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(names.len(), unique.len(), "{names:?}");
    let hc = |backend: &str| {
        let b = p
            .backends
            .iter()
            .find(|b| b.name.as_deref() == Some(backend))
            .unwrap();
        let name = b.healthcheck.clone().unwrap();
        let h = p
            .healthchecks
            .iter()
            .find(|h| h.name.as_deref() == Some(name.as_str()))
            .unwrap();
        (name, h.path.clone().unwrap())
    };
    assert_eq!(hc("web"), ("web".to_string(), "/ready".to_string()));
    // The renamed one is said, at the `.probe` that made it.
    assert_eq!(codes(&p), ["parse::healthcheck-renamed"]);
    assert!(p.diagnostics[0].message.contains("named `web_2`"));
    let (api, path) = hc("api");
    assert_eq!((api.as_str(), path.as_str()), ("web_2", "/status"));
    let (images, path) = hc("images");
    assert_eq!(path, "/status");
    assert_ne!(images, api, "the `.url` probe sent each backend's own Host");
    let cli = fastly_cli::emit(&p, &target()).text;
    let curl = curl::emit(&p, &target()).text;
    let tf = terraform::emit(&p, &target()).text;
    // The healthchecks each format creates, and the one each backend names.
    let made = |text: &str, start: &str, name_field: &str, hc_field: &str| {
        let mut made = Vec::new();
        let mut used = Vec::new();
        for block in text.split("\n\n") {
            let value = |field: &str| {
                block.lines().find_map(|l| {
                    let l = l.trim();
                    let rest = l.strip_prefix(field)?;
                    Some(
                        rest.trim_end_matches(" \\")
                            .trim_matches(['\'', '"', ' '])
                            .to_string(),
                    )
                })
            };
            if block.contains(start) {
                made.extend(value(name_field));
            } else if let Some(hc) = value(hc_field) {
                used.push(hc);
            }
        }
        (made, used)
    };
    let expected_used: Vec<String> = p
        .backends
        .iter()
        .map(|b| b.healthcheck.clone().unwrap())
        .collect();
    for (format, text, start, name_field, hc_field) in [
        (
            "fastly-cli",
            &cli,
            "fastly service healthcheck create",
            "--name=",
            "--healthcheck=",
        ),
        (
            "curl",
            &curl,
            "/healthcheck\"",
            "--data-urlencode 'name=",
            "--data-urlencode 'healthcheck=",
        ),
        ("terraform", &tf, "healthcheck {", "name ", "healthcheck "),
    ] {
        let (made, used) = made(text, start, name_field, hc_field);
        let made: Vec<String> = made
            .iter()
            .map(|m| m.trim_start_matches(['=', ' ', '"']).to_string())
            .collect();
        let used: Vec<String> = used
            .iter()
            .map(|m| m.trim_start_matches(['=', ' ', '"']).to_string())
            .collect();
        assert_eq!(made, names, "{format}:\n{text}");
        assert_eq!(used, expected_used, "{format}:\n{text}");
    }
    // Named probes no remaining backend uses go with the migrated declarations.
    let (rewritten, _) = rewrite::rewrite(&src, &p, |_| 0).unwrap();
    assert!(!rewritten.contains("probe web"), "{rewritten}");
    assert!(!rewritten.contains("probe unused"), "{rewritten}");
}

#[test]
fn a_named_probe_a_remaining_backend_uses_stays() {
    let src = "probe p { .url = \"/\"; }\nbackend shield_x { .host = \"s\"; .is_shield = true; .probe = p; }\nbackend F_a { .host = \"a\"; .probe = p; }\n";
    let p = plan(src, false);
    let (rewritten, _) = rewrite::rewrite(src, &p, |_| 0).unwrap();
    assert!(rewritten.starts_with("probe p {"), "{rewritten}");
    assert!(!rewritten.contains("F_a"));
}

/// random, hash and client directors move with their members (an anonymous one under its new
/// name); fallback, chash and a director naming a director stay, each with the reason, a
/// warning (an error with `--strict`); `--rewrite-vcl` removes the ones that moved and renames
/// every reference to them.
#[test]
fn directors_move_or_stay_with_the_reason() {
    let src = read("directors");
    let p = plan(&src, false);
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    let moved: Vec<_> = p
        .directors
        .iter()
        .map(|d| {
            (
                d.name.as_deref().unwrap(),
                d.kind.unwrap(),
                d.quorum,
                d.retries,
                d.backends.clone().unwrap().join(","),
            )
        })
        .collect();
    assert_eq!(
        moved,
        [
            ("app_pool", 1, Some(50), Some(3), "app_east,app_west".into()),
            ("by_url", 3, Some(20), None, "cache_a,cache_b".into()),
            (
                "by_client",
                4,
                Some(10),
                None,
                "app_east,by_client_1".into()
            ),
        ]
    );
    let stayed: Vec<_> = p
        .stayed_directors
        .iter()
        .map(|s| (s.name.as_str(), s.why.as_str()))
        .collect();
    assert_eq!(stayed.len(), 3);
    assert!(stayed[0].1.contains("`fallback` policy"), "{stayed:?}");
    assert!(stayed[1].1.contains("`chash` policy"), "{stayed:?}");
    assert!(
        stayed[2].1.contains("member `by_url` is a director"),
        "{stayed:?}"
    );
    assert_eq!(
        codes(&p)
            .iter()
            .filter(|c| **c == "migrate::director-stays")
            .count(),
        3
    );
    let strict = plan(&src, true);
    let errors: Vec<_> = strict
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    assert!(errors.contains(&"migrate::director-stays"), "{errors:?}");
    let (rewritten, renamed) = rewrite::rewrite(&src, &p, |_| 0).unwrap();
    for gone in ["director app_pool", "director by_url", "director by_client"] {
        assert!(!rewritten.contains(gone), "{rewritten}");
    }
    for kept in [
        "{ .backend = F_app_pool; }",
        "{ .backend = F_by_url; .weight = 1; }",
        "set req.backend = F_by_client;",
        "!backend.F_app_pool.healthy",
        "set req.backend = failover;",
        "{ .backend = F_cache_a; .id = \"a\"; }",
    ] {
        assert!(rewritten.contains(kept), "{kept}: {rewritten}");
    }
    // Nothing inside a removed director is reported as renamed.
    assert!(!renamed.iter().any(|r| r.from == "app_east"), "{renamed:?}");
    // With the directors Fastly generates, the rewritten VCL reads and resolves.
    assert_generated_and_rewritten_resolve(&p, &rewritten);
}

/// A director's API name is unique among the names Fastly generates: one that meets a
/// backend's is an error at both.
#[test]
fn a_director_named_like_a_backend_under_the_api_is_an_error() {
    let src = "backend F_pool { .host = \"a\"; }\nbackend b { .host = \"b\"; }\ndirector pool random { { .backend = b; .weight = 1; } }\n";
    let p = plan(src, false);
    assert_eq!(codes(&p), ["migrate::name-collision"]);
    assert_eq!(p.diagnostics[0].labels.len(), 2);
    assert!(p.directors.is_empty());
}

#[test]
fn anonymous_director_backends_move_and_the_director_points_at_them() {
    let src = read("director_anonymous");
    let p = plan(&src, false);
    let names: Vec<_> = p
        .backends
        .iter()
        .filter_map(|b| b.name.as_deref())
        .collect();
    assert_eq!(names, ["origin", "pool_1", "pool_2"]);
    assert_eq!(p.backends[1].address.as_deref(), Some("pool-a.example.com"));
    assert_eq!(p.backends[1].connect_timeout, Some(1000));
    assert_eq!(p.backends[1].healthcheck.as_deref(), Some("pool_1"));
    assert_eq!(p.healthchecks[0].path.as_deref(), Some("/health"));
    // The random director moves, listing its anonymous members under their new names.
    assert_eq!(
        p.directors[0].backends.as_deref(),
        Some(&["pool_1".to_string(), "pool_2".into(), "origin".into()][..])
    );
    assert_eq!(p.backends[1].weight, Some(40));
    assert_eq!(p.backends[2].weight, Some(60));
    let (rewritten, _) = rewrite::rewrite(&src, &p, |_| 0).unwrap();
    assert!(!rewritten.contains("director pool"), "{rewritten}");
    assert!(
        rewritten.contains("set req.backend = F_pool;"),
        "{rewritten}"
    );
    // A director that stays (a fallback: its members take no `.weight`) points at its
    // anonymous members' new names.
    let fallback = src
        .replace(
            "director pool random {\n  .quorum = 50%;\n  .retries = 3;",
            "director pool fallback {",
        )
        .replace("\n    .weight = 40;", "")
        .replace("\n    .weight = 60;", "")
        .replace(" .weight = 1;", "");
    let pf = plan(&fallback, false);
    assert!(!pf.has_errors(), "{:?}", pf.diagnostics);
    assert!(pf.directors.is_empty());
    let (rewritten_fallback, _) = rewrite::rewrite(&fallback, &pf, |_| 0).unwrap();
    assert!(
        rewritten_fallback.contains(".backend = F_pool_1;\n  }"),
        "{rewritten_fallback}"
    );
    assert!(
        rewritten_fallback.contains(".backend = F_pool_2;\n  }"),
        "{rewritten_fallback}"
    );
    assert!(rewritten_fallback.contains("{ .backend = F_origin; }"));
    // A name taken under the API too (`F_d_1` is `d_1`) is not given again.
    let taken = "backend F_d_1 { .host = \"x\"; }\ndirector d random { { .backend = { .host = \"a\"; } .weight = 1; } }";
    let p3 = plan(taken, false);
    assert!(!p3.has_errors(), "{:?}", p3.diagnostics);
    assert_eq!(p3.backends[1].name.as_deref(), Some("d_1_2"));
    // An object already followed by `;` gets no second one.
    let src2 = "director d fallback { { .backend = { .host = \"a\"; }; } }";
    let p2 = plan(src2, false);
    let (rewritten2, _) = rewrite::rewrite(src2, &p2, |_| 0).unwrap();
    assert_eq!(rewritten2, "director d fallback { { .backend = F_d_1; } }");
    assert!(!rewritten.contains("pool-a.example.com"));
    assert!(!rewritten_fallback.contains("pool-a.example.com"));
    // The rewritten VCL with the blocks Fastly generates parses and resolves, whether the
    // director moved or stayed.
    assert_generated_and_rewritten_resolve(&p, &rewritten);
    assert_generated_and_rewritten_resolve(&pf, &rewritten_fallback);
}

/// What Fastly generates from the plan's JSON (backends and directors), then the rewritten
/// VCL: it reads without errors, and every name it uses is declared.
fn assert_generated_and_rewritten_resolve(p: &Plan, rewritten: &str) {
    let config: Config = serde_json::from_str(&json::emit(p).text).unwrap();
    let generated = generate(
        &config,
        &Options {
            service_id: Some("SVC".into()),
            strict: false,
            ..Default::default()
        },
    );
    assert!(!generated.has_errors(), "{:?}", generated.findings);
    let combined = format!("{}{rewritten}", generated.vcl);
    let lowered = vcl_backend::lower::parse_config(&combined);
    let errors: Vec<_> = lowered
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{combined}");
    let found = lint(
        &SourceFile::new("combined.vcl", combined.clone()),
        &LintOptions::default(),
    );
    let unresolved: Vec<_> = found
        .iter()
        .filter(|d| d.code == "lint::undeclared-backend")
        .collect();
    assert!(unresolved.is_empty(), "{unresolved:?}\n{combined}");
}

#[test]
fn an_anonymous_backend_with_an_error_is_located_and_nothing_moves_silently() {
    let src = "director d random { { .backend = { .port = \"80\"; } .weight = 1; } }";
    let p = plan(src, false);
    let error = p.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(error.code, "parse::missing-host");
    assert!(src[error.labels[0].span.start..].starts_with(".backend"));
    assert!(p.backends.is_empty());
}

#[test]
fn placeholders_are_carried_literally_and_warned_once_per_value() {
    let src = read("placeholders");
    let p = plan(&src, false);
    let warnings: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.code == "migrate::placeholder")
        .collect();
    assert_eq!(warnings.len(), 5);
    for w in &warnings {
        let span = w.labels[0].span;
        let value = &src[span.start..span.end];
        assert!(
            ["${", "{{", "__", "YOUR_"]
                .iter()
                .any(|m| value.contains(m)),
            "{value}"
        );
    }
    assert_eq!(p.backends[0].address.as_deref(), Some("${origin_host}"));
    assert_eq!(p.healthchecks[0].host.as_deref(), Some("__ORIGIN_HOST__"));
    assert!(!p.has_errors());
}

/// A `.url` probe's healthcheck gets the backend's own Host, the same in every format, and
/// backends that sent different Hosts get a healthcheck each.
#[test]
fn url_probe_hosts_are_chosen_once_for_every_format() {
    let src = read("url_probes");
    let p = plan(&src, false);
    let hosts: Vec<_> = p
        .healthchecks
        .iter()
        .map(|h| (h.name.clone().unwrap(), h.host.clone().unwrap()))
        .collect();
    assert_eq!(
        hosts,
        [
            ("eu".to_string(), "eu.example.com".to_string()),
            ("eu_us".to_string(), "us.example.com".to_string())
        ]
    );
    let hc_of: Vec<_> = p
        .backends
        .iter()
        .map(|b| b.healthcheck.as_deref().unwrap())
        .collect();
    assert_eq!(hc_of, ["eu", "eu_us", "eu_us"]);
    assert_eq!(p.chosen.iter().filter(|n| n.field == "host").count(), 2);
    // What the probes leave out takes the API's defaults, said once per healthcheck.
    let defaults: Vec<_> = p.chosen.iter().filter(|n| n.field == "defaults").collect();
    assert_eq!(defaults.len(), 2);
    assert!(
        defaults[0].message.contains("`expected_response` 200"),
        "{}",
        defaults[0].message
    );
    let cli = fastly_cli::emit(&p, &target()).text;
    let curl = curl::emit(&p, &target()).text;
    let tf = terraform::emit(&p, &target());
    for (_, host) in &hosts {
        assert!(cli.contains(&format!("--host='{host}'")));
        assert!(curl.contains(&format!("'host={host}'")));
        assert!(
            tf.text.contains(&format!("host              = \"{host}\"")),
            "{}",
            tf.text
        );
    }
    // Terraform adds no note of its own: the plan chose.
    assert!(tf.notes.iter().all(|n| n.field != "host"));
}

#[test]
fn an_unmovable_probe_is_reported_whole_and_never_said_to_stay() {
    let src = "backend F_a { .host = \"a\"; .probe = { .request = \"invalid\"; .initial = 0; .interval = 365d; } }";
    let p = plan(src, false);
    let note = p.notes.iter().find(|n| n.field == "probe").unwrap();
    assert!(!note.message.contains("stays in VCL"), "{}", note.message);
    for property in ["`.request`", "`.initial`", "`.interval`"] {
        assert!(note.message.contains(property), "{}", note.message);
    }
    // Both problems, not only the first.
    assert!(note.message.contains("longer than the API's limit"));
    assert!(note.message.contains("not start with an HTTP request line"));
}

/// The Fastly CLI script uses no deprecated flag, and what it leaves to the API is not
/// listed as moved.
#[test]
fn the_cli_script_sends_no_deprecated_flag_and_the_report_lists_only_what_is_sent() {
    let src = "backend F_a { .host = \"a\"; .port = \"443\"; .ssl = true; .ssl_check_cert = always; .saintmode_threshold = 0; }";
    let p = plan(src, false);
    let script = fastly_cli::emit(&p, &target());
    assert!(!script.text.contains("--ssl-check-cert"), "{}", script.text);
    let r = report::build(
        &p,
        "fastly-cli",
        &script.notes,
        &script.left_to_api,
        &script.remarks,
        &[],
    );
    let moved = &r.backends[0].moved;
    for field in ["use_ssl", "ssl_check_cert", "error_threshold"] {
        assert!(!moved.contains(&field), "{moved:?}");
        assert!(r.backends[0].left_to_api.iter().any(|n| n.field == field));
    }
    // curl sends them: they are moved there.
    let c = curl::emit(&p, &target());
    let r = report::build(&p, "curl", &c.notes, &c.left_to_api, &c.remarks, &[]);
    assert!(r.backends[0].moved.contains(&"ssl_check_cert"));
}

/// Many backends sharing one `.url` probe, each with its own Host, and many anonymous
/// backends in one director: a healthcheck each, every name distinct, in one pass.
#[test]
fn many_hosts_and_anonymous_backends_stay_distinct() {
    let n = 3000;
    let mut src = String::from("probe p { .url = \"/\"; }\n");
    for i in 0..n {
        src.push_str(&format!(
            "backend F_b{i} {{ .host = \"h{i}.example\"; .probe = p; }}\n"
        ));
    }
    src.push_str("director d random {\n");
    for i in 0..n {
        src.push_str(&format!(
            "  {{ .backend = {{ .host = \"a{i}.example\"; .probe = {{ .url = \"/x\"; }} }} .weight = 1; }}\n"
        ));
    }
    src.push_str("}\n");
    let p = plan(&src, false);
    assert!(!p.has_errors());
    assert_eq!(p.backends.len(), 2 * n);
    assert_eq!(p.healthchecks.len(), 2 * n);
    let names: std::collections::HashSet<_> =
        p.healthchecks.iter().map(|h| h.name.clone()).collect();
    assert_eq!(names.len(), 2 * n);
    for b in &p.backends {
        let hc = p
            .healthchecks
            .iter()
            .find(|h| h.name == b.healthcheck)
            .unwrap();
        assert_eq!(hc.host, b.address, "{:?}", b.name);
    }
}
