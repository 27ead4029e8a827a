//! Arbitrary faults under the console and safe_write (the injection helper of
//! tests/write_faults.rs): never a panic, every loss reported, a file whole or as it was.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/faulty.rs"]
mod faulty;
// The binary's modules, included whole; the process-wide console is not used here.
#[allow(dead_code)]
#[path = "../../src/cli/console.rs"]
mod console;
#[allow(dead_code)]
#[path = "../../src/cli/safe_write.rs"]
mod safe_write;

use console::{Console, EXIT_PIPE, EXIT_WRITE, Plain};
use faulty::{Faults, Faulty, Shared};

fuzz_target!(|data: &[u8]| {
    // The first bytes choose the faults and the piece size, the rest is the content.
    let (head, content) = data.split_at(data.len().min(8));
    let faults = Faults::from_bytes(head);
    let piece = head.get(7).map_or(1, |&b| usize::from(b).max(1));
    let write = |w: &mut dyn Write| content.chunks(piece).try_for_each(|c| w.write_all(c));

    let received = Shared::default();
    let mut console = Console::new(
        Plain(Faulty::new(received.clone(), faults.clone())),
        Plain(Vec::new()),
    );
    let arrived = console.out(write);
    let code = console.finish(0);
    assert_eq!(arrived, faults.lets_through(content.len()));
    assert!(content.starts_with(&received.bytes()));
    match arrived {
        true => assert!(code == 0 && received.bytes() == content),
        false => assert!(code == EXIT_WRITE || code == EXIT_PIPE),
    }

    let dir = std::env::temp_dir().join(format!("vcl-backend-fuzz-write-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let target = dir.join("out.vcl");
    std::fs::write(&target, b"old\n").expect("the fuzz directory is writable");
    let written = safe_write::write(&target, |w| {
        let mut faulty = Faulty::new(w, faults.clone());
        write(&mut faulty)?;
        faulty.flush()
    });
    assert_eq!(written.is_ok(), faults.lets_through(content.len()));
    let now = std::fs::read(&target).expect("the target is still there");
    match written {
        Ok(()) => assert_eq!(now, content),
        Err(_) => assert_eq!(now, b"old\n"),
    }
    let left = std::fs::read_dir(&dir).map_or(0, |d| d.count());
    assert_eq!(left, 1, "a temporary file was left behind");
});
