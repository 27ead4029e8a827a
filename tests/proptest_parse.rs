//! Property tests of `parse`: no input makes the parser panic or report a span outside the
//! text, and every backend declaration a small printer writes (with random escapes, long
//! strings, comments, white space and property order) lowers to exactly the API fields it
//! was generated from (docs/design.md §2).

use proptest::prelude::*;
use vcl_backend::diagnostic::{Diagnostic, Severity, invalid_utf8};
use vcl_backend::lower::parse_config;
use vcl_backend::model::{Backend, Healthcheck};
use vcl_backend::source::SourceFile;

mod support;
use support::cases;

// ---------------------------------------------------------------------------------------------
// Checks shared by the robustness properties
// ---------------------------------------------------------------------------------------------

/// Every label of every diagnostic lies within `text`, on character boundaries.
fn check_spans(text: &str, diagnostics: &[Diagnostic]) -> Result<(), TestCaseError> {
    for d in diagnostics {
        for label in &d.labels {
            let span = label.span;
            prop_assert!(
                span.start <= span.end && span.end <= text.len(),
                "{} has span {:?} outside a text of {} bytes\ntext: {:?}",
                d.code,
                span,
                text.len(),
                text
            );
            prop_assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "{} has span {:?} off a char boundary\ntext: {:?}",
                d.code,
                span,
                text
            );
        }
    }
    Ok(())
}

/// Parses `text` and checks every diagnostic's spans.
fn parse_checked(text: &str) -> Result<(), TestCaseError> {
    let lowered = parse_config(text);
    check_spans(text, &lowered.diagnostics)?;
    prop_assert_eq!(lowered.sources.len(), lowered.config.backends.len());
    Ok(())
}

/// Tokens that steer a fuzzer into the parser's deep states: declarations, properties, every
/// kind of string and comment (closed or not), escapes, numbers and units.
const ALPHABET: &[&str] = &[
    "backend",
    "probe",
    "sub",
    "acl",
    "director",
    "C!",
    "W!",
    "F_a",
    "b",
    "{",
    "}",
    "\"",
    "{\"",
    "\"}",
    "{X\"",
    "\"X}",
    ";",
    ".host",
    ".port",
    ".probe",
    ".request",
    ".ssl_check_cert",
    ".first_byte_timeout",
    ".max_connections",
    ".dummy",
    ".url",
    ".window",
    ".interval",
    ".",
    "=",
    "/*",
    "*/",
    "#",
    "//",
    "/",
    "\n",
    "\r",
    "\t",
    " ",
    "  ",
    "%",
    "%u{",
    "%u",
    "%2",
    "%25",
    "%0a",
    "%00",
    "%ff",
    "%u{110000}",
    "%uD800",
    "0",
    "1",
    "9",
    "65535",
    "65536",
    "-",
    "1.5",
    "ms",
    "s",
    "m",
    "x",
    "sec",
    "true",
    "false",
    "always",
    "never",
    "GET / HTTP/1.1",
    "Host: h",
    "é",
    "😀",
    "\u{feff}",
    "\u{85}",
];

fn alphabet_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..80).prop_map(|t| t.concat())
}

// ---------------------------------------------------------------------------------------------
// What a generated backend says
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct BackendSpec {
    ident: String,
    host: String,
    port: Option<u16>,
    connect_timeout: Option<u64>,
    first_byte_timeout: Option<u64>,
    between_bytes_timeout: Option<u64>,
    fetch_timeout: Option<u64>,
    /// Seconds.
    keepalive_time: Option<u64>,
    max_conn: Option<u32>,
    ssl: Option<bool>,
    ssl_check_cert: Option<bool>,
    ssl_cert_hostname: Option<String>,
    share_key: Option<String>,
    override_host: Option<String>,
    /// `.always_use_host_header` with `.host_header` (VCL-only, implied by it).
    always_use_host_header: Option<bool>,
    /// `.dynamic` (VCL-only).
    dynamic: Option<bool>,
    probe: Option<ProbeSpec>,
}

