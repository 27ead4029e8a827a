//! Lowering VCL to the API model, as docs/design.md §2 fixes it.

use vcl_backend::lower::{Lowered, api_name, parse_config};
use vcl_backend::model::{Backend, Healthcheck};
use vcl_backend::span::Span;
use vcl_backend::{Diagnostic, Severity};

fn codes(l: &Lowered) -> Vec<&'static str> {
    l.diagnostics.iter().map(|d| d.code).collect()
}

/// Lowers `src`, which must give no diagnostic at all.
fn clean(src: &str) -> Lowered {
    let l = parse_config(src);
    assert_eq!(codes(&l), Vec::<&str>::new(), "{:?}", l.diagnostics);
    l
}

/// The API backend of `backend F_a { .host = "h"; PROPS }`, which must lower cleanly.
fn one(props: &str) -> Backend {
    let l = clean(&format!("backend F_a {{ .host = \"h\"; {props} }}"));
    assert_eq!(l.config.backends.len(), 1);
    l.config.backends[0].clone()
}

/// `Backend { name: "a", address: "h" }` plus what a test adds.
fn base() -> Backend {
    Backend {
        name: Some("a".into()),
        address: Some("h".into()),
        // No `.ssl` is VCL's default, no TLS: lowering says so (the API would infer TLS on 443).
        use_ssl: Some(false),
        ..Backend::default()
    }
}

/// The only diagnostic of `backend F_a { .host = "h"; PROPS }`.
fn only(props: &str) -> Diagnostic {
    let l = parse_config(&format!("backend F_a {{ .host = \"h\"; {props} }}"));
    assert_eq!(l.diagnostics.len(), 1, "{:?}", l.diagnostics);
    l.diagnostics[0].clone()
}

fn primary(d: &Diagnostic) -> Span {
    d.primary_span().expect("a labelled diagnostic")
}

fn offset(src: &str, needle: &str) -> usize {
    src.find(needle).expect("needle in source")
}

mod names {
    use super::*;

    #[test]
    fn one_leading_f_prefix_is_removed() {
        assert_eq!(api_name("F_x"), "x");
        assert_eq!(api_name("F_F_x"), "F_x");
        assert_eq!(api_name("F_"), "F_");
        assert_eq!(api_name("origin"), "origin");
    }

    #[test]
    fn double_prefix_in_the_model() {
        let l = clean("backend F_F_x { .host = \"h\"; }");
        assert_eq!(l.config.backends[0].name.as_deref(), Some("F_x"));
        assert_eq!(l.sources[0].ident, "F_F_x");
    }

    #[test]
    fn bare_prefix_stays() {
        let l = clean("backend F_ { .host = \"h\"; }");
        assert_eq!(l.config.backends[0].name.as_deref(), Some("F_"));
    }

    #[test]
    fn hand_written_name_gets_a_note() {
        let src = "backend origin { .host = \"h\"; }";
        let l = parse_config(src);
        assert_eq!(l.config.backends[0].name.as_deref(), Some("origin"));
        assert_eq!(codes(&l), ["parse::api-name"]);
        let d = &l.diagnostics[0];
        assert_eq!(d.severity, Severity::Info);
        assert_eq!(
            d.message,
            "under the API, backend `origin` is named `F_origin` in VCL"
        );
        assert_eq!(primary(d), Span::new(8, 14));
        assert!(!l.has_errors());
    }

    #[test]
    fn source_span_is_the_declaration() {
        let src = "  backend F_a { .host = \"h\"; }\n";
        let l = clean(src);
        assert_eq!(l.sources[0].span, Span::new(2, src.len() - 1));
    }
}

mod mapping {
    use super::*;

    #[test]
    fn host_to_address() {
        assert_eq!(one(""), base());
    }

    #[test]
    fn host_decodes_escapes_and_joins_parts() {
        let l = clean("backend F_a { .host = \"ex%61mple\" \".com\"; }");
        assert_eq!(l.config.backends[0].address.as_deref(), Some("example.com"));
    }

    #[test]
    fn port_string_to_integer() {
        assert_eq!(one(".port = \"443\";").port, Some(443));
    }

