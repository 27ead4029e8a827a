//! STUB: `--to curl` (being written).

use crate::migrate::{Emitted, Plan, Target};

pub fn emit(plan: &Plan, target: &Target) -> Emitted {
    let _ = (plan, target);
    Emitted::default()
}
