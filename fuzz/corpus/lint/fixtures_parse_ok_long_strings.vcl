# fixture: property values written as long strings: {"..."}, delimited {X"..."X} holding "} inside, short and long strings joined, PEM certificates with newlines, no escapes in long strings
backend long_values {
  .dynamic = true;
  .share_key = {"longkey1"};
  .host = {"origin.example.com"};
  .port = {"443"};
  .host_header = {EOF"www.example.com"EOF};
  .ssl = true;
  .ssl_sni_hostname = {X"sni.example.com"X};
  .ssl_cert_hostname = "cert." {"example.com"};   # a short string then a long one: cert.example.com
  .ssl_check_cert = always;
  .ssl_ciphers = {"ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"};
  .ssl_ca_cert = {"-----BEGIN CERTIFICATE-----
RmFrZSBjZXJ0aWZpY2F0ZSBhdXRob3JpdHkgZm9yIHRoZSB2Y2wtYmFja2VuZCB0
ZXN0IGZpeHR1cmVzLiBOb3RoaW5nIGhlcmUgaXMgYSByZWFsIGtleSwgYSByZWFs
IG5hbWUgb3IgYSByZWFsIHNpZ25hdHVyZS4gRmFrZSBjZXJ0aWZpY2F0ZSBhdXRo
b3JpdHkgZm9yIHRoZSB2Y2wtYmFja2VuZCB0ZXN0IGZpeHR1cmVzLiBOb3RoaW5n
IGhlcmUgaXMgYSByZWFsIGtleSwgYSByZWFsIG5hbWUgb3IgYSByZWFsIHNpZ25h
dHVyZS4g
-----END CERTIFICATE-----
"};
  .probe = {
    .request = {"GET /health HTTP/1.1"} "Host: api.example.com" {X"X-Note: a "} and a {" inside"X} {"X-Pct: 100%zz stays as written"} {"X-Marks: /* # // */ are not comments"};
    .expected_response = 200;
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
  }
}
backend long_mixed {
  .dynamic = true;
  .share_key = "long" {"key"} "2";            # longkey2
  .host = "images." {"example.com"};
  .port = "443";
  .host_header = {"img"} "." {abc_1"example"abc_1} ".com";
  .ssl = true;
  .ssl_cert_hostname = {"images.example.com"};
  .ssl_client_cert = {PEM"-----BEGIN CERTIFICATE-----
VGhpcyBpcyBub3QgYSByZWFsIGNlcnRpZmljYXRlLiBJdCBpcyBmaXh0dXJlIGRh
dGEgZm9yIHZjbC1iYWNrZW5kLCB3cml0dGVuIGJ5IGhhbmQsIGFuZCBhbnkgdG9v
bCB0aGF0IHRyaWVzIHRvIGxvYWQgaXQgYXMgREVSIHNob3VsZCBmYWlsIGNsZWFu
-----END CERTIFICATE-----
"PEM};
  .ssl_client_key = {PEM"-----BEGIN PRIVATE KEY-----
VGhpcyBpcyBub3QgYSByZWFsIHByaXZhdGUga2V5IGVpdGhlcjsgaXQgb25seSBo
YXMgdG8gbG9vayBsaWtlIFBFTSBzbyB0aGUgcGFyc2VyIHNlZXMgYSBtdWx0aS1s
-----END PRIVATE KEY-----
"PEM};
}
