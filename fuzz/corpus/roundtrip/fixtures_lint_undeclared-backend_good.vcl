# lint: undeclared-backend does not fire
# Every name that stands for a backend is a declared backend, a declared director, or one of
# Fastly's shield directors. Look-alikes in strings and comments are not references.
backend origin {
  .dynamic = true;
  .share_key = "Kq3xZ8vN2bT5wLr7Yc1mHd";
  .host = "origin.example.com";
  .port = "443";
  .connect_timeout = 1s;
  .first_byte_timeout = 15s;
  .between_bytes_timeout = 10s;
  .max_connections = 200;

  .ssl = true;
  .ssl_cert_hostname = "origin.example.com";
  .ssl_sni_hostname = "origin.example.com";
  .ssl_check_cert = always;
}

backend origin_eu {
  .dynamic = true;
  .share_key = "Kq3xZ8vN2bT5wLr7Yc1mHd";
  .host = "eu.origin.example.com";
  .port = "443";
  .connect_timeout = 1s;
  .first_byte_timeout = 15s;
  .between_bytes_timeout = 10s;
  .max_connections = 200;

  .ssl = true;
  .ssl_cert_hostname = "eu.origin.example.com";
  .ssl_sni_hostname = "eu.origin.example.com";
  .ssl_check_cert = always;
}

director pool random {
  .quorum = 50%;
  { .backend = origin; .weight = 2; }
  { .backend = origin_eu; .weight = 1; }
}

table by_region BACKEND {
  "eu": origin_eu,
  "us": origin,
}

sub vcl_recv {
  # set req.backend = not_a_backend;
  set req.http.X-Note = "set req.backend = not_a_backend_either;";
  set req.backend = pool;
  if (backend.origin_eu.healthy) {
    set req.backend = table.lookup_backend(by_region, req.http.X-Region, origin);
  }
  if (req.backend == origin && req.restarts == 0) {
    set req.backend = fastly.try_select_shield(ssl_shield_iad_va_us, origin);
  }
}
