//! Problems found in an input: a stable code, a severity, a message, labelled spans and help.
//!
//! Every layer (syntax, lowering, lint) produces [`Diagnostic`]s; only the edge renders them,
//! either through miette ([`Report`]) or as JSON ([`JsonDiagnostic`]).

pub mod json;

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::controls;
pub use json::{FileDiagnostics, JsonDiagnostic, JsonLabel};

use crate::source::SourceFile;
use crate::span::Span;

/// The prefix of every diagnostic code.
pub const CODE_PREFIX: &str = "vcl-backend::";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input is wrong: the command fails (exit 1).
    Error,
    /// Probably a mistake, or something that cannot be carried across; the command succeeds.
    Warning,
    /// Worth knowing; never fails a command.
    Info,
}

/// One labelled span; the primary label points at the problem, others at related places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    /// Borrowed where it is a fixed text: a finding costs no allocation for it.
    pub message: Cow<'static, str>,
    pub primary: bool,
}

impl Label {
    pub fn primary(span: Span, message: impl Into<Cow<'static, str>>) -> Self {
        Label {
            span,
            message: message.into(),
            primary: true,
        }
    }

    pub fn secondary(span: Span, message: impl Into<Cow<'static, str>>) -> Self {
        Label {
            span,
            message: message.into(),
            primary: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The code without [`CODE_PREFIX`], e.g. `parse::missing-semicolon`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<Label>,
    /// Borrowed where it is a fixed text, as most are.
    pub help: Option<Cow<'static, str>>,
}

/// Bytes of a source that are not UTF-8 (the spans [`SourceFile::from_bytes`] returns).
pub fn invalid_utf8(span: Span) -> Diagnostic {
    Diagnostic::error("parse::invalid-utf8", "invalid UTF-8 in the source")
        .with_label(Label::primary(span, "these bytes are not UTF-8"))
        .with_help(
            "VCL files must be UTF-8; re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)",
        )
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    pub fn info(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, code, message)
    }

    pub fn with_label(mut self, label: Label) -> Self {
        self.labels.push(label);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The full stable code, e.g. `vcl-backend::parse::missing-semicolon`.
    pub fn full_code(&self) -> String {
        format!("{CODE_PREFIX}{}", self.code)
    }

    /// Where the problem is: the primary label's span, else the first label's.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or(self.labels.first())
            .map(|l| l.span)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by position, then code, so output is deterministic.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.primary_span().map_or(0, |s| s.start), d.code));
}

/// A diagnostic together with its source, as miette renders it: for a terminal, so every
/// control or bidirectional character of the input, in the source and in the texts that quote
/// it, is shown escaped (docs/design.md §10).
pub struct Report<'a> {
    pub diagnostic: &'a Diagnostic,
    pub source: &'a SourceFile,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&controls::for_terminal(&self.diagnostic.message))
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.full_code()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(controls::for_terminal(h)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source.shown().0)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let (shown, moved) = self.source.shown();
        Some(Box::new(self.diagnostic.labels.iter().map(move |l| {
            let span = shown.shown_span(moved(l.span));
            let message = Some(controls::for_terminal(&l.message).into_owned());
            if l.primary {
                miette::LabeledSpan::new_primary_with_span(message, span)
            } else {
                miette::LabeledSpan::new_with_span(message, span)
            }
        })))
    }
}

/// Renders a diagnostic as text: graphical, coloured only when `color` is set.
#[cfg(feature = "render")]
pub fn render(diagnostic: &Diagnostic, source: &SourceFile, color: bool, width: usize) -> String {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(width);
    let mut out = String::new();
    let report = Report { diagnostic, source };
    // Writing into a String cannot fail.
    let _ = handler.render_report(&mut out, &report);
    out
}
