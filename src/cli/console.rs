//! Every byte the command writes on stdout and stderr goes through here, checked
//! (docs/design.md §7.4): a failed write is remembered, later writes to that stream are
//! skipped, and [`finish`] turns the failure into the exit code.
//!
//! Self-contained (std and the library): the fault-injection tests and the `write` fuzz target
//! include it.

use std::io::{self, BufWriter, Write};
use std::sync::{LazyLock, Mutex};

/// A write failed: the same code as a usage error or an unreadable file.
pub const EXIT_WRITE: u8 = 2;
/// A closed pipe: what a shell reports for a process ended by SIGPIPE (128 + 13).
pub const EXIT_PIPE: u8 = 141;

/// A stream the console writes to, lent out for one write at a time.
pub trait Sink {
    fn with<R>(&mut self, write: impl FnOnce(&mut dyn Write) -> R) -> R;
}

/// Standard output, locked for the whole of one write so nothing interleaves with it.
impl Sink for io::Stdout {
    fn with<R>(&mut self, write: impl FnOnce(&mut dyn Write) -> R) -> R {
        write(&mut self.lock())
    }
}

impl Sink for io::Stderr {
    fn with<R>(&mut self, write: impl FnOnce(&mut dyn Write) -> R) -> R {
        write(&mut self.lock())
    }
}

/// Any writer as a sink (the tests' faulty writers).
#[allow(dead_code)] // The binary writes to the real streams only.
pub struct Plain<W>(pub W);

impl<W: Write> Sink for Plain<W> {
    fn with<R>(&mut self, write: impl FnOnce(&mut dyn Write) -> R) -> R {
        write(&mut self.0)
    }
}

/// One stream and its first failure.
struct Stream<S> {
    sink: S,
    failure: Option<io::Error>,
}

