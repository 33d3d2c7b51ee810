import Foundation
import XCTest
@testable import Scoreboard
import TestSupport

/// Names from run files are literal text in scoreboard.md: rendered by markdown-it-py (CommonMark with GitHub's
/// tables, the oracle), a hostile policy or model name yields no tag, link or emphasis — just its characters.
final class MarkdownEscapeTests: XCTestCase {
    static let hostile = #"<script>alert(1)</script> *x* _y_ `z` [l](javascript:e) | <img src=q>"#

    func testHostileNamesRenderAsText() throws {
        let root = try TestSupport.makeTempDir("scoreboard-escape")
        try RunFixtures.writeSimRun(at: root.appendingPathComponent("wx"), suite: "widowx", policy: Self.hostile,
                                    episodes: RunFixtures.episodes("widowx_carrot_on_plate", count: 24, successes: 13))
        try RunFixtures.writeReasonRun(at: root.appendingPathComponent("r"), model: Self.hostile, scores: ["erqa": 30])
        let (runs, _) = Scoreboard.loadRuns(under: [root])
        let md = MarkdownRenderer.render(Scoreboard.build(reference: try RunFixtures.referenceSet, runs: runs))
        let html = try TestSupport.python("""
            import sys
            from markdown_it import MarkdownIt
            sys.stdout.write(MarkdownIt("commonmark").enable("table").render(sys.stdin.read()))
            """, stdin: Data(md.utf8))
        for tag in ["<script", "<img", "<a ", "<em>x", "<em>y", "<code>z"] {
            XCTAssertFalse(html.contains(tag), "\(tag) rendered from a run name")
        }
        // The name survives as text, in one table cell (the | did not split the row).
        let text = "&lt;script&gt;alert(1)&lt;/script&gt; *x* _y_ `z` [l](javascript:e) | &lt;img src=q&gt;"
        XCTAssertTrue(html.contains("<strong>" + text + "</strong>"), html)
        XCTAssertFalse(md.contains("<script"))
    }
}
