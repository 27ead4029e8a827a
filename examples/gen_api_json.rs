//! Writes the generate benchmark's API JSON to a file:
//! `cargo run --release --example gen_api_json -- N OUT.json`.

#[path = "../benches/inputs/generate_json.rs"]
mod generate_json;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [n, out] = &args[..] else {
        eprintln!("usage: gen_api_json N OUT.json");
        return ExitCode::from(2);
    };
    let Ok(n) = n.replace('_', "").parse::<usize>() else {
        eprintln!("gen_api_json: N must be a number of backends, not `{n}`");
        return ExitCode::from(2);
    };
    let json = generate_json::api_json(n);
    if let Err(e) = std::fs::write(out, &json) {
        eprintln!("gen_api_json: cannot write {out}: {e}");
        return ExitCode::from(1);
    }
    eprintln!("{out}: {n} backends, {} bytes", json.len());
    ExitCode::SUCCESS
}
