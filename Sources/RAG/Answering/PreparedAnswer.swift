import Foundation
import LanguageModel

/// A question retrieved for and admitted to the model, ready to be answered once.
public final class PreparedAnswer: Sendable {
    let answerer: QuestionAnswerer
    public let prompt: GroundedPrompt
    /// The passages the answer may cite (or, when not covered, the nearest ones found).
    public let retrievedPassages: [Passage]
    /// False when nothing relevant was retrieved: the answer is a fixed "not covered" text.
    public let covered: Bool
    let admission: Admission?
    let started: ContinuousClock.Instant
    let retrievalSeconds: Double
    let queueSeconds: Double
    let options: GenerationOptions

    init(
        answerer: QuestionAnswerer, prompt: GroundedPrompt, retrievedPassages: [Passage], covered: Bool,
        admission: Admission?, started: ContinuousClock.Instant, retrievalSeconds: Double, queueSeconds: Double,
        options: GenerationOptions
    ) {
        self.answerer = answerer
        self.prompt = prompt
        self.retrievedPassages = retrievedPassages
        self.covered = covered
        self.admission = admission
        self.started = started
        self.retrievalSeconds = retrievalSeconds
        self.queueSeconds = queueSeconds
        self.options = options
    }

    /// The passages, the text as it is generated, then the finished answer. Stopping the
    /// iteration stops the generation and frees the model for the next request.
    public func events() -> AsyncThrowingStream<AnswerEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream<AnswerEvent, Error>.makeStream()
        let task = Task { [self] in
            defer { admission?.release() }
            do {
                continuation.yield(.passages(covered ? prompt.passages : []))
                let answer: Answer
                if covered {
                    answer = try await generate(continuation)
                } else {
                    answer = notCovered()
                    continuation.yield(.text(answer.text))
                }
                // Free before the end is read: a client that asks again at once must find the slot free.
                admission?.release()
                continuation.yield(.finished(answer))
                continuation.finish()
            } catch {
                admission?.release()
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// The finished answer, generated to the end without the pieces in between.
    public func answer() async throws -> Answer {
        for try await event in events() {
            if case .finished(let answer) = event { return answer }
        }
        throw CancellationError()
    }

    private func generate(_ continuation: AsyncThrowingStream<AnswerEvent, Error>.Continuation) async throws -> Answer {
        var options = options
        options.reusablePrefixLength = prompt.sharedPrefixLength
        let clock = ContinuousClock()
        var text = ""
        var generated = ""
        var firstText: Double?
        var degeneration = DegenerationGuard(passages: prompt.passages)
        var cachedTokens = 0
        func show(_ shown: String) {
            guard !shown.isEmpty else { return }
            continuation.yield(.text(shown))
            text += shown
        }
        for try await event in answerer.model.generate(promptTokens: prompt.tokens, options: options) {
            switch event {
            case .promptProcessed(let cached):
                cachedTokens = cached
            case .text(let piece):
                if firstText == nil { firstText = (clock.now - started).seconds }
                generated += piece
                show(degeneration.feed(piece))
                if degeneration.ended {
                    // Leaving the loop cancels the generation; the count of tokens is re-derived.
                    let usage = TokenUsage(
                        promptTokens: prompt.tokens.count,
                        completionTokens: answerer.model.tokenizer.encode(generated, parseSpecial: false).count,
                        cachedPromptTokens: cachedTokens)
                    let quoted = showExtractIfSilent(text, show)
                    return finish(text, reason: .stop, usage: usage, firstText: firstText, quotesPassage: quoted)
                }
            case .finished(let summary):
                show(degeneration.finish())
                let quoted = showExtractIfSilent(text, show)
                let usage = TokenUsage(
                    promptTokens: summary.promptTokens, completionTokens: summary.generatedTokens,
                    cachedPromptTokens: summary.cachedPromptTokens)
                return finish(
                    text, reason: summary.finishReason, usage: usage,
                    firstText: firstText ?? retrievalSeconds + queueSeconds + summary.timeToFirstToken,
                    quotesPassage: quoted)
            }
        }
        throw CancellationError()
    }

    /// When the model's answer says nothing, the best passage's opening speaks instead; returns
    /// whether it did.
    private func showExtractIfSilent(_ text: String, _ show: (String) -> Void) -> Bool {
        guard DegenerationGuard.saysNothing(text), let extract = PassageExtract.answer(from: prompt.passages) else {
            return false
        }
        show((text.isEmpty || text.hasSuffix("\n") ? "" : "\n") + extract)
        return true
    }

    private func finish(
        _ text: String, reason: FinishReason, usage: TokenUsage, firstText: Double?, quotesPassage: Bool
    ) -> Answer {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let total = (ContinuousClock().now - started).seconds
        let review = answerer.review(text, passages: prompt.passages, userText: prompt.userText)
        return Answer(
            text: text, citations: review.citations, passages: prompt.passages,
            unsupportedSentences: review.unsupported, covered: true, finishReason: reason, usage: usage,
            timings: timings(firstToken: firstText ?? total, total: total), quotesPassage: quotesPassage)
    }

    private func notCovered() -> Answer {
        let total = (ContinuousClock().now - started).seconds
        return Answer(
            text: QuestionAnswerer.notCoveredAnswer, citations: [], passages: retrievedPassages,
            unsupportedSentences: [], covered: false, finishReason: .stop,
            usage: TokenUsage(promptTokens: 0, completionTokens: 0),
            timings: timings(firstToken: total, total: total))
    }

    private func timings(firstToken: Double, total: Double) -> AnswerTimings {
        AnswerTimings(
            retrievalMilliseconds: retrievalSeconds * 1000, queueMilliseconds: queueSeconds * 1000,
            timeToFirstTokenMilliseconds: firstToken * 1000, totalMilliseconds: total * 1000)
    }
}
