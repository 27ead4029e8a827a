//! Arbitrary JSON through the API reader and the generator: never a panic, and whatever is
//! generated parses back without an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vcl_backend::api_json::{Kind, read};
use vcl_backend::generate::{Options, generate};
use vcl_backend::lower::parse_config;
use vcl_backend::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = SourceFile::new("fuzz.json", text);
    let Ok((config, _)) = read(&file, Kind::Backend) else { return };
    let generated = generate(&config, &Options::default());
    if generated.has_errors() {
        return;
    }
    let lowered = parse_config(&generated.vcl);
    assert!(!lowered.has_errors(), "generated VCL does not parse: {:?}\n{}", lowered.diagnostics, generated.vcl);
    assert_eq!(lowered.config.backends.len(), config.backends.len());
});
