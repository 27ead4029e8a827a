//! A condition's statement checked to be one VCL expression before it is written inside
//! `if( ... )` (docs/design.md §4.8): nothing in it can close the `if` or comment out the rest.

/// `Err` says what makes the statement more than one expression: brackets that do not
/// balance, a `;`, a brace or a comment outside a string, or a string left open; or what
/// would act on a terminal showing it (a control or bidirectional character but a line
/// break or a tab).
pub fn check_statement(statement: &str) -> Result<(), &'static str> {
    if statement
        .chars()
        .any(|c| c != '\n' && c != '\t' && crate::controls::is_hidden(c))
    {
        return Err("holds a control or bidirectional character");
    }
    let bytes = statement.as_bytes();
    let mut depth: usize = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => match statement[i + 1..].find('"') {
                Some(end) => i += end + 1,
                None => return Err("has a string left open"),
            },
            b'{' => {
                // A long string: `{"..."}` or `{X"..."X}`.
                let delimiter_end = statement[i + 1..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map(|n| i + 1 + n);
                let Some(quote) = delimiter_end.filter(|&q| bytes[q] == b'"') else {
                    return Err("has a brace outside a string");
                };
                let closing = format!("\"{}}}", &statement[i + 1..quote]);
                match statement[quote + 1..].find(&closing) {
                    Some(end) => i = quote + 1 + end + closing.len() - 1,
                    None => return Err("has a string left open"),
                }
            }
            b'(' => depth += 1,
            b')' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or("closes a bracket it did not open")?;
            }
            b'}' => return Err("has a brace outside a string"),
            b';' => return Err("has a `;` outside a string"),
            b'#' => return Err("has a comment"),
            b'/' if matches!(bytes.get(i + 1), Some(b'/' | b'*')) => {
                return Err("has a comment");
            }
            b'\0' => return Err("holds a NUL"),
            _ => {}
        }
        i += 1;
    }
    if depth > 0 {
        return Err("leaves a bracket open");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_statement;

    #[test]
    fn expressions_pass() {
        for ok in [
            r#"req.url.path ~ "^/services/""#,
            r#"(req.http.host == "a;b}" || req.url ~ {"x"y"}) && !req.http.X"#,
            r#"req.url ~ {ab"x"}"ab}"#,
            "req.url ~ \"/a\" &&\n  req.url.ext != \"json\"",
        ] {
            assert_eq!(check_statement(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn anything_that_escapes_the_if_is_refused() {
        for bad in [
            "true) { set req.backend = F_x; } if (true",
            "true ) {",
            "(true",
            "req.url ~ \"open",
            "true; esi",
            "true # ) {",
            "true // x",
            "true /* x */",
            "req.url ~ {\"open",
            "}",
            "true\u{1b}[2J",
            "req.url ~ \"\u{202e}x\"",
            "true\r",
        ] {
            assert!(check_statement(bad).is_err(), "{bad}");
        }
    }
}
