//! Large inputs read in pieces on every core: each thread parses a piece of the text and
//! lowers its declarations on their own ([`lower_item`]); the calling thread takes the pieces in
//! order into the file ([`Lowerer::admit`]: duplicates, shared and named probes, emitting),
//! and reads pieces itself while the next one is not ready. A piece's tree never leaves the
//! thread that made it, and what is left of its declarations goes back there, to lower the
//! next ones in ([`Spares`]; freeing on another thread would make the system allocator
//! contend for the maker's lock).
//!
//! This replaced a two-stage pipeline (parse on one thread, lower on the other), which could
//! use two cores at most; on this project's two-core machine both take the same time.
//!
//! Pieces are cut where a line starts with `backend `. A cut can be wrong (that text inside a
//! long string or a comment): a piece is used only if the piece before it stopped exactly
//! where it starts; otherwise it is read again from where that one stopped. The result is
//! always exactly the sequential one.
//!
//! A piece is read ahead of knowing it is right, so it is read in a prefix of the text that
//! ends a piece's length past its end (at a line's end): a cut inside a comment or a string
//! that never closes would otherwise have every piece read to the end of the text. A piece
//! whose reading reached that end is read again, in the whole text, if it is used.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::diagnostic::Diagnostic;
use crate::lower::Lowerer;
use crate::lower::declaration::{Declared, DeclaredBackend, lower_item};
use crate::lower::keys::Keys;
use crate::lower::spares::Spares;
use crate::syntax::{Dialect, Parser, nul_bytes};

/// Below this size a second thread costs more than it saves.
pub const MIN_BYTES: usize = 1 << 20;

/// The size a piece is cut near: small enough to share out evenly, large enough that
/// handing it over costs little against reading it.
pub const PIECE_BYTES: usize = 256 << 10;

/// More workers than this gain little: the calling thread, which admits every backend, is
/// then the slower side.
const MAX_WORKERS: usize = 16;

/// True when `src` is large enough, and the machine has a second core.
pub fn worth_it(src: &str) -> bool {
    src.len() >= MIN_BYTES && workers() > 1
}

fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_WORKERS))
}

/// One piece, parsed and its declarations lowered on their own.
struct Piece<'a> {
    /// Which thread read it (0: the calling one).
    reader: usize,
    start: usize,
    end: usize,
    /// Where its parser stopped: where the next piece must start to be right.
    stopped_at: usize,
    /// False when its reading reached the end of the prefix it was read in: what it made
    /// may differ from what the whole text makes.
    complete: bool,
    declared: Vec<Declared<'a>>,
    diagnostics: Vec<Diagnostic>,
}

/// What is left of a piece once admitted (its backends' declarations, emptied of what was
/// kept, and its list), given back to the thread that made it.
type Spent<'a> = (Vec<Box<DeclaredBackend<'a>>>, Vec<Declared<'a>>);

/// Parses the items that start in `start..end` of `src[..limit]` and lowers each on its own,
/// into `spares` where it can.
fn read_piece<'a>(
    src: &'a str,
    range: (usize, usize),
    limit: usize,
    reader: usize,
    (keys, dialect): (&Keys, Dialect),
    spares: &mut Spares<'a>,
) -> Piece<'a> {
    let (start, end) = range;
    // Spans stay offsets into the whole text: the prefix starts where it does.
    let mut parser = Parser::range(&src[..limit], start, end).in_dialect(dialect);
    let mut declared = spares.list();
    while let Some(item) = parser.next() {
        declared.extend(lower_item(&item, src, keys, dialect, spares));
        parser.recycle(item);
    }
    Piece {
        reader,
        start,
        end,
        stopped_at: parser.stopped_at(),
        // The prefix ends a line: no token but a block comment or a long string crosses that
        // end, and one that does runs to it, so reading that stopped before it read no
        // differently from reading the whole text.
        complete: limit == src.len() || parser.stopped_at() < limit,
        declared,
        diagnostics: parser.diagnostics,
    }
}

