//! `vcl-backend lint`: many files, in parallel, reported in the order given.

use std::collections::{HashMap, HashSet};
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use vcl_backend::api_json;
use vcl_backend::diagnostic::{self, Diagnostic, FileDiagnostics, Severity};
use vcl_backend::generate::vcl_ident;
use vcl_backend::lint::config::{ConfigFinder, LintConfig, LoadError};
use vcl_backend::lint::{self, LintOptions, registry, sarif};
use vcl_backend::model::ObjectKind;
use vcl_backend::model::none_if_empty;
use vcl_backend::source::SourceFile;
use vcl_backend::syntax::DialectSetting;

use super::progress::InputProgress;
use super::{
    Deny, EXIT_INPUT, EXIT_OK, EXIT_USAGE, Format, LintArgs, Output, console, output, read_input,
    read_source, report,
};

pub fn run(args: &LintArgs, out: &Output) -> u8 {
    if let Some(code) = &args.explain {
        return explain(code);
    }
    let paths = match collect_paths(&args.files) {
        Ok((paths, notes)) => {
            for note in notes {
                console::error(note);
            }
            paths
        }
        Err(message) => {
            console::error(message);
            return EXIT_USAGE;
        }
    };
    let mut assumed: HashSet<String> = args
        .assume_backends
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    if let Some(path) = &args.service_backends {
        match service_backend_names(path, out) {
            Ok(names) => assumed.extend(names),
            Err(code) => return code,
        }
    }
    let configs = match Configs::new(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            let findings = config_findings(&e, out).into_iter().collect();
            if let Err(lost) = print_findings(findings, out.format, args.output.as_deref()) {
                return lost.report();
            }
            return EXIT_USAGE;
        }
    };
    let results = lint_all(&paths, (&assumed, args.dialect.given()), &configs, out);
    let mut unreadable = false;
    let mut done: Vec<FileResult> = Vec::new();
    // A broken configuration shared by many files is reported once.
    let mut reported_configs = HashSet::new();
    let mut config_results = 0;
    for result in results {
        match result {
            Some(Ok(r)) => done.push(r),
            Some(Err(NotLinted::Unreadable(message))) => {
                console::error(message);
                unreadable = true;
            }
            Some(Err(NotLinted::Config(path, e))) => {
                if reported_configs.insert(path) {
                    let found = config_findings(&e, out);
                    config_results += usize::from(found.is_some());
                    done.extend(found);
                }
                unreadable = true;
            }
            None => unreadable = true,
        }
    }
    let count = |s: Severity| done.iter().map(|r| r.count(s)).sum::<usize>();
    let counts = [
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    ];
    let files = done.len() - config_results;
    let written = print_findings(done, out.format, args.output.as_deref());
    let count = |s: Severity| match s {
        Severity::Error => counts[0],
        Severity::Warning => counts[1],
        Severity::Info => counts[2],
    };
    let deny_warnings = args.deny == Some(Deny::Warnings);
    let failed = count(Severity::Error) > 0 || (deny_warnings && count(Severity::Warning) > 0);
    console::eprintln(format_args!(
        "{} file{} linted: {} error{}, {} warning{}, {} info{}",
        files,
        plural(files),
        count(Severity::Error),
        plural(count(Severity::Error)),
        count(Severity::Warning),
        plural(count(Severity::Warning)),
        count(Severity::Info),
        plural(count(Severity::Info)),
    ));
    if let Err(lost) = written {
        return lost.report();
    }
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
        console::print(registry::documentation().as_bytes());
        return EXIT_OK;
    }
    match registry::lookup(code) {
        Some(rule) => {
            console::print(rule.markdown().as_bytes());
            EXIT_OK
        }
        None => {
            let code = vcl_backend::controls::for_terminal(code);
            console::error(format_args!("no rule `{code}`; `--explain all` lists them"));
            EXIT_USAGE
        }
    }
}

/// Files as given; directories are searched (sorted) for `*.vcl`, each file and directory
/// taken once however it is reached (symbolic links, loops among them, a file also named on
/// the command line), and only regular files (a FIFO would block the run). What is skipped is
/// said in the notes, printed before the findings.
fn collect_paths(inputs: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<String>), String> {
    let mut walk = Walk::default();
    let mut stdin_seen = false;
    for input in inputs {
        if input.as_os_str() == "-" {
            if stdin_seen {
                return Err("`-` (standard input) can be given once".into());
            }
            stdin_seen = true;
            walk.paths.push(input.clone());
        } else if input.is_dir() {
            walk.dir(input)
                .map_err(|e| format!("cannot read {}: {e}", input.display()))?;
        } else {
            // Named by the user: read whatever it is (a FIFO too), and unreadable is an error.
            let first = std::fs::metadata(input)
                .ok()
                .and_then(|m| file_id(input, &m))
                .is_none_or(|id| walk.seen.insert(id));
            if first {
                walk.paths.push(input.clone());
            }
        }
    }
    Ok((walk.paths, walk.notes))
}

/// What identifies a file however it is named: its device and inode.
type FileId = (u64, u64);

