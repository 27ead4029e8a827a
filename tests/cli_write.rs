//! Writing results (docs/design.md §7.4, §7.5): failed and closed streams, and `-o FILE`
//! (modes, symbolic links, special files, temporary files, migrate's order).
#![cfg(unix)]

mod support;

use std::fs;
use std::io::Write;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use support::{TempDir, run_cli as run, text};

const PLAIN_JSON: &str = "fixtures/generate/ok/odd_names.json";
const KEY_JSON: &str = "fixtures/generate/ok/pem_values.json";
const VCL: &str = "fixtures/migrate/services.vcl";

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vcl-backend"));
    command.env_remove("NO_COLOR").stdin(Stdio::null());
    command
}

/// Runs with standard output on /dev/full: every write to it fails (ENOSPC).
#[cfg(target_os = "linux")]
fn run_on_full(args: &[&str]) -> Output {
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    bin()
        .args(args)
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

/// Runs reading `stdin`, with standard output a pipe whose reading end is closed before the
/// command can write (it waits for its input first).
fn run_on_closed_pipe(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// What a command prints on stdout when nothing goes wrong.
fn stdout_of(args: &[&str]) -> Vec<u8> {
    let out = run(args, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!out.stdout.is_empty());
    out.stdout
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_exit_2_with_one_line_on_stderr() {
    for args in [
        &["completions", "bash"][..],
        &["man"],
        &["lint", "--explain", "all"],
        &["--help"],
    ] {
        let out = run_on_full(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("vcl-backend: cannot write standard output: "),
            "{args:?}: {stderr}"
        );
    }
    // With a closing line, that line says the result is incomplete, and the error is said once.
    for args in [
        &["parse", "fixtures/parse/ok/generated_current.vcl"][..],
        &["generate", PLAIN_JSON],
        &["lint", "fixtures/lint/missing-dynamic/bad.vcl"],
    ] {
        let out = run_on_full(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert_eq!(
            stderr.matches("cannot write standard output").count(),
            1,
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("generated;"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_closed_pipe_is_exit_141_without_a_word() {
    let vcl = fs::read(VCL).unwrap();
    let json = fs::read(PLAIN_JSON).unwrap();
    for (args, input) in [
        (&["parse", "-"][..], &vcl),
        (&["lint", "-"], &vcl),
        (&["migrate", "-", "--to", "fastly-cli"], &vcl),
        (&["generate", "-"], &json),
    ] {
        let out = run_on_closed_pipe(args, input);
        assert_eq!(out.status.code(), Some(141), "{args:?}");
        assert_eq!(text(&out.stderr), "", "{args:?}");
    }
}

#[test]
fn dash_is_stdout() {
    let out = run(&["generate", PLAIN_JSON, "-o", "-"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(out.stdout, stdout_of(&["generate", PLAIN_JSON]));
}

#[test]
fn every_command_writes_its_result_to_a_file() {
    let lint_bad = "fixtures/lint/missing-dynamic/bad.vcl";
    let cases: [(&[&str], &str); 4] = [
        (&["parse", VCL], "out.json"),
        (&["generate", PLAIN_JSON], "out.vcl"),
        (&["migrate", VCL, "--to", "terraform"], "out.tf"),
        (&["lint", "--format", "json", lint_bad], "out.json"),
    ];
    for (args, name) in cases {
        let dir = TempDir::new("each");
        let target = dir.join(name);
        let expected = run(args, None);
        let mut with_output = args.to_vec();
        with_output.extend(["--output", target.to_str().unwrap()]);
        let out = run(&with_output, None);
        assert_eq!(out.status.code(), expected.status.code(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!expected.stdout.is_empty(), "{args:?}");
        assert_eq!(fs::read(&target).unwrap(), expected.stdout, "{args:?}");
        assert_eq!(entries(dir.path()), [name], "{args:?}");
    }
}

#[test]
fn an_existing_files_mode_is_kept() {
    let dir = TempDir::new("mode");
    for (json, old) in [(PLAIN_JSON, 0o600), (PLAIN_JSON, 0o640), (KEY_JSON, 0o644)] {
        let target = dir.join("backends.vcl");
        fs::write(&target, "old\n").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(old)).unwrap();
        let out = run(&["generate", json, "-o", target.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(mode(&target), old, "{json}");
        assert_eq!(fs::read(&target).unwrap(), stdout_of(&["generate", json]));
    }
}

#[test]
fn a_new_file_with_key_material_is_0600_else_the_umask_default() {
    let dir = TempDir::new("new-mode");
    // What this process's umask makes of a new file.
    let probe = dir.join("probe");
    fs::write(&probe, "").unwrap();
    let default = mode(&probe);
    fs::remove_file(&probe).unwrap();
    assert_ne!(default, 0o600, "the umask must tell the two rules apart");

    let key = dir.join("key.vcl");
    let out = run(&["generate", KEY_JSON, "-o", key.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        fs::read_to_string(&key)
            .unwrap()
            .contains(".ssl_client_key")
    );
    assert_eq!(mode(&key), 0o600);

    let plain = dir.join("plain.vcl");
    let out = run(
        &["generate", PLAIN_JSON, "-o", plain.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(mode(&plain), default);
}

#[test]
fn a_symlink_stays_and_its_target_is_replaced() {
    let dir = TempDir::new("link");
    let real = dir.join("real.vcl");
    let link = dir.join("link.vcl");
    fs::write(&real, "old\n").unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("real.vcl", &link).unwrap();
    let out = run(
        &["generate", PLAIN_JSON, "-o", link.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("real.vcl"));
    assert_eq!(
        fs::read(&real).unwrap(),
        stdout_of(&["generate", PLAIN_JSON])
    );
    assert_eq!(mode(&real), 0o640);
    assert_eq!(entries(dir.path()), ["link.vcl", "real.vcl"]);
}

#[cfg(target_os = "linux")]
#[test]
fn a_fifo_is_written_directly() {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = TempDir::new("fifo");
    let fifo = dir.join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    let out = run(
        &["generate", PLAIN_JSON, "-o", fifo.to_str().unwrap()],
        None,
    );
    // Should the command not have opened the FIFO, this lets the reader see its end.
    const O_NONBLOCK: i32 = 0o4000;
    let _ = fs::OpenOptions::new()
        .write(true)
        .custom_flags(O_NONBLOCK)
        .open(&fifo);
    let received = reader.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(received, stdout_of(&["generate", PLAIN_JSON]));
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(entries(dir.path()), ["pipe"]);
}

#[cfg(target_os = "linux")]
#[test]
fn dev_stdout_on_a_pipe_is_written_directly() {
    let out = run(&["generate", PLAIN_JSON, "-o", "/dev/stdout"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(out.stdout, stdout_of(&["generate", PLAIN_JSON]));
}

#[test]
fn a_directory_is_refused() {
    let dir = TempDir::new("dir");
    let target = dir.join("out");
    fs::create_dir(&target).unwrap();
    let out = run(
        &["generate", PLAIN_JSON, "-o", target.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "cannot write {}: it is a directory",
            target.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("nothing written"), "{stderr}");
    assert!(fs::metadata(&target).unwrap().is_dir());
    assert_eq!(entries(&target), Vec::<String>::new());
    assert_eq!(entries(dir.path()), ["out"]);
}

#[test]
fn a_missing_directory_is_exit_2_and_creates_nothing() {
    let dir = TempDir::new("missing");
    let target = dir.join("no/such/out.json");
    let out = run(&["parse", VCL, "-o", target.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot write"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(entries(dir.path()), Vec::<String>::new());
}

#[cfg(target_os = "linux")]
#[test]
fn migrate_leaves_the_vcl_untouched_when_stdout_fails() {
    let dir = TempDir::new("migrate-full");
    let vcl = dir.join("service.vcl");
    let before = fs::read(VCL).unwrap();
    fs::write(&vcl, &before).unwrap();
    let vcl = vcl.to_str().unwrap();
    let out = run_on_full(&["migrate", vcl, "--to", "json", "--rewrite-vcl", vcl]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read(vcl).unwrap(), before);
    // The staged VCL is gone too.
    assert_eq!(entries(dir.path()), ["service.vcl"]);
    let stderr = text(&out.stderr);
    let closing = stderr
        .lines()
        .find(|l| l.starts_with(&format!("{vcl}: ")))
        .unwrap();
    assert!(
        closing.contains("not printed in full") && closing.contains("not written"),
        "{closing}"
    );
    assert!(!closing.contains("written to"), "{closing}");
    assert_eq!(stderr.matches("cannot write standard output").count(), 1);
}

#[test]
fn migrate_leaves_the_vcl_untouched_when_the_pipe_closes() {
    let dir = TempDir::new("migrate-pipe");
    let vcl = dir.join("service.vcl");
    let before = fs::read(VCL).unwrap();
    fs::write(&vcl, &before).unwrap();
    let args = ["migrate", "-", "--to", "curl", "--rewrite-vcl"];
    let out = run_on_closed_pipe(&[&args[..], &[vcl.to_str().unwrap()]].concat(), &before);
    assert_eq!(out.status.code(), Some(141));
    assert_eq!(fs::read(&vcl).unwrap(), before);
    assert_eq!(entries(dir.path()), ["service.vcl"]);
}

#[test]
fn migrate_writes_the_vcl_only_after_the_output_file() {
    let dir = TempDir::new("migrate-order");
    let vcl = dir.join("service.vcl");
    let before = fs::read(VCL).unwrap();
    fs::write(&vcl, &before).unwrap();
    let vcl = vcl.to_str().unwrap();
    // The output cannot be written (a directory): the VCL stays.
    let blocked = dir.join("out");
    fs::create_dir(&blocked).unwrap();
    let args = ["migrate", vcl, "--to", "json", "--rewrite-vcl", vcl, "-o"];
    let out = run(&[&args[..], &[blocked.to_str().unwrap()]].concat(), None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read(vcl).unwrap(), before);
    assert_eq!(entries(dir.path()), ["out", "service.vcl"]);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("it is a directory"), "{stderr}");
    assert!(stderr.contains("the JSON not written to"), "{stderr}");
    assert!(stderr.contains("the rewritten VCL not written"), "{stderr}");

    // Both can: both are written, and the closing line names both.
    let json = dir.join("out.json");
    let out = run(&[&args[..], &[json.to_str().unwrap()]].concat(), None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_ne!(fs::read(vcl).unwrap(), before);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "the JSON written to {}; the rewritten VCL written to {vcl}",
            json.display()
        )),
        "{stderr}"
    );
    assert_eq!(entries(dir.path()), ["out", "out.json", "service.vcl"]);
}

#[test]
fn migrate_refuses_the_vcl_on_stdout_or_on_the_output_file() {
    let dir = TempDir::new("migrate-clash");
    let out_file = dir.join("out.json");
    let same = out_file.to_str().unwrap();
    let twice = [
        "migrate",
        VCL,
        "--to",
        "json",
        "--rewrite-vcl",
        same,
        "-o",
        same,
    ];
    let dash = ["migrate", VCL, "--to", "json", "--rewrite-vcl", "-"];
    for (args, says) in [
        (&twice[..], "both name"),
        (&dash[..], "--rewrite-vcl needs a file"),
    ] {
        let out = run(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            text(&out.stderr).contains(says),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(entries(dir.path()), Vec::<String>::new(), "{args:?}");
    }
    assert!(!Path::new("-").exists());
}