/// The end of the prefix a piece ending at `end` is read in ahead of knowing it is right:
/// `slack` bytes further, at the end of that line.
fn read_ahead_limit(src: &str, end: usize, slack: usize) -> usize {
    let from = end.saturating_add(slack).min(src.len());
    memchr::memchr(b'\n', &src.as_bytes()[from..]).map_or(src.len(), |n| from + n + 1)
}

/// Where each piece starts, and the end of the text last: piece `k` starts at the first line
/// at or after `k * size` that starts with `backend ` (the end of the text if none does);
/// piece 0 at 0. One pass: each search starts past the cut found before it, so a long stretch
/// without such a line (a 100 MB string) is read once, not once per piece.
fn piece_starts(src: &str, size: usize, pieces: usize) -> Vec<usize> {
    let mut starts = Vec::with_capacity(pieces + 1);
    starts.push(0);
    let mut cut = 0;
    for k in 1..=pieces {
        let from = k.saturating_mul(size).min(src.len());
        if cut < from {
            // From the byte before, so that a line starting exactly at `from` is found.
            cut = memchr::memmem::find(&src.as_bytes()[from - 1..], b"\nbackend ")
                .map_or(src.len(), |n| from + n);
        }
        starts.push(cut);
    }
    starts
}

/// Finished pieces waiting to be taken in order, and how far the taking has got.
struct Handover<'a> {
    finished: BTreeMap<usize, Piece<'a>>,
    /// Pieces taken so far: no piece is read more than a window ahead of it, so memory
    /// stays bounded however uneven the pieces are.
    taken: usize,
    /// A thread panicked: everyone stops (the panic is resumed by the scope).
    abandoned: bool,
    /// What each worker made and the calling thread is done with, by reader.
    spent: Vec<Vec<Spent<'a>>>,
}

struct Shared<'a> {
    src: &'a str,
    /// Where each piece starts ([`piece_starts`]).
    starts: Vec<usize>,
    /// The lowerer's, so that every thread hashes names and probes alike.
    keys: Keys,
    /// The lowerer's: every piece is read in it.
    dialect: Dialect,
    pieces: usize,
    window: usize,
    /// How far past its end a piece is read ahead ([`read_ahead_limit`]).
    slack: usize,
    /// The next piece nobody has claimed.
    next: AtomicUsize,
    state: Mutex<Handover<'a>>,
    /// A piece was finished (or the run abandoned).
    finished: Condvar,
    /// A piece was taken (or the run abandoned).
    taken: Condvar,
}

impl<'a> Shared<'a> {
    fn lock(&self) -> MutexGuard<'_, Handover<'a>> {
        // A panic elsewhere is reported by the scope; the state is still consistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn abandon(&self) {
        self.lock().abandoned = true;
        self.finished.notify_all();
        self.taken.notify_all();
    }

    /// Claims the next piece if it is within the window of `taken`.
    fn claim(&self, taken: usize) -> Option<usize> {
        let limit = self.pieces.min(taken + self.window);
        let mut k = self.next.load(Ordering::Relaxed);
        while k < limit {
            match self
                .next
                .compare_exchange_weak(k, k + 1, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return Some(k),
                Err(now) => k = now,
            }
        }
        None
    }

