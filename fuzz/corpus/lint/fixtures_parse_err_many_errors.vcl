# errors: five different problems over three backends with a sub between them; every one must be reported
backend origin {
  .host = "example.com";
  .port = 443;                      # 1: wrong type, INTEGER for STRING
  .conect_timeout = 1s;             # 2: unknown property
}
sub vcl_recv { set req.backend = origin; }
backend images {
  .host = "images.example.com";
  .port = "70000";                  # 3: port out of range
  .ssl_check_cert = sometimes;      # 4: not always/never
}
backend archive {
  .host = "archive%zz.example.com"; # 5: invalid escape
}
