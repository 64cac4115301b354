import Foundation
import Hummingbird

/// `GET /v1/models`: the base model and each loaded adapter, which names the base as its `parent`.
struct ModelsController {
    let service: RAGService

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/v1/models") { _, _ in try list() }
    }

    struct Model: Encodable {
        var id: String
        var object = "model"
        var created: Int
        var ownedBy = "rag"
        var parent: String?
        /// base, adapter or embedding.
        var kind: String
    }

    struct Listing: Encodable {
        var object = "list"
        var data: [Model]
    }

    func list() throws -> Response {
        let components = try service.require()
        let created = Identifiers.now
        var models = [
            Model(id: components.model.name, created: created, kind: "base"),
            Model(id: components.embedder.name, created: created, kind: "embedding"),
        ]
        for name in service.adapters.adapters.keys.sorted() {
            models.append(Model(id: name, created: created, parent: components.model.name, kind: "adapter"))
        }
        return try JSONResponse.make(Listing(data: models))
    }
}
