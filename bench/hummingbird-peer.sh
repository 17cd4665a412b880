#!/usr/bin/env bash
# Builds the Hummingbird 2 hello-world peer that `billport-bench --only http` measures Billport's
# HTTP server against, and prints the peer binary's absolute path as the last line of stdout.
#
#   bench/hummingbird-peer.sh            # -> /tmp/billport-hummingbird-peer/.build/release/billport-hummingbird-peer
#   "$(bench/hummingbird-peer.sh | tail -n1)" 8081   # answers GET http://127.0.0.1:8081/healthz with "ok"
#
# The peer is a yardstick only. It lives in a scratch package OUTSIDE the repository
# (${BILLPORT_PEER_DIR:-/tmp/billport-hummingbird-peer}) and must never become a dependency of
# Billport's Package.swift. Build output goes to stderr; the build is skipped while the binary is
# newer than this script. SwiftPM resolves https://github.com/... through git, so a local mirror
# (git config url.<mirror>.insteadOf https://github.com/) makes it work offline.
set -euo pipefail

script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
repository="$(cd "$(dirname "$script")/.." && pwd -P)"
peer_dir="${BILLPORT_PEER_DIR:-/tmp/billport-hummingbird-peer}"
swift="${SWIFT:-swift}"

peer_dir="$(realpath -m "$peer_dir")"
case "$peer_dir/" in
    "$repository"/*)
        echo "hummingbird-peer.sh: BILLPORT_PEER_DIR ($peer_dir) must be outside the repository ($repository)" >&2
        exit 2 ;;
esac
mkdir -p "$peer_dir/Sources/billport-hummingbird-peer"
binary="$peer_dir/.build/release/billport-hummingbird-peer"

# Writes stdin to $1 only when the content differs (keeps SwiftPM's incremental build valid).
write_if_changed() {
    local target="$1" temporary
    temporary="$(mktemp)"
    cat > "$temporary"
    if cmp -s "$temporary" "$target"; then rm -f "$temporary"; else mv "$temporary" "$target"; fi
}

write_if_changed "$peer_dir/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
// Billport's HTTP benchmark yardstick: a Hummingbird 2 hello-world (written by bench/hummingbird-peer.sh).
import PackageDescription

let package = Package(
    name: "billport-hummingbird-peer",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(
            name: "billport-hummingbird-peer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
SWIFT

write_if_changed "$peer_dir/Sources/billport-hummingbird-peer/main.swift" <<'SWIFT'
// billport-hummingbird-peer PORT: answers GET /healthz with "ok" on 127.0.0.1:PORT until SIGTERM/SIGINT.
import Foundation
import Hummingbird
import Logging

let arguments = CommandLine.arguments
guard arguments.count == 2, let port = Int(arguments[1]), (1...65535).contains(port) else {
    FileHandle.standardError.write(Data("usage: billport-hummingbird-peer PORT\n".utf8))
    exit(64)
}
var logger = Logger(label: "billport-hummingbird-peer")
logger.logLevel = .warning
let router = Router()
router.get("healthz") { _, _ in "ok" }
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port)),
    logger: logger
)
try await app.runService()
SWIFT

if [ ! -x "$binary" ] || [ ! "$binary" -nt "$script" ]; then
    echo "hummingbird-peer.sh: building the Hummingbird peer in $peer_dir (the first build takes several minutes)" >&2
    (cd "$peer_dir" && "$swift" build -c release --product billport-hummingbird-peer) >&2
    touch "$binary"  # an up-to-date no-op build leaves the old mtime; mark it newer than the script
fi
echo "$binary"
