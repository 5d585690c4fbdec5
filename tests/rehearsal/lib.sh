# shellcheck shell=bash
# Shared by the rehearsal stand-ins (tests/rehearsal/bin/*) and the action
# stubs (tests/rehearsal/action.sh). Sourced, never run.
#
# Environment (passed to every step by act --env):
#   REHEARSAL_DIR   the scenario's state: record.jsonl, origin.git, artifacts/,
#                   registry/, gh/ (releases)
#   REHEARSAL_FAIL  failure injection: `;`-separated NAME:TEXT entries; a tool
#                   or action called NAME fails when TEXT occurs in its argv
#                   (tools) or its inputs as compact JSON (actions), followed
#                   by ` [job=GITHUB_JOB]`; TEXT may be several `&&`-separated
#                   parts, which must all occur
#   REHEARSAL_BIN   the directory of the stand-ins (first on PATH)

: "${REHEARSAL_DIR:?REHEARSAL_DIR is not set: the rehearsal passes it with act --env}"

# record JSON: appends one JSON object (a line) to record.jsonl, under a lock.
record() {
    local line=$1
    (
        flock 9
        printf '%s\n' "$line" >>"$REHEARSAL_DIR/record.jsonl"
    ) 9>>"$REHEARSAL_DIR/record.lock"
}

# secrets_seen: how many variables of the environment hold the fake value of
# a spec secret (`rehearsal-secret-NAME`, act -s): a step that was given no
# secret sees none.
secrets_seen() {
    env | grep -c 'rehearsal-secret-' || true
}

# oidc_seen: true when the step could request an OIDC token (the variables
# GitHub sets in a job granted `id-token: write`), else false.
oidc_seen() {
    if [[ -n ${ACTIONS_ID_TOKEN_REQUEST_URL:-}${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-} ]]; then echo true; else echo false; fi
}

# record_tool NAME ARGS...: records a stand-in's invocation.
record_tool() {
    local name=$1 extra=${REHEARSAL_EXTRA:-null}
    shift
    record "$(jq -cn --arg tool "$name" --arg cwd "$PWD" --arg job "${GITHUB_JOB:-}" \
        --argjson extra "$extra" --argjson secrets "$(secrets_seen)" --argjson oidc "$(oidc_seen)" \
        '{kind: "tool", tool: $tool, job: $job, cwd: $cwd, argv: $ARGS.positional, extra: $extra, secrets_seen: $secrets, oidc: $oidc}' --args -- "$@")"
}

# should_fail NAME TEXT: true when REHEARSAL_FAIL asks NAME to fail on TEXT
# (with ` [job=GITHUB_JOB]` after it): an entry NAME:PART[&&PART...] whose
# every part occurs in it.
should_fail() {
    local name=$1 text="$2 [job=${GITHUB_JOB:-}]" entry part entries=()
    # Split without pathname expansion: `[job=...]` is no glob.
    IFS=';' read -r -a entries <<<"${REHEARSAL_FAIL:-}"
    for entry in "${entries[@]}"; do
        [[ -n $entry && ${entry%%:*} == "$name" ]] || continue
        entry=${entry#*:}
        while :; do
            part=${entry%%&&*}
            [[ $text == *"$part"* ]] || continue 2
            [[ $entry == *"&&"* ]] || return 0
            entry=${entry#*&&}
        done
    done
    return 1
}

# fail_injected NAME: the message of an injected failure, then exit 1.
# The failure is also recorded: act has been seen to lose a step's output.
fail_injected() {
    record "$(jq -cn --arg tool "$1" --arg job "${GITHUB_JOB:-}" '{kind: "injected", tool: $tool, job: $job}')"
    echo "::error title=Rehearsal::injected failure of $1 (REHEARSAL_FAIL=$REHEARSAL_FAIL)" >&2
    exit 1
}

# new_digest: a fresh sha256:<64 hex> (distinct on every call).
new_digest() {
    local n
    n=$(
        {
            flock 9
            n=$(($(cat "$REHEARSAL_DIR/digest.counter" 2>/dev/null || echo 0) + 1))
            echo "$n" >"$REHEARSAL_DIR/digest.counter"
            echo "$n"
        } 9>>"$REHEARSAL_DIR/record.lock"
    )
    printf 'sha256:%s\n' "$(printf 'rehearsal-digest %s %s %s' "$REHEARSAL_DIR" "$n" "$*" | sha256sum | cut -d' ' -f1)"
}

# stable_digest TEXT: sha256:<64 hex> of TEXT (the same for the same TEXT).
stable_digest() {
    printf 'sha256:%s\n' "$(printf '%s' "$*" | sha256sum | cut -d' ' -f1)"
}

# toml_value FILE SECTION KEY: the string value of KEY in [SECTION] of a
# simple TOML file (one `key = "value"` a line), or nothing.
toml_value() {
    awk -v section="[$2]" -v key="$3" '
        /^\[/ { in_section = ($0 == section); next }
        in_section && $1 == key && $2 == "=" {
            value = $0
            sub(/^[^=]*=[ \t]*"/, "", value)
            sub(/".*$/, "", value)
            print value
            exit
        }' "$1" 2>/dev/null
}

# real_tool NAME: the first NAME on PATH that is not a stand-in.
real_tool() {
    local dir
    local IFS=:
    for dir in $PATH; do
        [[ $dir == "${REHEARSAL_BIN:-/nonexistent}" ]] && continue
        if [[ -x $dir/$1 && ! -d $dir/$1 ]]; then
            echo "$dir/$1"
            return 0
        fi
    done
    return 1
}

# pybuild ARGS...: tests/rehearsal/pybuild.py with the real python3 (the
# wheels and sdists, named and versioned as the real tools do; see its
# docstring).
pybuild() {
    local py
    py=$(real_tool python3) || { echo "rehearsal: no real python3 on PATH" >&2; return 127; }
    "$py" "$(dirname "${BASH_SOURCE[0]}")/pybuild.py" "$@"
}

# chart_field KEY < Chart.yaml: the value of a top-level scalar KEY of a
# Chart.yaml (quotes and a trailing comment dropped), or nothing.
chart_field() {
    local py
    py=$(real_tool python3) || { echo "rehearsal: no real python3 on PATH" >&2; return 127; }
    "$py" -c '
import re, sys
key = sys.argv[1]
for line in sys.stdin:
    m = re.match(r"^" + re.escape(key) + r":[ \t]*(.*?)[ \t]*$", line.rstrip("\n"))
    if not m:
        continue
    v = m.group(1)
    if v[:1] in ("\"", "\x27"):
        q = v[0]
        end = v.find(q, 1)
        v = v[1:end] if end > 0 else v[1:]
        if q == "\"":
            v = v.replace("\\\"", "\"")
    else:
        v = re.sub(r"[ \t]+#.*$", "", v)
    print(v)
    break
' "$1"
}

# write_wheels OUTDIR DIR TARGET MANYLINUX ARGS: writes the wheels maturin
# would build for the project in DIR (one per --interpreter, or abi3; one
# py3-none wheel for `bindings = "bin"` in pyproject.toml's [tool.maturin]).
write_wheels() {
    pybuild maturin-wheels "$@"
}

# write_pure_wheel TOOL OUTDIR DIR: the py3-none-any wheel of the Python
# project in DIR, built by TOOL (maturin, poetry, pep517).
write_pure_wheel() {
    pybuild wheel "$@"
}

# write_sdist TOOL OUTDIR DIR: the sdist of the Python project in DIR, built
# by TOOL (maturin, poetry, pep517).
write_sdist() {
    pybuild sdist "$@"
}
