//! The real Fastly CLI, as the tests run it: `@fastly/cli` installed from npm once into the
//! build's own `target/tmp/`, run against a [`FakeApi`] with a dummy token, a private home
//! and no way out of the machine (docs/design.md §12).
//!
//! Needs `npm` (once, to install) and the network that npm uses; a test that asks for the CLI
//! and cannot have it fails and says why.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use super::fake_api::FakeApi;
use super::require;

/// The CLI that docs/design.md §8 measured.
pub const VERSION: &str = "16.1.0";

/// The `fastly` binary, installed from npm on first use (once per build directory: later
/// runs find it in place).
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(install)
}

/// The npm package that holds this platform's binary (an optional dependency of
/// `@fastly/cli`), and the binary's name.
fn platform_binary() -> (String, &'static str) {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        "x86" => "x32",
        other => other,
    };
    let exe = if cfg!(windows) {
        "fastly.exe"
    } else {
        "fastly"
    };
    (format!("@fastly/cli-{os}-{arch}"), exe)
}

fn install() -> PathBuf {
    let (package, exe) = platform_binary();
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let home = cache.join(format!("fastly-cli-{VERSION}"));
    let bin = home.join("node_modules").join(&package).join(exe);
    if bin.is_file() {
        return bin;
    }
    require(
        "the real Fastly CLI test (to install @fastly/cli from npm)",
        &["npm"],
    );
    // Installed beside its final place, then moved there in one rename: a run that stops half
    // way leaves no half installation, and of two runs installing at once, the second's
    // rename fails and it uses the first's.
    let partial = cache.join(format!(
        "fastly-cli-{VERSION}.partial-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial).unwrap();
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let out = Command::new(npm)
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&partial)
        .arg(format!("@fastly/cli@{VERSION}"))
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("`npm install @fastly/cli@{VERSION}` did not run: {e}"));
    assert!(
        out.status.success(),
        "`npm install @fastly/cli@{VERSION}` failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let installed = partial.join("node_modules").join(&package).join(exe);
    assert!(
        installed.is_file(),
        "npm installed @fastly/cli@{VERSION}, but not {package} ({}): no Fastly CLI for this \
         platform",
        installed.display()
    );
    if std::fs::rename(&partial, &home).is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    assert!(
        bin.is_file(),
        "{} is missing after the install",
        bin.display()
    );
    bin
}

/// Runs `bash SCRIPT` in `dir` talking to `api`, with the real CLI first on `PATH` when
/// `with_cli`: a dummy token, a private home (no real profile or configuration is read), and
/// every proxy variable pointing at a closed port, so anything else the CLI or curl might call
/// (an update check) fails at once instead of leaving the machine. `env` is added last.
pub fn run_script(
    dir: &Path,
    script: &Path,
    api: &FakeApi,
    with_cli: bool,
    env: &[(&str, &str)],
) -> Output {
    require("the script tests", &["bash"]);
    let home = dir.join("fastly-home");
    std::fs::create_dir_all(&home).unwrap();
    let mut path = Vec::new();
    if with_cli {
        path.push(binary().parent().unwrap().to_path_buf());
    }
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut cmd = Command::new("bash");
    cmd.arg(script)
        .current_dir(dir)
        .env("PATH", std::env::join_paths(path).unwrap())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("FASTLY_API_ENDPOINT", api.endpoint())
        .env("FASTLY_ACCOUNT_ENDPOINT", api.endpoint())
        .env("FASTLY_API_TOKEN", "offline-test-token")
        .env_remove("FASTLY_SERVICE_ID")
        .env_remove("FASTLY_DEBUG_MODE")
        .stdin(Stdio::null());
    for proxy in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "http_proxy",
        "https_proxy",
        "ALL_PROXY",
    ] {
        cmd.env(proxy, "http://127.0.0.1:9");
    }
    for no_proxy in ["NO_PROXY", "no_proxy"] {
        cmd.env(no_proxy, "127.0.0.1,localhost");
    }
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.output().expect("bash runs")
}
