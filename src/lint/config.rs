//! `vcl-backend.toml`: the dialect, rule severities and names, found upward from the linted
//! file (as falco finds `.falco.yml`). `parse` and `migrate` read its `dialect` too.
//!
//! ```toml
//! dialect = "varnish"             # fastly | varnish | auto (the default)
//!
//! [rules]
//! missing-share-key = "error"     # error | warning | info | off
//! unused-backend = "off"
//!
//! [backends]
//! assume = ["F_origin", "F_images"]   # declared by the service's API, not in this file
//! allow-names = ["F_legacy"]          # hand-written names allowed despite reserved-name
//! ```

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::bounded::{self, ReadError};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lint::registry;
use crate::source::SourceFile;
use crate::span::Span;
use crate::syntax::DialectSetting;

pub const FILE_NAME: &str = "vcl-backend.toml";

/// A rule's configured level: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Severity(Severity),
    Off,
}

#[derive(Debug, Clone, Default)]
pub struct LintConfig {
    /// Where it was read from, if anywhere.
    pub path: Option<PathBuf>,
    /// By rule code (`lint::NAME`).
    pub levels: HashMap<&'static str, Level>,
    pub assume_backends: HashSet<String>,
    pub allow_names: HashSet<String>,
    /// `dialect = "..."`, when set.
    pub dialect: Option<DialectSetting>,
}

/// Why a configuration file could not be used.
#[derive(Debug, Clone)]
pub enum LoadError {
    /// It could not be read (the message says why).
    Unreadable(String),
    /// It was read, and these are its problems, each placed in it (docs/design.md §2.19).
    Invalid(Box<SourceFile>, Vec<Diagnostic>),
}

impl std::fmt::Display for LoadError {
    /// One line a problem, `FILE:LINE:COLUMN: message`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Unreadable(message) => f.write_str(message),
            LoadError::Invalid(file, diagnostics) => {
                for (i, d) in diagnostics.iter().enumerate() {
                    let (line, column) = file.line_col(d.primary_span().map_or(0, |s| s.start));
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "{}:{line}:{column}: {}", file.name, d.message)?;
                }
                Ok(())
            }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    dialect: Option<Spanned<String>>,
    #[serde(default)]
    rules: HashMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    backends: Backends,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Backends {
    #[serde(default)]
    assume: Vec<String>,
    #[serde(default)]
    allow_names: Vec<String>,
}

impl LintConfig {
    /// The nearest `vcl-backend.toml` in `start` or a directory above it. For many files,
    /// [`ConfigFinder`] looks at each directory once.
    pub fn find(start: &Path) -> Option<PathBuf> {
        ConfigFinder::default().find(start)
    }

    /// Reads and checks a configuration file; the error says what is wrong and where.
    pub fn load(path: &Path) -> Result<Self, LoadError> {
        // Its own small limit: a configuration is a few lines (docs/design.md §11).
        let text = bounded::read_text(path, bounded::CONFIG_LIMIT).map_err(|e| {
            LoadError::Unreadable(match e {
                ReadError::TooLarge { limit } => format!(
                    "{} is larger than a configuration file may be ({limit} bytes)",
                    path.display()
                ),
                ReadError::Io(e) => format!("cannot read {}: {e}", path.display()),
            })
        })?;
        Self::parse(&text)
            .map(|mut c| {
                c.path = Some(path.to_path_buf());
                c
            })
            .map_err(|diagnostics| {
                let file = SourceFile::new(path.display().to_string(), text);
                LoadError::Invalid(Box::new(file), diagnostics)
            })
    }