    #[test]
    fn bad_ports() {
        assert_eq!(only(".port = \"0\";").code, "parse::out-of-range");
        assert_eq!(only(".port = \"65536\";").code, "parse::out-of-range");
        assert_eq!(only(".port = \"http\";").code, "parse::invalid-value");
        assert_eq!(only(".port = 443;").code, "parse::wrong-type");
    }

    #[test]
    fn ssl_to_use_ssl() {
        assert_eq!(one(".ssl = true;").use_ssl, Some(true));
        assert_eq!(one(".ssl = false;").use_ssl, Some(false));
    }

    #[test]
    fn ssl_check_cert() {
        assert_eq!(one(".ssl_check_cert = always;").ssl_check_cert, Some(true));
        assert_eq!(one(".ssl_check_cert = never;").ssl_check_cert, Some(false));
        assert_eq!(
            only(".ssl_check_cert = sometimes;").code,
            "parse::invalid-keyword"
        );
    }

    #[test]
    fn max_connections_to_max_conn() {
        assert_eq!(one(".max_connections = 300;").max_conn, Some(300));
    }

    #[test]
    fn host_header_to_override_host() {
        let b = one(".host_header = \"o.example.com\"; .always_use_host_header = true;");
        assert_eq!(
            b,
            Backend {
                override_host: Some("o.example.com".into()),
                ..base()
            }
        );
    }

    #[test]
    fn saintmode_threshold_to_error_threshold() {
        assert_eq!(one(".saintmode_threshold = 10;").error_threshold, Some(10));
    }

    #[test]
    fn keepalive_time_in_seconds() {
        assert_eq!(one(".keepalive_time = 30s;").keepalive_time, Some(30));
    }

    #[test]
    fn timeouts_in_milliseconds() {
        let b = one(".connect_timeout = 1s; .first_byte_timeout = 15s; \
             .between_bytes_timeout = 10s; .fetch_timeout = 250ms;");
        assert_eq!(
            b,
            Backend {
                connect_timeout: Some(1000),
                first_byte_timeout: Some(15_000),
                between_bytes_timeout: Some(10_000),
                fetch_timeout: Some(250),
                ..base()
            }
        );
    }

    #[test]
    fn tls_strings() {
        let b = one(
            ".ssl_cert_hostname = \"c\"; .ssl_sni_hostname = \"s\"; .ssl_hostname = \"x\"; \
             .min_tls_version = \"1.2\"; .share_key = \"k\";",
        );
        assert_eq!(
            b,
            Backend {
                ssl_cert_hostname: Some("c".into()),
                ssl_sni_hostname: Some("s".into()),
                ssl_hostname: Some("x".into()),
                min_tls_version: Some("1.2".into()),
                share_key: Some("k".into()),
                ..base()
            }
        );
    }

    #[test]
    fn long_string_certificate() {
        let b = one(".ssl_ca_cert = {\"-----BEGIN\n%41\n-----END\"};");
        assert_eq!(b.ssl_ca_cert.as_deref(), Some("-----BEGIN\n%41\n-----END"));
    }

    #[test]
    fn invalid_escape_points_at_it() {
        let src = "backend F_a { .host = \"a%zz\"; }";
        let l = parse_config(src);
        assert_eq!(codes(&l), ["parse::invalid-escape"]);
        let at = offset(src, "%zz");
        assert_eq!(primary(&l.diagnostics[0]), Span::new(at, at + 1));
    }

    #[test]
    fn backends_in_source_order() {
        let l = clean("backend F_b { .host = \"1\"; }\nbackend F_a { .host = \"2\"; }");
        let names: Vec<_> = l.config.backends.iter().map(|b| b.name.clone()).collect();
        assert_eq!(names, [Some("b".to_string()), Some("a".to_string())]);
    }
}

mod probes {
    use super::*;

    /// The healthchecks and the backends' `healthcheck` fields of `src`, which lowers cleanly.
    fn checks(src: &str) -> (Vec<Healthcheck>, Vec<Option<String>>) {
        let l = clean(src);
        let refs = l.config.backends.iter().map(|b| b.healthcheck.clone());
        (l.config.healthchecks.clone(), refs.collect())
    }

