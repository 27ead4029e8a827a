# error: two backends are named origin
backend origin {
  .host = "example.com";
  .port = "443";
}
backend origin {
  .host = "www.example.com";
  .port = "443";
}
