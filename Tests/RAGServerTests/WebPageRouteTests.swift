import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import RAGServer

/// The page is static: none of these needs the models, so the services here are never made ready.
@Suite("The web page's routes")
struct WebPageRouteTests {
    @Test("GET /ui is an HTML page with a strict Content-Security-Policy that loads its script and style")
    func page() async throws {
        let service = RAGService(settings: ServerSettings())
        try await ServerFixture.app(service).test(.router) { client in
            try await client.execute(uri: "/ui", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.hasPrefix("default-src 'none'"))
                #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.text.hasPrefix("<!doctype html>"))
                #expect(response.text.contains(#"<script src="ui/app.js" defer></script>"#))
                #expect(response.text.contains(#"<link rel="stylesheet" href="ui/app.css">"#))
                #expect(response.text.contains(#"<form id="ask-form">"#))
                // Everything the page runs is in its own files: no inline script or style attribute.
                #expect(!response.text.contains("<script>") && !response.text.contains("style="))
            }
            try await client.execute(uri: "/ui/app.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(response.headers[.contentSecurityPolicy] != nil)
                #expect(response.text.contains("v1/ab") && response.text.contains("v1/feedback"))
            }
            try await client.execute(uri: "/ui/app.css", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/css; charset=utf-8")
            }
        }
    }

    @Test("with an API key the page loads without it, the API it calls still needs it")
    func keyedServer() async throws {
        let service = RAGService(settings: ServerSettings(apiKey: "page-key"))
        try await ServerFixture.app(service).test(.router) { client in
            for path in ["/ui", "/ui/app.js", "/ui/app.css"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                }
            }
            try await client.execute(uri: "/v1/models", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            // With the key the request gets past the check (to "the models are still loading").
            try await client.execute(
                uri: "/v1/models", method: .get, headers: [.authorization: "Bearer page-key"]
            ) { response in
                #expect(response.status == .serviceUnavailable)
            }
        }
    }

    @Test("/ui/ redirects to /ui, where the page's relative links resolve")
    func trailingSlash() async throws {
        let service = RAGService(settings: ServerSettings(apiKey: "page-key"))
        try await ServerFixture.app(service).test(.router) { client in
            try await client.execute(uri: "/ui/", method: .get) { response in
                #expect(response.status == .permanentRedirect)
                #expect(response.headers[.location] == "../ui")
            }
        }
    }

    @Test("the script puts server text in the page as text, never as HTML")
    func escaping() {
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"] {
            #expect(!WebPage.script.contains(sink), "the page's script uses \(sink)")
        }
        #expect(WebPage.script.contains("textContent"))
    }
}
