//! A deterministic "Show VCL" dump in Fastly's current generated format (docs/design.md §4
//! §3.2, §3.5; the shape of `fixtures/parse/ok/generated_current.vcl`) with any number of
//! backends, for benchmarks.
//!
//! The backends vary: TLS and plain HTTP, DNS names and IPv4 addresses, Fastly's default dummy
//! probe and real healthcheck probes, several timeouts and connection limits, an override host
//! on some. Every 1,000 backends a few other top-level forms (shield and random directors, a
//! `sub` with comments, strings and braces) stand between them. Averages about 600 bytes a
//! backend, so 100,000 backends make about 60 MB. Every backend lowers without diagnostics.

#[path = "draw.rs"]
mod draw;

use draw::{Bits, HEALTH_PATHS, Origin, mix};
use std::fmt::Write;

/// The VCL of a service with `n` backends.
pub fn generated_vcl(n: usize) -> String {
    let mut out = String::with_capacity(n * 620 + 8192);
    prologue(&mut out, n);
    let mut names = Vec::with_capacity(BLOCK);
    let mut first = None;
    for i in 0..n {
        let name = backend(&mut out, i);
        first.get_or_insert_with(|| name.clone());
        names.push(name);
        if (i + 1) % BLOCK == 0 && i + 1 < n {
            interlude(&mut out, (i + 1) / BLOCK, &names);
            names.clear();
        }
    }
    epilogue(&mut out, first.as_deref());
    out
}

/// Backends between two interludes.
const BLOCK: usize = 1_000;

/// The service's share key: one per service in generated VCL.
const SHARE_KEY: &str = "9rKw2ZcT4bXyLm7NpV1eHd";

const POPS: &[&str] = &[
    "iad-va-us",
    "sjc-ca-us",
    "lhr-uk",
    "fra-de",
    "nrt-jp",
    "syd-au",
    "gru-br",
];

fn prologue(out: &mut String, n: usize) {
    out.push_str(
        "# Noticing changes to your VCL? The event log
# (https://docs.fastly.com/en/guides/reviewing-service-activity-with-the-event-log)
# in the web interface shows changes to your service's configurations and the
# change log on developer.fastly.com (https://developer.fastly.com/reference/changes/vcl/)
# provides info on changes to the Fastly-provided VCL itself.

pragma optional_param geoip_opt_in true;
pragma optional_param max_object_size 20971520;
pragma optional_param smiss_max_object_size 20971520;
pragma optional_param fetchless_purge_all 1;
pragma optional_param chash_randomize_on_pass true;
pragma optional_param default_ssl_check_cert 1;
",
    );
    let _ = writeln!(out, "pragma optional_param max_backends {};", n.max(20));
    out.push_str(
        "pragma optional_param customer_id \"3hTq8WnB1xZcKd5RvLp0Ya\";
C!
W!
# Backends

",
    );
}

/// Writes backend `i`; returns its VCL name.
fn backend(out: &mut String, i: usize) -> String {
    let mut r = Bits(mix(i as u64));
    let Origin {
        word,
        kind,
        domain,
        tls,
        override_host,
        lower,
        address: host,
        ..
    } = Origin::draw(i, &mut r);
    let healthcheck = r.chance(1, 3);
    let saintmode = r.chance(1, 20);
    let connect = r.pick(&["1s", "1s", "2s", "3s", "5s"]);
    let first_byte = r.pick(&["15s", "15s", "30s", "60s", "120s"]);
    let between = r.pick(&["10s", "10s", "20s", "30s"]);
    let max_conn = r.pick(&[200, 200, 200, 500, 1000]);

    let name = format!("F_{word}_{kind}_{i}");
    let port = if tls { "443" } else { "80" };

    let _ = writeln!(out, "backend {name} {{");
    if override_host {
        out.push_str("    .always_use_host_header = true;\n");
    }
    let _ = write!(
        out,
        "    .between_bytes_timeout = {between};
    .connect_timeout = {connect};
    .dynamic = true;
    .first_byte_timeout = {first_byte};
    .host = \"{host}\";
"
    );
    if override_host {
        let _ = writeln!(out, "    .host_header = \"www.{lower}.{domain}\";");
    }
    let _ = writeln!(out, "    .max_connections = {max_conn};");
    let _ = writeln!(out, "    .port = \"{port}\";");
    if saintmode {
        let _ = writeln!(out, "    .saintmode_threshold = {};", 5 + i % 20);
    }
    let _ = writeln!(out, "    .share_key = \"{SHARE_KEY}\";\n");
    if tls {
        let _ = writeln!(
            out,
            "    .ssl = true;
    .ssl_cert_hostname = \"{host}\";
    .ssl_check_cert = always;
    .ssl_sni_hostname = \"{host}\";
"
        );
    }
    out.push_str("    .probe = {\n");
    if healthcheck {
        let method = r.pick(&["GET", "GET", "HEAD"]);
        let path = r.pick(HEALTH_PATHS);
        let expected = r.pick(&[200, 200, 204]);
        let initial = r.pick(&[1, 2, 3]);
        let interval = r.pick(&["5s", "15s", "30s", "60s"]);
        let window = r.pick(&[3, 5, 10]);
        let threshold = (*window + 1) / 2;
        let timeout = r.pick(&["1s", "2s", "5s"]);
        let check_host = if override_host {
            format!("www.{lower}.{domain}")
        } else {
            host.clone()
        };
        let _ = write!(
            out,
            "        .expected_response = {expected};
        .initial = {initial};
        .interval = {interval};
        .request = \"{method} {path} HTTP/1.1\" \"Host: {check_host}\" \"Connection: close\" \"User-Agent: Varnish/fastly (healthcheck)\";
        .threshold = {threshold};
        .timeout = {timeout};
        .window = {window};
"
        );
    } else {
        let _ = write!(
            out,
            "        .dummy = true;
        .initial = 5;
        .request = \"HEAD / HTTP/1.1\"  \"Host: {host}\" \"Connection: close\";
        .threshold = 1;
        .timeout = 2s;
        .window = 5;
"
        );
    }
    out.push_str("      }\n}\n");
    name
}

