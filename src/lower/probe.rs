//! A `.probe = { ... }` (or a named Varnish probe) to a Fastly healthcheck.
//!
//! Four outcomes: Fastly's default dummy probe (no healthcheck), another `.dummy = true`
//! probe (never sent either: no healthcheck, with the settings it drops), a probe the API
//! can hold (a [`Healthcheck`]), or a probe it cannot (with every reason).

use std::borrow::Cow;

use crate::ast::{Property, ValueKind};
use crate::diagnostic::{Diagnostic, Label};
use crate::escape::contains_byte;
use crate::lower::backend::find_name;
use crate::lower::values::{self, TimeUnit, VclType, wrong_type};
use crate::model::Healthcheck;
use crate::model::vcl_form::ProbeDestination;
use crate::span::Span;
use crate::suggest::did_you_mean;

/// Every property a probe takes, alphabetical: the probe keys of the property table.
pub use crate::model::properties::PROBE as PROBE_PROPERTIES;

/// Request lines Fastly adds to every healthcheck itself: recognised, not kept as headers.
const IMPLIED_HEADERS: &[&str] = &[
    "connection: close",
    "user-agent: varnish/fastly (healthcheck)",
];

/// The API keeps intervals and timeouts in 32-bit milliseconds.
const API_MAX_MILLIS: i64 = u32::MAX as i64;

#[derive(Debug, Clone, PartialEq)]
pub enum ProbeOutcome {
    /// Fastly's default `.dummy = true` probe: the backend has no healthcheck.
    DefaultDummy,
    /// Any other `.dummy = true` probe: never sent either, so no healthcheck; `dropped` names
    /// the properties it sets besides `.dummy` (`.initial`, `.request`, ...), in source order.
    Dummy { dropped: String },
    /// A healthcheck the API can hold (its `name` is set by the caller).
    Healthcheck(Box<Healthcheck>),
    /// A probe that only VCL can express; the backend gets no healthcheck. `reason` names
    /// every property the API cannot hold, not only the first.
    Unrepresentable { reason: String },
}

/// Checks and converts a probe body. `None` when it has errors (already pushed). `lines` is
/// room for the lines of its `.request` (emptied first; the caller may keep it for the next).
pub fn lower_probe<'a>(
    properties: &[Property<'a>],
    diagnostics: &mut Vec<Diagnostic>,
    lines: &mut Vec<Cow<'a, str>>,
) -> Option<ProbeOutcome> {
    let mut seen: [Option<Span>; PROBE_PROPERTIES.len()] = [None; PROBE_PROPERTIES.len()];
    let mut hc = Healthcheck::default();
    let mut dummy = false;
    lines.clear();
    let mut has_request = false;
    let mut url = None;
    let mut unrepresentable: Vec<String> = Vec::new();
    let mark = diagnostics.len();
    for prop in properties {
        let name = prop.name.text;
        let Some(index) = find_name(PROBE_PROPERTIES.iter().map(|k| k.name), name) else {
            diagnostics.push(unknown_probe_property(prop));
            continue;
        };
        let (ty, field) = (
            PROBE_PROPERTIES[index].ty,
            PROBE_PROPERTIES[index].destination,
        );
        if let Some(first) = seen[index].replace(prop.name.span) {
            diagnostics.push(super::duplicate_property(
                prop.name.text,
                prop.name.span,
                first,
            ));
            continue;
        }
        if matches!(prop.value.kind, ValueKind::Object(_)) {
            diagnostics.push(wrong_type(prop, ty));
            continue;
        }
        let result = match field {
            ProbeDestination::Dummy => values::boolean(prop).map(|v| dummy = v),
            ProbeDestination::Request => request_lines(prop, lines).map(|()| has_request = true),
            ProbeDestination::Url => values::string(prop).map(|v| url = Some(v)),
            ProbeDestination::Millis(field) => {
                values::duration(prop, TimeUnit::Milliseconds).map(|ms| {
                    if ms > API_MAX_MILLIS {
                        unrepresentable.push(format!(
                            "`.{name}` is longer than the API's limit of {API_MAX_MILLIS} ms"
                        ));
                    }
                    *(field.set)(&mut hc) = Some(ms);
                })
            }
            ProbeDestination::Count(field) => {
                values::count(prop).map(|n| *(field.set)(&mut hc) = Some(n))
            }
        };
        if let Err(d) = result {
            diagnostics.push(d);
        }
    }
    if diagnostics[mark..].iter().any(Diagnostic::is_error) {
        return None;
    }
    let request = has_request.then_some(&lines[..]);
    if dummy {
        // `.dummy = true;` alone drops nothing either.
        let alone = properties.iter().all(|p| p.name.text == "dummy");
        if alone || is_default_dummy(&hc, request, url.is_some()) {
            return Some(ProbeOutcome::DefaultDummy);
        }
        // Never sent, whatever else it sets (docs/design.md §2.6): what it sets is only reported.
        return Some(ProbeOutcome::Dummy {
            dropped: dropped_settings(properties, true),
        });
    }
    if let Some(lines) = request {
        if let Err(reason) = split_request(lines, &mut hc) {
            unrepresentable.push(reason);
        }
        if url.is_some() {
            unrepresentable
                .push("the probe has both `.request` and `.url`; the API holds one request".into());
        }
    } else if let Some(url) = url {
        // A `.url` probe sends `GET <url> HTTP/1.1` (Varnish's probe, which Fastly's is):
        // the method is written out, or the API's default (HEAD) would change the check.
        hc.path = Some(url);
        hc.method = Some("GET".to_string());
    }
    Some(if unrepresentable.is_empty() {
        ProbeOutcome::Healthcheck(Box::new(hc))
    } else {
        // Every problem, then every setting that goes with the probe.
        ProbeOutcome::Unrepresentable {
            reason: format!(
                "{}; dropped with it: {}",
                unrepresentable.join("; "),
                dropped_settings(properties, false)
            ),
        }
    })
}