    #[test]
    fn request_is_split() {
        let (hcs, refs) = checks(
            "backend F_a { .host = \"h\"; .probe = {\n\
             .request = \"GET /health HTTP/1.1\" \"Host: example.com\" \"Connection: close\"\n\
             \"User-Agent: Varnish/fastly (healthcheck)\" \"X-B: 2\" \"X-A: 1\";\n\
             .expected_response = 200; .interval = 60s; .timeout = 5s;\n\
             .window = 5; .threshold = 3; .initial = 2; } }",
        );
        assert_eq!(
            hcs,
            [Healthcheck {
                name: Some("a".into()),
                method: Some("GET".into()),
                path: Some("/health".into()),
                http_version: Some("1.1".into()),
                host: Some("example.com".into()),
                headers: Some(vec!["X-B: 2".into(), "X-A: 1".into()]),
                check_interval: Some(60_000),
                timeout: Some(5000),
                window: Some(5),
                threshold: Some(3),
                initial: Some(2),
                expected_response: Some(200),
                ..Healthcheck::default()
            }]
        );
        assert_eq!(refs, [Some("a".to_string())]);
    }

    #[test]
    fn request_lines_inside_one_literal() {
        let (hcs, _) = checks(
            "backend F_a { .host = \"h\"; .probe = { \
             .request = \"HEAD / HTTP/1.0%0d%0aHost: x%0d%0aX-C: 3\"; } }",
        );
        assert_eq!(
            hcs[0],
            Healthcheck {
                name: Some("a".into()),
                method: Some("HEAD".into()),
                path: Some("/".into()),
                http_version: Some("1.0".into()),
                host: Some("x".into()),
                headers: Some(vec!["X-C: 3".into()]),
                ..Healthcheck::default()
            }
        );
    }

    #[test]
    fn url_sets_path_and_the_get_it_sends() {
        let (hcs, _) = checks("backend F_a { .host = \"h\"; .probe = { .url = \"/ok\"; } }");
        assert_eq!(
            hcs,
            [Healthcheck {
                name: Some("a".into()),
                path: Some("/ok".into()),
                method: Some("GET".into()),
                ..Healthcheck::default()
            }]
        );
    }

