//! `--to json`: the API objects, healthchecks first (backends name them), directors last
//! (they name backends), and only when there are some.

use crate::migrate::{Emitted, Plan};
use crate::pretty_json::{write_backend, write_director, write_healthcheck, write_list};

/// `{"healthchecks": [...], "backends": [...], "directors": [...]}`, as serde_json's pretty
/// printer writes it.
pub fn emit(plan: &Plan) -> Emitted {
    let mut out = super::output_text(plan, 512).into_bytes();
    out.extend_from_slice(b"{\n  \"healthchecks\": ");
    write_list(&mut out, &plan.healthchecks, write_healthcheck, 1);
    out.extend_from_slice(b",\n  \"backends\": ");
    write_list(&mut out, &plan.backends, write_backend, 1);
    if !plan.directors.is_empty() {
        out.extend_from_slice(b",\n  \"directors\": ");
        write_list(&mut out, &plan.directors, write_director, 1);
    }
    out.extend_from_slice(b"\n}\n");
    Emitted {
        // Only JSON punctuation and the model's own strings went in: always UTF-8.
        text: String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        notes: Vec::new(),
        left_to_api: Vec::new(),
        remarks: Vec::new(),
    }
}