/// `.initial`, `.request`, ...: every property of a probe (but `.dummy` when `not_dummy`),
/// in source order.
fn dropped_settings(properties: &[Property<'_>], not_dummy: bool) -> String {
    let names: Vec<String> = properties
        .iter()
        .filter(|p| !(not_dummy && p.name.text == "dummy"))
        .map(|p| format!("`.{}`", p.name.text))
        .collect();
    if names.is_empty() {
        "nothing".to_string()
    } else {
        names.join(", ")
    }
}

/// The probe Fastly generates for a backend without a healthcheck (docs/design.md §4.4).
fn is_default_dummy(hc: &Healthcheck, request: Option<&[Cow<'_, str>]>, has_url: bool) -> bool {
    let request_ok = request.is_some_and(|lines| {
        lines.len() == 3
            && lines[0] == "HEAD / HTTP/1.1"
            && lines[1].starts_with("Host: ")
            && lines[2] == "Connection: close"
    });
    request_ok
        && !has_url
        && hc.initial == Some(5)
        && hc.threshold == Some(1)
        && hc.timeout == Some(2000)
        && hc.window == Some(5)
        && hc.check_interval.is_none()
        && hc.expected_response.is_none()
}

/// `.request`: each string literal is one line; lines inside one literal (`%0d%0a`) split too.
/// Lines borrow from the source unless escapes had to be decoded.
fn request_lines<'a>(prop: &Property<'a>, lines: &mut Vec<Cow<'a, str>>) -> Result<(), Diagnostic> {
    let ValueKind::String(s) = &prop.value.kind else {
        return Err(wrong_type(prop, VclType::String));
    };
    for part in s.parts() {
        let text = part.decode().map_err(|e| {
            Diagnostic::error("parse::invalid-escape", "invalid escape in `.request`")
                .with_label(Label::primary(e.span, e.message))
        })?;
        match text {
            Cow::Borrowed(text) => lines.extend(split_lines(text).map(Cow::Borrowed)),
            Cow::Owned(text) => lines.extend(split_lines(&text).map(|l| Cow::Owned(l.to_string()))),
        }
    }
    Ok(())
}

/// The non-empty lines of `text`, without their `\r`.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    // Most literals are one line: those skip the splitter's search.
    let (one, several) = if contains_byte(text.as_bytes(), b'\n') {
        (None, Some(text.split('\n')))
    } else {
        (Some(text), None)
    };
    one.into_iter()
        .chain(several.into_iter().flatten())
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty())
}

