//! Arbitrary bytes through UTF-8 checking, the parser and lowering: never a panic, and every
//! label on a character boundary inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vcl_backend::lower::parse_config;
use vcl_backend::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let (file, _) = SourceFile::from_bytes("fuzz", data.to_vec());
    let lowered = parse_config(&file.text);
    for d in &lowered.diagnostics {
        for label in &d.labels {
            assert!(label.span.start <= label.span.end && label.span.end <= file.text.len());
            assert!(file.text.is_char_boundary(label.span.start) && file.text.is_char_boundary(label.span.end));
        }
    }
});