/// Other top-level forms after block `k`: a shield director, a random director over some of
/// the block's backends, and a `sub` with comments, strings and nested braces.
fn interlude(out: &mut String, k: usize, names: &[String]) {
    let pop = POPS[k % POPS.len()];
    let shield = pop.replace('-', "_");
    let _ = write!(
        out,
        "


director ssl_shield_{shield}_{k} shield {{
   .shield = \"{pop}\";
   .is_ssl = true;
}}

director autodirector_{k} random {{
"
    );
    // Members as Fastly writes them: `   {` ... `   }{` ... `   }`.
    out.push_str("   {");
    for (j, name) in names.iter().step_by(250).enumerate() {
        if j > 0 {
            out.push('{');
        }
        let _ = write!(
            out,
            "
    .backend = {name};
    .weight  = 100;
   }}"
        );
    }
    let first = names.first().map_or("F_none", String::as_str);
    let _ = write!(
        out,
        "
}}

/* routing for block {k}: {{ braces }} and \"quotes\" in a comment */
sub vcl_recv_block_{k} {{
  # Request Condition: block {k} Prio: {k}
  if( req.url.path ~ \"^/block-{k}/\" && req.http.X-Brace != \"}}\" ) {{
    set req.backend = {first};
    set req.http.X-Note = {{\"long string with {{braces}} and \"quotes\"\"}};
  }}
  #end condition
}}



"
    );
}

/// The standard subroutines; `default` is the first backend.
fn epilogue(out: &mut String, default: Option<&str>) {
    let default = default.unwrap_or("F_none");
    let _ = write!(
        out,
        "


sub vcl_recv {{
#--FASTLY RECV BEGIN
  if (req.restarts == 0) {{
    if (!req.http.X-Timer) {{
      set req.http.X-Timer = \"S\" time.start.sec \".\" time.start.usec_frac;
    }}
    set req.http.X-Timer = req.http.X-Timer \",VS0\";
  }}

  # default conditions
  set req.backend = {default};
  # end default conditions

#--FASTLY RECV END

  if (req.request != \"HEAD\" && req.request != \"GET\" && req.request != \"FASTLYPURGE\") {{
    return(pass);
  }}

  return(lookup);
}}

sub vcl_hash {{
#--FASTLY HASH BEGIN
  # support purge all
  set req.hash += req.vcl.generation;
  set req.hash += req.url;
  set req.hash += req.http.host;
#--FASTLY HASH END

  return(hash);
}}

sub vcl_error {{
#--FASTLY ERROR BEGIN
  if (obj.status == 801) {{
    set obj.status = 301;
    set obj.response = \"Moved Permanently\";
    set obj.http.Location = \"https://\" req.http.host req.url;
    synthetic {{\"\"}};
    return (deliver);
  }}
#--FASTLY ERROR END
}}

sub vcl_log {{
#--FASTLY LOG BEGIN

  # default response conditions

#--FASTLY LOG END

}}
"
    );
}
