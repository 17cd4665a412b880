// MARK: - Who gets a connection slot, and how long an idle one may keep it (loop thread only)

extension EventLoop {
    /// Why a connection from `address` is refused a slot, or nil when it may be served:
    /// over the server's cap, or over the cap for one peer address (so a single client
    /// cannot take every slot).
    func admissionRefusal(for address: String) -> String? {
        if servedCount >= configuration.maxConnections {
            return "connection limit \(configuration.maxConnections) reached"
        }
        if connectionsByAddress[address, default: 0] >= configuration.maxConnectionsPerAddress {
            return "connection limit per address \(configuration.maxConnectionsPerAddress) reached"
        }
        return nil
    }

    /// Counts a newly served connection.
    func admitted(_ connection: Connection, now: ContinuousClock.Instant) {
        servedCount += 1
        connectionsByAddress[connection.remoteAddress, default: 0] += 1
        updateNearCapacity(now: now)
    }

    /// Forgets a closed served connection.
    func released(_ connection: Connection) {
        servedCount -= 1
        let address = connection.remoteAddress
        if let count = connectionsByAddress[address], count > 1 {
            connectionsByAddress[address] = count - 1
        } else {
            connectionsByAddress[address] = nil
        }
        updateNearCapacity(now: clock.now)
    }

    /// Enters the near-capacity state at the band's upper edge and leaves it below the lower
    /// one; on each change every connection's timeouts hear of it, so idle ones waiting for
    /// a request are closed after the shorter allowance (at once if they already waited it).
    private func updateNearCapacity(now: ContinuousClock.Instant) {
        let band = configuration.nearCapacityBand
        let next = nearCapacity ? servedCount >= band.leave : servedCount >= band.enter
        guard next != nearCapacity else { return }
        nearCapacity = next
        log(next ? "\(servedCount) connections: near capacity, idle connections get \(configuration.nearCapacityIdleTimeout)"
                 : "\(servedCount) connections: no longer near capacity")
        for connection in connections.values where !connection.isRejected {
            apply(connection.timeouts.capacityChanged(nearCapacity: next, now: now), to: connection, now: now)
        }
    }

    /// Raises the published peak of bytes one connection held, when this one holds more.
    func recordHeldBytes(of connection: Connection) {
        let held = connection.heldBytes
        guard held > peakHeldBytes else { return }
        peakHeldBytes = held
        statistics.withLock { $0.peakBytesHeldByOneConnection = held }
    }
}
