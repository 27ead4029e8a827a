# fixture: an older (about 2016-2022) generated dump: non-alphabetical property order, .ssl_hostname, .saintmode_threshold, shield_ssl_cache_* backends with .is_shield, TLS client cert/key long strings, probes with "Connection: close""User-Agent: ..." (no space), backends with neither .dynamic nor .probe
pragma optional_param geoip_opt_in true;
pragma optional_param max_object_size 20971520;
pragma optional_param smiss_max_object_size 20971520;
pragma optional_param fetchless_purge_all 1;
pragma optional_param default_ssl_check_cert 1;
pragma optional_param max_backends 100;
pragma optional_param customer_id "0pLm3KxQ7tRw9ZaBvCn2Ds";
C!
W!
# Backends

backend F_Primary_Origin {
    .connect_timeout = 1s;
    .dynamic = true;
    .port = "443";
    .host = "www-origin.example.com";
    .first_byte_timeout = 15s;
    .max_connections = 200;
    .between_bytes_timeout = 10s;
    .share_key = "6fGh2JkL8mNp4QrS0tUv1W";

    .ssl = true;
    .ssl_hostname = "www-origin.example.com";
    .ssl_check_cert = always;
    
    .probe = {
        .request = "GET /healthz HTTP/1.1" "Host: www.example.com" "Connection: close""User-Agent: Varnish/fastly (healthcheck)";
        .threshold = 1;
        .window = 2;
        .timeout = 5s;
        .initial = 1;
        .expected_response = 200;
        .interval = 60s;
      }
}
backend F_Partner_API {
    .connect_timeout = 3s;
    .dynamic = true;
    .port = "443";
    .host = "partner-api.example.net";
    .first_byte_timeout = 20s;
    .max_connections = 200;
    .between_bytes_timeout = 10s;
    .share_key = "6fGh2JkL8mNp4QrS0tUv1W";

    .ssl = true;
    .min_tls_version = "1.2";
    .ssl_ciphers = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:!RC4";
    .ssl_cert_hostname = "partner-api.example.net";
    .ssl_sni_hostname = "partner-api.example.net";
    .ssl_check_cert = always;
    .ssl_client_key = {"-----BEGIN PRIVATE KEY-----
VGhpcyBpcyBub3QgYSByZWFsIHByaXZhdGUga2V5IGVpdGhlcjsgaXQgb25seSBo
YXMgdG8gbG9vayBsaWtlIFBFTSBzbyB0aGUgcGFyc2VyIHNlZXMgYSBtdWx0aS1s
aW5lIGxvbmcgc3RyaW5nLiBUaGlzIGlzIG5vdCBhIHJlYWwgcHJpdmF0ZSBrZXkg
ZWl0aGVyOyBpdCBvbmx5IGhhcyB0byBsb29rIGxpa2UgUEVNIHNvIHRoZSBwYXJz
ZXIgc2VlcyBhIG11bHRpLWxpbmUgbG9uZyBzdHJpbmcuIFRoaXMgaXMgbm90IGEg
cmVhbCBwcml2YXRlIGtleSBlaXRoZXI7IGl0IG9ubHkgaGFzIHRvIGxvb2sgbGlr
ZSBQRU0gc28gdGhlIHBhcnNlciBzZWVzIGEgbXVsdGktbGluZSBsb25nIHN0cmlu
Zy4g
-----END PRIVATE KEY-----"};
    .ssl_client_cert = {"-----BEGIN CERTIFICATE-----
VGhpcyBpcyBub3QgYSByZWFsIGNlcnRpZmljYXRlLiBJdCBpcyBmaXh0dXJlIGRh
dGEgZm9yIHZjbC1iYWNrZW5kLCB3cml0dGVuIGJ5IGhhbmQsIGFuZCBhbnkgdG9v
bCB0aGF0IHRyaWVzIHRvIGxvYWQgaXQgYXMgREVSIHNob3VsZCBmYWlsIGNsZWFu
bHkuIFRoaXMgaXMgbm90IGEgcmVhbCBjZXJ0aWZpY2F0ZS4gSXQgaXMgZml4dHVy
ZSBkYXRhIGZvciB2Y2wtYmFja2VuZCwgd3JpdHRlbiBieSBoYW5kLCBhbmQgYW55
IHRvb2wgdGhhdCB0cmllcyB0byBsb2FkIGl0IGFzIERFUiBzaG91bGQgZmFpbCBj
bGVhbmx5LiBUaGlzIGlzIG5vdCBhIHJlYWwgY2VydGlmaWNhdGUuIEl0IGlzIGZp
eHR1cmUgZGF0YSBmb3IgdmNsLWJhY2tlbmQsIHdyaXR0ZW4gYnkgaGFuZCwgYW5k
IGFueSB0b29sIHRoYXQgdHJpZXMgdG8gbG9hZCBpdCBhcyBERVIgc2hvdWxkIGZh
aWwgY2xlYW5seS4g
-----END CERTIFICATE-----
"};

    .probe = {
        .request = "HEAD /status HTTP/1.1" "Host: partner-api.example.net" "Connection: close""User-Agent: Varnish/fastly (healthcheck)";
        .threshold = 3;
        .window = 5;
        .timeout = 2s;
        .initial = 3;
        .expected_response = 204;
        .interval = 15s;
      }
}
backend F_Web_App {
    .connect_timeout = 2s;
    .port = "80";
    .host = "198.51.100.20";
    .first_byte_timeout = 30s;
    .max_connections = 800;
    .saintmode_threshold = 200000;
    .between_bytes_timeout = 10s;

    .probe = {
        .request = "HEAD /ping HTTP/1.1" "Host: app.example.com" "Connection: close""User-Agent: Varnish/fastly (healthcheck)";
        .threshold = 7;
        .window = 10;
        .timeout = 5s;
        .initial = 9;
        .expected_response = 200;
        .interval = 2s;
      }
}
backend F_Web_App_2 {
    .connect_timeout = 2s;
    .dynamic = true;
    .port = "443";
    .host = "198.51.100.21";
    .first_byte_timeout = 30s;
    .max_connections = 800;
    .saintmode_threshold = 10;
    .between_bytes_timeout = 10s;
    .share_key = "6fGh2JkL8mNp4QrS0tUv1W";

    .ssl = true;
    .ssl_hostname = "app.example.com";
    .ssl_check_cert = always;

    .probe = {
        .request = "HEAD /ping HTTP/1.1" "Host: app.example.com" "Connection: close""User-Agent: Varnish/fastly (healthcheck)";
        .threshold = 7;
        .window = 10;
        .timeout = 5s;
        .initial = 9;
        .expected_response = 200;
        .interval = 2s;
      }
}
backend F_Static_Bucket {
    .connect_timeout = 1s;
    .port = "443";
    .host = "static-bucket.example.org";
    .first_byte_timeout = 15s;
    .max_connections = 200;
    .between_bytes_timeout = 10s;

    .ssl = true;
    .ssl_hostname = "static-bucket.example.org";
    .ssl_check_cert = always;
}
backend F_Old_Blog {
    .connect_timeout = 1s;
    .port = "80";
    .host = "192.0.2.44";
    .first_byte_timeout = 15s;
    .max_connections = 200;
    .between_bytes_timeout = 10s;
}
backend shield_ssl_cache_iad_kiad7000101_IAD {
    .connect_timeout = 2s;
    .dynamic = true;
    .port = "443";
    .host = "203.0.113.101";
    .is_shield = true;
    .max_connections = 1000;
    .share_key = "fastlyshield";

    .ssl = true;
    .ssl_cert_hostname = "shield.example.net";
    .ssl_check_cert = always;

    .probe = {
        .request = "HEAD /shield-health HTTP/1.1" "Host: shield.example.net" "Connection: close""User-Agent: Varnish/fastly (healthcheck)";
        .threshold = 1;
        .window = 2;
        .timeout = 5s;
        .initial = 1;
        .expected_response = 200;
        .interval = 5s;
      }
}
backend shield_ssl_cache_iad_kiad7000102_IAD {
    .connect_timeout = 2s;
    .dynamic = true;
    .port = "443";
    .host = "203.0.113.102";
    .is_shield = true;
    .max_connections = 1000;
    .share_key = "fastlyshield";

    .ssl = true;
    .ssl_cert_hostname = "shield.example.net";
    .ssl_check_cert = always;

    .probe = {
        .request = "HEAD /shield-health HTTP/1.1" "Host: shield.example.net" "Connection: close""User-Agent: Varnish/fastly (healthcheck)";
        .threshold = 1;
        .window = 2;
        .timeout = 5s;
        .initial = 1;
        .expected_response = 200;
        .interval = 5s;
      }
}
backend shield_ssl_cache_sjc_ksjc3100041_SJC {
    .connect_timeout = 2s;
    .dynamic = true;
    .port = "443";
    .host = "203.0.113.141";
    .is_shield = true;
    .max_connections = 1000;
    .share_key = "fastlyshield";

    .ssl = true;
    .ssl_cert_hostname = "shield.example.net";
    .ssl_check_cert = always;

    .probe = {
        .request = "HEAD /shield-health HTTP/1.1" "Host: shield.example.net" "Connection: close""User-Agent: Varnish/fastly (healthcheck)";
        .threshold = 1;
        .window = 2;
        .timeout = 5s;
        .initial = 1;
        .expected_response = 200;
        .interval = 5s;
      }
}
backend shield_ssl_cache_sjc_ksjc3100042_SJC {
    .connect_timeout = 2s;
    .dynamic = true;
    .port = "443";
    .host = "203.0.113.142";
    .is_shield = true;
    .max_connections = 1000;
    .share_key = "fastlyshield";

    .ssl = true;
    .ssl_cert_hostname = "shield.example.net";
    .ssl_check_cert = always;

    .probe = {
        .request = "HEAD /shield-health HTTP/1.1" "Host: shield.example.net" "Connection: close""User-Agent: Varnish/fastly (healthcheck)";
        .threshold = 1;
        .window = 2;
        .timeout = 5s;
        .initial = 1;
        .expected_response = 200;
        .interval = 5s;
      }
}

director autodirector_ random {
   {
    .backend = F_Web_App_2;
    .weight  = 100;
   }{
    .backend = F_Web_App;
    .weight  = 50;
   }
}

director ssl_shield_iad_va_us random {
   .retries = 2;
   { .backend = shield_ssl_cache_iad_kiad7000101_IAD; .weight = 100; }
   { .backend = shield_ssl_cache_iad_kiad7000102_IAD; .weight = 100; }
}

director ssl_shield_sjc_ca_us random {
   .retries = 2;
   { .backend = shield_ssl_cache_sjc_ksjc3100041_SJC; .weight = 100; }
   { .backend = shield_ssl_cache_sjc_ksjc3100042_SJC; .weight = 100; }
}



sub vcl_recv {
#--FASTLY RECV BEGIN
  if (req.restarts == 0) {
    if (!req.http.X-Timer) {
      set req.http.X-Timer = "S" time.start.sec "." time.start.usec_frac;
    }
    set req.http.X-Timer = req.http.X-Timer ",VS0";
  }

    # default conditions
    set req.backend = autodirector_;

      # end default conditions

      # Request Condition: partner api Prio: 10
      if( req.url ~ "^/partner/" ) {
        set req.backend = F_Partner_API;
      }
      #end condition
      # Request Condition: www Prio: 20
      if( req.http.host == "www.example.com" ) {
        set req.backend = F_Primary_Origin;
      }
      #end condition
      # Request Condition: static Prio: 30
      if( req.url ~ "^/static/" ) {
        set req.backend = F_Static_Bucket;
      }
      #end condition
      # Request Condition: blog Prio: 40
      if( req.url ~ "^/blog(/|$)" ) {
        set req.backend = F_Old_Blog;
      }
      #end condition

    # shield: F_Primary_Origin via IAD
    if (req.backend == F_Primary_Origin && req.restarts == 0) {
      if (server.identity !~ "-IAD$" && req.http.Fastly-FF !~ "-IAD") {
        set req.backend = ssl_shield_iad_va_us;
      }
      if (!req.backend.healthy) {
        # the shield is sick: go straight to the origin
        set req.backend = F_Primary_Origin;
      }
    }

    # shield: F_Partner_API via SJC
    if (req.backend == F_Partner_API && req.restarts == 0) {
      if (server.identity !~ "-SJC$" && req.http.Fastly-FF !~ "-SJC") {
        set req.backend = ssl_shield_sjc_ca_us;
      }
      if (!req.backend.healthy) {
        set req.backend = F_Partner_API;
      }
    }

#--FASTLY RECV END

    if (req.request != "HEAD" && req.request != "GET" && req.request != "FASTLYPURGE") {
      return(pass);
    }

    return(lookup);
}

sub vcl_fetch {
#--FASTLY FETCH BEGIN

  if ((beresp.status == 500 || beresp.status == 503) && req.restarts < 1 && (req.request == "GET" || req.request == "HEAD")) {
    restart;
  }

  if (req.restarts > 0) {
    set beresp.http.Fastly-Restarts = req.restarts;
  }

  if (beresp.http.Set-Cookie) {
    set req.http.Fastly-Cachetype = "SETCOOKIE";
    return(pass);
  }

  if (beresp.http.Cache-Control ~ "private") {
    set req.http.Fastly-Cachetype = "PRIVATE";
    return(pass);
  }

#--FASTLY FETCH END

  return(deliver);
}

sub vcl_error {
#--FASTLY ERROR BEGIN

  if (obj.status == 801) {
    set obj.status = 301;
    set obj.response = "Moved Permanently";
    set obj.http.Location = "https://" req.http.host req.url;
    synthetic {""};
    return (deliver);
  }

  if (req.http.Fastly-Restart-On-Error) {
    if (obj.status == 503 && req.restarts == 0) {
      restart;
    }
  }

  {
    if (obj.status == 550) {
      return(deliver);
    }
  }
#--FASTLY ERROR END

}

sub vcl_deliver {
#--FASTLY DELIVER BEGIN

  if (resp.status >= 500 && resp.status < 600) {
    if (stale.exists) {
      restart;
    }
  }

#--FASTLY DELIVER END
  return(deliver);
}
