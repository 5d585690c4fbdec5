#!/usr/bin/env bash
# The body of every stub action of the rehearsal (tests/rehearsal.rs writes one
# composite action.yml per pinned action, whose single step runs this script).
#
#   action.sh OWNER/REPO[/PATH]
#
# The stub passes the inputs it declares as INPUT_<NAME> (upper case, `-` as
# `_`) and their names in REHEARSAL_INPUTS (`,`-separated, `*` = required),
# the names of its outputs in REHEARSAL_OUTPUTS. This script records the call
# in record.jsonl, simulates what the action leaves behind and writes outputs
# to $GITHUB_OUTPUT.
set -euo pipefail
action=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/rehearsal/lib.sh
source "$here/lib.sh"
shopt -s nullglob extglob

workspace=${GITHUB_WORKSPACE:-$PWD}

# input NAME: the value of an input.
input() {
    local var=INPUT_${1^^}
    var=${var//-/_}
    printf '%s' "${!var-}"
}

# The inputs as a JSON object (only the non-empty ones), and required inputs.
missing=()
pairs=()
IFS=',' read -r -a declared <<<"${REHEARSAL_INPUTS:-}"
for spec in "${declared[@]}"; do
    name=${spec%\*}
    value=$(input "$name")
    if [[ -n $value ]]; then
        pairs+=("$name" "$value")
    elif [[ $spec == *\* ]]; then
        missing+=("$name")
    fi
done
# shellcheck disable=SC2016
pairs_to_json='[$ARGS.positional as $a | range(0; $a | length; 2) | {($a[.]): $a[. + 1]}] | add // {}'
inputs_json=$(jq -cn "$pairs_to_json" --args -- "${pairs[@]}")

out_pairs=()
# output NAME VALUE: sets an output (multi-line values with a delimiter).
output() {
    out_pairs+=("$1" "$2")
    if [[ $2 == *$'\n'* ]]; then
        printf '%s<<REHEARSAL_EOF\n%s\nREHEARSAL_EOF\n' "$1" "$2" >>"$GITHUB_OUTPUT"
    else
        printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
    fi
}
# has_output NAME: NAME was set.
has_output() {
    local i
    for ((i = 0; i < ${#out_pairs[@]}; i += 2)); do
        [[ ${out_pairs[i]} == "$1" ]] && return 0
    done
    return 1
}

extra='{}'
finish() {
    local status=$? outputs_json
    outputs_json=$(jq -cn "$pairs_to_json" --args -- "${out_pairs[@]}")
    record "$(jq -cn --arg action "$action" --arg job "${GITHUB_JOB:-}" --argjson inputs "$inputs_json" \
        --argjson outputs "$outputs_json" --argjson extra "$extra" --argjson status "$status" \
        --argjson secrets "$(secrets_seen)" --argjson oidc "$(oidc_seen)" \
        '{kind: "action", action: $action, job: $job, inputs: $inputs, outputs: $outputs, extra: $extra, status: $status, secrets_seen: $secrets, oidc: $oidc}')"
}
trap finish EXIT

if ((${#missing[@]})); then
    echo "::error::Input required and not supplied: ${missing[*]}" >&2
    exit 1
fi
if should_fail "$action" "$inputs_json"; then
    fail_injected "$action"
fi

# lines TEXT: one entry a line, blank lines and surrounding blanks dropped.
lines() {
    local line
    while IFS= read -r line; do
        line=${line#"${line%%[![:space:]]*}"}
        line=${line%"${line##*[![:space:]]}"}
        [[ -n $line ]] && printf '%s\n' "$line"
    done <<<"$1"
}

# abspath PATH: PATH made absolute against the workspace.
abspath() {
    case $1 in
    /*) printf '%s' "$1" ;;
    ~/*) printf '%s' "$HOME/${1#~/}" ;;
    *) printf '%s' "$workspace/$1" ;;
    esac
}

# brace_to_extglob PATTERN: {a,b} alternatives as @(a|b).
brace_to_extglob() {
    local p=$1 out='' c depth=0 i
    for ((i = 0; i < ${#p}; i++)); do
        c=${p:i:1}
        if [[ $c == '{' ]]; then out+='@('; depth=$((depth + 1))
        elif [[ $c == '}' && $depth -gt 0 ]]; then out+=')'; depth=$((depth - 1))
        elif [[ $c == ',' && $depth -gt 0 ]]; then out+='|'
        else out+=$c; fi
    done
    printf '%s' "$out"
}

# search_path PATTERN: the part of an absolute pattern before its first glob.
search_path() {
    local p=$1 head=''
    local IFS=/
    read -r -a parts <<<"${p#/}"
    for part in "${parts[@]}"; do
        [[ $part == *[\*\?\[]* ]] && break
        head+=/$part
    done
    printf '%s' "${head:-/}"
}

# lca PATH...: the least common ancestor directory of absolute paths.
lca() {
    local common=$1 p
    shift
    for p in "$@"; do
        while [[ $p != "$common" && $p != "$common"/* ]]; do
            common=$(dirname "$common")
        done
    done
    printf '%s' "$common"
}

upload_artifact() {
    local name path if_none overwrite hidden
    name=$(input name)
    name=${name:-artifact}
    path=$(input path)
    if_none=$(input if-no-files-found)
    if_none=${if_none:-warn}
    overwrite=$(input overwrite)
    hidden=$(input include-hidden-files)
    local files=() excludes=() searches=() pattern abs f
    while IFS= read -r pattern; do
        if [[ $pattern == '!'* ]]; then
            excludes+=("$(abspath "${pattern#!}")")
            continue
        fi
        abs=$(abspath "$pattern")
        abs=${abs%/}
        searches+=("$(search_path "$abs")")
        shopt -s globstar
        # shellcheck disable=SC2206
        local matched=($abs)
        shopt -u globstar
        for f in "${matched[@]}"; do
            if [[ -d $f ]]; then
                while IFS= read -r -d '' g; do files+=("$g"); done < <(find "$f" -type f -print0)
            elif [[ -f $f ]]; then
                files+=("$f")
            fi
        done
    done < <(lines "$path")
    local kept=() e skip
    for f in "${files[@]}"; do
        skip=false
        for e in "${excludes[@]}"; do
            # shellcheck disable=SC2053
            [[ $f == $e || $f == "$e"/* ]] && skip=true
        done
        $skip || kept+=("$f")
    done
    if ((${#kept[@]} == 0)); then
        case $if_none in
        error)
            echo "::error::No files were found with the provided path: $path. No artifacts will be uploaded." >&2
            exit 1
            ;;
        warn) echo "::warning::No files were found with the provided path: $path. No artifacts will be uploaded." ;;
        esac
        return 0
    fi
    local root
    if ((${#searches[@]} > 1)); then
        root=$(lca "${searches[@]}")
    elif ((${#kept[@]} == 1)) && [[ ${searches[0]} == "${kept[0]}" ]]; then
        root=$(dirname "${kept[0]}")
    else
        root=${searches[0]}
    fi
    local store=$REHEARSAL_DIR/artifacts/$name
    if [[ -e $store ]]; then
        if [[ $overwrite != true ]]; then
            echo "::error::Failed to CreateArtifact: an artifact with the name '$name' already exists in this run" >&2
            exit 1
        fi
        rm -rf "$store"
    fi
    mkdir -p "$store"
    local rel uploaded=()
    for f in "${kept[@]}"; do
        rel=${f#"$root"/}
        if [[ $hidden != true && ( $rel == .* || $rel == */.* ) ]]; then continue; fi
        mkdir -p "$store/$(dirname "$rel")"
        cp "$f" "$store/$rel"
        uploaded+=("$rel")
    done
    extra=$(jq -cn --arg root "$root" '{root: $root, files: $ARGS.positional}' --args -- "${uploaded[@]}")
    echo "uploaded ${#uploaded[@]} file(s) as artifact $name (root $root)"
    output artifact-id "$((RANDOM + 1000))"
    output artifact-url "https://github.com/${GITHUB_REPOSITORY-}/actions/runs/1/artifacts/$name"
    output artifact-digest "$(new_digest artifact "$name")"
}

download_artifact() {
    local name pattern path merge dest
    name=$(input name)
    pattern=$(input pattern)
    path=$(input path)
    merge=$(input merge-multiple)
    dest=$(abspath "${path:-.}")
    mkdir -p "$dest"
    if [[ -n $name ]]; then
        if [[ ! -d $REHEARSAL_DIR/artifacts/$name ]]; then
            echo "::error::Unable to download artifact(s): Artifact not found for name: $name" >&2
            exit 1
        fi
        cp -R "$REHEARSAL_DIR/artifacts/$name/." "$dest/"
        extra=$(jq -cn --arg name "$name" '{artifacts: [$name]}')
    else
        local glob got=() a
        glob=$(brace_to_extglob "${pattern:-*}")
        for a in "$REHEARSAL_DIR"/artifacts/*/; do
            a=$(basename "$a")
            # shellcheck disable=SC2053
            if [[ $a == $glob ]]; then got+=("$a"); fi
        done
        for a in "${got[@]}"; do
            if [[ $merge == true ]]; then
                cp -R "$REHEARSAL_DIR/artifacts/$a/." "$dest/"
            else
                mkdir -p "$dest/$a"
                cp -R "$REHEARSAL_DIR/artifacts/$a/." "$dest/$a/"
            fi
        done
        echo "downloaded ${#got[@]} artifact(s) matching '${pattern:-*}'"
        extra=$(jq -cn '{artifacts: $ARGS.positional}' --args -- "${got[@]}")
    fi
    output download-path "$dest"
}

checkout() {
    local ref path dir origin repo
    ref=$(input ref)
    path=$(input path)
    repo=$(input repository)
    origin=$REHEARSAL_DIR/origin.git
    if [[ -n $repo && $repo != "${GITHUB_REPOSITORY:-}" ]]; then
        echo "::error::rehearsal: checkout of another repository ($repo) is not simulated" >&2
        exit 1
    fi
    dir=$(abspath "${path:-.}")
    if [[ -z $ref ]]; then ref=${GITHUB_REF:-}; fi
    if [[ -z $ref ]]; then ref=${GITHUB_SHA:-}; fi
    mkdir -p "$dir"
    git -C "$dir" init -q
    git -C "$dir" remote remove origin 2>/dev/null || true
    git -C "$dir" remote add origin "$origin"
    git -C "$dir" fetch -q --tags origin '+refs/heads/*:refs/remotes/origin/*'
    local target
    case $ref in
    refs/heads/*) target=refs/remotes/origin/${ref#refs/heads/} ;;
    refs/tags/*) target=$ref ;;
    *)
        if git -C "$dir" rev-parse -q --verify "refs/remotes/origin/$ref^{commit}" >/dev/null; then
            target=refs/remotes/origin/$ref
        else
            target=$ref
        fi
        ;;
    esac
    if ! git -C "$dir" rev-parse -q --verify "$target^{commit}" >/dev/null; then
        echo "::error::A branch or tag with the name '$ref' could not be found" >&2
        exit 1
    fi
    git -C "$dir" -c advice.detachedHead=false checkout -q -f --detach "$target^{commit}"
    local commit
    commit=$(git -C "$dir" rev-parse HEAD)
    echo "checked out $ref ($commit) into $dir"
    output ref "$ref"
    output commit "$commit"
}

build_push() {
    local tags push outputs
    tags=$(input tags)
    push=$(input push)
    outputs=$(input outputs)
    local digest
    digest=$(new_digest build-push "$(input platforms)" "$tags")
    output digest "$digest"
    output imageid "$(new_digest imageid)"
    output metadata "$(jq -cn --arg d "$digest" '{"containerimage.digest": $d, "image.name": "rehearsal"}')"
    local pushed=false
    if [[ $push == true || $outputs == *push=true* ]]; then pushed=true; fi
    # A build argument that names a release binary in the context: the file
    # must be there, executable, and built for the platform's architecture.
    local arg value context file want binaries='{}'
    context=$(input context)
    while IFS= read -r arg; do
        [[ $arg == *=.wfgen/bin/* ]] || continue
        value=${arg#*=}
        file="$(abspath "${context:-.}")/$value"
        if [[ ! -x $file ]]; then
            echo "::error title=Rehearsal::build argument ${arg%%=*}: $value is not an executable in the build context" >&2
            exit 1
        fi
        case $(input platforms) in
        linux/amd64) want=x86_64 ;;
        linux/arm64) want=aarch64 ;;
        *) want= ;;
        esac
        if [[ -n $want ]] && ! grep -q "$want" "$file"; then
            echo "::error title=Rehearsal::$value is not built for $(input platforms): $(head -c 200 "$file")" >&2
            exit 1
        fi
        binaries=$(jq -c --arg k "$value" --arg v "$(grep -m1 'rehearsal build' "$file" || head -n1 "$file")" '. + {($k): $v}' <<<"$binaries")
    done < <(lines "$(input build-args)")
    extra=$(jq -cn --argjson pushed "$pushed" --argjson binaries "$binaries" '{pushed: $pushed, binaries: $binaries}')
    mkdir -p "$REHEARSAL_DIR/registry"
    # The image's config as the registry would hold it: the labels of the
    # build (`name=value` lines), for `imagetools inspect --format '{{json .Image}}'`.
    if $pushed; then
        lines "$(input labels)" | jq -Rn '{config: {Labels: ([inputs | select(length > 0) | capture("^(?<key>[^=]+)=(?<value>.*)$")] | from_entries)}}' \
            >"$REHEARSAL_DIR/registry/config-${digest#sha256:}.json"
    fi
    if $pushed; then
        local t
        while IFS= read -r t; do
            [[ -n $t ]] || continue
            printf '%s\n' "$digest" >"$REHEARSAL_DIR/registry/$(printf '%s' "$t" | sha256sum | cut -d' ' -f1)"
        done < <(lines "${tags//,/$'\n'}")
    fi
}

maturin() {
    local command args dir out target manylinux
    command=$(input command)
    args=$(input args)
    dir=$(abspath "$(input working-directory)")
    target=$(input target)
    manylinux=$(input manylinux)
    out=target/wheels
    read -r -a words <<<"$args"
    local i
    for ((i = 0; i < ${#words[@]}; i++)); do
        case ${words[i]} in
        --out | -o) out=${words[i + 1]} ;;
        --out=*) out=${words[i]#--out=} ;;
        esac
    done
    [[ $out == /* ]] || out=$dir/$out
    case ${command:-build} in
    build) write_wheels "$out" "$dir" "$target" "$manylinux" "$args" ;;
    sdist) write_sdist maturin "$out" "$dir" ;;
    *) ;;
    esac
    ls "$out"
}

pypi_publish() {
    local dir
    dir=$(abspath "$(input packages-dir)")
    [[ -n $(input packages-dir) ]] || dir=$workspace/dist
    local files=() f
    for f in "$dir"/*; do files+=("$(basename "$f")"); done
    if ((${#files[@]} == 0)); then
        echo "::error::No distributions in $dir" >&2
        exit 1
    fi
    local repo auth=trusted-publishing
    repo=$(input repository-url)
    # An API token, or trusted publishing (OIDC); PEP 740 attestations need
    # trusted publishing.
    if [[ -n $(input password) ]]; then
        auth="token:$(input password)"
        if [[ $(input attestations) == true ]]; then
            echo "::error::attestations need Trusted Publishing; an API token was given" >&2
            exit 1
        fi
    fi
    extra=$(jq -cn --arg repo "${repo:-https://upload.pypi.org/legacy/}" --arg auth "$auth" '{repository: $repo, auth: $auth, files: $ARGS.positional}' --args -- "${files[@]}")
    printf 'would upload %s\n' "${files[@]}"
}

attest() {
    local subject_path digest name
    subject_path=$(input subject-path)
    digest=$(input subject-digest)
    name=$(input subject-name)
    if [[ -n $subject_path ]]; then
        local p found=0
        while IFS= read -r p; do
            # shellcheck disable=SC2206
            local m=($(abspath "$p"))
            for f in "${m[@]}"; do [[ -f $f ]] && found=$((found + 1)); done
        done < <(lines "$subject_path")
        if ((found == 0)); then
            echo "::error::Could not find subject at path $subject_path" >&2
            exit 1
        fi
    elif [[ -z $digest || -z $name ]]; then
        echo "::error::One of subject-path, subject-digest or subject-checksums must be provided" >&2
        exit 1
    elif [[ $digest != sha256:* ]]; then
        echo "::error::subject-digest must be in the format \"sha256:<hex-digest>\": '$digest'" >&2
        exit 1
    fi
    output bundle-path "${RUNNER_TEMP:-/tmp}/attestation.jsonl"
    output attestation-id "$RANDOM$RANDOM"
    output attestation-url "https://github.com/${GITHUB_REPOSITORY-}/attestations/$RANDOM"
}

# Plausible values for the outputs no simulation above set.
generic_outputs() {
    local name
    IFS=',' read -r -a outs <<<"${REHEARSAL_OUTPUTS:-}"
    for name in "${outs[@]}"; do
        [[ -n $name ]] || continue
        if has_output "$name"; then continue; fi
        case $name in
        *digest* | imageid) output "$name" "$(new_digest "$action" "$name")" ;;
        commit | sha) output "$name" "$(git -C "$workspace" rev-parse HEAD 2>/dev/null || echo 0000000000000000000000000000000000000000)" ;;
        python-version) output "$name" "$(lines "$(input python-version)" | tail -n1)" ;;
        go-version) output "$name" 1.24.0 ;;
        cache-hit) output "$name" false ;;
        labels) output "$name" "$(input labels)" ;;
        tags | tag-names) output "$name" "$(input tags)" ;;
        version) output "$name" "${GITHUB_REF_NAME:-0.0.0}" ;;
        json | metadata) output "$name" '{}' ;;
        *-path | path) output "$name" "${RUNNER_TEMP:-/tmp}/$name" ;;
        *) output "$name" "rehearsal-$name" ;;
        esac
    done
}

case $action in
actions/checkout) checkout ;;
actions/upload-artifact) upload_artifact ;;
actions/download-artifact) download_artifact ;;
docker/build-push-action) build_push ;;
PyO3/maturin-action) maturin ;;
pypa/gh-action-pypi-publish) pypi_publish ;;
actions/attest-build-provenance | actions/attest) attest ;;
anchore/scan-action)
    # Scans by digest only: a tag could move between the build and the scan.
    image=$(input image)
    if [[ ! $image =~ @sha256:[0-9a-f]{64}$ ]]; then
        echo "::error title=Rehearsal::anchore/scan-action scans '$image', not an image by digest" >&2
        exit 1
    fi
    sarif="${RUNNER_TEMP:-/tmp}/results-$RANDOM.sarif"
    echo '{"version": "2.1.0", "runs": []}' >"$sarif"
    output sarif "$sarif"
    ;;
anchore/sbom-action)
    f=$(input output-file)
    if [[ -n $f ]]; then
        mkdir -p "$(dirname "$(abspath "$f")")"
        echo '{"spdxVersion": "SPDX-2.3", "name": "rehearsal"}' >"$(abspath "$f")"
    fi
    ;;
*) ;;
esac
generic_outputs
