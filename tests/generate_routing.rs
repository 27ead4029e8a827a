//! generate's routing and shielding (docs/design.md §4.8) against a dump of the same service,
//! its three outputs (`--to vcl`, `--recv`, `--to snippet`), and the round trip through lint.

use vcl_backend::api_json;
use vcl_backend::generate::routing_print::FIRST_PASS;
use vcl_backend::generate::snippet::{snippets, snippets_json};
use vcl_backend::generate::{Names, Options, generate};
use vcl_backend::model::ObjectKind;
use vcl_backend::source::SourceFile;

mod support;
use support::routed::{generated, generated_with_names, minimal_service};
use support::{TempDir, run_cli, text};

const DUMP: &str = "fixtures/generate/routing/generated.vcl";

/// The lines that are not blank: the generator's template leaves blank lines between
/// everything, which generate does not reproduce (design §4.8).
fn non_blank(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// Every line of `ours` is a line of `dump`, byte for byte, in the same order.
fn assert_lines_in_order(ours: &[&str], dump: &[&str]) {
    let mut rest = dump.iter();
    for line in ours {
        assert!(
            rest.any(|d| d == line),
            "`{line}` is not in the dump (in this order)"
        );
    }
}

#[test]
fn declarations_are_the_dumps_own_blocks() {
    let dump = std::fs::read_to_string(DUMP).unwrap();
    let vcl = generated().vcl;
    let shield_at = vcl.find("director ssl_shield_").unwrap();
    let (backends, shields) = vcl.split_at(shield_at);
    // The backends are one run of the dump's text, and so is the shield director.
    assert!(dump.contains(&format!("# Backends\n\n{backends}\n")));
    assert!(dump.contains(shields));
}

#[test]
fn routing_is_the_dumps_own_lines_but_for_the_first_pass_variable() {
    let dump = std::fs::read_to_string(DUMP).unwrap();
    let recv = generated().recv;
    // The one documented difference: our own name for the "first pass" variable.
    assert!(!recv.contains("fastly_req_do_shield"));
    let as_fastly = recv.replace(FIRST_PASS, "var.fastly_req_do_shield");
    let recv_section = &dump[dump.find("#--FASTLY RECV BEGIN").unwrap()..];
    assert_lines_in_order(&non_blank(&as_fastly), &non_blank(recv_section));
    // Nothing of the routing is left out: each line the dump's generated routing holds is ours.
    for wanted in [
        "  set req.backend = F_Web_Origin_Main;",
        "  if( req.url.path ~ \"^/api/\" ) {",
        "      set req.backend = fastly.try_select_shield(ssl_shield_iad_va_us, F_Web_Origin_Main);",
    ] {
        assert!(recv.lines().any(|l| l == wanted), "{wanted}");
    }
}

#[test]
fn each_output_is_snapshotted() {
    let g = generated();
    insta::assert_snapshot!("to_vcl", g.vcl);
    insta::assert_snapshot!("recv", g.recv);
    insta::assert_snapshot!("to_snippet", snippets_json(&snippets(&g.vcl, &g.recv)));
}

#[test]
fn snippets_are_init_then_recv_and_hold_the_outputs() {
    let g = generated();
    let json: serde_json::Value =
        serde_json::from_str(&snippets_json(&snippets(&g.vcl, &g.recv))).unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["type"], "init");
    assert_eq!(list[0]["content"], g.vcl.as_str());
    assert_eq!(list[1]["type"], "recv");
    assert_eq!(list[1]["content"], g.recv.as_str());
    // Without routing, the init snippet alone.
    let json: serde_json::Value = serde_json::from_str(&snippets_json(&snippets("x", ""))).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
}

#[test]
fn declarations_and_routing_lint_clean_in_a_minimal_service() {
    let g = generated();
    let dir = TempDir::new("routing-lint");
    let vcl = dir.join("main.vcl");
    std::fs::write(&vcl, minimal_service(&g)).unwrap();
    // The `F_` names are kept on purpose (design §4.8): reserved-name says so until allowed.
    let out = run_cli(&["lint", vcl.to_str().unwrap()], None);
    let printed = text(&out.stdout) + &text(&out.stderr);
    let codes: Vec<&str> = printed
        .lines()
        .filter_map(|l| l.trim().strip_prefix("vcl-backend::"))
        .collect();
    assert_eq!(
        codes,
        ["lint::reserved-name", "lint::reserved-name"],
        "{printed}"
    );
    std::fs::write(
        dir.join("vcl-backend.toml"),
        "[backends]\nallow-names = [\"F_API_Origin\", \"F_Web_Origin_Main\"]\n",
    )
    .unwrap();
    let out = run_cli(&["lint", vcl.to_str().unwrap()], None);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings, 0 infos"), "{stderr}");
}

