import Foundation
import Hummingbird
import RAG

/// `POST /v1/feedback`: a user's thumbs up or down (and whether the answer resolved their issue)
/// on an answer the service gave, stored durably with the answer's arm.
struct FeedbackController {
    let service: RAGService

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.post("/v1/feedback") { request, _ in try await feedback(request) }
    }

    struct Stored: Encodable {
        var object = "feedback"
        var answerId: String
        var rating: String
        var resolved: Bool?
    }

    func feedback(_ request: Request) async throws -> Response {
        _ = try service.require()
        guard let log = service.experimentLog else { throw APIError.unavailable("the experiment log is not open") }
        let body = try await JSONRequest.read(request, limit: service.settings.bodyLimit)
        let answerID = try body.requiredString("answer_id")
        let rating = try body.requiredString("rating")
        guard rating == "up" || rating == "down" else {
            throw APIError.invalid("'rating' must be \"up\" or \"down\", got \"\(rating)\"", param: "rating")
        }
        let resolved = try body.bool("resolved")
        let comment = try body.string("comment")
        if let comment, comment.count > 4000 {
            throw APIError.invalid("'comment' holds \(comment.count) characters; at most 4000", param: "comment")
        }
        do {
            try log.record(
                ExperimentLog.Feedback(
                    answerID: answerID, thumbsUp: rating == "up", resolved: resolved, comment: comment))
        } catch .unknownAnswer(let id) {
            throw APIError.notFound("no answer with id '\(id)'", param: "answer_id", code: "answer_not_found")
        } catch .storage(let message) {
            throw APIError.internalError("the feedback could not be stored: \(message)")
        }
        return try JSONResponse.make(Stored(answerId: answerID, rating: rating, resolved: resolved), status: .created)
    }
}
