// SimplerEnv's sim-vs-real agreement metrics (simplerenv-tasks.md §5.1).
import Foundation
import ResultsSchema

public enum SimToReal {
    /// Mean Maximum Rank Violation (simplerenv-tasks.md §5.1):
    /// RV(i,j) = |R_i − R_j| · 𝟙[(S_i > S_j) ≠ (R_i > R_j)], MMRV = (1/N) Σ_i max_j RV(i,j).
    /// Ties count as a violation whenever exactly one of the two comparisons is strict; the violation's size uses
    /// the real values. Arguments are (sim, real) in that order, as in SimplerEnv's function signature.
    public static func mmrv(sim: [Double], real: [Double]) -> Double {
        precondition(sim.count == real.count && !sim.isEmpty, "mmrv: need equal, non-empty samples")
        var total = 0.0
        for i in sim.indices {
            var worst = 0.0
            for j in sim.indices where (sim[i] > sim[j]) != (real[i] > real[j]) {
                worst = max(worst, abs(real[i] - real[j]))
            }
            total += worst
        }
        return total / Double(sim.count)
    }

    /// SimplerEnv's Pearson r (simplerenv-tasks.md §5.1): Σ(Ŝ R̂) / (sqrt(Σ Ŝ² · Σ R̂²) + 1e-8) on mean-centred
    /// values, and exactly 1 when the centred vectors are identical (which also covers two constant samples).
    public static func pearson(sim: [Double], real: [Double]) -> Double {
        precondition(sim.count == real.count && !sim.isEmpty, "pearson: need equal, non-empty samples")
        let ms = Statistics.mean(sim)!, mr = Statistics.mean(real)!
        if zip(sim, real).allSatisfy({ $0 - ms == $1 - mr }) { return 1 }
        let s = Statistics.centredSums(sim, real)
        return s.xy / ((s.xx * s.yy).squareRoot() + pearsonEpsilon)
    }

    /// The guard SimplerEnv adds to the denominator (simplerenv-tasks.md §5.1).
    public static let pearsonEpsilon = 1e-8
}
