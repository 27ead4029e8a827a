# error: the {" long string of .ssl_ca_cert is never closed with "}
backend origin {
  .host = "example.com";
  .port = "443";
  .ssl_ca_cert = {"-----BEGIN CERTIFICATE-----
RmFrZSBjZXJ0aWZpY2F0ZSBhdXRob3JpdHkgZm9yIHRoZSB2Y2wtYmFja2VuZCB0
-----END CERTIFICATE-----
};
}
