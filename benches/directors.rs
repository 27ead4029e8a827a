//! 100,000 backends with and without 10,000 directors over them (`cargo bench --bench
//! directors`; docs/performance.md): parse and lint of the file with directors stay within
//! 1.5x of the same file without. Each input is checked once, untimed.

#[path = "inputs/generate_input.rs"]
mod generate_input;

use std::fmt::Write;
use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use generate_input::generated_vcl;
use vcl_backend::lint::{LintOptions, lint};
use vcl_backend::lower::parse_config;
use vcl_backend::model::names::vcl_ident;
use vcl_backend::source::SourceFile;

fn main() {
    divan::main();
}

const BACKENDS: usize = 100_000;
const DIRECTORS: usize = 10_000;

static PLAIN: LazyLock<SourceFile> =
    LazyLock::new(|| SourceFile::new("plain.vcl", generated_vcl(BACKENDS)));

static WITH_DIRECTORS: LazyLock<SourceFile> = LazyLock::new(|| {
    let text = &PLAIN.text;
    let names: Vec<String> = parse_config(text)
        .config
        .backends
        .iter()
        .filter_map(|b| b.name.as_deref().map(vcl_ident))
        .collect();
    SourceFile::new("directors.vcl", format!("{text}{}", directors(&names)))
});

/// `DIRECTORS` random directors, each over its own ten backends, one weight per backend.
fn directors(names: &[String]) -> String {
    let per = names.len() / DIRECTORS;
    let mut out = String::new();
    for (i, members) in names.chunks(per).take(DIRECTORS).enumerate() {
        let _ = write!(
            out,
            "director F_pool_{i} random {{\n\n   .quorum = 50%;\n   .retries = 3;\n"
        );
        for (j, member) in members.iter().enumerate() {
            let _ = write!(
                out,
                "   {{\n    .backend = {member};\n    .weight  = {};\n   }}\n",
                1 + j % 7
            );
        }
        out.push_str("}\n");
    }
    out
}

fn checked(file: &'static SourceFile, directors: usize) -> &'static SourceFile {
    let lowered = parse_config(&file.text);
    assert!(!lowered.has_errors(), "{:?}", lowered.diagnostics.first());
    assert_eq!(lowered.config.backends.len(), BACKENDS);
    assert!(lowered.config.directors.len() >= directors);
    file
}

fn input(with_directors: bool) -> &'static SourceFile {
    if with_directors {
        checked(&WITH_DIRECTORS, DIRECTORS)
    } else {
        checked(&PLAIN, 0)
    }
}

#[divan::bench(args = [false, true], sample_count = 3, sample_size = 1)]
fn parse(bencher: Bencher, with_directors: bool) {
    let file = input(with_directors);
    bencher
        .counter(BytesCount::new(file.text.len()))
        .bench(|| black_box(parse_config(black_box(&file.text))));
}

#[divan::bench(args = [false, true], sample_count = 3, sample_size = 1)]
fn lint_file(bencher: Bencher, with_directors: bool) {
    let file = input(with_directors);
    bencher
        .counter(BytesCount::new(file.text.len()))
        .bench(|| black_box(lint(black_box(file), &LintOptions::default())));
}
