// swift-tools-version:6.0
// vlaser-eval: closed-loop evaluation of VLA policies and embodied-reasoning VLMs.
// Layering (dependencies point one way): VLMath → Kinematics/Trajectory → Physics → Render → Sim
// → Policies → Evaluation → CLI. Reasoning and Scoreboard depend on no simulator code.
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
        .target(name: "Kinematics", dependencies: ["VLMath"], swiftSettings: v5),
        .target(name: "Trajectory", dependencies: ["VLMath"], swiftSettings: v5),
        .target(name: "Physics", dependencies: ["CODE", "VLMath"], swiftSettings: v5),
        .target(name: "ImageIO", dependencies: ["CPNG", "CJPEG"], swiftSettings: v5),
        .target(name: "Render", dependencies: ["VLMath", "ImageIO"], swiftSettings: v5),
        .target(name: "Sim", dependencies: ["VLMath", "Kinematics", "Trajectory", "Physics", "Render"],
                swiftSettings: v5),
        .target(name: "PolicyTransport", dependencies: [], swiftSettings: v5),
        .target(name: "Policies", dependencies: ["Sim", "PolicyTransport"], swiftSettings: v5),
        .target(name: "Evaluation", dependencies: ["Sim", "Policies", "Render", "Scoreboard"], swiftSettings: v5),
        .target(name: "Reasoning", dependencies: ["ImageIO"], swiftSettings: v5),
        .target(name: "Scoreboard", dependencies: [], swiftSettings: v5),
        .target(name: "Viewer", dependencies: ["CGLFW", "Evaluation"], swiftSettings: v5),
        .executableTarget(
            name: "vlaser-eval",
            dependencies: [
                "Evaluation", "Reasoning", "Scoreboard", "Viewer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: v5),
        // Benchmarks (run on demand, never part of `swift test`): benchmarks/perf.
        .executableTarget(
            name: "vlaser-perf",
            dependencies: ["Evaluation", "Kinematics", "Physics", "Policies", "PolicyTransport", "Render", "Sim", "Trajectory",
                           "VLMath"],
            path: "benchmarks/perf",
            swiftSettings: v5),

        // libFuzzer target for the msgpack/JSON decoders (docs/policy-servers.md § Fuzzing).
        .executableTarget(name: "msgpack-fuzz", dependencies: ["PolicyTransport"], path: "fuzz/msgpack", swiftSettings: v5),

        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: v5),
        .testTarget(name: "VLMathTests", dependencies: ["VLMath", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "KinematicsTests", dependencies: ["Kinematics", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "TrajectoryTests", dependencies: ["Trajectory", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "PhysicsTests", dependencies: ["Physics", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "RenderTests", dependencies: ["Render", "ImageIO", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "SimTests", dependencies: ["Sim", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "PolicyTransportTests", dependencies: ["PolicyTransport", "TestSupport"],
                    exclude: ["fixtures"], swiftSettings: v5),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Policies", "TestSupport"],
                    swiftSettings: v5),
        .testTarget(name: "ReasoningTests", dependencies: ["Reasoning", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "ScoreboardTests", dependencies: ["Scoreboard", "TestSupport"], swiftSettings: v5),
    ]
)
