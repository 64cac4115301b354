import Foundation
import Hummingbird
import RAG

/// `GET /v1/ab/stats`: per arm, answers, thumbs-up and resolution rates, median latency and turns
/// per conversation; and, for each adapter arm against the base, the difference in thumbs-up rate
/// with its 95% interval and a two-proportion test.
struct ABStatsController {
    let service: RAGService

    func addRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/v1/ab/stats") { _, _ in try stats() }
    }

    struct Arm: Encodable {
        var arm: String
        var answers: Int
        /// Answers that quote the best passage because the model said nothing usable.
        var quotingPassage: Int
        var rated: Int
        var thumbsUpRate: Double?
        var resolutionRate: Double?
        var medianLatencyMs: Double?
        var meanTurns: Double?
    }

    struct Comparison: Encodable {
        var arm: String
        var against = "base"
        /// Thumbs-up rate of `arm` minus the base's, with its interval and test.
        var thumbsUp: TwoProportionTest?
        /// Why there is no test yet (an arm without rated answers).
        var note: String?
    }

    struct Stats: Encodable {
        var object = "rag.ab.stats"
        var split: String?
        var arms: [Arm]
        var comparisons: [Comparison]
    }

    func stats() throws -> Response {
        _ = try service.require()
        guard let log = service.experimentLog else { throw APIError.unavailable("the experiment log is not open") }
        let records = try log.armRecords()
        let arms = records.keys.sorted { ($0 == "base" ? "" : $0) < ($1 == "base" ? "" : $1) }.map { name in
            let record = records[name]!
            return Arm(
                arm: name, answers: record.latencies.count, quotingPassage: record.quotingPassage,
                rated: record.ratings.count,
                thumbsUpRate: Self.rate(record.ratings), resolutionRate: Self.rate(record.resolutions),
                medianLatencyMs: record.latencies.isEmpty ? nil : SampleStatistics.median(record.latencies),
                meanTurns: record.turns.isEmpty ? nil : SampleStatistics.mean(record.turns.map(Double.init)))
        }
        let base = records["base"] ?? ArmRecords()
        let comparisons = arms.filter { $0.arm != "base" }.map { arm -> Comparison in
            let ratings = records[arm.arm]?.ratings ?? []
            guard !ratings.isEmpty, !base.ratings.isEmpty else {
                return Comparison(arm: arm.arm, note: "both arms need rated answers")
            }
            let test = try? TwoProportionTest(
                successesA: base.ratings.filter { $0 }.count, trialsA: base.ratings.count,
                successesB: ratings.filter { $0 }.count, trialsB: ratings.count)
            return Comparison(arm: arm.arm, thumbsUp: test)
        }
        let split = service.settings.split.map { "\($0.adapter):\($0.percent)" }
        return try JSONResponse.make(Stats(split: split, arms: arms, comparisons: comparisons))
    }

    static func rate(_ values: [Bool]) -> Double? {
        values.isEmpty ? nil : Double(values.filter { $0 }.count) / Double(values.count)
    }
}
