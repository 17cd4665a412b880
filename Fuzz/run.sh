#!/usr/bin/env bash
# Fuzzes the HTTP/1.1 request parser with libFuzzer: `bash Fuzz/run.sh` (or `make fuzz`).
#
# Compiles the pure parser sources of Sources/HTTPServer (no sockets, no event loop) and
# Fuzz/HTTPParserFuzz.swift into .build/fuzz/http-parser with -sanitize=fuzzer,address, then
# runs it for FUZZ_SECONDS (default 60) on a scratch copy of Fuzz/corpus/http-parser, so the
# committed corpus never grows. Exits non-zero if the fuzzer finds a crash or a broken
# invariant; the input that caused it is kept in .build/fuzz/artifacts/.
#
# Environment: FUZZ_SECONDS (run time), SWIFTC (compiler, default swiftc on PATH),
# FUZZ_SANITIZERS (default fuzzer,address; fuzzer alone where ASan is unavailable).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

swiftc="${SWIFTC:-swiftc}"
seconds="${FUZZ_SECONDS:-60}"
sanitizers="${FUZZ_SANITIZERS:-fuzzer,address}"
out=.build/fuzz
binary="$out/http-parser"
artifacts="$out/artifacts/"

# The parser and the value types it builds; nothing here may import Glibc or Foundation.
parser_sources=(
    HTTPRequestParser.swift
    HTTPRequestParser+Head.swift
    HTTPParserError.swift
    HTTPParserLimits.swift
    HTTPRequest.swift
    HTTPHeaders.swift
    HTTPMethod.swift
    HTTPSyntax.swift
)
sources=()
for file in "${parser_sources[@]}"; do sources+=("Sources/HTTPServer/$file"); done
sources+=(Fuzz/HTTPParserFuzz.swift)

mkdir -p "$out" "$artifacts"
echo "fuzz: compiling $binary (-sanitize=$sanitizers)"
compile_log="$out/compile.log"
if ! "$swiftc" -sanitize="$sanitizers" -parse-as-library -O -g -swift-version 6 \
    -module-name HTTPParserFuzz "${sources[@]}" -o "$binary" 2>"$compile_log"; then
    cat "$compile_log" >&2
    exit 1
fi
# gold warns once per ASan helper symbol ("Cannot export local symbol '__asan_..."); harmless.
grep -v "Cannot export local symbol '__asan" "$compile_log" >&2 || true

# Let libFuzzer handle a trap itself (report, save the input, exit non-zero) instead of the
# Swift runtime's backtracer, which would hold the crash for up to 30 s first.
export SWIFT_BACKTRACE=enable=no

corpus="$(mktemp -d "${TMPDIR:-/tmp}/billport-fuzz-corpus.XXXXXX")"
trap 'rm -rf "$corpus"' EXIT
cp Fuzz/corpus/http-parser/* "$corpus/"

echo "fuzz: running for ${seconds}s on a copy of Fuzz/corpus/http-parser ($(ls "$corpus" | wc -l) inputs)"
status=0
"$binary" "$corpus" \
    -max_total_time="$seconds" \
    -max_len=4096 \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -dict=Fuzz/http-parser.dict \
    -artifact_prefix="$artifacts" \
    -print_final_stats=1 || status=$?

if [ "$status" -ne 0 ]; then
    echo "fuzz: FAILED (exit $status); reproduce with: $binary $artifacts<crash-file>" >&2
    exit "$status"
fi
echo "fuzz: no crash in ${seconds}s"
