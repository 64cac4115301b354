import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A headless Chromium driven over the DevTools protocol on a pipe, for tests of the web page.
///
/// `--remote-debugging-pipe` makes Chromium read protocol commands from file descriptor 3 and write
/// replies and events to descriptor 4, each message a JSON object ended by a NUL byte: no port, no
/// WebSocket client, and the browser goes away with its pipe. Both descriptors are one end of a
/// socket pair, so writing after the browser died is an error (`MSG_NOSIGNAL`), not a SIGPIPE that
/// would end the test process.
///
/// The simpler `--dump-dom --virtual-time-budget` runs were tried first and hung in about half of
/// the runs on a loaded machine (Chromium 156); the protocol lets the test wait for what it needs.
///
/// A reader thread parses the replies and resumes the awaiting `send`, so no cooperative thread is
/// ever blocked on the browser: the server under test runs in the same process.
final class HeadlessChromium: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The browser to start: `$RAG_CHROMIUM`, else the first of Debian's and others' names on PATH.
    static func executable() throws -> String {
        if let path = ProcessInfo.processInfo.environment["RAG_CHROMIUM"], !path.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw Failure(description: "RAG_CHROMIUM names \(path), which is not an executable file")
            }
            return path
        }
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        throw Failure(
            description:
                "Chromium is not installed, so the web page cannot be tested in a browser: run `make setup` "
                + "(it installs Debian's `chromium` package), or set RAG_CHROMIUM to a Chromium binary")
    }

    private let pid: pid_t
    /// Our end of the socket pair; Chromium holds the other as descriptors 3 and 4.
    private let socket: Int32
    private let profile: URL
    let logURL: URL
    private let state = Mutex(State())
    private let exited = Atomic<Bool>(false)

    private struct State {
        var nextID = 0
        /// The raw reply each command waits for, by id.
        var pending: [Int: CheckedContinuation<Data, any Error>] = [:]
        /// Set once the pipe closed: later commands fail with it at once.
        var closed: String?
    }

    /// Starts the browser with an empty profile in a temporary folder.
    init(width: Int = 1280, height: Int = 900) throws {
        let executable = try Self.executable()
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("rag-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        logURL = profile.appendingPathComponent("chromium.log")

        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw Failure(description: "socketpair failed: \(String(cString: strerror(errno)))")
        }
        // Above 4, so that mapping the child's end onto 3 and 4 never meets a descriptor already there.
        let ours = fcntl(pair[0], F_DUPFD_CLOEXEC, 10)
        let theirs = fcntl(pair[1], F_DUPFD_CLOEXEC, 10)
        Glibc.close(pair[0])
        Glibc.close(pair[1])
        defer { Glibc.close(theirs) }

        let arguments = [
            executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
            "--user-data-dir=\(profile.path)", "--window-size=\(width),\(height)", "--hide-scrollbars",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--password-store=basic",
            "--mute-audio", "about:blank",
        ]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, theirs, 3)
        posix_spawn_file_actions_adddup2(&actions, theirs, 4)
        // Nothing else of the test process (its sockets, other tests' pipes) leaks into the browser.
        for descriptor in Self.inheritedDescriptors() where descriptor > 4 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, argv, environ)
        guard status == 0 else {
            Glibc.close(ours)
            throw Failure(description: "could not start \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
        socket = ours
        let reader = Thread { [self] in readReplies() }
        reader.name = "chromium-devtools-reader"
        reader.start()
    }

    /// The open descriptors a child would inherit (those without close-on-exec). glibc's
    /// `posix_spawn_file_actions_addclosefrom_np` would do this in one action, but Swift's Glibc
    /// module does not export it.
    private static func inheritedDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap(Int32.init).filter { descriptor in
            let flags = fcntl(descriptor, F_GETFD)
            return flags >= 0 && flags & FD_CLOEXEC == 0
        }
    }

    deinit {
        Glibc.close(socket)
        try? FileManager.default.removeItem(at: profile)
    }

    // MARK: - Protocol

    /// Sends one command (to the page's session when `session` is given) and returns its `result`.
    @discardableResult
    func send(_ method: String, _ parameters: [String: Any] = [:], session: String? = nil) async throws
        -> [String: Any]
    {
        var message: [String: Any] = ["method": method, "params": parameters]
        if let session { message["sessionId"] = session }
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        message["id"] = id
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        let reply = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data, any Error>) in
            let closed: String? = state.withLock { state in
                if state.closed == nil { state.pending[id] = continuation }
                return state.closed
            }
            if let closed { return continuation.resume(throwing: Failure(description: closed)) }
            do {
                try write(bytes)
            } catch {
                state.withLock { $0.pending.removeValue(forKey: id) }?.resume(throwing: error)
            }
        }
        guard let object = (try? JSONSerialization.jsonObject(with: reply)) as? [String: Any] else {
            throw Failure(description: "Chromium's reply to \(method) is not a JSON object")
        }
        if let error = object["error"] {
            throw Failure(description: "Chromium refused \(method): \(error)")
        }
        return object["result"] as? [String: Any] ?? [:]
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "writing to Chromium failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// On the reader thread: splits the stream at NUL bytes and resumes the command each reply answers.
    private func readReplies() {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            buffer.append(contentsOf: chunk[0..<count])
            while let end = buffer.firstIndex(of: 0) {
                let message = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                deliver(message)
            }
        }
        let log = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        let reason = "Chromium closed the DevTools pipe; the end of its log:\n" + log.suffix(2000)
        let waiting = state.withLock { state in
            state.closed = reason
            defer { state.pending.removeAll() }
            return Array(state.pending.values)
        }
        for continuation in waiting { continuation.resume(throwing: Failure(description: reason)) }
    }

    /// Hands a reply to the command it answers; events (no "id") are dropped: the test polls the
    /// page's state instead.
    private func deliver(_ message: Data) {
        guard let object = (try? JSONSerialization.jsonObject(with: message)) as? [String: Any],
            let id = object["id"] as? Int
        else { return }
        state.withLock { $0.pending.removeValue(forKey: id) }?.resume(returning: message)
    }

    // MARK: - Pages

    /// A new tab at `url` with the given viewport; returns its DevTools session.
    func open(_ url: String, width: Int, height: Int) async throws -> String {
        let target = try await send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw Failure(description: "no target id") }
        let attached = try await send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw Failure(description: "no session id") }
        try await resize(session, width: width, height: height)
        try await send("Page.navigate", ["url": url], session: session)
        return session
    }

    func resize(_ session: String, width: Int, height: Int) async throws {
        try await send(
            "Emulation.setDeviceMetricsOverride",
            ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false], session: session)
    }

    /// The value of a JavaScript expression, as JSON would carry it.
    func evaluate(_ expression: String, session: String) async throws -> Any? {
        let reply = try await send(
            "Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true],
            session: session)
        if let exception = reply["exceptionDetails"] as? [String: Any] {
            throw Failure(description: "the page's script failed on `\(expression)`: \(exception)")
        }
        return (reply["result"] as? [String: Any])?["value"]
    }

    /// Evaluates `expression` every quarter second until it gives a non-empty string; fails after
    /// `limit` (a guard against a hung page, not a measure of speed).
    func waitFor(_ expression: String, session: String, limit: Duration = .seconds(300)) async throws -> String {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let value = try await evaluate(expression, session: session) as? String, !value.isEmpty { return value }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw Failure(description: "the page did not get to `\(expression)` within \(limit)")
    }

    /// A PNG of the whole page: the viewport is stretched to the document's height first.
    func screenshot(_ session: String, width: Int) async throws -> Data {
        let height = try await evaluate("document.documentElement.scrollHeight", session: session) as? Int ?? 900
        try await resize(session, width: width, height: max(height, 200))
        let reply = try await send("Page.captureScreenshot", ["format": "png"], session: session)
        guard let encoded = reply["data"] as? String, let data = Data(base64Encoded: encoded) else {
            throw Failure(description: "the screenshot came back without data")
        }
        return data
    }

    /// Closes the browser and waits for it, killing it when it does not go. Calling it again does nothing.
    func quit() async {
        _ = try? await send("Browser.close")
        for _ in 0..<100 {
            if reap() { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
        kill(pid, SIGKILL)
        while !reap() { try? await Task.sleep(for: .milliseconds(50)) }
    }

    /// True once the browser process has exited (and been waited for).
    private func reap() -> Bool {
        if exited.load(ordering: .acquiring) { return true }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid || (result < 0 && errno == ECHILD) {
            exited.store(true, ordering: .releasing)
            return true
        }
        return false
    }
}
