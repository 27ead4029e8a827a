# error: a /* comment inside the backend is never closed
backend origin {
  .host = "example.com";
  /* the port used to be 8080
  .port = "443";
}
