// swift-tools-version: 6.1
// rag: a self-hosted "fine-tune + RAG" question-answering service.
// The target graph follows the layers of DESIGN.md: a module imports only modules below it.
import PackageDescription

/// Numeric code is compiled for AVX2/FMA/F16C (PLATFORM.md: about 2x on quantised dot products)
/// and optimised in debug builds too: unoptimised SIMD code is ~100x slower, which would make the
/// parity tests against real models take minutes.
let fastMath: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell"]),
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]

let package = Package(
    name: "rag",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rag", targets: ["rag"]),
        // The readers of hostile files, for the libFuzzer package in Fuzz/ (`make fuzz`), which depends on
        // this one by path so that fuzzing instruments nothing in the ordinary build.
        .library(name: "ModelFiles", targets: ["ModelFiles"]),
        .library(name: "Tokenizers", targets: ["Tokenizers"]),
        .library(name: "LanguageModel", targets: ["LanguageModel"]),
        .library(name: "AdapterLoader", targets: ["AdapterLoader"]),
        .library(name: "RAG", targets: ["RAG"]),
        .library(name: "TestSupport", targets: ["TestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // system
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        // glibc's malloc.h: the language model hands freed memory back after loading.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(name: "StrictJSON"),
        // FAISS's static C++ library behind a small C API (PLATFORM.md: its own C API is not compiled in).
        .target(
            name: "CFaiss",
            linkerSettings: [
                .linkedLibrary("faiss"), .linkedLibrary("gomp"), .linkedLibrary("openblas"),
                .linkedLibrary("lapack"), .linkedLibrary("stdc++"),
            ]
        ),

        // foundation
        .target(
            name: "Kernels",
            dependencies: ["CBLAS"],
            swiftSettings: fastMath,
            linkerSettings: [.linkedLibrary("m")]
        ),
        .target(name: "ModelFiles", dependencies: ["StrictJSON"]),
        .target(name: "Tokenizers", dependencies: ["StrictJSON"]),

        // models
        .target(
            name: "Embedder",
            dependencies: ["Kernels", "ModelFiles", "Tokenizers", "StrictJSON"],
            swiftSettings: fastMath
        ),

        .target(
            name: "LanguageModel",
            dependencies: ["CBLAS", "CMalloc", "Kernels", "ModelFiles", "Tokenizers"],
            swiftSettings: fastMath
        ),
        .target(
            name: "AdapterLoader",
            dependencies: ["Kernels", "LanguageModel", "ModelFiles", "StrictJSON"],
            swiftSettings: fastMath
        ),
        .target(
            name: "VectorIndex",
            dependencies: ["CFaiss", .product(name: "GRDB", package: "GRDB.swift")]
        ),

        // pipeline
        .target(
            name: "RAG",
            dependencies: [
                "AdapterLoader", "Embedder", "LanguageModel", "Tokenizers", "VectorIndex", "StrictJSON",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),

        // interfaces
        .target(
            name: "RAGServer",
            dependencies: [
                "AdapterLoader", "Embedder", "LanguageModel", "RAG", "StrictJSON", "Tokenizers", "VectorIndex",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "rag",
            dependencies: [
                "AdapterLoader", "Embedder", "Kernels", "LanguageModel", "ModelFiles", "RAG", "RAGServer",
                "VectorIndex", "Tokenizers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // tests
        // Shared paths to fixtures and models, and small sample model files built in code; only test targets
        // and the fuzz package depend on it.
        .target(name: "TestSupport", dependencies: ["ModelFiles"]),
        .testTarget(name: "StrictJSONTests", dependencies: ["StrictJSON"]),
        .testTarget(name: "CFaissTests", dependencies: ["CFaiss"]),
        .testTarget(name: "KernelsTests", dependencies: ["TestSupport", "Kernels"]),
        .testTarget(name: "ModelFilesTests", dependencies: ["TestSupport", "ModelFiles"]),
        .testTarget(name: "TokenizersTests", dependencies: ["TestSupport", "Tokenizers", "ModelFiles"]),
        .testTarget(name: "EmbedderTests", dependencies: ["TestSupport", "Embedder"]),
        .testTarget(name: "LanguageModelTests", dependencies: ["TestSupport", "LanguageModel", "Tokenizers"]),
        .testTarget(
            name: "AdapterLoaderTests",
            dependencies: ["TestSupport", "AdapterLoader", "LanguageModel", "ModelFiles", "Tokenizers"]),
        .testTarget(
            name: "VectorIndexTests", dependencies: ["VectorIndex", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "RAGTests",
            dependencies: [
                "TestSupport", "RAG", "AdapterLoader", "Embedder", "LanguageModel", "VectorIndex",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "RAGServerTests",
            dependencies: [
                "TestSupport", "RAGServer", "RAG", "LanguageModel", "Embedder", "VectorIndex",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "ragTests", dependencies: ["rag", "VectorIndex"]),
    ]
)
