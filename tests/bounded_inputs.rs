//! Every file the tool reads is read within a limit, whatever it is (docs/design.md §11):
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
    run_within(ADDRESS_SPACE_KIB, "", args)
}

/// Runs the binary with `args` in `kib` of address space, `redirect` added to its command.
fn run_within(kib: u64, redirect: &str, args: &[&str]) -> Output {
    let script = format!("ulimit -v {kib} && exec \"$0\" \"$@\" {redirect}");
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
    let out = run_capped(&[
        "--max-input-size",
        "1M",
        "generate",
        "--directors",
        "/dev/zero",
        json,
    ]);
    assert_refused(&out, OVER_1M);
    let out = run_capped(&[
        "--max-input-size",
        "1M",
        "generate",
        "--conditions",
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

/// The files a JSON report names, one entry per finding.
fn files_reported(out: &Output) -> Vec<String> {
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect()
}

#[cfg(unix)]
#[test]
fn a_directory_walk_ends_and_lints_each_file_once() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("walk");
    let root = dir.join("vcl");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    let unused = "backend F_a { .host = \"a.example\"; }\n";
    std::fs::write(root.join("a.vcl"), unused).unwrap();
    std::fs::write(root.join("sub/b.vcl"), unused).unwrap();
    symlink("..", root.join("sub/up")).unwrap();
    symlink(".", root.join("sub/here")).unwrap();
    symlink("a.vcl", root.join("same.vcl")).unwrap();
    symlink("no-such.vcl", root.join("dangling.vcl")).unwrap();
    let root_arg = root.to_str().unwrap();
    let a = root.join("a.vcl");
    let out = run_cli(
        &["lint", "--format", "json", root_arg, a.to_str().unwrap()],
        None,
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("2 files linted"), "{stderr}");
    assert!(stderr.contains("dangling.vcl"), "{stderr}");
    let alone = run_cli(&["lint", "--format", "json", a.to_str().unwrap()], None);
    let per_file = files_reported(&alone).len();
    assert!(per_file > 0);
    let mut files = files_reported(&out);
    let all = files.len();
    files.dedup();
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(all, 2 * per_file, "{stderr}");
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_directory_is_skipped_with_a_note() {
    let dir = TempDir::new("walk-fifo");
    std::fs::write(
        dir.join("a.vcl"),
        "backend F_a { .host = \"a.example\"; }\n",
    )
    .unwrap();
    mkfifo(&dir.join("pipe.vcl"));
    let out = run_cli(&["lint", dir.path().to_str().unwrap()], None);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("pipe.vcl: not a regular file") && stderr.contains("1 file linted"),
        "{stderr}"
    );
}

/// Named on the command line, a FIFO is what the user asked for: it is read.
#[cfg(unix)]
#[test]
fn a_fifo_named_on_the_command_line_is_read() {
    let dir = TempDir::new("fifo-named");
    let fifo = dir.join("pipe.vcl");
    mkfifo(&fifo);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            std::fs::write(fifo, "backend F_a { .host = \"a.example\"; }\n").unwrap()
        })
    };
    let out = run_cli(&["lint", "--format", "json", fifo.to_str().unwrap()], None);
    writer.join().unwrap();
    assert!(
        text(&out.stderr).contains("1 file linted"),
        "{}",
        text(&out.stderr)
    );
    assert!(!files_reported(&out).is_empty());
}

/// One healthcheck with a 100 KB path shared by 1,500 backends: 150 MB of VCL, written block
/// by block within 128 MiB of address space (the whole text in memory took 196 MB for 1,000).
#[test]
fn generate_writes_more_vcl_than_it_holds() {
    let dir = TempDir::new("generate-stream");
    let json = dir.join("shared.json");
    let path = format!("/{}", "p".repeat(100_000));
    let backends: Vec<String> = (0..1_500)
        .map(|i| {
            format!(
                r#"{{"name":"b{i}","address":"o{i}.example","share_key":"k","healthcheck":"hc"}}"#
            )
        })
        .collect();
    let doc = format!(
        r#"{{"backends":[{}],"healthchecks":[{{"name":"hc","host":"h.example","path":"{path}"}}]}}"#,
        backends.join(",")
    );
    std::fs::write(&json, doc).unwrap();
    let vcl = dir.join("out.vcl");
    let out = run_within(
        128 * 1024,
        "",
        &[
            "generate",
            "-o",
            vcl.to_str().unwrap(),
            json.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::metadata(&vcl).unwrap().len();
    assert!(written > 150_000_000, "{written} bytes");
    let out = run_within(
        128 * 1024,
        "> /dev/null",
        &["generate", json.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}
