//! One parse of a file, timed, for profilers (perf, callgrind) that want the parser without
//! a benchmark harness around it:
//! `cargo run --release --example profile_parse -- FILE.vcl [syntax|full|stream]`.
//! `syntax` runs the syntax layer alone; `full` (the default) runs `lower::parse_config`;
//! `stream` runs `lower::parse_config_streaming`, dropping each backend.
//!
//! It allocates as the `vcl-backend` binary does (mimalloc) when the `cli` feature is on, as
//! it is by default; `--no-default-features` measures with the system allocator.

use std::process::ExitCode;
use std::time::Instant;

#[cfg(feature = "cli")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (path, stage) = match &args[..] {
        [path] => (path, "full"),
        [path, stage] if ["syntax", "full", "stream"].contains(&stage.as_str()) => {
            (path, stage.as_str())
        }
        _ => {
            eprintln!("usage: profile_parse FILE.vcl [syntax|full|stream]");
            return ExitCode::from(2);
        }
    };
    let src = match std::fs::read_to_string(path) {
        Ok(src) => src,
        Err(e) => {
            eprintln!("profile_parse: cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    if stage == "syntax" {
        let mut parser = vcl_backend::syntax::Parser::new(&src);
        let items = parser.by_ref().count();
        eprintln!("syntax: {items} items in {:?}", start.elapsed());
    } else if stage == "stream" {
        let mut backends = 0;
        let lowered = vcl_backend::lower::parse_config_streaming(&src, &mut |_, _| backends += 1);
        let errors = lowered.has_errors();
        eprintln!(
            "parse_config_streaming: {backends} backends (errors: {errors}) in {:?}",
            start.elapsed()
        );
    } else {
        let lowered = vcl_backend::lower::parse_config(&src);
        let backends = lowered.config.backends.len();
        eprintln!("parse_config: {backends} backends in {:?}", start.elapsed());
    }
    ExitCode::SUCCESS
}