#[derive(Debug, Clone, PartialEq)]
struct ProbeSpec {
    request: Option<Request>,
    interval: Option<u64>,
    timeout: Option<u64>,
    window: Option<u32>,
    threshold: Option<u32>,
    initial: Option<u32>,
    expected_response: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
enum Request {
    /// `.request = "METHOD PATH HTTP/VERSION" "Host: h" ["Connection: close"] [UA] headers...`
    Lines {
        method: String,
        path: String,
        version: String,
        host: Option<String>,
        /// Add the lines Fastly implies (`Connection: close`, its User-Agent), in this case.
        implied: Option<bool>,
        headers: Vec<String>,
    },
    /// `.url = "/path"`
    Url(String),
}

/// Any string without NUL (which no VCL string can hold), biased to the troublesome
/// characters: `"`, `%`, `}`, control characters and non-ASCII.
fn any_value() -> impl Strategy<Value = String> {
    let no_nul = any::<char>().prop_filter("NUL", |&c| c != '\0');
    prop_oneof![
        3 => "[a-z0-9.-]{1,24}",
        2 => "[a-zA-Z0-9 \"%{}#;/*é😀\u{85}\t\r\n-]{0,16}",
        2 => prop::collection::vec(no_nul, 0..16).prop_map(String::from_iter),
    ]
}

fn ident() -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z_][A-Za-z0-9_]{0,20}", "F_[A-Za-z0-9_]{0,12}",]
}

fn millis() -> impl Strategy<Value = u64> {
    prop_oneof![
        0..=2_000u64,
        (0..=3_600u64).prop_map(|s| s * 1_000),
        (0..=48u64).prop_map(|h| h * 3_600_000),
        0..=100_000_000u64,
    ]
}

fn header() -> impl Strategy<Value = String> {
    ("[A-Za-z][A-Za-z0-9-]{0,15}", "[ -~]{0,20}")
        .prop_filter("implied or Host headers are not custom", |(name, _)| {
            !["host", "connection", "user-agent"].contains(&name.to_ascii_lowercase().as_str())
        })
        .prop_map(|(name, value)| format!("{name}: {value}"))
}

fn request() -> impl Strategy<Value = Request> {
    let lines = (
        prop_oneof!["GET", "HEAD", "POST", "[A-Z]{1,8}"],
        "/[!-~é]{0,20}",
        prop_oneof!["1\\.[01]", "2"],
        proptest::option::of("[a-zA-Z0-9.:%\"é_-]{1,20}"),
        proptest::option::of(any::<bool>()),
        prop::collection::vec(header(), 0..4),
    )
        .prop_map(
            |(method, path, version, host, implied, headers)| Request::Lines {
                method,
                path,
                version,
                host,
                implied,
                headers,
            },
        );
    prop_oneof![4 => lines, 1 => "/[!-~é]{0,20}".prop_map(Request::Url)]
}

fn probe() -> impl Strategy<Value = ProbeSpec> {
    (
        proptest::option::of(request()),
        proptest::option::of(millis()),
        proptest::option::of(millis()),
        proptest::option::of(0..=100u32),
        proptest::option::of(0..=100u32),
        proptest::option::of(0..=100u32),
        proptest::option::of(100..=599u32),
    )
        .prop_map(
            |(request, interval, timeout, window, threshold, initial, expected_response)| {
                ProbeSpec {
                    request,
                    interval,
                    timeout,
                    window,
                    threshold,
                    initial,
                    expected_response,
                }
            },
        )
}

/// A host that is not `name:port`: under Varnish (the printer may write `vcl 4.1;`), a port
/// in `.host` moves to `port`, which `lower::host_port`'s own tests check.
fn host() -> impl Strategy<Value = String> {
    any_value().prop_filter("a port in .host", |h| {
        let after = h.rsplit(':').next().unwrap_or("");
        !h.contains(':')
            || !(after.bytes().all(|b| b.is_ascii_digit())
                || matches!(after, "http" | "www" | "https" | "http-alt" | "webcache"))
    })
}

