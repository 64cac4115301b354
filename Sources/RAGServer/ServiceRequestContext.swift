import Hummingbird
import Logging

/// The request context of every route: Hummingbird's basic one, plus a way to stop reading from
/// the connection, which a body that arrives too slowly needs (see `RequestBodyReader`).
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Shuts the connection's input: a body read waiting on it ends, the response can still go out.
    let closeInput: @Sendable () -> Void

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        let channel = source.channel
        closeInput = { channel.close(mode: .input, promise: nil) }
    }
}
