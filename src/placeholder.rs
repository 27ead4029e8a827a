//! Template placeholders in values: `${host}`, `{{ host }}`, `<%= @host %>`, `__HOST__`,
//! `YOUR_SERVICE_ID`. A file holding them was never filled in (docs/design.md §5.4, §6.4):
//! lint says so once instead of speaking of the values, migrate carries them literally and
//! warns. One recognition for both, strict enough that no real host name or key matches.

/// The first placeholder in `text`, if it holds one.
pub fn find(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    // Every form has one of these bytes: most values have none, and are done here.
    if memchr::memchr3(b'$', b'{', b'_', b).is_none() && memchr::memchr(b'<', b).is_none() {
        return None;
    }
    delimited(text, "${", "}", |inner| {
        inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
    })
    .or_else(|| delimited(text, "{{", "}}", |inner| !inner.trim().is_empty()))
    .or_else(|| delimited(text, "<%", "%>", |inner| !inner.trim().is_empty()))
    .or_else(|| dunder(text))
    .or_else(|| your(text))
}

/// `open` ... `close` on one line, with an inside `ok` accepts.
fn delimited<'t>(
    text: &'t str,
    open: &str,
    close: &str,
    ok: impl Fn(&str) -> bool,
) -> Option<&'t str> {
    let mut from = 0;
    while let Some(at) = text[from..].find(open).map(|i| i + from) {
        let inside = at + open.len();
        let end = text[inside..].find(close)? + inside;
        let inner = &text[inside..end];
        if !inner.contains('\n') && ok(inner) {
            return Some(&text[at..end + close.len()]);
        }
        from = inside;
    }
    None
}

/// `__NAME__`: capitals, digits and single `_` between double underscores, a capital first.
fn dunder(text: &str) -> Option<&str> {
    text.match_indices("__").find_map(|(at, _)| {
        let inner = &text[at + 2..];
        let name = &inner[..inner.find("__")?];
        let word = |c: u8| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_';
        (name.starts_with(|c: char| c.is_ascii_uppercase())
            && name.bytes().all(word)
            && !name.ends_with('_'))
        .then(|| &text[at..at + 2 + name.len() + 2])
    })
}

/// `YOUR_` then capitals or digits, not inside a longer word.
fn your(text: &str) -> Option<&str> {
    text.match_indices("YOUR_").find_map(|(at, _)| {
        let before = text[..at].chars().next_back();
        let len = text[at..]
            .bytes()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
            .count();
        let after = text[at + 5..].chars().next();
        (!before.is_some_and(|c| c.is_ascii_alphanumeric())
            && after.is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        .then(|| &text[at..at + len])
    })
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn placeholders_are_recognised_and_found_whole() {
        for (text, placeholder) in [
            ("${host}", "${host}"),
            ("${var.origin_host}", "${var.origin_host}"),
            ("origin-${ENV}.example.com", "${ENV}"),
            ("{{ host }}", "{{ host }}"),
            ("{{.Host}}", "{{.Host}}"),
            ("<%= @origin %>", "<%= @origin %>"),
            ("__HOST__", "__HOST__"),
            ("__ORIGIN_HOST__", "__ORIGIN_HOST__"),
            ("api.__DOMAIN__", "__DOMAIN__"),
            ("Host: __ORIGIN_HOST__Connection: close", "__ORIGIN_HOST__"),
            ("YOUR_SERVICE_ID", "YOUR_SERVICE_ID"),
            ("YOUR_BUCKET.s3.amazonaws.com", "YOUR_BUCKET"),
            ("{{ port | default('443') }}", "{{ port | default('443') }}"),
        ] {
            assert_eq!(find(text), Some(placeholder), "{text}");
        }
    }

    #[test]
    fn real_values_are_not_placeholders() {
        for text in [
            "origin.example.com",
            "my_bucket.s3.amazonaws.com",
            "443",
            "SU1Z0isxPaozGVKXdv0eY",
            "HEAD /health HTTP/1.1",
            "Host: example.com",
            "$5 deal",
            "{}",
            "{{}}",
            "__init__",
            "__",
            "____",
            "a__B_",
            "x__HOST_",
            "BEYOUR_THING",
            "YOUR_",
            "your_service_id",
            "ECDHE-RSA-AES128-GCM-SHA256:!RC4",
            "<html>",
            "-----BEGIN CERTIFICATE-----\nMIIB{{\n}}",
            "my_host.example",
            "a__b",
            "__lower__",
            "{x}",
        ] {
            assert_eq!(find(text), None, "{text}");
        }
    }
}
