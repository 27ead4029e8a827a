//! Reading within a size limit (docs/design.md §11): at most `limit + 1` bytes are ever read,
//! and the buffer never grows past `limit + 1`, whatever the source (a file, a pipe, a device
//! such as `/dev/zero`, or a file that grows while it is read).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The limit of a configuration file (vcl-backend.toml): a few kilobytes in practice.
pub const CONFIG_LIMIT: u64 = 1 << 20;

/// The first read's size when nothing says how long the source is.
const FIRST_READ: usize = 8 << 10;

/// Why a bounded read failed.
#[derive(Debug)]
pub enum ReadError {
    /// The source has more than `limit` bytes.
    TooLarge {
        limit: u64,
    },
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::TooLarge { limit } => write!(f, "larger than {limit} bytes"),
            ReadError::Io(e) => e.fmt(f),
        }
    }
}

/// Appends what is left of `reader` to `buf`, refusing once `buf` would hold more than
/// `limit` bytes. Without room reserved, room for `limit + 1` bytes is reserved; where that
/// much address space is refused, the buffer doubles as it fills, never beyond `limit + 1`.
pub fn read_to_end(mut reader: impl Read, buf: &mut Vec<u8>, limit: u64) -> Result<(), ReadError> {
    // One byte more than allowed tells a source that is too long.
    let most = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    if buf.len() == buf.capacity() {
        // Of unknown length: room for all it may hold, in address space only (a page costs
        // memory when it is first written). Growing by doubling instead would leave every
        // smaller buffer behind in the allocator: twice the input at the limit.
        let _ = buf.try_reserve_exact(most - buf.len());
    }
    loop {
        if buf.len() >= most {
            return Err(ReadError::TooLarge { limit });
        }
        if buf.len() == buf.capacity() {
            let want = buf.capacity().max(FIRST_READ).min(most - buf.len());
            buf.try_reserve_exact(want)
                .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
        }
        let room = (buf.capacity() - buf.len()) as u64;
        // `take` keeps `read_to_end` inside the room reserved: it never grows the buffer.
        let read = (&mut reader).take(room).read_to_end(buf)?;
        if (read as u64) < room {
            break;
        }
    }
    if buf.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(())
}

/// The bytes of the file at `path`, at most `limit` of them. A regular file larger than the
/// limit is refused before it is read.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_file() && meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut bytes = Vec::new();
    if meta.is_file() {
        // Its length is known: one allocation (and one byte to see it did not grow).
        let len = usize::try_from(meta.len().saturating_add(1)).unwrap_or(usize::MAX);
        bytes
            .try_reserve_exact(len)
            .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
    }
    read_to_end(file, &mut bytes, limit)?;
    Ok(bytes)
}

/// [`read_file`] as UTF-8 text.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read_file(path, limit)?)
        .map_err(|_| ReadError::Io(io::Error::new(io::ErrorKind::InvalidData, "not UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that never ends, counting what was taken from it.
    struct Endless(u64);

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            buf.fill(b'x');
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
    }

    #[test]
    fn an_endless_source_is_read_to_one_byte_past_the_limit() {
        let mut source = Endless(0);
        let mut buf = Vec::new();
        let err = read_to_end(&mut source, &mut buf, 100_000).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { limit: 100_000 }));
        assert_eq!(source.0, 100_001);
        assert!(buf.capacity() <= 100_001, "{}", buf.capacity());
    }

    #[test]
    fn the_limit_is_inclusive() {
        let text = vec![b'a'; 20_000];
        let mut buf = Vec::new();
        read_to_end(&text[..], &mut buf, 20_000).unwrap();
        assert_eq!(buf, text);
        let mut buf = Vec::new();
        assert!(matches!(
            read_to_end(&text[..], &mut buf, 19_999),
            Err(ReadError::TooLarge { limit: 19_999 })
        ));
        let mut buf = Vec::new();
        read_to_end(&b""[..], &mut buf, 0).unwrap();
        assert!(buf.is_empty());
    }

    #[test]
    fn a_short_source_costs_little_more_than_itself() {
        let text = vec![b'a'; 100_000];
        let mut buf = Vec::new();
        read_to_end(&text[..], &mut buf, u64::MAX).unwrap();
        assert_eq!(buf.len(), 100_000);
        assert!(buf.capacity() <= 2 * 100_000, "{}", buf.capacity());
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_read_within_the_limit() {
        let err = read_file(Path::new("/dev/zero"), 1 << 16).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { limit } if limit == 1 << 16));
    }
}