fn backend() -> impl Strategy<Value = BackendSpec> {
    let general = (
        ident(),
        host(),
        proptest::option::of(1..=65535u16),
        proptest::option::of(millis()),
        proptest::option::of(millis()),
        proptest::option::of(millis()),
        proptest::option::of(millis()),
        proptest::option::of(0..=100_000u64),
        proptest::option::of(0..=100_000u32),
    );
    let tls_and_rest = (
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any_value()),
        proptest::option::of(any_value()),
        proptest::option::of(any_value()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(probe()),
    );
    (general, tls_and_rest).prop_map(|(g, t)| BackendSpec {
        ident: g.0,
        host: g.1,
        port: g.2,
        connect_timeout: g.3,
        first_byte_timeout: g.4,
        between_bytes_timeout: g.5,
        fetch_timeout: g.6,
        keepalive_time: g.7,
        max_conn: g.8,
        ssl: t.0,
        ssl_check_cert: t.1,
        ssl_cert_hostname: t.2,
        share_key: t.3,
        override_host: t.4,
        always_use_host_header: t.5,
        dynamic: t.6,
        probe: t.7,
    })
}

// ---------------------------------------------------------------------------------------------
// The API model the spec must lower to
// ---------------------------------------------------------------------------------------------

/// docs/design.md §2.2: the API name is the identifier with one leading `F_` removed.
fn api_name(ident: &str) -> String {
    match ident.strip_prefix("F_") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => ident.to_string(),
    }
}

fn i64_of(n: Option<impl Into<u64>>) -> Option<i64> {
    n.map(|n| i64::try_from(n.into()).unwrap())
}

fn expected_backend(spec: &BackendSpec, healthcheck: Option<String>) -> Backend {
    Backend {
        name: Some(api_name(&spec.ident)),
        address: Some(spec.host.clone()),
        port: i64_of(spec.port.map(u64::from)),
        // Without `.ssl`, lowering writes VCL's default, no TLS.
        use_ssl: Some(spec.ssl.unwrap_or(false)),
        ssl_check_cert: spec.ssl_check_cert,
        ssl_cert_hostname: spec.ssl_cert_hostname.clone(),
        override_host: spec.override_host.clone(),
        connect_timeout: i64_of(spec.connect_timeout),
        first_byte_timeout: i64_of(spec.first_byte_timeout),
        between_bytes_timeout: i64_of(spec.between_bytes_timeout),
        fetch_timeout: i64_of(spec.fetch_timeout),
        keepalive_time: i64_of(spec.keepalive_time),
        max_conn: i64_of(spec.max_conn),
        share_key: spec.share_key.clone(),
        healthcheck,
        ..Backend::default()
    }
}

fn expected_healthcheck(probe: &ProbeSpec, name: &str) -> Healthcheck {
    let mut hc = Healthcheck {
        name: Some(name.to_string()),
        check_interval: i64_of(probe.interval),
        timeout: i64_of(probe.timeout),
        window: i64_of(probe.window),
        threshold: i64_of(probe.threshold),
        initial: i64_of(probe.initial),
        expected_response: i64_of(probe.expected_response),
        ..Healthcheck::default()
    };
    match &probe.request {
        Some(Request::Lines {
            method,
            path,
            version,
            host,
            headers,
            ..
        }) => {
            hc.method = Some(method.clone());
            hc.path = Some(path.clone());
            hc.http_version = Some(version.clone());
            hc.host = host.clone();
            hc.headers = (!headers.is_empty()).then(|| headers.clone());
        }
        Some(Request::Url(path)) => {
            hc.path = Some(path.clone());
            hc.method = Some("GET".into());
        }
        None => {}
    }
    hc
}

