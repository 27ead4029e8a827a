//! "Did you mean": the closest known name to one that is not known.

/// The closest name within a small edit distance (2, or a quarter of the candidate's length
/// if that is more); of equally close ones, the first in byte order, so that the answer never
/// depends on the order of `candidates` (often a hash table's).
pub fn did_you_mean<'n>(name: &str, candidates: impl Iterator<Item = &'n str>) -> Option<&'n str> {
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        // A candidate farther than the best so far cannot win: stop measuring it there.
        let limit = best
            .map_or(usize::MAX, |(d, _)| d)
            .min(2.max(candidate.len() / 4));
        if let Some(d) = distance_within(name, candidate, limit) {
            if best.is_none_or(|b| (d, candidate) < b) {
                best = Some((d, candidate));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// Comparisons one [`Suggester`] makes at most: beyond any real file (a thousand misses among
/// a thousand names), well short of a hostile one's quadratic count (a few milliseconds).
const BUDGET: usize = 1_000_000;

/// [`did_you_mean`] among names from the input, for many misses: every search compares with
/// every name, so a file with tens of thousands of both would take minutes. Once a million
/// comparisons are spent, searches suggest nothing (the caller's plain help is shown).
pub struct Suggester<'n> {
    names: Vec<&'n str>,
    budget: usize,
}

impl<'n> Suggester<'n> {
    pub fn new(names: impl IntoIterator<Item = &'n str>) -> Self {
        Self::with_budget(names, BUDGET)
    }

    fn with_budget(names: impl IntoIterator<Item = &'n str>, budget: usize) -> Self {
        Suggester {
            names: names.into_iter().collect(),
            budget,
        }
    }

    pub fn suggest(&mut self, name: &str) -> Option<&'n str> {
        self.budget = self.budget.checked_sub(self.names.len())?;
        did_you_mean(name, self.names.iter().copied())
    }
}

/// The edit distance (Levenshtein, in characters) between `a` and `b` if it is at most
/// `limit`.
fn distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() {
        // Names are nearly always ASCII (VCL identifiers are): bytes, and a row on the stack.
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let mut row = [0usize; 65];
        match row.get_mut(..=b.len()) {
            Some(row) => distance_in(a, b, limit, row),
            None => distance_in(a, b, limit, &mut vec![0; b.len() + 1]),
        }
    } else {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        distance_in(&a, &b, limit, &mut vec![0; b.len() + 1])
    }
}

/// The dynamic programme, one row at a time in `row` (`b.len() + 1` long); it stops once
/// every entry of a row is beyond `limit`, as later rows only grow.
fn distance_in<T: PartialEq>(a: &[T], b: &[T], limit: usize, row: &mut [usize]) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    for (j, cell) in row.iter_mut().enumerate() {
        *cell = j;
    }
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        let mut smallest = row[0];
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
            smallest = smallest.min(row[j + 1]);
        }
        if smallest > limit {
            return None;
        }
    }
    Some(row[b.len()]).filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook definition, for comparison.
    fn distance(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut rows = vec![vec![0; b.len() + 1]; a.len() + 1];
        for (i, row) in rows.iter_mut().enumerate() {
            row[0] = i;
        }
        rows[0] = (0..=b.len()).collect();
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let substitution = rows[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
                rows[i][j] = substitution.min(rows[i - 1][j] + 1).min(rows[i][j - 1] + 1);
            }
        }
        rows[a.len()][b.len()]
    }

    #[test]
    fn did_you_mean_does_not_depend_on_the_order_of_candidates() {
        // Both one edit from the name (found by fuzzing: the candidates came from a hash table).
        let tied = ["health?heck", "heal?hcheck"];
        for candidates in [tied, [tied[1], tied[0]]] {
            assert_eq!(
                did_you_mean("healthcheck", candidates.into_iter()),
                Some("heal?hcheck")
            );
        }
        assert_eq!(
            did_you_mean("host", ["hots", "hostt", "port"].into_iter()),
            Some("hostt")
        );
        assert_eq!(did_you_mean("host", ["zzzzzz"].into_iter()), None);
    }

    #[test]
    fn the_bounded_distance_is_the_distance_when_within_the_limit() {
        let words = [
            "",
            "a",
            "host",
            "hots",
            "ghost",
            "F_origin_0",
            "F_origin_10",
            "origin",
            "é",
            "hé",
            "héllo",
            "hello",
            "probe_check",
            "probecheck",
            &"x".repeat(70),
            &"x".repeat(72),
        ];
        for a in words {
            for b in words {
                let d = distance(a, b);
                for limit in 0..8 {
                    let expected = (d <= limit).then_some(d);
                    assert_eq!(
                        distance_within(a, b, limit),
                        expected,
                        "{a:?} {b:?} {limit}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_suggester_stops_suggesting_when_its_budget_is_spent() {
        let names: Vec<String> = (0..1000).map(|i| format!("probe_{i}")).collect();
        let mut suggester = Suggester::with_budget(names.iter().map(String::as_str), 10_500);
        for _ in 0..10 {
            assert_eq!(suggester.suggest("probe_7x"), Some("probe_7"));
        }
        assert_eq!(suggester.suggest("probe_7x"), None);
    }
}
