//! Shell completions and the man page, both made from the clap definition of the command line.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, EXIT_OK, EXIT_USAGE};

#[derive(clap::Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

pub(crate) fn completions(args: &CompletionsArgs) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "vcl-backend", &mut script);
    print(&script)
}

pub(crate) fn man() -> u8 {
    let mut page = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut page) {
        Ok(()) => print(&page),
        Err(e) => {
            eprintln!("vcl-backend: cannot render the man page: {e}");
            EXIT_USAGE
        }
    }
}

/// Writes the whole text on stdout; a failed write is exit 2, a closed pipe quietly so.
fn print(text: &[u8]) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_USAGE,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "vcl-backend: cannot write stdout: {e}");
            EXIT_USAGE
        }
    }
}
