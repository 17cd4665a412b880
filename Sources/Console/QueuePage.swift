import BillportCore
import Foundation
import Queue
import Scheduler

/// The queue page's body: summary, queues, recent failures, dead jobs with their retry forms,
/// schedules. Every text from the database is escaped; job errors are cut to `errorLimit`.
struct QueuePage {
    /// Characters of a job's last error shown in a list.
    static let errorLimit = 1000

    let snapshot: QueueSnapshot
    /// The CSRF token each retry form carries.
    let token: String
    /// The job a retry just made ready, to confirm.
    let retried: Int64?

    var html: String {
        """
        <header class="top"><h1>Billport queue</h1>
        <p class="meta">as of <time>\(ISO8601.format(snapshot.now))</time> · scheduler leader: \(leader)</p><a href="/">Refresh</a></header>
        <main>\(notice)\(cards)\(queues)\(failures)\(deadJobs)\(schedules)</main>
        """
    }

    private var now: Date { snapshot.now }

    private var leader: String {
        guard let lease = snapshot.leader else { return "<b>none</b> (no scheduler is running)" }
        return "<b>\(HTML.escape(lease.holder))</b> (lease until <time>\(ISO8601.format(lease.expiresAt))</time>, "
            + "\(RelativeTime.describe(lease.expiresAt, now: now)))"
    }

    private var notice: String {
        retried.map { "<p class=\"notice\">Job \($0) is ready to run again.</p>" } ?? ""
    }

    private var cards: String {
        let stats = snapshot.stats
        let oldest = snapshot.oldestReady
        let oldestText = oldest.map { "\(RelativeTime.span(seconds: $0.age.milliseconds / 1000))" } ?? "–"
        let oldestLabel = oldest.map { "oldest ready · \(HTML.escape($0.queue))" } ?? "oldest ready"
        let failing = snapshot.retrying.count >= QueueSnapshot.listLimit ? "\(QueueSnapshot.listLimit)+" : "\(snapshot.retrying.count)"
        func card(_ value: String, _ label: String, _ tone: String = "") -> String {
            "<div class=\"card \(tone)\"><div class=\"n\">\(value)</div><div class=\"l\">\(label)</div></div>"
        }
        return """
            <div class="cards">\(card("\(stats.total(.ready))", "ready"))\(card("\(stats.total(.running))", "running"))\
            \(card("\(stats.total(.scheduled))", "scheduled"))\(card(failing, "retrying after a failure", snapshot.retrying.isEmpty ? "" : "warn"))\
            \(card("\(stats.total(.dead))", "dead", stats.total(.dead) > 0 ? "bad" : ""))\
            \(card(oldestText, oldestLabel, (oldest?.age ?? .zero) > .seconds(300) ? "warn" : ""))</div>
            """
    }

    private var queues: String {
        let names = snapshot.stats.queues.keys.sorted()
        guard !names.isEmpty else { return section("Queues", hint: "", body: "<p class=\"empty\">No jobs yet.</p>") }
        var rows = ""
        for name in names {
            let queue = snapshot.stats.queues[name]!
            rows += "<tr><td><code>\(HTML.escape(name))</code></td>"
            for state in JobState.allCases {
                let count = queue.counts[state] ?? 0
                let tone = count == 0 ? "zero" : state == .dead ? "bad" : ""
                rows += "<td class=\"num \(tone)\">\(count)</td>"
            }
            let age = queue.oldestReadyAge
            let tone = (age ?? .zero) > .seconds(300) ? "warn" : age == nil ? "zero" : ""
            rows += "<td class=\"num \(tone)\">\(age.map { RelativeTime.span(seconds: $0.milliseconds / 1000) } ?? "–")</td></tr>"
        }
        let header = "<tr><th>queue</th>" + JobState.allCases.map { "<th class=\"num\">\($0.rawValue)</th>" }.joined()
            + "<th class=\"num\">oldest ready</th></tr>"
        return section("Queues", hint: "jobs per state; the oldest ready job has waited this long since it became due",
                       body: "<table>\(header)\(rows)</table>")
    }

