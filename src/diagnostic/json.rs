//! The JSON form of diagnostics (`--format json`), borrowed from the diagnostics themselves so
//! that a million findings are written one at a time without a copy of each (docs/design.md
//! §11), and [`FileDiagnostics`]: a file's diagnostics with their lines and columns, kept
//! without the file's text.

use serde::{Serialize, Serializer};

use super::{CODE_PREFIX, Diagnostic, Severity};
use crate::source::SourceFile;
use crate::span::Span;

/// The JSON form of a diagnostic, for `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// Written with [`CODE_PREFIX`] before it, without an allocation.
    #[serde(serialize_with = "full_code")]
    pub code: &'static str,
    pub severity: Severity,
    pub message: &'a str,
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub span: Span,
    pub labels: Vec<JsonLabel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct JsonLabel<'a> {
    pub message: &'a str,
    pub line: usize,
    pub column: usize,
    pub span: Span,
    pub primary: bool,
}

fn full_code<S: Serializer>(code: &&'static str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&format_args!("{CODE_PREFIX}{code}"))
}

/// A (line, column) pair, both 1-based.
pub type Point = (usize, usize);

/// The points a diagnostic's JSON and SARIF forms need, in order: its primary span's start and
/// end, then each label's start and end.
fn push_points(d: &Diagnostic, source: &SourceFile, out: &mut Vec<Point>) {
    let span = d.primary_span().unwrap_or_default();
    out.push(source.line_col(span.start));
    out.push(source.line_col(span.end));
    for label in &d.labels {
        out.push(source.line_col(label.span.start));
        out.push(source.line_col(label.span.end));
    }
}

fn points_of(d: &Diagnostic) -> usize {
    2 + 2 * d.labels.len()
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(diagnostic: &'a Diagnostic, source: &'a SourceFile) -> Self {
        let mut points = Vec::with_capacity(points_of(diagnostic));
        push_points(diagnostic, source, &mut points);
        Self::at(diagnostic, &source.name, &points)
    }

    /// The JSON of `diagnostic` in the file `file`, at `points` (as [`FileDiagnostics`] keeps).
    fn at(diagnostic: &'a Diagnostic, file: &'a str, points: &[Point]) -> Self {
        let point = |i: usize| points.get(i).copied().unwrap_or((1, 1));
        let ((line, column), (end_line, end_column)) = (point(0), point(1));
        JsonDiagnostic {
            code: diagnostic.code,
            severity: diagnostic.severity,
            message: &diagnostic.message,
            file,
            line,
            column,
            end_line,
            end_column,
            span: diagnostic.primary_span().unwrap_or_default(),
            labels: diagnostic
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let (line, column) = point(2 + 2 * i);
                    JsonLabel {
                        message: &l.message,
                        line,
                        column,
                        span: l.span,
                        primary: l.primary,
                    }
                })
                .collect(),
            help: diagnostic.help.as_deref(),
        }
    }
}

/// A file's diagnostics and where each is in lines and columns: what their JSON and SARIF
/// forms need of the file, so its text need not be kept until they are written.
#[derive(Debug, Clone, Default)]
pub struct FileDiagnostics {
    /// The file's name as reports show it.
    pub name: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Every diagnostic's points, one after another (see [`push_points`]).
    points: Vec<Point>,
}

impl FileDiagnostics {
    pub fn new(source: &SourceFile, diagnostics: Vec<Diagnostic>) -> Self {
        let mut points = Vec::with_capacity(diagnostics.iter().map(points_of).sum());
        for d in &diagnostics {
            push_points(d, source, &mut points);
        }
        FileDiagnostics {
            name: source.name.clone(),
            diagnostics,
            points,
        }
    }

    /// Each diagnostic with its points: the primary span's start and end, then each label's.
    pub fn placed(&self) -> impl Iterator<Item = (&Diagnostic, &[Point])> {
        let mut at = 0;
        self.diagnostics.iter().map(move |d| {
            let end = (at + points_of(d)).min(self.points.len());
            let points = &self.points[at.min(end)..end];
            at = end;
            (d, points)
        })
    }

    /// The JSON form of each diagnostic, made as it is asked for.
    pub fn json(&self) -> impl Iterator<Item = JsonDiagnostic<'_>> {
        self.placed()
            .map(|(d, points)| JsonDiagnostic::at(d, &self.name, points))
    }
}
