//! Parsing on a second thread while the calling one lowers: for large inputs, where the two
//! stages cost about the same.

use crate::ast::Item;
use crate::diagnostic::Diagnostic;
use crate::lower::Lowerer;
use crate::syntax::Parser;

/// Below this size a second thread costs more than it saves.
pub const MIN_BYTES: usize = 1 << 20;

/// Declarations handed from the parsing thread to the lowering one at a time.
const BATCH: usize = 256;

/// True when `src` is large enough, and the machine has a second core.
pub fn worth_it(src: &str) -> bool {
    src.len() >= MIN_BYTES && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

/// Parses on a second thread while this one lowers, the two stages about equal in cost.
/// Items cross in small batches through a bounded channel, so memory stays bounded and
/// the result is exactly the sequential one (same items, same order). Returns the syntax
/// diagnostics.
pub fn run<'a>(src: &'a str, lowerer: &mut Lowerer<'a, '_>) -> Vec<Diagnostic> {
    use std::sync::mpsc::sync_channel;
    let (batches, received) = sync_channel::<Vec<Item<'a>>>(4);
    // Lowered batches go back to be dropped where they were allocated: freeing on the other
    // thread would contend for the allocator's lock of the parsing one.
    let (give_back, spent) = sync_channel::<Vec<Item<'a>>>(8);
    std::thread::scope(|scope| {
        let parsing = scope.spawn(move || {
            let mut parser = Parser::new(src);
            let mut batch = Vec::with_capacity(BATCH);
            for item in parser.by_ref() {
                batch.push(item);
                if batch.len() == BATCH {
                    let next = match spent.try_recv() {
                        Ok(mut old) => {
                            old.clear();
                            old
                        }
                        Err(_) => Vec::with_capacity(BATCH),
                    };
                    if batches.send(std::mem::replace(&mut batch, next)).is_err() {
                        break;
                    }
                }
            }
            // The receiver only goes away if lowering panicked; that panic is the one to see.
            let _ = batches.send(batch);
            drop(batches);
            spent.iter().for_each(drop);
            parser.diagnostics
        });
        // Each item is lowered and admitted here. (Lowering on the parsing thread was tried:
        // with the system allocator, freeing there what was made here cost more than it gained.)
        for batch in received {
            batch.iter().for_each(|item| lowerer.item(item));
            // Full only if the parser is behind on taking batches back: then drop here.
            let _ = give_back.try_send(batch);
        }
        drop(give_back);
        parsing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}
