//! Reading the files a linted file includes: `include "NAME";` is looked for beside the file,
//! as `NAME` and then `NAME.vcl`, and followed into the files it names.

use std::collections::HashSet;
use std::path::Path;

use vcl_backend::lint::includes::{Included, declared_names, include_names};
use vcl_backend::syntax::Dialect;

/// At most this many files are read for one file's includes.
const MAX_INCLUDED_FILES: usize = 64;

/// What the files `text` (read from `path`) includes declare, and whether all were found.
pub fn read(path: &Path, text: &str, dialect: Dialect) -> Included {
    let mut pending = include_names(text, dialect);
    let mut included = Included {
        complete: true,
        ..Included::default()
    };
    if pending.is_empty() {
        return included;
    }
    // Standard input has no place to look beside.
    let Some(dir) = path.parent().filter(|_| path.as_os_str() != "-") else {
        included.complete = false;
        return included;
    };
    let mut read_files = HashSet::new();
    while let Some(name) = pending.pop() {
        let found = [dir.join(&name), dir.join(format!("{name}.vcl"))]
            .into_iter()
            .find(|p| p.is_file());
        let Some(found) = found else {
            included.complete = false;
            continue;
        };
        let key = found.canonicalize().unwrap_or_else(|_| found.clone());
        if !read_files.insert(key) {
            continue;
        }
        if read_files.len() > MAX_INCLUDED_FILES {
            included.complete = false;
            break;
        }
        let Ok((file, _)) = crate::cli::read_input(&found) else {
            included.complete = false;
            continue;
        };
        let text: &str = &file.text;
        included.names.extend(declared_names(text, dialect));
        pending.extend(include_names(text, dialect));
    }
    included
}
