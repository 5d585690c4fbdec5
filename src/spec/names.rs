//! The names that spec format 1 accepts: targets, platforms, placeholders,
//! retired runner labels.

/// Rust host triples of tier 1 and tier 2 that have a runner in the runner
/// table: Linux triples, Apple darwin and Windows msvc.
pub const KNOWN_RUST_TARGETS: &[&str] = &[
    "x86_64-unknown-linux-gnu",
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-gnu",
    "aarch64-unknown-linux-musl",
    "i686-unknown-linux-gnu",
    "arm-unknown-linux-gnueabi",
    "arm-unknown-linux-gnueabihf",
    "armv7-unknown-linux-gnueabihf",
    "loongarch64-unknown-linux-gnu",
    "loongarch64-unknown-linux-musl",
    "powerpc-unknown-linux-gnu",
    "powerpc64-unknown-linux-gnu",
    "powerpc64le-unknown-linux-gnu",
    "powerpc64le-unknown-linux-musl",
    "riscv64gc-unknown-linux-gnu",
    "riscv64gc-unknown-linux-musl",
    "s390x-unknown-linux-gnu",
    "aarch64-apple-darwin",
    "x86_64-apple-darwin",
    "x86_64-pc-windows-msvc",
    "aarch64-pc-windows-msvc",
];

/// `goos/goarch` pairs that `go tool dist list` prints (Go 1.24).
pub const KNOWN_GO_TARGETS: &[&str] = &[
    "aix/ppc64",
    "android/386",
    "android/amd64",
    "android/arm",
    "android/arm64",
    "darwin/amd64",
    "darwin/arm64",
    "dragonfly/amd64",
    "freebsd/386",
    "freebsd/amd64",
    "freebsd/arm",
    "freebsd/arm64",
    "freebsd/riscv64",
    "illumos/amd64",
    "ios/amd64",
    "ios/arm64",
    "js/wasm",
    "linux/386",
    "linux/amd64",
    "linux/arm",
    "linux/arm64",
    "linux/loong64",
    "linux/mips",
    "linux/mips64",
    "linux/mips64le",
    "linux/mipsle",
    "linux/ppc64",
    "linux/ppc64le",
    "linux/riscv64",
    "linux/s390x",
    "netbsd/386",
    "netbsd/amd64",
    "netbsd/arm",
    "netbsd/arm64",
    "openbsd/386",
    "openbsd/amd64",
    "openbsd/arm",
    "openbsd/arm64",
    "openbsd/ppc64",
    "openbsd/riscv64",
    "plan9/386",
    "plan9/amd64",
    "plan9/arm",
    "solaris/amd64",
    "wasip1/wasm",
    "windows/386",
    "windows/amd64",
    "windows/arm64",
];

/// The wheel platforms a maturin package may list in `platforms`.
pub const PYTHON_PLATFORMS: &[&str] = &[
    "linux-x86_64",
    "linux-aarch64",
    "musllinux-x86_64",
    "musllinux-aarch64",
    "macos-x86_64",
    "macos-aarch64",
    "windows-x64",
    "windows-arm64",
];

/// Wheel platforms built when a maturin package lists none.
pub const DEFAULT_PYTHON_PLATFORMS: &[&str] = &[
    "linux-x86_64",
    "linux-aarch64",
    "macos-x86_64",
    "macos-aarch64",
    "windows-x64",
];

pub const DOCKER_PLATFORMS: &[&str] = &[
    "linux/amd64",
    "linux/arm64",
    "linux/arm/v7",
    "linux/386",
    "linux/ppc64le",
    "linux/s390x",
    "linux/riscv64",
];

/// The name of a build argument: a key of `docker[].build-args`, an image
/// binary's `build-arg`.
pub const BUILD_ARG: &str = r"^[A-Za-z_][A-Za-z0-9_]*$";

/// Runner labels that GitHub retired; refused anywhere.
pub const RETIRED_RUNNERS: &[&str] = &[
    "ubuntu-18.04",
    "ubuntu-20.04",
    "macos-10.15",
    "macos-11",
    "macos-12",
    "macos-13",
    "windows-2016",
    "windows-2019",
];

