//! Arbitrary bytes through UTF-8 checking, the parser and lowering: never a panic, every
//! label on a character boundary inside the text, and the same result when the text is read
//! in pieces (of a size the input's length picks) as when one parser reads it, when no
//! declaration is lowered into a kept one, and (for the parser) when no item is read into
//! recycled lists.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vcl_backend::lower::{parse_config, parse_config_in_pieces, parse_config_without_spares};
use vcl_backend::syntax::Parser;
use vcl_backend::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let (file, _) = SourceFile::from_bytes("fuzz", data.to_vec());
    let lowered = parse_config(&file.text);
    for d in &lowered.diagnostics {
        for label in &d.labels {
            assert!(label.span.start <= label.span.end && label.span.end <= file.text.len());
            assert!(file.text.is_char_boundary(label.span.start) && file.text.is_char_boundary(label.span.end));
        }
    }
    let piece_bytes = 1 + data.len() % 97;
    let in_pieces = parse_config_in_pieces(&file.text, piece_bytes);
    assert_eq!(format!("{lowered:?}"), format!("{in_pieces:?}"), "pieces of {piece_bytes} bytes");
    let without_spares = parse_config_without_spares(&file.text);
    assert_eq!(format!("{lowered:?}"), format!("{without_spares:?}"), "without spares");
    let fresh: Vec<_> = Parser::new(&file.text).collect();
    let mut parser = Parser::new(&file.text);
    let mut recycled = Vec::new();
    while let Some(item) = parser.next() {
        recycled.push(item.clone());
        parser.recycle(item);
    }
    assert_eq!(fresh, recycled, "items read into recycled lists");
});
