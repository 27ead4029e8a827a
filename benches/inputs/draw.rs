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

/// What both inputs draw first for backend `i`, in this order: its name words, its domain,
/// whether it speaks TLS, whether it is addressed by IP (plain HTTP only), whether it
/// overrides the Host header; and the address made of them.
pub struct Origin {
    pub word: &'static str,
    pub kind: &'static str,
    pub domain: &'static str,
    pub tls: bool,
    /// Read by the JSON input (hostname or IP fields); the VCL input needs only `address`.
    #[allow(dead_code)]
    pub by_ip: bool,
    pub override_host: bool,
    /// `word` in lower case, for host names.
    pub lower: String,
    pub address: String,
}

impl Origin {
    pub fn draw(i: usize, r: &mut Bits) -> Self {
        let word = *r.pick(WORDS);
        let kind = *r.pick(KINDS);
        let domain = *r.pick(DOMAINS);
        let tls = r.chance(1, 2);
        // Plain-HTTP origins are often addressed by IP.
        let by_ip = !tls && r.chance(1, 2);
        let override_host = r.chance(3, 10);
        let lower = word.to_ascii_lowercase();
        let address = if by_ip {
            format!("10.{}.{}.{}", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)
        } else {
            format!("{lower}-{i}.{domain}")
        };
        Origin {
            word,
            kind,
            domain,
            tls,
            by_ip,
            override_host,
            lower,
            address,
        }
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
