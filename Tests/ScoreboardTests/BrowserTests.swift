import Foundation
import XCTest
@testable import Scoreboard
import TestSupport

/// The HTML page in headless Chromium (installed by scripts/install-deps.sh): no console errors, the sorting script
/// ran, and a screenshot renders.
final class BrowserTests: XCTestCase {
    var root: URL!
    override func setUpWithError() throws { root = try TestSupport.makeTempDir("scoreboard-browser") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func findChromium() throws -> String {
        let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        return try XCTUnwrap(found, "chromium not installed: run scripts/install-deps.sh")
    }

    /// Runs headless Chromium on `page` with `mode` (--dump-dom or --screenshot=…); returns DOM and console lines.
    func load(_ page: URL, _ mode: String) throws -> (dom: String, console: [String]) {
        let r = try TestSupport.run(findChromium(), ["--headless", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr",
                                                     "--v=0", "--user-data-dir=\(root.appendingPathComponent("profile").path)",
                                                     "--window-size=1400,2000", mode, page.absoluteString])
        // Console messages are logged as "…:INFO:CONSOLE:<line>] …" (older builds: "CONSOLE(<line>)").
        return (r.stdout, r.stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") })
    }

    func testConsoleErrorsAreDetected() throws {
        let bad = root.appendingPathComponent("bad.html")
        try Data("<!DOCTYPE html><html><body><script>notDefined();</script></body></html>".utf8).write(to: bad)
        let (_, console) = try load(bad, "--dump-dom")
        XCTAssertTrue(console.contains { $0.contains("notDefined") }, "the check must see a real error: \(console)")
    }

    func testScoreboardPageHasNoConsoleErrors() throws {
        let runs = root.appendingPathComponent("runs")
        try RunFixtures.writeSimRun(at: runs.appendingPathComponent("wx"), suite: "widowx", policy: "ws://p",
                                    episodes: RunFixtures.episodes("widowx_carrot_on_plate", count: 24, successes: 13))
        try RunFixtures.writeReasonRun(at: runs.appendingPathComponent("q"), model: "ws://p", scores: ["erqa": 30])
        let (loaded, _) = Scoreboard.loadRuns(under: [runs])
        let out = root.appendingPathComponent("out")
        try Scoreboard.write(Scoreboard.build(reference: try RunFixtures.referenceSet, runs: loaded), to: out)
        let page = out.appendingPathComponent("index.html")

        let (dom, console) = try load(page, "--dump-dom")
        XCTAssertEqual(console, [], "console messages")
        let ready = try XCTUnwrap(dom.range(of: "data-ready=\"[0-9]+\"", options: .regularExpression).map { dom[$0] })
        XCTAssertNotEqual(ready, "data-ready=\"0\"", "the sort script found the tables")
        XCTAssertTrue(dom.contains("<svg"))

        // Sorting in the real browser: click Table 2's Avg header once (ascending) and again (descending);
        // the run row, whose average is missing, stays last both times.
        let probe = """
        <script>
        var t = document.querySelector("#table2_widowx table"), th = t.querySelector("thead th:last-child");
        function order() { return Array.prototype.map.call(t.tBodies[0].rows, function (r) { return r.cells[0].getAttribute("data-v"); }); }
        th.click(); var asc = order(); th.click(); var desc = order();
        document.body.setAttribute("data-asc", asc[0] + "|" + asc[asc.length - 1]);
        document.body.setAttribute("data-desc", desc[0] + "|" + desc[desc.length - 1]);
        </script></body>
        """
        let sortPage = out.appendingPathComponent("sort.html")
        try Data(String(contentsOf: page, encoding: .utf8).replacingOccurrences(of: "</body>", with: probe).utf8).write(to: sortPage)
        let (sorted, console3) = try load(sortPage, "--dump-dom")
        XCTAssertEqual(console3, [])
        XCTAssertTrue(sorted.contains("data-asc=\"OpenVLA (7B)|ws://p\""), "ascending by Avg")
        XCTAssertTrue(sorted.contains("data-desc=\"Vlaser-All (2B)|ws://p\""), "descending by Avg")

        let shot = root.appendingPathComponent("shot.png")
        let (_, console2) = try load(page, "--screenshot=\(shot.path)")
        XCTAssertEqual(console2, [])
        let png = try Data(contentsOf: shot)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertGreaterThan(png.count, 20_000, "a blank page compresses far smaller")
    }
}
