//! Backend names across the two forms: the API's name and the VCL identifier Fastly's
//! generator makes of it (docs/design.md §2.2).

/// The VCL identifier of an API backend name: `F_` + every character that is not an ASCII
/// letter or digit replaced by `_` (no collapsing).
pub fn vcl_ident(name: &str) -> String {
    let mut ident = String::with_capacity(name.len() + 2);
    ident.push_str("F_");
    ident.extend(
        name.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
    );
    ident
}

/// The API name of a VCL identifier: one leading `F_` removed (docs/design.md §2.2).
pub fn api_name(ident: &str) -> &str {
    match ident.strip_prefix("F_") {
        Some(rest) if !rest.is_empty() => rest,
        _ => ident,
    }
}
