//! Writing a result to a path (`-o FILE`, `--rewrite-vcl`) so that the path holds either
//! its old content or the whole new one (docs/design.md §7.5).
//!
//! A regular file (or the file a symbolic link leads to) is replaced by renaming a finished
//! temporary file over it; a FIFO or character device is written directly; anything else is
//! refused. Self-contained (std only): the fault-injection tests and the fuzz target include it.

use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// What writes the content, given the destination.
pub type Producer<'a> = Box<dyn FnOnce(&mut dyn Write) -> io::Result<()> + 'a>;

/// Content ready at its destination, waiting for [`Staged::commit`]. Dropped uncommitted, it
/// leaves the destination as it was.
pub struct Staged<'a>(Stage<'a>);

enum Stage<'a> {
    /// A finished temporary file, renamed over the target on commit.
    Replace { temp: TempFile, target: PathBuf },
    /// A FIFO or device, opened: the content is written on commit (it cannot be staged).
    Direct { file: File, write: Producer<'a> },
}

/// Writes `write`'s content to `path` (see the module documentation).
pub fn write(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    stage(path, Box::new(write))?.commit()
}

/// Prepares the content of `path` without changing it yet.
pub fn stage<'a>(path: &Path, write: Producer<'a>) -> io::Result<Staged<'a>> {
    // What the path leads to, through every link (`/dev/stdout` to a pipe included).
    let existing = match fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(meta) = &existing {
        if !meta.is_file() {
            let file = open_special(path, meta)?;
            return Ok(Staged(Stage::Direct { file, write }));
        }
    }
    // A regular file, or none yet: the name to rename over.
    let target = resolve(path)?;
    let mut temp = TempFile::create(&target)?;
    let mut sniff = Sniff::new(&mut temp.file);
    let mut out = BufWriter::with_capacity(1 << 16, &mut sniff);
    write(&mut out)?;
    out.flush()?;
    drop(out);
    let secret = sniff.found;
    temp.set_mode(existing.as_ref(), secret)?;
    temp.file.sync_all()?;
    Ok(Staged(Stage::Replace { temp, target }))
}

impl Staged<'_> {
    /// Puts the content in place: the rename, or the direct write.
    pub fn commit(self) -> io::Result<()> {
        match self.0 {
            Stage::Replace { mut temp, target } => {
                fs::rename(&temp.path, &target)?;
                temp.committed = true;
                // The rename itself made durable; a directory that cannot be synced (some
                // file systems) still holds the new file.
                if let Ok(dir) = File::open(parent(&target)) {
                    let _ = dir.sync_all();
                }
                Ok(())
            }
            Stage::Direct { mut file, write } => {
                let mut out = BufWriter::with_capacity(1 << 16, &mut file);
                write(&mut out)?;
                out.flush()
            }
        }
    }
}

/// The file `path` names, through any symbolic links (which stay as they are). A link to
/// nothing leads to the file it would name.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    // Linux's own limit on links followed in one lookup.
    const MAX_LINKS: usize = 40;
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = parent(&current).join(link);
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The directory holding `path` (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A FIFO or character device opened for writing; any other kind of file is refused, never
/// replaced by a regular file.
fn open_special(path: &Path, meta: &fs::Metadata) -> io::Result<File> {
    if meta.is_dir() {
        return Err(io::Error::other("it is a directory"));
    }
    if !writable_directly(meta) {
        return Err(io::Error::other(
            "it is not a regular file, a FIFO or a character device",
        ));
    }
    OpenOptions::new().write(true).open(path)
}

#[cfg(unix)]
fn writable_directly(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo() || meta.file_type().is_char_device()
}

#[cfg(not(unix))]
fn writable_directly(_: &fs::Metadata) -> bool {
    false
}

/// A temporary file beside the target, removed when dropped unless it was renamed.
struct TempFile {
    path: PathBuf,
    file: File,
    /// The mode a new file gets from the umask.
    default_mode: u32,
    committed: bool,
}

impl TempFile {
    /// Created new (never an existing file or link: O_EXCL), under a name nobody can guess,
    /// and readable by its owner alone while it is written.
    fn create(target: &Path) -> io::Result<TempFile> {
        let name = target
            .file_name()
            .map_or("output".into(), |n| n.to_string_lossy().into_owned());
        let mut last = None;
        for attempt in 0..8u32 {
            let path = parent(target).join(format!(".{name}.{:016x}.tmp", random(attempt)));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    let mut temp = TempFile {
                        path,
                        file,
                        default_mode: 0,
                        committed: false,
                    };
                    temp.default_mode = temp.mode()?;
                    temp.chmod(0o600)?;
                    return Ok(temp);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("no temporary name was free")))
    }

    /// The old file's permissions; for a new file 0600 when it holds key or certificate
    /// material, else the umask's (docs/design.md §7.5).
    fn set_mode(&self, existing: Option<&fs::Metadata>, secret: bool) -> io::Result<()> {
        match existing {
            Some(meta) => self.keep(meta),
            None if secret => self.chmod(0o600),
            None => self.chmod(self.default_mode),
        }
    }

    #[cfg(unix)]
    fn mode(&self) -> io::Result<u32> {
        use std::os::unix::fs::PermissionsExt;
        Ok(self.file.metadata()?.permissions().mode() & 0o777)
    }

    #[cfg(unix)]
    fn chmod(&self, mode: u32) -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        self.file.set_permissions(fs::Permissions::from_mode(mode))
    }

    /// The old file's permission bits (not its set-id bits: a rewritten text is no program).
    #[cfg(unix)]
    fn keep(&self, old: &fs::Metadata) -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        self.chmod(old.permissions().mode() & 0o777)
    }

    #[cfg(not(unix))]
    fn keep(&self, old: &fs::Metadata) -> io::Result<()> {
        self.file.set_permissions(old.permissions())
    }

    #[cfg(not(unix))]
    fn mode(&self) -> io::Result<u32> {
        Ok(0)
    }

    #[cfg(not(unix))]
    fn chmod(&self, _: u32) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// 64 unpredictable bits: std's per-process random hash keys over the time, the process and
