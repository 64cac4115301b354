// swift-tools-version: 6.1
// libFuzzer targets for the readers of files rag takes from outside: GGUF models, safetensors, PEFT
// adapters, tokenizers, HTML and Markdown (issue 8).
//
// A package of its own, depending on rag by path, so that the ordinary `swift build` of rag builds and
// instruments nothing of it. `make fuzz` builds it with `-sanitize=fuzzer,address` into .build-fuzz/;
// built plainly (`swift build --package-path Fuzz`), `rag-fuzz TARGET FILE...` replays inputs without
// libFuzzer, which is how a crash found elsewhere is reproduced under a debugger.
import PackageDescription

let package = Package(
    name: "rag-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "rag", path: "..")
    ],
    targets: [
        // libFuzzer's driver behind a function that exists in plain builds too (it then returns -1).
        .target(name: "CLibFuzzer"),
        .executableTarget(
            name: "rag-fuzz",
            dependencies: [
                "CLibFuzzer",
                .product(name: "ModelFiles", package: "rag"),
                .product(name: "Tokenizers", package: "rag"),
                .product(name: "LanguageModel", package: "rag"),
                .product(name: "AdapterLoader", package: "rag"),
                .product(name: "RAG", package: "rag"),
                .product(name: "TestSupport", package: "rag"),
            ]
        ),
    ]
)
