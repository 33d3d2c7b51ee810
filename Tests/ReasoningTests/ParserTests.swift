import Foundation
import Testing
@testable import Reasoning

/// Answer extraction rules from reasoning-benchmarks.md §3 and §5, on constructed replies.
struct ParserTests {
    @Test func thinkBlocksAreStripped() {
        #expect(ChoiceParsers.stripThinking("<think>maybe B</think> A") == "A")
        #expect(ChoiceParsers.stripThinking("<think>a</think>x<think>b</think>y") == "xy")
        #expect(ChoiceParsers.stripThinking("<think>never closed B") == "")
        #expect(ChoiceParsers.stripThinking("reasoning C</think>D") == "D")
    }

    @Test func egoPlanUsesFirstCapitalLetterAfterPrefixes() {
        #expect(ChoiceParsers.egoPlan("The answer is B") == "B")
        #expect(ChoiceParsers.egoPlan("Answer: (C) pour tea") == "C")
        // Official pitfall: capitals inside words count ("Based" -> B).
        #expect(ChoiceParsers.egoPlan("Based on the video") == "B")
        // Over 10 words and no A-D anywhere -> no answer.
        #expect(ChoiceParsers.egoPlan("i think the person should go and then do something else right now ok") == nil)
        // "Best answer:" alone is not in the list (only the accidental "Best answer:Best option:"), so "Best" -> B.
        #expect(ChoiceParsers.egoPlan("Best answer: C") == "B")
    }

    @Test func vsiTakesTheFirstTokenWithoutTrailingDots() {
        #expect(ChoiceParsers.firstToken("  3.5 meters") == "3.5")
        #expect(ChoiceParsers.firstToken("B.") == "B")
        #expect(ChoiceParsers.firstToken("4...") == "4")
        #expect(ChoiceParsers.firstToken("   ") == nil)
        #expect(ChoiceParsers.vsiNumber("three") == nil)  // official VSI does not convert number words
        #expect(ChoiceParsers.vsiNumber("2") == 2)
    }

    @Test func mmsiSpansThenStandaloneLetter() {
        #expect(ChoiceParsers.mmsi("I pick ``C`` here") == "C")
        #expect(ChoiceParsers.mmsi("`B`") == "B")
        #expect(ChoiceParsers.mmsi("{D}") == "D")
        #expect(ChoiceParsers.mmsi("A cat is left, so B") == "B")   // "A cat": A followed by " c" is skipped
        #expect(ChoiceParsers.mmsi("The answer is A because") == "A")
        #expect(ChoiceParsers.mmsi("no idea") == nil)
    }

    @Test func erqaPriorityExtractor() {
        let abcd: [Character] = ["A", "B", "C", "D"]
        #expect(ChoiceParsers.priorityLetter("A", letters: abcd) == "A")
        #expect(ChoiceParsers.priorityLetter("(D)", letters: abcd) == "D")
        #expect(ChoiceParsers.priorityLetter("I think (B) but the answer is C.", letters: abcd) == "C")
        // Starts-with beats a later "(X)".
        #expect(ChoiceParsers.priorityLetter("B. because (C) is wrong", letters: abcd) == "B")
        #expect(ChoiceParsers.priorityLetter("...", letters: abcd) == nil)
        // Tie on priority ("X:" twice) goes to the later position.
        #expect(ChoiceParsers.priorityLetter("Options A: red; B: blue", letters: abcd) == "B")
        #expect(ChoiceParsers.optionLetters(in: "Q?\nA. x\nB. y\nC. z\nD. w\nE. v") == ["A", "B", "C", "D", "E"])
        #expect(ChoiceParsers.optionLetters(in: "Choices: A. x B. y") == ["A", "B", "C", "D"])
    }

    @Test func vlaserPointsOnlyFirstBlockIntegerPairs() {
        #expect(PointParsers.vlaser("<point>[[701, 374]]</point>").points == [[701, 374]])
        #expect(PointParsers.vlaser("x <point>[[1, 2], [3, 4]]</point> <point>[[5, 6]]</point>").points == [[1, 2], [3, 4]])
        #expect(PointParsers.vlaser("<point>[[1.5, 2]]</point>").points.isEmpty)   // decimals rejected
        #expect(PointParsers.vlaser("[[100, 200]]").points.isEmpty)                // no tag -> no points
        #expect(PointParsers.vlaser("<point>\n[ [10,20] ,\n[30, 40] ]</point>").points == [[10, 20], [30, 40]])
        let px = PointParsers.toPixels(PointParsers.vlaser("<point>[[999, 500]]</point>"), width: 640, height: 480)
        #expect(px.elements == [.point(x: 639, y: 240)])
    }

