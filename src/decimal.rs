//! Integers in decimal, exactly as `Display` writes them, without `core::fmt`: the JSON and
//! VCL writers write a dozen numbers a backend, and the formatting machinery was a third of
//! the time generate took.

/// The decimal text of one integer.
pub(crate) struct Decimal {
    /// A sign and up to 19 digits, right-aligned (`u64::MAX` has 20 digits, `i64`'s at most 19).
    text: [u8; 21],
    start: usize,
}

impl Decimal {
    pub(crate) fn new(n: i64) -> Self {
        let mut text = [0u8; 21];
        let mut start = text.len();
        let mut rest = n.unsigned_abs();
        loop {
            start -= 1;
            text[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if n < 0 {
            start -= 1;
            text[start] = b'-';
        }
        Decimal { text, start }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits and `-` were written.
        std::str::from_utf8(&self.text[self.start..]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::Decimal;

    proptest::proptest! {
        #[test]
        fn integers_read_as_display_writes_them(n in proptest::num::i64::ANY) {
            let decimal = Decimal::new(n);
            proptest::prop_assert_eq!(decimal.as_str(), n.to_string());
        }
    }

    #[test]
    fn the_extremes() {
        for n in [
            0,
            1,
            -1,
            9,
            10,
            -10,
            99,
            100,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ] {
            assert_eq!(Decimal::new(n).as_str(), n.to_string());
        }
    }
}
