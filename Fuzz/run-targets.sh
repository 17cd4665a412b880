#!/usr/bin/env bash
# Fuzzes the decoders and builders that take outside input with libFuzzer:
#   bash Fuzz/run-targets.sh [TARGET…]     (default: every target below)
#
#   json-body       JSON request bodies into every tenant request type, then their validation
#   provider-event  raw webhook bodies through the Stripe event decoding and the event→ledger mapping
#   mime            mail messages built from fuzzed subjects, names, addresses, bodies, file names
#
# Each target compiles the pure sources it needs (no sockets, no SQLite) with its entry point in
# Fuzz/ into .build/fuzz/<target> with -sanitize=fuzzer,address. The `import`s of those sources
# resolve to empty stand-in modules (.build/fuzz/stubs), since every file is compiled into the
# one fuzz module. It then runs for FUZZ_SECONDS (default 60) on a scratch copy of
# Fuzz/corpus/<target>, so the committed corpus never grows, and prints libFuzzer's final stats
# (`stat::number_of_executed_units` is the run count). Exits non-zero on the first crash or
# broken invariant; the input is kept in .build/fuzz/artifacts/<target>/.
#
# Environment: FUZZ_SECONDS (run time per target), FUZZ_RUNS (a run count instead of a time), FUZZ_MAX_LEN
# (longest input, default 4096),
# SWIFTC (compiler, default swiftc on PATH), FUZZ_SANITIZERS (default fuzzer,address),
# FUZZ_MERGE=1 (fold new coverage-increasing inputs back into Fuzz/corpus/<target>).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

swiftc="${SWIFTC:-swiftc}"
seconds="${FUZZ_SECONDS:-60}"
sanitizers="${FUZZ_SANITIZERS:-fuzzer,address}"
out=.build/fuzz

# The sources of each target (entry point last) and the modules their imports name.
sources_json_body=(
    Sources/BillportCore/DecodingErrorText.swift Sources/BillportCore/ISO8601.swift Sources/BillportCore/WallClock.swift
    Sources/Portal/InvoiceDraft.swift Sources/Portal/Invoice.swift Sources/Portal/InvoiceMath.swift Sources/Portal/Currency.swift
    Sources/Portal/SalesOrder.swift Sources/Portal/Email.swift Sources/Portal/Tenant.swift Sources/Portal/Payment.swift
    Sources/Portal/PortalStatement.swift Sources/Payments/StripeSecretKey.swift Sources/API/PaymentSettingsUpdate.swift
    Fuzz/JSONBodyFuzz.swift
)
sources_provider_event=(
    Sources/BillportCore/DecodingErrorText.swift
    Sources/Payments/ProviderEvent.swift Sources/Payments/StripeDecoding.swift Sources/Payments/CheckoutSession.swift
    Sources/Payments/ChargeObject.swift Sources/Portal/Payment.swift Sources/Portal/Invoice.swift Sources/Portal/Currency.swift
    Sources/Portal/InvoiceMath.swift Sources/BillportCore/ISO8601.swift Sources/BillportCore/WallClock.swift
    "$out/gen/PaymentEventMapping.swift"
    Fuzz/ProviderEventFuzz.swift
)
sources_mime=(
    Sources/Mail/MailMessage.swift Sources/Mail/MailMessage+Rendering.swift Sources/Mail/MIMEPart.swift
    Sources/Mail/HeaderWriter.swift Sources/Mail/HeaderWriter+Parameters.swift Sources/Mail/EncodedWord.swift
    Sources/Mail/QuotedPrintable.swift Sources/Mail/Base64Lines.swift Sources/Mail/MailAddress.swift Sources/Mail/MailError.swift
    Sources/Mail/RFC5322Date.swift Sources/Mail/RandomToken.swift
    Fuzz/MIMEFuzz.swift
)
stub_modules=(BillportCore Portal Payments Queue Tokens HTTPServer)
all_targets=(json-body provider-event mime)

# `PaymentEventMapping` (pure) shares Sources/Worker/PaymentHandlers.swift with the job handler
# (which needs the database); the target compiles the part before the handler.
generate() {
    mkdir -p "$out/gen"
    local file=Sources/Worker/PaymentHandlers.swift
    grep -q '^extension JobHandlers' "$file" || { echo "fuzz: $file no longer has 'extension JobHandlers'" >&2; exit 1; }
    sed '/^extension JobHandlers/,$d' "$file" > "$out/gen/PaymentEventMapping.swift"
}

stubs() {
    mkdir -p "$out/stubs"
    : > "$out/stubs/empty.swift"
    for module in "${stub_modules[@]}"; do
        [ -f "$out/stubs/$module.swiftmodule" ] && continue
        "$swiftc" -emit-module -parse-as-library -module-name "$module" "$out/stubs/empty.swift" -o "$out/stubs/$module.swiftmodule"
    done
}

run_target() {
    local target=$1
    local name=${target//-/_}
    local -n sources="sources_$name"
    local binary="$out/$target" artifacts="$out/artifacts/$target/"
    mkdir -p "$artifacts"
    echo "fuzz[$target]: compiling $binary (-sanitize=$sanitizers)"
    local compile_log="$out/compile-$target.log"
    if ! "$swiftc" -sanitize="$sanitizers" -parse-as-library -O -g -swift-version 6 -I "$out/stubs" \
        -module-name "Fuzz_$name" "${sources[@]}" -o "$binary" 2>"$compile_log"; then
        cat "$compile_log" >&2
        exit 1
    fi
    # gold warns once per ASan helper symbol ("Cannot export local symbol '__asan_..."); harmless.
    grep -v "Cannot export local symbol '__asan" "$compile_log" >&2 || true

    local corpus
    corpus="$(mktemp -d "${TMPDIR:-/tmp}/billport-fuzz-$target.XXXXXX")"
    cp "Fuzz/corpus/$target"/* "$corpus/"
    local limit=(-max_total_time="$seconds")
    [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
    local dict=()
    [ -f "Fuzz/$target.dict" ] && dict=(-dict="Fuzz/$target.dict")
    echo "fuzz[$target]: running ${FUZZ_RUNS:+$FUZZ_RUNS runs}${FUZZ_RUNS:-${seconds}s} on a copy of Fuzz/corpus/$target ($(ls "$corpus" | wc -l) inputs)"
    local status=0
    "$binary" "$corpus" "${limit[@]}" "${dict[@]}" \
        -max_len="${FUZZ_MAX_LEN:-4096}" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts" -print_final_stats=1 || status=$?
    if [ "$status" -eq 0 ] && [ "${FUZZ_MERGE:-0}" = 1 ]; then
        "$binary" -merge=1 "Fuzz/corpus/$target" "$corpus" 2>/dev/null || true
    fi
    rm -rf "$corpus"
    if [ "$status" -ne 0 ]; then
        echo "fuzz[$target]: FAILED (exit $status); reproduce with: $binary $artifacts<crash-file>" >&2
        exit "$status"
    fi
    echo "fuzz[$target]: no crash"
}

# Let libFuzzer handle a trap itself (report, save the input, exit non-zero) instead of the
# Swift runtime's backtracer, which would hold the crash for up to 30 s first.
export SWIFT_BACKTRACE=enable=no

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
generate
stubs
for target in "${targets[@]}"; do
    case " ${all_targets[*]} " in *" $target "*) run_target "$target" ;; *) echo "fuzz: unknown target $target (${all_targets[*]})" >&2; exit 2 ;; esac
done
