//! `vcl-backend generate`: API JSON in, VCL out.

use std::path::Path;

use vcl_backend::api_json::{self, SpanIndex};
use vcl_backend::apply::{self, Replacement};
use vcl_backend::diagnostic::{self, Diagnostic};
use vcl_backend::generate::snippet::{Snippet, snippets, snippets_json};
use vcl_backend::generate::{Finding, Names, Options, Prepared, prepare};
use vcl_backend::migrate::ServiceVersion;
use vcl_backend::model::Config;
use vcl_backend::model::ObjectKind;
use vcl_backend::source::SourceFile;

use super::output;
use super::progress::InputProgress;
use super::{
    EXIT_INPUT, EXIT_OK, EXIT_USAGE, Format, GenerateArgs, GenerateNames, GenerateTarget, Output,
    console, read_source, report, summary,
};

/// One input file, what it held, and its diagnostics.
struct Input {
    file: SourceFile,
    shape: Option<api_json::Shape>,
    kind: ObjectKind,
    diagnostics: Vec<Diagnostic>,
}

impl Input {
    fn read(path: &Path, kind: ObjectKind) -> Result<(Self, Config), u8> {
        let (file, diagnostics) = read_source(path)?;
        let _progress = InputProgress::spinner(&file.name, file.text.len(), "reading");
        let mut input = Input {
            file,
            shape: None,
            kind,
            diagnostics,
        };
        if input.diagnostics.iter().any(Diagnostic::is_error) {
            return Ok((input, Config::default()));
        }
        match api_json::read(&input.file, kind) {
            Ok((config, shape)) => {
                input.shape = Some(shape);
                Ok((input, config))
            }
            Err(d) => {
                input.diagnostics.extend(d);
                Ok((input, Config::default()))
            }
        }
    }

    fn span_index(&self) -> Option<SpanIndex> {
        SpanIndex::build(&self.file, self.shape?, self.kind).ok()
    }
}

pub fn run(args: &GenerateArgs, out: &Output) -> u8 {
    // `--recv` conflicts with `--to`: with it, `to` is the default, `vcl`.
    let script = matches!(args.to, GenerateTarget::FastlyCli | GenerateTarget::Curl);
    if args.version.is_some() && !script {
        console::error(
            "--version is the version the scripts clone: it needs --to fastly-cli or --to curl",
        );
        return EXIT_USAGE;
    }
    let (main, mut config) = match Input::read(&args.file, ObjectKind::Backend) {
        Ok(read) => read,
        Err(code) => return code,
    };
    // The main input first; then each side file, with how many objects of its kind the
    // inputs before it held (a finding's index past them is in the side file).
    let mut inputs = vec![(main, 0)];
    let side_files = [
        (ObjectKind::Healthcheck, &args.healthchecks),
        (ObjectKind::Director, &args.directors),
        (ObjectKind::Condition, &args.conditions),
    ];
    for (kind, path) in side_files {
        let Some(path) = path else { continue };
        match Input::read(path, kind) {
            Ok((input, more)) => {
                // Only the objects of its kind are read from a side file.
                let before = match kind {
                    ObjectKind::Director => {
                        let before = config.directors.len();
                        config.directors.extend(more.directors);
                        before
                    }
                    ObjectKind::Condition => {
                        let before = config.conditions.len();
                        config.conditions.extend(more.conditions);
                        before
                    }
                    _ => {
                        let before = config.healthchecks.len();
                        config.healthchecks.extend(more.healthchecks);
                        before
                    }
                };
                inputs.push((input, before));
            }
            Err(code) => return code,
        }
    }
    let read_failed = inputs
        .iter()
        .flat_map(|(input, _)| &input.diagnostics)
        .any(Diagnostic::is_error);
    let options = Options {
        service_id: args.service_id.clone(),
        strict: args.strict,
        names: match args.names {
            GenerateNames::Vcl => Names::Vcl,
            GenerateNames::Api => Names::Api,
        },
    };
    // The checks first: the VCL is then written block by block, never whole in memory.
    let generated = (!read_failed).then(|| prepare(&config, &options));
    let findings = generated.as_ref().map_or(&[][..], |g| &g.findings[..]);
    // Place each finding in the file it is about; the text is read again only if there are any.
    if !findings.is_empty() {
        let indices: Vec<Option<SpanIndex>> =
            inputs.iter().map(|(input, _)| input.span_index()).collect();
        for finding in findings {
            let (at, placed) = match side_file_of(finding, &inputs) {
                Some((at, before)) => {
                    let mut local = finding.clone();
                    local.target.index -= before;
                    (at, api_json::place(&local, indices[at].as_ref()))
                }
                None => (0, api_json::place(finding, indices[0].as_ref())),
            };
            inputs[at].0.diagnostics.push(placed);
        }
    }
    let mut failed = read_failed || generated.as_ref().is_some_and(Prepared::has_errors);
    let applies = !matches!(args.to, GenerateTarget::Vcl | GenerateTarget::Snippet);
    if applies && !failed && config.backends.is_empty() {
        // A script would create an empty snippet and delete nothing (design §4.11).
        console::error(format_args!(
            "{}: no backend: there is nothing for the snippets to replace",
            inputs[0].0.file.name
        ));
        failed = true;
    }
    // What the applying forms replace: written into their text and said on stderr.
    let replacement = (applies && !failed).then(|| Replacement::new(&config));
    let written = match &generated {
        Some(generated) if !failed => output::write(args.output.as_deref(), |mut out| {
            if args.recv {
                return generated.write_recv_to(&mut out);
            }
            if args.to == GenerateTarget::Vcl {
                return generated.write_to(&mut out);
            }
            // The other forms hold the declarations in one string: written whole (design §4.9).
            let mut declarations = Vec::new();
            generated.write_to(&mut declarations)?;
            let declarations = String::from_utf8_lossy(&declarations);
            let recv = generated.recv();
            let snippets = snippets(&declarations, &recv);
            let text = match &replacement {
                Some(replacement) => applied(args, replacement, &snippets),
                None => snippets_json(&snippets),
            };
            out.write_all(text.as_bytes())
        }),
        _ => Ok(()),
    };
    let mut all = Vec::new();
    for (input, _) in &mut inputs {
        diagnostic::sort(&mut input.diagnostics);
        report(&input.file, &input.diagnostics, out);
        all.extend(input.diagnostics.iter().cloned());
    }
    if let Some(replacement) = replacement.as_ref().filter(|_| written.is_ok()) {
        if out.format == Format::Human {
            say_kept(args, replacement);
        }
    }
    if out.format == Format::Human {
        let verdict = if failed {
            "nothing written".to_string()
        } else if let Err(lost) = &written {
            lost.verdict().to_string()
        } else {
            generated_summary(&config)
        };
        console::eprintln(format_args!(
            "{}: {verdict}{}",
            inputs[0].0.file.name,
            summary(&all)
        ));
    }
    if let Err(lost) = written {
        return lost.report();
    }
    if failed { EXIT_INPUT } else { EXIT_OK }
}

