import Foundation
import Sim
import Testing
import TestSupport

/// `sim --suite` knows the suites from the task files under scenes/ (help text and the unknown-suite error).
@Suite struct SuiteListTests {
    @Test func helpAndErrorListTheSuitesOfTheTaskData() throws {
        let suites = try TaskAssets.suiteNames(root: TestSupport.repoRoot.appendingPathComponent("scenes"))
        #expect(suites.contains("google-robot") && suites.contains("widowx"))
        let list = suites.joined(separator: ", ")
        let help = try TestSupport.cli(["sim", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  +", with: " ", options: .regularExpression)
            .contains("Suite to run: \(list)."), "\(help.stdout)")
        let bad = try TestSupport.cli(["sim", "--suite", "nosuch", "--out", try TestSupport.makeTempDir().path])
        #expect(bad.status == 2 && bad.stderr.contains("unknown suite 'nosuch' (known: \(list))"), "\(bad.stderr)")
    }
}
