//! Rules whose findings come from lowering (the value checks `parse` makes too), reported
//! under lint codes so that they can be configured and allowed like any other rule.

use crate::diagnostic::Severity;
use crate::lint::registry::{Falco, Rule, no_check};

pub static UNKNOWN_PROPERTY: Rule = Rule {
    code: "lint::unknown-property",
    severity: Severity::Error,
    summary: "a backend or probe property Fastly does not know",
    help: "check the spelling; the error says the closest known property",
    what: "Reports properties that are not among the backend properties Fastly accepts (including ones its generator emits that falco does not know, such as `.saintmode_threshold`), not among the probe properties, or not among the properties of a director (`.qorum`) or of a director member, with the closest known one. A director property that exists but that the director's policy does not take is `director-property-not-allowed`.",
    why: "An error because Fastly refuses the file: its compiler rejects an unknown property, so the upload fails.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .conect_timeout = 1s;\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .connect_timeout = 1s;\n}",
    falco: Falco::Yes,
    check: no_check,
    from_lowering: &["parse::unknown-property", "parse::varnish-property"],
};

pub static WRONG_TYPE: Rule = Rule {
    code: "lint::wrong-type",
    severity: Severity::Error,
    summary: "a property value of the wrong type",
    help: "write the value with the property's type",
    what: "Reports values whose type is not the property's: `.port` takes a string, `.ssl` a boolean, timeouts an RTIME with a unit; in a director, `.quorum` a percentage (`.quorum = 50;` without `%` is not one), `.retries` and a member's `.weight` an integer (`.retries = \"3\"` is a string), `.backend` a name.",
    why: "An error because Fastly refuses the file: its compiler checks each property's type, and `.connect_timeout = 5;` is not five seconds, it does not compile.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .port = 443;\n  .connect_timeout = 5;\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .port = \"443\";\n  .connect_timeout = 5s;\n}",
    falco: Falco::Yes,
    check: no_check,
    from_lowering: &["parse::wrong-type"],
};

pub static OBJECT_VALUE: Rule = Rule {
    code: "lint::object-value",
    severity: Severity::Error,
    summary: "an object value on a key other than `.probe`",
    help: "only `.probe` takes `{ ... }`",
    what: "Reports `{ ... }` objects given to any property but `.probe`, and objects nested inside a probe.",
    why: "An error because Fastly refuses the file: only the probe is an object in a backend declaration, and anything else does not compile.",
    bad: "backend origin {\n  .host = { .name = \"example.com\"; }\n}",
    good: "backend origin {\n  .host = \"example.com\";\n}",
    falco: Falco::Yes,
    check: no_check,
    from_lowering: &["parse::object-value"],
};

pub static OUT_OF_RANGE: Rule = Rule {
    code: "lint::out-of-range",
    severity: Severity::Error,
    summary: "a value outside its range",
    help: "ports are 1-65535; counts and durations are 0 or more",
    what: "Reports ports outside 1-65535, negative numbers and durations (a director's negative `.retries` or a member's negative `.weight` too), and numbers too large to hold. A director `.quorum` outside 0-100% is `quorum-out-of-range`.",
    why: "An error because the value is certainly broken: no port outside 1-65535 exists, a negative count or duration means nothing, and a number too large to hold cannot be what was meant. Such a backend cannot connect, or Fastly rejects the value.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .port = \"70000\";\n  .max_connections = -5;\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .port = \"8443\";\n  .max_connections = 200;\n}",
    falco: Falco::No,
    check: no_check,
    from_lowering: &["parse::out-of-range"],
};

pub static INVALID_VALUE: Rule = Rule {
    code: "lint::invalid-value",
    severity: Severity::Error,
    summary: "a value of the right type that means nothing",
    help: "write the port as a quoted number, e.g. `.port = \"443\";`",
    what: "Reports string values that cannot be what the property needs, such as a port that is not a number.",
    why: "An error because the value is certainly broken: a backend on port `\"http\"` has no port to connect to.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .port = \"http\";\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .port = \"80\";\n}",
    falco: Falco::No,
    check: no_check,
    from_lowering: &["parse::invalid-value"],
};

pub static INVALID_SSL_CHECK_CERT: Rule = Rule {
    code: "lint::invalid-ssl-check-cert",
    severity: Severity::Error,
    summary: "`.ssl_check_cert` that is not `always` or `never`",
    help: "write `.ssl_check_cert = always;` (or `never`, which is unsafe)",
    what: "Reports `.ssl_check_cert` values other than the keywords `always` and `never`.",
    why: "An error because Fastly refuses the file: it accepts only these two keywords, and `true` or `\"always\"` does not compile.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .ssl = true;\n  .ssl_check_cert = true;\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .ssl = true;\n  .ssl_check_cert = always;\n}",
    falco: Falco::Partly,
    check: no_check,
    from_lowering: &["parse::invalid-keyword"],
};

pub static DUPLICATE_PROPERTY: Rule = Rule {
    code: "lint::duplicate-property",
    severity: Severity::Error,
    summary: "a property set twice in one declaration",
    help: "keep one of them",
    what: "Reports a property set more than once in a backend, a probe, a director or a director member.",
    why: "An error because the declaration is certainly broken: only one of the values can take effect, and which one the writer meant is unclear. Varnish's VCL compiler, which Fastly's derives from, refuses a property set twice (\"redefined\"); Fastly documents nothing else.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .host = \"www.example.com\";\n}",
    good: "backend origin {\n  .host = \"www.example.com\";\n}",
    falco: Falco::No,
    check: no_check,
    from_lowering: &["parse::duplicate-property"],
};

