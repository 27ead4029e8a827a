//! Writes the generate benchmark's API JSON to a file:
//! `cargo run --release --example gen_api_json -- [--routed] N OUT.json`. `--routed` gives the
//! service request conditions, shields and auto-load-balanced backends (docs/design.md §4.8).

#[path = "../benches/inputs/generate_json.rs"]
mod generate_json;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let routed = args.first().is_some_and(|a| a == "--routed");
    if routed {
        args.remove(0);
    }
    let [n, out] = &args[..] else {
        eprintln!("usage: gen_api_json [--routed] N OUT.json");
        return ExitCode::from(2);
    };
    let Ok(n) = n.replace('_', "").parse::<usize>() else {
        eprintln!("gen_api_json: N must be a number of backends, not `{n}`");
        return ExitCode::from(2);
    };
    let json = if routed {
        generate_json::api_json_routed(n)
    } else {
        generate_json::api_json(n)
    };
    if let Err(e) = std::fs::write(out, &json) {
        eprintln!("gen_api_json: cannot write {out}: {e}");
        return ExitCode::from(1);
    }
    let what = if routed {
        "routed backends"
    } else {
        "backends"
    };
    eprintln!("{out}: {n} {what}, {} bytes", json.len());
    ExitCode::SUCCESS
}
