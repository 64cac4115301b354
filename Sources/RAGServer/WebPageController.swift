import Foundation
import HTTPTypes
import Hummingbird

/// `GET /ui`: a small page, compiled into the binary, for asking a question and comparing the
/// base model's answer with an adapter's side by side, rating each, and reading the A/B stats.
///
/// The page, its script and its style sheet are three static strings (`WebPage`), not SwiftPM
/// resources: a string survives any way the binary is built, copied or installed, and there is no
/// bundle to look up at run time. They are public: they hold no data and no secret, and a browser
/// cannot send an `Authorization` header when it navigates, so the API key guards only the JSON
/// routes the page calls (the page asks for the key and sends it with every request).
///
/// The script and the style sheet are separate files so that the Content-Security-Policy can
/// forbid every inline script and style: the page runs only `ui/app.js`, talks only to its own
/// origin, and may not be framed.
struct WebPageController {
    /// The paths served here; `ServiceMiddleware` lets them through without the API key.
    static let publicPaths: Set<String> = ["/ui", "/ui/", "/ui/app.js", "/ui/app.css"]

    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/ui") { request, _ in
            // "/ui/" would resolve the page's relative links ("ui/app.js", "v1/ab") one folder too deep.
            if request.uri.path.hasSuffix("/") {
                return Response(status: .permanentRedirect, headers: [.location: "../ui"])
            }
            return Self.response(WebPage.html, type: "text/html; charset=utf-8")
        }
        router.get("/ui/app.js") { _, _ in Self.response(WebPage.script, type: "text/javascript; charset=utf-8") }
        router.get("/ui/app.css") { _, _ in Self.response(WebPage.style, type: "text/css; charset=utf-8") }
    }

    /// A static text with the headers every part of the page carries.
    static func response(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        // The page changes with the binary: a browser revalidates rather than keep an old copy.
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
}
