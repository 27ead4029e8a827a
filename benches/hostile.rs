//! The hostile shapes that were superlinear, each at a size and four times that size, so the
//! figures show linear growth (`cargo bench --bench hostile`; docs/performance.md): a
//! misspelt probe name of thousands of characters ("did you mean"), and thousands of `.url`
//! healthchecks without a host written as Terraform (each one's host chosen among the
//! backends). Each
//! input is checked once, untimed, so a broken run cannot pass for a fast one.

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use vcl_backend::lower::parse_config;
use vcl_backend::migrate::{Plan, ServiceVersion, terraform};
use vcl_backend::model::{Backend, Healthcheck};

fn main() {
    divan::main();
}

/// A probe named by `length` characters and a backend that names it with one more.
fn misspelt_probe(length: usize) -> String {
    let name = "p".repeat(length);
    format!(
        "probe {name} {{ .url = \"/\"; }}\nbackend F_a {{ .host = \"h\"; .probe = {name}q; }}\n"
    )
}

#[divan::bench(args = [4_000, 16_000], sample_count = 5, sample_size = 1)]
fn did_you_mean_long_name(bencher: Bencher, length: usize) {
    let src = misspelt_probe(length);
    let lowered = parse_config(&src);
    assert!(
        lowered
            .diagnostics
            .iter()
            .any(|d| d.code == "parse::undefined-probe")
    );
    bencher
        .counter(BytesCount::new(src.len()))
        .bench(|| black_box(parse_config(black_box(&src))));
}

/// `n` healthchecks without a host (a plan a library user built), each used by one backend:
/// Terraform needs each one's host chosen among the backends.
fn hostless_healthchecks(n: usize) -> Plan {
    let mut plan = Plan::default();
    for i in 0..n {
        plan.healthchecks.push(Healthcheck {
            name: Some(format!("hc{i}")),
            path: Some(format!("/{i}")),
            ..Healthcheck::default()
        });
        plan.backends.push(Backend {
            name: Some(format!("b{i}")),
            address: Some(format!("h{i}.example")),
            healthcheck: Some(format!("hc{i}")),
            ..Backend::default()
        });
    }
    plan
}

#[divan::bench(args = [5_000, 20_000], sample_count = 3, sample_size = 1)]
fn terraform_hostless_healthchecks(bencher: Bencher, n: usize) {
    let plan = hostless_healthchecks(n);
    let target = ServiceVersion::default();
    let out = terraform::emit(&plan, &target);
    assert!(
        out.text
            .contains(&format!("host              = \"h{}.example\"", n - 1))
    );
    bencher.bench(|| black_box(terraform::emit(black_box(&plan), &target)));
}