#[cfg(unix)]
fn file_id(_path: &Path, meta: &std::fs::Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(path: &Path, _meta: &std::fs::Metadata) -> Option<FileId> {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    path.canonicalize().ok()?.hash(&mut hasher);
    Some((0, hasher.finish()))
}

/// The files found so far, and every file and directory already taken.
#[derive(Default)]
struct Walk {
    paths: Vec<PathBuf>,
    notes: Vec<String>,
    seen: HashSet<FileId>,
}

impl Walk {
    /// Adds the `*.vcl` files under `root`, depth first in sorted order, with a stack rather
    /// than recursion (no depth limit).
    fn dir(&mut self, root: &Path) -> io::Result<()> {
        let meta = std::fs::metadata(root)?;
        if file_id(root, &meta).is_some_and(|id| !self.seen.insert(id)) {
            return Ok(());
        }
        let mut pending = sorted_entries(root)?;
        while let Some(path) = pending.pop() {
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            let vcl = path.extension().is_some_and(|e| e == "vcl");
            // Followed through symbolic links; a link that leads nowhere is noted if it is
            // named like VCL.
            let meta = match std::fs::metadata(&path) {
                Ok(meta) => meta,
                Err(e) if vcl => {
                    self.notes.push(format!("skipped {}: {e}", path.display()));
                    continue;
                }
                Err(_) => continue,
            };
            if !meta.is_dir() && !vcl {
                continue;
            }
            if file_id(&path, &meta).is_some_and(|id| !self.seen.insert(id)) {
                continue;
            }
            if meta.is_dir() {
                pending.extend(sorted_entries(&path)?);
            } else if meta.is_file() {
                self.paths.push(path);
            } else {
                self.notes
                    .push(format!("skipped {}: not a regular file", path.display()));
            }
        }
        Ok(())
    }
}

/// A directory's entries, last first (popped from a stack in sorted order).
fn sorted_entries(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort_by(|a, b| b.cmp(a));
    Ok(entries)
}

/// The `F_` names of the service's API backends.
fn service_backend_names(path: &std::path::Path, out: &Output) -> Result<Vec<String>, u8> {
    let (file, diagnostics) = read_source(path)?;
    if diagnostics.iter().any(Diagnostic::is_error) {
        // Each invalid sequence placed, in `--format` (docs/design.md §2.19).
        report(&file, &diagnostics, out);
        return Err(EXIT_USAGE);
    }
    match api_json::read(&file, ObjectKind::Backend) {
        Ok((config, _)) => Ok(config
            .backends
            .iter()
            .filter_map(|b| none_if_empty(&b.name))
            .map(vcl_ident)
            .collect()),
        Err(diagnostics) => {
            // Placed in the file and in `--format`, as every diagnostic (docs/design.md §2.19).
            report(&file, &diagnostics, out);
            Err(EXIT_USAGE)
        }
    }
}

/// The configuration of each file: one given, or the nearest above it (each directory
/// looked at once, each configuration file read once).
struct Configs {
    fixed: Option<LintConfig>,
    finder: Mutex<ConfigFinder>,
    found: Mutex<HashMap<PathBuf, Result<LintConfig, LoadError>>>,
}

impl Configs {
    fn new(path: Option<&Path>) -> Result<Self, LoadError> {
        let fixed = path.map(LintConfig::load).transpose()?;
        Ok(Configs {
            fixed,
            finder: Mutex::new(ConfigFinder::default()),
            found: Mutex::new(HashMap::new()),
        })
    }

    fn for_file(&self, file: &Path) -> Result<LintConfig, NotLinted> {
        if let Some(fixed) = &self.fixed {
            return Ok(fixed.clone());
        }
        let start = if file.as_os_str() == "-" {
            Path::new(".")
        } else {
            file
        };
        let mut finder = self.finder.lock().unwrap_or_else(|e| e.into_inner());
        let Some(path) = finder.find(start) else {
            return Ok(LintConfig::default());
        };
        drop(finder);
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        found
            .entry(path.clone())
            .or_insert_with(|| LintConfig::load(&path))
            .clone()
            .map_err(|e| NotLinted::Config(path, e))
    }
}

/// One file's findings, already rendered in the worker (rendering is most of the work when
/// there are many findings, so it runs on every core too).
struct FileResult {
    severities: Vec<Severity>,
    output: FileOutput,
}

enum FileOutput {
    Text(String),
    /// For JSON and SARIF: the findings and their lines and columns, without the file's text;
    /// each finding's JSON is made as it is written (docs/design.md §11).
    Placed(FileDiagnostics),
}

impl FileResult {
    fn count(&self, severity: Severity) -> usize {
        self.severities.iter().filter(|&&s| s == severity).count()
    }
}

/// A configuration file's problems as the findings of a file (the configuration's), printed
/// with the others in `--format` (docs/design.md §2.19); an unreadable one is said on stderr.
fn config_findings(e: &LoadError, out: &Output) -> Option<FileResult> {
    let (file, found) = match e {
        LoadError::Unreadable(message) => {
            console::error(message);
            return None;
        }
        LoadError::Invalid(file, found) => (file, found),
    };
    let severities = found.iter().map(|d| d.severity).collect();
    let output = match out.format {
        Format::Human => FileOutput::Text(render_all(found, file, out.color, false)),
        Format::Json | Format::Sarif => {
            FileOutput::Placed(FileDiagnostics::new(file, found.clone()))
        }
    };
    Some(FileResult { severities, output })
}

/// Why a file was not linted.
enum NotLinted {
    /// It could not be read.
    Unreadable(String),
    /// Its configuration file (this one) cannot be used.
    Config(PathBuf, LoadError),
}

type Linted = Result<FileResult, NotLinted>;

/// Lints every file on every core; results come back in the order of `paths`.
fn lint_all(
    paths: &[PathBuf],
    (assumed, dialect): (&HashSet<String>, Option<DialectSetting>),
    configs: &Configs,
    out: &Output,
) -> Vec<Option<Linted>> {
    let results: Vec<Mutex<Option<Linted>>> = paths.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let progress = progress_bar(paths.len());
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(paths.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = paths.get(i) else { break };
                    let result = lint_one(path, (assumed, dialect), configs, out, paths.len() == 1);
                    *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                    if let Some(bar) = &progress {
                        bar.inc(1);
                    }
                }
            });
        }
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    results
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

