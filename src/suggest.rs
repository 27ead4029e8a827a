//! "Did you mean": the closest known name to one that is not known.
//!
//! The work is bounded (docs/design.md §10): a name longer than `LONGEST` (256) characters gets no
//! suggestion, candidates whose length alone rules them out are never measured, and a
//! [`Suggester`]'s budget counts cells of the edit-distance table, not comparisons.

/// Names longer than this (in characters) are not suggested for: no identifier is that long
/// by mistake, and one table for two such names is hundreds of thousands of cells.
const LONGEST: usize = 256;

/// The closest name within a small edit distance (2, or a quarter of the candidate's length
/// if that is more); of equally close ones, the first in byte order, so that the answer never
/// depends on the order of `candidates` (often a hash table's).
pub fn did_you_mean<'n>(name: &str, candidates: impl Iterator<Item = &'n str>) -> Option<&'n str> {
    let length = chars_within(name, LONGEST)?;
    let mut cells = usize::MAX;
    closest(name, length, candidates, &mut cells).ok()?
}

/// The farthest a candidate of `length` characters may be from the name.
fn limit_for(length: usize) -> usize {
    2.max(length / 4)
}

/// The characters of `text`, if at most `most` (counted no further than that).
fn chars_within(text: &str, most: usize) -> Option<usize> {
    if text.len() > 4 * most {
        return None;
    }
    Some(text.chars().count()).filter(|&n| n <= most)
}

/// The budget ran out during a search.
struct Spent;

/// [`did_you_mean`] for a name of `length` characters, spending at most `cells` cells of the
/// edit-distance tables (and one for each candidate looked at).
fn closest<'n>(
    name: &str,
    length: usize,
    candidates: impl Iterator<Item = &'n str>,
    cells: &mut usize,
) -> Result<Option<&'n str>, Spent> {
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        *cells = cells.checked_sub(1).ok_or(Spent)?;
        let Some(candidate_length) = chars_within(candidate, 2 * LONGEST) else {
            continue;
        };
        // A candidate farther than the best so far cannot win: stop measuring it there.
        let limit = best
            .map_or(usize::MAX, |(d, _)| d)
            .min(limit_for(candidate_length));
        if length.abs_diff(candidate_length) > limit {
            continue;
        }
        if let Some(d) = distance_within(name, candidate, limit, cells)? {
            if best.is_none_or(|b| (d, candidate) < b) {
                best = Some((d, candidate));
            }
        }
    }
    Ok(best.map(|(_, c)| c))
}

/// Cells of the edit-distance tables one [`Suggester`] fills at most: a thousand misses among
/// a thousand names of ten characters, and a fraction of a second (docs/performance.md).
const BUDGET: usize = 100_000_000;

/// [`did_you_mean`] among names from the input, for many misses: every search could measure
/// every name, so a file with tens of thousands of both would take minutes. The names are
/// kept sorted by length, so that a search measures only those of a length within reach; once
/// the budget of cells is spent, searches suggest nothing (the caller's plain help is shown).
pub struct Suggester<'n> {
    /// `(characters, name)`, sorted and without duplicates: the order of the search, so that
    /// where the budget runs out never depends on the order the names came in.
    names: Vec<(usize, &'n str)>,
    budget: usize,
    /// Cells filled so far (and candidates looked at): what the budget counts.
    spent: usize,
}

impl<'n> Suggester<'n> {
    pub fn new(names: impl IntoIterator<Item = &'n str>) -> Self {
        Self::with_budget(names, BUDGET)
    }

    fn with_budget(names: impl IntoIterator<Item = &'n str>, budget: usize) -> Self {
        let mut names: Vec<(usize, &str)> = names
            .into_iter()
            .filter_map(|n| Some((chars_within(n, 2 * LONGEST)?, n)))
            .collect();
        names.sort_unstable();
        names.dedup();
        Suggester {
            names,
            budget,
            spent: 0,
        }
    }

    pub fn suggest(&mut self, name: &str) -> Option<&'n str> {
        let length = chars_within(name, LONGEST)?;
        // Only names whose length is within their own limit of this one can be close enough:
        // the bounds are monotonic along the sorted lengths.
        let start = self
            .names
            .partition_point(|&(n, _)| n < length && length - n > limit_for(n));
        let end = self
            .names
            .partition_point(|&(n, _)| n <= length || n - length <= limit_for(n));
        let window = self.names[start..end.max(start)].iter().map(|&(_, n)| n);
        let mut left = self.budget - self.spent;
        let found = closest(name, length, window, &mut left);
        self.spent = self.budget - left;
        // A search the budget cut short suggests nothing.
        found.ok().flatten()
    }

    /// The work done so far, in the budget's units.
    #[cfg(test)]
    fn spent(&self) -> usize {
        self.spent
    }
}

/// The edit distance (Levenshtein, in characters) between `a` and `b` if it is at most
/// `limit`; each row of the table costs its cells from `cells`.
fn distance_within(
    a: &str,
    b: &str,
    limit: usize,
    cells: &mut usize,
) -> Result<Option<usize>, Spent> {
    if a.is_ascii() && b.is_ascii() {
        // Names are nearly always ASCII (VCL identifiers are): bytes, and a row on the stack.
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let mut row = [0usize; 65];
        match row.get_mut(..=b.len()) {
            Some(row) => distance_in(a, b, limit, row, cells),
            None => distance_in(a, b, limit, &mut vec![0; b.len() + 1], cells),
        }
    } else {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        distance_in(&a, &b, limit, &mut vec![0; b.len() + 1], cells)
    }
}

