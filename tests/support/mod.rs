//! What several test files share. (A directory module, so cargo does not take it for a test.)

// Each test file uses only part of it.
#![allow(dead_code)]

pub mod fake_api;
pub mod fastly_cli;
pub mod routed;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh, empty directory of one test's own, removed on drop (kept when the test fails,
/// to look at).
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "vcl-backend-test-{tag}-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, name: impl AsRef<Path>) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Runs the `vcl-backend` binary with `args`, `stdin` written to it (then closed), and
/// collects its exit status and output. `NO_COLOR` is taken out of its environment, so
/// colour depends on the flags alone.
pub fn run_cli(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vcl-backend"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        // The command may stop reading early (an input over the size limit): then the pipe
        // breaks, and its output says why.
        if let Err(e) = input.write_all(bytes) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// Whether `program` is an executable file in a directory of `PATH`.
pub fn on_path(program: &str) -> bool {
    let names = if cfg!(windows) {
        vec![format!("{program}.exe"), format!("{program}.cmd")]
    } else {
        vec![program.to_string()]
    };
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|d| names.iter().any(|n| d.join(n).is_file()))
    })
}

/// Panics, saying what `test` needs, when a program is not on `PATH`.
pub fn require(test: &str, programs: &[&str]) {
    for program in programs {
        assert!(
            on_path(program),
            "{test} needs `{program}` on PATH; install it, or run `cargo test` without \
             `--ignored` to leave out the tests that need more than Rust"
        );
    }
}

/// Output bytes as text, for assertions and messages.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// Cases per property test: the unit tests' helper, one source for both.
#[path = "../../src/test_support.rs"]
mod unit_test_support;
// Like the rest of this module, used by only some of the test files.
#[allow(unused_imports)]
pub use unit_test_support::cases;
