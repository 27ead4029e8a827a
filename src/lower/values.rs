//! Reading typed values out of AST values: strings (escapes decoded), booleans, keywords,
//! integers, ports and RTIME durations in the API's units. Every failure is a diagnostic that
//! points at the value.

use std::borrow::Cow;

use crate::ast::{Property, ValueKind};
use crate::diagnostic::{Diagnostic, Label};

pub use crate::model::vcl_form::VclType;

impl VclType {
    fn describe(self) -> &'static str {
        match self {
            VclType::String => "a string",
            VclType::Bool => "`true` or `false`",
            VclType::Integer => "an integer",
            VclType::Rtime => "a duration (RTIME) such as `5s` or `500ms`",
            VclType::Keyword(_) => "a keyword",
            VclType::Probe => "a probe `{ ... }`",
        }
    }

    /// How to write a value of this type, for help texts.
    fn example(self, property: &str) -> String {
        match self {
            VclType::String => format!("`.{property} = \"...\";`"),
            VclType::Bool => format!("`.{property} = true;`"),
            VclType::Integer => format!("`.{property} = 5;`"),
            VclType::Rtime => format!("`.{property} = 5s;`"),
            VclType::Keyword(words) => words
                .iter()
                .map(|w| format!("`.{property} = {w};`"))
                .collect::<Vec<_>>()
                .join(" or "),
            VclType::Probe => format!("`.{property} = {{ .request = \"HEAD / HTTP/1.1\"; }}`"),
        }
    }
}

/// The unit an RTIME converts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Milliseconds,
    Seconds,
}

pub fn wrong_type(prop: &Property<'_>, expected: VclType) -> Diagnostic {
    let name = prop.name.text;
    let found = prop.value.kind.describe();
    let mut help = format!("write it as {}", expected.example(name));
    if let (VclType::Rtime, ValueKind::Number(n)) = (expected, &prop.value.kind) {
        help = format!("a duration needs a unit: `{n}s` or `{n}ms`");
    }
    if let (VclType::String, ValueKind::Number(n)) = (expected, &prop.value.kind) {
        help = format!("quote it: `.{name} = \"{n}\";`");
    }
    // An object where a plain value belongs has a code of its own: only `.probe` takes one.
    let code = if matches!(prop.value.kind, ValueKind::Object(_)) {
        help = format!(
            "only `.probe` takes an object; write it as {}",
            expected.example(name)
        );
        "parse::object-value"
    } else {
        "parse::wrong-type"
    };
    Diagnostic::error(
        code,
        format!("`.{name}` takes {}, found {found}", expected.describe()),
    )
    .with_label(Label::primary(
        prop.value.span,
        format!("expected {}", expected.describe()),
    ))
    .with_help(help)
}

fn out_of_range(prop: &Property<'_>, why: String, help: &str) -> Diagnostic {
    Diagnostic::error(
        "parse::out-of-range",
        format!("`.{}` is out of range: {why}", prop.name.text),
    )
    .with_label(Label::primary(prop.value.span, why))
    .with_help(help.to_string())
}

/// A string value with escapes decoded.
pub fn string(prop: &Property<'_>) -> Result<String, Diagnostic> {
    string_ref(prop).map(Cow::into_owned)
}

/// [`string`] without copying when the literal has no escapes.
pub fn string_ref<'a>(prop: &Property<'a>) -> Result<Cow<'a, str>, Diagnostic> {
    let ValueKind::String(s) = &prop.value.kind else {
        return Err(wrong_type(prop, VclType::String));
    };
    s.decode().map_err(|e| {
        Diagnostic::error(
            "parse::invalid-escape",
            format!("invalid escape in `.{}`", prop.name.text),
        )
        .with_label(Label::primary(e.span, e.message))
        .with_help(
            "escapes are `%xx` (two hex digits), `%uXXXX` and `%u{X...}`; `%25` is a literal `%`",
        )
    })
}

pub fn boolean(prop: &Property<'_>) -> Result<bool, Diagnostic> {
    match prop.value.kind {
        ValueKind::Ident("true") => Ok(true),
        ValueKind::Ident("false") => Ok(false),
        _ => Err(wrong_type(prop, VclType::Bool)),
    }
}

/// One of a fixed set of bare keywords.
pub fn keyword<'a>(
    prop: &Property<'a>,
    words: &'static [&'static str],
) -> Result<&'a str, Diagnostic> {
    match prop.value.kind {
        ValueKind::Ident(word) if words.contains(&word) => Ok(word),
        ValueKind::Ident(word) => Err(Diagnostic::error(
            "parse::invalid-keyword",
            format!("`{word}` is not a valid value for `.{}`", prop.name.text),
        )
        .with_label(Label::primary(
            prop.value.span,
            format!("expected `{}`", words.join("` or `")),
        ))
        .with_help(format!(
            "write {}",
            VclType::Keyword(words).example(prop.name.text)
        ))),
        _ => Err(wrong_type(prop, VclType::Keyword(words))),
    }
}

