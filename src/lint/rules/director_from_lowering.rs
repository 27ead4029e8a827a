//! Director rules whose findings come from lowering, which reads every director once
//! (docs/design.md §2.20), reported under lint codes so that they can be configured and
//! allowed like any other rule.

use crate::diagnostic::Severity;
use crate::lint::registry::{Falco, Rule, no_check};

pub static UNKNOWN_DIRECTOR_POLICY: Rule = Rule {
    code: "lint::unknown-director-policy",
    severity: Severity::Error,
    summary: "a director policy Fastly does not have",
    help: "use one of Fastly's policies: `random`, `fallback`, `hash`, `client`, `chash` (the error says the closest)",
    what: "Reports a director whose policy (the word after its name) is not one of Fastly's: `random`, `fallback`, `hash`, `client`, `chash`, and the generator's `shield`. Under `--dialect varnish`, Varnish's policies are the known ones (`round-robin`, `random`, `hash`, `fallback`, `client`, `dns`).",
    why: "An error because Fastly refuses the file: a director with a policy it does not know does not compile, so the upload fails; usually the policy is misspelt (`randon`), or comes from Varnish (`round-robin`, which Fastly no longer has).",
    bad: "director pool randon {\n  { .backend = F_a; .weight = 1; }\n}",
    good: "director pool random {\n  { .backend = F_a; .weight = 1; }\n}",
    falco: Falco::Yes,
    check: no_check,
    from_lowering: &["parse::unknown-policy"],
};

pub static DIRECTOR_PROPERTY_NOT_ALLOWED: Rule = Rule {
    code: "lint::director-property-not-allowed",
    severity: Severity::Error,
    summary: "a director or member property its policy does not take",
    help: "remove the property, or use the policy that takes it",
    what: "Reports a property that the director's policy does not take, on the director itself or on one of its members: `.quorum` on a `fallback` director, `.retries` on a `hash` director, `.id` on a member of a `random` director (only `chash` members have one), `.weight` on a member of a `fallback` director (which takes its members in order). A property no director has at all is `unknown-property`.",
    why: "An error because Fastly refuses the file: each policy takes its own properties (Fastly's director reference lists them per policy), and one it does not take does not compile. It is also a sign of a misunderstanding: a weight on a `fallback` member does not make it share traffic.",
    bad: "director pool fallback {\n  .quorum = 50%;\n  { .backend = F_a; .weight = 2; }\n  { .backend = F_b; .weight = 1; }\n}",
    good: "director pool fallback {\n  { .backend = F_a; }\n  { .backend = F_b; }\n}",
    falco: Falco::Yes,
    check: no_check,
    from_lowering: &["parse::property-not-allowed"],
};

pub static DIRECTOR_MISSING_PROPERTY: Rule = Rule {
    code: "lint::director-missing-property",
    severity: Severity::Error,
    summary: "a director or member without a property its policy requires",
    help: "add the property the error names",
    what: "Reports a member without `.backend`; a member of a `random`, `hash` or `client` director without `.weight`; a member of a `chash` director without `.id`; and a `shield` director without `.shield` (the POP it sends requests to).",
    why: "An error because Fastly refuses the file: its director reference marks these properties as required for the policy, and a director without them does not compile.",
    bad: "director pool random {\n  { .backend = F_a; .weight = 1; }\n  { .backend = F_b; }\n}",
    good: "director pool random {\n  { .backend = F_a; .weight = 1; }\n  { .backend = F_b; .weight = 1; }\n}",
    falco: Falco::Yes,
    check: no_check,
    from_lowering: &["parse::director-missing-property"],
};

pub static EMPTY_DIRECTOR: Rule = Rule {
    code: "lint::empty-director",
    severity: Severity::Error,
    summary: "a director without any member",
    help: "add its members (`{ .backend = NAME; .weight = 1; }`), or remove the director",
    what: "Reports a director with no member `{ .backend = NAME; ... }`. A `shield` director (the generator's, which has none) is not reported, nor a Varnish `dns` director with a `.list`.",
    why: "An error because Fastly refuses the file: a director needs at least one backend to choose from, and one without members does not compile (falco's `director/backend-required`).",
    bad: "director pool random {\n  .quorum = 50%;\n}",
    good: "director pool random {\n  .quorum = 50%;\n  { .backend = F_a; .weight = 1; }\n  { .backend = F_b; .weight = 1; }\n}",
    falco: Falco::Yes,
    check: no_check,
    from_lowering: &["parse::empty-director"],
};

