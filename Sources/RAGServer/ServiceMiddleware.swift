import Foundation
import Hummingbird
import LanguageModel
import Logging

/// Around every request: the API key check, reading the body within its limits, the conversion
/// of any error into OpenAI's error shape, one log line, and the request metrics.
struct ServiceMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let service: RAGService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let started = ContinuousClock.now
        let route = context.endpointPath ?? "unmatched"
        var response: Response
        do {
            try authorize(request)
            response = try await next(try await withBody(request, context: context), context)
        } catch {
            response = APIError.from(error).response
        }
        let seconds = (ContinuousClock.now - started).seconds
        let path = context.endpointPath ?? route
        service.metrics.record(route: "\(request.method) \(path)", status: Int(response.status.code), seconds: seconds)
        context.logger.info(
            "\(request.method) \(request.uri.path) \(response.status.code) \(String(format: "%.1f", seconds * 1000)) ms"
        )
        return response
    }

    /// The request with its whole body read, within the size and time limits of its route, so
    /// that no route waits on a slow client.
    private func withBody(_ request: Request, context: Context) async throws -> Request {
        guard [.post, .put, .patch, .delete].contains(request.method) else { return request }
        let settings = service.settings
        let upload = request.uri.path.hasPrefix("/v1/documents")
        var request = request
        let buffer = try await RequestBodyReader.collect(
            request, limit: upload ? settings.uploadLimit : settings.bodyLimit,
            timeout: upload ? settings.uploadTimeout : settings.bodyTimeout, closeInput: context.closeInput)
        request.body = RequestBody(buffer: buffer)
        return request
    }

    /// With a key configured, every route but /healthz and the static web page needs
    /// `Authorization: Bearer <key>` (a browser cannot send the header when it opens a page; the
    /// page's own calls to the API send it).
    private func authorize(_ request: Request) throws {
        let path = request.uri.path
        guard let key = service.settings.apiKey, path != "/healthz", !WebPageController.publicPaths.contains(path)
        else { return }
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("this server needs an API key: send Authorization: Bearer <key>")
        }
        guard header.hasPrefix("Bearer "), constantTimeEquals(String(header.dropFirst(7)), key) else {
            throw APIError.unauthorized("the API key is not valid")
        }
    }

    /// Compares without stopping at the first difference, so timing does not reveal the key.
    private func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
