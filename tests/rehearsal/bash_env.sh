# shellcheck shell=bash
# BASH_ENV of every step of the rehearsal (act --env BASH_ENV=...): bash
# reads it before each `bash -e {0}` step script, and before every bash
# script those start (stand-ins, stubs, repository scripts). A command that
# is neither a stand-in nor a host tool (tests/rehearsal/tools.tsv) is
# recorded as {"kind":"missing-tool","tool":...,"job":...} and fails with
# status 127, as a missing command does; the scenario then fails naming it.
# Sourced, never run; no other command runs here, so that a missing one
# cannot recurse.

command_not_found_handle() {
    local tool=${1//\\/\\\\} job=${GITHUB_JOB:-}
    tool=${tool//\"/\\\"}
    job=${job//\\/\\\\}
    job=${job//\"/\\\"}
    if [[ -n ${REHEARSAL_DIR:-} ]]; then
        printf '{"kind":"missing-tool","tool":"%s","job":"%s"}\n' "$tool" "$job" >>"$REHEARSAL_DIR/record.jsonl"
    fi
    printf '::error title=Rehearsal::%s: command not found: it has no stand-in (add it to tests/rehearsal/tools.tsv)\n' "$1" >&2
    return 127
}
