//! `vcl-backend diff A B`: two services, each VCL or API JSON, compared as the API holds them
//! (docs/design.md §13). Exit 0 equal, 1 different, 2 an error, as diff(1).

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use vcl_backend::api_json;
use vcl_backend::diagnostic::{self, Diagnostic};
use vcl_backend::diff::{self, Options, Side, render};
use vcl_backend::lower::parse_config_in;
use vcl_backend::model::{Config, ObjectKind};
use vcl_backend::source::SourceFile;

use super::{
    ColorChoice, DialectArgs, EXIT_INPUT, EXIT_OK, EXIT_USAGE, Format, Output, PlainFormat,
    console, dialect_setting, join, read_input, report, summary,
};

#[derive(clap::Args)]
pub(crate) struct DiffArgs {
    /// Service A: a VCL file or API JSON (any shape `generate` reads), told apart by its first
    /// character (`{` or `[` is JSON); `-` for standard input.
    a: PathBuf,
    /// Service B, as A (e.g. `fastly service backend list --json` saved, or `-`).
    b: PathBuf,
    /// A's healthchecks as JSON (A must be JSON), as generate's `--healthchecks`.
    #[arg(long, value_name = "FILE")]
    healthchecks_a: Option<PathBuf>,
    /// B's healthchecks as JSON (B must be JSON), as generate's `--healthchecks`.
    #[arg(long, value_name = "FILE")]
    healthchecks_b: Option<PathBuf>,
    /// A's directors as JSON (A must be JSON), as generate's `--directors`.
    #[arg(long, value_name = "FILE")]
    directors_a: Option<PathBuf>,
    /// B's directors as JSON (B must be JSON), as generate's `--directors`.
    #[arg(long, value_name = "FILE")]
    directors_b: Option<PathBuf>,
    /// Fields left out of the comparison: API field names, comma-separated (e.g.
    /// `comment,weight`).
    #[arg(long, value_name = "FIELD,...", value_delimiter = ',')]
    ignore: Vec<String>,
    /// The service ID: the share key of backends that carry neither `share_key` nor
    /// `service_id`, as generate takes it.
    #[arg(long, value_name = "ID", value_parser = super::values::service_id())]
    service_id: Option<String>,
    #[command(flatten)]
    dialect: DialectArgs,
    /// How to print the changes (and diagnostics): `human` (`+` only in B, `-` only in A,
    /// `~` changed, coloured on a terminal) or `json` [default: human].
    #[arg(long, value_enum)]
    pub(crate) format: Option<PlainFormat>,
}

/// One file read, with its diagnostics.
struct Read {
    file: SourceFile,
    diagnostics: Vec<Diagnostic>,
}

/// One side: its files (the input, then its healthchecks), its objects, and whether it is VCL.
struct Input {
    files: Vec<Read>,
    config: Config,
    vcl: bool,
}

impl Input {
    fn side(&self) -> Side<'_> {
        Side {
            config: &self.config,
            vcl: self.vcl,
        }
    }
}

pub fn run(args: &DiffArgs, out: &Output, color: ColorChoice) -> u8 {
    if args.a.as_os_str() == "-" && args.b.as_os_str() == "-" {
        console::error("only one of A and B can be standard input (`-`)");
        return EXIT_USAGE;
    }
    if let Some((field, close)) = diff::unknown_field(&args.ignore) {
        let hint = close.map_or(String::new(), |c| format!(" (did you mean `{c}`?)"));
        console::error(format_args!(
            "--ignore: `{field}` is no field of a backend, healthcheck or director{hint}"
        ));
        return EXIT_USAGE;
    }
    let a = [args.healthchecks_a.as_deref(), args.directors_a.as_deref()];
    let a = match read_side(&args.a, a, "a", args, out) {
        Ok(side) => side,
        Err(code) => return code,
    };
    let b = [args.healthchecks_b.as_deref(), args.directors_b.as_deref()];
    let b = match read_side(&args.b, b, "b", args, out) {
        Ok(side) => side,
        Err(code) => return code,
    };
    let mut all = Vec::new();
    for read in a.files.iter().chain(&b.files) {
        report(&read.file, &read.diagnostics, out);
        all.extend(read.diagnostics.iter().cloned());
    }
    // An input with errors is an error of the run: nothing but its diagnostics (§13.1).
    if all.iter().any(Diagnostic::is_error) {
        if out.format == Format::Human {
            console::eprintln(format_args!("nothing compared{}", summary(&all)));
        }
        return EXIT_USAGE;
    }
    let options = Options {
        ignore: args.ignore.clone(),
        service_id: args.service_id.clone(),
    };
    let result = diff::diff(a.side(), b.side(), &options);
    let paint = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let written = console::out(|w| match out.format {
        Format::Json | Format::Sarif => render::write_json(&result, w),
        Format::Human => render::write_human(&result, paint, w),
    });
    if out.format == Format::Human {
        if !result.not_compared.is_empty() {
            console::eprintln(format_args!(
                "not compared (VCL has no form for them): {}",
                result.not_compared.join(", ")
            ));
        }
        console::eprintln(format_args!(
            "{} and {}: {}",
            a.files[0].file.name,
            b.files[0].file.name,
            render::summary(&result)
        ));
    }
    match (written, result.is_equal()) {
        (false, _) => EXIT_USAGE,
        (true, true) => EXIT_OK,
        (true, false) => EXIT_INPUT,
    }
}

