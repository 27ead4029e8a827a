//! `diff` of two 100,000-backend services against parsing both (`cargo bench --bench diff`;
//! docs/performance.md): the same service as VCL and as API JSON (every pair compared field
//! by field, every healthcheck matched by content), and the service changed in many places. The
//! comparison must take no longer than reading its two inputs. Each input is checked once,
//! untimed.

#[path = "inputs/generate_input.rs"]
mod generate_input;

use std::sync::LazyLock;

use divan::{Bencher, black_box};
use generate_input::generated_vcl;
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
/// The service changed: every tenth backend on another port, every hundredth gone and one
/// of another name in its place, every healthcheck on another interval.
static OTHER_CONFIG: LazyLock<Config> = LazyLock::new(|| {
    let mut config = JSON_CONFIG.clone();
    for (i, b) in config.backends.iter_mut().enumerate() {
        if i % 10 == 0 {
            b.port = Some(8080);
        }
        if i % 100 == 0 {
            b.name = b.name.as_ref().map(|n| format!("{n}_new"));
        }
    }
    for hc in &mut config.healthchecks {
        hc.check_interval = Some(hc.check_interval.unwrap_or(5_000) + 1_000);
    }
    config
});

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
