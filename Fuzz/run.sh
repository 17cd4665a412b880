#!/usr/bin/env bash
# Fuzzes what Billport reads from outside with libFuzzer: `bash Fuzz/run.sh TARGET…` (no target:
# every one; `make fuzz` runs them all). Targets are listed in the table below:
#
#   http-parser     the HTTP/1.1 request parser
#   logo            logo upload checks (PNG/JPEG headers), PNG decoding, scaling and re-encoding
#   truetype        the TrueType parser and subsetter
#   json-body       JSON request bodies into every tenant request type, then their validation
#   provider-event  raw webhook bodies through the Stripe event decoding and the event→ledger mapping
#   mime            mail messages built from fuzzed subjects, names, addresses, bodies, file names
#
# Each target compiles pure sources (no sockets, no SQLite) together with its
# Fuzz/<Name>Fuzz.swift into one module; the `import`s of other Billport modules in those sources
# resolve to empty stand-in modules (.build/fuzz/stubs). It is built into .build/fuzz/<target>
# with -sanitize=fuzzer,address, then runs for
# FUZZ_SECONDS (default 60) on a scratch copy of Fuzz/corpus/<target>, so the committed corpus
# never grows. Exits non-zero if the fuzzer finds a crash or a broken invariant; the input that
# caused it is kept in .build/fuzz/artifacts/<target>/.
#
# Environment: FUZZ_SECONDS (run time per target), FUZZ_RUNS (stop after this many inputs
# instead, when set), FUZZ_MAX_LEN (longest input, instead of the table's), SWIFTC (compiler,
# default swiftc on PATH), FUZZ_SANITIZERS (default fuzzer,address; fuzzer alone where ASan is
# unavailable or too slow), FUZZ_MERGE=1 (fold new coverage-increasing inputs back into
# Fuzz/corpus/<target>).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# ---- The targets: name → module, sources, entry file, largest input, dictionary. ----------------
# To add one: a line in each table (dict may be empty) and Fuzz/corpus/<name>/ with seeds.
targets=(http-parser logo truetype json-body provider-event mime)
declare -A module=(
    [http-parser]=HTTPParserFuzz
    [logo]=LogoFuzz
    [truetype]=TrueTypeFuzz
    [json-body]=JSONBodyFuzz
    [provider-event]=ProviderEventFuzz
    [mime]=MIMEFuzz
)
# Space-separated, relative to the repository; nothing here may import Glibc or Foundation.
declare -A sources=(
    [http-parser]="Sources/HTTPServer/HTTPRequestParser.swift Sources/HTTPServer/HTTPRequestParser+Head.swift
                   Sources/HTTPServer/HTTPParserError.swift Sources/HTTPServer/HTTPParserLimits.swift
                   Sources/HTTPServer/HTTPRequest.swift Sources/BillportCore/HTTPHeaders.swift Sources/HTTPServer/HTTPHeaders+Lists.swift
                   Sources/HTTPServer/HTTPMethod.swift Sources/HTTPServer/HTTPSyntax.swift"
    [logo]="Sources/PDF/ImageHeader.swift Sources/PDF/LogoPolicy.swift Sources/PDF/PDFImage.swift Sources/PDF/Inflate.swift
            Sources/PDF/PixelScaler.swift Sources/PDF/PNGEncoder.swift Sources/PDF/Deflate.swift
            Sources/PDF/DeflateBlockWriter.swift Sources/PDF/DeflateTables.swift Sources/PDF/Checksums.swift"
    [truetype]="Sources/PDF/TrueTypeFont.swift Sources/PDF/TrueTypeFont+Tables.swift Sources/PDF/TrueTypeSubset.swift"
    [json-body]="Sources/BillportCore/DecodingErrorText.swift Sources/BillportCore/DecodingRule.swift Sources/BillportCore/ISO8601.swift Sources/BillportCore/UTCDateParts.swift Sources/BillportCore/WallClock.swift
                 Sources/Billing/InvoiceDraft.swift Sources/Billing/Invoice.swift Sources/Billing/InvoiceMath.swift Sources/Billing/Currency.swift
                 Sources/Billing/SalesOrder.swift Sources/Billing/Email.swift Sources/Billing/Tenant.swift Sources/Billing/Payment.swift
                 Sources/Billing/CustomerStatement.swift Sources/Billing/CustomerPortalSettings.swift Sources/Billing/MoneyArithmetic.swift Sources/Payments/StripeSecretKey.swift
                 Sources/API/PaymentSettingsUpdate.swift"
    [provider-event]="Sources/BillportCore/DecodingErrorText.swift Sources/BillportCore/DecodingRule.swift Sources/BillportCore/ISO8601.swift Sources/BillportCore/UTCDateParts.swift Sources/BillportCore/WallClock.swift
                      Sources/Payments/ProviderEvent.swift Sources/Payments/StripeDecoding.swift Sources/Payments/CheckoutSession.swift
                      Sources/Payments/ChargeObject.swift Sources/Billing/Payment.swift Sources/Billing/Invoice.swift
                      Sources/Billing/Currency.swift Sources/Billing/InvoiceMath.swift Sources/Billing/MoneyArithmetic.swift
                      Sources/BillingJobs/PaymentEventMapping.swift"
    [mime]="Sources/Mail/MailMessage.swift Sources/Mail/MailMessage+Rendering.swift Sources/Mail/MIMEPart.swift
            Sources/Mail/HeaderWriter.swift Sources/Mail/HeaderWriter+Parameters.swift Sources/Mail/EncodedWord.swift
            Sources/Mail/QuotedPrintable.swift Sources/Mail/Base64Lines.swift Sources/Mail/MailAddress.swift Sources/Mail/MailError.swift
            Sources/Mail/RFC5322Date.swift Sources/BillportCore/UTCDateParts.swift Sources/Mail/RandomToken.swift"
)
declare -A max_len=(
    [http-parser]=4096
    [logo]=65536
    [truetype]=8192
    [json-body]=4096
    [provider-event]=4096
    [mime]=4096
)
declare -A dict=(
    [http-parser]=Fuzz/http-parser.dict
    [logo]=Fuzz/logo.dict
    [truetype]=Fuzz/truetype.dict
    [json-body]=Fuzz/json-body.dict
    [provider-event]=Fuzz/provider-event.dict
    [mime]=
)
# Billport modules that target sources import; compiled as empty stand-ins.
stub_modules=(BillportCore Billing Payments Queue Tokens HTTPServer)
# ---------------------------------------------------------------------------------------------

