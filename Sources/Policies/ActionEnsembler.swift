import Foundation

/// Temporal ensembling of overlapping action chunks (`ensemble` in a preset): the policy is asked every control step,
/// and the action executed at step t is a weighted average of what the last requests predicted for t. Weights follow
/// the policies' SimplerEnv adapters: `exponential` — exp(−temperature·i) with i = 0 for the oldest prediction
/// (SimplerEnv `utils/action/action_ensemble.py`; Octo temperature 0 = plain average, SpatialVLA −0.8 favours the
/// newest); `adaptive` — exp(alpha·cos(prediction, newest prediction)) (CogACT `sim_cogact/adaptive_ensemble.py`).
final class ActionEnsembler {
    static let weightings = ["exponential", "adaptive"]

    let settings: RemotePolicyConfiguration.Ensemble
    /// Chunks predicted this episode that may still cover a future step, oldest first.
    private var predictions: [(start: Int, rows: [[Double]])] = []

    init(_ settings: RemotePolicyConfiguration.Ensemble) { self.settings = settings }

    func reset() { predictions = [] }

    /// Adds the chunk predicted at `step` and returns the ensembled action for `step`.
    func action(predicted rows: [[Double]], at step: Int) throws -> [Double] {
        predictions.append((step, rows))
        predictions.removeAll { $0.start + $0.rows.count <= step }
        if let w = settings.window, predictions.count > w { predictions.removeFirst(predictions.count - w) }
        let current = predictions.map { $0.rows[step - $0.start] }
        guard let width = current.first?.count, current.allSatisfy({ $0.count == width }) else {
            throw RemotePolicyError.reply("ensembled chunks differ in action width")
        }
        let weights = self.weights(current)
        let total = weights.reduce(0, +)
        return (0..<width).map { i in zip(weights, current).reduce(0) { $0 + $1.0 * $1.1[i] } / total }
    }

    private func weights(_ current: [[Double]]) -> [Double] {
        switch settings.weights {
        case "adaptive":
            let newest = current.last!
            func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
            // CogACT adds 1e-7 to the norm product so an all-zero action does not divide by zero.
            return current.map { p in
                let cos = zip(p, newest).reduce(0) { $0 + $1.0 * $1.1 } / (norm(p) * norm(newest) + 1e-7)
                return exp((settings.alpha ?? 0) * cos)
            }
        default:
            return current.indices.map { exp(-(settings.temperature ?? 0) * Double($0)) }
        }
    }
}
