# error: the .host string has no closing quote before the end of the line
backend origin {
  .host = "example.com;
  .port = "443";
}
