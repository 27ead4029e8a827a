//! Lint and migrate on generated VCL with 1, 1,000 and 100,000 backends (`cargo bench --bench
//! lint_migrate`). Each input is checked once, untimed, so a broken run cannot pass for a fast
//! one. The generated input is a Fastly dump: lint's rules for hand-written backends skip its
//! `F_` backends, so the figures are the parse, the reference scan and the probe rules.

#[path = "inputs/generate_input.rs"]
mod generate_input;

use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{AllocProfiler, Bencher, black_box};
use generate_input::generated_vcl;
use vcl_backend::lint::{LintOptions, lint};
use vcl_backend::migrate::{ServiceVersion, fastly_cli, json, plan};
use vcl_backend::source::SourceFile;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

static INPUTS: LazyLock<[SourceFile; 3]> = LazyLock::new(|| {
    [1, 1_000, 100_000].map(|n| SourceFile::new(format!("{n}.vcl"), generated_vcl(n)))
});

fn input(n: usize) -> &'static SourceFile {
    let i = match n {
        1 => 0,
        1_000 => 1,
        _ => 2,
    };
    let file = &INPUTS[i];
    // Untimed: the input lints without errors and migrates every backend.
    let found = lint(file, &LintOptions::default());
    assert!(
        found.iter().all(|d| !d.is_error()),
        "{:?}",
        found.iter().find(|d| d.is_error())
    );
    assert_eq!(plan(&file.text, false).backends.len(), n);
    file
}

#[divan::bench(args = [1, 1_000])]
fn lint_backends(bencher: Bencher, n: usize) {
    let file = input(n);
    bencher
        .counter(BytesCount::new(file.text.len()))
        .bench(|| black_box(lint(black_box(file), &LintOptions::default())));
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn lint_backends_100000(bencher: Bencher) {
    let file = input(100_000);
    bencher
        .counter(BytesCount::new(file.text.len()))
        .bench(|| black_box(lint(black_box(file), &LintOptions::default())));
}

#[divan::bench(args = [1, 1_000])]
fn migrate_json(bencher: Bencher, n: usize) {
    let file = input(n);
    bencher
        .counter(BytesCount::new(file.text.len()))
        .bench(|| black_box(json::emit(&plan(black_box(&file.text), false))));
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn migrate_json_100000(bencher: Bencher) {
    let file = input(100_000);
    bencher
        .counter(BytesCount::new(file.text.len()))
        .bench(|| black_box(json::emit(&plan(black_box(&file.text), false))));
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn migrate_fastly_cli_100000(bencher: Bencher) {
    let file = input(100_000);
    bencher.counter(BytesCount::new(file.text.len())).bench(|| {
        black_box(fastly_cli::emit(
            &plan(black_box(&file.text), false),
            &ServiceVersion::default(),
        ))
    });
}
