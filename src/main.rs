//! The `vcl-backend` command: parse the command line, run it, map the outcome to an exit code.

mod cli;

// Every command allocates many small strings and frees them on other threads (the parse
// pieces, the lint workers): mimalloc does both much faster than the system allocator
// (parse 1.4x, migrate 2x, generate 2x on this project's benchmarks). Its v2 series (the
// crate's "v2" feature): v3 sends every allocation over 1 KiB that is not a power of two down
// an over-allocating aligned path, and a backend's declaration and property lists are such
// sizes (51,511 of 136,199 allocations of a 10,000-backend parse).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
