//! Where a command's result goes: standard output, or the file of `-o FILE` (`-o -` is
//! standard output), written as docs/design.md §7.5 says.

use std::io::{self, Write};
use std::path::Path;

use super::{EXIT_USAGE, console, safe_write};

/// A result that did not arrive whole.
pub(crate) enum Lost {
    /// Said once, at exit, by the console (or not at all for a closed pipe).
    Stdout,
    /// The file is as it was; the message says why.
    File(String),
}

/// The file to write, `None` for standard output.
pub(crate) fn file(output: Option<&Path>) -> Option<&Path> {
    output.filter(|p| p.as_os_str() != "-")
}

/// Writes the result where it goes.
pub(crate) fn write(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Lost> {
    match file(output) {
        None => match console::out(write) {
            true => Ok(()),
            false => Err(Lost::Stdout),
        },
        Some(path) => safe_write::write(path, write).map_err(|e| Lost::File(failed(path, &e))),
    }
}

/// Why `--rewrite-vcl` cannot go where it was asked: `-` (stdout carries the configuration),
/// or the file `-o` names too (one would overwrite the other).
pub(crate) fn clash(vcl: Option<&Path>, config: Option<&Path>) -> Option<String> {
    let vcl = vcl?;
    if vcl.as_os_str() == "-" {
        return Some(
            "--rewrite-vcl needs a file: standard output carries the configuration".into(),
        );
    }
    let config = file(config)?;
    let same = match (std::fs::canonicalize(vcl), std::fs::canonicalize(config)) {
        (Ok(a), Ok(b)) => a == b,
        _ => vcl == config,
    };
    same.then(|| {
        format!(
            "-o and --rewrite-vcl both name {}: give each its own file",
            vcl.display()
        )
    })
}

/// "cannot write PATH: why".
pub(crate) fn failed(path: &Path, e: &io::Error) -> String {
    format!("cannot write {}: {e}", path.display())
}

impl Lost {
    /// Says what was lost where it can be said now, and gives the exit code.
    pub(crate) fn report(&self) -> u8 {
        if let Lost::File(message) = self {
            console::error(message);
        }
        EXIT_USAGE
    }

    /// For a closing line: what became of the result.
    pub(crate) fn verdict(&self) -> &'static str {
        match self {
            Lost::Stdout => "standard output failed, the result is incomplete",
            Lost::File(_) => "nothing written",
        }
    }
}
