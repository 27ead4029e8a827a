//! A deterministic Fastly API document, `{"backends": [...], "healthchecks": [...]}`, with any
//! number of backends, for benchmarks of `generate`.
//!
//! Each object is written as `GET /service/ID/version/N/backend` (and `.../healthcheck`)
//! returns it: compact JSON, every field present, unset ones `null` (or `""` for the reference
//! fields `healthcheck`, `shield`, `request_condition`, `comment`), and the read-only metadata
//! `service_id`, `version`, `locked`, `created_at`, `updated_at`, `deleted_at`.
//!
//! The backends vary: TLS and plain HTTP, DNS names and IPv4 addresses, several timeouts and
//! connection limits, an override host on some, and a healthcheck on every third. Groups of
//! backends share a healthcheck: there is one healthcheck per 100 backends (at least one), so
//! 100,000 backends name 1,000 healthchecks. Averages about 1 KB a backend, so 100,000
//! backends make about 102 MB. Every backend generates without errors or warnings.
//!
//! [`api_json_routed`] is the same service with routing (docs/design.md §4.8): a quarter of the
//! backends name a REQUEST condition of their own (distinct priorities, not in input order),
//! a tenth are shielded over [`POPS`], an eighth are auto-load-balanced; the conditions follow
//! under `conditions`. It too generates without errors or warnings.

#[path = "draw.rs"]
mod draw;

use draw::{Bits, DOMAINS, HEALTH_PATHS, Origin, mix};
use std::fmt::Write;

/// The API JSON of a service with `n` backends and the healthchecks they name.
pub fn api_json(n: usize) -> String {
    document(n, false)
}

/// The same service with request conditions, shields and auto-load-balancing, and the
/// conditions the backends name.
pub fn api_json_routed(n: usize) -> String {
    document(n, true)
}

fn document(n: usize, routed: bool) -> String {
    let groups = healthcheck_groups(n);
    let mut out = String::with_capacity(n * 1_400 + groups * 700 + 64);
    out.push_str("{\"backends\":[");
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        backend(&mut out, i, groups, routed);
    }
    out.push_str("],\"healthchecks\":[");
    for g in 0..groups {
        if g > 0 {
            out.push(',');
        }
        healthcheck(&mut out, g);
    }
    if routed {
        out.push_str("],\"conditions\":[");
        for (k, i) in (0..n).filter(|&i| has_condition(i)).enumerate() {
            if k > 0 {
                out.push(',');
            }
            condition(&mut out, i);
        }
    }
    out.push_str("]}");
    out
}

/// The POP codes shielded backends name, one shield director each.
pub const POPS: &[&str] = &[
    "iad-va-us",
    "bwi-va-us",
    "dca-dc-us",
    "ord-il-us",
    "dfw-tx-us",
    "atl-ga-us",
    "mia-fl-us",
    "sea-wa-us",
    "sjc-ca-us",
    "lax-ca-us",
    "yyz-on-ca",
    "gru-br-sa",
    "lcy-london-uk",
    "ams-nl",
    "fra-de-eu",
    "cdg-par-fr",
    "bom-mumbai-in",
    "sin-singapore-sg",
    "nrt-tokyo-jp",
    "syd-sydney-au",
];

/// Whether routed backend `i` names a request condition of its own: a quarter do.
pub fn has_condition(i: usize) -> bool {
    i % 4 == 1
}

/// The POP routed backend `i` is shielded at: a tenth are, some with a condition too.
pub fn shield_of(i: usize) -> Option<&'static str> {
    (i % 10 == 3).then(|| POPS[(i / 10) % POPS.len()])
}

/// Whether routed backend `i` is auto-load-balanced: an eighth, none with a condition (a
/// condition would override it, with a warning).
pub fn is_auto_loadbalanced(i: usize) -> bool {
    i % 8 == 2
}

/// Writes the REQUEST condition backend `i` names. Priorities are distinct and scattered (the
/// condition's index times a constant, modulo a prime), so the routing sorts them for real.
fn condition(out: &mut String, i: usize) {
    let priority = (i / 4) * 7_919 % 1_000_003;
    let _ = write!(
        out,
        "{{\"comment\":\"\",\"name\":\"Path {i}\",\"priority\":\"{priority}\",\
         \"statement\":\"req.url.path ~ \\\"^/p{i}/\\\"\",\"type\":\"REQUEST\""
    );
    metadata(out, i, None);
}

/// Backends that share one healthcheck.
const GROUP: usize = 100;

/// How many healthchecks `n` backends share.
fn healthcheck_groups(n: usize) -> usize {
    n.div_ceil(GROUP).max(1)
}

/// One service: every object carries its ID and version.
const SERVICE_ID: &str = "9rKw2ZcT4bXyLm7NpV1eHd";
const VERSION: u32 = 42;

/// A timestamp in the API's ISO 8601 form, varying with `i`.
fn timestamp(out: &mut String, i: usize, day_offset: usize) {
    let day = 1 + (i + day_offset) % 28;
    let month = 1 + (i / 28) % 12;
    let (h, m, s) = ((i / 7) % 24, (i / 3) % 60, i % 60);
    let _ = write!(out, "\"2024-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z\"");
}

/// The read-only metadata every object ends with.
fn metadata(out: &mut String, i: usize, locked: Option<bool>) {
    let _ = write!(
        out,
        ",\"service_id\":\"{SERVICE_ID}\",\"version\":{VERSION}"
    );
    if let Some(locked) = locked {
        let _ = write!(out, ",\"locked\":{locked}");
    }
    out.push_str(",\"created_at\":");
    timestamp(out, i, 0);
    out.push_str(",\"updated_at\":");
    timestamp(out, i, 1);
    out.push_str(",\"deleted_at\":null}");
}