impl<S: Sink> Stream<S> {
    fn write(&mut self, skip: bool, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> bool {
        if skip || self.failure.is_some() {
            return false;
        }
        let result = self.sink.with(|sink| {
            let mut buffered = BufWriter::with_capacity(1 << 16, sink);
            let result = write(&mut buffered).and_then(|()| buffered.flush());
            // On failure, what is still buffered is dropped, not written again on drop.
            if result.is_err() {
                let _ = buffered.into_parts();
            }
            result
        });
        match result {
            Ok(()) => true,
            Err(e) => {
                self.failure = Some(e);
                false
            }
        }
    }

    fn broken_pipe(&self) -> bool {
        self.failure
            .as_ref()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// Standard output and standard error, with what has failed on each.
pub struct Console<O, E> {
    out: Stream<O>,
    err: Stream<E>,
}

impl<O: Sink, E: Sink> Console<O, E> {
    pub fn new(out: O, err: E) -> Self {
        Console {
            out: Stream {
                sink: out,
                failure: None,
            },
            err: Stream {
                sink: err,
                failure: None,
            },
        }
    }

    /// After a closed pipe the run is over as if SIGPIPE had ended it: nothing more is said.
    fn quiet(&self) -> bool {
        self.out.broken_pipe() || self.err.broken_pipe()
    }

    /// Writes on stdout, buffered and flushed; false when the bytes may not all have arrived.
    pub fn out(&mut self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> bool {
        let quiet = self.quiet();
        self.out.write(quiet, write)
    }

    /// Writes on stderr, as [`Console::out`].
    pub fn err(&mut self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> bool {
        let quiet = self.quiet();
        self.err.write(quiet, write)
    }

    /// The exit code: the command's, unless output was lost. A closed pipe is 141 without a
    /// word; another failure on stdout is said in one line on stderr; a failure on stderr
    /// is said nowhere, since stdout carries the result and a message would corrupt it.
    pub fn finish(&mut self, code: u8) -> u8 {
        if self.quiet() {
            return EXIT_PIPE;
        }
        if let Some(e) = self.out.failure.take() {
            let message = format!("vcl-backend: cannot write standard output: {e}\n");
            self.out.failure = Some(e);
            self.err.write(false, |w| w.write_all(message.as_bytes()));
            return EXIT_WRITE;
        }
        if self.err.failure.is_some() {
            return EXIT_WRITE;
        }
        code
    }
}

/// The process's console: one, shared by every command.
static CONSOLE: LazyLock<Mutex<Console<io::Stdout, io::Stderr>>> =
    LazyLock::new(|| Mutex::new(Console::new(io::stdout(), io::stderr())));

fn console() -> std::sync::MutexGuard<'static, Console<io::Stdout, io::Stderr>> {
    // A panic elsewhere while writing leaves the state as it was: still usable.
    CONSOLE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Writes on stdout; false when the output was lost (the exit code will say so). `write`
/// must not write through the console itself: the console is locked meanwhile.
pub fn out(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> bool {
    console().out(write)
}

/// Writes on stderr; false when it was lost.
pub fn err(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> bool {
    console().err(write)
}

/// `text` on stdout.
pub fn print(text: &[u8]) -> bool {
    out(|w| w.write_all(text))
}

/// `text` on stderr, as it is (a report, a closing line with its own newline).
pub fn eprint(text: impl std::fmt::Display) -> bool {
    err(|w| write!(w, "{text}"))
}

/// One line on stderr. A path or name in it may come from the input: the characters a
/// terminal acts on are shown escaped (docs/design.md §10.3).
pub fn eprintln(text: impl std::fmt::Display) -> bool {
    let text = text.to_string();
    let shown = vcl_backend::controls::for_terminal(&text);
    err(|w| writeln!(w, "{shown}"))
}

/// One error line on stderr, `vcl-backend: ` first, escaped as [`eprintln`]'s.
pub fn error(message: impl std::fmt::Display) -> bool {
    eprintln(format_args!("vcl-backend: {message}"))
}

/// The exit code of the run: see [`Console::finish`].
pub fn finish(code: u8) -> u8 {
    console().finish(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink that fails every write with `kind`.
    struct Failing(io::ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(self.0.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_stdout_is_exit_2_with_one_line_on_stderr() {
        let mut console = Console::new(Plain(Failing(io::ErrorKind::StorageFull)), Plain(vec![]));
        assert!(!console.out(|w| w.write_all(b"result")));
        assert!(
            !console.out(|w| w.write_all(b"more")),
            "skipped after a failure"
        );
        assert!(console.err(|w| w.write_all(b"report\n")));
        assert_eq!(console.finish(0), EXIT_WRITE);
        let stderr = String::from_utf8(console.err.sink.0.clone()).unwrap();
        assert!(stderr.starts_with("report\nvcl-backend: cannot write standard output"));
        assert_eq!(stderr.lines().count(), 2, "{stderr}");
    }

    #[test]
    fn a_closed_pipe_is_141_and_silences_the_rest() {
        let mut console = Console::new(Plain(Failing(io::ErrorKind::BrokenPipe)), Plain(vec![]));
        assert!(!console.out(|w| w.write_all(b"result")));
        assert!(!console.err(|w| w.write_all(b"closing line\n")));
        assert_eq!(console.finish(1), EXIT_PIPE);
        assert!(console.err.sink.0.is_empty());
    }

    #[test]
    fn a_failed_stderr_is_never_exit_0_and_says_nothing_on_stdout() {
        let mut console = Console::new(Plain(vec![]), Plain(Failing(io::ErrorKind::Other)));
        assert!(console.out(|w| w.write_all(b"result")));
        assert!(!console.err(|w| w.write_all(b"report")));
        assert_eq!(console.finish(0), EXIT_WRITE);
        assert_eq!(console.out.sink.0, b"result");
    }

    #[test]
    fn nothing_lost_keeps_the_commands_code() {
        let mut console = Console::new(Plain(vec![]), Plain(vec![]));
        assert!(console.out(|w| w.write_all(b"a")));
        assert!(console.err(|w| w.write_all(b"b")));
        assert_eq!(console.finish(1), 1);
        assert_eq!(console.finish(0), 0);
    }
}
