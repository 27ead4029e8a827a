//! Command-line types (clap derive) and the dispatch. Only this layer renders diagnostics.

mod console;
mod diff;
mod generate;
mod help_files;
mod includes;
mod lint;
mod migrate;
mod output;
mod progress;
mod read;
mod safe_write;
mod values;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use progress::InputProgress;
use read::ReadError;
use vcl_backend::diagnostic::{self, Diagnostic, JsonDiagnostic, Severity};
use vcl_backend::lint::config::{LintConfig, LoadError};
use vcl_backend::lower::{BackendSource, parse_config_in, parse_config_streaming_in};
use vcl_backend::model::Backend;
use vcl_backend::pretty_json::{write_backend, write_director, write_healthcheck};
use vcl_backend::source::SourceFile;
use vcl_backend::syntax::DialectSetting;

/// Exit codes, as the README documents them.
pub(crate) const EXIT_OK: u8 = 0;
pub(crate) const EXIT_INPUT: u8 = 1;
pub(crate) const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "vcl-backend",
    version,
    about = "Move Fastly backends between custom VCL and the Fastly API: parse, generate, lint, migrate"
)]
struct Cli {
    /// When to colour diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// How to print diagnostics: graphical reports, or JSON for CI and editors [default:
    /// human]. Also taken after the command (see each command's `--format`).
    #[arg(long, value_enum)]
    format: Option<PlainFormat>,
    /// Refuse inputs larger than this (e.g. `512M`, `2G`): memory grows with the input.
    #[arg(long, global = true, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    max_input_size: u64,
    #[command(subcommand)]
    command: Command,
}

/// The input size limit, set once from `--max-input-size` (read where files are read).
static MAX_INPUT_SIZE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(u64::MAX);

/// `1024`, `64K`, `512M`, `2G` (binary units; `KB`/`KiB` spellings too).
fn parse_size(text: &str) -> Result<u64, String> {
    let t = text
        .trim()
        .trim_end_matches("iB")
        .trim_end_matches(['B', 'b']);
    let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as 512M or 2G"))?;
    let scale: u64 = match unit.to_ascii_uppercase().as_str() {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "T" => 1 << 40,
        _ => return Err(format!("`{text}`: the unit must be K, M, G or T")),
    };
    number
        .checked_mul(scale)
        .ok_or_else(|| format!("`{text}` is too large"))
}

fn too_large(what: &str, limit: u64) -> String {
    format!(
        "{what} is larger than --max-input-size ({limit} bytes); raise the limit, e.g. `--max-input-size {}M`",
        (limit >> 20).saturating_mul(2).max(1)
    )
}

#[derive(Subcommand)]
enum Command {
    /// Read the backend declarations of a VCL file and print them as Fastly API JSON.
    Parse(ParseArgs),
    /// Print the VCL that Fastly generates for API backends (JSON in, VCL out).
    Generate(GenerateArgs),
    /// Check custom VCL files for backend problems.
    Lint(LintArgs),
    /// Turn VCL-defined backends into API configuration (JSON, Fastly CLI or curl script,
    /// Terraform), with a report of what cannot be carried across.
    Migrate(MigrateArgs),
    /// Compare two services, each VCL or API JSON, as the API holds them: `+` only in B, `-`
    /// only in A, `~` changed. Exit 0 when equal, 1 when they differ, 2 on errors (as diff(1)).
    Diff(diff::DiffArgs),
    /// Print a shell completion script (e.g. `vcl-backend completions bash >
    /// /etc/bash_completion.d/vcl-backend`).
    Completions(help_files::CompletionsArgs),
    /// Print the man page (roff), e.g. `vcl-backend man > vcl-backend.1`.
    Man,
}

