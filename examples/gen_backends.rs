//! Writes the benchmark's generated VCL to a file:
//! `cargo run --release --example gen_backends -- N OUT.vcl`.

#[path = "../benches/inputs/generate_input.rs"]
mod generate_input;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [n, out] = &args[..] else {
        eprintln!("usage: gen_backends N OUT.vcl");
        return ExitCode::from(2);
    };
    let Ok(n) = n.replace('_', "").parse::<usize>() else {
        eprintln!("gen_backends: N must be a number of backends, not `{n}`");
        return ExitCode::from(2);
    };
    let vcl = generate_input::generated_vcl(n);
    if let Err(e) = std::fs::write(out, &vcl) {
        eprintln!("gen_backends: cannot write {out}: {e}");
        return ExitCode::from(1);
    }
    eprintln!("{out}: {n} backends, {} bytes", vcl.len());
    ExitCode::SUCCESS
}