    fn read(&self, k: usize, reader: usize, spares: &mut Spares<'a>) -> Piece<'a> {
        let range = (self.starts[k], self.starts[k + 1]);
        let limit = read_ahead_limit(self.src, range.1, self.slack);
        read_piece(
            self.src,
            range,
            limit,
            reader,
            (&self.keys, self.dialect),
            spares,
        )
    }

    /// Worker `reader`: reads pieces until none are left or the run is abandoned, and takes
    /// back what it made once the calling thread is done with it.
    fn work(&self, reader: usize) {
        let _guard = AbandonOnPanic(self);
        let mut spares = Spares::default();
        let mut state = self.lock();
        loop {
            if state.abandoned || self.next.load(Ordering::Relaxed) >= self.pieces {
                return;
            }
            let Some(k) = self.claim(state.taken) else {
                state = self
                    .taken
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            };
            let spent = std::mem::take(&mut state.spent[reader]);
            drop(state);
            for (backends, list) in spent {
                backends.into_iter().for_each(|b| spares.keep(b));
                spares.keep_list(list);
            }
            let piece = self.read(k, reader, &mut spares);
            state = self.lock();
            state.finished.insert(k, piece);
            self.finished.notify_one();
        }
    }

    /// Piece `k`, in order: taken when finished, else read here while the workers are busy
    /// (this thread's share of the reading), else waited for. `None` if abandoned.
    fn take(&self, k: usize, spares: &mut Spares<'a>) -> Option<Piece<'a>> {
        let mut state = self.lock();
        loop {
            if let Some(piece) = state.finished.remove(&k) {
                state.taken = k + 1;
                drop(state);
                self.taken.notify_all();
                return Some(piece);
            }
            if state.abandoned {
                return None;
            }
            match self.claim(state.taken) {
                Some(j) => {
                    drop(state);
                    let piece = self.read(j, 0, spares);
                    state = self.lock();
                    state.finished.insert(j, piece);
                }
                None => {
                    state = self
                        .finished
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner)
                }
            }
        }
    }
}

/// Marks the run abandoned if its thread unwinds, so that no other thread waits forever.
struct AbandonOnPanic<'s, 'a>(&'s Shared<'a>);

impl Drop for AbandonOnPanic<'_, '_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.abandon();
        }
    }
}

/// Reads `src` in pieces of about `size` bytes on every core (this thread included) and
/// admits them in order into `lowerer`. Returns the syntax diagnostics, in the order one
/// parser would have found them.
pub(super) fn run<'a>(src: &'a str, lowerer: &mut Lowerer<'a, '_>, size: usize) -> Vec<Diagnostic> {
    let size = size.max(1);
    let pieces = src.len().div_ceil(size).max(1);
    let threads = workers().min(pieces);
    let shared = Shared {
        src,
        starts: piece_starts(src, size, pieces),
        keys: lowerer.keys.clone(),
        dialect: lowerer.dialect,
        pieces,
        window: 2 * threads + 2,
        slack: size,
        next: AtomicUsize::new(0),
        state: Mutex::new(Handover {
            finished: BTreeMap::new(),
            taken: 0,
            abandoned: false,
            spent: (0..threads).map(|_| Vec::new()).collect(),
        }),
        finished: Condvar::new(),
        taken: Condvar::new(),
    };
    let shared = &shared;
    std::thread::scope(|scope| {
        for reader in 1..threads {
            scope.spawn(move || shared.work(reader));
        }
        let _guard = AbandonOnPanic(shared);
        lowerer.reserve_for(src);
        let mut diagnostics = nul_bytes(src);
        let mut expected = 0;
        for k in 0..pieces {
            // `None`: a worker panicked, and the scope resumes its panic.
            let Some(piece) = shared.take(k, &mut lowerer.spares) else {
                break;
            };
            let mut piece = if piece.start == expected && piece.complete {
                piece
            } else {
                // Cut inside something the piece before read whole, or read in too short a
                // prefix: read again from there, in the whole text.
                let range = (expected, piece.end.max(expected));
                let how = (&shared.keys, shared.dialect);
                read_piece(src, range, src.len(), 0, how, &mut lowerer.spares)
            };
            expected = piece.stopped_at;
            diagnostics.append(&mut piece.diagnostics);
            lowerer.warm_up(&piece.declared);
            let mut backends = Vec::new();
            for d in piece.declared.drain(..) {
                match lowerer.admit_giving_back(d) {
                    Some(b) if piece.reader == 0 => lowerer.spares.keep(b),
                    Some(b) => backends.push(b),
                    None => {}
                }
            }
            if piece.reader == 0 {
                lowerer.spares.keep_list(piece.declared);
            } else {
                let spent: Spent = (backends, piece.declared);
                shared.lock().spent[piece.reader].push(spent);
            }
        }
        diagnostics
    })
}

