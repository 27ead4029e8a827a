//! `vcl-backend migrate`: VCL backends to API configuration, with a report.

use std::io::{self, Write};

use serde_json::json;
use vcl_backend::diagnostic::{self, Diagnostic, JsonDiagnostic};
use vcl_backend::migrate::{self, Target, report};

use super::generate::write_output;
use super::progress::InputProgress;
use super::{
    EXIT_INPUT, EXIT_OK, EXIT_USAGE, Format, MigrateArgs, MigrateFormat, Output, dialect_setting,
    read_source, summary,
};

pub fn run(args: &MigrateArgs, out: &Output) -> u8 {
    let setting = match dialect_setting(&args.file, &args.dialect) {
        Ok(setting) => setting,
        Err(code) => return code,
    };
    let (file, mut diagnostics) = match read_source(&args.file) {
        Ok(read) => read,
        Err(code) => return code,
    };
    let progress = InputProgress::spinner(&file.name, file.text.len(), "migrating");
    let dialect = setting.resolve(&file.text);
    let mut plan = migrate::plan::plan_in(&file.text, args.strict, dialect);
    super::join(&mut diagnostics, std::mem::take(&mut plan.diagnostics));
    let target = Target {
        service_id: args.service_id.clone(),
        version: args.version,
    };
    let (format, emitted) = match args.to {
        MigrateFormat::Json => ("json", migrate::json::emit(&plan)),
        MigrateFormat::FastlyCli => ("fastly-cli", migrate::fastly_cli::emit(&plan, &target)),
        MigrateFormat::Curl => ("curl", migrate::curl::emit(&plan, &target)),
        MigrateFormat::Terraform => ("terraform", migrate::terraform::emit(&plan, &target)),
    };
    let mut rewritten = None;
    let mut renamed = Vec::new();
    if args.rewrite_vcl.is_some() {
        match migrate::rewrite::rewrite(&file.text, &plan, |offset| file.line_col(offset).0) {
            Ok((text, names)) => {
                rewritten = Some(text);
                renamed = names;
            }
            Err(collisions) => diagnostics.extend(collisions),
        }
    }
    if args.strict {
        // What the format cannot carry fails the run too.
        for n in &emitted.notes {
            diagnostics.push(Diagnostic::error(
                "migrate::not-carried",
                format!("{} `{}`: `{}` {}", n.kind, n.object, n.field, n.message),
            ));
        }
    }
    drop(progress);
    diagnostic::sort(&mut diagnostics);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    let mut write_error = None;
    if !failed {
        // The rewritten VCL first: if it cannot be written, no configuration is printed.
        if let (Some(path), Some(text)) = (&args.rewrite_vcl, &rewritten) {
            if let Err(e) = write_output(Some(path), text) {
                write_error = Some(format!("cannot write {}: {e}", path.display()));
            }
        }
        if write_error.is_none() {
            if let Err(e) = write_output(None, &emitted.text) {
                write_error = Some(format!("cannot write the output: {e}"));
            }
        }
    }
    // Written or not, the texts are done with: the report reuses their memory.
    drop((emitted.text, rewritten));
    let report = report::build(
        &plan,
        format,
        &emitted.notes,
        &emitted.left_to_api,
        &renamed,
    );
    match out.format {
        Format::Json | Format::Sarif => {
            let json_diagnostics: Vec<JsonDiagnostic> = diagnostics
                .iter()
                .map(|d| JsonDiagnostic::new(d, &file))
                .collect();
            let document = json!({ "diagnostics": json_diagnostics, "report": report });
            // Buffered: serde_json writes token by token, and stderr is not.
            let mut stderr = io::BufWriter::new(io::stderr().lock());
            let _ = serde_json::to_writer_pretty(&mut stderr, &document);
            let _ = writeln!(stderr);
            let _ = stderr.flush();
        }
        Format::Human => {
            super::report(&file, &diagnostics, out);
            if !failed {
                eprint!("{}", report.human());
            }
            let verdict = if failed {
                "nothing written".to_string()
            } else {
                written(args.to, args.rewrite_vcl.as_deref())
            };
            eprintln!("{}: {verdict}{}", file.name, summary(&diagnostics));
        }
    }
    if let Some(message) = write_error {
        eprintln!("vcl-backend: {message}");
        return EXIT_USAGE;
    }
    if failed { EXIT_INPUT } else { EXIT_OK }
}

/// What a successful run wrote, for the closing line: the output goes to stdout, and a file is
/// written only with `--rewrite-vcl`.
fn written(to: MigrateFormat, rewrite_vcl: Option<&std::path::Path>) -> String {
    let output = match to {
        MigrateFormat::Json => "the JSON",
        MigrateFormat::FastlyCli => "the Fastly CLI script",
        MigrateFormat::Curl => "the curl script",
        MigrateFormat::Terraform => "the Terraform blocks",
    };
    match rewrite_vcl {
        Some(path) => format!(
            "{output} printed on stdout; the rewritten VCL written to {}",
            path.display()
        ),
        None => format!("{output} printed on stdout; no file written"),
    }
}
