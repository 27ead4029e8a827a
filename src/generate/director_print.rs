//! The director block, laid out as Fastly's generator writes its random directors
//! (docs/design.md §4.7): the opening line, a blank line, properties at 3 spaces, members
//! opened by `   {` and joined by `   }{`, member properties at 4 spaces (`.weight  =`, two
//! spaces), the last member closed by `   }`, then `}` at column 0.

use crate::decimal::Decimal;
use crate::model::director_defaults;
use crate::model::names::Names;
use crate::model::{Backend, director_type};

/// A director's policy: the API's types, each with its VCL keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Random,
    Hash,
    Client,
}

impl Policy {
    /// The policy of an API director type, `None` for a type the API has no director for.
    pub fn of_type(kind: i64) -> Option<Policy> {
        match kind {
            director_type::RANDOM => Some(Policy::Random),
            director_type::HASH => Some(Policy::Hash),
            director_type::CLIENT => Some(Policy::Client),
            _ => None,
        }
    }

    pub fn keyword(self) -> &'static str {
        match self {
            Policy::Random => "random",
            Policy::Hash => "hash",
            Policy::Client => "client",
        }
    }

    /// Only random directors take `.retries` (hash and client take `.quorum` alone).
    pub fn takes_retries(self) -> bool {
        self == Policy::Random
    }
}

/// A director's own property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectorProperty {
    Quorum,
    Retries,
}

/// The order the director's own properties are printed in: not observed for API directors
/// (the generator's shield directors print `.retries` alone), chosen here, the one place a
/// real sample corrects (docs/design.md §4.7).
pub const PROPERTY_ORDER: [DirectorProperty; 2] =
    [DirectorProperty::Quorum, DirectorProperty::Retries];

/// What the block needs besides the backends: each value already checked and defaulted.
pub struct DirectorInput<'a> {
    pub ident: &'a str,
    pub policy: Policy,
    /// Percent; `None` prints no `.quorum` line (the generator's `autodirector_`).
    pub quorum: Option<i64>,
    /// `None` prints no `.retries` line.
    pub retries: Option<i64>,
    /// The members, as indices into the backends, in order.
    pub members: &'a [usize],
}

/// Writes one `director` block; members refer to their backends' identifiers and weigh their
/// backends' `weight` (the API's default when absent).
pub fn director_block(out: &mut String, d: &DirectorInput<'_>, backends: &[Backend], names: Names) {
    out.push_str("director ");
    out.push_str(d.ident);
    out.push(' ');
    out.push_str(d.policy.keyword());
    out.push_str(" {\n\n");
    for property in PROPERTY_ORDER {
        match property {
            DirectorProperty::Quorum => {
                if let Some(quorum) = d.quorum {
                    out.push_str("   .quorum = ");
                    Decimal::new(quorum).push_to(out);
                    out.push_str("%;\n");
                }
            }
            DirectorProperty::Retries => {
                if let Some(retries) = d.retries {
                    out.push_str("   .retries = ");
                    Decimal::new(retries).push_to(out);
                    out.push_str(";\n");
                }
            }
        }
    }
    let mut opener = "   {\n";
    for backend in d.members.iter().filter_map(|&i| backends.get(i)) {
        out.push_str(opener);
        opener = "   }{\n";
        out.push_str("    .backend = ");
        out.push_str(&names.ident(backend.name.as_deref().unwrap_or("")));
        out.push_str(";\n    .weight  = ");
        Decimal::new(backend.weight.unwrap_or(director_defaults::WEIGHT)).push_to(out);
        out.push_str(";\n");
    }
    if !d.members.is_empty() {
        out.push_str("   }\n");
    }
    out.push_str("}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend(name: &str, weight: Option<i64>) -> Backend {
        Backend {
            name: Some(name.into()),
            weight,
            ..Backend::default()
        }
    }

    #[test]
    fn a_random_director_is_laid_out_as_the_generator_does() {
        let backends = [backend("a", None), backend("b-1", Some(40))];
        let mut out = String::new();
        let input = DirectorInput {
            ident: "F_pool",
            policy: Policy::Random,
            quorum: Some(75),
            retries: Some(5),
            members: &[0, 1],
        };
        director_block(&mut out, &input, &backends, Names::Vcl);
        assert_eq!(
            out,
            "director F_pool random {\n\n   .quorum = 75%;\n   .retries = 5;\n   {\n    .backend = F_a;\n    .weight  = 100;\n   }{\n    .backend = F_b_1;\n    .weight  = 40;\n   }\n}\n"
        );
    }

    #[test]
    fn a_director_without_members_or_properties_is_closed_at_once() {
        let mut out = String::new();
        let input = DirectorInput {
            ident: "F_empty",
            policy: Policy::Hash,
            quorum: None,
            retries: None,
            members: &[],
        };
        director_block(&mut out, &input, &[], Names::Vcl);
        assert_eq!(out, "director F_empty hash {\n\n}\n");
    }
}
