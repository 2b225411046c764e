//! `sum_lanes`: the sum a read benchmark reduces to, kept throughput-bound.
//!
//! One running `f32` total is a chain of dependent adds: every element waits for the add
//! before it (about a nanosecond of FP latency), so a loop summed that way measures the add
//! latency, whatever the access costs. Eight independent running totals let the adds overlap,
//! so the loop is bound by how fast the values can be read, which is what a read benchmark is
//! for. Every function of a group sums through this, so they are compared on the same work.

/// Independent running totals.
pub const LANES: usize = 8;

/// The sum of `values`, accumulated in [`LANES`] independent totals.
#[inline(always)]
pub fn sum_lanes(mut values: impl Iterator<Item = f32>) -> f32 {
    let mut acc = [0.0f32; LANES];
    'outer: loop {
        for lane in &mut acc {
            match values.next() {
                Some(v) => *lane += v,
                None => break 'outer,
            }
        }
    }
    acc.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::sum_lanes;

    #[test]
    fn sums_every_value_whatever_the_count() {
        for n in [0usize, 1, 7, 8, 9, 100] {
            let expected = (0..n).map(|i| i as f32).sum::<f32>();
            assert_eq!(sum_lanes((0..n).map(|i| i as f32)), expected, "n = {n}");
        }
    }
}
