//! Shell quoting for the scripts: every value is one single-quoted word, so nothing in it is
//! ever expanded or executed (`$()`, backticks, newlines, a leading `-`). A value with control
//! or bidirectional characters is one `$'...'` word with them escaped, so the script holds
//! none raw: a value is always on one line, and a terminal showing the script acts on nothing
//! (docs/design.md §10).

use crate::controls;

/// `'value'`, with each `'` written as `'\''`.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    push_quoted(&mut out, value);
    out
}

/// [`quote`], appended to `out`.
fn push_quoted(out: &mut String, value: &str) {
    if value.chars().any(controls::is_hidden) {
        return push_ansi_c(out, value);
    }
    out.push('\'');
    for (i, piece) in value.split('\'').enumerate() {
        if i > 0 {
            out.push_str("'\\''");
        }
        out.push_str(piece);
    }
    out.push('\'');
}

/// `$'value'`: bash's ANSI-C quoting, with `\` and `'` escaped and every hidden character
/// written as its UTF-8 bytes (`\xe2\x80\xae`), which mean the same in every locale.
fn push_ansi_c(out: &mut String, value: &str) {
    out.push_str("$'");
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if controls::is_hidden(c) => {
                let mut bytes = [0; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('\'');
}

/// `--flag='value'`: the value joined to its flag, so a value starting with `-` (a PEM
/// certificate) is never read as a flag.
pub fn flag(name: &str, value: &str) -> String {
    let mut out = String::with_capacity(name.len() + value.len() + 5);
    out.push_str("--");
    out.push_str(name);
    out.push('=');
    push_quoted(&mut out, value);
    out
}

/// A line of a script written as a comment, every line of it (a name may hold newlines), any
/// other hidden character escaped.
pub fn comment_out(command: &str) -> String {
    command
        .lines()
        .map(|l| format!("# {}", controls::for_terminal(l)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `base`, or `base` numbered (`base1`, `base2`, ...), whichever first is none of `lines`: the
/// delimiter of a heredoc (bash's or HCL's) that no line of its content ends early.
pub(crate) fn unused_delimiter<'a>(base: &str, lines: impl Iterator<Item = &'a str>) -> String {
    // Gathered once: trying each candidate against every line is quadratic on a content whose
    // lines are base, base1, base2, ...
    let taken: std::collections::HashSet<&str> = lines.filter(|l| l.starts_with(base)).collect();
    let mut delimiter = base.to_string();
    let mut n = 0;
    while taken.contains(delimiter.as_str()) {
        n += 1;
        delimiter = format!("{base}{n}");
    }
    delimiter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_closed_and_reopened() {
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote("''"), "''\\'''\\'''");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("$(rm -rf /) `x` \"y\""), "'$(rm -rf /) `x` \"y\"'");
        assert_eq!(
            flag("ssl-ca-cert", "-----BEGIN"),
            "--ssl-ca-cert='-----BEGIN'"
        );
    }

    #[test]
    fn hidden_characters_are_escaped_in_one_ansi_c_word() {
        assert_eq!(quote("a\nb"), "$'a\\nb'");
        assert_eq!(
            quote("x'\\\u{1b}]0;t\u{7}\r\u{202e}$(y)"),
            "$'x\\'\\\\\\x1b]0;t\\x07\\r\\xe2\\x80\\xae$(y)'"
        );
        assert_eq!(flag("name", "a\tb"), "--name=$'a\\tb'");
        assert_eq!(comment_out("x `a\u{1b}b`\ny"), "# x `a\\x1bb`\n# y");
    }
}
