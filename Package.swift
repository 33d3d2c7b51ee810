// swift-tools-version:6.0
// vlaser-eval: closed-loop evaluation of VLA policies and embodied-reasoning VLMs.
// Layering (dependencies point one way; every edge a module uses is listed):
//   VLMath, Registry, Trajectory, ImageIO (leaves) → Kinematics, Physics, Render → Sim → Policies, Engine
//   → Evaluation → vlaser-eval;  Viewer = Engine + GLFW.  Reasoning and Scoreboard depend on no simulator code.
import PackageDescription

let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

func system(_ name: String, _ pkg: String, _ apt: [String]) -> Target {
    .systemLibrary(name: name, pkgConfig: pkg, providers: [.apt(apt)])
}

let package = Package(
    name: "vlaser-eval",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vlaser-eval", targets: ["vlaser-eval"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries, each wrapped once by the Swift module right above it.
        system("CODE", "ode", ["libode-dev"]),
        system("CPNG", "libpng", ["libpng-dev"]),
        system("CJPEG", "libjpeg", ["libjpeg62-turbo-dev"]),
        system("COpenBLAS", "openblas", ["libopenblas-dev"]),
        system("CGLFW", "glfw3", ["libglfw3-dev"]),

        .target(name: "VLMath", dependencies: ["COpenBLAS"], swiftSettings: v5),
        .target(name: "Registry", swiftSettings: v5),
        .target(name: "Kinematics", dependencies: ["VLMath"], swiftSettings: v5),
        .target(name: "Trajectory", swiftSettings: v5),
        .target(name: "Physics", dependencies: ["CODE", "VLMath"], swiftSettings: v5),
        .target(name: "ImageIO", dependencies: ["CPNG", "CJPEG"], swiftSettings: v5),
        .target(name: "Render", dependencies: ["VLMath", "ImageIO"], swiftSettings: v5),
        // Sim: Model/ (static, validated task data) · Runtime/ (episode state) · Controllers/ · Predicates/ · Visuals/.
        .target(name: "Sim", dependencies: ["VLMath", "Registry", "Kinematics", "Trajectory", "Physics", "ImageIO", "Render"],
                swiftSettings: v5),
        .target(name: "PolicyTransport", dependencies: [], swiftSettings: v5),
        .target(name: "Policies", dependencies: ["VLMath", "Registry", "Sim", "PolicyTransport"], swiftSettings: v5),
        // The one episode loop (sim, view, benchmarks), observers, protocols and the renderer cache.
        .target(name: "Engine", dependencies: ["VLMath", "Registry", "ImageIO", "Render", "Sim"], swiftSettings: v5),
        .target(name: "Evaluation", dependencies: ["VLMath", "ImageIO", "Physics", "Render", "Sim", "Policies", "Engine", "ResultsSchema", "Scoreboard"],
                swiftSettings: v5),
        // The results files (manifest, episode record, summary, shard, reasoning results): one schema for writers
        // (Evaluation, Reasoning) and the reader/reporter (Scoreboard).
        .target(name: "ResultsSchema", swiftSettings: v5),
        .target(name: "Reasoning", dependencies: ["ImageIO", "ResultsSchema"], swiftSettings: v5),
        .target(name: "Scoreboard", dependencies: ["ResultsSchema"], swiftSettings: v5),
        .target(name: "Viewer", dependencies: ["CGLFW", "VLMath", "ImageIO", "Render", "Sim", "Engine"], swiftSettings: v5),
        .executableTarget(
            name: "vlaser-eval",
            dependencies: [
                "Sim", "Render", "Policies", "Engine", "Evaluation", "Reasoning", "ResultsSchema", "Scoreboard", "Viewer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: v5),
        // Benchmarks (run on demand, never part of `swift test`): benchmarks/perf.
        .executableTarget(
            name: "vlaser-perf",
            dependencies: ["VLMath", "ImageIO", "Kinematics", "Trajectory", "Render", "Sim", "Policies", "PolicyTransport",
                           "Engine", "Evaluation", "ResultsSchema"],
            path: "benchmarks/perf",
            swiftSettings: v5),

        // libFuzzer target for the msgpack/JSON decoders (docs/policy-servers.md § Fuzzing).
        .executableTarget(name: "msgpack-fuzz", dependencies: ["PolicyTransport"], path: "fuzz/msgpack", swiftSettings: v5),

        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: v5),
        .testTarget(name: "VLMathTests", dependencies: ["VLMath", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "RegistryTests", dependencies: ["Registry"], swiftSettings: v5),
        .testTarget(name: "KinematicsTests", dependencies: ["VLMath", "Kinematics", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "TrajectoryTests", dependencies: ["Trajectory", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "PhysicsTests", dependencies: ["VLMath", "Physics", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "RenderTests", dependencies: ["VLMath", "Render", "ImageIO", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "SimTests", dependencies: ["VLMath", "ImageIO", "Physics", "Render", "Trajectory", "Registry", "Sim",
                                                     "TestSupport"], swiftSettings: v5),
        .testTarget(name: "PolicyTransportTests", dependencies: ["PolicyTransport", "TestSupport"],
                    exclude: ["fixtures"], swiftSettings: v5),
        .testTarget(name: "EvaluationTests", dependencies: ["VLMath", "ImageIO", "Kinematics", "Render", "Sim", "PolicyTransport", "Policies",
                                                            "Engine", "Evaluation", "ResultsSchema", "TestSupport"],
                    swiftSettings: v5),
        .testTarget(name: "ReasoningTests", dependencies: ["ImageIO", "ResultsSchema", "Reasoning", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "ScoreboardTests", dependencies: ["ResultsSchema", "Scoreboard", "TestSupport"], swiftSettings: v5),
    ]
)
