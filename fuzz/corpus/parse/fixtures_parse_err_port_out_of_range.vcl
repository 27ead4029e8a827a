# error: ports outside 1-65535: "70000" and "0"
backend origin {
  .host = "example.com";
  .port = "70000";
}
backend images {
  .host = "images.example.com";
  .port = "0";
}