    const DEFAULT_DUMMY: &str = "{
        .dummy = true;
        .initial = 5;
        .request = \"HEAD / HTTP/1.1\"  \"Host: h\" \"Connection: close\";
        .threshold = 1;
        .timeout = 2s;
        .window = 5;
      }";

    #[test]
    fn default_dummy_probe_is_no_healthcheck() {
        let (hcs, refs) = checks(&format!(
            "backend F_a {{ .host = \"h\"; .probe = {DEFAULT_DUMMY} }}"
        ));
        assert_eq!(hcs, []);
        assert_eq!(refs, [None]);
    }

    #[test]
    fn other_dummy_probe_is_reported() {
        let src = "backend F_a { .host = \"h\"; .probe = { .dummy = true; .window = 3; } }";
        let l = parse_config(src);
        assert_eq!(codes(&l), ["parse::dummy-probe"]);
        assert_eq!(l.diagnostics[0].severity, Severity::Warning);
        assert!(l.diagnostics[0].message.ends_with("dropped: `.window`"));
        let open = offset(src, "{ .dummy");
        assert_eq!(primary(&l.diagnostics[0]), Span::new(open, src.len() - 2));
        assert_eq!(l.config.backends.len(), 1);
        assert_eq!(l.config.backends[0].healthcheck, None);
        assert!(l.config.healthchecks.is_empty());
        assert_eq!(l.sources[0].dummy_probe.as_deref(), Some("`.window`"));
        assert_eq!(l.sources[0].unrepresentable_probe, None);
    }

    #[test]
    fn always_healthy_dummy_backend_is_kept_with_a_warning() {
        let l = parse_config(
            "backend F_a { .host = \"h\"; .port = \"1\"; \
             .probe = { .request = \"invalid\"; .initial = 0; .interval = 365d; } }",
        );
        assert_eq!(codes(&l), ["parse::unrepresentable-probe"]);
        assert!(!l.has_errors());
        assert_eq!(l.config.backends[0].port, Some(1));
    }

    #[test]
    fn identical_probes_share_one_healthcheck() {
        let probe = ".probe = { .url = \"/ok\"; .window = 4; }";
        let (hcs, refs) = checks(&format!(
            "backend F_a {{ .host = \"h\"; {probe} }}\nbackend F_b {{ .host = \"i\"; {probe} }}"
        ));
        assert_eq!(hcs.len(), 1);
        assert_eq!(hcs[0].name.as_deref(), Some("a"));
        assert_eq!(refs, [Some("a".to_string()), Some("a".to_string())]);
    }

    #[test]
    fn different_probes_get_their_backends_names() {
        let (hcs, refs) = checks(
            "backend F_a { .host = \"h\"; .probe = { .url = \"/1\"; } }\n\
             backend F_b { .host = \"i\"; .probe = { .url = \"/2\"; } }",
        );
        let names: Vec<_> = hcs.iter().map(|h| h.name.clone()).collect();
        assert_eq!(names, [Some("a".to_string()), Some("b".to_string())]);
        assert_eq!(refs, [Some("a".to_string()), Some("b".to_string())]);
    }

    #[test]
    fn named_probe_used_twice_is_one_healthcheck() {
        let (hcs, refs) = checks(
            "backend F_a { .host = \"h\"; .probe = hc; }\n\
             backend F_b { .host = \"i\"; .probe = hc; }\n\
             probe hc { .url = \"/\"; .timeout = 1s; }",
        );
        assert_eq!(
            hcs,
            [Healthcheck {
                name: Some("hc".into()),
                path: Some("/".into()),
                method: Some("GET".into()),
                timeout: Some(1000),
                ..Healthcheck::default()
            }]
        );
        assert_eq!(refs, [Some("hc".to_string()), Some("hc".to_string())]);
    }

    #[test]
    fn undefined_named_probe() {
        let src = "backend F_a { .host = \"h\"; .probe = nope; }";
        let l = parse_config(src);
        assert_eq!(codes(&l), ["parse::undefined-probe"]);
        let at = offset(src, "nope");
        assert_eq!(primary(&l.diagnostics[0]), Span::new(at, at + 4));
        assert_eq!(
            l.diagnostics[0].help.as_deref(),
            Some("declare it: `probe nope { .url = \"/\"; }`, or write the probe inline")
        );
    }

    #[test]
    fn misspelt_named_probe() {
        let l = parse_config(
            "probe health { .url = \"/\"; }\nbackend F_a { .host = \"h\"; .probe = helth; }",
        );
        assert_eq!(codes(&l), ["parse::undefined-probe"]);
        assert_eq!(
            l.diagnostics[0].help.as_deref(),
            Some("did you mean `health`?")
        );
    }

    #[test]
    fn unknown_probe_property() {
        let l = parse_config("backend F_a { .host = \"h\"; .probe = { .windw = 5; } }");
        assert_eq!(codes(&l), ["parse::unknown-property"]);
        assert_eq!(
            l.diagnostics[0].help.as_deref(),
            Some("did you mean `.window`?")
        );
        assert!(l.config.backends.is_empty());
    }

    #[test]
    fn object_inside_a_probe_is_an_object_value() {
        let l = parse_config("backend F_a { .host = \"h\"; .probe = { .request = { .x = 1; }; } }");
        assert_eq!(codes(&l), ["parse::object-value"]);
    }

    #[test]
    fn named_probe_of_a_dropped_backend() {
        let l = parse_config(
            "probe hc { .url = \"/\"; }\n\
             backend F_a { .host = \"h\"; .port = \"0\"; .probe = hc; }\n\
             backend F_b { .host = \"i\"; }",
        );
        assert_eq!(codes(&l), ["parse::out-of-range"]);
        assert_eq!(l.config.backends.len(), 1);
        assert_eq!(l.config.backends[0].name.as_deref(), Some("b"));
        assert_eq!(l.config.backends[0].healthcheck, None);
    }

    #[test]
    fn named_probe_of_the_last_dropped_backend() {
        let l = parse_config(
            "probe hc { .url = \"/\"; }\n\
             backend F_a { .host = \"h\"; .port = \"0\"; .probe = hc; }",
        );
        assert_eq!(codes(&l), ["parse::out-of-range"]);
        assert!(l.config.backends.is_empty());
    }

    #[test]
    fn probe_of_the_wrong_type() {
        assert_eq!(only(".probe = \"hc\";").code, "parse::wrong-type");
        assert_eq!(only(".probe = 5;").code, "parse::wrong-type");
    }
}

