# error: backend names must match [A-Za-z_][A-Za-z0-9_]*: 1origin starts with a digit, my-origin has a -
backend 1origin {
  .host = "example.com";
  .port = "443";
}
backend my-origin {
  .host = "www.example.com";
  .port = "443";
}
