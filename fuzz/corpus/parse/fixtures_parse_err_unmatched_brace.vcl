# error: a stray } at the top level after the backend
backend origin {
  .host = "example.com";
  .port = "443";
}
}
