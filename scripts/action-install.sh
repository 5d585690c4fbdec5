#!/usr/bin/env bash
# Installs wfgen for the composite action (action.yml runs it as its first step).
#
# With a version: downloads the archive of a wfgen release for this runner
# (RUNNER_OS/RUNNER_ARCH) and SHA256SUMS, refuses the archive unless its sha256
# is the one SHA256SUMS lists, and unpacks the executable. Without one: builds
# the action's own source with `cargo install --locked`.
#
# Environment (the action's inputs come in through env:):
#   WFGEN_VERSION       release to install, x.y.z or vx.y.z (pre-releases too:
#                       x.y.z-rc.N); empty: cargo install from GITHUB_ACTION_PATH
#   WFGEN_REPOSITORY    owner/name whose releases hold wfgen; empty: the
#                       repository the action is used from (read from its path)
#   WFGEN_DOWNLOAD_URL  where the release's files are instead of
#                       GITHUB_SERVER_URL/<repository>/releases/download/v<version>
#                       (a mirror): https:// or file://, `{version}` is
#                       replaced by the version
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_ACTION_PATH,
#   GITHUB_SERVER_URL   as GitHub Actions sets them
#
# Writes `wfgen=<path of the executable>` to GITHUB_OUTPUT.
set -euo pipefail

fail() {
    echo "::error title=wfgen::$*"
    exit 1
}

: "${RUNNER_TEMP:?RUNNER_TEMP is not set (this script runs inside a GitHub Actions job)}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set (this script runs inside a GitHub Actions job)}"
version=${WFGEN_VERSION-}
bin_dir="$RUNNER_TEMP/wfgen-bin"
rm -rf "$bin_dir"
mkdir -p "$bin_dir"

# The release archive for a runner: the names wfgen's own release gives its
# binaries (wfgen-<target>.tar.gz, .zip on Windows). Linux takes the static
# musl build, which also runs in job containers without glibc.
asset_for() {
    case "$1/$2" in
        Linux/X64) echo wfgen-x86_64-unknown-linux-musl.tar.gz ;;
        Linux/ARM64) echo wfgen-aarch64-unknown-linux-musl.tar.gz ;;
        macOS/X64) echo wfgen-x86_64-apple-darwin.tar.gz ;;
        macOS/ARM64) echo wfgen-aarch64-apple-darwin.tar.gz ;;
        Windows/X64) echo wfgen-x86_64-pc-windows-msvc.zip ;;
        *) return 1 ;;
    esac
}

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d' ' -f1
    else
        fail "neither sha256sum nor shasum is installed: cannot verify the download"
    fi
}

if [ -z "$version" ]; then
    : "${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
    command -v cargo >/dev/null 2>&1 ||
        fail "no 'version' given and no cargo on PATH: set the action's 'version' input to a wfgen release, or install Rust before this step"
    echo "Building wfgen from $GITHUB_ACTION_PATH with cargo (no version given)"
    cargo install --locked --path "$GITHUB_ACTION_PATH" --root "$RUNNER_TEMP/wfgen-cargo"
    cp "$RUNNER_TEMP/wfgen-cargo/bin/"wfgen* "$bin_dir/"
else
    version=${version#v}
    if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
        fail "'version' is '$WFGEN_VERSION', not a wfgen release version (x.y.z, or x.y.z-rc.N); leave it empty to build wfgen from the action's source with cargo"
    fi
    asset=$(asset_for "${RUNNER_OS-}" "${RUNNER_ARCH-}") ||
        fail "no released wfgen binary for runner ${RUNNER_OS-?}/${RUNNER_ARCH-?} (there are Linux X64 and ARM64, macOS X64 and ARM64, Windows X64); leave 'version' empty to build wfgen with cargo"

    base=${WFGEN_DOWNLOAD_URL-}
    if [ -z "$base" ]; then
        repo=${WFGEN_REPOSITORY-}
        if [ -z "$repo" ]; then
            # .../_actions/OWNER/NAME/REF when the action is used as OWNER/NAME@REF
            case "${GITHUB_ACTION_PATH-}" in
                */_actions/*/*/*)
                    rest="${GITHUB_ACTION_PATH#*/_actions/}"
                    owner="${rest%%/*}"
                    rest="${rest#*/}"
                    repo="$owner/${rest%%/*}"
                    ;;
                *) fail "cannot tell which repository releases wfgen; set the action's 'repository' input (owner/name)" ;;
            esac
        fi
        [[ $repo =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] ||
            fail "'repository' is '$repo', not owner/name"
        base="${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download/v$version"
    fi
    base=${base//\{version\}/$version}
    base=${base%/}
    case "$base" in
        https://*) proto='=https' ;;
        file://*) proto='=file' ;;
        *) fail "'download-url' is '$base': it must be an https:// (or file://) URL" ;;
    esac

    work="$RUNNER_TEMP/wfgen-download"
    rm -rf "$work"
    mkdir -p "$work/unpacked"
    download() {
        curl --proto "$proto" --proto-redir "$proto" --tlsv1.2 -fsSL --retry 3 -o "$work/$1" "$base/$1" ||
            fail "cannot download $base/$1 (is v$version a wfgen release with this file?)"
    }
    echo "Downloading $asset and SHA256SUMS of wfgen v$version from $base"
    download SHA256SUMS
    download "$asset"

    expected=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1 }' "$work/SHA256SUMS")
    [ -n "$expected" ] || fail "SHA256SUMS of v$version does not list $asset"
    [[ $expected =~ ^[0-9a-f]{64}$ ]] || fail "SHA256SUMS of v$version lists $asset with '$expected', not a sha256"
    actual=$(sha256_of "$work/$asset")
    if [ "$expected" != "$actual" ]; then
        fail "checksum mismatch for $asset: SHA256SUMS says $expected, the download is $actual; refusing to install it"
    fi
    echo "sha256 of $asset verified: $actual"

    case "$asset" in
        *.zip)
            exe_name=wfgen.exe
            if command -v unzip >/dev/null 2>&1; then
                unzip -q "$work/$asset" -d "$work/unpacked" || fail "cannot unpack $asset"
            elif command -v 7z >/dev/null 2>&1; then
                7z x -bso0 -bsp0 "-o$work/unpacked" "$work/$asset" || fail "cannot unpack $asset"
            else
                fail "neither unzip nor 7z is installed: cannot unpack $asset"
            fi
            ;;
        *)
            exe_name=wfgen
            tar -xzf "$work/$asset" -C "$work/unpacked" || fail "cannot unpack $asset"
            ;;
    esac
    [ -f "$work/unpacked/$exe_name" ] || fail "$asset holds no $exe_name at its top level"
    cp "$work/unpacked/$exe_name" "$bin_dir/"
    chmod +x "$bin_dir/$exe_name"
fi

exe="$bin_dir/wfgen"
[ -f "$exe" ] || exe="$bin_dir/wfgen.exe"
[ -f "$exe" ] || fail "no wfgen executable was installed"
said=$("$exe" --version) || fail "the installed $exe does not run"
echo "$said"
if [ -n "$version" ]; then
    read -r _ got _ <<<"$said"
    [ "$got" = "$version" ] || fail "asked for wfgen $version, but the installed binary says '$said'"
fi
echo "wfgen=$exe" >>"$GITHUB_OUTPUT"