#[derive(clap::Args)]
struct ParseArgs {
    /// The VCL file, or `-` for standard input.
    file: PathBuf,
    #[command(flatten)]
    dialect: DialectArgs,
    #[command(flatten)]
    format: PlainFormatArgs,
    /// Write the JSON to FILE instead of stdout (`-`: stdout); FILE is replaced whole or not
    /// at all.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// `--dialect`, on the commands that read VCL.
#[derive(clap::Args)]
pub(crate) struct DialectArgs {
    /// The VCL dialect [default: `dialect` in vcl-backend.toml, else auto]. `auto` reads a
    /// file that declares `vcl N.N;` as Varnish (names with `-`, Varnish's backend
    /// properties, no Fastly-only lint rules), any other as Fastly.
    #[arg(long, value_enum)]
    dialect: Option<DialectArg>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DialectArg {
    Auto,
    Fastly,
    Varnish,
}

/// `--format` after a command that prints diagnostics as reports or JSON.
#[derive(clap::Args)]
pub(crate) struct PlainFormatArgs {
    /// How to print diagnostics: graphical reports, or JSON for CI and editors [default: human].
    #[arg(long, value_enum)]
    format: Option<PlainFormat>,
}

#[derive(clap::Args)]
struct MigrateArgs {
    /// The VCL file, or `-` for standard input.
    file: PathBuf,
    #[command(flatten)]
    dialect: DialectArgs,
    #[command(flatten)]
    format: PlainFormatArgs,
    /// What to write on stdout (or to `-o FILE`).
    #[arg(long, value_enum)]
    to: MigrateFormat,
    /// Write the configuration to FILE instead of stdout (`-`: stdout); FILE is replaced
    /// whole or not at all.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The service to apply to (default: `$FASTLY_SERVICE_ID` when the script runs).
    #[arg(long, value_name = "ID", value_parser = values::service_id())]
    service_id: Option<String>,
    /// The service version to change (default: the latest, cloned if it is locked).
    #[arg(long, value_name = "N", value_parser = values::version())]
    version: Option<u32>,
    /// Also write the VCL without the migrated backends, references renamed (atomically).
    #[arg(long, value_name = "OUT.vcl")]
    rewrite_vcl: Option<PathBuf>,
    /// Fail on anything that cannot be carried across, instead of reporting it.
    #[arg(long)]
    strict: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MigrateFormat {
    Json,
    FastlyCli,
    Curl,
    Terraform,
}

#[derive(clap::Args)]
struct LintArgs {
    /// VCL files or directories (searched for `*.vcl`), or `-` for standard input.
    #[arg(required_unless_present = "explain")]
    files: Vec<PathBuf>,
    /// Fail (exit 1) on warnings too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Backends the service defines through the API, so references to them resolve
    /// (comma-separated VCL names, e.g. `F_origin,F_images`).
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    assume_backends: Vec<String>,
    /// The service's API backends as JSON (e.g. `fastly service backend list --json`): their
    /// `F_` names count as declared.
    #[arg(long, value_name = "FILE")]
    service_backends: Option<PathBuf>,
    /// The configuration file (default: the nearest `vcl-backend.toml` above each file).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print the documentation of a rule (its code or name), or of `all` rules, and exit.
    #[arg(long, value_name = "CODE")]
    explain: Option<String>,
    #[command(flatten)]
    dialect: DialectArgs,
    /// How to print findings: graphical reports, JSON for CI and editors, or SARIF 2.1.0 for
    /// GitHub code scanning [default: human].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the findings to FILE instead of stdout (`-`: stdout); FILE is replaced whole or
    /// not at all.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// API JSON: a backend object, a list of them, or {"backends": [...], "healthchecks": [...],
    /// "directors": [...]};
    /// `-` for standard input. The Fastly CLI's `--json` output is read too.
    file: PathBuf,
    /// Healthcheck objects (a list, or the JSON of `fastly service healthcheck list --json`).
    #[arg(long, value_name = "FILE")]
    healthchecks: Option<PathBuf>,
    /// Director objects (one, or a list as the API's director list endpoint returns), printed
    /// after the backends.
    #[arg(long, value_name = "FILE")]
    directors: Option<PathBuf>,
    /// Condition objects (one, a list as the API's condition list endpoint returns, or
    /// {"conditions": [...]}): the request conditions backends name become routing.
    #[arg(long, value_name = "FILE")]
    conditions: Option<PathBuf>,
    /// The service ID: the `.share_key` of backends that carry neither `share_key` nor
    /// `service_id`, and the service the scripts change (default: `$FASTLY_SERVICE_ID`).
    #[arg(long, value_name = "ID", value_parser = values::service_id())]
    service_id: Option<String>,
    /// Write the VCL to FILE instead of stdout (`-`: stdout); FILE is replaced whole or not
    /// at all.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Fail on fields that have no place in VCL, instead of warning.
    #[arg(long)]
    strict: bool,
    /// What to write: `vcl`, the declarations (the top level, or an `init` snippet's body);
    /// `snippet`, the JSON bodies of the snippet API (`init`, and `recv` for the routing);
    /// `fastly-cli` or `curl`, a bash script that creates the snippets in a clone of a version
    /// and deletes the API objects they replace; `terraform`, `snippet` blocks.
    #[arg(long, value_enum, default_value = "vcl")]
    to: GenerateTarget,
    /// The version the scripts clone (default: the active one; `--to curl` then clones
    /// `$FASTLY_SERVICE_VERSION`).
    #[arg(long, value_name = "N", value_parser = values::version())]
    version: Option<u32>,
    /// Write the routing instead of the declarations: the body of a `recv` snippet, or what
    /// goes after `#FASTLY recv` in custom VCL.
    #[arg(long, conflicts_with = "to")]
    recv: bool,
    /// The identifiers: `vcl` keeps Fastly's `F_` names (VCL that names them keeps working);
    /// `api` uses the plain sanitised names, each change reported.
    #[arg(long, value_enum, default_value = "vcl")]
    names: GenerateNames,
    #[command(flatten)]
    format: PlainFormatArgs,
}

/// Which identifiers `generate` gives API objects.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GenerateNames {
    Vcl,
    Api,
}

/// What `generate` writes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GenerateTarget {
    Vcl,
    Snippet,
    FastlyCli,
    Curl,
    Terraform,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// How diagnostics are printed (`lint`'s `--format`; the other commands take [`PlainFormat`]).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

/// The formats of every command but `lint`: SARIF describes lint findings only.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PlainFormat {
    Human,
    Json,
}

impl From<PlainFormat> for Format {
    fn from(format: PlainFormat) -> Self {
        match format {
            PlainFormat::Human => Format::Human,
            PlainFormat::Json => Format::Json,
        }
    }
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            return ExitCode::from(console::finish(print_clap(&e, code)));
        }
    };
    MAX_INPUT_SIZE.store(cli.max_input_size, std::sync::atomic::Ordering::Relaxed);
    // After the command, or before it (as every command has always taken it).
    let after = match &cli.command {
        Command::Parse(args) => args.format.format.map(Format::from),
        Command::Generate(args) => args.format.format.map(Format::from),
        Command::Migrate(args) => args.format.format.map(Format::from),
        Command::Lint(args) => args.format,
        Command::Diff(args) => args.format.map(Format::from),
        Command::Completions(_) | Command::Man => None,
    };
    let out = Output {
        format: after
            .or(cli.format.map(Format::from))
            .unwrap_or(Format::Human),
        color: use_color(cli.color),
    };
    let code = match &cli.command {
        Command::Parse(args) => parse(args, &out),
        Command::Generate(args) => generate::run(args, &out),
        Command::Lint(args) => lint::run(args, &out),
        Command::Migrate(args) => migrate::run(args, &out),
        Command::Diff(args) => diff::run(args, &out, cli.color),
        Command::Completions(args) => help_files::completions(args),
        Command::Man => help_files::man(),
    };
    ExitCode::from(console::finish(code))
}

