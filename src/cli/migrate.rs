//! `vcl-backend migrate`: VCL backends to API configuration, with a report.

use serde_json::json;
use vcl_backend::diagnostic::{self, Diagnostic, JsonDiagnostic};
use vcl_backend::migrate::{self, ServiceVersion, report};

use super::output::{self, Lost};
use super::progress::InputProgress;
use super::{
    EXIT_INPUT, EXIT_OK, EXIT_USAGE, Format, MigrateArgs, MigrateFormat, Output, console,
    dialect_setting, read_source, safe_write, summary,
};

pub fn run(args: &MigrateArgs, out: &Output) -> u8 {
    if let Some(message) = output::clash(args.rewrite_vcl.as_deref(), args.output.as_deref()) {
        console::error(message);
        return EXIT_USAGE;
    }
    let setting = match dialect_setting(&args.file, &args.dialect, out) {
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
    let target = ServiceVersion {
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
    let mut lost = None;
    let mut vcl_written = false;
    if !failed {
        // docs/design.md §7.5: the VCL is staged first (so nothing is written when it cannot
        // be), and put in place only once the configuration has been written in full.
        let staged = match (&args.rewrite_vcl, &rewritten) {
            (Some(path), Some(text)) => {
                match safe_write::stage(path, Box::new(|w| w.write_all(text.as_bytes()))) {
                    Ok(staged) => Some((path, staged)),
                    Err(e) => {
                        lost = Some(Lost::File(output::failed(path, &e)));
                        None
                    }
                }
            }
            _ => None,
        };
        if lost.is_none() {
            let text = emitted.text.as_bytes();
            lost = output::write(args.output.as_deref(), |w| w.write_all(text)).err();
        }
        if let (None, Some((path, staged))) = (&lost, staged) {
            match staged.commit() {
                Ok(()) => vcl_written = true,
                Err(e) => lost = Some(Lost::File(output::failed(path, &e))),
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
        &emitted.remarks,
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
            console::err(|stderr| {
                serde_json::to_writer_pretty(&mut *stderr, &document)?;
                writeln!(stderr)
            });
        }
        Format::Human => {
            super::report(&file, &diagnostics, out);
            if !failed {
                console::eprint(report.human());
            }
            let verdict = if failed {
                "nothing written".to_string()
            } else {
                written(args, lost.is_none(), vcl_written)
            };
            console::eprintln(format_args!(
                "{}: {verdict}{}",
                file.name,
                summary(&diagnostics)
            ));
        }
    }
    if let Some(lost) = lost {
        return lost.report();
    }
    if failed { EXIT_INPUT } else { EXIT_OK }
}

/// What the run wrote, for the closing line: never "written" for what was not.
fn written(args: &MigrateArgs, output_ok: bool, vcl_ok: bool) -> String {
    let what = match args.to {
        MigrateFormat::Json => "the JSON",
        MigrateFormat::FastlyCli => "the Fastly CLI script",
        MigrateFormat::Curl => "the curl script",
        MigrateFormat::Terraform => "the Terraform blocks",
    };
    let file = output::file(args.output.as_deref());
    let output = match (output_ok, file) {
        (true, None) => format!("{what} printed on stdout"),
        (true, Some(path)) => format!("{what} written to {}", path.display()),
        (false, None) => format!("{what} not printed in full (standard output failed)"),
        (false, Some(path)) => format!("{what} not written to {}", path.display()),
    };
    let vcl = match (args.rewrite_vcl.as_deref(), vcl_ok) {
        (Some(path), true) => format!("the rewritten VCL written to {}", path.display()),
        (Some(path), false) => format!(
            "the rewritten VCL not written ({} left as it was)",
            path.display()
        ),
        (None, _) if file.is_some() => return output,
        (None, _) => "no file written".to_string(),
    };
    format!("{output}; {vcl}")
}
