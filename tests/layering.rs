//! The library's top-level modules form layers: no module reaches back to one that depends on
//! it (ARCHITECTURE.md). Read from the source: every `crate::NAME` path outside comments and
//! test modules is a dependency of the module whose file holds it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level module of a file under `src/`, or `None` for the binary's own files.
fn module_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.trim_end_matches(".rs");
    (!matches!(name, "main" | "lib" | "cli" | "test_support")).then(|| name.to_string())
}

/// `crate::NAME` paths of one file's code (comments and `#[cfg(test)] mod tests` left out).
fn dependencies(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    let mut found = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        for (at, _) in line.match_indices("crate::") {
            let name: String = line[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let relative = path.strip_prefix(&root).unwrap();
            let is_test_file = path
                .file_stem()
                .is_some_and(|s| s.to_string_lossy().ends_with("tests"));
            let Some(module) = module_of(relative) else {
                continue;
            };
            if path.extension().is_none_or(|e| e != "rs") || is_test_file {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let deps = graph.entry(module.clone()).or_default();
            deps.extend(
                dependencies(&text)
                    .into_iter()
                    .filter(|d| *d != module && d != "test_support"),
            );
        }
    }
    graph
}

fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_string()];
    while let Some(m) = todo.pop() {
        if m == to {
            return true;
        }
        if seen.insert(m.clone()) {
            todo.extend(graph.get(&m).into_iter().flatten().cloned());
        }
    }
    false
}

#[test]
fn no_module_depends_on_one_that_depends_on_it() {
    let graph = graph();
    assert!(graph.len() > 10, "the source was read: {graph:?}");
    let cycles: Vec<String> = graph
        .iter()
        .flat_map(|(m, deps)| deps.iter().map(move |d| (m, d)))
        .filter(|(m, d)| reaches(&graph, d, m))
        .map(|(m, d)| format!("{m} -> {d}"))
        .collect();
    assert!(cycles.is_empty(), "modules in a cycle: {cycles:?}");
}

#[test]
fn the_scan_sees_a_dependency_and_skips_comments_and_tests() {
    let text = "use crate::model::Backend;\n// crate::lint in a comment\nfn f() { crate::span::Span::new(0, 0); }\n#[cfg(test)]\nmod tests { use crate::lower; }\n";
    let found: Vec<String> = dependencies(text).into_iter().collect();
    assert_eq!(found, ["model", "span"]);
}
