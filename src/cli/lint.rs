//! `vcl-backend lint`: many files, in parallel, reported in the order given.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use vcl_backend::api_json::{self, Kind};
use vcl_backend::diagnostic::{self, Diagnostic, JsonDiagnostic, Severity};
use vcl_backend::generate::vcl_ident;
use vcl_backend::lint::config::LintConfig;
use vcl_backend::lint::{self, LintOptions, registry, sarif};
use vcl_backend::model::none_if_empty;
use vcl_backend::source::SourceFile;

use super::{Deny, EXIT_INPUT, EXIT_OK, EXIT_USAGE, Format, LintArgs, Output, read_source};

pub fn run(args: &LintArgs, out: &Output) -> u8 {
    if let Some(code) = &args.explain {
        return explain(code);
    }
    let paths = match collect_paths(&args.files) {
        Ok(paths) => paths,
        Err(message) => {
            eprintln!("vcl-backend: {message}");
            return EXIT_USAGE;
        }
    };
    let mut assumed: HashSet<String> = args
        .assume_backends
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    if let Some(path) = &args.service_backends {
        match service_backend_names(path) {
            Ok(names) => assumed.extend(names),
            Err(code) => return code,
        }
    }
    let configs = match Configs::new(args.config.as_deref()) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("vcl-backend: {message}");
            return EXIT_USAGE;
        }
    };
    let results = lint_all(&paths, &assumed, &configs);
    let mut unreadable = false;
    let mut linted: Vec<(SourceFile, Vec<Diagnostic>)> = Vec::new();
    for result in results {
        match result {
            Some(Ok(pair)) => linted.push(pair),
            Some(Err(message)) => {
                eprintln!("vcl-backend: {message}");
                unreadable = true;
            }
            None => unreadable = true,
        }
    }
    print_findings(&linted, out);
    let all: Vec<&Diagnostic> = linted.iter().flat_map(|(_, d)| d).collect();
    let deny_warnings = args.deny == Some(Deny::Warnings);
    let failed = all.iter().any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    });
    let count = |s| all.iter().filter(|d| d.severity == s).count();
    eprintln!(
        "{} file{} linted: {} error{}, {} warning{}, {} info{}",
        linted.len(),
        plural(linted.len()),
        count(Severity::Error),
        plural(count(Severity::Error)),
        count(Severity::Warning),
        plural(count(Severity::Warning)),
        count(Severity::Info),
        plural(count(Severity::Info)),
    );
    if unreadable {
        EXIT_USAGE
    } else if failed {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn explain(code: &str) -> u8 {
    if code == "all" {
        print!("{}", registry::documentation());
        return EXIT_OK;
    }
    match registry::lookup(code) {
        Some(rule) => {
            print!("{}", rule.markdown());
            EXIT_OK
        }
        None => {
            eprintln!("vcl-backend: no rule `{code}`; `--explain all` lists them");
            EXIT_USAGE
        }
    }
}

/// Files as given; directories are searched (sorted) for `*.vcl`.
fn collect_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut paths = Vec::new();
    let mut stdin_seen = false;
    for input in inputs {
        if input.as_os_str() == "-" {
            if stdin_seen {
                return Err("`-` (standard input) can be given once".into());
            }
            stdin_seen = true;
            paths.push(input.clone());
        } else if input.is_dir() {
            walk(input, &mut paths).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
        } else {
            paths.push(input.clone());
        }
    }
    Ok(paths)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "vcl") {
            out.push(path);
        }
    }
    Ok(())
}

/// The `F_` names of the service's API backends.
fn service_backend_names(path: &PathBuf) -> Result<Vec<String>, u8> {
    let (file, diagnostics) = read_source(path)?;
    if diagnostics.iter().any(Diagnostic::is_error) {
        eprintln!("vcl-backend: {} is not UTF-8", path.display());
        return Err(EXIT_USAGE);
    }
    match api_json::read(&file, Kind::Backend) {
        Ok((config, _)) => Ok(config
            .backends
            .iter()
            .filter_map(|b| none_if_empty(&b.name))
            .map(vcl_ident)
            .collect()),
        Err(diagnostics) => {
            for d in &diagnostics {
                eprint!("{}", diagnostic::render(d, &file, false, 100));
            }
            Err(EXIT_USAGE)
        }
    }
}

/// The configuration of each file: one given, or the nearest above it (read once per file).
struct Configs {
    fixed: Option<LintConfig>,
    found: Mutex<HashMap<PathBuf, Result<LintConfig, String>>>,
}

impl Configs {
    fn new(path: Option<&Path>) -> Result<Self, String> {
        let fixed = path.map(LintConfig::load).transpose()?;
        Ok(Configs {
            fixed,
            found: Mutex::new(HashMap::new()),
        })
    }

    fn for_file(&self, file: &Path) -> Result<LintConfig, String> {
        if let Some(fixed) = &self.fixed {
            return Ok(fixed.clone());
        }
        let start = if file.as_os_str() == "-" {
            Path::new(".")
        } else {
            file
        };
        let Some(path) = LintConfig::find(start) else {
            return Ok(LintConfig::default());
        };
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        found
            .entry(path.clone())
            .or_insert_with(|| LintConfig::load(&path))
            .clone()
    }
}

type Linted = Result<(SourceFile, Vec<Diagnostic>), String>;

/// Lints every file on every core; results come back in the order of `paths`.
fn lint_all(
    paths: &[PathBuf],
    assumed: &HashSet<String>,
    configs: &Configs,
) -> Vec<Option<Linted>> {
    let results: Vec<Mutex<Option<Linted>>> = paths.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(paths.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = paths.get(i) else { break };
                    let result = lint_one(path, assumed, configs);
                    *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

fn lint_one(path: &Path, assumed: &HashSet<String>, configs: &Configs) -> Linted {
    let (file, mut found) =
        read_source(&path.to_path_buf()).map_err(|_| format!("cannot read {}", path.display()))?;
    let config = configs.for_file(path)?;
    let options = LintOptions {
        assume_backends: assumed.clone(),
        config,
    };
    found.extend(lint::lint(&file, &options));
    diagnostic::sort(&mut found);
    Ok((file, found))
}

/// Findings on stdout: graphical reports, one JSON array, or one SARIF log.
fn print_findings(linted: &[(SourceFile, Vec<Diagnostic>)], out: &Output) {
    let stdout = io::stdout();
    let mut stdout = io::BufWriter::new(stdout.lock());
    let _ = match out.format {
        Format::Human => linted.iter().try_for_each(|(file, diagnostics)| {
            diagnostics
                .iter()
                .try_for_each(|d| write!(stdout, "{}", diagnostic::render(d, file, out.color, 100)))
        }),
        Format::Json => {
            let json: Vec<JsonDiagnostic> = linted
                .iter()
                .flat_map(|(f, ds)| ds.iter().map(move |d| JsonDiagnostic::new(d, f)))
                .collect();
            serde_json::to_writer_pretty(&mut stdout, &json)
                .map_err(io::Error::from)
                .and_then(|()| writeln!(stdout))
        }
        Format::Sarif => {
            let pairs: Vec<(&SourceFile, &[Diagnostic])> =
                linted.iter().map(|(f, d)| (f, &d[..])).collect();
            serde_json::to_writer_pretty(&mut stdout, &sarif::log(&pairs))
                .map_err(io::Error::from)
                .and_then(|()| writeln!(stdout))
        }
    };
    let _ = stdout.flush();
}
