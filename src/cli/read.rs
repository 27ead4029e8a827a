//! Reading an input file whole, within the size limit.
//!
//! A large regular file is read by several threads at once, each into its own stretches of one
//! buffer. What costs most here is not the copy but the first touch of every fresh page (the
//! kernel clears it, and on a virtual machine the host may have to back it): with the system
//! allocator one thread read a 102 MB file in about 93 ms, two threads in about 55 ms; with
//! mimalloc (the binary's, whose arenas fault in more cheaply) 20 ms and 14 ms. Small files,
//! pipes and special files are read the ordinary way.

use std::fs::File;
use std::io::{self, Seek, SeekFrom};
use std::path::Path;

/// From this size a regular file is read in parallel: below it, starting threads costs more
/// than they save.
const PARALLEL_FROM: u64 = 8 << 20;
/// The stretch one thread reads at a time; threads take every `threads`-th stretch in turn.
const STRETCH: usize = 1 << 20;

pub(crate) use vcl_backend::bounded::ReadError;

/// The bytes of the file at `path`, refused if there are more than `limit` of them; a pipe or
/// device is read to one byte past the limit at most (docs/design.md §11).
pub(crate) fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_file() && meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut bytes = Vec::new();
    if meta.is_file() && meta.len() >= PARALLEL_FROM {
        bytes = read_in_parallel(&file, meta.len())?;
        file.seek(SeekFrom::Start(meta.len()))?;
    } else if meta.is_file() {
        // Its length is known: one allocation (and one byte to see it did not grow).
        bytes.reserve_exact(meta.len() as usize + 1);
    }
    // All of a small or special file; what a growing file gained while it was read.
    vcl_backend::bounded::read_to_end(file, &mut bytes, limit)?;
    Ok(bytes)
}

/// The first `len` bytes of `file`, read in stretches by up to [`threads`] threads.
fn read_in_parallel(file: &File, len: u64) -> io::Result<Vec<u8>> {
    let len = usize::try_from(len).map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
    // Zeroed by the allocator's fresh pages (not written): the threads touch them first.
    let mut bytes = vec![0u8; len];
    let threads = threads();
    let mut shares: Vec<Vec<(u64, &mut [u8])>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, stretch) in bytes.chunks_mut(STRETCH).enumerate() {
        shares[i % threads].push(((i * STRETCH) as u64, stretch));
    }
    let mine = shares.swap_remove(0);
    std::thread::scope(|scope| {
        let others: Vec<_> = shares
            .into_iter()
            .map(|share| scope.spawn(move || read_share(file, share)))
            .collect();
        let read = read_share(file, mine);
        others.into_iter().fold(read, |read, other| {
            let other = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            read.and(other)
        })
    })?;
    Ok(bytes)
}

fn read_share(file: &File, share: Vec<(u64, &mut [u8])>) -> io::Result<()> {
    share.into_iter().try_for_each(|(at, stretch)| {
        read_exact_at(file, stretch, at).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => {
                io::Error::new(e.kind(), "the file became shorter while it was read")
            }
            _ => e,
        })
    })
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, at) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                at += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file in the temporary directory, removed when dropped.
    struct TempFile(std::path::PathBuf);

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    fn temp_file(name: &str, bytes: &[u8]) -> TempFile {
        let pid = std::process::id();
        let path = std::env::temp_dir().join(format!("vcl-backend-read-{pid}-{name}"));
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }

    /// Bytes that differ from stretch to stretch, so a stretch read into the wrong place shows.
    fn numbered(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i / 7 % 251) as u8).collect()
    }

    #[test]
    fn a_large_file_read_in_parallel_is_exactly_the_file() {
        // Not a multiple of the stretch, so the last stretch is short.
        let bytes = numbered(PARALLEL_FROM as usize + 3 * STRETCH + 12_345);
        let path = temp_file("large", &bytes);
        let read = read_file(&path.0, u64::MAX).unwrap();
        assert!(read == bytes, "the bytes read differ from the file");
    }

    #[test]
    fn a_small_file_is_read_whole() {
        let path = temp_file("small", b"backend F_a { .host = \"a\"; }\n");
        assert_eq!(
            read_file(&path.0, 1 << 20).unwrap(),
            b"backend F_a { .host = \"a\"; }\n"
        );
        assert_eq!(read_file(&temp_file("empty", b"").0, 0).unwrap(), b"");
    }

    #[test]
    fn the_limit_is_inclusive() {
        let path = temp_file("limit", &numbered(1000));
        assert_eq!(read_file(&path.0, 1000).unwrap().len(), 1000);
        assert!(matches!(
            read_file(&path.0, 999),
            Err(ReadError::TooLarge { .. })
        ));
        let large = temp_file("limit-large", &numbered(PARALLEL_FROM as usize));
        assert!(matches!(
            read_file(&large.0, PARALLEL_FROM - 1),
            Err(ReadError::TooLarge { .. })
        ));
    }

    #[test]
    fn a_missing_file_is_an_io_error() {
        let missing = std::env::temp_dir().join("vcl-backend-read-no-such-file.vcl");
        let err = read_file(&missing, u64::MAX).unwrap_err();
        assert!(matches!(err, ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound));
    }
}
