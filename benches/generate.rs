//! Generate throughput on Fastly API JSON with 1, 1,000 and 100,000 backends, next to what
//! serde_json alone takes to read the same text.
//!
//! `cargo bench --bench generate`. Four groups, each over the same document:
//! - `serde_json_read`: `serde_json::Value` from the text, the floor any reader pays;
//! - `serde_json_read_model`: `model::Config` from the text, serde into the typed model;
//! - `read_and_generate`: what `vcl-backend generate` does, `api_json::read` then `generate`;
//! - `generate_only`: `generate` on a config read beforehand.
//!
//! A fifth, `read_and_generate_routed`, does what `read_and_generate` does, declarations and
//! routing, on the same service with request conditions, shields and auto-load-balancing
//! (docs/design.md §4.8), 1,000 and 100,000 backends.
//!
//! Divan prints MB/s (from the JSON's byte count, in every group, so the groups compare) and,
//! through its allocation profiler, allocations and the peak heap of one run ("max alloc").
//! Each input is checked once, untimed, to generate without errors exactly `n` backend blocks,
//! so a broken generator cannot pass for a fast one.

#[path = "inputs/generate_json.rs"]
mod generate_json;

use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{AllocProfiler, Bencher, black_box};
use generate_json::{api_json, api_json_routed, has_condition, is_auto_loadbalanced, shield_of};
use vcl_backend::api_json::read;
use vcl_backend::generate::{Generated, Options, generate};
use vcl_backend::model::Config;
use vcl_backend::model::ObjectKind;
use vcl_backend::source::SourceFile;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

static SMALL: LazyLock<String> = LazyLock::new(|| api_json(1));
static MEDIUM: LazyLock<String> = LazyLock::new(|| api_json(1_000));
static LARGE: LazyLock<String> = LazyLock::new(|| api_json(100_000));

/// The generated document with `n` backends, built once.
fn input(n: usize) -> &'static str {
    match n {
        1 => &SMALL,
        1_000 => &MEDIUM,
        100_000 => &LARGE,
        _ => unreachable!("no input with {n} backends"),
    }
}

static MEDIUM_ROUTED: LazyLock<String> = LazyLock::new(|| api_json_routed(1_000));
static LARGE_ROUTED: LazyLock<String> = LazyLock::new(|| api_json_routed(100_000));

/// The routed document with `n` backends, built once.
fn routed_input(n: usize) -> &'static str {
    match n {
        1_000 => &MEDIUM_ROUTED,
        100_000 => &LARGE_ROUTED,
        _ => unreachable!("no routed input with {n} backends"),
    }
}

/// What `vcl-backend generate FILE` does with the file it read, short of printing: the
/// declarations and the routing (`Generated::recv`). Both results are returned, so that, as
/// in the serde_json groups, dropping them is not timed.
fn read_and_generate(file: &SourceFile) -> (Config, Generated) {
    let (config, _) = read(file, ObjectKind::Backend).expect("the generated JSON reads");
    let generated = generate(&config, &Options::default());
    (config, generated)
}

/// The document read into the model, as `read` gives it.
fn read_config(text: &str) -> Config {
    read(&SourceFile::new("x", text), ObjectKind::Backend)
        .expect("the generated JSON reads")
        .0
}

/// Untimed: the document reads into `n` backends that generate without errors into exactly
/// `n` backend blocks.
fn check(text: &str, n: usize) {
    let value: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    assert_eq!(value["backends"].as_array().map(Vec::len), Some(n));
    let model: Config = serde_json::from_str(text).expect("the model reads the JSON");
    assert_eq!(model.backends.len(), n);
    let config = read_config(text);
    assert_eq!(config, model);
    let generated = generate(&config, &Options::default());
    assert!(!generated.has_errors(), "{:#?}", generated.findings);
    let blocks = generated
        .vcl
        .lines()
        .filter(|line| line.starts_with("backend F_") && line.ends_with(" {"))
        .count();
    assert_eq!(blocks, n);
}

/// Lines of `text` that start, after their indent, with `prefix`.
fn lines_starting(text: &str, prefix: &str) -> usize {
    text.lines()
        .filter(|line| line.trim_start().starts_with(prefix))
        .count()
}

