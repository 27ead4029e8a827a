# error: .conect_timeout is not a backend property (did you mean .connect_timeout?)
backend origin {
  .host = "example.com";
  .port = "443";
  .conect_timeout = 1s;
}
