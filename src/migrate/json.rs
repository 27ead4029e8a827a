//! `--to json`: the API objects, healthchecks first (backends name them).

use serde::Serialize;

use crate::migrate::{Emitted, Plan};
use crate::model::{Backend, Healthcheck};

#[derive(Serialize)]
struct Document<'a> {
    healthchecks: &'a [Healthcheck],
    backends: &'a [Backend],
}

pub fn emit(plan: &Plan) -> Emitted {
    let document = Document {
        healthchecks: &plan.healthchecks,
        backends: &plan.backends,
    };
    // Our model always serialises: its maps have string keys.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    Emitted {
        text,
        notes: Vec::new(),
    }
}
