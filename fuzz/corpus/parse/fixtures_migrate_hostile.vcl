# fixture: hostile values that must reach the API unchanged through the shell scripts and
# execute nothing: single and double quotes (`%22`), `$(...)`, backticks, backslashes, `!`,
# newlines (in PEM values and, `%0A`-escaped, in a short string), a leading `-`, `%`-escaped
# characters, and form-encoding characters (`=`, `&`, `+`). The tests replace `/tmp/pwned`
# with a path of their own and check that no such file appears.

backend evil {
  .dynamic = true;
  .share_key = "k'ey%22$(touch /tmp/pwned)`touch /tmp/pwned`";
  .host = "-origin.example.com";
  .port = "8443";
  .host_header = "it's %22quoted%22 $(touch /tmp/pwned) `touch /tmp/pwned` 100%25 a=b&c=d+e !x";
  .connect_timeout = 1s;

  .ssl = true;
  .ssl_cert_hostname = "cert'; touch /tmp/pwned; echo '";
  .ssl_sni_hostname = "line one%0Aline two $(touch /tmp/pwned)";
  .ssl_check_cert = always;
  .ssl_ciphers = "-ALL:ECDHE-RSA-AES128-GCM-SHA256:\back\\slash";
  .min_tls_version = "%u00E9$HOME${HOME}";
  .ssl_ca_cert = {"-----BEGIN CERTIFICATE-----
$(touch /tmp/pwned)
'; touch /tmp/pwned; echo '
`touch /tmp/pwned`
-----END CERTIFICATE-----
"};

  .probe = {
    .request = "GET /health?q='$(touch${IFS}/tmp/pwned)'&b=%60touch${IFS}/tmp/pwned%60 HTTP/1.1" "Host: h'ost%22$(touch /tmp/pwned)" "Connection: close" "X-Evil: '; touch /tmp/pwned; echo '" "X-Quote: %22`touch /tmp/pwned`%22 $HOME";
    .expected_response = 200;
    .interval = 10s;
    .timeout = 2s;
    .window = 5;
    .threshold = 2;
    .initial = 2;
  }
}

# A second backend on the same probe, plain HTTP, with a leading `-` in its share key.
backend F_evil_too {
  .dynamic = true;
  .share_key = "-rf --no-preserve-root";
  .host = "192.0.2.66";
  .port = "80";
  .host_header = "--override-host=x";

  .probe = {
    .request = "GET /health?q='$(touch${IFS}/tmp/pwned)'&b=%60touch${IFS}/tmp/pwned%60 HTTP/1.1" "Host: h'ost%22$(touch /tmp/pwned)" "Connection: close" "X-Evil: '; touch /tmp/pwned; echo '" "X-Quote: %22`touch /tmp/pwned`%22 $HOME";
    .expected_response = 200;
    .interval = 10s;
    .timeout = 2s;
    .window = 5;
    .threshold = 2;
    .initial = 2;
  }
}
