//! The round trip of directors (issue 21): `parse(generate(m)) == m` for a model `m` in the
//! shape the API returns it (every backend with `weight` and `auto_loadbalance`, every
//! director with its type, quorum, retries and members), once the mapping's rules are applied
//! (each stated where [`expected_director`] and [`expected_member_fields`] apply it):
//!
//! - directors come back in input order, after their backends, with the sanitised name;
//! - a member's weight is its backend's `weight`, which comes back on the backend;
//! - the backends in `autodirector_` come back with `auto_loadbalance: true`.

use proptest::prelude::*;
use vcl_backend::diagnostic::Severity;
use vcl_backend::generate::{Options, generate, vcl_ident};
use vcl_backend::lower::parse_config;
use vcl_backend::model::{Backend, Condition, Config, Director, director_type};

mod support;
use support::cases;

/// Names as users write them: letters, digits and what sanitising replaces.
const NAME: &str = "[A-Za-z0-9 ._-]{0,8}";

/// Names made distinct after sanitising: a name whose identifier is taken gets `~<index>`
/// until it is free.
fn distinct(names: &mut [String]) {
    let mut seen = std::collections::HashSet::new();
    for (i, name) in names.iter_mut().enumerate() {
        while !seen.insert(vcl_ident(name)) {
            name.push_str(&format!("~{i}"));
        }
    }
}

/// A backend as the API returns it: `weight` and `auto_loadbalance` always present,
/// `request_condition` `""` (none) or a condition, which takes it out of `autodirector_`.
fn backend() -> impl Strategy<Value = Backend> {
    (
        NAME,
        0i64..=1_000,
        any::<bool>(),
        prop_oneof![4 => Just(String::new()), 1 => Just("is api".to_string())],
    )
        .prop_map(|(name, weight, auto, condition)| Backend {
            name: Some(format!("b{name}")),
            address: Some("origin.example.com".into()),
            port: Some(443),
            use_ssl: Some(true),
            share_key: Some("key".into()),
            weight: Some(weight),
            auto_loadbalance: Some(auto),
            request_condition: Some(condition),
            comment: Some(String::new()),
            ..Backend::default()
        })
}

/// A director as the API returns it; `members` are indices into the backends.
fn director() -> impl Strategy<Value = (Director, Vec<prop::sample::Index>)> {
    (
        NAME,
        prop::sample::select(
            &[
                director_type::RANDOM,
                director_type::HASH,
                director_type::CLIENT,
            ][..],
        ),
        0i64..=100,
        prop_oneof![Just(5i64), 0i64..=1_000],
        prop::collection::vec(any::<prop::sample::Index>(), 0..5),
    )
        .prop_map(|(name, kind, quorum, retries, members)| {
            let director = Director {
                name: Some(format!("dir{name}")),
                kind: Some(kind),
                quorum: Some(quorum),
                retries: Some(retries),
                capacity: Some(100),
                comment: Some(String::new()),
                shield: None,
                ..Director::default()
            };
            (director, members)
        })
}

/// A config of 1..6 backends and 0..4 directors, each listing distinct backends in any order.
fn config() -> impl Strategy<Value = Config> {
    (
        prop::collection::vec(backend(), 1..6),
        prop::collection::vec(director(), 0..4),
    )
        .prop_map(|(mut backends, drawn)| {
            let mut names: Vec<String> = backends.iter().map(|b| b.name.clone().unwrap()).collect();
            distinct(&mut names);
            for (b, name) in backends.iter_mut().zip(names) {
                b.name = Some(name);
            }
            let mut directors: Vec<Director> = Vec::new();
            let mut names: Vec<String> =
                drawn.iter().map(|(d, _)| d.name.clone().unwrap()).collect();
            distinct(&mut names);
            for ((mut d, picks), name) in drawn.into_iter().zip(names) {
                let mut members: Vec<String> = Vec::new();
                for pick in picks {
                    let member = backends[pick.index(backends.len())].name.clone().unwrap();
                    if !members.contains(&member) {
                        members.push(member);
                    }
                }
                d.name = Some(name);
                d.backends = Some(members);
                directors.push(d);
            }
            // The condition backends name (their routing is not part of this round trip).
            let conditions = vec![Condition {
                name: Some("is api".into()),
                statement: Some("req.url.path ~ \"^/api/\"".into()),
                kind: Some("REQUEST".into()),
                ..Condition::default()
            }];
            Config {
                backends,
                directors,
                conditions,
                ..Config::default()
            }
        })
}

