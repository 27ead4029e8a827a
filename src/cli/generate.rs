//! `vcl-backend generate`: API JSON in, VCL out.

use std::path::Path;

use vcl_backend::api_json::{self, SpanIndex};
use vcl_backend::diagnostic::{self, Diagnostic};
use vcl_backend::generate::{Options, Prepared, prepare};
use vcl_backend::model::Config;
use vcl_backend::model::ObjectKind;
use vcl_backend::source::SourceFile;

use super::output;
use super::progress::InputProgress;
use super::{
    EXIT_INPUT, EXIT_OK, Format, GenerateArgs, Output, console, read_source, report, summary,
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
    let (mut main, mut config) = match Input::read(&args.file, ObjectKind::Backend) {
        Ok(read) => read,
        Err(code) => return code,
    };
    let main_healthchecks = config.healthchecks.len();
    let mut extra = None;
    if let Some(path) = &args.healthchecks {
        match Input::read(path, ObjectKind::Healthcheck) {
            Ok((input, more)) => {
                config.healthchecks.extend(more.healthchecks);
                extra = Some(input);
            }
            Err(code) => return code,
        }
    }
    let read_failed = main
        .diagnostics
        .iter()
        .chain(extra.iter().flat_map(|e| &e.diagnostics))
        .any(Diagnostic::is_error);
    let options = Options {
        service_id: args.service_id.clone(),
        strict: args.strict,
    };
    // The checks first: the VCL is then written block by block, never whole in memory.
    let generated = (!read_failed).then(|| prepare(&config, &options));
    let findings = generated.as_ref().map_or(&[][..], |g| &g.findings[..]);
    // Place each finding in the file it is about; the text is read again only if there are any.
    if !findings.is_empty() {
        let main_index = main.span_index();
        let extra_index = extra.as_ref().and_then(Input::span_index);
        for finding in findings {
            let t = &finding.target;
            if t.kind == ObjectKind::Healthcheck && t.index >= main_healthchecks {
                if let Some(extra) = extra.as_mut() {
                    let mut local = finding.clone();
                    local.target.index -= main_healthchecks;
                    extra
                        .diagnostics
                        .push(api_json::place(&local, extra_index.as_ref()));
                }
            } else {
                main.diagnostics
                    .push(api_json::place(finding, main_index.as_ref()));
            }
        }
    }
    let failed = read_failed || generated.as_ref().is_some_and(Prepared::has_errors);
    let written = match &generated {
        Some(generated) if !failed => output::write(args.output.as_deref(), |mut out| {
            generated.write_to(&mut out)
        }),
        _ => Ok(()),
    };
    let mut all = Vec::new();
    for input in std::iter::once(&mut main).chain(extra.as_mut()) {
        diagnostic::sort(&mut input.diagnostics);
        report(&input.file, &input.diagnostics, out);
        all.extend(input.diagnostics.iter().cloned());
    }
    if out.format == Format::Human {
        let verdict = if failed {
            "nothing written".to_string()
        } else if let Err(lost) = &written {
            lost.verdict().to_string()
        } else {
            let n = config.backends.len();
            format!("{n} backend{} generated", if n == 1 { "" } else { "s" })
        };
        console::eprintln(format_args!(
            "{}: {verdict}{}",
            main.file.name,
            summary(&all)
        ));
    }
    if let Err(lost) = written {
        return lost.report();
    }
    if failed { EXIT_INPUT } else { EXIT_OK }
}
