# fixture: a "Show VCL" dump in Fastly's current generated format (prologue and backend layout byte-exact), 4 API backends plus the usual boilerplate
# Noticing changes to your VCL? The event log
# (https://docs.fastly.com/en/guides/reviewing-service-activity-with-the-event-log)
# in the web interface shows changes to your service's configurations and the
# change log on developer.fastly.com (https://developer.fastly.com/reference/changes/vcl/)
# provides info on changes to the Fastly-provided VCL itself.

pragma optional_param geoip_opt_in true;
pragma optional_param max_object_size 20971520;
pragma optional_param smiss_max_object_size 20971520;
pragma optional_param fetchless_purge_all 1;
pragma optional_param chash_randomize_on_pass true;
pragma optional_param default_ssl_check_cert 1;
pragma optional_param max_backends 20;
pragma optional_param customer_id "3hTq8WnB1xZcKd5RvLp0Ya";
C!
W!
# Backends

backend F_Main_Origin {
    .always_use_host_header = true;
    .between_bytes_timeout = 10s;
    .connect_timeout = 1s;
    .dynamic = true;
    .first_byte_timeout = 15s;
    .host = "origin.example.com";
    .host_header = "www.example.com";
    .max_connections = 200;
    .port = "443";
    .share_key = "9rKw2ZcT4bXyLm7NpV1eHd";

    .ssl = true;
    .ssl_cert_hostname = "origin.example.com";
    .ssl_check_cert = always;
    .ssl_sni_hostname = "origin.example.com";

    .probe = {
        .dummy = true;
        .initial = 5;
        .request = "HEAD / HTTP/1.1"  "Host: origin.example.com" "Connection: close";
        .threshold = 1;
        .timeout = 2s;
        .window = 5;
      }
}
backend F_Legacy_HTTP_Origin {
    .between_bytes_timeout = 10s;
    .connect_timeout = 1s;
    .dynamic = true;
    .first_byte_timeout = 15s;
    .host = "192.0.2.10";
    .max_connections = 200;
    .port = "80";
    .share_key = "9rKw2ZcT4bXyLm7NpV1eHd";

    .probe = {
        .dummy = true;
        .initial = 5;
        .request = "HEAD / HTTP/1.1"  "Host: 192.0.2.10" "Connection: close";
        .threshold = 1;
        .timeout = 2s;
        .window = 5;
      }
}
backend F_API_Origin___v2 {
    .between_bytes_timeout = 10s;
    .connect_timeout = 2s;
    .dynamic = true;
    .first_byte_timeout = 30s;
    .host = "api-origin.example.net";
    .max_connections = 500;
    .port = "443";
    .share_key = "9rKw2ZcT4bXyLm7NpV1eHd";

    .ssl = true;
    .ssl_cert_hostname = "api-origin.example.net";
    .ssl_check_cert = always;
    .ssl_sni_hostname = "api-origin.example.net";

    .probe = {
        .expected_response = 200;
        .initial = 3;
        .interval = 15s;
        .request = "GET /health HTTP/1.1" "Host: api.example.com" "Connection: close" "User-Agent: Varnish/fastly (healthcheck)";
        .threshold = 3;
        .timeout = 5s;
        .window = 5;
      }
}
backend F_Image_Store {
    .between_bytes_timeout = 10s;
    .connect_timeout = 1s;
    .dynamic = true;
    .first_byte_timeout = 15s;
    .host = "images.example.net";
    .max_connections = 200;
    .port = "443";
    .saintmode_threshold = 10;
    .share_key = "9rKw2ZcT4bXyLm7NpV1eHd";

    .ssl = true;
    .ssl_cert_hostname = "images.example.net";
    .ssl_check_cert = always;
    .ssl_sni_hostname = "images.example.net";

    .probe = {
        .dummy = true;
        .initial = 5;
        .request = "HEAD / HTTP/1.1"  "Host: images.example.net" "Connection: close";
        .threshold = 1;
        .timeout = 2s;
        .window = 5;
      }
}




director ssl_shield_iad_va_us shield {
   .shield = "iad-va-us";
   .is_ssl = true;
}

director ssl_shield_sjc_ca_us shield {
   .shield = "sjc-ca-us";
   .is_ssl = true;
}




