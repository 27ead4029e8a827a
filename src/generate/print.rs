//! The backend block, laid out exactly as Fastly's current generator writes it
//! (docs/design.md §4.1): three groups (general, TLS, probe),
//! each alphabetical, separated by one blank line; 4-space properties, 8-space probe keys,
//! the probe closed by 6 spaces and `}`, no blank line between backends.
//!
//! Lines are written straight into the output, in their fixed order: no per-line strings.

use crate::decimal::Decimal;
use crate::generate::vcl_string::{NulInString, push_vcl_string};
use crate::model::properties::{
    BACKEND_VCL, PROBE, Print, ProbeKey, ProbePrint, Shown, VclProperty,
};
use crate::model::vcl_form::{Destination, ProbeDestination};
use crate::model::{Backend, Healthcheck};

/// The API's defaults for the healthcheck's request line, applied where the input leaves a
/// field out (the API would have filled it); the numbers' are in the probe table.
pub mod defaults {
    use crate::model::properties::healthcheck_text_default;
    pub const HC_HTTP_VERSION: &str = healthcheck_text_default("http_version");
    pub const HC_METHOD: &str = healthcheck_text_default("method");
    pub const HC_PATH: &str = healthcheck_text_default("path");
}

/// What goes in `.probe`.
pub enum Probe<'a> {
    /// Fastly's dummy probe for a backend without a healthcheck.
    Dummy,
    /// A healthcheck; `host` is the Host header it sends.
    Healthcheck { hc: &'a Healthcheck, host: &'a str },
}

/// Everything the block needs that is not a field of the backend itself.
pub struct BlockInput<'a> {
    pub ident: &'a str,
    pub share_key: Option<&'a str>,
    pub use_ssl: bool,
    pub port: i64,
    pub probe: Probe<'a>,
}

/// A whole number of seconds is `Ns`, anything else `Nms`.
pub fn duration(ms: i64) -> String {
    let mut out = String::new();
    push_duration(&mut out, ms);
    out
}

fn push_duration(out: &mut String, ms: i64) {
    if ms % 1000 == 0 {
        push_int(out, ms / 1000);
        out.push('s');
    } else {
        push_int(out, ms);
        out.push_str("ms");
    }
}

/// `n` in decimal, as `Display` writes it.
fn push_int(out: &mut String, n: i64) {
    Decimal::new(n).push_to(out);
}

fn text(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|s| !s.is_empty())
}

/// Writes `    .name = ` + value + `;\n` lines.
struct Lines<'o> {
    out: &'o mut String,
}

impl Lines<'_> {
    fn start(&mut self, name: &str) {
        self.out.push_str("    .");
        self.out.push_str(name);
        self.out.push_str(" = ");
    }

    fn raw(&mut self, name: &str, value: &str) {
        self.start(name);
        self.out.push_str(value);
        self.out.push_str(";\n");
    }

    fn string(&mut self, name: &str, value: &str) -> Result<(), NulInString> {
        self.start(name);
        push_vcl_string(self.out, value)?;
        self.out.push_str(";\n");
        Ok(())
    }

    fn duration(&mut self, name: &str, ms: i64) {
        self.start(name);
        push_duration(self.out, ms);
        self.out.push_str(";\n");
    }

    fn number(&mut self, name: &str, n: i64) {
        self.start(name);
        push_int(self.out, n);
        self.out.push_str(";\n");
    }
}

/// Writes one `backend` block: the backend table's rows in Fastly's layout, the general group
/// then (under TLS) the TLS group, each alphabetical, then the probe.
pub fn backend_block(
    out: &mut String,
    b: &Backend,
    input: &BlockInput<'_>,
) -> Result<(), NulInString> {
    out.push_str("backend ");
    out.push_str(input.ident);
    out.push_str(" {\n");
    let mut l = Lines { out };
    for (form, shown) in &GENERAL {
        property(&mut l, form, *shown, b, input)?;
    }
    if input.use_ssl {
        l.out.push('\n');
        for (form, shown) in &TLS {
            property(&mut l, form, *shown, b, input)?;
        }
    }
    out.push('\n');
    probe(out, b, &input.probe)?;
    out.push_str("}\n");
    Ok(())
}

/// The rows of each group, in the order printed (the table's VCL forms are alphabetical),
/// worked out at compile time.
const GENERAL: [(VclProperty, Shown); in_group(false)] = group(false);
const TLS: [(VclProperty, Shown); in_group(true)] = group(true);

