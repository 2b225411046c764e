//! Several rounds of the same suites, combined per function.
//!
//! Criterion measures a group's functions one after another, each in one window of seconds.
//! On a shared or virtual machine a slow stretch (a neighbour's load, frequency steps) can
//! cover one function's window and none of its peers', and the ratio of that run says more
//! about the machine than about either library. Running every suite again in later rounds
//! gives each function several windows spread over the whole report, and the median of a
//! function's rounds drops a window that one slow stretch covered, whichever side it hit.
//! Every function, ours and peers alike, is combined the same way.

use super::estimates::Medians;

/// The median of `values` (the mean of the middle two for an even count); `None` if empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// Each function's median over the rounds that measured it.
pub fn combine(rounds: &[Medians]) -> Medians {
    let mut ids: Vec<&String> = rounds.iter().flat_map(|r| r.keys()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| {
            let values: Vec<f64> = rounds.iter().filter_map(|r| r.get(id).copied()).collect();
            Some((id.clone(), median(&values)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::medians as round;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn one_slow_window_is_dropped_whichever_function_it_hit() {
        let rounds = [
            round(&[("g/ours", 160.0), ("g/peer", 100.0)]),
            round(&[("g/ours", 90.0), ("g/peer", 100.0)]),
            round(&[("g/ours", 92.0), ("g/peer", 150.0)]),
        ];
        let combined = combine(&rounds);
        assert_eq!(combined["g/ours"], 92.0);
        assert_eq!(combined["g/peer"], 100.0);
    }

    #[test]
    fn a_function_missing_from_a_round_uses_the_rounds_that_have_it() {
        let rounds = [round(&[("g/a", 1.0), ("g/b", 5.0)]), round(&[("g/a", 3.0)])];
        let combined = combine(&rounds);
        assert_eq!((combined["g/a"], combined["g/b"]), (2.0, 5.0));
        assert_eq!(combined.len(), 2);
    }
}
