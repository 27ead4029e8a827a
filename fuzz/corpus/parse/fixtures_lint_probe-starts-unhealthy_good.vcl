# lint: probe-starts-unhealthy does not fire
# `.initial` equals `.threshold`: the backend starts healthy.
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

  .probe = {
    .request = "HEAD /health HTTP/1.1" "Host: origin.example.com" "Connection: close";
    .expected_response = 200;
    .interval = 15s;
    .timeout = 5s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
  }
}

sub vcl_recv {
  set req.backend = origin;
}
