# warning: a .dummy = true probe that differs from Fastly's default dummy probe (.initial = 2), which the API cannot express
backend F_origin {
  .dynamic = true;
  .share_key = "abc123";
  .host = "example.com";
  .port = "443";
  .probe = {
    .dummy = true;
    .initial = 2;
    .request = "HEAD / HTTP/1.1"  "Host: example.com" "Connection: close";
    .threshold = 1;
    .timeout = 2s;
    .window = 5;
  }
}
