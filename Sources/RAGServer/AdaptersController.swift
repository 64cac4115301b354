import Foundation
import Hummingbird
import LanguageModel

/// `GET/POST/DELETE /v1/adapters`: the adapters folder and what is loaded; load by name, unload.
/// vLLM's `POST /v1/load_lora_adapter` and `/v1/unload_lora_adapter` do the same, so tools written
/// for vLLM work unchanged.
struct AdaptersController {
    let service: RAGService

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/v1/adapters") { _, _ in try list() }
        router.post("/v1/adapters") { request, _ in
            let body = try await JSONRequest.read(request, limit: service.settings.bodyLimit)
            let name = try body.requiredString("name")
            let adapter = try load(name)
            return try JSONResponse.make(AdapterInfo(name: name, adapter: adapter, loaded: true), status: .created)
        }
        router.delete("/v1/adapters/:name") { _, context in
            let name = try context.parameters.require("name")
            try unload(name)
            return try JSONResponse.make(["object": "adapter.deleted", "name": name])
        }
        router.post("/v1/load_lora_adapter") { request, _ in
            let body = try await JSONRequest.read(request, limit: service.settings.bodyLimit)
            let name = try body.requiredString("lora_name")
            if let path = try body.string("lora_path") { try checkPath(path, name: name) }
            _ = try load(name)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "Success: LoRA adapter '\(name)' added successfully.")))
        }
        router.post("/v1/unload_lora_adapter") { request, _ in
            let body = try await JSONRequest.read(request, limit: service.settings.bodyLimit)
            let name = try body.requiredString("lora_name")
            try unload(name)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "Success: LoRA adapter '\(name)' removed successfully.")))
        }
    }

    struct AdapterInfo: Encodable {
        var object = "adapter"
        var name: String
        var loaded: Bool
        var rank: Int?
        var alpha: Double?
        var targets: [String]?
        var baseModel: String?
        var usesRslora: Bool?

        init(name: String, adapter: LoRAAdapter?, loaded: Bool) {
            self.name = name
            self.loaded = loaded
            rank = adapter?.summary.rank
            alpha = adapter?.summary.alpha
            targets = adapter?.summary.targets
            baseModel = adapter?.summary.baseModel
            usesRslora = adapter?.summary.usesRSLoRA
        }
    }

    struct Listing: Encodable {
        var object = "list"
        var directory: String
        var data: [AdapterInfo]
    }

    func list() throws -> Response {
        let loaded = service.adapters.adapters
        let names = Set(loaded.keys).union(service.adapters.available()).sorted()
        return try JSONResponse.make(
            Listing(
                directory: service.adapters.directory.path,
                data: names.map { AdapterInfo(name: $0, adapter: loaded[$0], loaded: loaded[$0] != nil) }))
    }

    func load(_ name: String) throws -> LoRAAdapter {
        let components = try service.require()
        return try service.adapters.load(name, for: components.model)
    }

    func unload(_ name: String) throws {
        let components = try service.require()
        guard service.adapters.unload(name, from: components.model) else {
            throw APIError.notFound("no adapter named '\(name)' is loaded", param: "name", code: "adapter_not_found")
        }
    }

    /// vLLM's `lora_path`: accepted only as the adapter's own folder inside the adapters folder.
    func checkPath(_ path: String, name: String) throws {
        let given = URL(fileURLWithPath: path, relativeTo: service.adapters.directory).standardizedFileURL
        let expected = try service.adapters.folder(for: name)
        guard given.resolvingSymlinksInPath().path == expected.path else {
            throw APIError.invalid(
                "lora_path must be the folder '\(name)' inside the adapters folder \(service.adapters.directory.path)",
                param: "lora_path")
        }
    }
}
