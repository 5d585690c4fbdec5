//! `versioning:`: the tag prefix, the pre-release labels and the stable
//! suffix, build metadata, the version files.

use super::*;

pub(super) fn check(spec: &Spec, c: &mut Problems) {
    let v = &spec.versioning;
    tag_prefix(c, v);
    prereleases(c, v);
    if let Some(s) = &v.stable_suffix {
        stable_suffix(c, v, s);
    }
    build_metadata(spec, c);
    if let Some((message, help)) = crate::spec::prerelease::format_problem(v) {
        c.err(ypath!["versioning", "prerelease-format"], Part::Value, message, help);
    }
    version_files(c, v);
}

fn tag_prefix(c: &mut Problems, v: &Versioning) {
    if !re(r"^[A-Za-z0-9._/-]*$").is_match(&v.tag_prefix) {
        c.err(
            ypath!["versioning", "tag-prefix"],
            Part::Value,
            format!(
                "tag prefix `{}` has characters that cannot stand in a tag glob",
                v.tag_prefix
            ),
            "use letters, digits, `.`, `_`, `/` and `-`, e.g. `v`, `release/` or \"\"".into(),
        );
    }
}

fn prereleases(c: &mut Problems, v: &Versioning) {
    let pep440_labels = ["a", "alpha", "b", "beta", "c", "rc", "dev"];
    for (i, l) in v.prereleases.iter().enumerate() {
        let p = ypath!["versioning", "prereleases", i];
        if v.scheme == Scheme::Pep440 {
            c.known(p, l, &pep440_labels, "PEP 440 pre-release label");
        } else if !re(r"^[A-Za-z]+$").is_match(l) {
            c.err(
                p,
                Part::Value,
                format!("pre-release label `{l}` must be letters only"),
                "tags like `rc1` or `rc.1` match the label `rc`: digits are stripped before the label is compared"
                    .into(),
            );
        }
    }
    c.unique(
        v.prereleases
            .iter()
            .enumerate()
            .map(|(i, l)| (ypath!["versioning", "prereleases", i], l.as_str())),
        "pre-release label",
    );
}

fn stable_suffix(c: &mut Problems, v: &Versioning, s: &str) {
    let p = ypath!["versioning", "stable-suffix"];
    if !re(r"^[-+.][A-Za-z0-9.-]*[A-Za-z0-9]$").is_match(s) {
        c.err(
            p,
            Part::Value,
            format!("stable suffix `{s}` is not valid"),
            "write it as it follows the version in a tag, e.g. `-stable`".into(),
        );
    } else {
        let label = s
            .trim_start_matches(['-', '+', '.'])
            .trim_end_matches(|ch: char| ch.is_ascii_digit());
        if v.prereleases.iter().any(|l| l.eq_ignore_ascii_case(label)) {
            c.err(p, Part::Value, format!("stable suffix `{s}` is also a pre-release label"), "a tag must be either a pre-release or a promotion: remove the label from `prereleases` or pick another suffix".into());
        }
    }
}

fn build_metadata(spec: &Spec, c: &mut Problems) {
    let v = &spec.versioning;
    if v.build_metadata != BuildMetadata::Allow {
        return;
    }
    let pypi = spec.python.iter().any(|p| p.publish != Publish::None);
    if v.scheme == Scheme::Pep440 {
        c.err(
            ypath!["versioning", "build-metadata"],
            Part::Value,
            "`build-metadata: allow` is for semver tags".into(),
            "PEP 440's local versions (`+local`) are refused: PyPI does not accept them; remove the key".into(),
        );
    } else if pypi {
        c.err(
            ypath!["versioning", "build-metadata"],
            Part::Value,
            "`build-metadata: allow` with a package published to PyPI".into(),
            "PyPI refuses local versions (`1.3.0+b1`), so such a tag could never publish the package: remove the key, or set the package's publish to none".into(),
        );
    }
}

fn version_files(c: &mut Problems, v: &Versioning) {
    for (i, f) in v.version_files.iter().enumerate() {
        if !inside_repository(f) {
            c.err(
                ypath!["versioning", "version-files", i],
                Part::Value,
                format!("`{f}` is not a relative path inside the repository"),
                "write the path from the repository root, e.g. `Cargo.toml` or `py/pyproject.toml`".into(),
            );
        } else if !names::version_file_supported(f) {
            c.err(
                ypath!["versioning", "version-files", i],
                Part::Value,
                format!("the release cannot read the version of `{f}`"),
                format!(
                    "the release reads the version of files named {} (each as its format says, \
                     e.g. `[package] version` of a Cargo.toml): list only such files",
                    names::VERSION_FILE_NAMES
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
}
