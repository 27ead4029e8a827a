//! Arbitrary JSON through the API reader and the generator: never a panic, whatever is
//! generated parses back without an error, and `pretty_json` writes every object read exactly
//! as serde_json's pretty printer does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vcl_backend::api_json::read;
use vcl_backend::model::ObjectKind;
use vcl_backend::generate::{Options, generate};
use vcl_backend::lower::parse_config;
use vcl_backend::pretty_json::{write_backend, write_healthcheck};
use vcl_backend::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = SourceFile::new("fuzz.json", text);
    let Ok((config, _)) = read(&file, ObjectKind::Backend) else { return };
    for b in &config.backends {
        let mut out = Vec::new();
        write_backend(&mut out, b, 0);
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string_pretty(b).unwrap());
    }
    for h in &config.healthchecks {
        let mut out = Vec::new();
        write_healthcheck(&mut out, h, 0);
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string_pretty(h).unwrap());
    }
    let generated = generate(&config, &Options::default());
    if generated.has_errors() {
        return;
    }
    let lowered = parse_config(&generated.vcl);
    assert!(!lowered.has_errors(), "generated VCL does not parse: {:?}\n{}", lowered.diagnostics, generated.vcl);
    assert_eq!(lowered.config.backends.len(), config.backends.len());
});
