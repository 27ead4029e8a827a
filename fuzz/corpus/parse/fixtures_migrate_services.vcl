# fixture: a hand-written service to migrate with the real Fastly CLI: several backends, two of
# them sharing one probe, TLS on 8443 (needs `backend update --use-ssl`), a port-443 backend
# without TLS (the CLI cannot say so), probes with custom headers, share keys, PEM values,
# fields with no CLI flag (share_key, ssl_hostname, fetch_timeout, saintmode_threshold) and
# names that change (`origin` becomes `F_origin`; `F_api` is already the generated form).

backend origin {
  .dynamic = true;
  .share_key = "Kq3xZ8vN2bT5wLr7Yc1mHd";
  .host = "origin.example.com";
  .port = "443";
  .host_header = "www.example.com";
  .connect_timeout = 1s;
  .first_byte_timeout = 15s;
  .between_bytes_timeout = 10s;
  .max_connections = 200;

  .ssl = true;
  .ssl_cert_hostname = "origin.example.com";
  .ssl_sni_hostname = "origin.example.com";
  .ssl_check_cert = always;

  .probe = {
    .request = "GET /health HTTP/1.1" "Host: origin.example.com" "Connection: close" "User-Agent: Varnish/fastly (healthcheck)" "X-Health-Token: abc123" "Accept: application/json";
    .expected_response = 200;
    .interval = 15s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
  }
}

backend F_api {
  .dynamic = true;
  .share_key = "Kq3xZ8vN2bT5wLr7Yc1mHd";
  .host = "api.example.com";
  .port = "8443";
  .connect_timeout = 1500ms;
  .first_byte_timeout = 30s;
  .between_bytes_timeout = 10s;
  .fetch_timeout = 60s;
  .keepalive_time = 25s;
  .max_connections = 500;
  .prefer_ipv6 = true;

  .ssl = true;
  .ssl_cert_hostname = "api.example.com";
  .ssl_sni_hostname = "sni.api.example.com";
  .ssl_check_cert = always;
  .min_tls_version = "1.2";
  .max_tls_version = "1.3";
  .ssl_ciphers = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384";
  .ssl_ca_cert = {"-----BEGIN CERTIFICATE-----
RmFrZSBjZXJ0aWZpY2F0ZSBhdXRob3JpdHkgZm9yIHRoZSB2Y2wtYmFja2VuZCB0
ZXN0IGZpeHR1cmVzLiBOb3RoaW5nIGhlcmUgaXMgYSByZWFsIGtleSwgYSByZWFs
IG5hbWUgb3IgYSByZWFsIHNpZ25hdHVyZS4g
-----END CERTIFICATE-----
"};
  .ssl_client_cert = {"-----BEGIN CERTIFICATE-----
VGhpcyBpcyBub3QgYSByZWFsIGNlcnRpZmljYXRlLiBJdCBpcyBmaXh0dXJlIGRh
dGEgZm9yIHZjbC1iYWNrZW5kLg==
-----END CERTIFICATE-----
"};
  .ssl_client_key = {"-----BEGIN PRIVATE KEY-----
VGhpcyBpcyBub3QgYSByZWFsIHByaXZhdGUga2V5IGVpdGhlci4=
-----END PRIVATE KEY-----
"};

  .probe = {
    .request = "HEAD /status HTTP/1.1" "Host: api.example.com" "Connection: close";
    .expected_response = 204;
    .interval = 5s;
    .timeout = 1s;
    .window = 10;
    .threshold = 7;
    .initial = 9;
  }
}

# The same probe as F_api's: one healthcheck is shared.
backend api_mirror {
  .dynamic = true;
  .share_key = "Kq3xZ8vN2bT5wLr7Yc1mHd";
  .host = "192.0.2.10";
  .port = "8443";
  .saintmode_threshold = 0;   # the API's default: nothing to report
  .ssl = true;
  .ssl_cert_hostname = "api.example.com";
  .ssl_check_cert = never;

  .probe = {
    .request = "HEAD /status HTTP/1.1" "Host: api.example.com" "Connection: close";
    .expected_response = 204;
    .interval = 5s;
    .timeout = 1s;
    .window = 10;
    .threshold = 7;
    .initial = 9;
  }
}

# Plain HTTP on the HTTPS port: the API would turn TLS on by itself.
backend legacy_443 {
  .dynamic = true;
  .share_key = "legacyKey443";
  .host = "legacy.example.com";
  .port = "443";
  .ssl = false;
  .saintmode_threshold = 10;
}

# Fastly's default dummy probe: no healthcheck. Plain HTTP on port 80, with the old ssl_hostname.
backend F_static_assets {
  .dynamic = true;
  .share_key = "staticKey";
  .host = "static.example.com";
  .port = "80";
  .ssl_hostname = "static.example.com";
  .max_connections = 50;

  .probe = {
    .dummy = true;
    .initial = 5;
    .request = "HEAD / HTTP/1.1" "Host: static.example.com" "Connection: close";
    .threshold = 1;
    .timeout = 2s;
    .window = 5;
  }
}

sub vcl_recv {
  if (req.url ~ "^/api/") {
    set req.backend = F_api;
  } else if (req.url ~ "^/static/") {
    set req.backend = F_static_assets;
  } else {
    set req.backend = origin;
  }
}
