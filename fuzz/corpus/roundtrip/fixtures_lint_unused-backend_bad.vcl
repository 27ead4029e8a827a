# lint: unused-backend fires
# `origin_old` is declared but nothing sends a request to it.
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

backend origin_old {
  .dynamic = true;
  .share_key = "Kq3xZ8vN2bT5wLr7Yc1mHd";
  .host = "old.origin.example.com";
  .port = "443";
  .connect_timeout = 1s;
  .first_byte_timeout = 15s;
  .between_bytes_timeout = 10s;
  .max_connections = 200;

  .ssl = true;
  .ssl_cert_hostname = "old.origin.example.com";
  .ssl_sni_hostname = "old.origin.example.com";
  .ssl_check_cert = always;
}

sub vcl_recv {
  # set req.backend = origin_old;   (commented out: not a use)
  set req.http.X-Was = "origin_old";
  set req.backend = origin;
}
