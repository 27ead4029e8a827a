//! Which VCL a file is written in: Fastly's, or Varnish's (people migrate from it).
//!
//! The two differ where backends are concerned in three ways: Varnish identifiers may
//! contain `-` (`backend web-1`), Varnish backends have properties Fastly does not
//! (`.path`, `.proxy_header`, ...), and the lint rules about Fastly's own conventions
//! (`.dynamic`, `.share_key`, reserved names) mean nothing in a Varnish file.

use crate::syntax::lexical::trivia;

/// The dialect a file is read in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Fastly VCL: identifiers are `[A-Za-z_][A-Za-z0-9_]*`.
    #[default]
    Fastly,
    /// Varnish VCL (4.0 to 7.x): identifiers may contain `-`, Varnish's backend properties
    /// are known, Fastly-only lint rules are off.
    Varnish,
}

/// The dialect asked for: one of the two, or `Auto` (the default), which reads the file's
/// `vcl N.N;` line: Varnish when it declares one, else Fastly.
///
/// ```
/// use vcl_backend::syntax::dialect::{Dialect, DialectSetting};
/// assert_eq!(DialectSetting::Auto.resolve("vcl 4.1;\nbackend a { }"), Dialect::Varnish);
/// assert_eq!(DialectSetting::Auto.resolve("backend F_a { }"), Dialect::Fastly);
/// assert_eq!(DialectSetting::Fastly.resolve("vcl 4.1;"), Dialect::Fastly);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DialectSetting {
    #[default]
    Auto,
    Fastly,
    Varnish,
}

impl DialectSetting {
    /// The dialect to read `src` in.
    pub fn resolve(self, src: &str) -> Dialect {
        match self {
            DialectSetting::Fastly => Dialect::Fastly,
            DialectSetting::Varnish => Dialect::Varnish,
            DialectSetting::Auto => Dialect::detect(src),
        }
    }

    /// `fastly`, `varnish` or `auto` (the flag's and the configuration file's words).
    pub fn from_word(word: &str) -> Option<Self> {
        Some(match word {
            "auto" => DialectSetting::Auto,
            "fastly" => DialectSetting::Fastly,
            "varnish" => DialectSetting::Varnish,
            _ => return None,
        })
    }
}

impl From<Dialect> for DialectSetting {
    fn from(dialect: Dialect) -> Self {
        match dialect {
            Dialect::Fastly => DialectSetting::Fastly,
            Dialect::Varnish => DialectSetting::Varnish,
        }
    }
}

impl Dialect {
    /// Varnish when the file's first form (after comments) is a `vcl N.N;` declaration, which
    /// Varnish 4.0 and later require first; Fastly VCL has none. Reads only that far.
    pub fn detect(src: &str) -> Dialect {
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        let Ok((rest, ())) = trivia(src) else {
            return Dialect::Fastly;
        };
        if declares_version(rest) {
            Dialect::Varnish
        } else {
            Dialect::Fastly
        }
    }

    pub fn is_varnish(self) -> bool {
        self == Dialect::Varnish
    }

    /// The word for it, as the flag takes it.
    pub fn word(self) -> &'static str {
        match self {
            Dialect::Fastly => "fastly",
            Dialect::Varnish => "varnish",
        }
    }
}

/// `vcl` , white space , digits , "." , digits , optional white space , `;`.
fn declares_version(i: &str) -> bool {
    let Some(rest) = i.strip_prefix("vcl") else {
        return false;
    };
    let after_space = rest.trim_start_matches([' ', '\t', '\r', '\n']);
    if after_space.len() == rest.len() {
        return false;
    }
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let major = digits(after_space);
    let Some(minor) = after_space[major..].strip_prefix('.') else {
        return false;
    };
    let minor_len = digits(minor);
    major > 0
        && minor_len > 0
        && minor[minor_len..]
            .trim_start_matches([' ', '\t'])
            .starts_with(';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vcl_version_line_first_makes_a_varnish_file() {
        for varnish in [
            "vcl 4.1;",
            "vcl 4.0;\nbackend a { }",
            "\u{feff}# a comment\n/* and another */\nvcl 7.0 ;\n",
            "vcl\t6.0;",
        ] {
            assert_eq!(Dialect::detect(varnish), Dialect::Varnish, "{varnish:?}");
        }
        for fastly in [
            "",
            "backend F_a { .host = \"a\"; }\nvcl 4.1;",
            "vcl4.1;",
            "vcl 4;",
            "vcl 4.;",
            "vcl 4.1",
            "vcl_recv",
            "# vcl 4.1;\nbackend a { }",
            "/* never closed",
        ] {
            assert_eq!(Dialect::detect(fastly), Dialect::Fastly, "{fastly:?}");
        }
    }

    #[test]
    fn settings_read_their_words() {
        assert_eq!(
            DialectSetting::from_word("auto"),
            Some(DialectSetting::Auto)
        );
        assert_eq!(
            DialectSetting::from_word("varnish"),
            Some(DialectSetting::Varnish)
        );
        assert_eq!(
            DialectSetting::from_word("fastly"),
            Some(DialectSetting::Fastly)
        );
        assert_eq!(DialectSetting::from_word("Varnish"), None);
    }
}