#[test]
fn api_names_drop_the_prefix_everywhere_and_report_each_change() {
    let g = generated_with_names(Names::Api);
    assert!(!g.has_errors());
    assert!(
        !g.vcl.contains("F_") && !g.recv.contains("F_"),
        "{}{}",
        g.vcl,
        g.recv
    );
    insta::assert_snapshot!("names_api_recv", g.recv);
    let notes: Vec<String> = g
        .findings
        .iter()
        .filter(|f| f.diagnostic.code == "generate::renamed")
        .map(|f| f.diagnostic.message.clone())
        .collect();
    assert_eq!(
        notes,
        [
            "backend `API Origin` is `API_Origin` in VCL, not `F_API_Origin`",
            "backend `Web Origin/Main` is `Web_Origin_Main` in VCL, not `F_Web_Origin_Main`",
        ]
    );
    // The default changes nothing and reports nothing.
    let g = generated_with_names(Names::Vcl);
    assert!(
        g.findings
            .iter()
            .all(|f| f.diagnostic.code != "generate::renamed")
    );
}

#[test]
fn api_names_lint_clean_without_allowing_any_name() {
    let g = generated_with_names(Names::Api);
    let dir = TempDir::new("routing-lint-api-names");
    let vcl = dir.join("main.vcl");
    std::fs::write(&vcl, minimal_service(&g)).unwrap();
    let out = run_cli(&["lint", vcl.to_str().unwrap()], None);
    let printed = text(&out.stdout) + &text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{printed}");
    assert!(
        printed.contains("0 errors, 0 warnings, 0 infos"),
        "{printed}"
    );
}

#[test]
fn api_names_that_a_digit_or_a_generator_prefix_would_lead() {
    let json = r#"{"backends": [
        {"name": "1st", "address": "a.example.com"},
        {"name": "autodirector_x", "address": "b.example.com"}],
      "directors": [{"name": "pool", "backends": ["1st", "autodirector_x"]}]}"#;
    let file = SourceFile::new("inline.json", json);
    let (config, _) = api_json::read(&file, ObjectKind::Backend).unwrap();
    let options = Options {
        names: Names::Api,
        service_id: Some("S".into()),
        ..Options::default()
    };
    let g = generate(&config, &options);
    assert!(g.vcl.contains("backend F_1st {"), "{}", g.vcl);
    assert!(g.vcl.contains("    .backend = F_1st;\n"), "{}", g.vcl);
    assert!(g.vcl.contains("director pool random {"), "{}", g.vcl);
    let codes: Vec<(&str, &str)> = g
        .findings
        .iter()
        .map(|f| (f.diagnostic.code, f.diagnostic.message.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (
                "generate::renamed",
                "backend `1st` keeps `F_1st`: a VCL identifier cannot start with a digit"
            ),
            (
                "generate::reserved-name",
                "backend `autodirector_x` becomes `autodirector_x`, which starts like the names Fastly generates (`autodirector_`)"
            ),
            (
                "generate::renamed",
                "backend `autodirector_x` is `autodirector_x` in VCL, not `F_autodirector_x`"
            ),
            (
                "generate::renamed",
                "director `pool` is `pool` in VCL, not `F_pool`"
            ),
        ]
    );
}

/// Many shield POPs and conditions cost a lookup each: a shield director per POP, a routed
/// backend per condition, in linear time.
#[test]
fn many_shields_and_conditions_stay_linear() {
    let n = 40_000;
    let config = vcl_backend::model::Config {
        backends: (0..n)
            .map(|i| vcl_backend::model::Backend {
                name: Some(format!("b{i}")),
                address: Some("origin.example.com".into()),
                shield: Some(format!("pop-{i}")),
                request_condition: Some(format!("c{i}")),
                share_key: Some("key".into()),
                ..Default::default()
            })
            .collect(),
        conditions: (0..n)
            .map(|i| vcl_backend::model::Condition {
                name: Some(format!("c{i}")),
                statement: Some(format!("req.http.x == \"{i}\"")),
                priority: Some(vcl_backend::model::condition::Priority::Number(n - i)),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let g = generate(&config, &Options::default());
    assert!(!g.has_errors());
    assert_eq!(g.vcl.matches(" shield {\n").count(), n as usize);
    assert_eq!(g.recv.matches("#end condition").count(), n as usize);
    // Lower priority first: the last backend's condition comes first.
    let last = format!("    set req.backend = F_b{};\n", n - 1);
    assert!(g.recv.find(&last).unwrap() < g.recv.find("    set req.backend = F_b0;\n").unwrap());
}
