# error: an object value { ... } on .host; only .probe takes an object
backend origin {
  .host = { .x = 1; }
  .port = "443";
}