/// The dynamic programme, one row at a time in `row` (`b.len() + 1` long); it stops once
/// every entry of a row is beyond `limit`, as later rows only grow.
fn distance_in<T: PartialEq>(
    a: &[T],
    b: &[T],
    limit: usize,
    row: &mut [usize],
    cells: &mut usize,
) -> Result<Option<usize>, Spent> {
    if a.len().abs_diff(b.len()) > limit {
        return Ok(None);
    }
    for (j, cell) in row.iter_mut().enumerate() {
        *cell = j;
    }
    for (i, ca) in a.iter().enumerate() {
        *cells = cells.checked_sub(b.len()).ok_or(Spent)?;
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
            return Ok(None);
        }
    }
    Ok(Some(row[b.len()]).filter(|&d| d <= limit))
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
                    let found = distance_within(a, b, limit, &mut { usize::MAX })
                        .ok()
                        .flatten();
                    assert_eq!(found, expected, "{a:?} {b:?} {limit}");
                }
            }
        }
    }

    #[test]
    fn a_suggester_stops_suggesting_when_its_budget_is_spent() {
        let names: Vec<String> = (0..1000).map(|i| format!("probe_{i}")).collect();
        let mut one = Suggester::new(names.iter().map(String::as_str));
        assert_eq!(one.suggest("probe_7x"), Some("probe_7"));
        let cost = one.spent();
        let mut suggester =
            Suggester::with_budget(names.iter().map(String::as_str), 10 * cost + cost / 2);
        for _ in 0..10 {
            assert_eq!(suggester.suggest("probe_7x"), Some("probe_7"));
        }
        assert_eq!(suggester.suggest("probe_7x"), None);
    }

    /// One misspelt name of 128,000 characters among names like it filled 16 billion cells
    /// (over a minute); it is now not suggested for, and measures nothing.
    #[test]
    fn a_huge_name_is_not_suggested_for() {
        let huge = "a".repeat(128_000);
        let near = format!("{huge}b");
        let mut suggester = Suggester::new([near.as_str(), "a"]);
        assert_eq!(suggester.suggest(&huge), None);
        assert_eq!(suggester.spent(), 0);
        assert_eq!(did_you_mean(&huge, [near.as_str()].into_iter()), None);
        let long = "a".repeat(LONGEST);
        let long_b = format!("{long}b");
        let mut suggester = Suggester::new([near.as_str(), long_b.as_str()]);
        assert_eq!(suggester.suggest(&long).map(str::len), Some(LONGEST + 1));
        assert!(
            suggester.spent() <= LONGEST * (LONGEST + 1) + 2,
            "{}",
            suggester.spent()
        );
    }

    /// Names whose length alone rules them out are never measured: a search among 10,000
    /// names of other lengths spends nothing.
    #[test]
    fn candidates_of_another_length_cost_nothing() {
        let names: Vec<String> = (0..10_000).map(|i| format!("{i:0>40}")).collect();
        let mut suggester = Suggester::new(names.iter().map(String::as_str));
        assert_eq!(suggester.suggest("origin"), None);
        assert_eq!(suggester.spent(), 0);
        // Within reach: 0 to 2 characters off, or a quarter of the candidate's length.
        let mut suggester = Suggester::new(["abcdefgh", "abcdefghijk", "abcdefghijkl", "abcd"]);
        assert_eq!(suggester.suggest("abcdefghi"), Some("abcdefgh"));
        // Three candidates looked at, one table of 9 by 8; the others are then too far.
        assert_eq!(suggester.spent(), 3 + 9 * 8);
    }

    /// The budget counts cells, so long names exhaust it sooner than short ones, and where it
    /// runs out depends only on the names, never on their order.
    #[test]
    fn the_budget_counts_cells_whatever_the_order_of_the_names() {
        let names: Vec<String> = (0..100)
            .map(|i| format!("{}{i:03}", "x".repeat(197)))
            .collect();
        let name = format!("{}y", "x".repeat(199));
        let mut runs = Vec::new();
        for reversed in [false, true] {
            let mut ordered: Vec<&str> = names.iter().map(String::as_str).collect();
            if reversed {
                ordered.reverse();
            }
            let mut suggester = Suggester::with_budget(ordered, 10_000_000);
            let found: Vec<_> = (0..20).map(|_| suggester.suggest(&name)).collect();
            runs.push((found, suggester.spent()));
        }
        assert_eq!(runs[0], runs[1]);
        let (found, spent) = &runs[0];
        let answered = found.iter().take_while(|f| f.is_some()).count();
        assert!(
            found[..answered]
                .iter()
                .all(|f| *f == Some(names[0].as_str()))
        );
        // Each search fills about 100 tables of 200 by 200 cells: the budget lasts two.
        assert!((1..=3).contains(&answered), "{answered}");
        assert!(*spent <= 10_000_000);
    }
}
