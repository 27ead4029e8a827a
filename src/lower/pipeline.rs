//! Parsing on a second thread while the calling one lowers: for large inputs, where the two
//! stages cost about the same. Which one is slower depends on the caller (the command also
//! writes each backend as JSON on the lowering thread), so the parsing thread takes over
//! lowering whenever the other falls behind.

use std::sync::mpsc::{TrySendError, sync_channel};

use crate::ast::Item;
use crate::diagnostic::Diagnostic;
use crate::lower::Lowerer;
use crate::lower::declaration::{Declared, declare};
use crate::syntax::Parser;

/// Below this size a second thread costs more than it saves.
pub const MIN_BYTES: usize = 1 << 20;

/// Declarations handed from the parsing thread to the lowering one at a time.
const BATCH: usize = 256;

/// True when `src` is large enough, and the machine has a second core.
pub fn worth_it(src: &str) -> bool {
    src.len() >= MIN_BYTES && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

/// What crosses from the parsing thread: declarations to lower, or already lowered when the
/// lowering thread had fallen behind.
enum Batch<'a> {
    Items(Vec<Item<'a>>),
    Declared(Vec<Declared<'a>>),
}

/// Which batches the parsing thread lowers itself.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Share {
    /// Those the lowering thread has no room for.
    WhenBehind,
    /// Every other one as well, whatever the timing (for tests of the mixed stream).
    EveryOther,
}

/// Parses on a second thread while this one lowers. Items cross in small batches through a
/// bounded channel, so memory stays bounded and the result is exactly the sequential one
/// (same items, same order). When the channel is full, the lowering thread is the slower
/// one, so the parsing thread lowers that batch itself instead of waiting: the work evens
/// out between the two whatever the caller does with each backend. Returns the syntax
/// diagnostics.
pub(super) fn run<'a>(
    src: &'a str,
    lowerer: &mut Lowerer<'a, '_>,
    share: Share,
) -> Vec<Diagnostic> {
    let (batches, received) = sync_channel::<Batch<'a>>(4);
    // Lowered batches go back to be dropped where they were allocated: freeing on the other
    // thread would contend for the allocator's lock of the parsing one.
    let (give_back, spent) = sync_channel::<Vec<Item<'a>>>(8);
    std::thread::scope(|scope| {
        let parsing = scope.spawn(move || {
            let mut parser = Parser::new(src);
            let mut batch = Vec::with_capacity(BATCH);
            let fresh = |mut old: Vec<Item<'a>>| {
                old.clear();
                old
            };
            let send_lowered = |items: Vec<Item<'a>>| {
                let declared = items.iter().filter_map(declare).collect();
                drop(items);
                batches.send(Batch::Declared(declared)).is_ok()
            };
            let mut sent_batches = 0usize;
            for item in parser.by_ref() {
                batch.push(item);
                if batch.len() < BATCH {
                    continue;
                }
                let next = spent
                    .try_recv()
                    .map_or_else(|_| Vec::with_capacity(BATCH), fresh);
                let full = std::mem::replace(&mut batch, next);
                sent_batches += 1;
                let sent = if share == Share::EveryOther && sent_batches % 2 == 0 {
                    send_lowered(full)
                } else {
                    match batches.try_send(Batch::Items(full)) {
                        Err(TrySendError::Full(Batch::Items(items))) => send_lowered(items),
                        result => result.is_ok(),
                    }
                };
                if !sent {
                    break;
                }
            }
            // The receiver only goes away if lowering panicked; that panic is the one to see.
            let _ = batches.send(Batch::Items(batch));
            drop(batches);
            spent.iter().for_each(drop);
            parser.diagnostics
        });
        lowerer.reserve_for(src);
        for batch in received {
            match batch {
                Batch::Items(items) => {
                    items.iter().for_each(|item| lowerer.item(item));
                    // Full only if the parser is behind on taking batches back: then drop here.
                    let _ = give_back.try_send(items);
                }
                Batch::Declared(declared) => {
                    declared.into_iter().for_each(|d| lowerer.admit(d));
                }
            }
        }
        drop(give_back);
        parsing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}
