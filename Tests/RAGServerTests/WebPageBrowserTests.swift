import Foundation
import Hummingbird
import HummingbirdTesting
import LanguageModel
import TestSupport
import Testing

@testable import RAG
@testable import RAGServer

/// The page in a real headless Chromium against a real server on loopback (the default models, the
/// small fixture collection and the `aurora-qv` adapter): ask, see both answers with their sources,
/// rate one, see the stats count it. A screenshot of the result is kept under
/// `.build/test-artifacts/ui.png`.
@Suite("The web page in headless Chromium")
struct WebPageBrowserTests {
    static let width = 1280
    static let screenshot = TestResources.repositoryRoot.appendingPathComponent(".build/test-artifacts/ui.png")

    /// A plain-text note (kept as written by the reader) whose text is HTML.
    static let markup = [
        "battery-notes.txt":
            #"Battery notes: a full charge <b id="injected">lasts</b> 90 minutes <img src="x" id="injected-image">."#
    ]

    /// What the page shows of one answer, read from its DOM.
    struct RenderedAnswer: Decodable {
        var arm: String
        var tag: String
        var model: String
        var answerID: String
        var text: String
        var sourcesTitle: String
        var sources: [String]
        var votes: Int
    }

    struct Rendered: Decodable {
        var answers: [RenderedAnswer]
        var passages: Int
        var passageTexts: [String]
        /// Elements made from server text: none may exist.
        var injected: Int
        var statsArms: [String]
        var message: String
    }

    static let readAnswers = """
        JSON.stringify({
          answers: [...document.querySelectorAll("article.answer")].map((article) => ({
            arm: article.dataset.arm, answerID: article.dataset.answerId || "",
            tag: article.querySelector(".arm-tag")?.textContent || "",
            model: article.querySelector(".model-name")?.textContent || "",
            text: article.querySelector(".answer-text")?.textContent || "",
            sourcesTitle: article.querySelector(".sources h3")?.textContent || "",
            sources: [...article.querySelectorAll(".source-list li")].map((item) => item.textContent),
            votes: article.querySelectorAll("button.vote").length,
          })),
          passages: document.querySelectorAll("#passage-list li").length,
          passageTexts: [...document.querySelectorAll("#passage-list .passage-text")].map((item) => item.textContent),
          injected: document.querySelectorAll("#injected, #injected-image, #results b, #results img").length,
          statsArms: [...document.querySelectorAll(".stats-table tbody tr")].map((row) => row.dataset.arm),
          message: document.getElementById("message").hidden ? "" : document.getElementById("message").textContent,
        })
        """

