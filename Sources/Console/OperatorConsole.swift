import BillportCore
import Foundation
import HTTPServer
import Queue
import Scheduler

/// The operator's view of the queue: an HTML page (no JavaScript) with the queues, recent
/// failures, dead jobs and schedules, and one change, retrying a dead job. Meant for the
/// loopback metrics listener only, never a public one.
///
/// `GET /` (or `/queue`) shows the page; `POST /jobs/{id}/retry` with the page's CSRF token
/// (see `ConsoleCSRF`) makes a dead job ready and answers 303 back to the page. Anything else is
/// a 404 page; GET never changes anything.
public final class OperatorConsole: Sendable {
    private let jobs: any SQLJobStore
    private let scheduleStore: SQLScheduleStore
    private let schedules: [Schedule]
    private let clock: any WallClock
    private let csrf: ConsoleCSRF
    private let origin: ConsoleOrigin
    private let logger: Logger

    /// A console over `jobs` and the schedule state next to it. `schedules` are the configured
    /// ones the page lists; `allowedHostNames` the names (besides IP literals) it may be reached by.
    public init(jobs: any SQLJobStore, schedules: [Schedule], clock: any WallClock = SystemClock(), csrf: ConsoleCSRF = ConsoleCSRF(),
                allowedHostNames: Set<String> = ["localhost"], logger: Logger = .disabled) {
        self.jobs = jobs
        self.scheduleStore = SQLScheduleStore(jobs: jobs)
        self.schedules = schedules
        self.clock = clock
        self.csrf = csrf
        self.origin = ConsoleOrigin(allowedHostNames: Set(allowedHostNames.map { $0.lowercased() }))
        self.logger = logger
    }

    /// Answers one request; usable as an `HTTPHandler`.
    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard origin.hostIsAllowed(request) else {
            return ConsolePage.problem(status: 403, title: "Unknown host",
                                       message: "The queue page answers only to an IP address or a configured host name.")
        }
        if request.path == "/" || request.path == "/queue" {
            guard request.method == .get || request.method == .head else { return methodNotAllowed(allow: "GET, HEAD") }
            return await page(request)
        }
        if let id = Self.retryJobID(in: request.path) {
            guard request.method == .post else { return methodNotAllowed(allow: "POST") }
            return await retry(id: id, request)
        }
        return ConsolePage.problem(status: 404, title: "Not found", message: "There is no such page.")
    }

    private func page(_ request: HTTPRequest) async -> HTTPResponse {
        let now = clock.now()
        let snapshot: QueueSnapshot
        do {
            snapshot = try await QueueSnapshot.read(jobs: jobs, scheduleStore: scheduleStore, schedules: schedules, now: now)
        } catch {
            logger.error("the queue page could not read the queue", ["error": "\(error)"])
            return ConsolePage.problem(status: 500, title: "Queue unavailable", message: "The queue could not be read; the log says why.")
        }
        let (token, isNew) = csrf.token(for: request, now: now)
        let retried = request.queryValue("retried").flatMap(Self.jobID)
        let body = QueuePage(snapshot: snapshot, token: token, retried: retried).html
        return ConsolePage.response(title: "Queue", body: body, extraHeaders: isNew ? [("Set-Cookie", ConsoleCSRF.setCookie(token))] : [])
    }

    private func retry(id: Int64, _ request: HTTPRequest) async -> HTTPResponse {
        guard origin.isSameOrigin(request), csrf.accepts(request, now: clock.now()) else {
            return ConsolePage.problem(status: 403, title: "Not allowed",
                                       message: "The form was stale or did not come from this page. Reload the queue page and try again.")
        }
        do {
            guard let job = try await jobs.job(id: id) else {
                return ConsolePage.problem(status: 404, title: "No such job", message: "Job \(id) does not exist (it may have been pruned).")
            }
            guard job.state == .dead else {
                return ConsolePage.problem(status: 409, title: "Not dead", message: "Job \(id) is \(job.state.rawValue); only a dead job can be retried here.")
            }
            _ = try await jobs.retry(id: id)
            logger.info("job retried from the queue page", ["job": "\(id)", "kind": job.kind])
            return HTTPResponse(status: 303, headers: HTTPHeaders(ConsolePage.securityHeaders + [("Location", "/?retried=\(id)")]),
                                text: "")
        } catch let conflict as JobStateConflict {
            return ConsolePage.problem(status: 409, title: "Not retried", message: conflict.description)
        } catch {
            logger.error("the queue page could not retry a job", ["job": "\(id)", "error": "\(error)"])
            return ConsolePage.problem(status: 500, title: "Not retried", message: "Job \(id) could not be retried; the log says why.")
        }
    }

    private func methodNotAllowed(allow: String) -> HTTPResponse {
        ConsolePage.problem(status: 405, title: "Method not allowed", message: "This address takes \(allow) only.",
                            extraHeaders: [("Allow", allow)])
    }

    /// The id in `/jobs/{id}/retry`; nil for any other path.
    static func retryJobID(in path: String) -> Int64? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].isEmpty, parts[1] == "jobs", parts[3] == "retry" else { return nil }
        return jobID(String(parts[2]))
    }

    /// A positive job id of at most 18 ASCII digits.
    static func jobID(_ text: String) -> Int64? {
        guard (1...18).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }), let id = Int64(text), id > 0 else { return nil }
        return id
    }
}
