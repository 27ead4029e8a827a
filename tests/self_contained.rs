//! The repository names nothing outside itself (issue 20): no file depends on a tool, a
//! document or a directory of the machine it was written on, so a fresh clone builds, tests
//! and reads the same anywhere (docs/design.md §12).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file of the repository: `git ls-files` (tracked, and new files not ignored) when
/// this is a git checkout with git installed, else a walk of the tree without build output.
fn files() -> Vec<PathBuf> {
    let git = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root())
        .output();
    if let Ok(out) = git {
        if out.status.success() && !out.stdout.is_empty() {
            return out
                .stdout
                .split(|&b| b == 0)
                .filter(|name| !name.is_empty())
                .map(|name| PathBuf::from(String::from_utf8_lossy(name).into_owned()))
                // A file deleted in the working tree is listed until the deletion is staged.
                .filter(|name| root().join(name).is_file())
                .collect();
        }
    }
    let mut found = Vec::new();
    walk(root(), Path::new(""), &mut found);
    found
}

fn walk(dir: &Path, relative: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let relative = relative.join(&name);
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            let skipped = [".git", "target", "artifacts", "coverage", "corpus"];
            let build_output = relative.starts_with("fuzz")
                && skipped.contains(&name.to_str().unwrap_or(""))
                || [".git", "target"].contains(&name.to_str().unwrap_or(""));
            if !build_output {
                walk(&entry.path(), &relative, found);
            }
        } else if kind.is_file() {
            found.push(relative);
        }
    }
}

/// Places of a machine, not of the repository. Written in two pieces so that this file does
/// not name them.
const OUTSIDE: &[&str] = &[
    concat!("../", "shared"),
    concat!("/", "work/"),
    concat!("/", "home/"),
    concat!("/", "root/"),
    concat!("/", "Users/"),
    concat!("C:", "\\Users"),
    concat!("/", "mnt/"),
    concat!("/", "opt/"),
    concat!("/", "srv/"),
    concat!("/", "usr/local/"),
    concat!("/", "var/folders/"),
    concat!(".cache/", "vcl-backend"),
    concat!("join(\"", ".."),
];

/// Lines of `text` that name a place outside the repository: one of [`OUTSIDE`], or a path
/// relative to the file (starting with `../`) that climbs above the repository's root. A
/// file at `depth` directories below the root may climb `depth` levels.
fn problems(file: &Path, text: &str) -> Vec<String> {
    let depth = file.components().count() - 1;
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let at = format!("{}:{}", file.display(), n + 1);
        for outside in OUTSIDE {
            if line.contains(outside) {
                found.push(format!("{at}: names `{outside}`: {}", line.trim()));
            }
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        while let Some(start) = line[i..].find("../").map(|p| p + i) {
            // Only where a path starts: `a/../b` stays inside `a`'s parent.
            let starts_path = start == 0 || !matches!(bytes[start - 1], b'/' | b'.');
            let mut climbs = 0;
            let mut end = start;
            while line[end..].starts_with("../") {
                climbs += 1;
                end += 3;
            }
            if starts_path && climbs > depth {
                found.push(format!(
                    "{at}: `{}` climbs {climbs} levels from a file {depth} below the root: {}",
                    &line[start..end],
                    line.trim()
                ));
            }
            i = end;
        }
    }
    found
}

#[test]
fn no_file_names_a_place_outside_the_repository() {
    let files = files();
    assert!(
        files.iter().any(|f| f == Path::new("Cargo.toml")),
        "the file list misses Cargo.toml: {files:?}"
    );
    let mut found = Vec::new();
    for file in &files {
        let bytes = std::fs::read(root().join(file)).unwrap();
        found.extend(problems(file, &String::from_utf8_lossy(&bytes)));
    }
    assert!(
        found.is_empty(),
        "files name places outside the repository (a fresh clone elsewhere has none of them; \
         bring what is needed into the repository, or build it under target/):\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_check_sees_what_it_must() {
    let file = Path::new("tests/x.rs");
    let p = |text: &str| problems(file, text).len();
    assert_eq!(p(concat!("tools: ../", "shared/tools/x")), 1);
    assert_eq!(p(concat!("let dir = \"/", "work/shared\";")), 1);
    assert_eq!(p(concat!("dir.join(\"", "../x\")")), 1);
    assert_eq!(p(concat!("#[path = \"../", "../src/x.rs\"]")), 1);
    assert_eq!(p("#[path = \"../src/x.rs\"]"), 0);
    assert_eq!(p("\"a/b/../../f.vcl\""), 0);
    assert_eq!(p("`GET .../backend/NAME`"), 0);
    assert_eq!(p("see [the README](../README.md)"), 0);
    assert_eq!(problems(Path::new("README.md"), "[x](../y)").len(), 1);
}
