# error: .keepalive_time = 1500ms is not a whole number of seconds (the API takes integer seconds)
backend origin {
  .host = "example.com";
  .port = "443";
  .keepalive_time = 1500ms;
}
