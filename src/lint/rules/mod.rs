//! One file per rule; [`ALL`] is the registry's table.

use crate::lint::registry::Rule;

mod api_incompatible;
mod deprecated_ssl_hostname;
mod director_from_lowering;
mod director_without_healthchecks;
mod from_lowering;
mod host_header_without_always;
mod initial_above_window;
mod invalid_expected_response;
mod invalid_share_key;
mod missing_dynamic;
mod missing_share_key;
mod probe_interval_out_of_range;
mod probe_request_without_host;
mod probe_starts_unhealthy;
mod probe_timeout_not_below_interval;
mod probe_window_too_large;
mod probe_without_initial;
mod protected_property;
mod reserved_name;
mod ssl_check_cert_never;
pub(crate) mod template_placeholder;
mod threshold_above_window;
mod tls_port_mismatch;
mod tls_without_hostname;
mod tls_without_sni_hostname;
mod undeclared_backend;
mod unreachable_quorum;
mod unused_backend;
mod unused_director;
mod zero_weight;

/// Every rule, in documentation order: errors, then warnings, then info.
pub static ALL: &[&Rule] = &[
    &from_lowering::UNKNOWN_PROPERTY,
    &from_lowering::WRONG_TYPE,
    &from_lowering::OBJECT_VALUE,
    &from_lowering::OUT_OF_RANGE,
    &from_lowering::INVALID_VALUE,
    &from_lowering::INVALID_SSL_CHECK_CERT,
    &from_lowering::DUPLICATE_PROPERTY,
    &from_lowering::DUPLICATE_BACKEND,
    &from_lowering::MISSING_HOST,
    &from_lowering::UNDEFINED_PROBE,
    &undeclared_backend::RULE,
    &director_from_lowering::UNKNOWN_DIRECTOR_POLICY,
    &director_from_lowering::DIRECTOR_PROPERTY_NOT_ALLOWED,
    &director_from_lowering::DIRECTOR_MISSING_PROPERTY,
    &director_from_lowering::EMPTY_DIRECTOR,
    &director_from_lowering::DUPLICATE_DIRECTOR,
    &director_from_lowering::DIRECTOR_NAME_TAKEN,
    &director_from_lowering::DIRECTOR_CYCLE,
    &director_from_lowering::QUORUM_OUT_OF_RANGE,
    &probe_window_too_large::RULE,
    &invalid_expected_response::RULE,
    &missing_dynamic::RULE,
    &missing_share_key::RULE,
    &invalid_share_key::RULE,
    &probe_starts_unhealthy::RULE,
    &probe_without_initial::RULE,
    &threshold_above_window::RULE,
    &initial_above_window::RULE,
    &probe_timeout_not_below_interval::RULE,
    &probe_interval_out_of_range::RULE,
    &probe_request_without_host::RULE,
    &tls_without_hostname::RULE,
    &tls_without_sni_hostname::RULE,
    &deprecated_ssl_hostname::RULE,
    &ssl_check_cert_never::RULE,
    &tls_port_mismatch::RULE,
    &host_header_without_always::RULE,
    &from_lowering::DUMMY_PROBE_WITH_SETTINGS,
    &from_lowering::PORT_IN_HOST,
    &unused_backend::RULE,
    &unused_director::RULE,
    &zero_weight::RULE,
    &unreachable_quorum::RULE,
    &director_from_lowering::DUPLICATE_DIRECTOR_MEMBER,
    &protected_property::RULE,
    &reserved_name::RULE,
    &director_without_healthchecks::RULE,
    &from_lowering::API_INCOMPATIBLE,
    &template_placeholder::RULE,
];
