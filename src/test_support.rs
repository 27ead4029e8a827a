//! What the unit tests share; tests/support includes this file too.

/// Cases per property test: `default`, or `PROPTEST_CASES` when set (for long runs in
/// release: `PROPTEST_CASES=100000 cargo test --release --lib`).
pub fn cases(default: u32) -> proptest::test_runner::Config {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    proptest::test_runner::Config {
        cases: n,
        // Failures are reported, not written next to the source file.
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}
