//! The names of a binary's release files: `binaries[].asset` with its
//! placeholders, and the `{os}`/`{arch}` spelling of a target; no two alike.

use std::collections::BTreeMap;

use crate::spec::validate::{Problems, Section};
use crate::spec::{ArchiveFormat, Binary, BinaryKind, DEFAULT_ASSET, Spec, Target};
use crate::ypath;
use crate::ypath::Part;

/// `{os}` and `{arch}` of a target, spelled as Go's GOOS and GOARCH (and
/// GoReleaser's `{{ .Os }}`, `{{ .Arch }}`): a Go target is its own pair; a
/// Rust triple's system is `linux`, `darwin` or `windows` and its
/// architecture `amd64` (x86_64), `arm64` (aarch64), `386` (i686),
/// `armv6` (arm), `armv7`, `loong64`, `ppc`, `ppc64`, `ppc64le`, `riscv64`
/// (riscv64gc) or `s390x`.
pub fn os_arch(kind: BinaryKind, target: &str) -> (String, String) {
    if kind == BinaryKind::Go {
        let (os, arch) = target.split_once('/').unwrap_or((target, ""));
        return (os.to_string(), arch.to_string());
    }
    let os = if target.contains("-linux-") {
        "linux"
    } else if target.ends_with("-apple-darwin") {
        "darwin"
    } else if target.contains("-windows-") {
        "windows"
    } else {
        target.split('-').nth(2).unwrap_or(target)
    };
    let cpu = target.split('-').next().unwrap_or(target);
    let arch = match cpu {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "i686" | "i586" => "386",
        "arm" => "armv6",
        "loongarch64" => "loong64",
        "powerpc" => "ppc",
        "powerpc64" => "ppc64",
        "powerpc64le" => "ppc64le",
        "riscv64gc" => "riscv64",
        other => other,
    };
    (os.to_string(), arch.to_string())
}

/// `{target}` of a target: the triple, or the Go pair with `-` for `/`.
pub fn target_slug(target: &str) -> String {
    target.replace('/', "-")
}

/// Whether a target builds a Windows executable.
pub fn is_windows(target: &str) -> bool {
    target.contains("windows")
}

/// The file name extension of the archive of `b` for `target` ("" for a
/// bare executable elsewhere than Windows).
pub fn extension(b: &Binary, target: &str) -> &'static str {
    let windows = is_windows(target);
    match b.archive {
        ArchiveFormat::Auto if windows => ".zip",
        ArchiveFormat::Auto | ArchiveFormat::TarGz => ".tar.gz",
        ArchiveFormat::Zip => ".zip",
        ArchiveFormat::None if windows => ".exe",
        ArchiveFormat::None => "",
    }
}

/// The base name of the release file of one leg, every placeholder
/// expanded but `{version}`, which the build job expands from the tag.
pub fn base_name(b: &Binary, t: &Target) -> String {
    let (os, arch) = os_arch(b.kind, t.name());
    b.asset
        .as_deref()
        .unwrap_or(DEFAULT_ASSET)
        .replace("{name}", &b.name)
        .replace("{target}", &target_slug(t.name()))
        .replace("{os}", &os)
        .replace("{arch}", &arch)
        .replace("{suffix}", t.suffix())
}

/// The file name of the release file of one leg (`{version}` unexpanded).
pub fn file_name(b: &Binary, t: &Target) -> String {
    format!("{}{}", base_name(b, t), extension(b, t.name()))
}

/// A name with `{version}` expanded.
pub fn with_version(name: &str, version: &str) -> String {
    name.replace("{version}", version)
}

