import Foundation
import Hummingbird
import Logging

/// The HTTP front of the service: every route over one `RAGService`.
public enum RAGServer {
    /// The router with every route and the service middleware.
    public static func router(service: RAGService) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
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
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "rag"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