    private var failures: String {
        listing("Recent failures",
                hint: "jobs whose last attempt failed and that wait to run again, newest attempt first (at most \(QueueSnapshot.listLimit))",
                empty: "No job is failing.", columns: ["#id", "kind", "queue", "#attempts", "last attempt", "next attempt", "last error"],
                rows: snapshot.retrying.map { job in
                    "<tr>\(identity(job))<td>\(job.startedAt.map(time) ?? "–")</td><td>\(time(job.runAt))</td><td>\(error(job))</td></tr>"
                })
    }

    private var deadJobs: String {
        listing("Dead jobs",
                hint: "out of attempts or failed for good, most recent first (at most \(QueueSnapshot.listLimit)); retry makes one ready now",
                empty: "No dead jobs.", columns: ["#id", "kind", "queue", "#attempts", "died", "last error", ""],
                rows: snapshot.dead.map { job in
                    """
                    <tr>\(identity(job))<td>\(job.finishedAt.map(time) ?? "–")</td><td>\(error(job))</td>\
                    <td><form method="post" action="/jobs/\(job.id)/retry"><input type="hidden" name="\(ConsoleCSRF.fieldName)" \
                    value="\(HTML.escape(token))"><button type="submit">Retry</button></form></td></tr>
                    """
                })
    }

    private var schedules: String {
        listing("Schedules", hint: "when each configured schedule fired last and fires next (UTC)", empty: "No schedules are configured.",
                columns: ["name", "when", "kind", "last firing", "#last job", "next firing"],
                rows: snapshot.schedules.map { status in
                    """
                    <tr><td>\(HTML.escape(status.name))</td><td><code>\(HTML.escape(status.spec))</code></td>\
                    <td><code>\(HTML.escape(status.kind))</code></td><td>\(status.lastRunAt.map(time) ?? "never")</td>\
                    <td class="num">\(status.lastJobID.map { "\($0)" } ?? "–")</td><td>\(status.nextRunAt.map(time) ?? "never")</td></tr>
                    """
                })
    }

    /// A section with `rows` under `columns` (a name starting with `#` is a numeric column), or `empty` when there are none.
    private func listing(_ title: String, hint: String, empty: String, columns: [String], rows: [String]) -> String {
        guard !rows.isEmpty else { return section(title, hint: hint, body: "<p class=\"empty\">\(empty)</p>") }
        let header = columns.map { $0.hasPrefix("#") ? "<th class=\"num\">\($0.dropFirst())</th>" : "<th>\($0)</th>" }.joined()
        return section(title, hint: hint, body: "<table><tr>\(header)</tr>\(rows.joined())</table>")
    }

    private func section(_ title: String, hint: String, body: String) -> String {
        "<section><h2>\(title)<span class=\"hint\">\(HTML.escape(hint))</span></h2><div class=\"scroll\">\(body)</div></section>"
    }

    private func identity(_ job: JobRecord) -> String {
        "<td class=\"num\">\(job.id)</td><td><code>\(HTML.escape(job.kind))</code></td><td><code>\(HTML.escape(job.queue))</code></td>"
            + "<td class=\"num\">\(job.attempts)/\(job.maxAttempts)</td>"
    }

    private func error(_ job: JobRecord) -> String {
        guard let text = job.lastError else { return "–" }
        let shown = text.count > Self.errorLimit ? String(text.prefix(Self.errorLimit)) + " …" : text
        return "<pre class=\"error\">\(HTML.escape(shown))</pre>"
    }

    private func time(_ date: Date) -> String {
        let iso = ISO8601.format(date)
        return "<time datetime=\"\(iso)\">\(iso)</time><span class=\"ago\">\(RelativeTime.describe(date, now: now))</span>"
    }
}
