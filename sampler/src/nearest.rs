//! Suggestions for a sound name that does not exist.

/// Levenshtein distance between `a` and `b`, comparing characters case-insensitively.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(diag + cost);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Up to `max` of `names` closest to `name` (edit distance at most a third of the
/// longer name's length, and at least 1 allowed), closest first, then alphabetical.
pub fn nearest<'a>(name: &str, names: impl Iterator<Item = &'a str>, max: usize) -> Vec<String> {
    let mut scored: Vec<(usize, &str)> = names
        .filter(|n| *n != name)
        .filter_map(|n| {
            let d = distance(name, n);
            let allowed = (name.chars().count().max(n.chars().count()) / 3).max(1);
            (d <= allowed).then_some((d, n))
        })
        .collect();
    scored.sort();
    scored.dedup();
    scored
        .into_iter()
        .take(max)
        .map(|(_, n)| n.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("bd", "bd"), 0);
        assert_eq!(distance("bd", "db"), 2);
        assert_eq!(distance("kick", "kicks"), 1);
        assert_eq!(distance("Snare", "snare"), 0);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn suggestions_are_close_and_ordered() {
        let names = [
            "bd",
            "sn",
            "hh",
            "hh27",
            "superpiano",
            "bass",
            "bass1",
            "bass3",
            "cp",
        ];
        assert_eq!(nearest("bdd", names.iter().copied(), 5), vec!["bd"]);
        assert_eq!(nearest("bas", names.iter().copied(), 5), vec!["bass"]);
        assert_eq!(
            nearest("bass2", names.iter().copied(), 5),
            vec!["bass", "bass1", "bass3"]
        );
        assert_eq!(
            nearest("superpiana", names.iter().copied(), 5),
            vec!["superpiano"]
        );
        assert!(nearest("zzzzzz", names.iter().copied(), 5).is_empty());
        assert_eq!(nearest("hh2", names.iter().copied(), 1), vec!["hh"]);
    }
}