sub vcl_recv {
#--FASTLY RECV BEGIN
  if (req.restarts == 0) {
    if (!req.http.X-Timer) {
      set req.http.X-Timer = "S" time.start.sec "." time.start.usec_frac;
    }
    set req.http.X-Timer = req.http.X-Timer ",VS0";
  }

  declare local var.fastly_req_do_shield BOOL;
  set var.fastly_req_do_shield = (req.restarts == 0);

  
  # default conditions
  set req.backend = F_Main_Origin;
  
  # end default conditions

  # Request Condition: api path Prio: 10
  if( req.url.path ~ "^/api/" ) {
    set req.backend = F_API_Origin___v2;
      }
  #end condition
  # Request Condition: image files Prio: 20
  if( req.url.ext ~ "(?i)^(jpe?g|png|gif|webp|avif)$" ) {
    set req.backend = F_Image_Store;
      }
  #end condition
  # Request Condition: legacy host Prio: 30
  if( req.http.host == "legacy.example.com" ) {
    set req.backend = F_Legacy_HTTP_Origin;
      }
  #end condition

  
      #do shield here F_Main_Origin > ssl_shield_iad_va_us;
  {
    if (req.backend == F_Main_Origin && var.fastly_req_do_shield) {
      set req.backend = fastly.try_select_shield(ssl_shield_iad_va_us, F_Main_Origin);
    }
  }
      #do shield here F_API_Origin___v2 > ssl_shield_sjc_ca_us;
  {
    if (req.backend == F_API_Origin___v2 && var.fastly_req_do_shield) {
      set req.backend = fastly.try_select_shield(ssl_shield_sjc_ca_us, F_API_Origin___v2);
    }
  }

#--FASTLY RECV END

  if (req.request != "HEAD" && req.request != "GET" && req.request != "FASTLYPURGE") {
    return(pass);
  }

  return(lookup);
}


sub vcl_hash {
#--FASTLY HASH BEGIN
  # support purge all
  set req.hash += req.vcl.generation;
  set req.hash += req.url;
  set req.hash += req.http.host;
#--FASTLY HASH END

  return(hash);
}

sub vcl_hit {
#--FASTLY HIT BEGIN
#--FASTLY HIT END

  if (!obj.cacheable) {
    return(pass);
  }
  return(deliver);
}

sub vcl_miss {
#--FASTLY MISS BEGIN
#--FASTLY MISS END

  return(fetch);
}

sub vcl_pass {
#--FASTLY PASS BEGIN
#--FASTLY PASS END
}

sub vcl_fetch {
  declare local var.fastly_disable_restart_on_error BOOL;

#--FASTLY FETCH BEGIN

  # record the path this object took through the caches
  set beresp.http.Fastly-Debug-Path = "(F " server.identity " " now.sec ") " if(beresp.http.Fastly-Debug-Path, beresp.http.Fastly-Debug-Path, "");

  # Cache Condition: static assets Prio: 10
  if( req.url.ext ~ "(?i)^(css|js|woff2?)$" ) {
    set beresp.ttl = 86400s;
    set beresp.grace = 3600s;
    return(deliver);
  }
  #end condition

#--FASTLY FETCH END

  if (!var.fastly_disable_restart_on_error) {
    if ((beresp.status == 500 || beresp.status == 503) && req.restarts < 1 && (req.request == "GET" || req.request == "HEAD")) {
      restart;
    }
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

  if (beresp.status == 500 || beresp.status == 503) {
    set req.http.Fastly-Cachetype = "ERROR";
    set beresp.ttl = 1s;
    set beresp.grace = 5s;
    return(deliver);
  }

  if (beresp.http.Expires || beresp.http.Surrogate-Control ~ "max-age" || beresp.http.Cache-Control ~ "(?:s-maxage|max-age)") {
    # keep the ttl the origin asked for
  } else {
    # no cache headers from the origin: use the service default
    set beresp.ttl = 3600s;
  }

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

  # Response Condition: maintenance page Prio: 10
  if( obj.status == 900 ) {
    set obj.http.Content-Type = "text/html; charset=utf-8";
    set obj.status = 503;
    set obj.response = "Service Unavailable";
    synthetic {"<html><head><title>Down for maintenance</title></head><body><h1>Back soon {we promise}</h1><p>Try again later.</p></body></html>"};
    return(deliver);
  }
  #end condition

#--FASTLY ERROR END

}

sub vcl_deliver {
#--FASTLY DELIVER BEGIN

  if (req.http.Fastly-Debug) {
    set resp.http.Fastly-Debug-Path = "(D " server.identity " " now.sec ") " if(resp.http.Fastly-Debug-Path, resp.http.Fastly-Debug-Path, "");
  } else {
    unset resp.http.Fastly-Debug-Path;
  }

  if (!req.http.Fastly-Debug) {
    unset resp.http.Server;
    unset resp.http.Via;
  }

#--FASTLY DELIVER END
  return(deliver);
}

sub vcl_log {
#--FASTLY LOG BEGIN

  # default response conditions

#--FASTLY LOG END

}