/// A non-negative integer, decimal or hexadecimal (`0x1F`), as Fastly's INTEGER literals.
pub fn count(prop: &Property<'_>) -> Result<i64, Diagnostic> {
    let ValueKind::Number(text) = prop.value.kind else {
        return Err(wrong_type(prop, VclType::Integer));
    };
    if text.as_bytes().contains(&b'.') {
        return Err(wrong_type(prop, VclType::Integer));
    }
    // Decimal first: a hexadecimal literal is the rare case, read when decimal fails.
    let value: i64 = match text.parse() {
        Ok(value) => value,
        Err(_) => not_decimal(prop, text)?,
    };
    if value < 0 {
        return Err(out_of_range(
            prop,
            format!("{value} is negative"),
            "this property counts something: it must be 0 or more",
        ));
    }
    Ok(value)
}

/// An integer [`count`] could not read as decimal: hexadecimal, or too large. Out of line,
/// so that the decimal path stays as short as it was.
#[cold]
#[inline(never)]
fn not_decimal(prop: &Property<'_>, text: &str) -> Result<i64, Diagnostic> {
    let too_big = || {
        out_of_range(
            prop,
            format!("{text} does not fit a 64-bit integer"),
            "use a smaller number",
        )
    };
    let digits = crate::syntax::lexical::hex_digits(text).ok_or_else(too_big)?;
    // By hand: `i64::from_str_radix` here made the decimal `parse` above an out-of-line call
    // taking the radix (a tenth of lowering's time on integers).
    let magnitude = digits
        .bytes()
        .try_fold(0i64, |n, b| {
            let digit = char::from(b).to_digit(16)?;
            n.checked_mul(16)?.checked_add(i64::from(digit))
        })
        .ok_or_else(too_big)?;
    Ok(if text.starts_with('-') {
        -magnitude
    } else {
        magnitude
    })
}

/// `.port = "443"`: a string holding 1-65535.
pub fn port(prop: &Property<'_>) -> Result<i64, Diagnostic> {
    let text = string_ref(prop)?;
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let value: Option<i64> = if digits { text.parse().ok() } else { None };
    match value {
        Some(p) if (1..=65535).contains(&p) => Ok(p),
        Some(_) | None if digits => Err(out_of_range(
            prop,
            format!("port {text} is not between 1 and 65535"),
            "a TCP port is between 1 and 65535",
        )),
        _ => Err(Diagnostic::error(
            "parse::invalid-value",
            format!("`{text}` is not a port number"),
        )
        .with_label(Label::primary(
            prop.value.span,
            "expected a port number such as \"443\"",
        ))
        .with_help("write the port as a quoted number: `.port = \"443\";`")),
    }
}

/// An RTIME in whole units of the API (milliseconds, or seconds for `keepalive_time`).
pub fn duration(prop: &Property<'_>, unit: TimeUnit) -> Result<i64, Diagnostic> {
    let ValueKind::Rtime(rtime) = prop.value.kind else {
        return Err(wrong_type(prop, VclType::Rtime));
    };
    if rtime.number.starts_with('-') {
        return Err(out_of_range(
            prop,
            format!("{}{} is negative", rtime.number, rtime.unit.suffix()),
            "a timeout or interval must be 0 or more",
        ));
    }
    let unit_ms: u128 = match unit {
        TimeUnit::Milliseconds => 1,
        TimeUnit::Seconds => 1000,
    };
    let too_big = || {
        out_of_range(
            prop,
            "the duration is too large".to_string(),
            "use a smaller duration",
        )
    };
    let number = rtime.number;
    let (whole, fraction) = match number.bytes().position(|b| b == b'.') {
        Some(dot) => (&number[..dot], &number[dot + 1..]),
        None => (number, ""),
    };
    // The common case, whole units, in 64-bit arithmetic (128-bit division is a library call).
    // No more than 18 digits fit a `u64`.
    if fraction.is_empty() && whole.len() <= 18 && whole.bytes().all(|b| b.is_ascii_digit()) {
        let n = whole
            .bytes()
            .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
        let millis = u64::try_from(rtime.unit.millis())
            .ok()
            .and_then(|unit_millis| n.checked_mul(unit_millis));
        if let Some(millis) = millis {
            let per_unit = u64::try_from(unit_ms).unwrap_or(1);
            if millis % per_unit == 0 {
                return i64::try_from(millis / per_unit).map_err(|_| too_big());
            }
        }
    }
    if whole.len() + fraction.len() > 30 {
        return Err(too_big());
    }
    // value = digits / 10^fraction_len units; exact in integers.
    let mut digits: u128 = 0;
    for d in whole.bytes().chain(fraction.bytes()) {
        digits = digits * 10 + u128::from(d - b'0');
    }
    let scale = 10u128.pow(fraction.len() as u32);
    let numerator = digits
        .checked_mul(rtime.unit.millis())
        .ok_or_else(too_big)?;
    let denominator = scale.checked_mul(unit_ms).ok_or_else(too_big)?;
    if numerator % denominator != 0 {
        let unit_name = match unit {
            TimeUnit::Milliseconds => "milliseconds",
            TimeUnit::Seconds => "seconds",
        };
        return Err(Diagnostic::error(
            "parse::inexact-duration",
            format!("`.{}` is not a whole number of {unit_name}", prop.name.text),
        )
        .with_label(Label::primary(
            prop.value.span,
            format!(
                "{}{} is not whole {unit_name}",
                rtime.number,
                rtime.unit.suffix()
            ),
        ))
        .with_help(format!(
            "the API stores this in whole {unit_name}; round it yourself"
        )));
    }
    i64::try_from(numerator / denominator).map_err(|_| too_big())
}