swiftc="${SWIFTC:-swiftc}"
seconds="${FUZZ_SECONDS:-60}"
sanitizers="${FUZZ_SANITIZERS:-fuzzer,address}"
out=.build/fuzz

chosen=("$@")
if [ "${#chosen[@]}" -eq 0 ]; then chosen=("${targets[@]}"); fi
for target in "${chosen[@]}"; do
    if [ -z "${module[$target]:-}" ]; then
        echo "fuzz: unknown target '$target' (known: ${targets[*]})" >&2
        exit 2
    fi
done

# Let libFuzzer handle a trap itself (report, save the input, exit non-zero) instead of the
# Swift runtime's backtracer, which would hold the crash for up to 30 s first.
export SWIFT_BACKTRACE=enable=no

corpora=()
trap 'rm -rf "${corpora[@]}"' EXIT

stubs() {
    mkdir -p "$out/stubs"
    : > "$out/stubs/empty.swift"
    for stub in "${stub_modules[@]}"; do
        [ -f "$out/stubs/$stub.swiftmodule" ] && continue
        "$swiftc" -emit-module -parse-as-library -module-name "$stub" "$out/stubs/empty.swift" -o "$out/stubs/$stub.swiftmodule"
    done
}

run_target() {
    local target="$1"
    local binary="$out/$target" artifacts="$out/artifacts/$target/"
    local files
    read -r -a files <<<"$(echo ${sources[$target]})"
    files+=("Fuzz/${module[$target]}.swift")

    mkdir -p "$out" "$artifacts"
    echo "fuzz[$target]: compiling $binary (-sanitize=$sanitizers)"
    local compile_log="$out/$target.compile.log"
    if ! "$swiftc" -sanitize="$sanitizers" -parse-as-library -O -g -swift-version 6 -I "$out/stubs" \
        -module-name "${module[$target]}" "${files[@]}" -o "$binary" 2>"$compile_log"; then
        cat "$compile_log" >&2
        return 1
    fi
    # gold warns once per ASan helper symbol ("Cannot export local symbol '__asan_..."); harmless.
    grep -v "Cannot export local symbol '__asan" "$compile_log" >&2 || true

    local corpus
    corpus="$(mktemp -d "${TMPDIR:-/tmp}/billport-fuzz-$target.XXXXXX")"
    corpora+=("$corpus")
    cp "Fuzz/corpus/$target"/* "$corpus/"

    local limit=(-max_total_time="$seconds")
    if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="$FUZZ_RUNS"); fi
    local dictionary=()
    if [ -n "${dict[$target]}" ]; then dictionary=(-dict="${dict[$target]}"); fi
    echo "fuzz[$target]: running ${limit[*]} on a copy of Fuzz/corpus/$target ($(ls "$corpus" | wc -l) inputs)"
    local status=0
    "$binary" "$corpus" \
        "${limit[@]}" \
        -max_len="${FUZZ_MAX_LEN:-${max_len[$target]}}" \
        -timeout=10 \
        -rss_limit_mb=2048 \
        "${dictionary[@]}" \
        -artifact_prefix="$artifacts" \
        -print_final_stats=1 || status=$?
    if [ "$status" -eq 0 ] && [ "${FUZZ_MERGE:-0}" = 1 ]; then
        "$binary" -merge=1 "Fuzz/corpus/$target" "$corpus" 2>/dev/null || true
    fi
    if [ "$status" -ne 0 ]; then
        echo "fuzz[$target]: FAILED (exit $status); reproduce with: $binary $artifacts<crash-file>" >&2
        return "$status"
    fi
    echo "fuzz[$target]: no crash"
}

mkdir -p "$out"
stubs
failed=0
for target in "${chosen[@]}"; do
    run_target "$target" || failed=1
done
exit "$failed"
