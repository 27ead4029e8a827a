# fixture: Varnish VCL moving to Fastly: a named probe shared by two backends (`.probe = NAME`),
# a `.url` probe, ports that are neither 80 nor 443, no share keys, and an IPv6 address.
vcl 4.1;

import std;

probe healthz {
  .url = "/healthz";
  .expected_response = 200;
  .interval = 10s;
  .timeout = 2s;
  .window = 5;
  .threshold = 3;
  .initial = 3;
}

backend default {
  .host = "app.internal";
  .port = "8080";
  .connect_timeout = 2s;
  .first_byte_timeout = 30s;
  .between_bytes_timeout = 5s;
  .max_connections = 100;
  .probe = healthz;
}

backend reports {
  .host = "2001:db8::10";
  .port = "8081";
  .probe = healthz;
}

sub vcl_recv {
  if (req.url ~ "^/reports/") {
    set req.backend_hint = reports;
  } else {
    set req.backend_hint = default;
  }
}
