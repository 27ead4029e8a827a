//! A writer that misbehaves on purpose, for the fault-injection tests of the console and of
//! safe_write (tests/write_faults.rs) and the `write` fuzz target, which include this file.

use std::io::{self, Write};

/// How the writer misbehaves.
#[derive(Clone, Debug)]
pub struct Faults {
    /// Fail every write once this many bytes have gone through (`None`: never).
    pub fail_at: Option<usize>,
    /// Take at most this many bytes a call; 0 accepts nothing (`Ok(0)`).
    pub max_chunk: usize,
    /// Every n-th call is `Interrupted` (0 or 1: never; every call would stop all progress,
    /// which no real stream does).
    pub interrupt_every: usize,
    /// What a failure says.
    pub error: io::ErrorKind,
    /// `flush` fails.
    pub fail_flush: bool,
}

impl Faults {
    /// Faults read from bytes (the fuzzer's), all of them reachable.
    pub fn from_bytes(bytes: &[u8]) -> Faults {
        let byte = |i: usize| bytes.get(i).copied().unwrap_or(0) as usize;
        let errors = [
            io::ErrorKind::BrokenPipe,
            io::ErrorKind::StorageFull,
            io::ErrorKind::PermissionDenied,
            io::ErrorKind::Other,
        ];
        Faults {
            fail_at: (byte(0) & 1 == 1).then(|| byte(1) << 8 | byte(2)),
            max_chunk: byte(3) << 4,
            interrupt_every: byte(4) % 5,
            error: errors[byte(5) % errors.len()],
            fail_flush: byte(6) % 7 == 0,
        }
    }

    /// Whether a writer with these faults can take `len` bytes and a flush at all.
    pub fn lets_through(&self, len: usize) -> bool {
        self.fail_at.is_none_or(|at| at >= len)
            && (self.max_chunk > 0 || len == 0)
            && !self.fail_flush
    }
}

/// `inner`, behind [`Faults`].
pub struct Faulty<W> {
    pub inner: W,
    faults: Faults,
    written: usize,
    calls: usize,
}

impl<W: Write> Faulty<W> {
    pub fn new(inner: W, faults: Faults) -> Self {
        Faulty {
            inner,
            faults,
            written: 0,
            calls: 0,
        }
    }
}

impl<W: Write> Write for Faulty<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.calls += 1;
        let f = &self.faults;
        if f.interrupt_every > 1 && self.calls % f.interrupt_every == 0 {
            return Err(io::ErrorKind::Interrupted.into());
        }
        let room = match f.fail_at {
            Some(at) if self.written >= at && !buf.is_empty() => return Err(f.error.into()),
            Some(at) => at - self.written,
            None => usize::MAX,
        };
        let n = buf.len().min(f.max_chunk).min(room);
        self.inner.write_all(&buf[..n])?;
        self.written += n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.faults.fail_flush {
            return Err(self.faults.error.into());
        }
        self.inner.flush()
    }
}

/// A buffer the test keeps a handle on while a writer owns another.
#[derive(Clone, Default)]
pub struct Shared(pub std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Shared {
    pub fn bytes(&self) -> Vec<u8> {
        self.0.borrow().clone()
    }
}

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