mod errors {
    use super::*;

    #[test]
    fn duplicate_backend() {
        let src = "backend F_a { .host = \"1\"; }\nbackend F_a { .host = \"2\"; }";
        let l = parse_config(src);
        assert_eq!(codes(&l), ["parse::duplicate-backend"]);
        let second = src.rfind("F_a").unwrap();
        assert_eq!(primary(&l.diagnostics[0]), Span::new(second, second + 3));
        assert_eq!(l.diagnostics[0].labels[1].span, Span::new(8, 11));
        assert_eq!(l.config.backends.len(), 1);
        assert_eq!(l.config.backends[0].address.as_deref(), Some("1"));
    }

    #[test]
    fn duplicate_property() {
        let src = "backend F_a { .host = \"1\"; .host = \"2\"; }";
        let l = parse_config(src);
        assert_eq!(codes(&l), ["parse::duplicate-property"]);
        let second = src.rfind("host").unwrap();
        assert_eq!(primary(&l.diagnostics[0]), Span::new(second, second + 4));
        assert_eq!(l.diagnostics[0].labels[1].span, Span::new(15, 19));
        assert!(l.config.backends.is_empty());
    }

    #[test]
    fn unknown_property_with_suggestion() {
        let src = "backend F_a { .host = \"h\"; .prot = \"80\"; }";
        let l = parse_config(src);
        assert_eq!(codes(&l), ["parse::unknown-property"]);
        let d = &l.diagnostics[0];
        assert_eq!(d.message, "unknown backend property `.prot`");
        assert_eq!(d.help.as_deref(), Some("did you mean `.port`?"));
        let at = offset(src, "prot");
        assert_eq!(primary(d), Span::new(at, at + 4));
    }

    #[test]
    fn unknown_property_without_suggestion() {
        let d = only(".weight = 100;");
        assert_eq!(d.code, "parse::unknown-property");
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .starts_with("see the backend properties")
        );
    }

    #[test]
    fn missing_host() {
        let l = parse_config("backend F_a { .port = \"80\"; }");
        assert_eq!(codes(&l), ["parse::missing-host"]);
        assert_eq!(primary(&l.diagnostics[0]), Span::new(8, 11));
        assert!(l.config.backends.is_empty());
    }

    #[test]
    fn missing_host_not_claimed_after_a_syntax_error() {
        let l = parse_config("backend F_a { .host = ; .port = \"80\"; }");
        assert_eq!(codes(&l), ["parse::unexpected-token"]);
    }

    #[test]
    fn object_for_a_plain_property() {
        assert_eq!(
            only(".host_header = { .x = 1; };").code,
            "parse::object-value"
        );
    }

    #[test]
    fn a_bad_backend_does_not_drop_the_next() {
        let l = parse_config(
            "backend F_a { .host = \"h\"; .ssl = yes; }\nbackend F_b { .host = \"i\"; }",
        );
        assert_eq!(codes(&l), ["parse::wrong-type"]);
        assert_eq!(l.config.backends.len(), 1);
        assert_eq!(l.sources.len(), 1);
        assert_eq!(l.sources[0].ident, "F_b");
    }
}

mod vcl_only {
    use super::*;

    #[test]
    fn recorded_on_the_source_not_the_model() {
        let src = "backend F_a { .host = \"h\"; .dynamic = true; .is_shield = false; \
                   .bypass_local_route_table = true; }";
        let l = clean(src);
        assert_eq!(l.config.backends, [base()]);
        let names: Vec<_> = l.sources[0].vcl_only.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["dynamic", "is_shield", "bypass_local_route_table"]);
        let at = offset(src, ".dynamic");
        assert_eq!(
            l.sources[0].vcl_only[0].1,
            Span::new(at, at + ".dynamic = true".len())
        );
    }

    #[test]
    fn must_be_booleans() {
        assert_eq!(only(".dynamic = \"yes\";").code, "parse::wrong-type");
    }

    #[test]
    fn shield_backend_needs_no_prefix_note() {
        let l = clean("backend ssl_shield_iad_va_us { .host = \"h\"; .is_shield = true; }");
        assert_eq!(l.sources[0].vcl_only[0].0, "is_shield");
    }
}
