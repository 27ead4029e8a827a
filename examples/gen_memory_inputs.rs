//! Writes the inputs of the memory measurements (docs/performance.md, "Memory"):
//! `gen_memory_inputs shared-healthcheck N PATH_LEN OUT.json` or `gen_memory_inputs findings N
//! OUT.vcl`.

#[path = "../benches/inputs/memory_inputs.rs"]
mod memory_inputs;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize| args.get(i).and_then(|a| a.parse::<usize>().ok());
    let text = match (args.first().map(String::as_str), number(1)) {
        (Some("shared-healthcheck"), Some(n)) => {
            memory_inputs::shared_healthcheck_json(n, number(2).unwrap_or(100_000))
        }
        (Some("findings"), Some(n)) => memory_inputs::findings_vcl(n),
        _ => {
            eprintln!(
                "usage: gen_memory_inputs shared-healthcheck N PATH_LEN OUT.json | findings N OUT.vcl"
            );
            std::process::exit(2);
        }
    };
    let out = args.last().filter(|_| args.len() >= 3);
    match out.map(|path| std::fs::write(path, text)) {
        Some(Ok(())) => {}
        Some(Err(e)) => {
            eprintln!("gen_memory_inputs: {e}");
            std::process::exit(1);
        }
        None => std::process::exit(2),
    }
}