// ---------------------------------------------------------------------------------------------
// The printer: spec to VCL, every choice random but reproducible from a seed
// ---------------------------------------------------------------------------------------------

/// SplitMix64: the printer's choices, reproducible from the generated seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[self.below(options.len())]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// White space and comments that may stand between any two tokens.
const TRIVIA: &[&str] = &[
    " ",
    "  ",
    "\n",
    "\t",
    "\r\n",
    "\n\n    ",
    "/* c */",
    "/**/",
    "/* \" } { ; \"} */",
    "# c\n",
    "#\n",
    "// x } {\"\n",
];

/// Whole top-level forms that are not backends: skipped, whatever they hold.
const OTHER_FORMS: &[&str] = &[
    "sub vcl_recv {\n  if (req.http.host == \"}\") { set req.backend = F_a; }\n  # }\n}\n",
    "acl internal { \"10.0.0.0\"/8; }\n",
    "C!\nW!\n",
    "pragma optional_param geoip_opt_in true;\n",
    "table t { \"k\": {\"v}\"}, }\n",
    "vcl 4.1;\n",
    "import std;\n",
    "include \"x\";\n",
    // Longer than any generated backend name: the namespace is shared.
    "director director_of_other_forms fallback { { .backend = F_a; } }\n",
    "/* backend F_hidden { .host = \"x\"; } */\n",
    "# backend F_hidden {\n",
];

/// Long-string delimiters, tried in order until one does not occur in the value.
const DELIMITERS: &[&str] = &["", "X", "vcl", "_9"];

