//! Shell quoting for the scripts: every value is one single-quoted word, so nothing in it is
//! ever expanded or executed (`$()`, backticks, newlines, a leading `-`).

/// `'value'`, with each `'` written as `'\''`.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    push_quoted(&mut out, value);
    out
}

/// [`quote`], appended to `out`.
fn push_quoted(out: &mut String, value: &str) {
    out.push('\'');
    for (i, piece) in value.split('\'').enumerate() {
        if i > 0 {
            out.push_str("'\\''");
        }
        out.push_str(piece);
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

/// A line of a script written as a comment, every line of it (a value may hold newlines).
pub fn comment_out(command: &str) -> String {
    command
        .lines()
        .map(|l| format!("# {l}"))
        .collect::<Vec<_>>()
        .join("\n")
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
}