/// The group a row is printed in, if any: `Some(true)` for the TLS group.
const fn placed(form: &VclProperty) -> Option<(bool, Shown)> {
    match form.print {
        Print::General(shown) => Some((false, shown)),
        Print::Tls(shown) => Some((true, shown)),
        Print::No => None,
    }
}

const fn in_group(tls: bool) -> usize {
    let (mut n, mut i) = (0, 0);
    while i < BACKEND_VCL.len() {
        if let Some((in_tls, _)) = placed(&BACKEND_VCL[i]) {
            if in_tls == tls {
                n += 1;
            }
        }
        i += 1;
    }
    n
}

const fn group<const N: usize>(tls: bool) -> [(VclProperty, Shown); N] {
    let mut rows = [(BACKEND_VCL[0], Shown::True); N];
    let (mut n, mut i) = (0, 0);
    while i < BACKEND_VCL.len() {
        if let Some((in_tls, shown)) = placed(&BACKEND_VCL[i]) {
            if in_tls == tls {
                rows[n] = (BACKEND_VCL[i], shown);
                n += 1;
            }
        }
        i += 1;
    }
    rows
}

/// Writes one property's line, or nothing when the row leaves it out.
#[inline]
fn property(
    l: &mut Lines<'_>,
    form: &VclProperty,
    shown: Shown,
    b: &Backend,
    input: &BlockInput<'_>,
) -> Result<(), NulInString> {
    let name = form.name;
    match (shown, form.destination) {
        (Shown::True, _) => l.raw(name, "true"),
        (Shown::WithOverrideHost, _) if text(&b.override_host).is_some() => l.raw(name, "true"),
        (Shown::Port, _) => {
            l.start(name);
            l.out.push('"');
            push_int(l.out, input.port);
            l.out.push_str("\";\n");
        }
        (Shown::ShareKey, _) => {
            if let Some(key) = input.share_key {
                l.string(name, key)?;
            }
        }
        (Shown::CheckCert, _) => {
            let word = if b.ssl_check_cert == Some(false) {
                "never"
            } else {
                "always"
            };
            l.raw(name, word);
        }
        (Shown::OrEmpty, Destination::Text(field)) => {
            l.string(name, (field.get)(b).as_deref().unwrap_or(""))?;
        }
        (Shown::IfSet, Destination::Text(field)) => {
            if let Some(value) = text((field.get)(b)) {
                l.string(name, value)?;
            }
        }
        (Shown::IfSet, Destination::Flag(field)) if *(field.get)(b) == Some(true) => {
            l.raw(name, "true");
        }
        (Shown::IfSet, Destination::Millis(field)) => {
            if let Some(ms) = *(field.get)(b) {
                l.duration(name, ms);
            }
        }
        (Shown::IfSet, Destination::Seconds(field)) => {
            if let Some(seconds) = *(field.get)(b) {
                l.start(name);
                push_int(l.out, seconds);
                l.out.push_str("s;\n");
            }
        }
        (Shown::IfSet, Destination::Count(field)) => {
            if let Some(n) = *(field.get)(b) {
                l.number(name, n);
            }
        }
        (Shown::IfNonZero, Destination::Count(field)) => {
            if let Some(n) = (field.get)(b).filter(|&n| n != 0) {
                l.number(name, n);
            }
        }
        (Shown::OrDefault(default), Destination::Millis(field)) => {
            l.duration(name, (field.get)(b).unwrap_or(default));
        }
        (Shown::OrDefault(default), Destination::Count(field)) => {
            l.number(name, (field.get)(b).unwrap_or(default));
        }
        // Left out, or a pairing the table holds none of (a test prints every row).
        _ => {}
    }
    Ok(())
}

/// Writes one key of a healthcheck's probe, or nothing when the table leaves it out.
#[inline]
fn probe_key(
    out: &mut String,
    key: &ProbeKey,
    hc: &Healthcheck,
    host: &str,
) -> Result<(), NulInString> {
    match (key.print, key.destination) {
        (ProbePrint::OrDefault(default), ProbeDestination::Millis(field)) => {
            probe_start(out, key.name);
            push_duration(out, (field.get)(hc).unwrap_or(default));
            out.push_str(";\n");
        }
        (ProbePrint::OrDefault(default), ProbeDestination::Count(field)) => {
            probe_start(out, key.name);
            push_int(out, (field.get)(hc).unwrap_or(default));
            out.push_str(";\n");
        }
        (ProbePrint::Request, _) => {
            fn or_default<'v>(v: &'v Option<String>, d: &'static str) -> &'v str {
                v.as_deref().filter(|s| !s.is_empty()).unwrap_or(d)
            }
            let method = or_default(&hc.method, defaults::HC_METHOD);
            let path = or_default(&hc.path, defaults::HC_PATH);
            let version = or_default(&hc.http_version, defaults::HC_HTTP_VERSION);
            probe_start(out, key.name);
            let request_line = [method, " ", path, " HTTP/", version].concat();
            push_vcl_string(out, &request_line)?;
            out.push(' ');
            push_vcl_string(out, &host_line(host))?;
            out.push_str(" \"Connection: close\" \"User-Agent: Varnish/fastly (healthcheck)\"");
            for header in hc.headers.iter().flatten() {
                out.push(' ');
                push_vcl_string(out, header)?;
            }
            out.push_str(";\n");
        }
        // Left out, or a pairing the table holds none of (a test prints every key).
        _ => {}
    }
    Ok(())
}

