# fixture: hand-written custom VCL: backends without F_ interleaved with include/pragma/acl/table/director/penaltybox/ratecounter/sub, comments between tokens, RTIME forms, string escapes, tricky strings and comments in subs
pragma optional_param allow_local_route_bypass true;

include "edge_helpers";

backend origin_primary {
  .dynamic = true;
  .share_key = "abc123";
  .host = "exa" "mple.com";                 # two adjacent strings: example.com
  .port /* c */ = /* c */ "443" /* c */ ;   // comments wherever white space may stand
  .ssl = true;
  .ssl_cert_hostname = "example.com";
  .ssl_sni_hostname = "example.com";
  .ssl_check_cert = always;
  .min_tls_version = "1.2";
  .max_tls_version = "1.3";
  .connect_timeout = 1.5s;                  # 1500 ms
  .first_byte_timeout = 2 m;                # white space between number and unit: 120000 ms
  .between_bytes_timeout = 500ms;
  .max_connections = 500;
  .keepalive_time = 30s;
  .prefer_ipv6 = true;
  .fetch_timeout = 60s;
  .bypass_local_route_table = false;
  .probe = {
    .url = "/status";                       # path only, no .request
    .expected_response = 200;
    .interval = 10s;
    .timeout = 0.5s;                        // 500 ms
    .window = 5;
    .threshold = 3;
    .initial = 3;
  }
}

acl internal {
  "192.0.2.0"/24;
  !"192.0.2.5";
  "2001:db8::"/32;
  "localhost";
}

backend origin_images {
  .dynamic = true;
  .share_key = "img%31%32%33";              # escapes decode to img123
  .host = "images-origin.example.com";
  .port = "443";
  .host_header = "%u0069mages%2Eexample%2ecom";  # decodes to images.example.com
  .ssl = true;
  .ssl_cert_hostname = "images-origin.example.com";
  .ssl_check_cert = never;
  .connect_timeout = 1s;
  .first_byte_timeout = 1h;
  .between_bytes_timeout = 10s;
  .max_connections = 200;
  /* same probe as origin_primary, in another order: both backends share one healthcheck */
  .probe = {
    .initial = 3;
    .threshold = 3;
    .window = 5;
    .timeout = 500ms;
    .interval = 10s;
    .expected_response = 200;
    .url = "/status";
  }
}

table redirects {
  "/a": "/b",
  "/old{1}": "/new}",
  "/c": "/d",
}

table ttls INTEGER {
  "x": 1,
  "html": 60,
}

table cache_ttl RTIME {
  "css": 1d,
  "js": 12h,
}