    @Test func looseBracketsAcceptDecimalsNotBoxes() {
        #expect(PointParsers.looseBrackets("[[300.5, 20], [1,2]]").points == [[300.5, 20], [1, 2]])
        #expect(PointParsers.looseBrackets("[10, 20, 30, 40]").points.isEmpty)
        #expect(PointParsers.looseBrackets("[-5, 3]").points.isEmpty)
    }

    /// Where2Place / RefSpatial tuple rule: a "." in either number means normalised, integers are pixels.
    @Test func robopointFloatVersusIntegerRule() {
        let w = 640, h = 480
        #expect(PointParsers.robopointTuples("[(0.5, 0.25)]", width: w, height: h).points == [[320, 120]])
        #expect(PointParsers.robopointTuples("[(320, 120)]", width: w, height: h).points == [[320, 120]])
        // Mixed: one float makes the pair normalised -> (1*640, 0.5*480).
        #expect(PointParsers.robopointTuples("(1, 0.5)", width: w, height: h).points == [[640, 240]])
        // 4-tuple box -> every pixel y0<=y<y1, x0<=x<x1.
        #expect(PointParsers.robopointTuples("(10, 20, 12, 21)", width: w, height: h).points == [[10, 20], [11, 20]])
        #expect(PointParsers.robopointTuples("(1, 2, 3)", width: w, height: h).points.isEmpty)
        // Boxes expand to at most 2^20 points per reply (found by fuzz/answers: 16 M points per 4096² box).
        let boxes = String(repeating: "(0, 0, 4000, 4000) ", count: 3) + "(0, 0, 2, 1)"
        #expect(PointParsers.robopointTuples(boxes, width: w, height: h).points == [[0, 0], [1, 0]])
    }

    @Test func jsonPixelPoints() {
        #expect(PointParsers.jsonPixelPoints(#"[{"point": [12, 34]}, {"point":[5.5,6]}]"#).points == [[12, 34], [5.5, 6]])
        #expect(PointParsers.jsonPixelPoints("(12, 34)").points.isEmpty)
    }

    @Test func vlaBenchFenceParsing() {
        let ok = "Plan:\n```json\n[{\"name\": \"pick\", \"params\": {\"target_entity_name\": 3}}]\n``` done"
        #expect(VLABenchScore.parse(ok) == [VLABenchScore.Skill(name: "pick", entity: "3", container: nil)])
        #expect(VLABenchScore.parse("```json\n[{\"name\": \"pick\",]\n```") == nil)   // malformed JSON
        #expect(VLABenchScore.parse("[{\"name\": \"pick\"}]") == nil)                 // no fence
        #expect(VLABenchScore.parse("```json\n[]") == nil)                            // unterminated fence
    }

    /// Random and adversarial strings through every parser: no trap, no hang (each call is bounded by input size).
    @Test func fuzzEveryParser() throws {
        var rng = ChanceModel.Generator(state: 7)
        let alphabet = Array("AB CD<>[](){},.:`\"-+0123456789.point/thinkjson\n ```e")
        let sample = Sample(id: "f", fields: ["question": "A. x\nB. y"], images: [], group: "", truth: .letter("A"),
                            size: (64, 48))
        for n in 0..<3000 {
            let len = Int(rng.next() % 120)
            var s = String((0..<len).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            if n % 50 == 0 { s += "(1e308, 1e308) [99999999999999999999, 1] <point>[[99999999999999999999, 5]]</point> (0, 0, 9e9, 9e9)" }
            _ = ChoiceParsers.egoPlan(s); _ = ChoiceParsers.mmsi(s); _ = ChoiceParsers.firstToken(s)
            _ = ChoiceParsers.priorityLetter(s, letters: ["A", "B", "C", "D"]); _ = ChoiceParsers.stripThinking(s)
            _ = VLABenchScore.parse(s)
            for parser in ["vlaser_points", "loose_brackets", "robopoint_tuples", "json_pixel_points"] {
                let p = try Scoring.parsePoints(s, parser: parser, width: 64, height: 48)
                _ = PointParsers.toPixels(p, width: 64, height: 48)
            }
            _ = try Scoring.score(s, sample: sample, parser: "mcq_priority", metric: "accuracy")
        }
    }
}