fn probe_start(out: &mut String, name: &str) {
    out.push_str("        .");
    out.push_str(name);
    out.push_str(" = ");
}

/// `Host: HOST`, the request line a probe sends its host in.
fn host_line(host: &str) -> String {
    ["Host: ", host].concat()
}

fn probe<'a>(out: &mut String, b: &Backend, probe: &Probe<'a>) -> Result<(), NulInString> {
    out.push_str("    .probe = {\n");
    match probe {
        Probe::Dummy => {
            out.push_str("        .dummy = true;\n        .initial = 5;\n");
            // Two spaces after the request line: what Fastly writes.
            out.push_str("        .request = \"HEAD / HTTP/1.1\"  ");
            push_vcl_string(out, &host_line(b.address.as_deref().unwrap_or("")))?;
            out.push_str(" \"Connection: close\";\n");
            out.push_str("        .threshold = 1;\n        .timeout = 2s;\n        .window = 5;\n");
        }
        Probe::Healthcheck { hc, host } => {
            for key in &PROBE {
                probe_key(out, key, hc, host)?;
            }
        }
    }
    out.push_str("      }\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::push_duration;

    #[test]
    fn durations_are_whole_seconds_or_milliseconds() {
        for (ms, written) in [
            (0, "0s"),
            (1000, "1s"),
            (1500, "1500ms"),
            (-2000, "-2s"),
            (-1, "-1ms"),
        ] {
            let mut out = String::new();
            push_duration(&mut out, ms);
            assert_eq!(out, written);
        }
    }
}

#[cfg(test)]
mod table_tests {
    use super::*;
    use crate::model::properties::BACKEND;

    /// Every row the table places in a group is printed once its field is set: a row whose
    /// destination and placement the printer does not handle fails here by name.
    #[test]
    fn every_placed_row_is_printed() {
        let mut b = Backend::default();
        for form in BACKEND.iter().filter_map(|row| row.vcl) {
            match form.destination {
                Destination::Text(field) => *(field.set)(&mut b) = Some("x".into()),
                Destination::Flag(field) => *(field.set)(&mut b) = Some(true),
                Destination::Millis(field)
                | Destination::Seconds(field)
                | Destination::Count(field) => *(field.set)(&mut b) = Some(7_000),
                _ => {}
            }
        }
        let input = BlockInput {
            ident: "F_x",
            share_key: Some("key"),
            use_ssl: true,
            port: 443,
            probe: Probe::Dummy,
        };
        let mut out = String::new();
        backend_block(&mut out, &b, &input).unwrap();
        for form in BACKEND.iter().filter_map(|row| row.vcl) {
            let line = format!("\n    .{} = ", form.name);
            let printed = out.matches(&line).count();
            // The probe is printed as a group of its own.
            let placed = form.print != Print::No || matches!(form.destination, Destination::Probe);
            let placed = usize::from(placed);
            assert_eq!(printed, placed, "`.{}` in\n{out}", form.name);
        }
    }

    /// Every probe key the table prints for a healthcheck is printed once, and no other.
    #[test]
    fn every_probe_key_is_printed() {
        let hc = Healthcheck::default();
        let input = BlockInput {
            ident: "F_x",
            share_key: None,
            use_ssl: false,
            port: 80,
            probe: Probe::Healthcheck { hc: &hc, host: "h" },
        };
        let mut out = String::new();
        backend_block(&mut out, &Backend::default(), &input).unwrap();
        for key in &PROBE {
            let printed = out.matches(&format!("\n        .{} = ", key.name)).count();
            let expected = usize::from(key.print != ProbePrint::No);
            assert_eq!(printed, expected, "`.{}` in\n{out}", key.name);
        }
    }
}