pub static DUPLICATE_BACKEND: Rule = Rule {
    code: "lint::duplicate-backend",
    severity: Severity::Error,
    summary: "two backends (or probes) with one name",
    help: "rename one of them, or remove the duplicate",
    what: "Reports a backend or named probe declared twice in one file.",
    why: "An error because Fastly refuses the file: two declarations of one name do not compile.",
    bad: "backend origin { .host = \"a.example.com\"; }\nbackend origin { .host = \"b.example.com\"; }",
    good: "backend origin_a { .host = \"a.example.com\"; }\nbackend origin_b { .host = \"b.example.com\"; }",
    falco: Falco::Yes,
    check: no_check,
    from_lowering: &["parse::duplicate-backend", "parse::duplicate-probe"],
};

pub static MISSING_HOST: Rule = Rule {
    code: "lint::missing-host",
    severity: Severity::Error,
    summary: "a backend without `.host`",
    help: "add the origin's address: `.host = \"origin.example.com\";`",
    what: "Reports backends with no `.host`.",
    why: "An error because the backend is certainly broken: without an address it cannot be connected to (Varnish's compiler, which Fastly's derives from, refuses a backend without `.host`).",
    bad: "backend origin {\n  .port = \"443\";\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .port = \"443\";\n}",
    falco: Falco::No,
    check: no_check,
    from_lowering: &["parse::missing-host"],
};

pub static UNDEFINED_PROBE: Rule = Rule {
    code: "lint::undefined-probe",
    severity: Severity::Error,
    summary: "`.probe = NAME;` with no `probe NAME` declared",
    help: "declare the probe, or write it inline",
    what: "Reports backends that name a probe (Varnish's `probe NAME { ... }`) that the file does not declare.",
    why: "An error because Fastly refuses the file: a probe name that names nothing does not compile.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .probe = health;\n}",
    good: "probe health { .url = \"/health\"; }\nbackend origin {\n  .host = \"example.com\";\n  .probe = health;\n}",
    falco: Falco::No,
    check: no_check,
    from_lowering: &["parse::undefined-probe"],
};

pub static API_INCOMPATIBLE: Rule = Rule {
    code: "lint::api-incompatible",
    severity: Severity::Info,
    summary: "a value the Fastly API cannot hold: the backend cannot be migrated as it is",
    help: "keep this backend in VCL, or change the value before `vcl-backend migrate`",
    what: "Reports what VCL allows but an API backend cannot express: durations that are not whole milliseconds (whole seconds for `.keepalive_time`), probes with no healthcheck form (a request that is not a request line, an interval beyond 32-bit milliseconds), VCL-only properties (`.is_shield`, `.bypass_local_route_table`), backends with no network address (a Varnish Unix socket, `backend NAME none;`), and two backends that would be one under the API (`origin` and `F_origin`, or Varnish's `web-1` and `web_1`).",
    why: "Fastly recommends API backends (validation, shielding); these backends cannot move as they are.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .connect_timeout = 1.0005s;\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .connect_timeout = 1s;\n}",
    falco: Falco::No,
    check: super::api_incompatible::check,
    from_lowering: &[
        "parse::inexact-duration",
        "parse::unrepresentable-probe",
        "parse::api-name-clash",
        "parse::unix-socket-backend",
        "parse::none-backend",
    ],
};

pub static DUMMY_PROBE_WITH_SETTINGS: Rule = Rule {
    code: "lint::dummy-probe-with-settings",
    severity: Severity::Warning,
    summary: "a `.dummy = true` probe with settings that are never used",
    help: "set `.dummy = false;` (or remove it) if the probe was meant to be sent; otherwise remove its settings",
    what: "Reports probes with `.dummy = true` that set anything besides Fastly's own default dummy probe (the one its generator writes: `.initial = 5`, `.threshold = 1`, `.timeout = 2s`, `.window = 5` and a `HEAD /` request). `.dummy = true;` alone is not reported.",
    why: "Fastly never sends a dummy probe: it only resolves the backend's name. A request line, an interval or a threshold beside `.dummy = true` looks like a health check and is none: the backend is always healthy, whatever the origin answers.",
    bad: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .dummy = true;\n    .request = \"GET /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .interval = 10s;\n  }\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .probe = {\n    .request = \"GET /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\";\n    .interval = 10s;\n    .threshold = 3;\n    .initial = 3;\n  }\n}",
    falco: Falco::No,
    check: no_check,
    from_lowering: &["parse::dummy-probe"],
};

pub static PORT_IN_HOST: Rule = Rule {
    code: "lint::port-in-host",
    severity: Severity::Warning,
    summary: "a port written inside `.host`",
    help: "write the host alone and the port in `.port`, e.g. `.host = \"example.com\"; .port = \"8080\";`",
    what: "Reports `.host` values that end in a port (`\"example.com:8080\"`, `\"[2001:db8::1]:8080\"`) in Fastly VCL. Varnish reads a port there, so under `--dialect varnish` the port is simply carried to the API's `port`.",
    why: "Fastly's `.host` is a host name or an IP address and its port is `.port`; written together, the name is not one the resolver can look up, and the API's `address` cannot hold it either.",
    bad: "backend origin {\n  .host = \"example.com:8080\";\n}",
    good: "backend origin {\n  .host = \"example.com\";\n  .port = \"8080\";\n}",
    falco: Falco::No,
    check: no_check,
    from_lowering: &["parse::port-in-host"],
};
