import Foundation

public extension Double {
    /// Clamps into `[lo, hi]`.
    func clamped(_ lo: Double, _ hi: Double) -> Double { Swift.min(Swift.max(self, lo), hi) }
}
