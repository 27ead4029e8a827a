//! `vcl-backend.toml`: rule severities and names, found upward from the linted file (as falco
//! finds `.falco.yml`).
//!
//! ```toml
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

use crate::diagnostic::Severity;
use crate::lint::registry;

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
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    rules: HashMap<String, String>,
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
    /// The nearest `vcl-backend.toml` in `start` or a directory above it.
    pub fn find(start: &Path) -> Option<PathBuf> {
        let start = if start.is_dir() {
            start
        } else {
            start.parent()?
        };
        let start = if start.as_os_str().is_empty() {
            Path::new(".")
        } else {
            start
        };
        let absolute = std::fs::canonicalize(start).ok()?;
        absolute
            .ancestors()
            .map(|dir| dir.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    /// Reads and checks a configuration file; the error says what is wrong and where.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::parse(&text)
            .map(|mut c| {
                c.path = Some(path.to_path_buf());
                c
            })
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut config = LintConfig::default();
        for (name, level) in file.rules {
            let rule = registry::lookup(&name)
                .ok_or_else(|| format!("unknown rule `{name}` in [rules]"))?;
            let level = match level.as_str() {
                "error" => Level::Severity(Severity::Error),
                "warning" => Level::Severity(Severity::Warning),
                "info" => Level::Severity(Severity::Info),
                "off" => Level::Off,
                other => {
                    return Err(format!(
                        "rule `{name}`: `{other}` is not error, warning, info or off"
                    ));
                }
            };
            config.levels.insert(rule.code, level);
        }
        config.assume_backends = file.backends.assume.into_iter().collect();
        config.allow_names = file.backends.allow_names.into_iter().collect();
        Ok(config)
    }
}
