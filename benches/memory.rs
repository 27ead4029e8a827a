//! Memory that grows with what an input makes, not with its size (docs/design.md §11), at two
//! sizes each (N and 4N), read from divan's allocation profiler ("max alloc": the peak heap of
//! one run).
//!
//! `cargo bench --bench memory`:
//! - `generate_streamed`: API JSON whose backends share one healthcheck with a 100 KB path,
//!   checked and written block by block to a sink, as `vcl-backend generate` does;
//! - `generate_to_string`: the same into one string (the library's convenience): the peak
//!   grows with the VCL, 100 KB a backend;
//! - `lint_json` and `lint_sarif`: a file with one finding a line (an unmatched `}`), linted
//!   and its findings written to a sink as `vcl-backend lint --format json|sarif` writes
//!   them: the peak is the findings themselves, a bounded amount each.

#[path = "inputs/memory_inputs.rs"]
mod memory_inputs;

use divan::{AllocProfiler, Bencher, black_box};
use memory_inputs::{findings_vcl, shared_healthcheck_json};
use vcl_backend::api_json::read;
use vcl_backend::diagnostic::FileDiagnostics;
use vcl_backend::generate::{Options, generate, prepare};
use vcl_backend::lint::{LintOptions, lint, sarif};
use vcl_backend::model::Config;
use vcl_backend::model::ObjectKind;
use vcl_backend::source::SourceFile;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

const PATH_LEN: usize = 100_000;

/// The document read into the model, untimed.
fn shared_config(n: usize) -> Config {
    let text = shared_healthcheck_json(n, PATH_LEN);
    let (config, _) = read(&SourceFile::new("x.json", text), ObjectKind::Backend)
        .expect("the generated JSON reads");
    assert_eq!(config.backends.len(), n);
    config
}

#[divan::bench(args = [1_000, 4_000], sample_count = 5, sample_size = 1)]
fn generate_streamed(bencher: Bencher, n: usize) {
    let config = shared_config(n);
    let options = Options::default();
    bencher.bench_local(|| {
        let prepared = prepare(&config, &options);
        assert!(!prepared.has_errors());
        prepared
            .write_to(&mut std::io::sink())
            .expect("a sink takes everything");
        black_box(prepared.findings.len())
    });
}

#[divan::bench(args = [1_000, 4_000], sample_count = 5, sample_size = 1)]
fn generate_to_string(bencher: Bencher, n: usize) {
    let config = shared_config(n);
    let options = Options::default();
    bencher.bench_local(|| black_box(generate(&config, &options).vcl.len()));
}

/// The file's findings, placed as the command keeps them.
fn lint_placed(file: &SourceFile, n: usize) -> FileDiagnostics {
    let found = lint(file, &LintOptions::default());
    assert_eq!(found.len(), n);
    FileDiagnostics::new(file, found)
}

#[divan::bench(args = [25_000, 100_000], sample_count = 5, sample_size = 1)]
fn lint_json(bencher: Bencher, n: usize) {
    let file = SourceFile::new("findings.vcl", findings_vcl(n));
    bencher.bench_local(|| {
        let placed = lint_placed(&file, n);
        let mut serializer = serde_json::Serializer::pretty(std::io::sink());
        serde::Serializer::collect_seq(&mut serializer, placed.json())
            .expect("a sink takes everything");
        black_box(placed)
    });
}

#[divan::bench(args = [25_000, 100_000], sample_count = 5, sample_size = 1)]
fn lint_sarif(bencher: Bencher, n: usize) {
    let file = SourceFile::new("findings.vcl", findings_vcl(n));
    bencher.bench_local(|| {
        let placed = [lint_placed(&file, n)];
        sarif::write_log(std::io::sink(), &placed).expect("a sink takes everything");
        black_box(placed)
    });
}
