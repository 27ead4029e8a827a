# lint: unused-backend does not fire
# Each backend is used: one assigned, one a director member, one in a health check.
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

backend origin_backup {
  .dynamic = true;
  .share_key = "Kq3xZ8vN2bT5wLr7Yc1mHd";
  .host = "backup.origin.example.com";
  .port = "443";
  .connect_timeout = 1s;
  .first_byte_timeout = 15s;
  .between_bytes_timeout = 10s;
  .max_connections = 200;

  .ssl = true;
  .ssl_cert_hostname = "backup.origin.example.com";
  .ssl_sni_hostname = "backup.origin.example.com";
  .ssl_check_cert = always;
}

backend status_page {
  .dynamic = true;
  .share_key = "Kq3xZ8vN2bT5wLr7Yc1mHd";
  .host = "status.example.com";
  .port = "443";
  .connect_timeout = 1s;
  .first_byte_timeout = 15s;
  .between_bytes_timeout = 10s;
  .max_connections = 200;

  .ssl = true;
  .ssl_cert_hostname = "status.example.com";
  .ssl_sni_hostname = "status.example.com";
  .ssl_check_cert = always;
}

director failover fallback {
  { .backend = origin; }
  { .backend = origin_backup; }
}

sub vcl_recv {
  set req.backend = failover;
  if (!backend.status_page.healthy) {
    error 503 "status page down";
  }
}