/// Reads one side: VCL or JSON by its first character after a byte order mark and white
/// space (§13.1), and its healthchecks and directors files.
fn read_side(
    path: &Path,
    [healthchecks, directors]: [Option<&Path>; 2],
    side: &str,
    args: &DiffArgs,
    out: &Output,
) -> Result<Input, u8> {
    let (file, diagnostics) = read_input(path).map_err(|message| {
        console::error(message);
        EXIT_USAGE
    })?;
    let mut input = Input {
        files: Vec::new(),
        config: Config::default(),
        vcl: !is_json(&file.text),
    };
    let mut read = Read { file, diagnostics };
    for (flag, given) in [("healthchecks", healthchecks), ("directors", directors)] {
        if input.vcl && given.is_some() {
            console::error(format_args!(
                "--{flag}-{side}: {} is VCL, which declares its own {flag}",
                read.file.name
            ));
            return Err(EXIT_USAGE);
        }
    }
    if input.vcl && healthchecks.is_some() {
        console::error(format_args!(
            "--healthchecks-{side}: {} is VCL, whose probes are in the file itself",
            read.file.name
        ));
        return Err(EXIT_USAGE);
    }
    if !read.diagnostics.iter().any(Diagnostic::is_error) {
        if input.vcl {
            let dialect = dialect_setting(path, &args.dialect, out)?.resolve(&read.file.text);
            let mut lowered = parse_config_in(&read.file.text, dialect);
            join(
                &mut read.diagnostics,
                std::mem::take(&mut lowered.diagnostics),
            );
            input.config = lowered.config;
        } else {
            match api_json::read(&read.file, ObjectKind::Backend) {
                Ok((config, _)) => input.config = config,
                Err(found) => join(&mut read.diagnostics, found),
            }
        }
    }
    diagnostic::sort(&mut read.diagnostics);
    input.files.push(read);
    for (path, kind) in [
        (healthchecks, ObjectKind::Healthcheck),
        (directors, ObjectKind::Director),
    ] {
        if let Some(path) = path {
            input
                .files
                .push(read_beside(path, kind, &mut input.config)?);
        }
    }
    Ok(input)
}

/// A healthchecks or directors file, read as generate reads it; its objects join `config`.
fn read_beside(path: &Path, kind: ObjectKind, config: &mut Config) -> Result<Read, u8> {
    let (file, mut diagnostics) = read_input(path).map_err(|message| {
        console::error(message);
        EXIT_USAGE
    })?;
    if !diagnostics.iter().any(Diagnostic::is_error) {
        match api_json::read(&file, kind) {
            Ok((more, _)) => {
                config.healthchecks.extend(more.healthchecks);
                config.directors.extend(more.directors);
            }
            Err(found) => join(&mut diagnostics, found),
        }
    }
    diagnostic::sort(&mut diagnostics);
    Ok(Read { file, diagnostics })
}

/// JSON starts with `{` or `[` after an optional byte order mark and white space; anything
/// else is VCL (docs/design.md §13.1).
fn is_json(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['))
}
