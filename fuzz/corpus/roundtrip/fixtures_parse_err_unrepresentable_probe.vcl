# warning: the always-healthy dummy backend idiom; "invalid" is no request line and 365d exceeds the API's 32-bit ms
backend dummy_backend {
  .host = "127.0.0.1";
  .port = "1";
  .probe = {
    .request = "invalid";
    .initial = 0;
    .interval = 365d;
  }
}
