//! Integers in decimal, exactly as `Display` writes them, without `core::fmt`: the JSON and
//! VCL writers write a dozen numbers a backend, and the formatting machinery dominated
//! generate's profile (docs/performance.md).

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

    /// ASCII: digits, and `-` first if negative.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.text[self.start..]
    }

    /// Appends it to `out`, a character at a time: the bytes are ASCII, and a short run of
    /// pushes costs less than validating them as UTF-8.
    pub(crate) fn push_to(&self, out: &mut String) {
        self.as_bytes()
            .iter()
            .for_each(|&b| out.push(char::from(b)));
    }
}

#[cfg(test)]
mod tests {
    use super::Decimal;

    proptest::proptest! {
        #![proptest_config(crate::test_support::cases(256))]

        #[test]
        fn integers_read_as_display_writes_them(n in proptest::num::i64::ANY) {
            let mut out = String::from("x");
            Decimal::new(n).push_to(&mut out);
            let (decimal, display) = (Decimal::new(n), n.to_string());
            proptest::prop_assert_eq!(decimal.as_bytes(), display.as_bytes());
            proptest::prop_assert_eq!(out, format!("x{n}"));
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
            assert_eq!(Decimal::new(n).as_bytes(), n.to_string().as_bytes());
        }
    }
}