/// Validation of the spec (`spec::validate`) by the release files'
/// names: no two of the binaries (over every binary and leg) get the same
/// name, `{version}` as written.
pub fn check_collisions(spec: &Spec, c: &mut Problems) {
    c.section(Section::AssetNames);
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for (i, b) in spec.binaries.iter().enumerate() {
        for (j, t) in b.targets.iter().enumerate() {
            let file = file_name(b, t);
            let leg = format!("`{}` {}{}", b.name, t.name(), t.suffix());
            let Some(other) = names.insert(file.clone(), leg.clone()) else {
                continue;
            };
            if other == leg {
                // The same leg twice: validation says so.
                continue;
            }
            let at = match (&b.asset, t) {
                (Some(_), _) => ypath!["binaries", i, "asset"],
                (None, Target::Name(_)) => ypath!["binaries", i, "targets", j],
                (None, Target::Leg(_)) => ypath!["binaries", i, "targets", j, "target"],
            };
            c.err(
                at,
                Part::Value,
                format!("two release files would be named `{file}`"),
                format!(
                    "{other} and {leg} get the same asset name: every binary and leg needs its own, so put `{{name}}`, `{{target}}` (or `{{os}}` and `{{arch}}`) and `{{suffix}}` in `asset` as they differ"
                ),
            );
            if b.asset.is_some() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_and_arch_in_goreleaser_spelling() {
        let rust = |t: &str| os_arch(BinaryKind::Rust, t);
        let pair = |os: &str, arch: &str| (os.to_string(), arch.to_string());
        assert_eq!(rust("x86_64-unknown-linux-gnu"), pair("linux", "amd64"));
        assert_eq!(rust("aarch64-unknown-linux-musl"), pair("linux", "arm64"));
        assert_eq!(rust("aarch64-apple-darwin"), pair("darwin", "arm64"));
        assert_eq!(rust("x86_64-pc-windows-msvc"), pair("windows", "amd64"));
        assert_eq!(rust("i686-unknown-linux-gnu"), pair("linux", "386"));
        assert_eq!(rust("armv7-unknown-linux-gnueabihf"), pair("linux", "armv7"));
        assert_eq!(rust("arm-unknown-linux-gnueabihf"), pair("linux", "armv6"));
        assert_eq!(rust("riscv64gc-unknown-linux-gnu"), pair("linux", "riscv64"));
        assert_eq!(rust("powerpc64le-unknown-linux-gnu"), pair("linux", "ppc64le"));
        assert_eq!(rust("loongarch64-unknown-linux-gnu"), pair("linux", "loong64"));
        assert_eq!(os_arch(BinaryKind::Go, "darwin/arm64"), pair("darwin", "arm64"));
        for t in crate::spec::names::KNOWN_RUST_TARGETS {
            let (os, arch) = rust(t);
            assert!(["linux", "darwin", "windows"].contains(&os.as_str()), "{t}: {os}");
            assert!(!arch.contains('_') && !arch.contains('-'), "{t}: {arch}");
        }
    }

    #[test]
    fn names_of_legs() {
        let b: Binary = yaml_serde::from_str(
            "name: aicr\nkind: go\nasset: '{name}_{version}_{os}_{arch}'\ntargets: [linux/amd64, windows/arm64]\n",
        )
        .unwrap();
        assert_eq!(file_name(&b, &b.targets[0]), "aicr_{version}_linux_amd64.tar.gz");
        assert_eq!(file_name(&b, &b.targets[1]), "aicr_{version}_windows_arm64.zip");
        assert_eq!(
            with_version(&file_name(&b, &b.targets[0]), "1.2.3"),
            "aicr_1.2.3_linux_amd64.tar.gz"
        );
        let r: Binary = yaml_serde::from_str(
            "name: srv\nkind: rust\narchive: none\ntargets: [x86_64-unknown-linux-gnu, { target: x86_64-unknown-linux-gnu, suffix: -rocky }, x86_64-pc-windows-msvc]\n",
        )
        .unwrap();
        let names: Vec<String> = r.targets.iter().map(|t| file_name(&r, t)).collect();
        assert_eq!(
            names,
            [
                "srv-x86_64-unknown-linux-gnu",
                "srv-x86_64-unknown-linux-gnu-rocky",
                "srv-x86_64-pc-windows-msvc.exe"
            ]
        );
    }
}
