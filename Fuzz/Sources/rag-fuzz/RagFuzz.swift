import CLibFuzzer
import Foundation

/// `rag-fuzz`: libFuzzer targets for the readers of hostile files.
///
///     rag-fuzz list                       the targets
///     rag-fuzz seeds DIR                  writes each target's seed corpus to DIR/TARGET/
///     rag-fuzz TARGET [libFuzzer flags] [CORPUS_DIR | FILE]...
///
/// Built with `-sanitize=fuzzer` (`make fuzz`), the last form runs libFuzzer on TARGET; built plainly, it
/// feeds each FILE (or each file of each DIR) to TARGET once and prints how it went, to reproduce a crash.
/// The target travels in `RAG_FUZZ_TARGET` too, because libFuzzer re-executes this binary with its own flags
/// alone when it forks, merges or minimises.
@main
enum RagFuzz {
    static func main() throws {
        var arguments = CommandLine.arguments
        let program = arguments.removeFirst()
        switch arguments.first {
        case "list":
            for target in allFuzzTargets() {
                print(target.name.padding(toLength: 16, withPad: " ", startingAt: 0) + target.summary)
            }
            return
        case "seeds":
            guard arguments.count == 2 else { usage() }
            try writeSeeds(to: URL(fileURLWithPath: arguments[1]))
            return
        default:
            break
        }
        let name: String
        if let first = arguments.first, allFuzzTargets().contains(where: { $0.name == first }) {
            name = arguments.removeFirst()
            setenv("RAG_FUZZ_TARGET", name, 1)
        } else if let inherited = ProcessInfo.processInfo.environment["RAG_FUZZ_TARGET"] {
            name = inherited
        } else {
            usage()
        }
        guard let type = allFuzzTargets().first(where: { $0.name == name }) else { usage() }
        activeTarget = try type.init()

        if try runLibFuzzer(program: program, arguments: arguments) { return }
        try replay(arguments)
    }

    /// Hands over to libFuzzer when it is linked in; false when this is a plain build.
    static func runLibFuzzer(program: String, arguments: [String]) throws -> Bool {
        let strings = ([program] + arguments).map { strdup($0) }
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { argv![index] = string }
        argv![strings.count] = nil
        var argc = Int32(strings.count)
        let status = rag_fuzz_run_driver(&argc, &argv) { data, size in
            fuzzOneInput(data, size)
        }
        if status == -1 { return false }
        exit(status)
    }

    /// Feeds each file once, without libFuzzer.
    static func replay(_ paths: [String]) throws {
        var files: [URL] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ReplayError(message: "\(path): no such file or folder")
            }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                files += names.map { URL(fileURLWithPath: path).appendingPathComponent($0) }
            } else {
                files.append(URL(fileURLWithPath: path))
            }
        }
        for file in files {
            let bytes = try Data(contentsOf: file)
            _ = bytes.withUnsafeBytes { raw in
                fuzzOneInput(raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count)
            }
            print("\(file.path): ok")
        }
        print("\(files.count) inputs, no crash")
    }

    static func writeSeeds(to folder: URL) throws {
        for target in allFuzzTargets() {
            let directory = folder.appendingPathComponent(target.name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for seed in try target.seeds() {
                try Data(seed.bytes).write(to: directory.appendingPathComponent(seed.name))
            }
        }
    }

    static func usage() -> Never {
        let names = allFuzzTargets().map { $0.name }.joined(separator: "|")
        FileHandle.standardError.write(
            Data("usage: rag-fuzz list | seeds DIR | (\(names)) [libFuzzer flags] [DIR|FILE]...\n".utf8))
        exit(2)
    }
}

struct ReplayError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// The target `fuzzOneInput` feeds; set once in `main` before any input arrives, on the only thread.
nonisolated(unsafe) var activeTarget: (any FuzzTarget)?

/// libFuzzer's entry point, also called for each file when replaying.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let target = activeTarget else { fuzzFailure("no target chosen") }
    target.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
