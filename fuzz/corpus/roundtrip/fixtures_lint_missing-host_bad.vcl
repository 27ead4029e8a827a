# lint: missing-host fires
# The backend has no `.host`.
backend origin {
  .dynamic = true;
  .share_key = "Kq3xZ8vN2bT5wLr7Yc1mHd";
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

sub vcl_recv {
  set req.backend = origin;
}
