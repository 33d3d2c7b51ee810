import Foundation
import ResultsSchema
import Scoreboard
import Testing

/// Robustness-only variants (simplerenv-tasks.md §4.2: the camera-pose variants) are listed per task, marked, and
/// left out of the variant-aggregation rate; the manifest carries which ones they are.
@Suite struct RobustnessVariantTests {
    static let task = "google_pick_coke_can_horizontal"

    /// `n` episodes of `variant`, the first `k` successful.
    static func records(_ variant: String, n: Int, k: Int) -> [EpisodeRecord] {
        (0..<n).map { i in
            let id = "google-robot/\(task)/\(variant)/\(i)/0"
            return EpisodeRecord(episodeId: id, task: task, variant: variant, status: "ok", success: i < k, grasped: false,
                                 line: Data("{\"episode_id\":\"\(id)\"}".utf8))
        }
    }

    static func manifest(_ episodes: [EpisodeRecord], robustness: [String]?) -> SimManifest {
        let ids = episodes.map(\.episodeId)
        return SimManifest(suite: "google-robot", protocol: RunSummary.variantAggregationProtocol, policy: "p", seed: 0,
                           execute: nil, tasks: [task], shard: .whole, configHash: "abc", episodeIds: ids, allEpisodeIds: ids,
                           variantSelection: robustness.map { $0 + ["a", "b"] }, robustnessVariants: robustness)
    }

    @Test func excludedVariantIsListedButNotAveraged() throws {
        let episodes = Self.records("a", n: 4, k: 4) + Self.records("b", n: 4, k: 2) + Self.records("alt_google_camera", n: 4, k: 0)
        let summary = RunSummary.compute(episodes: episodes, manifest: Self.manifest(episodes, robustness: ["alt_google_camera"]))
        let t = try #require(summary.tasks.first)
        #expect(t.successRate == 0.75)
        #expect(t.variants.map(\.variant) == ["a", "b", "alt_google_camera"])
        #expect(t.variants.map(\.inAverage) == [nil, nil, false])
        #expect(t.variants.map(\.successRate) == [1.0, 0.5, 0.0])
        #expect(t.n == 12 && t.successes == 6)  // counts cover every evaluated episode
        let json = String(decoding: try summary.jsonData(), as: UTF8.self)
        #expect(json.components(separatedBy: "\"in_average\":false").count == 2)
        #expect(!json.contains("\"in_average\":true"))
        // The same episodes with nothing marked: the plain mean of the three variants.
        let plain = RunSummary.compute(episodes: episodes, manifest: Self.manifest(episodes, robustness: nil))
        #expect(plain.tasks[0].successRate == 0.5)
    }

    @Test func onlyExcludedVariantsLeaveTheRateEmpty() {
        let episodes = Self.records("alt_google_camera", n: 3, k: 3)
        let summary = RunSummary.compute(episodes: episodes, manifest: Self.manifest(episodes, robustness: ["alt_google_camera"]))
        #expect(summary.tasks[0].successRate == nil)
        #expect(summary.tasks[0].variants[0].successRate == 1.0)
        #expect(summary.averageSuccessRate == nil)
    }

    /// The new manifest fields round-trip, and a manifest written before they existed still reads (as nil).
    @Test func manifestFieldsRoundTripAndOldManifestsRead() throws {
        let episodes = Self.records("a", n: 1, k: 1)
        let m = Self.manifest(episodes, robustness: ["alt_google_camera"])
        let data = try m.jsonData()
        #expect(try JSONDecoder().decode(SimManifest.self, from: data) == m)
        #expect(String(decoding: data, as: UTF8.self).contains("\"robustness_variants\":[\"alt_google_camera\"]"))
        let old = Self.manifest(episodes, robustness: nil)
        let oldText = String(decoding: try old.jsonData(), as: UTF8.self)
        #expect(!oldText.contains("variant_selection") && !oldText.contains("robustness_variants"))
        let decoded = try JSONDecoder().decode(SimManifest.self, from: Data(oldText.utf8))
        #expect(decoded.variantSelection == nil && decoded.robustnessVariants == nil)
    }
}
