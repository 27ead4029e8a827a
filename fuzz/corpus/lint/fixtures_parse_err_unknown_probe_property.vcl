# error: .intervall is not a probe property (did you mean .interval?)
backend origin {
  .host = "example.com";
  .port = "443";
  .probe = {
    .url = "/health";
    .intervall = 5s;
  }
}
