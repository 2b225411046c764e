//! `sum_lanes`: the sum a read benchmark reduces to, kept throughput-bound.
//!
//! One running `f32` total is a chain of dependent adds: every element waits for the add
//! before it (about a nanosecond of FP latency), so a loop summed that way measures the add
//! latency, whatever the access costs. Eight independent running totals let the adds overlap,
//! so the loop is bound by how fast the values can be read, which is what a read benchmark is
//! for.
//!
//! [`sum_lanes`] walks a slice eight elements at a time, the loop shape the compiler turns into
//! vector code where the reads allow it (plain loads do, atomic loads do not: that difference
//! is part of what the kernel groups measure). [`sum_lanes_iter`] does the same over an
//! iterator, for APIs that hand out items one by one; a group that compares an iterator API
//! with a slice measures both through the same function, or says which is which.

/// Independent running totals.
pub const LANES: usize = 8;

/// The sum of `read(item)` over `items`, accumulated in [`LANES`] independent totals.
#[inline(always)]
pub fn sum_lanes<T>(items: &[T], read: impl Fn(&T) -> f32) -> f32 {
    let mut acc = [0.0f32; LANES];
    let chunks = items.chunks_exact(LANES);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (total, item) in acc.iter_mut().zip(chunk) {
            *total += read(item);
        }
    }
    for (total, item) in acc.iter_mut().zip(rest) {
        *total += read(item);
    }
    acc.iter().sum()
}

/// The sum of `values`, accumulated in [`LANES`] independent totals.
#[inline(always)]
pub fn sum_lanes_iter(mut values: impl Iterator<Item = f32>) -> f32 {
    let mut acc = [0.0f32; LANES];
    'outer: loop {
        for total in &mut acc {
            match values.next() {
                Some(v) => *total += v,
                None => break 'outer,
            }
        }
    }
    acc.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::{sum_lanes, sum_lanes_iter};

    #[test]
    fn both_sum_every_value_whatever_the_count() {
        for n in [0usize, 1, 7, 8, 9, 100] {
            let values: Vec<f32> = (0..n).map(|i| i as f32).collect();
            let expected = values.iter().sum::<f32>();
            assert_eq!(sum_lanes(&values, |&v| v), expected, "n = {n}");
            assert_eq!(sum_lanes_iter(values.iter().copied()), expected, "n = {n}");
        }
    }
}
