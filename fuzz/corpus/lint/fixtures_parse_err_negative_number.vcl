# error: negative values: .max_connections = -5 and .connect_timeout = -1s
backend origin {
  .host = "example.com";
  .port = "443";
  .max_connections = -5;
  .connect_timeout = -1s;
}
