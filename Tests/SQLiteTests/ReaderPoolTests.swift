import Dispatch
import Foundation
import Relational
import SQLite
import Synchronization
import TestSupport
import Testing

/// Reads that stay inside their transaction until the test opens the gate, and a count of
/// how many are inside at once.
final class ReadGate: Sendable {
    private let gate = DispatchSemaphore(value: 0)
    let inside = Atomic(0)
    let mostInside = Atomic(0)
    let entered = Atomic(0)

    /// A read body that holds its connection until `open` (30 s at most: a broken pool fails the
    /// test instead of hanging it). Returns whether the gate was opened in time.
    func hold(_ db: any SQLConnection) throws -> Bool {
        _ = try db.queryOne("SELECT count(*) FROM t") { $0.int(0) }
        let now = inside.add(1, ordering: .sequentiallyConsistent).newValue
        mostInside.max(now, ordering: .sequentiallyConsistent)
        entered.add(1, ordering: .sequentiallyConsistent)
        defer { inside.subtract(1, ordering: .sequentiallyConsistent) }
        return gate.wait(timeout: .now() + 30) == .success
    }

    func open(_ count: Int) {
        for _ in 0..<count { gate.signal() }
    }
}

@Suite struct ReaderPoolTests {
    func database(readers: Int) async throws -> TemporaryDatabase {
        let temp = try TemporaryDatabase(configuration: .init(readers: readers))
        try await temp.database.write { db in
            try db.execute("CREATE TABLE t (x INTEGER)")
            try db.execute("INSERT INTO t VALUES (1)")
        }
        return temp
    }

    @Test func aReadHeldInsideItsTransactionDoesNotStopAnotherRead() async throws {
        let temp = try await database(readers: 4)
        let gate = ReadGate()
        let slow = Task { try await temp.database.read { try gate.hold($0) } }
        try await eventually("the slow read to start") { gate.entered.load(ordering: .sequentiallyConsistent) == 1 }

        let quick = try await temp.database.read { db in try db.queryOne("SELECT x FROM t") { $0.int(0) } }
        let statement = try await temp.database.readStatement { db in try db.queryOne("SELECT count(*) FROM t") { $0.int(0) } }
        let blocking = try await Task.detached { try temp.database.readBlocking { db in try db.queryOne("SELECT x FROM t") { $0.int(0) } } }.value
        #expect([quick, statement, blocking] == [1, 1, 1])

        gate.open(1)
        #expect(try await slow.value, "the slow read was still waiting when the others had finished")
    }

    @Test func moreReadsThanReadersWaitTheirTurnInsteadOfFailing() async throws {
        let temp = try await database(readers: 2)
        let gate = ReadGate()
        let first = (0..<2).map { _ in Task { try await temp.database.read { try gate.hold($0) } } }
        try await eventually("both readers to be held") { gate.entered.load(ordering: .sequentiallyConsistent) == 2 }
        let third = Task { try await temp.database.read { try gate.hold($0) } }
        let fourth = Task.detached { try temp.database.readBlocking { try gate.hold($0) } }

        gate.open(1)
        try await eventually("a waiting read to get the freed reader") { gate.entered.load(ordering: .sequentiallyConsistent) == 3 }
        gate.open(3)
        for read in first + [third] { #expect(try await read.value) }
        #expect(try await fourth.value)
        #expect(gate.entered.load(ordering: .sequentiallyConsistent) == 4)
        #expect(gate.mostInside.load(ordering: .sequentiallyConsistent) == 2)
    }

    @Test func preparedStatementsListWhatEveryReaderRan() async throws {
        let temp = try await database(readers: 2)
        let gate = ReadGate()
        let held = Task { try await temp.database.read { try gate.hold($0) } }
        try await eventually("one reader to be held") { gate.entered.load(ordering: .sequentiallyConsistent) == 1 }
        _ = try await temp.database.read { db in try db.queryOne("SELECT x + 1 FROM t") { $0.int(0) } }
        gate.open(1)
        #expect(try await held.value)
        let prepared = try temp.database.preparedStatements()
        #expect(prepared.isSuperset(of: ["SELECT count(*) FROM t", "SELECT x + 1 FROM t", "INSERT INTO t VALUES (1)"]))
    }
}
