internal import Glibc

/// The descriptors the event loop waits on, as one `pollfd` array owned by the loop thread.
///
/// `poll(2)` rather than epoll because Swift's Glibc module does not export epoll and the
/// package takes no C shim; changing interest is a plain store into the array, no syscall.
struct PollSet {
    /// What a descriptor is waited on for.
    struct Interest: OptionSet {
        let rawValue: Int16
        static let read = Interest(rawValue: Int16(POLLIN))
        static let write = Interest(rawValue: Int16(POLLOUT))
    }

    /// One ready descriptor after a wait.
    struct Ready {
        var owner: UInt64
        var readable: Bool
        var writable: Bool
        var invalid: Bool
    }

    private var fds: [pollfd] = []
    private var realFDs: [Int32] = []
    private var owners: [UInt64] = []

    var count: Int { fds.count }

    /// Adds a descriptor and returns its slot.
    mutating func add(fd: Int32, interest: Interest, owner: UInt64) -> Int {
        fds.append(pollfd(fd: interest.isEmpty ? -1 : fd, events: interest.rawValue, revents: 0))
        realFDs.append(fd)
        owners.append(owner)
        return fds.count - 1
    }

    /// Removes a slot by moving the last one into it; returns the owner whose slot changed.
    mutating func remove(slot: Int) -> UInt64? {
        let last = fds.count - 1
        if slot != last {
            fds[slot] = fds[last]
            realFDs[slot] = realFDs[last]
            owners[slot] = owners[last]
        }
        fds.removeLast()
        realFDs.removeLast()
        owners.removeLast()
        return slot != last ? owners[slot] : nil
    }

    /// Changes what a slot waits for. With no interest the descriptor is hidden from poll
    /// entirely (negative fd), so a hung-up peer cannot make poll spin.
    mutating func setInterest(_ interest: Interest, slot: Int) {
        fds[slot].events = interest.rawValue
        fds[slot].fd = interest.isEmpty ? -1 : realFDs[slot]
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and returns the ready slots' owners.
    mutating func wait(timeoutMilliseconds: Int32) -> [Ready] {
        let result = fds.withUnsafeMutableBufferPointer { buffer in
            poll(buffer.baseAddress, nfds_t(buffer.count), timeoutMilliseconds)
        }
        guard result > 0 else { return [] }
        var ready: [Ready] = []
        ready.reserveCapacity(Int(result))
        let readMask = Int16(POLLIN | POLLHUP | POLLERR)
        for index in fds.indices where fds[index].revents != 0 {
            let revents = fds[index].revents
            ready.append(Ready(owner: owners[index],
                               readable: revents & readMask != 0,
                               writable: revents & Int16(POLLOUT | POLLERR | POLLHUP) != 0,
                               invalid: revents & Int16(POLLNVAL) != 0))
            if ready.count == Int(result) { break }
        }
        return ready
    }
}
