// MARK: - Accepting, reading, answering and closing connections (loop thread only)

extension EventLoop {
    /// Rejected connections kept at once while their 503 is written; beyond it, extra
    /// connections are closed without an answer.
    static let maxRejectedConnections = 64

    func acceptConnections(now: ContinuousClock.Instant) {
        guard listenSlot != nil else { return }
        for _ in 0..<64 {
            switch Socket.accept(listener: listenFD) {
            case .wouldBlock:
                return
            case .skipped:
                continue
            case .exhausted(let message):
                // Out of descriptors: the listener stays readable, so pause it briefly
                // instead of spinning.
                log("accept failed: \(message); pausing accepts for 100 ms")
                listenPausedUntil = now.advanced(by: .milliseconds(100))
                if let slot = listenSlot { pollSet.setInterest([], slot: slot) }
                return
            case .accepted(let fd, let address):
                let refusal = admissionRefusal(for: address)
                if refusal != nil && rejectedCount >= Self.maxRejectedConnections {
                    Socket.close(fd)
                    continue
                }
                addConnection(fd: fd, address: address, refusal: refusal, now: now)
            }
        }
    }

    private func addConnection(fd: Int32, address: String, refusal: String?, now: ContinuousClock.Instant) {
        let id = nextID
        nextID += 1
        let slot = pollSet.add(fd: fd, interest: [], owner: id)
        var timeouts = ConnectionTimeouts(limits: configuration.timeoutLimits, now: now)
        _ = timeouts.capacityChanged(nearCapacity: nearCapacity, now: now)
        let connection = Connection(
            id: id, fd: fd, remoteAddress: address, isRejected: refusal != nil, slot: slot,
            budget: configuration.connectionBudget, limits: configuration.limits, timeouts: timeouts)
        connections[id] = connection
        if let refusal {
            rejectedCount += 1
            log("\(refusal); answering 503 to \(address)")
            connection.enqueue(.refuse(status: 503))
            connection.parsingStopped = true
        } else {
            admitted(connection, now: now)
        }
        apply(connection.timeouts.start(), to: connection, now: now)
        dispatch(connection, now: now)
    }

    func handleReadable(_ connection: Connection, now: ContinuousClock.Instant) {
        if connection.lingering {
            discardInput(connection)
            return
        }
        guard connection.interest.contains(.read) else { return }
        var reads = 0
        reading: while reads < 4 {
            switch Socket.read(connection.fd, into: readBuffer) {
            case .bytes(let count):
                connection.parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                reads += 1
                if count < readBuffer.count || !connection.budget.mayRead(buffered: connection.bufferedInputBytes) {
                    break reading
                }
            case .wouldBlock:
                break reading
            case .closed:
                connection.peerClosed = true
                break reading
            case .failed:
                close(connection)
                return
            }
        }
        recordHeldBytes(of: connection)
        pump(connection, now: now)
    }

    /// While lingering, input is read and dropped until the peer's FIN.
    private func discardInput(_ connection: Connection) {
        while true {
            switch Socket.read(connection.fd, into: readBuffer) {
            case .bytes: continue
            case .wouldBlock: return
            case .closed, .failed: close(connection); return
            }
        }
    }

    /// Parses queued input into work, as far as the work queue allows, then answers.
    func pump(_ connection: Connection, now: ContinuousClock.Instant) {
        while !connection.parsingStopped && connection.mayQueueWork {
            let event: HTTPRequestParser.Event?
            do {
                event = try connection.parser.next()
            } catch {
                log("refusing request from \(connection.remoteAddress): \(error) (\(error.status))")
                connection.enqueue(.refuse(status: error.status))
                connection.parsingStopped = true
                break
            }
            guard let event else { break }
            switch event {
            case .headComplete(let expectsContinue):
                if expectsContinue { connection.enqueue(.sendContinue) }
            case .request(var request):
                request.remoteAddress = connection.remoteAddress
                // RFC 9112 §9.6: nothing after a request with `Connection: close` is processed.
                if !request.keepAlive { connection.parsingStopped = true }
                apply(connection.timeouts.requestReceived(now: now), to: connection, now: now)
                connection.enqueue(.request(request))
            }
        }
        apply(connection.timeouts.readPhaseChanged(to: connection.parser.phase, now: now), to: connection, now: now)
        dispatch(connection, now: now)
    }

