//! Shell completions and the man page, both made from the clap definition of the command line.

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, EXIT_OK, EXIT_USAGE, console};

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
            console::error(format_args!("cannot render the man page: {e}"));
            EXIT_USAGE
        }
    }
}

/// Writes the whole text on stdout; a failure is the console's to report at exit.
fn print(text: &[u8]) -> u8 {
    console::print(text);
    EXIT_OK
}
