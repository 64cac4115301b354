import Foundation
import GRDB

/// Every answer the service gave (its id, arm, user and latency) and the feedback users sent about
/// them, durably in SQLite (WAL), so that an A/B test's figures survive restarts and crashes.
public final class ExperimentLog: Sendable {
    public let path: String
    private let pool: DatabasePool

    /// One answer as the log keeps it.
    public struct Entry: Sendable, Equatable {
        public var id: String
        /// The adapter that answered; nil for the base model.
        public var adapter: String?
        public var user: String?
        /// User turns in the conversation up to this answer.
        public var turn: Int
        public var question: String
        public var answer: String
        public var latencyMilliseconds: Double
        /// Whether the answer quotes the best passage because the model said nothing usable: such
        /// answers are the manual's words, not the arm's, and an arm with many of them is flattered.
        public var quotesPassage: Bool

        public init(
            id: String, adapter: String?, user: String?, turn: Int, question: String, answer: String,
            latencyMilliseconds: Double, quotesPassage: Bool = false
        ) {
            self.id = id
            self.adapter = adapter
            self.user = user
            self.turn = turn
            self.question = question
            self.answer = answer
            self.latencyMilliseconds = latencyMilliseconds
            self.quotesPassage = quotesPassage
        }
    }

    /// A user's verdict on one answer.
    public struct Feedback: Sendable, Equatable {
        public var answerID: String
        public var thumbsUp: Bool
        public var resolved: Bool?
        public var comment: String?

        public init(answerID: String, thumbsUp: Bool, resolved: Bool? = nil, comment: String? = nil) {
            self.answerID = answerID
            self.thumbsUp = thumbsUp
            self.resolved = resolved
            self.comment = comment
        }
    }

    /// Why feedback was refused.
    public enum FeedbackError: Error, Equatable {
        case unknownAnswer(String)
        case storage(String)
    }

    public init(path: String) throws {
        self.path = path
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Several services (or a service and `rag ab`) may open one log; writers wait their turn.
        configuration.busyMode = .timeout(10)
        // Services starting together on a new log race to create it: the loser's open or
        // migration fails (the database is locked, the table exists already) and, on a second
        // try, finds the winner's tables recorded.
        var attempt = 0
        while true {
            do {
                pool = try Self.openMigrated(path: path, configuration: configuration)
                break
            } catch {
                attempt += 1
                if attempt >= 5 { throw error }
                Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
            }
        }
    }

    private static func openMigrated(path: String, configuration: Configuration) throws -> DatabasePool {
        let pool = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: answers and feedback") { db in
            try db.create(table: "answers") { table in
                table.primaryKey("id", .text)
                table.column("createdAt", .datetime).notNull()
                table.column("arm", .text).notNull().indexed()
                table.column("user", .text)
                table.column("turn", .integer).notNull()
                table.column("question", .text).notNull()
                table.column("answer", .text).notNull()
                table.column("latencyMs", .double).notNull()
            }
            try db.create(table: "feedback") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("answerId", .text).notNull().indexed().references("answers", onDelete: .cascade)
                table.column("createdAt", .datetime).notNull()
                table.column("thumbsUp", .boolean).notNull()
                table.column("resolved", .boolean)
                table.column("comment", .text)
            }
        }
        migrator.registerMigration("v2: answers that quote the best passage") { db in
            // Answers logged before this column existed were not checked; they count as the model's.
            try db.alter(table: "answers") { table in
                table.add(column: "quotesPassage", .boolean).notNull().defaults(to: false)
            }
        }
        try migrator.migrate(pool)
        return pool
    }

    /// The arm name of an adapter (or of the base model) in the log and in statistics.
    public static func armName(_ adapter: String?) -> String { adapter ?? "base" }

    public func record(_ entry: Entry) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO answers (id, createdAt, arm, user, turn, question, answer, latencyMs, quotesPassage)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    entry.id, Date(), Self.armName(entry.adapter), entry.user, entry.turn, entry.question, entry.answer,
                    entry.latencyMilliseconds, entry.quotesPassage,
                ])
        }
    }

    /// Stores feedback on a logged answer; the latest feedback on an answer is the one that counts.
    public func record(_ feedback: Feedback) throws(FeedbackError) {
        do {
            try pool.write { db in
                guard
                    try Bool.fetchOne(db, sql: "SELECT 1 FROM answers WHERE id = ?", arguments: [feedback.answerID])
                        != nil
                else { throw FeedbackError.unknownAnswer(feedback.answerID) }
                try db.execute(
                    sql:
                        "INSERT INTO feedback (answerId, createdAt, thumbsUp, resolved, comment) VALUES (?, ?, ?, ?, ?)",
                    arguments: [feedback.answerID, Date(), feedback.thumbsUp, feedback.resolved, feedback.comment])
            }
        } catch let error as FeedbackError {
            throw error
        } catch {
            throw .storage("\(error)")
        }
    }

    /// Per arm: answers, latencies, turns, and the latest feedback of each rated answer.
    public func armRecords() throws -> [String: ArmRecords] {
        try pool.read { db in
            var arms: [String: ArmRecords] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT arm, latencyMs, turn, quotesPassage FROM answers") {
                arms[row["arm"], default: ArmRecords()].latencies.append(row["latencyMs"])
                arms[row["arm"], default: ArmRecords()].turns.append(row["turn"])
                if row["quotesPassage"] { arms[row["arm"], default: ArmRecords()].quotingPassage += 1 }
            }
            let latest = try Row.fetchAll(
                db,
                sql: """
                    SELECT answers.arm, feedback.thumbsUp, feedback.resolved FROM feedback
                    JOIN answers ON answers.id = feedback.answerId
                    WHERE feedback.id = (SELECT MAX(id) FROM feedback AS f WHERE f.answerId = feedback.answerId)
                    """)
            for row in latest {
                let arm: String = row["arm"]
                arms[arm, default: ArmRecords()].ratings.append(row["thumbsUp"])
                if let resolved: Bool = row["resolved"] {
                    arms[arm, default: ArmRecords()].resolutions.append(resolved)
                }
            }
            return arms
        }
    }
}

/// What the log holds for one arm.
public struct ArmRecords: Sendable, Equatable {
    public var latencies: [Double] = []
    public var turns: [Int] = []
    /// Answers that quote the best passage instead of the model's words.
    public var quotingPassage = 0
    /// Thumbs up (true) or down, one per rated answer.
    public var ratings: [Bool] = []
    /// Resolved or not, one per answer whose feedback said.
    public var resolutions: [Bool] = []

    public init() {}
}
