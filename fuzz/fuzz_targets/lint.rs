//! Arbitrary bytes through the linter, and every finding rendered: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vcl_backend::diagnostic::render;
use vcl_backend::lint::{LintOptions, lint};
use vcl_backend::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let (file, _) = SourceFile::from_bytes("fuzz", data.to_vec());
    for d in lint(&file, &LintOptions::default()) {
        let _ = render(&d, &file, false, 80);
    }
});
