# error: wrong value types: .port takes a STRING ("443"), not an INTEGER; .ssl takes a BOOL (true), not a STRING
backend origin {
  .host = "example.com";
  .port = 443;
}
backend images {
  .host = "images.example.com";
  .port = "443";
  .ssl = "true";
}
