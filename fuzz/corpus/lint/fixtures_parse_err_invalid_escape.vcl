# error: invalid percent escapes: %zz is not hex, and %u12 has only two of the four hex digits %u needs
backend origin {
  .host = "example.com";
  .port = "443";
  .host_header = "www%zz.example.com";
  .share_key = "key%u12";
}