backend /* c */ origin_archive /* c */ { # c
  .dynamic = true; .share_key = "arch1ve";
  .host = "archive.example.net";
  .port = "443";
  .host_header = "%u{1F600}.example.com";   // a %u{...} escape outside the BMP
  .ssl = true;
  .ssl_cert_hostname = "archive.example.net";
  .ssl_sni_hostname = "archive.example.net";
  .ssl_check_cert = always;
  .ssl_ca_cert = {"-----BEGIN CERTIFICATE-----
RmFrZSBjZXJ0aWZpY2F0ZSBhdXRob3JpdHkgZm9yIHRoZSB2Y2wtYmFja2VuZCB0
ZXN0IGZpeHR1cmVzLiBOb3RoaW5nIGhlcmUgaXMgYSByZWFsIGtleSwgYSByZWFs
IG5hbWUgb3IgYSByZWFsIHNpZ25hdHVyZS4gRmFrZSBjZXJ0aWZpY2F0ZSBhdXRo
b3JpdHkgZm9yIHRoZSB2Y2wtYmFja2VuZCB0ZXN0IGZpeHR1cmVzLiBOb3RoaW5n
IGhlcmUgaXMgYSByZWFsIGtleSwgYSByZWFsIG5hbWUgb3IgYSByZWFsIHNpZ25h
dHVyZS4g
-----END CERTIFICATE-----
"};
  .connect_timeout = 2s;
  .first_byte_timeout = 1w;                 # 604800000 ms
  .between_bytes_timeout = 1d;              # 86400000 ms
  .keepalive_time = 1y;                     // whole seconds
  .max_connections = 50;
  .probe /* c */ = /* c */ { // c
    .request = "GET /archive/health HTTP/1.1" /* c */ "Host: archive.example.net" # c
               "Connection: close"           // c
               "User-Agent: Varnish/fastly (healthcheck)" ;
    .expected_response = /* c */ 200 ;
    .interval = 30s; .timeout = 5s; .window = 3; .threshold = 2; .initial = 2; # several on one line
  } // c
} /* c */

table origin_by_host BACKEND {
  "img.example.com": origin_images,
  "archive.example.com": origin_archive,
}

director my_dir random {
  .quorum = 50%;
  .retries = 2;
  { .backend = origin_primary; .weight = 2; }
  { .backend = origin_images; .weight = 1; }
}

director fb fallback {
  { .backend = origin_primary; }
  { .backend = origin_archive; }
}

penaltybox pb {}

ratecounter rc {}

sub add_debug_headers {
  # braces in strings and comments must not confuse the skipper: { {
  set resp.http.X-Edge = "edge {" server.datacenter "}";
  /* } */
}

backend dummy_backend {
  .host = "127.0.0.1";
  .port = "1";
  .probe = {
    .request = "invalid";
    .initial = 0;
    .interval = 365d;
  }
}

sub vcl_recv {
#FASTLY recv
  declare local var.marker STRING;

  set var.marker = "}";                     # a closing brace inside a string
  set var.marker = var.marker "{" "}";
  set req.http.X-Not-Comment-1 = "/* not a comment */";
  set req.http.X-Not-Comment-2 = "# not a comment";
  set req.http.X-Not-Comment-3 = "// not a comment either";
  set req.http.X-Origin-Url = "https://example.com/path?a=1";
  set req.http.X-Long-1 = {"a } b { c"};
  set req.http.X-Long-2 = {"he said "hi""};
  set req.http.X-Long-3 = {EOF"a heredoc with "} and {" and "EOF inside"EOF};
  /* a block comment with braces } } { and a stray " quote */
  # a hash comment with an opening brace {
  // a slash comment with a closing brace }

  if (ratelimit.check_rate(req.http.Fastly-Client-IP, rc, 1, 10, 100, pb, 2m)) {
    error 429 "Too Many Requests";
  }

  if (client.ip ~ internal) {
    if (req.url.path ~ "^/admin/") {
      if (req.http.X-Debug == "1") {
        set req.backend = origin_primary;
      } else {
        set req.backend = fb;
      }
    } elsif (req.url.path ~ "^/img/") {
      set req.backend = origin_images;
    } else {
      set req.backend = my_dir;
    }
  } else if (table.contains(redirects, req.url.path)) {
    error 801 "redirect";
  } else {
    set req.backend = table.lookup_backend(origin_by_host, req.http.host, origin_primary);
  }

  if (req.http.X-Synthetic) {
    set req.backend = dummy_backend;
    error 900 "synthetic";
  }

  set req.http.X-TTL-Hint = table.lookup_integer(ttls, req.url.ext, 60);

  return(lookup);
}

sub vcl_hash {
#FASTLY hash
  set req.hash += req.url;
  set req.hash += req.http.host;
  return(hash);
}

sub vcl_hit {
#FASTLY hit
  return(deliver);
}

sub vcl_miss {
#FASTLY miss
  return(fetch);
}

sub vcl_pass {
#FASTLY pass
  return(pass);
}

sub vcl_fetch {
#FASTLY fetch
  if (req.url.ext ~ "^(css|js)$") {
    set beresp.ttl = table.lookup_rtime(cache_ttl, req.url.ext, 1h);
  }
  return(deliver);
}

sub vcl_error {
#FASTLY error
  if (obj.status == 801) {
    set obj.status = 301;
    set obj.response = "Moved Permanently";
    set obj.http.Location = table.lookup(redirects, req.url.path, "/");
    synthetic {""};
    return(deliver);
  }
  if (obj.status == 900) {
    set obj.status = 200;
    set obj.http.Content-Type = "text/html";
    synthetic {EOF"<html><body><p>literal "} and {" and } inside</p></body></html>"EOF};
    return(deliver);
  }
}

sub vcl_deliver {
#FASTLY deliver
  call add_debug_headers;
  return(deliver);
}

sub vcl_log {
#FASTLY log
}
