//! Deterministic pseudo-random draws for the generated benchmark inputs (the same index
//! always gives the same object), and the words both inputs draw names from.

/// splitmix64: a fixed, well-mixed stream of numbers from an object's index.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Draws from one random word, a few bits at a time.
pub struct Bits(pub u64);

impl Bits {
    pub fn pick<'a, T>(&mut self, options: &'a [T]) -> &'a T {
        let i = (self.0 % options.len() as u64) as usize;
        self.0 /= options.len() as u64;
        &options[i]
    }
    /// True `num` times out of `den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        let r = self.0 % den;
        self.0 /= den;
        r < num
    }
}

pub const WORDS: &[&str] = &[
    "Main", "API", "Image", "Static", "Shop", "Auth", "Search", "Media", "Legacy", "Docs", "Blog",
    "Assets", "Video", "Checkout", "Account", "Cart", "Feed", "Edge", "Upload", "Partner",
];
pub const KINDS: &[&str] = &["Origin", "Store", "Host", "Backend", "Server", "Bucket"];
pub const DOMAINS: &[&str] = &[
    "example.com",
    "example.net",
    "example.org",
    "origin.test",
    "s3.amazonaws.test",
];
pub const HEALTH_PATHS: &[&str] = &["/health", "/healthz", "/status", "/ping", "/_ah/health"];
