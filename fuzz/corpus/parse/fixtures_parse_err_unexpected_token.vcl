# error: == where = is expected after .port
backend origin {
  .host = "example.com";
  .port == "443";
}
