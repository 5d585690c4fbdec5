//! Images built from the release's binaries: which build of `binaries:`
//! (which target leg) each Docker platform of an image takes.

use crate::spec::names;
use crate::spec::validate::{ImageCheck, Problems, Section};
use crate::spec::{Binary, BinaryKind, DockerImage, ImageBinary, Libc, Spec, Target, Variants};
use crate::ypath;
use crate::ypath::{Part, YPath};

/// The directory, relative to the build context, that holds the binaries.
pub const CONTEXT_DIR: &str = ".wfgen/bin";

/// The Rust architecture and the Go `GOARCH` of a Docker platform.
fn arches(platform: &str) -> Option<(&'static str, &'static str)> {
    Some(match platform {
        "linux/amd64" => ("x86_64", "amd64"),
        "linux/arm64" => ("aarch64", "arm64"),
        "linux/arm/v7" => ("armv7", "arm"),
        "linux/386" => ("i686", "386"),
        "linux/ppc64le" => ("powerpc64le", "ppc64le"),
        "linux/s390x" => ("s390x", "s390x"),
        "linux/riscv64" => ("riscv64gc", "riscv64"),
        _ => return None,
    })
}

/// The libc of a Linux Rust target (`x86_64-unknown-linux-musl` -> musl).
fn libc_of(target: &str) -> Option<Libc> {
    let env = target.rsplit('-').next()?;
    if !target.contains("-linux-") {
        return None;
    }
    if env.starts_with("musl") {
        Some(Libc::Musl)
    } else if env.starts_with("gnu") {
        Some(Libc::Gnu)
    } else {
        None
    }
}

