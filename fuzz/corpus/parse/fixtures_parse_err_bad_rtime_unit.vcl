# error: RTIME values with units Fastly does not know: 5x and 5sec
backend origin {
  .host = "example.com";
  .port = "443";
  .connect_timeout = 5x;
  .first_byte_timeout = 5sec;
}
