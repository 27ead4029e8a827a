//! Parse throughput on generated VCL (Fastly's current "Show VCL" format) with 1, 1,000 and
//! 100,000 backends: the whole pipeline (`parse_config`) and the syntax layer alone; a
//! million backends streamed, as the `parse` command reads a huge file; and the command's
//! JSON output of 1,000 parsed backends, by `pretty_json` and by serde_json.
//!
//! `cargo bench --bench parse`. Divan prints MB/s (from the input's byte count) and, through
//! its allocation profiler, allocations and the peak heap of one parse ("max alloc").
//! Each input is checked once, untimed, to lower to exactly `n` backends with no diagnostics,
//! so a broken parser cannot pass for a fast one.

#[path = "inputs/generate_input.rs"]
mod generate_input;

use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{AllocProfiler, Bencher, black_box};
use generate_input::generated_vcl;
use vcl_backend::ast::Item;
use vcl_backend::lower::parse_config;
use vcl_backend::syntax::Parser;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

static SMALL: LazyLock<String> = LazyLock::new(|| generated_vcl(1));
static MEDIUM: LazyLock<String> = LazyLock::new(|| generated_vcl(1_000));
static LARGE: LazyLock<String> = LazyLock::new(|| generated_vcl(100_000));

/// The generated input with `n` backends, built once.
fn input(n: usize) -> &'static str {
    match n {
        1 => &SMALL,
        1_000 => &MEDIUM,
        100_000 => &LARGE,
        _ => unreachable!("no input with {n} backends"),
    }
}

/// Untimed: the whole pipeline gives `n` backends and not one diagnostic.
fn check_parse_config(src: &str, n: usize) {
    let lowered = parse_config(src);
    assert!(!lowered.has_errors(), "{:#?}", lowered.diagnostics);
    assert!(lowered.diagnostics.is_empty(), "{:#?}", lowered.diagnostics);
    assert_eq!(lowered.config.backends.len(), n);
}

/// Untimed: the syntax layer finds `n` backends and not one diagnostic.
fn check_syntax(src: &str, n: usize) {
    let mut parser = Parser::new(src);
    let backends = parser
        .by_ref()
        .filter(|item| matches!(item, Item::Backend(_)))
        .count();
    assert!(parser.diagnostics.is_empty(), "{:#?}", parser.diagnostics);
    assert_eq!(backends, n);
}

/// Runs the syntax layer to the end: (items read, diagnostics).
fn syntax_items(src: &str) -> (usize, usize) {
    let mut parser = Parser::new(src);
    let items = parser.by_ref().count();
    (items, parser.diagnostics.len())
}

mod parse_config {
    use super::*;

    #[divan::bench(args = [1, 1_000])]
    fn backends(bencher: Bencher, n: usize) {
        let src = input(n);
        check_parse_config(src, n);
        bencher
            .counter(BytesCount::of_str(src))
            .bench(|| parse_config(black_box(src)));
    }

    /// About 60 MB: few samples, one parse each.
    #[divan::bench(sample_count = 5, sample_size = 1)]
    fn backends_100000(bencher: Bencher) {
        let src = input(100_000);
        check_parse_config(src, 100_000);
        bencher
            .counter(BytesCount::of_str(src))
            .bench(|| parse_config(black_box(src)));
    }
}

mod syntax {
    use super::*;

    #[divan::bench(args = [1, 1_000])]
    fn backends(bencher: Bencher, n: usize) {
        let src = input(n);
        check_syntax(src, n);
        bencher
            .counter(BytesCount::of_str(src))
            .bench(|| syntax_items(black_box(src)));
    }

    /// About 60 MB: few samples, one parse each.
    #[divan::bench(sample_count = 5, sample_size = 1)]
    fn backends_100000(bencher: Bencher) {
        let src = input(100_000);
        check_syntax(src, 100_000);
        bencher
            .counter(BytesCount::of_str(src))
            .bench(|| syntax_items(black_box(src)));
    }
}

/// A million backends (about 630 MB), streamed as the `parse` command does: the memory
/// figure is the peak heap beside the text. One run; the count is checked inside it.
mod streaming {
    use super::*;
    use vcl_backend::lower::parse_config_streaming;

    #[divan::bench(sample_count = 1, sample_size = 1)]
    fn backends_1000000(bencher: Bencher) {
        let src = generated_vcl(1_000_000);
        bencher.counter(BytesCount::of_str(&src)).bench(|| {
            let mut emitted = 0usize;
            let lowered = parse_config_streaming(black_box(&src), &mut |_, _| emitted += 1);
            assert!(
                lowered.diagnostics.is_empty(),
                "{:#?}",
                &lowered.diagnostics[..1]
            );
            assert_eq!(emitted, 1_000_000);
        });
    }
}

/// The JSON `parse` prints, for 1,000 backends (about 380 KB): `pretty_json`, which the
/// command uses, and serde_json's pretty printer, which it replaced. The command writes each
/// backend just after making it, so the backends here are few enough to stay in cache, and
/// the buffer is touched beforehand (page faults are not what is measured). An untimed check
/// first asserts that both write the same bytes.
mod json_output {
    use super::*;
    use vcl_backend::model::Backend;
    use vcl_backend::pretty_json::{write_backend, write_list};

    static BACKENDS: LazyLock<Vec<Backend>> =
        LazyLock::new(|| parse_config(input(1_000)).config.backends);

    fn pretty_json(out: &mut Vec<u8>) {
        write_list(out, black_box(&BACKENDS), write_backend, 0);
    }

    fn serde_json(out: &mut Vec<u8>) {
        serde_json::to_writer_pretty(out, black_box(&*BACKENDS)).unwrap();
    }

    /// Untimed: both write the same bytes; returns their length.
    fn checked_size() -> usize {
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        pretty_json(&mut ours);
        serde_json(&mut theirs);
        assert!(ours == theirs, "pretty_json and serde_json differ");
        ours.len()
    }

    fn bench(bencher: Bencher, write: fn(&mut Vec<u8>)) {
        let size = checked_size();
        bencher
            .counter(BytesCount::new(size))
            .with_inputs(|| {
                let mut touched = vec![1u8; size];
                touched.clear();
                touched
            })
            .bench_local_refs(write);
    }

    #[divan::bench]
    fn pretty_json_1000(bencher: Bencher) {
        bench(bencher, pretty_json);
    }

    #[divan::bench]
    fn serde_json_1000(bencher: Bencher) {
        bench(bencher, serde_json);
    }
}
