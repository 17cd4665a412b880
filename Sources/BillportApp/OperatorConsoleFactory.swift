import BillportCore
import Console
import Queue

extension AppContext {
    /// The queue page over `jobs` (a store on this process's database) with the configured
    /// schedules; the metrics listener serves it for every path it does not answer itself.
    /// `allowedHostNames`: names besides IP literals the listener is reached by (its host setting).
    func makeOperatorConsole(jobs: any SQLJobStore, allowedHostNames: Set<String> = ["localhost"]) -> OperatorConsole {
        OperatorConsole(jobs: jobs, schedules: configuration.scheduler.schedules, clock: clock,
                        allowedHostNames: allowedHostNames, logger: logger.labelled("console"))
    }
}