/// Why no leg, or which one: the target of `binary` that a build for
/// `platform` takes, and its suffix ("" for none).
pub fn leg(binary: &Binary, want: &ImageBinary, platform: &str) -> Result<(String, String), String> {
    let Some((rust_arch, go_arch)) = arches(platform) else {
        return Err(format!("wfgen knows no target for the Docker platform {platform}"));
    };
    let suffix = want.suffix.as_deref().unwrap_or("");
    let of_arch: Vec<&Target> = match binary.kind {
        BinaryKind::Go => binary
            .targets
            .iter()
            .filter(|t| t.name() == format!("linux/{go_arch}"))
            .collect(),
        BinaryKind::Rust => binary
            .targets
            .iter()
            .filter(|t| t.name().split('-').next() == Some(rust_arch) && libc_of(t.name()).is_some())
            .filter(|t| want.libc.is_none() || libc_of(t.name()) == want.libc)
            .collect(),
    };
    let candidates: Vec<&&Target> = of_arch.iter().filter(|t| t.suffix() == suffix).collect();
    match candidates.as_slice() {
        [one] => Ok((one.name().to_string(), suffix.to_string())),
        [] if !of_arch.is_empty() => {
            let have: Vec<String> = of_arch
                .iter()
                .map(|t| match t.suffix() {
                    "" => format!("{} (no suffix)", t.name()),
                    s => format!("{} (suffix `{s}`)", t.name()),
                })
                .collect();
            Err(format!(
                "`{}` has no leg for the image's platform {platform} {}: its legs there are {}; set `suffix` to one of theirs",
                binary.name,
                match suffix {
                    "" => "without a suffix".to_string(),
                    s => format!("with the suffix `{s}`"),
                },
                have.join(", ")
            ))
        }
        [] => {
            let what = match (binary.kind, want.libc) {
                (BinaryKind::Go, _) => format!("linux/{go_arch}"),
                (BinaryKind::Rust, Some(Libc::Musl)) => format!("{rust_arch}-unknown-linux-musl"),
                (BinaryKind::Rust, _) => format!("{rust_arch}-unknown-linux-gnu"),
            };
            Err(format!(
                "`{}` has no Linux target for the image's platform {platform}: add `{what}` to its targets",
                binary.name
            ))
        }
        many => Err(format!(
            "`{}` has {} Linux targets for {platform} ({}): say which with `libc: gnu` or `libc: musl`",
            binary.name,
            many.len(),
            many.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The `binaries:` entry of an image binary, if the spec has it.
pub fn binary<'a>(spec: &'a Spec, want: &ImageBinary) -> Option<&'a Binary> {
    spec.binaries.iter().find(|b| b.name == want.name)
}

/// Validation of the spec (`spec::validate`) by the legs: each release
/// binary an image takes is a binary of the spec, with a build argument of
/// its own and a Linux leg for every platform the image (or variant) builds.
pub fn check(spec: &Spec, c: &mut Problems) {
    for (i, d) in spec.docker.iter().enumerate() {
        c.section(Section::Image(i, ImageCheck::Binaries));
        for (at, list, platforms) in binary_lists(&ypath!["docker", i], d) {
            for (j, ib) in list.iter().enumerate() {
                image_binary(spec, c, &at.index(j), d, ib, platforms);
            }
        }
    }
}

/// The lists of release binaries of an image, each at its path and with
/// the platforms it is built for: the image's, and a variant's own (or the
/// image's, for a variant with platforms of its own).
fn binary_lists<'a>(p: &YPath, d: &'a DockerImage) -> Vec<(YPath, &'a Vec<ImageBinary>, &'a Vec<String>)> {
    let mut bin_sets: Vec<(YPath, &Vec<ImageBinary>, &Vec<String>)> =
        vec![(p.key("binaries"), &d.binaries, &d.platforms)];
    if let Variants::Map(m) = &d.variants {
        for (name, var) in m {
            let vp = p.key("variants").key(name.as_str());
            let platforms = var.platforms.as_ref().unwrap_or(&d.platforms);
            match &var.binaries {
                Some(b) => bin_sets.push((vp.key("binaries"), b, platforms)),
                None if var.platforms.is_some() && !d.binaries.is_empty() => {
                    bin_sets.push((p.key("binaries"), &d.binaries, platforms))
                }
                None => {}
            }
        }
    }
    bin_sets
}

/// The release binary `ib` of the image `d`, at `bp`, built for `platforms`.
fn image_binary(spec: &Spec, c: &mut Problems, bp: &YPath, d: &DockerImage, ib: &ImageBinary, platforms: &[String]) {
    let Some(b) = binary(spec, ib) else {
        let known: Vec<&str> = spec.binaries.iter().map(|b| b.name.as_str()).collect();
        c.err(
            bp.key("name"),
            Part::Value,
            format!("`{}` is not a binary of this spec", ib.name),
            if known.is_empty() {
                "an image takes binaries that `binaries:` builds; this spec builds none".into()
            } else {
                format!("binaries of this spec: {}", known.join(", "))
            },
        );
        return;
    };
    c.name(
        bp.key("build-arg"),
        &ib.build_arg,
        names::BUILD_ARG,
        "build argument name",
        "build argument names use letters, digits and `_`",
    );
    if d.build_args.contains_key(&ib.build_arg) {
        c.err(
            bp.key("build-arg"),
            Part::Value,
            format!("`{}` is also in the image's `build-args`", ib.build_arg),
            "the binary's build argument holds its path: remove it from `build-args`".into(),
        );
    }
    if ib.libc.is_some() && b.kind == BinaryKind::Go {
        c.err(
            bp.key("libc"),
            Part::Key,
            format!("`{}` is a Go binary: it has one Linux build per platform", ib.name),
            "remove `libc`".into(),
        );
        return;
    }
    for pl in platforms {
        if let Err(why) = leg(b, ib, pl) {
            c.err(
                bp.key("name"),
                Part::Value,
                why,
                "every platform of the image needs a Linux build of the binary (`libc` chooses between gnu and musl)"
                    .into(),
            );
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bin(kind: BinaryKind, targets: &[&str]) -> Binary {
        let yaml = format!(
            "name: s\nkind: {}\ntargets: [{}]\n",
            if kind == BinaryKind::Rust { "rust" } else { "go" },
            targets.join(", ")
        );
        yaml_serde::from_str(&yaml).unwrap()
    }

    fn want(libc: Option<Libc>) -> ImageBinary {
        ImageBinary {
            name: "s".into(),
            build_arg: "S".into(),
            libc,
            suffix: None,
        }
    }

    #[test]
    fn legs_by_arch_and_libc() {
        let b = bin(
            BinaryKind::Rust,
            &[
                "x86_64-unknown-linux-gnu",
                "x86_64-unknown-linux-musl",
                "aarch64-unknown-linux-gnu",
                "aarch64-apple-darwin",
            ],
        );
        let t = |t: &str| (t.to_string(), String::new());
        assert_eq!(
            leg(&b, &want(Some(Libc::Musl)), "linux/amd64").unwrap(),
            t("x86_64-unknown-linux-musl")
        );
        assert_eq!(
            leg(&b, &want(Some(Libc::Gnu)), "linux/amd64").unwrap(),
            t("x86_64-unknown-linux-gnu")
        );
        assert_eq!(
            leg(&b, &want(None), "linux/arm64").unwrap(),
            t("aarch64-unknown-linux-gnu")
        );
        assert!(leg(&b, &want(None), "linux/amd64").unwrap_err().contains("libc: gnu"));
        let e = leg(&b, &want(Some(Libc::Musl)), "linux/arm64").unwrap_err();
        assert!(e.contains("add `aarch64-unknown-linux-musl`"), "{e}");
        let g = bin(BinaryKind::Go, &["linux/amd64", "linux/arm", "darwin/arm64"]);
        assert_eq!(leg(&g, &want(None), "linux/arm/v7").unwrap(), t("linux/arm"));
        assert!(
            leg(&g, &want(None), "linux/arm64")
                .unwrap_err()
                .contains("add `linux/arm64`")
        );
    }

    #[test]
    fn legs_by_suffix() {
        let b: Binary = yaml_serde::from_str(
            "name: s\nkind: rust\ntargets: [x86_64-unknown-linux-gnu, { target: x86_64-unknown-linux-gnu, container: 'rockylinux:9', suffix: -rocky }, { target: aarch64-unknown-linux-gnu, suffix: -old, glibc: '2.17' }]\n",
        )
        .unwrap();
        let with = |suffix: Option<&str>| ImageBinary {
            suffix: suffix.map(String::from),
            ..want(Some(Libc::Gnu))
        };
        let leg_of = |w: &ImageBinary, p: &str| leg(&b, w, p);
        assert_eq!(
            leg_of(&with(Some("-rocky")), "linux/amd64").unwrap(),
            ("x86_64-unknown-linux-gnu".to_string(), "-rocky".to_string())
        );
        assert_eq!(
            leg_of(&with(None), "linux/amd64").unwrap(),
            ("x86_64-unknown-linux-gnu".to_string(), String::new()),
            "no suffix: the leg without one"
        );
        let e = leg_of(&with(None), "linux/arm64").unwrap_err();
        assert!(e.contains("without a suffix") && e.contains("suffix `-old`"), "{e}");
        let e = leg_of(&with(Some("-rocky")), "linux/arm64").unwrap_err();
        assert!(e.contains("with the suffix `-rocky`"), "{e}");
    }
}
