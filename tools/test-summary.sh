#!/usr/bin/env bash
# Prints the totals of every JUnit report under */target/{surefire,failsafe}-reports, then how many
# tests were skipped for want of a server and the command that runs them. Run by the build (the
# last module, after its container tests) and by .ci/run.
cd "$(dirname "$0")/.."
shopt -s nullglob globstar
reports=(**/target/surefire-reports/TEST-*.xml **/target/failsafe-reports/TEST-*.xml)
total=0 failures=0 errors=0 skipped=0
printf '\n%-70s %6s %6s %6s %6s\n' "Test suite" tests fail error skip
for report in "${reports[@]}"; do
    line=$(grep -m 1 -o '<testsuite [^>]*>' "$report")
    get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$line"; }
    t=$(get tests) f=$(get failures) e=$(get errors) s=$(get skipped)
    name=$(basename "$report" .xml); name=${name#TEST-}
    printf '%-70s %6s %6s %6s %6s\n' "$name" "$t" "$f" "$e" "$s"
    total=$((total + t)) failures=$((failures + f)) errors=$((errors + e)) skipped=$((skipped + s))
done
printf '%-70s %6s %6s %6s %6s\n' "TOTAL" "$total" "$failures" "$errors" "$skipped"

# the skip messages of TestServers (unit tests) and ServerExam / assumeServers (container tests)
[ ${#reports[@]} -gt 0 ] || exit 0
no_server=$(grep -h '<skipped' "${reports[@]}" | grep -c 'no server to test against')
if [ "$no_server" -gt 0 ]; then
    variables=$(grep -h '<skipped' "${reports[@]}" | grep -o '[A-Z_][A-Z_, ]* \(is\|are\) not set: no server' \
        | sed 's/ \(is\|are\) not set: no server//' | tr ',' '\n' | tr -d ' ' | sort -u | paste -sd ' ')
    echo
    echo "$no_server of the $skipped skipped tests need a server that is not configured ($variables)."
    echo "To run them too: tools/test-all.sh (starts MariaDB and HBase as CI does, then runs the same tests)."
fi
