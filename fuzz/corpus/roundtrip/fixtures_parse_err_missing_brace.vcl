# error: backend origin is never closed; the next backend declaration starts inside it
backend origin {
  .host = "example.com";
  .port = "443";

backend images {
  .host = "images.example.com";
  .port = "443";
}
