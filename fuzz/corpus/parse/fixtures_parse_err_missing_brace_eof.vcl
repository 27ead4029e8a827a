# error: backend origin is never closed; the file ends first
backend origin {
  .host = "example.com";
  .port = "443";
