//! Command-line values that reach an output format, checked before anything runs: a bad one
//! is a usage error (exit 2) that shows the value escaped (docs/design.md §10).

use std::ffi::OsStr;

use clap::builder::TypedValueParser;
use clap::error::ErrorKind;
use vcl_backend::controls;

/// The most of a refused value an error shows.
const SHOWN: usize = 80;

/// A value checked by `parse`; refused with "`what`" as the reason.
#[derive(Clone)]
pub(crate) struct Checked<T> {
    what: &'static str,
    parse: fn(&str) -> Option<T>,
}

/// `--service-id`: a Fastly service ID, 1 to 64 ASCII letters and digits. Anything else
/// would be written into scripts, URLs, HCL and VCL as it stands.
pub(crate) fn service_id() -> Checked<String> {
    Checked {
        what: "a Fastly service ID is 1 to 64 ASCII letters and digits",
        parse: |text| {
            let ok =
                (1..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric());
            ok.then(|| text.to_string())
        },
    }
}

/// `--version`: a service version, a positive integer (decimal digits only).
pub(crate) fn version() -> Checked<u32> {
    Checked {
        what: "a service version is a positive whole number such as 7",
        parse: |text| {
            let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
            digits
                .then(|| text.parse().ok())
                .flatten()
                .filter(|&v| v > 0)
        },
    }
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Checked<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        if let Some(parsed) = (self.parse)(&text) {
            return Ok(parsed);
        }
        // Shown escaped and cut short: the value may hold anything a terminal acts on.
        let mut shown: String = text.chars().take(SHOWN).collect();
        if shown.len() < text.len() {
            shown.push_str("...");
        }
        let arg = arg.map_or_else(|| "the value".to_string(), |a| format!("'{a}'"));
        let message = format!(
            "invalid value '{}' for {arg}: {}\n",
            controls::for_terminal(&shown).replace('\n', "\\n"),
            self.what
        );
        Err(clap::Error::raw(ErrorKind::ValueValidation, message).with_cmd(cmd))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_ids_and_versions() {
        let id = service_id().parse;
        assert_eq!(
            id("SU1Z0isxPaozGVKXdv0eY").as_deref(),
            Some("SU1Z0isxPaozGVKXdv0eY")
        );
        for bad in ["", "a\nb", "a b", "a'b", "${x}", "é", &"a".repeat(65)] {
            assert_eq!(id(bad), None, "{bad:?}");
        }
        let version = version().parse;
        assert_eq!(version("7"), Some(7));
        for bad in ["0", "-1", "+1", "1.0", "7\n", "", "99999999999"] {
            assert_eq!(version(bad), None, "{bad:?}");
        }
    }
}
