# fixture: a Varnish VCL 4.1 file (vcl/import lines, a named probe, .probe = name, an inline .request probe, vcl_init with a director) as people bring it when migrating
vcl 4.1;

import std;
import directors;

probe healthcheck {
    .url = "/health";
    .interval = 5s;
    .timeout = 1s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
    .expected_response = 200;
}

backend app1 {
    .host = "192.0.2.21";
    .port = "8080";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 5s;
    .max_connections = 100;
    .probe = healthcheck;
}

backend app2 {
    .host = "192.0.2.22";
    .port = "8080";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 5s;
    .max_connections = 100;
    .probe = healthcheck;
}

backend api {
    .host = "api.example.com";
    .port = "80";
    .connect_timeout = 500ms;
    .first_byte_timeout = 10s;
    .probe = {
        .request = "GET /ping HTTP/1.1"
                   "Host: api.example.com"
                   "Connection: close";
        .interval = 10s;
        .timeout = 2s;
        .window = 4;
        .threshold = 2;
    }
}

sub vcl_init {
    new vdir = directors.round_robin();
    vdir.add_backend(app1);
    vdir.add_backend(app2);
}

sub vcl_recv {
    if (req.url ~ "^/api/") {
        set req.backend_hint = api;
    } else {
        set req.backend_hint = vdir.backend();
    }

    if (req.method == "PURGE") {
        return (purge);
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }

    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    if (beresp.status >= 500) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    set beresp.ttl = 10m;
    set beresp.grace = 1h;
}

sub vcl_deliver {
    set resp.http.X-Cache = "MISS";
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    }
    std.log("delivered {" + req.url + "}");
}

sub vcl_synth {
    set resp.http.Content-Type = "text/html; charset=utf-8";
    synthetic({"<!DOCTYPE html>
<html><body><h1>"} + resp.status + " " + resp.reason + {"</h1></body></html>
"});
    return (deliver);
}
