# lint: undeclared-backend fires
# `orign` is a typo for `origin`, and `F_images` is an API backend lint was not told about.
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

sub vcl_recv {
  set req.backend = origin;
  if (req.restarts > 0) {
    set req.backend = orign;
  }
  if (req.url.ext ~ "(?i)^(jpe?g|png|webp)$") {
    set req.backend = F_images;
  }
}