/// File names whose version the release reads (`versioning.version-files`),
/// each as its format says: see `plan::versionfiles`.
pub const VERSION_FILE_NAMES: &[&str] = &["Cargo.toml", "pyproject.toml", "package.json", "Chart.yaml"];

/// Whether the release can read the version of the file at `path` (a path
/// relative to the repository root): its file name is one of
/// [`VERSION_FILE_NAMES`].
pub fn version_file_supported(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    VERSION_FILE_NAMES.contains(&name)
}

/// Every placeholder that exists somewhere in a spec.
pub const PLACEHOLDERS: &[&str] = &[
    "version",
    "pep440",
    "major",
    "minor",
    "patch",
    "prerelease",
    "sha7",
    "variant",
    "arch",
    "name",
    "target",
    "os",
    "suffix",
];

/// The placeholders of a version: in image tags, labels and build
/// arguments, chart versions, release titles and file names.
pub const VERSION_PLACEHOLDERS: &[&str] = &["version", "pep440", "major", "minor", "patch", "prerelease", "sha7"];

/// The placeholders of `binaries[].asset`.
pub const ASSET_PLACEHOLDERS: &[&str] = &["name", "version", "target", "os", "arch", "suffix"];

/// The placeholders an `env` value may hold: the job expands them from the
/// tag in a step of its own.
pub const ENV_PLACEHOLDERS: &[&str] = &["tag", "version", "sha", "date"];

/// The `{name}` placeholders of `s` with their byte ranges, or the byte
/// offset and text of the first malformed brace.
/// Placeholders of a string: name and byte range of each `{name}`.
pub type Found = Vec<(String, std::ops::Range<usize>)>;

pub fn placeholders(s: &str) -> Result<Found, (usize, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    let b = s.as_bytes();
    while i < b.len() {
        match b[i] {
            b'{' => {
                let Some(len) = s[i + 1..].find('}') else {
                    return Err((i, "`{` without a closing `}`".into()));
                };
                let name = &s[i + 1..i + 1 + len];
                if name.is_empty()
                    || !name
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                {
                    return Err((i, format!("`{{{name}}}` is not a placeholder")));
                }
                out.push((name.to_string(), i..i + len + 2));
                i += len + 2;
            }
            b'}' => return Err((i, "`}` without an opening `{`".into())),
            _ => i += 1,
        }
    }
    Ok(out)
}

/// Whether the placeholders of `s` are well formed and each one of
/// `allowed` (validation reports any other).
pub fn only_placeholders(s: &str, allowed: &[&str]) -> bool {
    placeholders(s).is_ok_and(|found| found.iter().all(|(name, _)| allowed.contains(&name.as_str())))
}

/// The built-in action pins, a copy of the shared action-pins.tsv (read by
/// `plan::pins`, and here for validation: which actions need no `pins:`).
pub const ACTION_PINS_TSV: &str = include_str!("../../data/action-pins.tsv");

/// The actions that have a built-in pin (`owner/repo[/path]`).
pub fn builtin_pinned_actions() -> std::collections::BTreeSet<String> {
    ACTION_PINS_TSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').next())
        .map(pinned_action_name)
        .collect()
}

/// The action name of a row of the pins table (its first column): the
/// code-scanning upload action lives in a subdirectory of its repository.
pub fn pinned_action_name(repo: &str) -> String {
    if repo == "github/codeql-action" {
        "github/codeql-action/upload-sarif".to_string()
    } else {
        repo.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_parse() {
        let p = placeholders("{variant}-{arch}-{version}").unwrap();
        let names: Vec<_> = p.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["variant", "arch", "version"]);
        assert_eq!(p[1].1, 10..16);
        assert!(placeholders("v{version").is_err());
        assert!(placeholders("a}").is_err());
        assert!(placeholders("latest").unwrap().is_empty());
    }
}
