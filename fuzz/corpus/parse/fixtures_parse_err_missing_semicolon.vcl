# error: no ; after .port = "443"
backend origin {
  .port = "443"
  .host = "example.com";
}
