//! Every input a fuzz target once failed on (`fixtures/fuzz/`), run through the same property
//! as the target, with its exact outcome. The `parse` target's pieces property needs a hook
//! the library keeps to itself: its check is a unit test in `src/lower/pieces.rs`.

use vcl_backend::generate::{Options, generate};
use vcl_backend::lower::parse_config;
use vcl_backend::source::SourceFile;

/// The `roundtrip` target's property: for VCL that parses cleanly and generates without a
/// finding, generating again from the parsed output gives the same text.
fn roundtrip_holds(text: &str) -> Result<(), String> {
    let first = parse_config(text);
    if first.has_errors()
        || first
            .diagnostics
            .iter()
            .any(|d| d.code != "parse::api-name")
    {
        return Ok(());
    }
    let options = Options {
        service_id: Some("fuzz".into()),
        strict: false,
        ..Default::default()
    };
    let once = generate(&first.config, &options);
    if !once.findings.is_empty() {
        return Ok(());
    }
    let second = parse_config(&once.vcl);
    if second.has_errors() {
        return Err(format!("{:?}", second.diagnostics));
    }
    let twice = generate(&second.config, &options);
    if once.vcl == twice.vcl {
        Ok(())
    } else {
        Err("generate(parse(generate(m))) differs".into())
    }
}

#[test]
fn every_fuzz_finding_holds_now() {
    for entry in std::fs::read_dir("fixtures/fuzz").unwrap() {
        let path = entry.unwrap().path();
        let (file, _) = SourceFile::from_bytes("fuzz", std::fs::read(&path).unwrap());
        assert_eq!(roundtrip_holds(&file.text), Ok(()), "{}", path.display());
    }
}

/// Found by `roundtrip`: a probe without a Host line takes the backend's address, here with a
/// leading space, which the Host line cannot carry. Generate says so; it is not silent.
#[test]
fn probe_host_taken_from_a_padded_address_is_reported() {
    let text =
        std::fs::read_to_string("fixtures/fuzz/roundtrip-probe-host-from-padded-address.vcl")
            .unwrap();
    let parsed = parse_config(&text);
    assert!(!parsed.has_errors());
    let generated = generate(
        &parsed.config,
        &Options {
            service_id: Some("fuzz".into()),
            strict: false,
            ..Default::default()
        },
    );
    let codes: Vec<_> = generated
        .findings
        .iter()
        .map(|f| f.diagnostic.code)
        .collect();
    assert_eq!(codes, ["generate::healthcheck-host"]);
}