#[cfg(test)]
mod tests {
    use super::{Dialect, piece_starts, read_ahead_limit, read_piece};
    use crate::lower::keys::Keys;
    use crate::lower::spares::Spares;
    use crate::lower::{parse_config, parse_config_in_pieces};
    use crate::source::SourceFile;

    /// The `parse` fuzz target's property on every input it once failed on (`fixtures/fuzz/`):
    /// read in pieces of any size, the text gives exactly what one parser gives.
    #[test]
    fn every_fuzz_finding_reads_alike_in_pieces_of_any_size() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let (file, _) = SourceFile::from_bytes("fuzz", std::fs::read(&path).unwrap());
            let whole = format!("{:?}", parse_config(&file.text));
            for size in 1..=8 {
                let pieces = format!("{:?}", parse_config_in_pieces(&file.text, size));
                assert!(pieces == whole, "{} in pieces of {size}", path.display());
            }
        }
    }

    #[test]
    fn a_piece_read_in_a_prefix_is_complete_only_if_it_stopped_before_the_prefix_ends() {
        let src = "backend F_a { .host = \"a\"; }\nbackend F_b { .host = {\"\nlong\n\"}; }\nbackend F_c { .host = \"c\"; }\n";
        let keys = Keys::default();
        let (b, c) = (
            src.find("backend F_b").unwrap(),
            src.find("backend F_c").unwrap(),
        );
        // Read ahead to the end of F_b's first line: F_a's piece stopped at F_b, before it.
        let limit = read_ahead_limit(src, b, 1);
        assert_eq!(&src[limit - 3..limit], "{\"\n");
        let a = read_piece(
            src,
            (0, b),
            limit,
            1,
            (&keys, Dialect::Fastly),
            &mut Spares::default(),
        );
        assert!(a.complete);
        assert_eq!((a.stopped_at, a.declared.len()), (b, 1));
        // F_b's long string runs past that prefix: not complete, and right in the whole text.
        let short = read_piece(
            src,
            (b, b + 1),
            limit,
            1,
            (&keys, Dialect::Fastly),
            &mut Spares::default(),
        );
        assert!(!short.complete);
        let whole = read_piece(
            src,
            (b, b + 1),
            src.len(),
            1,
            (&keys, Dialect::Fastly),
            &mut Spares::default(),
        );
        assert!(whole.complete && whole.diagnostics.is_empty());
        assert_eq!((whole.stopped_at, whole.declared.len()), (c, 1));
        assert_eq!(read_ahead_limit(src, c, 1000), src.len());
    }

    /// The first line at or after `from` that starts with `backend `, searched afresh.
    fn first_cut_from(src: &str, from: usize) -> usize {
        (from.max(1)..src.len())
            .find(|&at| src[..at].ends_with('\n') && src[at..].starts_with("backend "))
            .unwrap_or(src.len())
    }

    #[test]
    fn each_piece_starts_at_the_first_cut_at_or_after_its_share() {
        let src = "x\nbackend a\n\n\nbackend b {\"\nbackend c\"}\n".repeat(3) + &"y".repeat(40);
        for size in 1..=src.len() + 1 {
            let pieces = src.len().div_ceil(size);
            let starts = piece_starts(&src, size, pieces);
            let expected: Vec<usize> = (0..=pieces)
                .map(|k| {
                    if k == 0 {
                        0
                    } else {
                        first_cut_from(&src, (k * size).min(src.len()))
                    }
                })
                .collect();
            assert_eq!(starts, expected, "pieces of {size} bytes");
        }
        assert_eq!(piece_starts("", 1, 1), [0, 0]);
    }
}