    /// Answers queued work in order until a handler has to run or the output backs up
    /// (back-pressure: nothing more is produced for a peer that is not reading), then writes.
    func dispatch(_ connection: Connection, now: ContinuousClock.Instant) {
        working: while connection.responding == nil && !connection.closeAfterOutput && !connection.work.isEmpty
                        && !connection.isOutputBackedUp {
            switch connection.dequeue() {
            case .sendContinue:
                connection.output.append(contentsOf: ResponseEncoder.continueBytes)
                apply(connection.timeouts.continueSent(now: now), to: connection, now: now)
            case .refuse(let status):
                encoder.encodeRefusal(status: status, into: &connection.output)
                connection.closeAfterOutput = true
                connection.clearWork()
            case .request(let request):
                connection.responding = ResponseEncoder.Context(
                    method: request.method, version: request.version, keepAlive: request.keepAlive)
                let id = connection.id
                let handler = self.handler
                connection.handlerTask = Task(executorPreference: self) { [self] in
                    let response = await handler(request)
                    post(.response(connection: id, response))
                }
                break working
            }
        }
        flush(connection, now: now)
    }

    /// A partial request ran out of time: `408 Request Timeout`, then the usual closing path
    /// (write, half-close, linger). The timeout machine already counts it as in flight.
    func answerRequestTimeout(_ connection: Connection, now: ContinuousClock.Instant) {
        guard !connection.closeAfterOutput else {
            // A closing response is already queued; it is the last word.
            close(connection)
            return
        }
        connection.parsingStopped = true
        connection.clearWork()
        encoder.encodeRefusal(status: 408, into: &connection.output)
        connection.closeAfterOutput = true
        connection.responsesInOutput += 1
        flush(connection, now: now)
    }

    /// A handler finished: encode its response, then carry on with the queue.
    func deliver(_ response: HTTPResponse, to connection: Connection, now: ContinuousClock.Instant) {
        guard let context = connection.responding else { return }
        connection.responding = nil
        connection.handlerTask = nil
        let forceClose = connection.timeouts.closeAfterResponse || drainDeadline != nil
        if encoder.encode(response, for: context, forceClose: forceClose, into: &connection.output) {
            connection.closeAfterOutput = true
            connection.parsingStopped = true
            connection.clearWork()
        }
        connection.responsesInOutput += 1
        pump(connection, now: now)
    }

    /// Writes as much output as the socket takes, then decides what comes next.
    func flush(_ connection: Connection, now: ContinuousClock.Instant) {
        recordHeldBytes(of: connection)
        // Backed up before this write (flag or mark), so dispatching stopped for this
        // connection and must be taken up again once it drains.
        let wasBackedUp = connection.isOutputBackedUp
        if connection.hasPendingOutput {
            var written = 0
            writing: while connection.hasPendingOutput {
                let result = connection.output.withUnsafeBytes { bytes in
                    Socket.write(connection.fd, UnsafeRawBufferPointer(rebasing: bytes[connection.outputOffset...]))
                }
                switch result {
                case .bytes(0), .wouldBlock:
                    break writing
                case .bytes(let count):
                    connection.outputOffset += count
                    written += count
                case .closed, .failed:
                    close(connection)
                    return
                }
            }
            apply(connection.timeouts.wrote(pendingBytes: connection.unsentByteCount, writtenBytes: written, now: now),
                  to: connection, now: now)
            guard connections[connection.id] != nil else { return }
            let drained = !connection.hasPendingOutput
            connection.compactOutput()
            if drained {
                for _ in 0..<connection.responsesInOutput {
                    apply(connection.timeouts.responseWritten(now: now), to: connection, now: now)
                }
                connection.responsesInOutput = 0
            }
        }
        connection.outputBackedUp = connection.budget.outputBackedUp(
            unsent: connection.unsentByteCount, wasBackedUp: wasBackedUp)
        if wasBackedUp && !connection.outputBackedUp && !connection.lingering {
            // Drained to the low-water mark: take up the pipelined requests again.
            pump(connection, now: now)
            return
        }
        if !connection.hasPendingOutput {
            if connection.closeAfterOutput && !connection.lingering {
                startLingering(connection, now: now)
                return
            }
            if connection.peerClosed && connection.responding == nil && connection.work.isEmpty {
                close(connection)
                return
            }
            if drainDeadline != nil && connection.isQuiet && !connection.lingering {
                close(connection)
                return
            }
        }
        pollSet.setInterest(connection.interest, slot: connection.slot)
    }

    /// Half-closes after a closing response and waits for the peer's FIN (RFC 9112 §9.6).
    private func startLingering(_ connection: Connection, now: ContinuousClock.Instant) {
        Socket.shutdownWrite(connection.fd)
        connection.lingering = true
        if connection.peerClosed {
            close(connection)
            return
        }
        apply(connection.timeouts.lingerStarted(now: now), to: connection, now: now)
        pollSet.setInterest(connection.interest, slot: connection.slot)
    }

    /// Closes the descriptor and forgets the connection; a running handler is cancelled and
    /// its late response dropped.
    func close(_ connection: Connection) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        removeSlot(connection.slot)
        Socket.close(connection.fd)
        connection.handlerTask?.cancel()
        connection.handlerTask = nil
        if connection.isRejected { rejectedCount -= 1 } else { released(connection) }
    }
}