/// the attempt.
fn random(attempt: u32) -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(now);
    hasher.write_u32(std::process::id());
    hasher.write_u32(attempt);
    hasher.finish()
}

#[cfg(test)]
/// Whether content holds key or certificate material: a PEM block, or a client key or
/// certificate field in any output's spelling.
pub fn secret(bytes: &[u8]) -> bool {
    let mut sniff = Sniff::new(io::sink());
    let _ = sniff.write_all(bytes);
    sniff.found
}

const SECRETS: [&[u8]; 5] = [
    b"-----BEGIN",
    b"ssl_client_key",
    b"ssl_client_cert",
    b"ssl-client-key",
    b"ssl-client-cert",
];
/// The longest marker less one: what of a marker split across two writes the first holds.
const SEAM: usize = 14;

fn contains_secret(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| {
        (b == b'-' || b == b's') && SECRETS.iter().any(|s| bytes[i..].starts_with(s))
    })
}

/// A writer that passes everything on and notes whether a [`SECRETS`] marker went through,
/// also across the boundary of two writes.
struct Sniff<W> {
    inner: W,
    tail: Vec<u8>,
    found: bool,
}

impl<W: Write> Sniff<W> {
    fn new(inner: W) -> Self {
        Sniff {
            inner,
            tail: Vec::with_capacity(3 * SEAM),
            found: false,
        }
    }

    fn look(&mut self, bytes: &[u8]) {
        if self.found {
            return;
        }
        let seen = self.tail.len();
        self.tail.extend_from_slice(&bytes[..bytes.len().min(SEAM)]);
        self.found = contains_secret(&self.tail) || contains_secret(bytes);
        self.tail.truncate(seen);
        self.tail
            .extend_from_slice(&bytes[bytes.len().saturating_sub(SEAM)..]);
        let excess = self.tail.len().saturating_sub(SEAM);
        self.tail.drain(..excess);
    }
}

impl<W: Write> Write for Sniff<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.look(&buf[..n.min(buf.len())]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_material_is_found_whole_or_split_across_writes() {
        let text = b"backend F_a {\n    .ssl_client_key = {\"...\"};\n}\n";
        assert!(secret(text));
        assert!(secret(b"x\n-----BEGIN PRIVATE KEY-----\n"));
        assert!(secret(b"--ssl-client-cert=abc"));
        assert!(!secret(b"backend F_a { .ssl_cert_hostname = \"a\"; }"));
        for size in 1..text.len() {
            let mut sniff = Sniff::new(io::sink());
            for chunk in text.chunks(size) {
                sniff.write_all(chunk).unwrap();
            }
            assert!(sniff.found, "missed in chunks of {size}");
        }
    }

    #[test]
    fn a_short_write_is_sniffed_for_what_went_through_only() {
        /// Takes one byte a call.
        struct OneByte(Vec<u8>);
        impl Write for OneByte {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0.extend_from_slice(&buf[..buf.len().min(1)]);
                Ok(buf.len().min(1))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut sniff = Sniff::new(OneByte(Vec::new()));
        sniff.write_all(b"a -----BEGIN b").unwrap();
        assert!(sniff.found);
        assert_eq!(sniff.inner.0, b"a -----BEGIN b");
    }
}