/// A property value as the printer writes it.
enum Val {
    /// One string, possibly split into adjacent literals.
    Str(String),
    /// `.request`: one line a literal, or several lines in one literal.
    Lines(Vec<String>),
    Millis(u64),
    Seconds(u64),
    Int(u64),
    Word(&'static str),
    Object(Vec<(&'static str, Val)>),
}

struct Printer {
    rng: Rng,
    out: String,
    /// Whether the director of [`OTHER_FORMS`] was written.
    director: bool,
}

impl Printer {
    fn new(seed: u64) -> Self {
        Printer {
            rng: Rng(seed),
            out: String::new(),
            director: false,
        }
    }

    /// Trivia, often none.
    fn ws(&mut self) {
        if self.rng.one_in(2) {
            return;
        }
        for _ in 0..=self.rng.below(3) {
            let t = self.rng.pick(TRIVIA);
            self.out.push_str(t);
        }
    }

    /// Trivia that separates two words: it starts with white space.
    fn sep(&mut self) {
        let t = self.rng.pick(&[" ", "\n", "\t", "\r\n"]);
        self.out.push_str(t);
        self.ws();
    }

    /// A short string literal with `"`, `%` and control characters escaped; other characters
    /// are escaped now and then too, in every escape form.
    fn short_literal(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            let must = c == '"' || c == '%' || c.is_control();
            if !must && !self.rng.one_in(12) {
                self.out.push(c);
                continue;
            }
            let upper = self.rng.one_in(2);
            let hex = |n: u32, width: usize| {
                let h = format!("{n:0width$x}");
                if upper { h.to_uppercase() } else { h }
            };
            match self.rng.below(3) {
                // %u{X...}
                0 => {
                    let h = hex(u32::from(c), 1);
                    self.out.push_str(&format!("%u{{{h}}}"));
                }
                // %uXXXX, for the BMP
                1 if u32::from(c) <= 0xffff => {
                    let h = hex(u32::from(c), 4);
                    self.out.push_str(&format!("%u{h}"));
                }
                // %xx, one a UTF-8 byte
                _ => {
                    let mut buf = [0; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        let h = hex(u32::from(b), 2);
                        self.out.push_str(&format!("%{h}"));
                    }
                }
            }
        }
        self.out.push('"');
    }

    /// A long string `{"..."}` or `{ID"..."ID}` when some delimiter fits, else a short one.
    fn literal(&mut self, s: &str) {
        if self.rng.one_in(3) {
            let first = self.rng.below(DELIMITERS.len());
            for id in DELIMITERS[first..].iter().chain(DELIMITERS) {
                if !s.contains(&format!("\"{id}}}")) {
                    self.out.push_str(&format!("{{{id}\"{s}\"{id}}}"));
                    return;
                }
            }
        }
        self.short_literal(s);
    }

    /// A string value: one literal, or a few adjacent ones that concatenate to `s`.
    fn string_value(&mut self, s: &str) {
        let boundaries: Vec<usize> = (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
        let mut cuts: Vec<usize> = (0..self.rng.below(3))
            .map(|_| boundaries[self.rng.below(boundaries.len())])
            .collect();
        cuts.sort_unstable();
        let mut from = 0;
        for cut in cuts {
            self.literal(&s[from..cut]);
            self.ws();
            from = cut;
        }
        self.literal(&s[from..]);
    }

    /// `.request`: lines grouped into literals; lines in one literal are separated by CRLF or
    /// LF (escaped in a short literal, raw in a long one).
    fn request_value(&mut self, lines: &[String]) {
        let mut i = 0;
        while i < lines.len() {
            if i > 0 {
                self.ws();
            }
            let n = 1 + self.rng.below(lines.len() - i).min(2);
            let eol = self.rng.pick(&["\r\n", "\n"]);
            let mut text = lines[i..i + n].join(eol);
            if self.rng.one_in(4) {
                text.push_str(eol);
            }
            self.literal(&text);
            i += n;
        }
    }

    /// An RTIME of `ms` milliseconds, in one of the forms that say exactly that.
    fn millis(&mut self, ms: u64) {
        let mut forms = vec![format!("{ms}|ms"), format!("{ms}.0|ms")];
        if ms % 1000 == 0 {
            forms.push(format!("{}|s", ms / 1000));
            forms.push(format!("{}.000|s", ms / 1000));
        } else {
            let frac = format!("{:03}", ms % 1000);
            forms.push(format!("{}.{}|s", ms / 1000, frac.trim_end_matches('0')));
            forms.push(format!("{}.{frac}|s", ms / 1000));
        }
        if ms % 60_000 == 0 {
            forms.push(format!("{}|m", ms / 60_000));
        }
        if ms % 3_600_000 == 0 {
            forms.push(format!("{}|h", ms / 3_600_000));
        }
        if ms % 1_800_000 == 0 {
            forms.push(format!(
                "{}.{}|h",
                ms / 3_600_000,
                (ms % 3_600_000) / 360_000
            ));
        }
        let form = forms.swap_remove(self.rng.below(forms.len()));
        let (number, unit) = form.split_once('|').unwrap();
        self.out.push_str(number);
        if self.rng.one_in(6) {
            self.out.push(' ');
        }
        self.out.push_str(unit);
    }

    fn value(&mut self, value: &Val) {
        match value {
            Val::Str(s) => self.string_value(s),
            Val::Lines(lines) => self.request_value(lines),
            Val::Millis(ms) => self.millis(*ms),
            Val::Seconds(s) => {
                if s % 60 == 0 && self.rng.one_in(3) {
                    self.out.push_str(&format!("{}m", s / 60));
                } else if self.rng.one_in(2) {
                    self.out.push_str(&format!("{}ms", s * 1000));
                } else {
                    self.out.push_str(&format!("{s}s"));
                }
            }
            Val::Int(n) => self.out.push_str(&n.to_string()),
            Val::Word(w) => self.out.push_str(w),
            Val::Object(props) => {
                self.out.push('{');
                self.ws();
                self.properties(props);
                self.out.push('}');
            }
        }
    }

    fn properties(&mut self, props: &[(&str, Val)]) {
        for (name, value) in props {
            self.out.push('.');
            self.out.push_str(name);
            self.ws();
            self.out.push('=');
            self.ws();
            self.value(value);
            self.ws();
            // `;` is optional after an object.
            if !matches!(value, Val::Object(_)) || !self.rng.one_in(2) {
                self.out.push(';');
            }
            self.ws();
        }
    }

    fn backend(&mut self, spec: &BackendSpec) {
        let props = backend_properties(spec, &mut self.rng);
        self.out.push_str("backend");
        self.sep();
        self.out.push_str(&spec.ident);
        self.ws();
        self.out.push('{');
        self.ws();
        self.properties(&props);
        self.out.push('}');
        self.sep();
    }

    fn other_form(&mut self) {
        if self.rng.one_in(2) {
            let form = self.rng.pick(OTHER_FORMS);
            // A director is declared once: a second of its name is an error.
            if form.starts_with("director") {
                if self.director {
                    return;
                }
                self.director = true;
            }
            self.out.push_str(form);
            self.ws();
        }
    }
}

fn bool_word(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

fn probe_properties(probe: &ProbeSpec, rng: &mut Rng) -> Vec<(&'static str, Val)> {
    let mut props = Vec::new();
    match &probe.request {
        Some(Request::Lines {
            method,
            path,
            version,
            host,
            implied,
            headers,
        }) => {
            let mut lines = vec![format!("{method} {path} HTTP/{version}")];
            lines.extend(host.iter().map(|h| format!("Host: {h}")));
            match implied {
                Some(true) => lines.extend([
                    "Connection: close".to_string(),
                    "User-Agent: Varnish/fastly (healthcheck)".to_string(),
                ]),
                Some(false) => lines.extend([
                    "connection: CLOSE".to_string(),
                    "user-agent: varnish/FASTLY (healthcheck)".to_string(),
                ]),
                None => {}
            }
            lines.extend(headers.iter().cloned());
            props.push(("request", Val::Lines(lines)));
        }
        Some(Request::Url(path)) => props.push(("url", Val::Str(path.clone()))),
        None => {}
    }
    let durations = [("interval", probe.interval), ("timeout", probe.timeout)];
    for (name, ms) in durations {
        if let Some(ms) = ms {
            props.push((name, Val::Millis(ms)));
        }
    }
    let counts = [
        ("window", probe.window),
        ("threshold", probe.threshold),
        ("initial", probe.initial),
        ("expected_response", probe.expected_response),
    ];
    for (name, n) in counts {
        if let Some(n) = n {
            props.push((name, Val::Int(u64::from(n))));
        }
    }
    rng.shuffle(&mut props);
    props
}

fn backend_properties(spec: &BackendSpec, rng: &mut Rng) -> Vec<(&'static str, Val)> {
    let mut props = vec![("host", Val::Str(spec.host.clone()))];
    if let Some(port) = spec.port {
        props.push(("port", Val::Str(port.to_string())));
    }
    let durations = [
        ("connect_timeout", spec.connect_timeout),
        ("first_byte_timeout", spec.first_byte_timeout),
        ("between_bytes_timeout", spec.between_bytes_timeout),
        ("fetch_timeout", spec.fetch_timeout),
    ];
    for (name, ms) in durations {
        if let Some(ms) = ms {
            props.push((name, Val::Millis(ms)));
        }
    }
    if let Some(s) = spec.keepalive_time {
        props.push(("keepalive_time", Val::Seconds(s)));
    }
    if let Some(n) = spec.max_conn {
        props.push(("max_connections", Val::Int(u64::from(n))));
    }
    if let Some(b) = spec.ssl {
        props.push(("ssl", Val::Word(bool_word(b))));
    }
    if let Some(b) = spec.ssl_check_cert {
        props.push((
            "ssl_check_cert",
            Val::Word(if b { "always" } else { "never" }),
        ));
    }
    let strings = [
        ("ssl_cert_hostname", &spec.ssl_cert_hostname),
        ("share_key", &spec.share_key),
        ("host_header", &spec.override_host),
    ];
    for (name, s) in strings {
        if let Some(s) = s {
            props.push((name, Val::Str(s.clone())));
        }
    }
    if let (Some(_), Some(b)) = (&spec.override_host, spec.always_use_host_header) {
        props.push(("always_use_host_header", Val::Word(bool_word(b))));
    }
    if let Some(b) = spec.dynamic {
        props.push(("dynamic", Val::Word(bool_word(b))));
    }
    if let Some(probe) = &spec.probe {
        props.push(("probe", Val::Object(probe_properties(probe, rng))));
    }
    rng.shuffle(&mut props);
    props
}

/// Renders the backends (with other top-level forms around them) to VCL.
fn render(specs: &[BackendSpec], seed: u64) -> String {
    let mut p = Printer::new(seed);
    p.ws();
    for spec in specs {
        p.other_form();
        p.backend(spec);
    }
    p.other_form();
    p.out
}

/// Diagnostics worse than a note, rendered for a failure message.
fn problems(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        // Said of every `.host_header` without `.always_use_host_header = true;`: a meaning,
        // not a problem with the text.
        .filter(|d| d.code != "parse::host-header-meaning")
        // Said of any host that ends in `:<port>` (the generated hosts are arbitrary text).
        .filter(|d| d.code != "parse::port-in-host")
        .map(|d| format!("{}: {} at {:?}", d.code, d.message, d.primary_span()))
        .collect()
}

proptest! {
    #![proptest_config(cases(2048))]

    /// Arbitrary bytes: no panic, UTF-8 repair and parse spans stay in the text.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let (file, utf8) = SourceFile::from_bytes("x", bytes.clone());
        prop_assert_eq!(file.text.len(), bytes.len());
        check_spans(&file.text, &utf8.into_iter().map(invalid_utf8).collect::<Vec<_>>())?;
        parse_checked(&file.text)?;
    }

    /// Strings of VCL tokens reach the deep states: no panic, spans in the text.
    #[test]
    fn vcl_flavoured_text_never_panics(text in alphabet_text()) {
        parse_checked(&text)?;
    }

    /// Printable strings over VCL's punctuation, one character at a time.
    #[test]
    fn vcl_punctuation_never_panics(text in "[{}\";=./*#%u0-9a-z \n\r\té]{0,120}") {
        parse_checked(&text)?;
    }
}

proptest! {
    #![proptest_config(cases(768))]

    /// Valid VCL cut short or with tokens spliced in: no panic, spans in the text.
    #[test]
    fn damaged_backends_never_panic(
        specs in prop::collection::vec(backend(), 1..3),
        seed in any::<u64>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(ALPHABET), 0..3u8), 1..4),
    ) {
        let mut text = render(&specs, seed);
        for (at, token, op) in edits {
            let mut at = at.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match op {
                0 => text.truncate(at),
                1 => text.insert_str(at, token),
                _ => {
                    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                    text.replace_range(at..end, "");
                }
            }
        }
        parse_checked(&text)?;
    }

    /// One generated backend lowers to exactly the fields it was generated from.
    #[test]
    fn generated_backend_parses(spec in backend(), seed in any::<u64>()) {
        let text = render(std::slice::from_ref(&spec), seed);
        let lowered = parse_config(&text);
        check_spans(&text, &lowered.diagnostics)?;
        let problems = problems(&lowered.diagnostics);
        prop_assert!(problems.is_empty(), "{:?}\n--- VCL ---\n{}", problems, text);
        prop_assert_eq!(lowered.config.backends.len(), 1, "VCL:\n{}", text);
        let name = api_name(&spec.ident);
        let expected_hc = spec.probe.as_ref().map(|p| expected_healthcheck(p, &name));
        let expected = expected_backend(&spec, expected_hc.as_ref().map(|_| name.clone()));
        prop_assert_eq!(&lowered.config.backends[0], &expected, "VCL:\n{}", text);
        prop_assert_eq!(
            lowered.config.healthchecks.first(),
            expected_hc.as_ref(),
            "VCL:\n{}",
            text
        );
        prop_assert_eq!(lowered.config.healthchecks.len(), usize::from(expected_hc.is_some()));
        let source = &lowered.sources[0];
        prop_assert_eq!(&source.ident, &spec.ident);
        prop_assert!(source.unrepresentable_probe.is_none());
    }

    /// Backends with the same probe (each written its own way) share one healthcheck, named
    /// after the first of them.
    #[test]
    fn same_probe_shares_one_healthcheck(
        specs in prop::collection::vec(backend(), 2..5),
        probe in probe(),
        seed in any::<u64>(),
    ) {
        let specs: Vec<BackendSpec> = specs
            .into_iter()
            .enumerate()
            .map(|(i, spec)| BackendSpec {
                ident: format!("{}_{i}", spec.ident),
                probe: Some(probe.clone()),
                ..spec
            })
            .collect();
        let text = render(&specs, seed);
        let lowered = parse_config(&text);
        check_spans(&text, &lowered.diagnostics)?;
        let problems = problems(&lowered.diagnostics);
        prop_assert!(problems.is_empty(), "{:?}\n--- VCL ---\n{}", problems, text);
        let name = api_name(&specs[0].ident);
        prop_assert_eq!(
            &lowered.config.healthchecks,
            &vec![expected_healthcheck(&probe, &name)],
            "VCL:\n{}",
            text
        );
        prop_assert_eq!(lowered.config.backends.len(), specs.len());
        for (backend, spec) in lowered.config.backends.iter().zip(&specs) {
            prop_assert_eq!(backend, &expected_backend(spec, Some(name.clone())), "VCL:\n{}", text);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions found by the properties above
// ---------------------------------------------------------------------------------------------

/// A comment right after a declaration's name is trivia, as anywhere else between tokens (the
/// name token used to run on through `/*` and `//`, and the backend was dropped).
#[test]
fn comment_glued_to_backend_name() {
    for text in [
        "backend F_a/* c */ { .host = \"x\"; }",
        "backend F_a// c\n{ .host = \"x\"; }",
        "backend F_a/**/{ .host = \"x\"; }",
    ] {
        let lowered = parse_config(text);
        assert!(
            problems(&lowered.diagnostics).is_empty(),
            "{text:?}: {:?}",
            problems(&lowered.diagnostics)
        );
        assert_eq!(lowered.config.backends.len(), 1, "{text:?}");
        assert_eq!(lowered.config.backends[0].name.as_deref(), Some("a"));
        assert_eq!(lowered.config.backends[0].address.as_deref(), Some("x"));
    }
}

/// The hint of `parse::missing-brace` for an unclosed top-level form quotes its first word,
/// shortened; it used to be cut at byte 40, inside the multi-byte character here (a panic).
#[test]
fn long_non_ascii_word_in_unclosed_form() {
    // 38 ASCII bytes, then a 4-byte character over bytes 38..42, then an unclosed `{`.
    let text = format!("{}😀{{", "a".repeat(38));
    let lowered = parse_config(&text);
    assert!(
        lowered
            .diagnostics
            .iter()
            .any(|d| d.code == "parse::missing-brace")
    );
}

/// "expected X, found `WORD`" quotes the word at the error cut at byte 40
/// (`&input[..word.min(40)]` in `error::next_token`); the word is a run of Unicode
/// alphanumerics, so byte 40 can fall inside one (here `é`, bytes 39..41).
#[test]
fn long_non_ascii_word_in_unexpected_token() {
    let text = format!("backend F_a {{ .host = \"x\"; {}é; }}", "a".repeat(39));
    let lowered = parse_config(&text);
    assert!(
        lowered
            .diagnostics
            .iter()
            .any(|d| d.code == "parse::unexpected-token")
    );
}
