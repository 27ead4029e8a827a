//! The routed service of `fixtures/generate/routing/` as generate writes it, and the minimal
//! Fastly VCL file that holds it: what the routing tests and the round trip share.

use vcl_backend::api_json;
use vcl_backend::generate::{Generated, Names, Options, generate};
use vcl_backend::model::ObjectKind;
use vcl_backend::source::SourceFile;

pub const SERVICE: &str = "fixtures/generate/routing/service.json";

/// The service generated with `names`, checked to have no error.
pub fn generated_with_names(names: Names) -> Generated {
    let (file, _) = SourceFile::from_bytes(SERVICE, std::fs::read(SERVICE).unwrap());
    let (config, _) = api_json::read(&file, ObjectKind::Backend).unwrap();
    let options = Options {
        names,
        ..Options::default()
    };
    let generated = generate(&config, &options);
    assert!(!generated.has_errors(), "{:?}", generated.findings);
    generated
}

/// The service generated with the default (`F_`) names.
pub fn generated() -> Generated {
    generated_with_names(Names::default())
}

/// The declarations at the top level and the routing in `vcl_recv` of a minimal Fastly VCL
/// file, as Fastly places an `init` and a `recv` snippet.
pub fn minimal_service(g: &Generated) -> String {
    format!(
        "{}\nsub vcl_recv {{\n#FASTLY recv\n{}  return(lookup);\n}}\n",
        g.vcl, g.recv
    )
}
