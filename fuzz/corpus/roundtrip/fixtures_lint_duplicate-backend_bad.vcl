# lint: duplicate-backend fires
# The second backend reuses the name of the first.
backend origin_www {
  .dynamic = true;
  .share_key = "Kq3xZ8vN2bT5wLr7Yc1mHd";
  .host = "www-origin.example.com";
  .port = "443";
  .connect_timeout = 1s;
  .first_byte_timeout = 15s;
  .between_bytes_timeout = 10s;
  .max_connections = 200;

  .ssl = true;
  .ssl_cert_hostname = "www-origin.example.com";
  .ssl_sni_hostname = "www-origin.example.com";
  .ssl_check_cert = always;
}

backend origin_www {
  .dynamic = true;
  .share_key = "Kq3xZ8vN2bT5wLr7Yc1mHd";
  .host = "api-origin.example.com";
  .port = "443";
  .connect_timeout = 1s;
  .first_byte_timeout = 15s;
  .between_bytes_timeout = 10s;
  .max_connections = 200;

  .ssl = true;
  .ssl_cert_hostname = "api-origin.example.com";
  .ssl_sni_hostname = "api-origin.example.com";
  .ssl_check_cert = always;
}

sub vcl_recv {
  if (req.url.path ~ "^/api/") {
    set req.backend = origin_www;
  } else {
    set req.backend = origin_www;
  }
}
