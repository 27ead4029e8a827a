//! Lexical rules of Fastly VCL: trivia (white space and comments), identifiers, string
//! literals, numbers (decimal and hexadecimal INTEGERs) and RTIME literals. String escapes are
//! decoded in `crate::escape`.

use memchr::{memchr, memchr2, memmem};

use nom::bytes::complete::{tag, take_while};
use nom::character::complete::char;

use nom::error::{ErrorKind, ParseError};

use nom::{Err, IResult, Parser};

use crate::ast::RtimeUnit;
use crate::syntax::error::{SyntaxError, SyntaxErrorKind};

pub type PResult<'a, T> = IResult<&'a str, T, SyntaxError<'a>>;

/// `/* ... */`; not nested, as in Fastly VCL.
pub fn block_comment(i: &str) -> PResult<'_, &str> {
    let (rest, _) = tag("/*").parse_complete(i)?;
    match memmem::find(rest.as_bytes(), b"*/") {
        Some(n) => Ok((&rest[n + 2..], &i[..n + 4])),
        None => Err(Err::Failure(SyntaxError::new(
            i,
            SyntaxErrorKind::UnterminatedComment,
            2,
        ))),
    }
}

/// Any white space and comments, possibly none: `{ multispace1 | line_comment | block_comment }`.
///
/// Written as a byte loop rather than `many0(alt(...))` because it runs between every two
/// tokens: most calls see no trivia at all and must return at once (it was a third of the
/// parse time). It accepts exactly the language of the three rules above.
#[inline]
pub fn trivia(i: &str) -> PResult<'_, ()> {
    // White space, the common case, is skipped inline: between most tokens there is a space
    // or an indent, and a call costs more than the loop. Comments take the call.
    let bytes = i.as_bytes();
    let mut pos = 0;
    while let Some(&b) = bytes.get(pos) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' | b'/' => return trivia_with_comments(i, pos),
            _ => break,
        }
    }
    Ok((&i[pos..], ()))
}

/// [`trivia`] from `pos` on, where a comment may start.
fn trivia_with_comments(i: &str, mut pos: usize) -> PResult<'_, ()> {
    let bytes = i.as_bytes();
    loop {
        match bytes.get(pos) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => pos += 1,
            Some(b'#') => pos = line_end(i, pos),
            Some(b'/') if bytes.get(pos + 1) == Some(&b'/') => pos = line_end(i, pos),
            Some(b'/') if bytes.get(pos + 1) == Some(&b'*') => {
                let (rest, _) = block_comment(&i[pos..])?;
                pos = i.len() - rest.len();
            }
            _ => return Ok((&i[pos..], ())),
        }
    }
}

/// The offset of the `\n` or `\r` ending the line that `from` is on (or the end of input): a
/// lone `\r` ends a line of an old Mac file (docs/design.md §2.16).
fn line_end(i: &str, from: usize) -> usize {
    memchr2(b'\n', b'\r', &i.as_bytes()[from..]).map_or(i.len(), |n| from + n)
}

pub fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

pub fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `[A-Za-z_][A-Za-z0-9_]*`
pub fn ident(i: &str) -> PResult<'_, &str> {
    let bytes = i.as_bytes();
    match bytes.first() {
        Some(&b) if b.is_ascii_alphabetic() || b == b'_' => {
            let len = 1 + ident_run(&bytes[1..]);
            Ok((&i[len..], &i[..len]))
        }
        _ => Err(Err::Error(SyntaxError::from_error_kind(
            i,
            ErrorKind::Satisfy,
        ))),
    }
}

/// An identifier with any `-` that joins it to more identifier characters (`web-1`,
/// `health-check`): Varnish names may hold them, and in a Fastly file the whole name is
/// reported once (by lowering) rather than as a name followed by `-1`.
pub fn hyphenated_ident(i: &str) -> PResult<'_, &str> {
    let (mut rest, _) = ident(i)?;
    while let [b'-', next, ..] = rest.as_bytes() {
        if !IDENT_BYTE[usize::from(*next)] {
            break;
        }
        rest = &rest[1 + ident_run(&rest.as_bytes()[1..])..];
    }
    Ok((rest, &i[..i.len() - rest.len()]))
}

/// How many bytes at the start of `bytes` are `[A-Za-z0-9_]`.
pub(crate) fn ident_run(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| !IDENT_BYTE[usize::from(b)])
        .unwrap_or(bytes.len())
}

/// `[A-Za-z0-9_]` as a table: one load per byte in the scans of names.
static IDENT_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

/// How many bytes at the start of `bytes` are ASCII digits.
fn digit_run(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// True when `i` does not continue an identifier (a keyword ends here).
pub fn at_word_boundary(i: &str) -> bool {
    !i.starts_with(is_ident_char)
}

/// `"..."`: returns the text between the quotes, escapes undecoded. May not span lines.
pub fn short_string(i: &str) -> PResult<'_, &str> {
    let (rest, _) = char('"').parse_complete(i)?;
    match memchr2(b'"', b'\n', rest.as_bytes()) {
        Some(n) if rest.as_bytes()[n] == b'"' => Ok((&rest[n + 1..], &rest[..n])),
        end => {
            let len = 1 + end.unwrap_or(rest.len());
            let len = len - usize::from(i[..len].ends_with('\r'));
            Err(Err::Failure(SyntaxError::new(
                i,
                SyntaxErrorKind::UnterminatedString,
                len,
            )))
        }
    }
}