pub static DUPLICATE_DIRECTOR: Rule = Rule {
    code: "lint::duplicate-director",
    severity: Severity::Error,
    summary: "two directors with one name",
    help: "rename one of them, or remove the duplicate",
    what: "Reports a director declared twice in one file. The body of each is still checked.",
    why: "An error because Fastly refuses the file: two declarations of one name do not compile.",
    bad: "director pool random { { .backend = F_a; .weight = 1; } }\ndirector pool random { { .backend = F_b; .weight = 1; } }",
    good: "director pool_a random { { .backend = F_a; .weight = 1; } }\ndirector pool_b random { { .backend = F_b; .weight = 1; } }",
    falco: Falco::Yes,
    check: no_check,
    from_lowering: &["parse::duplicate-director"],
};

pub static DIRECTOR_NAME_TAKEN: Rule = Rule {
    code: "lint::director-name-taken",
    severity: Severity::Error,
    summary: "a director with the name of a backend",
    help: "rename the director (or the backend) and the references to it",
    what: "Reports a director that has the name of a backend declared in the file.",
    why: "An error because Fastly refuses the file: a director stands where a backend does (`set req.backend = NAME;`, a director member), so a director and a backend of one name are two declarations of one name, which do not compile; and no reader could tell which one a reference means.",
    bad: "backend origin { .host = \"example.com\"; }\ndirector origin random {\n  { .backend = F_a; .weight = 1; }\n}",
    good: "backend origin { .host = \"example.com\"; }\ndirector origin_pool random {\n  { .backend = origin; .weight = 1; }\n}",
    falco: Falco::No,
    check: no_check,
    from_lowering: &["parse::director-name-taken"],
};

pub static DUPLICATE_DIRECTOR_MEMBER: Rule = Rule {
    code: "lint::duplicate-director-member",
    severity: Severity::Warning,
    summary: "one backend listed twice in a director",
    help: "list it once (to give it more traffic, raise its `.weight`)",
    what: "Reports a backend (or director) that is a member of one director more than once.",
    why: "Listed twice, a backend is chosen more often than its weight says (its weights add up), or a `fallback` director tries it again after it failed; it is usually a copy-and-paste mistake where another backend was meant. The director works, so this is a warning.",
    bad: "director pool random {\n  { .backend = F_a; .weight = 1; }\n  { .backend = F_a; .weight = 1; }\n}",
    good: "director pool random {\n  { .backend = F_a; .weight = 1; }\n  { .backend = F_b; .weight = 1; }\n}",
    falco: Falco::No,
    check: no_check,
    from_lowering: &["parse::duplicate-member"],
};

pub static DIRECTOR_CYCLE: Rule = Rule {
    code: "lint::director-cycle",
    severity: Severity::Error,
    summary: "directors that contain each other",
    help: "make one director of the cycle list backends (or other directors) only",
    what: "Reports directors that are members of each other in a cycle: a director among its own members, or `a` in `b` and `b` in `a`, through any number of directors.",
    why: "An error because the declaration is certainly broken: a director chooses among its members, and a member that leads back to the director itself never ends at a backend, so no request through it can be sent.",
    bad: "director a fallback {\n  { .backend = b; }\n  { .backend = F_x; }\n}\ndirector b fallback {\n  { .backend = a; }\n}",
    good: "director a fallback {\n  { .backend = b; }\n  { .backend = F_x; }\n}\ndirector b fallback {\n  { .backend = F_y; }\n}",
    falco: Falco::No,
    check: no_check,
    from_lowering: &["parse::director-cycle"],
};

pub static QUORUM_OUT_OF_RANGE: Rule = Rule {
    code: "lint::quorum-out-of-range",
    severity: Severity::Error,
    summary: "a director `.quorum` outside 0-100%",
    help: "write a percentage from `0%` to `100%`",
    what: "Reports a director `.quorum` below 0% or above 100%.",
    why: "An error because the value is certainly broken: the quorum is a share of the members' total weight, and no share is below 0% or above 100%; above 100%, no set of healthy members ever reaches it and the director is never healthy.",
    bad: "director pool random {\n  .quorum = 150%;\n  { .backend = F_a; .weight = 1; }\n  { .backend = F_b; .weight = 1; }\n}",
    good: "director pool random {\n  .quorum = 50%;\n  { .backend = F_a; .weight = 1; }\n  { .backend = F_b; .weight = 1; }\n}",
    falco: Falco::No,
    check: no_check,
    from_lowering: &["parse::quorum-out-of-range"],
};