/// `"GET /path HTTP/1.1" "Host: h" "X: y"` -> method, path, http_version, host, headers.
fn split_request(lines: &[Cow<'_, str>], hc: &mut Healthcheck) -> Result<(), String> {
    let Some((first, headers)) = lines.split_first() else {
        return Err("`.request` is empty".to_string());
    };
    let mut words = first.split(' ');
    let (Some(method), Some(path), Some(version), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return Err(format!(
            "`.request` does not start with an HTTP request line: `{first}`"
        ));
    };
    let Some(http_version) = version.strip_prefix("HTTP/") else {
        return Err(format!(
            "`.request` does not start with an HTTP request line: `{first}`"
        ));
    };
    hc.method = Some(method.to_string());
    hc.path = Some(path.to_string());
    hc.http_version = Some(http_version.to_string());
    let mut custom = Vec::new();
    for line in headers {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("`.request` line `{line}` is not a header"));
        };
        if IMPLIED_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(line)) {
            continue;
        }
        if name.eq_ignore_ascii_case("host") && hc.host.is_none() {
            hc.host = Some(value.trim().to_string());
        } else {
            custom.push(line.to_string());
        }
    }
    if !custom.is_empty() {
        hc.headers = Some(custom);
    }
    Ok(())
}

fn unknown_probe_property(prop: &Property<'_>) -> Diagnostic {
    let name = prop.name.text;
    let mut d = Diagnostic::error(
        "parse::unknown-property",
        format!("unknown probe property `.{name}`"),
    )
    .with_label(Label::primary(prop.name.span, "not a probe property"));
    let names = PROBE_PROPERTIES.iter().map(|k| k.name);
    d = match did_you_mean(name, names) {
        Some(s) => d.with_help(format!("did you mean `.{s}`?")),
        None => d.with_help(format!(
            "probe properties are {}",
            PROBE_PROPERTIES
                .iter()
                .map(|k| format!("`.{}`", k.name))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    };
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::parse_config;
    use crate::model::properties::{HEALTHCHECK, PROBE, find};

    /// Every key of the probe table is lowered: set alone, it fills every API field its row
    /// names, and only fields a probe can set.
    #[test]
    fn every_probe_key_is_lowered_into_the_fields_it_fills() {
        for key in &PROBE {
            let value = match (key.destination, key.ty) {
                (ProbeDestination::Request, _) => r#""GET /p HTTP/1.0" "Host: h" "X-A: b""#,
                (_, VclType::String) => r#""/u""#,
                (_, VclType::Integer) => "7",
                (_, VclType::Rtime) => "7s",
                (_, VclType::Bool) => "true",
                _ => panic!("no test value for `.{}`", key.name),
            };
            let src = format!(
                "backend F_x {{ .host = \"a\"; .probe = {{ .{} = {value}; }} }}\n",
                key.name
            );
            let lowered = parse_config(&src);
            assert!(!lowered.has_errors(), "{src}: {:?}", lowered.diagnostics);
            let mut set = Vec::new();
            for hc in &lowered.config.healthchecks {
                let json = serde_json::to_value(hc).unwrap();
                set.extend(json.as_object().unwrap().keys().cloned());
            }
            set.retain(|api| api != "name");
            for api in key.fills {
                assert!(
                    set.iter().any(|s| s == api),
                    "`.{}` leaves `{api}`",
                    key.name
                );
            }
            for api in &set {
                let row = find(HEALTHCHECK, api);
                assert!(
                    row.is_some_and(|r| r.probe.is_some()),
                    "`.{}` sets `{api}`",
                    key.name
                );
            }
        }
    }
}