/// Characters of a long-string delimiter: `{ID"..."ID}`.
pub fn is_delimiter_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// True when `i` starts a long string (`{"` or `{ID"`) rather than a block.
pub fn opens_long_string(i: &str) -> bool {
    i.strip_prefix('{')
        .is_some_and(|rest| rest.trim_start_matches(is_delimiter_char).starts_with('"'))
}

/// `{"..."}` or `{ID"..."ID}`: returns the text between the delimiters, as written.
pub fn long_string(i: &str) -> PResult<'_, &str> {
    let (body, (_, delimiter, _)) =
        (char('{'), take_while(is_delimiter_char), char('"')).parse_complete(i)?;
    let mut from = 0;
    while let Some(n) = memchr(b'"', &body.as_bytes()[from..]) {
        let quote = from + n;
        let after = &body[quote + 1..];
        if after.starts_with(delimiter) && after[delimiter.len()..].starts_with('}') {
            return Ok((&after[delimiter.len() + 1..], &body[..quote]));
        }
        from = quote + 1;
    }
    let open = delimiter.len() + 2;
    Err(Err::Failure(SyntaxError::new(
        i,
        SyntaxErrorKind::UnterminatedLongString,
        open,
    )))
}

/// `-?0[xX][0-9A-Fa-f]+`: a hexadecimal INTEGER, as Fastly's VCL writes them. `None` when `i`
/// does not start with `0x` or `-0x`; an error when no hexadecimal digit follows, or letters
/// or digits that are not hexadecimal are glued to it (a hexadecimal integer takes no unit).
pub fn hex_integer(i: &str) -> Option<PResult<'_, &str>> {
    let bytes = i.as_bytes();
    let sign = usize::from(bytes.first() == Some(&b'-'));
    if bytes.get(sign) != Some(&b'0') || bytes.get(sign + 1).map(|b| b | 0x20) != Some(b'x') {
        return None;
    }
    let digits_at = sign + 2;
    let digits = bytes[digits_at..]
        .iter()
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    let end = digits_at + digits;
    let glued = bytes.get(end).is_some_and(|&b| IDENT_BYTE[usize::from(b)]);
    Some(if digits == 0 {
        Err(Err::Failure(SyntaxError::expected(
            &i[digits_at..],
            "hexadecimal digits after `0x`",
        )))
    } else if glued {
        Err(Err::Failure(SyntaxError::expected(
            &i[end..],
            "the end of the hexadecimal integer (it takes no unit)",
        )))
    } else {
        Ok((&i[end..], &i[..end]))
    })
}

/// True when `text` (a number as [`number_or_rtime`](crate::syntax::properties::number_or_rtime)
/// read it) is hexadecimal: its digits after the `0x`.
pub fn hex_digits(text: &str) -> Option<&str> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    match unsigned.as_bytes() {
        [b'0', b'x' | b'X', ..] => Some(&unsigned[2..]),
        _ => None,
    }
}

/// `-?[0-9]+(\.[0-9]+)?`
pub fn number(i: &str) -> PResult<'_, &str> {
    let bytes = i.as_bytes();
    let sign = usize::from(bytes.first() == Some(&b'-'));
    let whole = digit_run(&bytes[sign..]);
    if whole == 0 {
        return Err(Err::Error(SyntaxError::from_error_kind(
            &i[sign..],
            ErrorKind::Digit,
        )));
    }
    let mut len = sign + whole;
    if bytes.get(len) == Some(&b'.') {
        let fraction = digit_run(&bytes[len + 1..]);
        if fraction > 0 {
            len += 1 + fraction;
        }
    }
    Ok((&i[len..], &i[..len]))
}

/// The unit after a number: `ms s m h d w y`, optionally after spaces (`5 m`).
/// Returns `None` when no unit follows; letters glued to the number that are not a unit are
/// an error (`5x`, `5sec`).
pub fn rtime_unit(i: &str) -> PResult<'_, Option<(RtimeUnit, &str)>> {
    let spaces = i.bytes().take_while(|&b| b == b' ' || b == b'\t').count();
    let after_space = &i[spaces..];
    let word = &after_space[..ident_run(after_space.as_bytes())];
    let rest = &after_space[word.len()..];
    match RtimeUnit::from_suffix(word) {
        Some(unit) => Ok((rest, Some((unit, word)))),
        None if !word.is_empty() && spaces == 0 => Err(Err::Failure(SyntaxError::new(
            after_space,
            SyntaxErrorKind::BadRtimeUnit,
            word.len(),
        ))),
        None => Ok((i, None)),
    }
}
