//! Parse, generate, parse: the second model equals the first (for VCL that parses cleanly),
//! and generating again gives the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vcl_backend::generate::{Options, generate};
use vcl_backend::lower::parse_config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let first = parse_config(text);
    if first.has_errors() || first.diagnostics.iter().any(|d| !d.is_error() && d.code != "parse::api-name") {
        return;
    }
    let options = Options { service_id: Some("fuzz".into()), strict: false, ..Default::default() };
    let once = generate(&first.config, &options);
    // A finding (even a warning, e.g. a probe Host taken from the backend) says the VCL does
    // not stand for the model exactly: the property is for what generates cleanly.
    if !once.findings.is_empty() {
        return;
    }
    let second = parse_config(&once.vcl);
    assert!(!second.has_errors(), "{:?}\n{}", second.diagnostics, once.vcl);
    let twice = generate(&second.config, &options);
    assert_eq!(once.vcl, twice.vcl, "generate(parse(generate(m))) differs");
});