/// The API name parse gives back for `name`: its identifier without `F_`.
fn sanitised(name: &str) -> String {
    vcl_ident(name)[2..].to_string()
}

fn non_empty(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.is_empty())
}

/// What parse gives back for an API director: the sanitised name and members, the type and
/// quorum; `retries` only for random (hash and client take no `.retries`); `capacity`,
/// `comment` and `shield` have no VCL form.
fn expected_director(d: &Director) -> Director {
    let random = d.kind == Some(director_type::RANDOM);
    Director {
        name: d.name.as_deref().map(sanitised),
        kind: d.kind,
        quorum: d.quorum,
        retries: d.retries.filter(|_| random),
        backends: d
            .backends
            .as_ref()
            .map(|members| members.iter().map(|m| sanitised(m)).collect()),
        ..Director::default()
    }
}

/// Whether the generator puts `b` in `autodirector_`.
fn auto_loadbalanced(b: &Backend) -> bool {
    b.auto_loadbalance == Some(true) && !non_empty(&b.request_condition)
}

/// The director fields parse gives back on a backend: its `weight` when some director prints
/// it (an API director's member, or `autodirector_`'s), and `auto_loadbalance: true` for
/// `autodirector_`'s members; neither otherwise (the VCL does not carry them).
fn expected_member_fields(b: &Backend, config: &Config) -> (Option<i64>, Option<bool>) {
    let name = b.name.as_deref().unwrap();
    let member = config
        .directors
        .iter()
        .any(|d| d.backends.iter().flatten().any(|m| m == name));
    let auto = auto_loadbalanced(b);
    let weight = b.weight.filter(|_| member || auto);
    (weight, auto.then_some(true))
}

fn generated(config: &Config) -> Result<String, TestCaseError> {
    let out = generate(config, &Options::default());
    let errors: Vec<String> = out
        .findings
        .iter()
        .filter(|f| f.diagnostic.is_error())
        .map(|f| format!("{}: {}", f.diagnostic.code, f.diagnostic.message))
        .collect();
    prop_assert!(errors.is_empty(), "generate failed: {:?}", errors);
    Ok(out.vcl)
}

/// `config` generated, then parsed: the VCL and what parse made of it, without a warning.
fn round_trip(config: &Config) -> Result<(String, Config), TestCaseError> {
    let vcl = generated(config)?;
    let lowered = parse_config(&vcl);
    let problems: Vec<String> = lowered
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    prop_assert!(problems.is_empty(), "{:?}\nVCL:\n{}", problems, vcl);
    Ok((vcl, lowered.config))
}

proptest! {
    #![proptest_config(cases(256))]

    /// The directors come back, in order, after every backend; `autodirector_` is printed
    /// last, exactly when a backend is auto-load-balanced.
    #[test]
    fn parse_of_generate_gives_back_the_directors(config in config()) {
        let (vcl, back) = round_trip(&config)?;
        // A director without members is left out: Fastly's compiler refuses one.
        let expected: Vec<Director> = config
            .directors
            .iter()
            .filter(|d| d.backends.as_ref().is_some_and(|m| !m.is_empty()))
            .map(expected_director)
            .collect();
        prop_assert_eq!(&back.directors, &expected, "VCL:\n{}", vcl);
        prop_assert_eq!(back.backends.len(), config.backends.len(), "VCL:\n{}", vcl);
        let last_backend = vcl.rfind("\nbackend ").unwrap_or(0);
        prop_assert!(vcl.find("director ").is_none_or(|first| first > last_backend));
        let auto = config.backends.iter().any(auto_loadbalanced);
        let autodirector = vcl.find("director autodirector_ random {");
        prop_assert_eq!(autodirector.is_some(), auto, "VCL:\n{}", vcl);
        if let Some(at) = autodirector {
            prop_assert_eq!(vcl[at..].matches("director ").count(), 1, "VCL:\n{}", vcl);
        }
    }

    /// Each backend comes back with the weight its director members print, and
    /// `auto_loadbalance: true` when it is in `autodirector_`.
    #[test]
    fn parse_of_generate_gives_back_the_members_weights(config in config()) {
        let (vcl, back) = round_trip(&config)?;
        for (given, got) in config.backends.iter().zip(&back.backends) {
            prop_assert_eq!(got.name.clone(), given.name.as_deref().map(sanitised));
            prop_assert_eq!(
                (got.weight, got.auto_loadbalance),
                expected_member_fields(given, &config),
                "backend `{}`, VCL:\n{}",
                given.name.as_deref().unwrap(),
                vcl
            );
        }
    }
}
