# error: the .host string holds a raw 0xFF byte, which is not UTF-8
backend origin {
  .host = "exaÿmple.com";
  .port = "443";
}
