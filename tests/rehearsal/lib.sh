# Shared by the rehearsal stand-ins (tests/rehearsal/bin/*) and the action
# stubs (tests/rehearsal/action.sh). Sourced, never run.
#
# Environment (passed to every step by act --env):
#   REHEARSAL_DIR   the scenario's state: record.jsonl, origin.git, artifacts/,
#                   registry/, gh/ (releases)
#   REHEARSAL_FAIL  failure injection: `;`-separated NAME:TEXT entries; a tool
#                   or action called NAME fails when TEXT occurs in its argv
#                   (tools) or its inputs as compact JSON (actions)
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

# should_fail NAME TEXT: true when REHEARSAL_FAIL asks NAME to fail on TEXT.
should_fail() {
    local name=$1 text=$2 entry
    local IFS=';'
    for entry in ${REHEARSAL_FAIL:-}; do
        [[ -n $entry ]] || continue
        if [[ ${entry%%:*} == "$name" && $text == *"${entry#*:}"* ]]; then
            return 0
        fi
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

# python_dist_name NAME: the distribution file name prefix (PEP 427/625).
python_dist_name() {
    local name=${1,,}
    name=${name//-/_}
    name=${name//./_}
    echo "$name"
}

# project_meta DIR: prints "NAME VERSION" of the Python project in DIR
# (pyproject.toml [project], else [tool.poetry]; the version from Cargo.toml
# when dynamic).
project_meta() {
    local dir=$1 name version
    name=$(toml_value "$dir/pyproject.toml" project name)
    version=$(toml_value "$dir/pyproject.toml" project version)
    [[ -n $name ]] || name=$(toml_value "$dir/pyproject.toml" tool.poetry name)
    [[ -n $version ]] || version=$(toml_value "$dir/pyproject.toml" tool.poetry version)
    if [[ -z $version && -f $dir/Cargo.toml ]]; then
        version=$(toml_value "$dir/Cargo.toml" package version)
    fi
    [[ -n $name ]] || name=$(basename "$(cd "$dir" && pwd)")
    [[ -n $version ]] || version=0.0.0
    echo "$name $version"
}

# dist_meta DIR: prints "NAME VERSION" of the Python project in DIR as its
# distribution files spell them (the file name prefix, the PEP 440 normal
# form).
dist_meta() {
    local meta
    meta=$(project_meta "$1")
    echo "$(python_dist_name "${meta%% *}") $(pep440 "${meta#* }")"
}

# pep440 VERSION: the normal form of a version, as the build backends write
# it in file names: a SemVer pre-release (1.3.0-rc.1 -> 1.3.0rc1) and every
# PEP 440 spelling (1.3.0.rc1, 1.3.0-rc1 -> 1.3.0rc1; 1.3.0-dev2 -> 1.3.0.dev2;
# 1.3.0-1 -> 1.3.0.post1).
pep440() {
    local v=${1,,} base pre='' post='' dev='' label
    v=${v#v}
    [[ $v =~ ^([0-9]+(\.[0-9]+)*)(.*)$ ]] || { echo "$1"; return; }
    base=${BASH_REMATCH[1]} v=${BASH_REMATCH[3]}
    if [[ $v =~ ^[-_.]?(alpha|beta|preview|pre|rc|a|b|c)[-_.]?([0-9]*)(.*)$ ]]; then
        label=${BASH_REMATCH[1]}
        case $label in alpha) label=a ;; beta) label=b ;; c | pre | preview) label=rc ;; esac
        pre=$label$((10#${BASH_REMATCH[2]:-0})) v=${BASH_REMATCH[3]}
    fi
    if [[ $v =~ ^-([0-9]+)(.*)$ ]]; then
        post=.post$((10#${BASH_REMATCH[1]})) v=${BASH_REMATCH[2]}
    elif [[ $v =~ ^[-_.]?(post|rev|r)[-_.]?([0-9]*)(.*)$ ]]; then
        post=.post$((10#${BASH_REMATCH[2]:-0})) v=${BASH_REMATCH[3]}
    fi
    if [[ $v =~ ^[-_.]?dev[-_.]?([0-9]*)(.*)$ ]]; then
        dev=.dev$((10#${BASH_REMATCH[1]:-0})) v=${BASH_REMATCH[2]}
    fi
    echo "$base$pre$post$dev$v"
}

# write_wheels OUTDIR DIR TARGET MANYLINUX ARGS: writes the wheels maturin
# would build for the project in DIR (one per --interpreter, or abi3; one
# py3-none wheel for `bindings = "bin"` in pyproject.toml's [tool.maturin]).
write_wheels() {
    local out=$1 dir=$2 target=$3 manylinux=$4 args=$5 name version platform arch
    read -r name version <<<"$(dist_meta "$dir")"
    case $target in
    x86_64 | x86_64-unknown-linux-gnu | x86_64-unknown-linux-musl | x86_64-apple-darwin) arch=x86_64 ;;
    aarch64 | aarch64-unknown-linux-gnu | aarch64-unknown-linux-musl | aarch64-apple-darwin | arm64) arch=aarch64 ;;
    x64 | x86_64-pc-windows-msvc) arch=x64 ;;
    *) arch=${target:-x86_64} ;;
    esac
    if [[ $arch == x64 ]]; then
        platform=win_amd64
    elif [[ $manylinux == musllinux* ]]; then
        platform=${manylinux}_$arch
    elif [[ $manylinux == off ]]; then
        platform=linux_$arch
    elif [[ $manylinux == 2_* && $manylinux != 2_17 ]]; then
        platform=manylinux_${manylinux}_$arch
    elif [[ -n $manylinux ]]; then
        platform=manylinux_2_17_$arch.manylinux2014_$arch
    elif [[ $arch == aarch64 ]]; then
        platform=macosx_11_0_arm64
    else
        platform=macosx_10_12_x86_64
    fi
    mkdir -p "$out"
    local interpreters=() bindings
    bindings=$(toml_value "$dir/pyproject.toml" tool.maturin bindings)
    read -r -a words <<<"$args"
    local i in_interp=false next_bindings=false
    for i in "${words[@]}"; do
        if $next_bindings; then bindings=$i next_bindings=false; continue; fi
        if [[ $i == --bindings || $i == -b ]]; then next_bindings=true; continue; fi
        if [[ $i == --interpreter || $i == -i ]]; then in_interp=true; continue; fi
        if [[ $i == -* ]]; then in_interp=false; continue; fi
        if $in_interp; then interpreters+=("$i"); fi
    done
    local tags=()
    if [[ -n $bindings && $bindings != pyo3 ]]; then
        tags=(py3-none)
    elif ((${#interpreters[@]} == 0)); then
        tags=(cp38-abi3)
    else
        for i in "${interpreters[@]}"; do
            i=${i#python}
            i=cp${i//./}
            tags+=("$i-$i")
        done
    fi
    for i in "${tags[@]}"; do
        printf 'rehearsal wheel %s %s %s\n' "$name" "$version" "$i" >"$out/$name-$version-$i-$platform.whl"
    done
}

# write_pure_wheel OUTDIR DIR: the py3-none-any wheel of the Python project
# in DIR.
write_pure_wheel() {
    local out=$1 dir=$2 name version
    read -r name version <<<"$(dist_meta "$dir")"
    mkdir -p "$out"
    printf 'rehearsal wheel %s %s py3-none-any\n' "$name" "$version" >"$out/$name-$version-py3-none-any.whl"
}

# write_sdist OUTDIR DIR: the sdist of the Python project in DIR.
write_sdist() {
    local out=$1 dir=$2 name version
    read -r name version <<<"$(dist_meta "$dir")"
    mkdir -p "$out"
    printf 'rehearsal sdist %s %s\n' "$name" "$version" | gzip -c >"$out/$name-$version.tar.gz"
}
