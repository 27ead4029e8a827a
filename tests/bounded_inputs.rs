//! Every file the tool reads is read within a limit, whatever it is (docs/design.md §12):
//! endless devices, pipes, and the configuration file. Each command runs with its address
//! space capped (`ulimit -v`), so one that kept reading would fail to allocate instead of
//! naming the limit.

mod support;

use std::process::{Command, Output};

use support::{TempDir, run_cli, text};

/// Address space for one run: far more than the tool needs for 1 MiB, far less than an
/// unbounded read of `/dev/zero` reaches.
const ADDRESS_SPACE_KIB: u64 = 512 * 1024;

/// Runs the binary with `args` under `ulimit -v`, stdin empty.
fn run_capped(args: &[&str]) -> Output {
    let script = format!("ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\"");
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_vcl-backend"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("sh runs")
}

fn assert_refused(out: &Output, expected: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert!(stderr.contains(expected), "{stderr}");
}

const OVER_1M: &str = "/dev/zero is larger than --max-input-size (1048576 bytes)";

#[test]
fn an_endless_device_is_refused_at_the_limit() {
    for args in [
        &["--max-input-size", "1M", "parse", "/dev/zero"][..],
        &["--max-input-size", "1M", "lint", "/dev/zero"],
        &[
            "--max-input-size",
            "1M",
            "migrate",
            "--to",
            "json",
            "/dev/zero",
        ],
        &["--max-input-size", "1M", "generate", "/dev/zero"],
    ] {
        assert_refused(&run_capped(args), OVER_1M);
    }
}

#[test]
fn side_inputs_are_read_within_the_limit_too() {
    let dir = TempDir::new("bounded");
    let vcl = dir.join("a.vcl");
    std::fs::write(&vcl, "backend F_a { .host = \"a.example\"; }\n").unwrap();
    let json = dir.join("a.json");
    std::fs::write(&json, r#"[{"name": "a", "address": "a.example"}]"#).unwrap();
    let vcl = vcl.to_str().unwrap();
    let json = json.to_str().unwrap();
    let out = run_capped(&[
        "--max-input-size",
        "1M",
        "lint",
        "--service-backends",
        "/dev/zero",
        vcl,
    ]);
    assert_refused(&out, OVER_1M);
    let out = run_capped(&[
        "--max-input-size",
        "1M",
        "generate",
        "--healthchecks",
        "/dev/zero",
        json,
    ]);
    assert_refused(&out, OVER_1M);
}

/// A configuration file has its own limit of 1 MiB, whatever `--max-input-size` says.
#[test]
fn the_configuration_file_has_its_own_limit() {
    let dir = TempDir::new("bounded-config");
    let vcl = dir.join("a.vcl");
    std::fs::write(&vcl, "backend F_a { .host = \"a.example\"; }\n").unwrap();
    let out = run_capped(&["lint", "--config", "/dev/zero", vcl.to_str().unwrap()]);
    assert_refused(
        &out,
        "/dev/zero is larger than a configuration file may be (1048576 bytes)",
    );
    // One found beside the file, for the dialect of `parse`, is read the same way.
    let big = dir.join("vcl-backend.toml");
    std::fs::write(&big, "# padding\n".repeat(110_000)).unwrap();
    let out = run_capped(&["parse", vcl.to_str().unwrap()]);
    assert_refused(&out, "is larger than a configuration file may be");
    // Within it, a configuration is read.
    std::fs::write(&big, "dialect = \"fastly\"\n").unwrap();
    let out = run_capped(&["parse", vcl.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn standard_input_over_the_limit_is_refused() {
    let big = vec![b'#'; (2 << 20) + 7];
    for args in [
        &["--max-input-size", "1M", "parse", "-"][..],
        &["--max-input-size", "1M", "generate", "-"],
    ] {
        let out = run_cli(args, Some(&big));
        assert_refused(
            &out,
            "standard input is larger than --max-input-size (1048576 bytes)",
        );
    }
    // Exactly at the limit it is read.
    let at = vec![b'\n'; 1 << 20];
    let out = run_cli(&["--max-input-size", "1M", "parse", "-"], Some(&at));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}