/// Untimed: the routed document generates without a finding into `n` backend blocks, one
/// shield director per POP in use and `autodirector_`, and a routing with one `if(` per
/// request condition and one shield selection per shielded backend.
fn check_routed(text: &str, n: usize) {
    let config = read_config(text);
    let conditions = (0..n).filter(|&i| has_condition(i)).count();
    assert_eq!(config.backends.len(), n);
    assert_eq!(config.conditions.len(), conditions);
    let generated = generate(&config, &Options::default());
    assert!(generated.findings.is_empty(), "{:#?}", generated.findings);
    let vcl = &generated.vcl;
    let recv = &generated.recv;
    let shielded = (0..n).filter(|&i| shield_of(i).is_some()).count();
    let pops: std::collections::HashSet<_> = (0..n).filter_map(shield_of).collect();
    let auto = (0..n).any(is_auto_loadbalanced);
    assert_eq!(lines_starting(vcl, "backend F_"), n);
    assert_eq!(lines_starting(vcl, "director ssl_shield_"), pops.len());
    assert_eq!(
        lines_starting(vcl, "director autodirector_ random {"),
        usize::from(auto)
    );
    assert_eq!(lines_starting(recv, "if( req.url.path ~ \"^/p"), conditions);
    assert_eq!(lines_starting(recv, "#do shield here"), shielded);
    assert_eq!(
        lines_starting(recv, "set req.backend = fastly.try_select_shield("),
        shielded
    );
    assert_eq!(
        lines_starting(recv, "set req.backend = autodirector_;"),
        usize::from(auto)
    );
}

mod serde_json_read {
    use super::*;

    #[divan::bench(args = [1, 1_000])]
    fn backends(bencher: Bencher, n: usize) {
        let text = input(n);
        check(text, n);
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| serde_json::from_str::<serde_json::Value>(black_box(text)).unwrap());
    }

    /// About 102 MB: few samples, one read each.
    #[divan::bench(sample_count = 5, sample_size = 1)]
    fn backends_100000(bencher: Bencher) {
        let text = input(100_000);
        check(text, 100_000);
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| serde_json::from_str::<serde_json::Value>(black_box(text)).unwrap());
    }
}

mod serde_json_read_model {
    use super::*;

    #[divan::bench(args = [1, 1_000])]
    fn backends(bencher: Bencher, n: usize) {
        let text = input(n);
        check(text, n);
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| serde_json::from_str::<Config>(black_box(text)).unwrap());
    }

    /// About 102 MB: few samples, one read each.
    #[divan::bench(sample_count = 5, sample_size = 1)]
    fn backends_100000(bencher: Bencher) {
        let text = input(100_000);
        check(text, 100_000);
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| serde_json::from_str::<Config>(black_box(text)).unwrap());
    }
}

mod read_and_generate {
    use super::*;

    #[divan::bench(args = [1, 1_000])]
    fn backends(bencher: Bencher, n: usize) {
        let text = input(n);
        check(text, n);
        // The command reads the file straight into a `SourceFile`: making one from the text
        // (a copy of it) is not timed.
        let file = SourceFile::new("x", text);
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| read_and_generate(black_box(&file)));
    }

    /// About 102 MB: few samples, one run each.
    #[divan::bench(sample_count = 5, sample_size = 1)]
    fn backends_100000(bencher: Bencher) {
        let text = input(100_000);
        check(text, 100_000);
        // The command reads the file straight into a `SourceFile`: making one from the text
        // (a copy of it) is not timed.
        let file = SourceFile::new("x", text);
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| read_and_generate(black_box(&file)));
    }
}

mod generate_only {
    use super::*;

    #[divan::bench(args = [1, 1_000])]
    fn backends(bencher: Bencher, n: usize) {
        let text = input(n);
        check(text, n);
        let config = read_config(text);
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| generate(black_box(&config), &Options::default()));
    }

    /// About 102 MB of JSON read beforehand: few samples, one run each.
    #[divan::bench(sample_count = 5, sample_size = 1)]
    fn backends_100000(bencher: Bencher) {
        let text = input(100_000);
        check(text, 100_000);
        let config = read_config(text);
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| generate(black_box(&config), &Options::default()));
    }
}

mod read_and_generate_routed {
    use super::*;

    #[divan::bench(args = [1_000])]
    fn backends(bencher: Bencher, n: usize) {
        let text = routed_input(n);
        check_routed(text, n);
        let file = SourceFile::new("x", text);
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| read_and_generate(black_box(&file)));
    }

    /// About 108 MB: few samples, one run each.
    #[divan::bench(sample_count = 5, sample_size = 1)]
    fn backends_100000(bencher: Bencher) {
        let text = routed_input(100_000);
        check_routed(text, 100_000);
        let file = SourceFile::new("x", text);
        bencher
            .counter(BytesCount::of_str(text))
            .bench(|| read_and_generate(black_box(&file)));
    }
}