    /// Reads a configuration's text: every problem, each placed in the text
    /// (docs/design.md §2.19).
    pub fn parse(text: &str) -> Result<Self, Vec<Diagnostic>> {
        let file: File = toml::from_str(text).map_err(|e| vec![toml_error(text, &e)])?;
        let mut config = LintConfig::default();
        let mut problems = Vec::new();
        for (name, level) in file.rules {
            let Some(rule) = registry::lookup(name.get_ref()) else {
                problems.push(unknown_rule(&name));
                continue;
            };
            let level = match level.get_ref().as_str() {
                "error" => Level::Severity(Severity::Error),
                "warning" => Level::Severity(Severity::Warning),
                "info" => Level::Severity(Severity::Info),
                "off" => Level::Off,
                other => {
                    problems.push(
                        Diagnostic::error(
                            "config::invalid-level",
                            format!(
                                "rule `{}`: `{other}` is not error, warning, info or off",
                                name.get_ref()
                            ),
                        )
                        .with_label(Label::primary(span_of(&level), "not a level"))
                        .with_help("a rule's level is \"error\", \"warning\", \"info\" or \"off\""),
                    );
                    continue;
                }
            };
            config.levels.insert(rule.code, level);
        }
        if let Some(word) = file.dialect {
            match DialectSetting::from_word(word.get_ref()) {
                Some(dialect) => config.dialect = Some(dialect),
                None => problems.push(
                    Diagnostic::error(
                        "config::invalid-dialect",
                        format!("`{}` is not fastly, varnish or auto", word.get_ref()),
                    )
                    .with_label(Label::primary(span_of(&word), "not a dialect"))
                    .with_help("dialect is \"fastly\", \"varnish\" or \"auto\""),
                ),
            }
        }
        if !problems.is_empty() {
            crate::diagnostic::sort(&mut problems);
            return Err(problems);
        }
        config.assume_backends = file.backends.assume.into_iter().collect();
        config.allow_names = file.backends.allow_names.into_iter().collect();
        Ok(config)
    }
}

fn span_of<T>(spanned: &Spanned<T>) -> Span {
    let range = spanned.span();
    Span::new(range.start, range.end)
}

/// TOML that does not parse, or does not have the file's shape (an unknown key, a wrong type).
fn toml_error(text: &str, e: &toml::de::Error) -> Diagnostic {
    let span = e.span().map_or(Span::at(0), |r| Span::new(r.start, r.end));
    let span = Span::new(span.start.min(text.len()), span.end.min(text.len()));
    let message = e.message().trim_end().to_string();
    Diagnostic::error("config::syntax", format!("invalid configuration: {message}"))
        .with_label(Label::primary(span, message))
        .with_help("vcl-backend.toml holds `dialect`, a [rules] table of levels and a [backends] table (`assume`, `allow-names`)")
}

/// A `[rules]` key that names no rule.
fn unknown_rule(name: &Spanned<String>) -> Diagnostic {
    let rules = registry::rules().iter().map(|r| r.name());
    let d = Diagnostic::error(
        "config::unknown-rule",
        format!("unknown rule `{}` in [rules]", name.get_ref()),
    )
    .with_label(Label::primary(span_of(name), "no such rule"));
    match crate::suggest::did_you_mean(name.get_ref(), rules) {
        Some(rule) => d.with_help(format!("did you mean `{rule}`?")),
        None => d.with_help("`vcl-backend lint --explain all` lists the rules"),
    }
}

/// [`LintConfig::find`] for many files: each directory is canonicalized and looked at once
/// (finding every file's anew made `lint DIR` on a deep tree quadratic in its depth, and
/// more). A directory's answer is its own `vcl-backend.toml`, else its parent's.
#[derive(Debug, Default)]
pub struct ConfigFinder {
    /// By directory as given: where it really is (`None` when that cannot be found).
    canonical: HashMap<PathBuf, Option<PathBuf>>,
    /// By canonical directory: the nearest configuration file in it or above it.
    nearest: HashMap<PathBuf, Option<PathBuf>>,
}

impl ConfigFinder {
    /// The nearest `vcl-backend.toml` in `start` (a file's directory when it is a file) or
    /// a directory above it, with symbolic links resolved first.
    pub fn find(&mut self, start: &Path) -> Option<PathBuf> {
        let absolute = self.canonical(search_start(start)?)?;
        self.nearest_from(&absolute)
    }

    /// Where directory `dir` (as given) really is, as `std::fs::canonicalize` says; the
    /// directories above it are found on the way and kept too. Each directory is found from
    /// its parent's where [`parent_and_name`] allows: canonicalizing a path afresh reads
    /// every component as a link, each walking the path again (quadratic in its depth).
    fn canonical(&mut self, dir: &Path) -> Option<PathBuf> {
        // `dir` and the unknown directories above it, nearest first.
        let mut unknown = Vec::new();
        let mut at = dir;
        while !self.canonical.contains_key(at) {
            unknown.push(at);
            match parent_and_name(at) {
                Some((parent, _)) => at = parent,
                None => break,
            }
        }
        for dir in unknown.into_iter().rev() {
            let from_parent = parent_and_name(dir).and_then(|(parent, name)| {
                let parent_is_at = self.canonical.get(parent)?.as_ref()?;
                let entry = std::fs::symlink_metadata(parent.join(name)).ok()?;
                (!entry.file_type().is_symlink()).then(|| parent_is_at.join(name))
            });
            let absolute = from_parent.or_else(|| std::fs::canonicalize(dir).ok());
            self.canonical.insert(dir.to_path_buf(), absolute);
        }
        self.canonical.get(dir).cloned().flatten()
    }

