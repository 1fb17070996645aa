//! Criterion weights from pairwise comparison: Saaty's analytic hierarchy process (AHP).
//!
//! Someone says of every pair of criteria how much more important the one is than the other on
//! Saaty's scale (1 equal, 3 moderately, 5 strongly, 7 very strongly, 9 extremely more; the
//! reciprocals for less). The weights are the principal eigenvector of that reciprocal matrix,
//! normalised to sum 1; the **consistency ratio** CR = CI / RI, with CI = (λmax − n) / (n − 1)
//! and RI Saaty's random index for n, says how far the judgements contradict each other.
//! Above 0.1 they should be looked at again.

use crate::error::ErrorCode;

/// Saaty's random consistency index for 1…15 criteria.
const RANDOM_INDEX: [f64; 15] = [
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
];

/// Above this consistency ratio the judgements contradict each other too much to trust.
pub const CONSISTENT_UP_TO: f64 = 0.1;

/// The most criteria that can be compared (Saaty's random index goes no further).
pub const MAX_CRITERIA: usize = RANDOM_INDEX.len();

/// The weights derived from a comparison and how consistent it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// One per criterion, in the matrix's order, summing to 1.
    pub weights: Vec<f64>,
    pub lambda_max: f64,
    pub consistency_index: f64,
    pub consistency_ratio: f64,
}

impl Derived {
    pub fn is_consistent(&self) -> bool {
        self.consistency_ratio <= CONSISTENT_UP_TO
    }
}

/// A judgement must be on Saaty's scale: from 1/9 to 9.
pub fn judgement(value: f64) -> Result<f64, ErrorCode> {
    if value.is_finite() && (1.0 / 9.0 - 1e-9..=9.0 + 1e-9).contains(&value) {
        Ok(value)
    } else {
        Err(ErrorCode::OutOfRange { min: 0, max: 9 })
    }
}

/// The reciprocal matrix of `n` criteria from the judgements on the pairs above its diagonal:
/// `above[k]` for (i, j) with i < j in row order, i.e. (0,1), (0,2), …, (1,2), ….
pub fn matrix(n: usize, above: &[f64]) -> Vec<Vec<f64>> {
    let mut m = vec![vec![1.0; n]; n];
    let pairs = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j)));
    for ((i, j), value) in pairs.zip(above) {
        m[i][j] = *value;
        m[j][i] = 1.0 / value;
    }
    m
}

/// The number of pairs `n` criteria make.
pub fn pairs(n: usize) -> usize {
    n * n.saturating_sub(1) / 2
}

/// The weights and consistency of a positive reciprocal matrix (at most [`MAX_CRITERIA`]).
pub fn derive(m: &[Vec<f64>]) -> Derived {
    let n = m.len();
    if n == 0 {
        return Derived {
            weights: vec![],
            lambda_max: 0.0,
            consistency_index: 0.0,
            consistency_ratio: 0.0,
        };
    }
    // Power iteration: for a positive matrix it converges to the principal eigenvector
    // (Perron–Frobenius), in a few dozen steps for matrices this small.
    let mut w = vec![1.0 / n as f64; n];
    for _ in 0..1000 {
        let mut next: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| m[i][j] * w[j]).sum())
            .collect();
        let total: f64 = next.iter().sum();
        next.iter_mut().for_each(|x| *x /= total);
        let change = next
            .iter()
            .zip(&w)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        w = next;
        if change < 1e-12 {
            break;
        }
    }
    let lambda_max = (0..n)
        .map(|i| (0..n).map(|j| m[i][j] * w[j]).sum::<f64>() / w[i])
        .sum::<f64>()
        / n as f64;
    let consistency_index = if n > 2 {
        ((lambda_max - n as f64) / (n as f64 - 1.0)).max(0.0)
    } else {
        0.0
    };
    let random = RANDOM_INDEX.get(n - 1).copied().unwrap_or(1.59);
    Derived {
        weights: w,
        lambda_max,
        consistency_index,
        consistency_ratio: if random > 0.0 {
            consistency_index / random
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, within: f64) -> bool {
        (a - b).abs() <= within
    }

    /// Saaty's own example (1977, "A scaling method for priorities in hierarchical
    /// structures"): the relative brightness of four chairs placed at different distances from
    /// a light, judged by eye. He reports the weights 0.61, 0.24, 0.10, 0.05 and λmax = 4.39;
    /// the principal eigenvector to four places (checked with numpy's `linalg.eig`) is 0.6187,
    /// 0.2353, 0.1009, 0.0451, λmax 4.3907.
    #[test]
    fn saatys_light_example_gives_his_weights_and_eigenvalue() {
        let m = matrix(4, &[5.0, 6.0, 7.0, 4.0, 6.0, 4.0]);
        let d = derive(&m);
        for (w, (saaty, exact)) in d.weights.iter().zip([
            (0.61, 0.6187),
            (0.24, 0.2353),
            (0.10, 0.1009),
            (0.05, 0.0451),
        ]) {
            assert!(close(*w, saaty, 0.01), "{w} vs Saaty's {saaty}");
            assert!(close(*w, exact, 0.00005), "{w} vs {exact}");
        }
        assert!(close(d.lambda_max, 4.3907, 0.0001), "λmax {}", d.lambda_max);
        // CI = 0.39 / 3 = 0.13; RI(4) = 0.90: CR ≈ 0.145, over 0.1.
        assert!(close(d.consistency_index, 0.1302, 0.0001));
        assert!(close(d.consistency_ratio, 0.1447, 0.0001));
        assert!(!d.is_consistent());
    }

    #[test]
    fn consistent_judgements_give_their_ratios_back_with_ratio_zero() {
        // Weights 4 : 2 : 1 judged without contradiction.
        let d = derive(&matrix(3, &[2.0, 4.0, 2.0]));
        let expected = [4.0 / 7.0, 2.0 / 7.0, 1.0 / 7.0];
        for (w, e) in d.weights.iter().zip(expected) {
            assert!(close(*w, e, 1e-9), "{w} vs {e}");
        }
        assert!(close(d.lambda_max, 3.0, 1e-9));
        assert!(d.consistency_ratio < 1e-9);
        assert!(d.is_consistent());
    }

    #[test]
    fn contradicting_judgements_are_flagged() {
        // a ≫ b, b ≫ c, yet c ≫ a.
        let d = derive(&matrix(3, &[9.0, 1.0 / 9.0, 9.0]));
        assert!(d.consistency_ratio > 1.0);
        assert!(!d.is_consistent());
    }

    #[test]
    fn judgements_stay_on_saatys_scale() {
        assert!(judgement(9.0).is_ok());
        assert!(judgement(1.0 / 9.0).is_ok());
        assert!(judgement(10.0).is_err());
        assert!(judgement(0.0).is_err());
        assert!(judgement(f64::NAN).is_err());
        assert_eq!(pairs(5), 10);
    }
}
