//! `diff` of two 100,000-backend services against parsing both (`cargo bench --bench diff`;
//! docs/performance.md): the same service as VCL and as API JSON (every pair compared field
//! by field, every healthcheck matched by content), and two different services. The
//! comparison must take no longer than reading its two inputs. Each input is checked once,
//! untimed.

#[path = "inputs/generate_input.rs"]
mod generate_input;
#[path = "inputs/generate_json.rs"]
mod generate_json;

use std::sync::LazyLock;

use divan::{Bencher, black_box};
use generate_input::generated_vcl;
use generate_json::api_json;
use vcl_backend::api_json;
use vcl_backend::diff::{Options, Side, diff};
use vcl_backend::lower::parse_config;
use vcl_backend::model::{Config, ObjectKind};
use vcl_backend::source::SourceFile;

fn main() {
    divan::main();
}

const BACKENDS: usize = 100_000;

/// The service as VCL.
static VCL: LazyLock<SourceFile> =
    LazyLock::new(|| SourceFile::new("service.vcl", generated_vcl(BACKENDS)));

/// The same service as API JSON: what `parse` prints of it.
static JSON: LazyLock<SourceFile> = LazyLock::new(|| {
    let config = parse_config(&VCL.text).config;
    SourceFile::new("service.json", serde_json::to_string(&config).unwrap())
});

/// Another service, as the API returns it.
static OTHER: LazyLock<SourceFile> =
    LazyLock::new(|| SourceFile::new("other.json", api_json(BACKENDS)));

fn read_json(file: &SourceFile) -> Config {
    api_json::read(file, ObjectKind::Backend).unwrap().0
}

static VCL_CONFIG: LazyLock<Config> = LazyLock::new(|| {
    let lowered = parse_config(&VCL.text);
    assert!(!lowered.has_errors());
    assert_eq!(lowered.config.backends.len(), BACKENDS);
    lowered.config
});
static JSON_CONFIG: LazyLock<Config> = LazyLock::new(|| read_json(&JSON));
static OTHER_CONFIG: LazyLock<Config> = LazyLock::new(|| read_json(&OTHER));

fn side(config: &Config, vcl: bool) -> Side<'_> {
    Side { config, vcl }
}

/// Reading both inputs of `diff_vcl_against_its_json`: the figure the comparison stays under.
#[divan::bench(sample_count = 10)]
fn parse_both(bencher: Bencher) {
    let (vcl, json) = (&*VCL, &*JSON);
    bencher.bench(|| {
        let a = parse_config(black_box(&vcl.text));
        let b = read_json(black_box(json));
        (a.config.backends.len(), b.backends.len())
    });
}

#[divan::bench(sample_count = 10)]
fn diff_vcl_against_its_json(bencher: Bencher) {
    let (a, b) = (&*VCL_CONFIG, &*JSON_CONFIG);
    assert!(diff(side(a, true), side(b, false), &Options::default()).is_equal());
    bencher.bench(|| {
        diff(
            side(black_box(a), true),
            side(black_box(b), false),
            &Options::default(),
        )
    });
}

#[divan::bench(sample_count = 10)]
fn diff_two_different_services(bencher: Bencher) {
    let (a, b) = (&*JSON_CONFIG, &*OTHER_CONFIG);
    assert!(!diff(side(a, false), side(b, false), &Options::default()).is_equal());
    bencher.bench(|| {
        diff(
            side(black_box(a), false),
            side(black_box(b), false),
            &Options::default(),
        )
    });
}