    @Test("asks a question, renders the base and adapter answers with sources, posts a thumbs up")
    func askAndRate() async throws {
        // Before anything else: a missing browser fails here with what to install.
        let browser = try HeadlessChromium(width: Self.width)
        let settings = ServerSettings(adaptersDirectory: TestResources.fixtures.appendingPathComponent("adapters"))
        // Its own collection, so the answers and ratings other tests log do not show in its stats; one
        // note carries markup, which the page must show as text.
        let models = try await ServerFixture.shared.load()
        let collection = try ServerFixture.collection(
            embedder: models.embedder, documents: ServerFixture.manuals.merging(Self.markup) { $1 })
        let service = try await ServerFixture.service(settings: settings, collection: collection)
        _ = try service.adapters.load("aurora-qv", for: try #require(service.components?.model))
        let started = ContinuousClock.now
        do {
            try await ServerFixture.app(service).test(.live) { client in
                let port = try #require(client.port)
                // The browser goes before the server, so no connection of its is open at shutdown.
                do {
                    try await exercise(browser, port: port, service: service)
                } catch {
                    await browser.quit()
                    throw error
                }
                await browser.quit()
            }
        } catch {
            await browser.quit()
            throw error
        }
        let seconds = String(format: "%.1f", started.duration(to: .now).seconds)
        print("web page test: screenshot at \(Self.screenshot.path) (\(seconds) s from loading the page)")
    }

    func exercise(_ browser: HeadlessChromium, port: Int, service: RAGService) async throws {
        let question = "How long does the battery last?"
        var query = URLComponents()
        query.queryItems = [
            URLQueryItem(name: "q", value: question), URLQueryItem(name: "adapter", value: "aurora-qv"),
            URLQueryItem(name: "max_tokens", value: "24"), URLQueryItem(name: "k", value: "8"),
            URLQueryItem(name: "auto", value: "1"),
        ]
        let url = "http://127.0.0.1:\(port)/ui?\(query.percentEncodedQuery ?? "")"
        let session = try await browser.open(url, width: Self.width, height: 900)

        let state = try await browser.waitFor(
            #"["answered", "error"].includes(document.body?.dataset.state) ? document.body.dataset.state : """#,
            session: session)
        let rendered = try await read(browser, session: session)
        #expect(state == "answered", "the page shows: \(rendered.message)")

        try #require(rendered.answers.count == 2)
        let (base, adapted) = (rendered.answers[0], rendered.answers[1])
        #expect(base.arm == "base" && base.tag == "Base model")
        #expect(base.model == service.components?.model.name)
        #expect(adapted.arm == "adapter" && adapted.tag == "Adapter" && adapted.model == "aurora-qv")
        for answer in rendered.answers {
            #expect(!answer.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(answer.arm)")
            #expect(answer.sourcesTitle == "Sources" && !answer.sources.isEmpty, "\(answer.arm)")
            #expect(answer.votes == 2)
        }
        // The page shows what the server logged for each answer.
        let log = try #require(service.experimentLog)
        let records = try log.armRecords()
        #expect(records["base"]?.latencies.count == 1 && records["aurora-qv"]?.latencies.count == 1)
        #expect(base.answerID.hasPrefix("ans-") && adapted.answerID.hasPrefix("ans-"))
        #expect(base.answerID != adapted.answerID)
        // Every chunk of the small collection is a passage (k = 8), the note's markup among them, as text.
        #expect(rendered.passages >= 4)
        #expect(rendered.passageTexts.contains { $0.contains(#"<b id="injected">lasts</b>"#) })
        #expect(rendered.injected == 0)
        #expect(rendered.statsArms == ["base", "aurora-qv"])

        // A thumbs up on the adapter's answer reaches the experiment log and the stats table.
        let statsBefore = try await browser.evaluate("document.body.dataset.stats || ''", session: session) as? String
        let followUpBefore = try await browser.evaluate(
            ##"getComputedStyle(document.querySelector("#answer-adapter .follow-up")).display"##, session: session)
        #expect(followUpBefore as? String == "none", "the follow-up waits for a vote")
        _ = try await browser.evaluate(
            ##"document.querySelector("#answer-adapter button.vote.up").click(), "clicked""##, session: session)
        let note = try await waitForNote("#answer-adapter .feedback-note", browser, session: session)
        #expect(note == "Recorded: helpful.")
        _ = try await browser.waitFor(
            "document.body.dataset.stats !== \(jsonString(statsBefore ?? "")) ? 'refreshed' : ''", session: session)
        let rated = try await browser.evaluate(
            #"document.querySelector('.stats-table tr[data-arm="aurora-qv"] td:nth-child(3)')?.textContent || ''"#,
            session: session)
        #expect(rated as? String == "1")
        #expect(try log.armRecords()["aurora-qv"]?.ratings == [true])

        // The vote opens the follow-up: solved, with a comment, recorded as the answer's latest feedback.
        let followUp = try await browser.evaluate(
            #"""
            (() => {
              const form = document.querySelector("#answer-adapter .follow-up");
              if (form.hidden) return "hidden";
              form.querySelector('button.resolve[data-resolved="true"]').click();
              form.querySelector(".comment").value = "The dock tip was what I needed.";
              form.querySelector("button.send").click();
              return "sent";
            })()
            """#, session: session)
        #expect(followUp as? String == "sent")
        let followUpNote = try await waitForNote("#answer-adapter .follow-up-note", browser, session: session)
        #expect(followUpNote == "Recorded: solved, with your comment.")
        #expect(try log.armRecords()["aurora-qv"]?.resolutions == [true])
        #expect(try log.armRecords()["aurora-qv"]?.ratings == [true])

        // The picture shows the retrieved passages too, the note's markup among them as text.
        _ = try await browser.evaluate(#"document.getElementById("passages-block").open = true"#, session: session)
        let png = try await browser.screenshot(session, width: Self.width)
        try FileManager.default.createDirectory(
            at: Self.screenshot.deletingLastPathComponent(), withIntermediateDirectories: true)
        try png.write(to: Self.screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    func read(_ browser: HeadlessChromium, session: String) async throws -> Rendered {
        let json = try #require(try await browser.evaluate(Self.readAnswers, session: session) as? String)
        return try JSONDecoder().decode(Rendered.self, from: Data(json.utf8))
    }

    /// The text of the status note at `selector` once it says "Recorded" or reports an HTTP error.
    func waitForNote(_ selector: String, _ browser: HeadlessChromium, session: String) async throws -> String {
        try await browser.waitFor(
            """
            (() => {
              const note = document.querySelector(\(jsonString(selector))).textContent;
              return note.startsWith("Recorded") || note.includes("HTTP") ? note : "";
            })()
            """, session: session)
    }

    func jsonString(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}