/// The text of `--to fastly-cli|curl|terraform`.
fn applied(args: &GenerateArgs, replacement: &Replacement, snippets: &[Snippet]) -> String {
    let target = ServiceVersion {
        service_id: args.service_id.clone(),
        version: args.version,
    };
    match args.to {
        GenerateTarget::FastlyCli => apply::fastly_cli::emit(replacement, snippets, &target),
        GenerateTarget::Curl => apply::curl::emit(replacement, snippets, &target),
        // Terraform: the one other applying form (`vcl` and `snippet` build no replacement).
        _ => apply::terraform::emit(replacement, snippets),
    }
}

/// What an applying form deletes and keeps, said on stderr: the script says it too.
fn say_kept(args: &GenerateArgs, replacement: &Replacement) {
    let verb = if args.to == GenerateTarget::Terraform {
        "replace the blocks of"
    } else {
        "delete"
    };
    console::eprintln(format_args!(
        "the snippets {verb} {} of the service",
        replacement.deleted_summary()
    ));
    for line in replacement.kept_lines() {
        console::eprintln(format_args!("kept: {line}"));
    }
}

/// The side file a finding is about, if any, and how many objects of its kind come before
/// that file's: a side file holds the objects of its kind past those of the inputs before it.
fn side_file_of(finding: &Finding, inputs: &[(Input, usize)]) -> Option<(usize, usize)> {
    let t = &finding.target;
    inputs
        .iter()
        .enumerate()
        .skip(1)
        .rev()
        .find(|(_, (input, before))| input.kind == t.kind && t.index >= *before)
        .map(|(at, (_, before))| (at, *before))
}

/// `3 backends generated`, with the directors printed (shield directors too) when there are
/// some.
fn generated_summary(config: &Config) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let n = config.backends.len();
    let mut said = format!("{n} backend{}", plural(n));
    let auto = config
        .backends
        .iter()
        .any(vcl_backend::generate::auto_loadbalanced);
    // Shield directors: one per POP in use (design §4.8).
    let pops: std::collections::HashSet<&str> = config
        .backends
        .iter()
        .filter_map(|b| vcl_backend::model::none_if_empty(&b.shield))
        .collect();
    let directors = config.directors.len() + usize::from(auto) + pops.len();
    if directors > 0 {
        said.push_str(&format!(", {directors} director{}", plural(directors)));
    }
    said + " generated"
}
