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

/// Which identifiers generate gives API objects (docs/design.md §4.10).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Names {
    /// `F_` + the sanitised name, as Fastly's generator does.
    #[default]
    Vcl,
    /// The sanitised name alone; `F_` kept where the name would start with a digit.
    Api,
}

impl Names {
    /// The VCL identifier of an API name.
    pub fn ident(self, name: &str) -> String {
        let generated = vcl_ident(name);
        match self {
            Names::Vcl => generated,
            Names::Api if starts_with_digit(api_name(&generated)) => generated,
            Names::Api => api_name(&generated).to_owned(),
        }
    }
}

/// An identifier may not start with a digit: a name that would is kept with `F_`.
fn starts_with_digit(ident: &str) -> bool {
    ident.starts_with(|c: char| c.is_ascii_digit())
}

/// The prefixes of the names Fastly's generator declares: a plain name starting with one
/// is taken for the generator's.
pub const GENERATOR_PREFIXES: &[&str] = &["F_", "shield_", "ssl_shield_", "autodirector_"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_names_drop_the_prefix_unless_a_digit_would_lead() {
        assert_eq!(Names::Vcl.ident("a b"), "F_a_b");
        assert_eq!(Names::Api.ident("a b"), "a_b");
        assert_eq!(Names::Api.ident("1st"), "F_1st");
        assert_eq!(Names::Api.ident("é"), "_");
    }
}
