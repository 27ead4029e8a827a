//! The `vcl-backend` command: parse the command line, run it, map the outcome to an exit code.

mod cli;

// Every command allocates many small strings and frees them on other threads (the parse
// pieces, the lint workers): mimalloc does both much faster than the system allocator. Its v2
// series (the crate's "v2" feature): v3 sends every allocation over 1 KiB that is not a power
// of two down an over-allocating aligned path, and a backend's declaration and property lists
// are such sizes (docs/performance.md has the figures).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