/// Help, the version, or a usage error, through the console (coloured on a terminal only).
fn print_clap(e: &clap::Error, code: u8) -> u8 {
    let text = e.render();
    let terminal = if e.use_stderr() {
        io::stderr().is_terminal()
    } else {
        io::stdout().is_terminal()
    };
    let color = terminal && std::env::var_os("NO_COLOR").is_none();
    let write = |w: &mut dyn Write| match color {
        true => write!(w, "{}", text.ansi()),
        false => write!(w, "{text}"),
    };
    if e.use_stderr() {
        console::err(write);
    } else {
        console::out(write);
    }
    code
}

/// How diagnostics are written to stderr.
pub(crate) struct Output {
    pub(crate) format: Format,
    pub(crate) color: bool,
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// The dialect to read `path` in: the flag's, else the nearest vcl-backend.toml's, else
/// auto. An unreadable or broken configuration file is a usage error.
pub(crate) fn dialect_setting(
    path: &Path,
    flag: &DialectArgs,
    out: &Output,
) -> Result<DialectSetting, u8> {
    if let Some(flag) = flag.dialect {
        return Ok(flag.into());
    }
    let start = if path.as_os_str() == "-" {
        Path::new(".")
    } else {
        path
    };
    let Some(config) = LintConfig::find(start) else {
        return Ok(DialectSetting::Auto);
    };
    match LintConfig::load(&config) {
        Ok(config) => Ok(config.dialect.unwrap_or_default()),
        Err(e) => {
            report_config_error(&e, out);
            Err(EXIT_USAGE)
        }
    }
}

/// A configuration file that cannot be used: unreadable, said in a line; invalid, its
/// problems printed as every diagnostic is, placed in it and in `--format` (docs/design.md
/// §2.19).
pub(crate) fn report_config_error(e: &LoadError, out: &Output) {
    match e {
        LoadError::Unreadable(message) => {
            console::error(message);
        }
        LoadError::Invalid(file, diagnostics) => report(file, diagnostics, out),
    }
}

impl From<DialectArg> for DialectSetting {
    fn from(arg: DialectArg) -> Self {
        match arg {
            DialectArg::Auto => DialectSetting::Auto,
            DialectArg::Fastly => DialectSetting::Fastly,
            DialectArg::Varnish => DialectSetting::Varnish,
        }
    }
}

impl DialectArgs {
    /// The flag as given (`None`: the configuration's, else auto).
    pub(crate) fn given(&self) -> Option<DialectSetting> {
        self.dialect.map(DialectSetting::from)
    }
}

fn parse(args: &ParseArgs, out: &Output) -> u8 {
    let setting = match dialect_setting(&args.file, &args.dialect, out) {
        Ok(setting) => setting,
        Err(code) => return code,
    };
    let source = match read_source(&args.file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (file, mut diagnostics) = source;
    let dialect = setting.resolve(&file.text);
    // Backends are kept as their JSON text, a fraction of the size of the structs.
    let mut backends = JsonList::default();
    let progress = InputProgress::bytes(&file.name, file.text.len(), "parsing");
    let mut count = 0;
    let mut emit = |backend: &Backend, source: &BackendSource| {
        backends.push(backend, write_backend);
        count += 1;
        progress.at(source.span.end);
    };
    // Directors give their member backends a weight once the whole file is read
    // (docs/design.md §2.25): a file with any keeps its backends to the end.
    let mut lowered = if memchr::memmem::find(file.text.as_bytes(), b"director").is_some() {
        let mut lowered = parse_config_in(&file.text, dialect);
        let backends = std::mem::take(&mut lowered.config.backends);
        let sources = std::mem::take(&mut lowered.sources);
        backends.iter().zip(&sources).for_each(|(b, s)| emit(b, s));
        lowered
    } else {
        parse_config_streaming_in(&file.text, dialect, &mut emit)
    };
    drop(progress);
    join(&mut diagnostics, std::mem::take(&mut lowered.diagnostics));
    diagnostic::sort(&mut diagnostics);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    let mut written = Ok(());
    if !failed {
        let mut healthchecks = JsonList::default();
        lowered
            .config
            .healthchecks
            .iter()
            .for_each(|h| healthchecks.push(h, write_healthcheck));
        let mut directors = JsonList::default();
        lowered
            .config
            .directors
            .iter()
            .for_each(|d| directors.push(d, write_director));
        written = output::write(args.output.as_deref(), |w| {
            w.write_all(b"{\n  \"backends\": ")?;
            backends.write_to(w)?;
            w.write_all(b",\n  \"healthchecks\": ")?;
            healthchecks.write_to(w)?;
            // Only when there are some: a file without directors prints as it always has.
            if !lowered.config.directors.is_empty() {
                w.write_all(b",\n  \"directors\": ")?;
                directors.write_to(w)?;
            }
            w.write_all(b"\n}\n")
        });
    }
    report(&file, &diagnostics, out);
    if out.format == Format::Human && failed {
        console::eprintln(format_args!(
            "{}: nothing written{}",
            file.name,
            summary(&diagnostics)
        ));
    } else if let (Format::Human, Err(lost)) = (out.format, &written) {
        console::eprintln(format_args!(
            "{}: {}{}",
            file.name,
            lost.verdict(),
            summary(&diagnostics)
        ));
    } else if out.format == Format::Human {
        let backends = count;
        let healthchecks = lowered.config.healthchecks.len();
        // Said only when there are some, as the `directors` key is written.
        let directors = match lowered.config.directors.len() {
            0 => String::new(),
            n => format!(", {n} director{}", plural(n)),
        };
        console::eprintln(format_args!(
            "{}: {backends} backend{}, {healthchecks} healthcheck{}{directors}{}",
            file.name,
            plural(backends),
            plural(healthchecks),
            summary(&diagnostics)
        ));
    }
    if let Err(lost) = written {
        return lost.report();
    }
    if failed { EXIT_INPUT } else { EXIT_OK }
}

/// A JSON array built item by item, printed as `serde_json::to_string_pretty` prints it at
/// the second level of an object (so the output is the same as serialising the whole config).
/// The text is kept in chunks of about 1 MiB: one growing buffer would, when it doubles,
/// briefly hold twice the output.
#[derive(Default)]
struct JsonList {
    chunks: Vec<Vec<u8>>,
}

const CHUNK: usize = 1 << 20;

impl JsonList {
    /// Adds an item that `write` appends as pretty JSON at the given depth.
    fn push<T>(&mut self, item: &T, write: fn(&mut Vec<u8>, &T, usize)) {
        let first = self.chunks.is_empty();
        if self.chunks.last().is_none_or(|c| c.len() > CHUNK - 4096) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        let Some(chunk) = self.chunks.last_mut() else {
            return;
        };
        chunk.extend_from_slice(if first { b"[\n    " } else { b",\n    " });
        write(chunk, item, 2);
    }

    fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.chunks.is_empty() {
            return out.write_all(b"[]");
        }
        self.chunks.iter().try_for_each(|c| out.write_all(c))?;
        out.write_all(b"\n  ]")
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "; 2 errors, 1 warning" (empty when clean).
pub(crate) fn summary(diagnostics: &[Diagnostic]) -> String {
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    let parts: Vec<String> = [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "note"),
    ]
    .into_iter()
    .map(|(s, word)| (count(s), word))
    .filter(|&(n, _)| n > 0)
    .map(|(n, word)| format!("{n} {word}{}", plural(n)))
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("; {}", parts.join(", "))
    }
}

/// `more` after `into`; taken whole when `into` is empty, as it mostly is (a copy of a
/// million findings would hold both lists at once).
pub(crate) fn join(into: &mut Vec<Diagnostic>, mut more: Vec<Diagnostic>) {
    if into.is_empty() {
        std::mem::swap(into, &mut more);
    } else {
        into.append(&mut more);
    }
}

/// Reads a file (or stdin for `-`) into a checked source; unreadable input is reported, and
/// exit code 2.
pub(crate) fn read_source(path: &std::path::Path) -> Result<(SourceFile, Vec<Diagnostic>), u8> {
    read_input(path).map_err(|message| {
        console::error(message);
        EXIT_USAGE
    })
}

/// [`read_source`], saying why it failed instead of printing it (lint prints the reasons of
/// many files in their order, not as its workers come upon them).
pub(crate) fn read_input(path: &std::path::Path) -> Result<(SourceFile, Vec<Diagnostic>), String> {
    let limit = MAX_INPUT_SIZE.load(std::sync::atomic::Ordering::Relaxed);
    let (name, bytes) = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        match vcl_backend::bounded::read_to_end(io::stdin().lock(), &mut bytes, limit) {
            Ok(()) => ("<stdin>".to_string(), bytes),
            Err(ReadError::TooLarge { .. }) => return Err(too_large("standard input", limit)),
            Err(ReadError::Io(e)) => return Err(format!("cannot read standard input: {e}")),
        }
    } else {
        match read::read_file(path, limit) {
            Ok(bytes) => (path.display().to_string(), bytes),
            Err(ReadError::TooLarge { .. }) => {
                return Err(too_large(&path.display().to_string(), limit));
            }
            Err(ReadError::Io(e)) => return Err(format!("cannot read {}: {e}", path.display())),
        }
    };
    let (file, invalid) = SourceFile::from_bytes(name, bytes);
    let diagnostics = invalid.into_iter().map(diagnostic::invalid_utf8);
    Ok((file, diagnostics.collect()))
}

pub(crate) fn report(file: &SourceFile, diagnostics: &[Diagnostic], out: &Output) {
    // Buffered by the console: serde_json writes token by token (a syscall each would make
    // 100,000 findings take seconds).
    console::err(|stderr| match out.format {
        Format::Json | Format::Sarif => {
            // One at a time, not collected first: a file can have a million findings.
            let json = diagnostics.iter().map(|d| JsonDiagnostic::new(d, file));
            let mut serializer = serde_json::Serializer::pretty(&mut *stderr);
            serde::Serializer::collect_seq(&mut serializer, json)?;
            writeln!(stderr)
        }
        Format::Human => diagnostics
            .iter()
            .try_for_each(|d| write!(stderr, "{}", diagnostic::render(d, file, out.color, 100))),
    });
}
