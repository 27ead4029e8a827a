# error: 1.0005s is not a whole number of milliseconds (the API takes integer ms)
backend origin {
  .host = "example.com";
  .port = "443";
  .connect_timeout = 1.0005s;
}
