# fixture: backends in Fastly's generated format ("Show VCL"): `F_` names that keep their
# identifier, the default dummy probe (no healthcheck), an API healthcheck, always_use_host_header.
backend F_Origin_Primary {
    .always_use_host_header = true;
    .between_bytes_timeout = 10s;
    .connect_timeout = 1s;
    .dynamic = true;
    .first_byte_timeout = 15s;
    .host = "primary.example.com";
    .host_header = "primary.example.com";
    .max_connections = 200;
    .port = "443";
    .share_key = "tTSyFJgoN3lZqBOA0n3Rd7";

    .ssl = true;
    .ssl_cert_hostname = "primary.example.com";
    .ssl_check_cert = always;
    .ssl_sni_hostname = "primary.example.com";

    .probe = {
        .dummy = true;
        .initial = 5;
        .request = "HEAD / HTTP/1.1"  "Host: primary.example.com" "Connection: close";
        .threshold = 1;
        .timeout = 2s;
        .window = 5;
      }
}
backend F_Origin_Backup {
    .between_bytes_timeout = 10s;
    .connect_timeout = 1s;
    .dynamic = true;
    .first_byte_timeout = 15s;
    .host = "203.0.113.7";
    .max_connections = 200;
    .port = "80";
    .share_key = "tTSyFJgoN3lZqBOA0n3Rd7";

    .probe = {
        .expected_response = 200;
        .initial = 1;
        .interval = 60s;
        .request = "GET /health HTTP/1.1" "Host: backup.example.com" "Connection: close" "User-Agent: Varnish/fastly (healthcheck)";
        .threshold = 1;
        .timeout = 5s;
        .window = 2;
      }
}
