# error: .host is set twice in the same backend
backend origin {
  .host = "example.com";
  .port = "443";
  .host = "www.example.com";
}