/// A progress bar on stderr for long runs, only when stderr is a terminal (never in CI logs
/// or pipes) and there are enough files to wait for.
fn progress_bar(files: usize) -> Option<indicatif::ProgressBar> {
    const WORTH_A_BAR: usize = 50;
    if files < WORTH_A_BAR || !io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    let style = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} files ({per_sec}, {eta} left)",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

/// Lints one file; `alone` when it is the only one (then a large file shows a spinner).
fn lint_one(
    path: &Path,
    (assumed, dialect): (&HashSet<String>, Option<DialectSetting>),
    configs: &Configs,
    out: &Output,
    alone: bool,
) -> Linted {
    let (file, mut found) = read_input(path).map_err(NotLinted::Unreadable)?;
    let len = if alone { file.text.len() } else { 0 };
    let _progress = InputProgress::spinner(&file.name, len, "linting");
    let config = configs.for_file(path)?;
    let mut options = LintOptions {
        assume_backends: assumed.clone(),
        config,
        dialect,
        ..LintOptions::default()
    };
    let read_in = options.dialect_of(&file.text);
    options.included = super::includes::read(path, &file.text, read_in);
    super::join(&mut found, lint::lint(&file, &options));
    diagnostic::sort(&mut found);
    let severities = found.iter().map(|d| d.severity).collect();
    let output = match out.format {
        Format::Human => FileOutput::Text(render_all(&found, &file, out.color, alone)),
        Format::Json | Format::Sarif => FileOutput::Placed(FileDiagnostics::new(&file, found)),
    };
    Ok(FileResult { severities, output })
}

/// The graphical reports of a file's findings, in order. A file linted alone renders on
/// every core when it has many findings (the other cores have no other file to lint).
fn render_all(found: &[Diagnostic], file: &SourceFile, color: bool, alone: bool) -> String {
    const WORTH_THREADS: usize = 1024;
    let render = |chunk: &[Diagnostic]| -> String {
        chunk
            .iter()
            .map(|d| diagnostic::render(d, file, color, 100))
            .collect()
    };
    if !alone || found.len() < WORTH_THREADS {
        return render(found);
    }
    // Asked only here: it reads the cgroup files each time, and most files have few findings.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 {
        return render(found);
    }
    let chunk = found.len().div_ceil(cores);
    std::thread::scope(|scope| {
        let parts: Vec<_> = found
            .chunks(chunk)
            .map(|part| scope.spawn(move || render(part)))
            .collect();
        parts
            .into_iter()
            .map(|part| part.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// Findings on stdout (or `-o FILE`): graphical reports, one JSON array, or one SARIF log.
fn print_findings(
    done: Vec<FileResult>,
    format: Format,
    path: Option<&Path>,
) -> Result<(), output::Lost> {
    output::write(path, |stdout| match format {
        Format::Human => done.iter().try_for_each(|r| match &r.output {
            FileOutput::Text(text) => stdout.write_all(text.as_bytes()),
            _ => Ok(()),
        }),
        Format::Json => {
            // One finding at a time, made as it is written.
            let json = done.iter().flat_map(|r| match &r.output {
                FileOutput::Placed(placed) => Some(placed.json()),
                FileOutput::Text(_) => None,
            });
            let mut serializer = serde_json::Serializer::pretty(&mut *stdout);
            serde::Serializer::collect_seq(&mut serializer, json.flatten())
                .map_err(io::Error::from)
                .and_then(|()| writeln!(stdout))
        }
        Format::Sarif => {
            let files: Vec<FileDiagnostics> = done
                .into_iter()
                .filter_map(|r| match r.output {
                    FileOutput::Placed(placed) => Some(placed),
                    FileOutput::Text(_) => None,
                })
                .collect();
            sarif::write_log(&mut *stdout, &files).and_then(|()| writeln!(stdout))
        }
    })
}
