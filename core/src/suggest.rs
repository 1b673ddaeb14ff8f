//! "Did you mean …?": the closest known name to a misspelt one.

/// Optimal string alignment distance (Levenshtein plus adjacent swaps),
/// ignoring ASCII case, so `preTraficHook` is one edit from `preTrafficHook`.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// The candidate closest to `wrong`, if it is close enough to be a typo:
/// at most a third of the name's length in edits (and at least one), or a
/// shortening of it (`anomaly` for `anomalyDetection`).
pub fn did_you_mean<'c>(wrong: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let budget = (wrong.chars().count() / 3).max(1);
    let lower = wrong.to_ascii_lowercase();
    let shortened = |candidate: &str| lower.len() >= 4 && candidate.to_ascii_lowercase().starts_with(&lower);
    candidates
        .into_iter()
        .filter_map(|candidate| {
            let d = distance(wrong, candidate);
            // A shortening ranks after every real typo.
            (d <= budget).then_some((d, candidate)).or_else(|| shortened(candidate).then_some((usize::MAX, candidate)))
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let keys = ["preTrafficHook", "postTrafficHook", "alias", "type"];
        assert_eq!(did_you_mean("preTraficHook", keys), Some("preTrafficHook"));
        assert_eq!(did_you_mean("alais", keys), Some("alias"));
        assert_eq!(did_you_mean("Type", keys), Some("type"));
        assert_eq!(did_you_mean("somethingElse", keys), None);
        assert_eq!(did_you_mean("x", keys), None);
        assert_eq!(did_you_mean("anomaly", ["static", "anomalyDetection"]), Some("anomalyDetection"));
        assert_eq!(did_you_mean("ali", keys), None, "too short to be a shortening");
    }
}
