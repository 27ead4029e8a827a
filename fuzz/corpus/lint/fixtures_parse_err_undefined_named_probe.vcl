# error: .probe names a probe that is not declared anywhere
backend origin {
  .host = "example.com";
  .port = "443";
  .probe = nosuchprobe;
}