/// A JSON string or `null`.
fn string_or_null(out: &mut String, value: Option<&str>) {
    match value {
        Some(v) => {
            let _ = write!(out, "\"{v}\"");
        }
        None => out.push_str("null"),
    }
}

/// Writes backend `i`; `groups` healthchecks exist to name; `routed`, with its routing.
fn backend(out: &mut String, i: usize, groups: usize, routed: bool) {
    let mut r = Bits(mix(i as u64));
    let Origin {
        word,
        kind,
        domain,
        tls,
        by_ip,
        override_host,
        lower,
        address,
    } = Origin::draw(i, &mut r);
    let connect = r.pick(&[1_000, 1_000, 2_000, 3_000, 5_000, 1_500]);
    let first_byte = r.pick(&[15_000, 15_000, 30_000, 60_000, 120_000]);
    let between = r.pick(&[10_000, 10_000, 20_000, 30_000]);
    let max_conn = r.pick(&[200, 200, 200, 500, 1000]);
    let error_threshold = if r.chance(1, 20) { 5 + i % 20 } else { 0 };
    // Only TLS backends carry a TLS version: on plain HTTP it draws `generate::tls-without-ssl`.
    let min_tls = (*r.pick(&[None, Some("1.2"), Some("1.2"), Some("1.3")])).filter(|_| tls);
    let keepalive = r.pick(&[None, None, None, Some(60), Some(300)]);
    let prefer_ipv6 = r.chance(1, 10);
    // Every third backend has a healthcheck, shared with its group; the rest have `""`.
    let healthcheck = if i % 3 == 0 {
        format!("Health_{}", (i / GROUP) % groups)
    } else {
        String::new()
    };

    let port = if tls { 443 } else { 80 };
    let host_header = override_host.then(|| format!("www.{lower}.{domain}"));
    let (hostname, ipv4) = if by_ip {
        (None, Some(address.as_str()))
    } else {
        (Some(address.as_str()), None)
    };
    let tls_name = tls.then_some(address.as_str());
    let auto_loadbalance = routed && is_auto_loadbalanced(i);
    let condition = if routed && has_condition(i) {
        format!("Path {i}")
    } else {
        String::new()
    };
    let shield = shield_of(i).filter(|_| routed);

    let _ = write!(
        out,
        "{{\"address\":\"{address}\",\"auto_loadbalance\":{auto_loadbalance},\
         \"between_bytes_timeout\":{between},\"client_cert\":null,\"comment\":\"\",\
         \"connect_timeout\":{connect},\"error_threshold\":{error_threshold},\
         \"first_byte_timeout\":{first_byte},\"healthcheck\":\"{healthcheck}\",\"hostname\":"
    );
    string_or_null(out, hostname);
    out.push_str(",\"ipv4\":");
    string_or_null(out, ipv4);
    out.push_str(",\"ipv6\":null,\"keepalive_time\":");
    match keepalive {
        Some(seconds) => {
            let _ = write!(out, "{seconds}");
        }
        None => out.push_str("null"),
    }
    let _ = write!(
        out,
        ",\"max_conn\":{max_conn},\"max_lifetime\":0,\"max_tls_version\":null,\
         \"max_use\":0,\"min_tls_version\":"
    );
    string_or_null(out, min_tls);
    let _ = write!(out, ",\"name\":\"{word} {kind} {i}\",\"override_host\":");
    string_or_null(out, host_header.as_deref());
    let _ = write!(
        out,
        ",\"port\":{port},\"prefer_ipv6\":{prefer_ipv6},\
         \"request_condition\":\"{condition}\",\"share_key\":null,\"shield\":"
    );
    string_or_null(out, shield);
    out.push_str(",\"ssl_ca_cert\":null,\"ssl_cert_hostname\":");
    string_or_null(out, tls_name);
    out.push_str(
        ",\"ssl_check_cert\":true,\"ssl_ciphers\":null,\"ssl_client_cert\":null,\
         \"ssl_client_key\":null,\"ssl_hostname\":null,\"ssl_sni_hostname\":",
    );
    string_or_null(out, tls_name);
    let _ = write!(
        out,
        ",\"tcp_keepalive_enable\":null,\"tcp_keepalive_interval\":null,\
         \"tcp_keepalive_probes\":null,\"tcp_keepalive_time\":null,\"use_ssl\":{tls},\
         \"weight\":100"
    );
    metadata(out, i, Some(false));
}

/// Writes healthcheck `g`, the one group `g` of backends names.
fn healthcheck(out: &mut String, g: usize) {
    let mut r = Bits(mix(!(g as u64)));
    let method = r.pick(&["GET", "GET", "HEAD"]);
    let path = r.pick(HEALTH_PATHS);
    let expected = r.pick(&[200, 200, 204]);
    let initial = r.pick(&[1, 2, 3]);
    let interval = r.pick(&[5_000, 15_000, 30_000, 60_000]);
    let window = r.pick(&[3, 5, 10]);
    let threshold = (*window + 1) / 2;
    let timeout = r.pick(&[1_000, 2_000, 5_000, 500]);
    let domain = r.pick(DOMAINS);
    let headers = r.pick(&[None, None, Some("[\"X-Health-Check: 1\"]")]);
    let _ = write!(
        out,
        "{{\"check_interval\":{interval},\"comment\":\"\",\"expected_response\":{expected},\
         \"headers\":{},\"host\":\"health-{g}.{domain}\",\"http_version\":\"1.1\",\
         \"initial\":{initial},\"method\":\"{method}\",\"name\":\"Health_{g}\",\
         \"path\":\"{path}\",\"threshold\":{threshold},\"timeout\":{timeout},\
         \"window\":{window}",
        headers.unwrap_or("null"),
    );
    metadata(out, g, None);
}
