# error: .ssl_check_cert takes always or never, not sometimes
backend origin {
  .host = "example.com";
  .port = "443";
  .ssl = true;
  .ssl_check_cert = sometimes;
}