    /// Looks up from `dir` (canonical) to the first directory whose answer is known or
    /// which holds the file; the directories passed on the way share that answer.
    fn nearest_from(&mut self, dir: &Path) -> Option<PathBuf> {
        let mut passed = Vec::new();
        let mut answer = None;
        for ancestor in dir.ancestors() {
            if let Some(known) = self.nearest.get(ancestor) {
                answer = known.clone();
                break;
            }
            let own = ancestor.join(FILE_NAME);
            if own.is_file() {
                answer = Some(own);
                passed.push(ancestor);
                break;
            }
            passed.push(ancestor);
        }
        for ancestor in passed {
            self.nearest.insert(ancestor.to_path_buf(), answer.clone());
        }
        answer
    }
}

/// The directory a search starts in: `start` itself, or the directory of a file (`.` for a
/// bare file name).
fn search_start(start: &Path) -> Option<&Path> {
    let dir = if start.is_dir() {
        start
    } else {
        start.parent()?
    };
    Some(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    })
}

/// A directory given as `PARENT/NAME`: on Linux, where the C library canonicalizes a path
/// one component at a time without respelling any, it is where its parent is, plus `NAME`,
/// unless it is a symbolic link. `None` for a path ending in `..` or without a parent, and
/// on other systems (macOS, for one, respells names in their case on disk).
fn parent_and_name(dir: &Path) -> Option<(&Path, &std::ffi::OsStr)> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let parent = dir.parent()?;
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    Some((parent, dir.file_name()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `LintConfig::find` as it was, one file at a time.
    fn find_alone(start: &Path) -> Option<PathBuf> {
        let absolute = std::fs::canonicalize(search_start(start)?).ok()?;
        absolute
            .ancestors()
            .map(|dir| dir.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    #[test]
    fn each_directory_looked_at_once_gives_the_same_answers() {
        let root = std::env::temp_dir().join(format!("vcl-backend-config-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for dir in ["a/b/c/d", "x/vcl-backend.toml", "x/y"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        for file in ["vcl-backend.toml", "a/b/vcl-backend.toml"] {
            std::fs::write(root.join(file), "").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("a/b/c"), root.join("x/link")).unwrap();
        let files = [
            "a/f.vcl",
            "a/b/c/d/g.vcl",
            "a/b/c/g.vcl",
            "a/b/f.vcl",
            "x/y/h.vcl",
            "x/link/g.vcl",
            "x/link/d/g.vcl",
            "x/link/../f.vcl",
            "a/b/c/../../f.vcl",
            "a/./b/c/./d/g.vcl",
            "x/link/./d/g.vcl",
            "x/link/.",
            "x/link/",
            "x/link/../",
            "x/vcl-backend.toml/i.vcl",
            "x",
            "a/b",
            "none/z.vcl",
        ];
        let mut finder = ConfigFinder::default();
        for file in files.iter().chain(files.iter().rev()) {
            let path = root.join(file);
            assert_eq!(finder.find(&path), find_alone(&path), "{file}");
        }
        // Relative to the working directory (the crate's, under cargo test).
        for path in [
            "x.vcl",
            "src/lint/x.vcl",
            "./src/../fixtures/lint/x.vcl",
            ".",
            "src/",
        ] {
            let path = Path::new(path);
            assert_eq!(finder.find(path), find_alone(path), "{}", path.display());
        }
        let real = std::fs::canonicalize(&root).unwrap();
        let nested = real.join("a/b").join(FILE_NAME);
        assert_eq!(
            finder.find(&root.join("a/b/c/d/g.vcl")),
            Some(nested.clone())
        );
        assert_eq!(
            finder.find(&root.join("x/y/h.vcl")),
            Some(real.join(FILE_NAME))
        );
        #[cfg(unix)]
        assert_eq!(finder.find(&root.join("x/link/../f.vcl")), Some(nested));
        assert_eq!(finder.find(&root.join("none/z.vcl")), None);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
