//! Ports written where Fastly does not take them: inside `.host` (`"name:8081"`,
//! `"[2001:db8::1]:8080"`) and as service names (`.port = "http";`), both of which Varnish
//! accepts (vcl-backend(7)). The API keeps the address and the port apart, as numbers.

use crate::ast::Property;
use crate::diagnostic::{Diagnostic, Label};
use crate::model::Backend;
use crate::syntax::Dialect;

/// The port a service name stands for, for the names backends use.
pub fn service_port(name: &str) -> Option<i64> {
    match name {
        "http" | "www" => Some(80),
        "https" => Some(443),
        "http-alt" | "webcache" => Some(8080),
        _ => None,
    }
}

/// `name:port` or `[v6]:port` split in two; `None` for a bare name or IPv6 address.
fn split(address: &str) -> Option<(&str, &str)> {
    if let Some(rest) = address.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        return Some((v6, after.strip_prefix(':')?));
    }
    let (host, port) = address.split_once(':')?;
    (!port.contains(':')).then_some((host, port))
}

/// The port a text names: digits in range, or a service name.
fn port_of(text: &str) -> Option<i64> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().filter(|p| (1..=65535).contains(p));
    }
    service_port(text)
}

/// A port written in `.host`. Under Varnish, which reads it there, it moves to `port` (a note
/// says so; with `.port` written too, `.port` is kept and a warning says the other is
/// dropped). Under Fastly, whose `.host` is a host name or address, a warning says so and the
/// value is carried as written.
pub fn move_port_out_of_host(
    model: &mut Backend,
    host: &Property<'_>,
    port_set: bool,
    dialect: Dialect,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(address) = model.address.as_deref() else {
        return;
    };
    let Some((name, port_text)) = split(address).filter(|(name, _)| !name.is_empty()) else {
        return;
    };
    let Some(port) = port_of(port_text) else {
        return;
    };
    let (name, written) = (name.to_string(), port_text.to_string());
    let label = |what: String| Label::primary(host.value.span, what);
    let d = if !dialect.is_varnish() {
        Diagnostic::warning(
            "parse::port-in-host",
            format!("`.host` holds a port (`{written}`): Fastly's `.host` is a host name or address"),
        )
        .with_label(label("carried as written".to_string()))
        .with_help(format!("write the host alone and the port in `.port`: `.host = \"{name}\"; .port = \"{port}\";`"))
    } else if port_set {
        model.address = Some(name.clone());
        Diagnostic::warning(
            "parse::port-in-host",
            format!("`.host` holds a port (`{written}`) and `.port` is set too: `.port` is kept"),
        )
        .with_label(label(format!(
            "the address `{name}` is carried, the port `{written}` is not"
        )))
        .with_help("write the port once, in `.port`")
    } else {
        model.address = Some(name.clone());
        model.port = Some(port);
        Diagnostic::info(
            "parse::port-in-host",
            format!(
                "`.host` holds the port `{written}`, as Varnish allows: it becomes `port: {port}`"
            ),
        )
        .with_label(label(format!("address `{name}`, port {port}")))
        .with_help("nothing to do: the API keeps the address and the port apart")
    };
    diagnostics.push(d);
}

/// Varnish's `.port = "http";`: the service's port, said in a note. `None` when `prop` is no
/// service name.
pub fn service_name_port(prop: &Property<'_>, text: &str) -> Option<(i64, Diagnostic)> {
    let port = service_port(text)?;
    let note = Diagnostic::info(
        "parse::service-port",
        format!("`.port = \"{text}\"` names a service: it becomes `port: {port}`"),
    )
    .with_label(Label::primary(prop.value.span, format!("port {port}")))
    .with_help(format!("the API takes the number: `.port = \"{port}\";`"));
    Some((port, note))
}

#[cfg(test)]
mod tests {
    use super::{port_of, split};

    #[test]
    fn host_port_forms_split_and_bare_addresses_do_not() {
        assert_eq!(
            split("app.example.com:8081"),
            Some(("app.example.com", "8081"))
        );
        assert_eq!(split("[2001:db8::10]:8080"), Some(("2001:db8::10", "8080")));
        assert_eq!(
            split("legacy.example.net:http"),
            Some(("legacy.example.net", "http"))
        );
        assert_eq!(split("2001:db8::10"), None);
        assert_eq!(split("[2001:db8::10]"), None);
        assert_eq!(split("example.com"), None);
        assert_eq!(port_of("http"), Some(80));
        assert_eq!(port_of("70000"), None);
        assert_eq!(port_of("gopher"), None);
    }
}
