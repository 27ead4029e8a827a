//! Fault injection under the console and safe_write (docs/design.md §7.4, §7.5): whatever
//! the writer does (fail at any byte, short writes, `Ok(0)`, `Interrupted`, a failed flush),
//! neither panics, a failure is reported, and a file is either whole or as it was.

mod support;

// `Faults::from_bytes` is the fuzz target's.
#[allow(dead_code)]
#[path = "support/faulty.rs"]
mod faulty;
// The modules of the binary, included whole; the process-wide console is not used here.
#[allow(dead_code)]
#[path = "../src/cli/console.rs"]
mod console;
#[allow(dead_code)]
#[path = "../src/cli/safe_write.rs"]
mod safe_write;

use std::fs;
use std::io::{self, Write};

use console::{Console, EXIT_PIPE, EXIT_WRITE, Plain};
use faulty::{Faults, Faulty, Shared};
use proptest::prelude::*;
use support::{TempDir, cases};

fn faults() -> impl Strategy<Value = Faults> {
    (
        proptest::option::of(0usize..3000),
        prop_oneof![Just(0usize), 1usize..64, Just(usize::MAX)],
        0usize..4,
        prop_oneof![
            Just(io::ErrorKind::BrokenPipe),
            Just(io::ErrorKind::StorageFull),
            Just(io::ErrorKind::Other),
        ],
        proptest::bool::weighted(0.1),
    )
        .prop_map(
            |(fail_at, max_chunk, interrupt_every, error, fail_flush)| Faults {
                fail_at,
                max_chunk,
                interrupt_every,
                error,
                fail_flush,
            },
        )
}

fn content() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..2500)
}

/// Writes in the pieces given (a command writes its result in many calls).
fn write_in(w: &mut dyn Write, data: &[u8], piece: usize) -> io::Result<()> {
    data.chunks(piece.max(1)).try_for_each(|c| w.write_all(c))
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn the_console_reports_every_loss(faults in faults(), data in content(), piece in 1usize..700) {
        let through = faults.lets_through(data.len());
        let kind = faults.error;
        let received = Shared::default();
        let sink = Plain(Faulty::new(received.clone(), faults));
        let mut console = Console::new(sink, Plain(Vec::new()));
        let arrived = console.out(|w| write_in(w, &data, piece));
        let code = console.finish(0);
        let received = received.bytes();
        prop_assert!(data.starts_with(&received), "bytes that were never sent arrived");
        if arrived {
            prop_assert_eq!(&received, &data);
        }
        if arrived {
            prop_assert_eq!(code, 0);
        } else {
            // 141 for a closed pipe only; any other failure (`Ok(0)` too) is 2.
            prop_assert!(code == EXIT_WRITE || (code == EXIT_PIPE && kind == io::ErrorKind::BrokenPipe));
        }
        // Faults that let everything through (Interrupted, short writes) lose nothing.
        prop_assert_eq!(arrived, through);
    }

    #[test]
    fn a_file_is_whole_or_as_it_was(faults in faults(), data in content(), piece in 1usize..700) {
        let dir = TempDir::new("faults");
        let target = dir.join("out.vcl");
        fs::write(&target, b"old content\n").unwrap();
        let through = faults.lets_through(data.len());
        let written = safe_write::write(&target, |w| {
            let mut faulty = Faulty::new(w, faults);
            write_in(&mut faulty, &data, piece)?;
            faulty.flush()
        });
        prop_assert_eq!(written.is_ok(), through);
        let now = fs::read(&target).unwrap();
        if written.is_ok() {
            prop_assert_eq!(now, data);
        } else {
            prop_assert_eq!(now, b"old content\n".to_vec());
        }
        // No temporary file is left behind, whatever happened.
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        prop_assert_eq!(names, vec![std::ffi::OsString::from("out.vcl")]);
    }
}

#[test]
fn interrupted_and_short_writes_lose_nothing() {
    let faults = Faults {
        fail_at: None,
        max_chunk: 3,
        interrupt_every: 2,
        error: io::ErrorKind::Other,
        fail_flush: false,
    };
    let data: Vec<u8> = (0..=255).cycle().take(100_000).collect();
    let received = Shared::default();
    let sink = Plain(Faulty::new(received.clone(), faults));
    let mut console = Console::new(sink, Plain(Vec::new()));
    assert!(console.out(|w| w.write_all(&data)));
    assert_eq!(console.finish(0), 0);
    assert_eq!(received.bytes(), data);
}
