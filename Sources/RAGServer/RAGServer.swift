import Foundation
import Hummingbird
import HummingbirdCore
import Logging

/// The HTTP front of the service: every route over one `RAGService`.
public enum RAGServer {
    /// The router with every route and the service middleware.
    public static func router(service: RAGService) -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.middlewares.add(ServiceMiddleware(service: service))
        HealthController(service: service).addRoutes(to: router)
        ModelsController(service: service).addRoutes(to: router)
        QueryController(service: service).addRoutes(to: router)
        ChatCompletionsController(service: service).addRoutes(to: router)
        SearchController(service: service).addRoutes(to: router)
        EmbeddingsController(service: service).addRoutes(to: router)
        DocumentsController(service: service).addRoutes(to: router)
        AdaptersController(service: service).addRoutes(to: router)
        FeedbackController(service: service).addRoutes(to: router)
        SideBySideController(service: service).addRoutes(to: router)
        ABStatsController(service: service).addRoutes(to: router)
        WebPageController().addRoutes(to: router)
        return router
    }

    /// An application listening on `host:port`; `runService()` serves until SIGTERM or SIGINT,
    /// then finishes the requests in flight.
    public static func application(
        service: RAGService, host: String, port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(service: service),
            server: server(service.settings),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "rag"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// HTTP/1.1 that closes a connection idle for `settings.idleTimeout` (between requests, or in
    /// the middle of sending one).
    public static func server(_ settings: ServerSettings) -> HTTPServerBuilder {
        let (seconds, attoseconds) = settings.idleTimeout.components
        return .http1(
            configuration: .init(idleTimeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)))
    }
}
