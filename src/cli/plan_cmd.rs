//! `wfgen plan TAG`: what a release of a tag does.

use super::{PlanFormat, exit};
use crate::plan::Plan;
use crate::spec::LoadedSpec;

pub fn run(
    spec: &LoadedSpec,
    tag: &str,
    sha: Option<&str>,
    tags_file: Option<&std::path::Path>,
    format: PlanFormat,
) -> i32 {
    let plan = Plan::new(&spec.spec);
    let tags = match tags_file {
        // A regular file only: a FIFO given as --tags would block forever.
        Some(path) => match crate::limits::read_regular(path).map(|b| String::from_utf8_lossy(&b).into_owned()) {
            Ok(text) => text
                .lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
            Err(e) => {
                eprintln!("error: cannot read the tags file {}: {e}", path.display());
                eprintln!("  help: --tags takes a file with one tag per line, e.g. from `git tag --list > tags.txt`");
                return exit::FATAL;
            }
        },
        None => git_tags(&spec.root),
    };
    let sha = match sha {
        Some(s) => Some(s.to_string()),
        None => git_rev(&spec.root, tag),
    };
    let mut t = plan.evaluate(
        tag,
        sha.as_deref().unwrap_or("0000000000000000000000000000000000000000"),
        &tags,
    );
    // release.notes: changelog:PATH: the section of this version, read from
    // the working tree as the release job reads it at the tag.
    let mut notes: Option<String> = None;
    if let (Some(path), Some(v), true) = (
        plan.release.notes.strip_prefix("changelog:"),
        t.version.as_ref(),
        t.github_release,
    ) && let Ok(bytes) = crate::limits::read_regular(&spec.root.join(path))
    {
        match crate::plan::changelog::section(&String::from_utf8_lossy(&bytes), &v.version) {
            Some(text) => notes = Some(text),
            None => {
                t.valid = false;
                t.error = Some(crate::plan::changelog::missing(path, &v.version));
            }
        }
    }
    // A release with files (and so a checksums file): binaries, Python
    // distributions or release.assets.
    let has_files = plan.build.is_some() || !plan.python.is_empty() || !plan.release.assets.is_empty();
    // The release files of the binaries (each with its `.sha256`), named
    // for this version; a promotion releases those of its plain tag.
    let binary_assets: Vec<String> = match (&plan.build, &t.version) {
        (Some(b), Some(v)) if t.valid => b
            .entries
            .iter()
            .map(|e| crate::plan::assetnames::with_version(&e.asset, &v.version))
            .collect(),
        _ => Vec::new(),
    };
    match format {
        PlanFormat::Json => {
            let v = t.version.as_ref();
            let json = serde_json::json!({
                "tag": t.tag,
                "valid": t.valid,
                "error": t.error,
                "version": v.map(|v| &v.version),
                "major": v.map(|v| v.major),
                "minor": v.map(|v| v.minor),
                "patch": v.map(|v| v.patch),
                "prerelease": v.map(|v| v.is_prerelease),
                "prerelease_id": v.map(|v| &v.prerelease),
                "pep440": v.map(|v| &v.pep440),
                "promotion": v.map(|v| v.promotion),
                "sha": sha,
                "github_release": t.github_release,
                "draft": t.valid && t.github_release && plan.release.draft,
                "latest": t.latest,
                "release_title": t.github_release.then_some(t.release_title.as_ref()).flatten(),
                // Only a release with files has a checksums file.
                "checksums_file": (t.github_release && plan.release.checksums && has_files)
                    .then_some(t.checksums_file.as_ref())
                    .flatten(),
                "release_assets": if t.github_release { plan.release.assets.clone() } else { Vec::new() },
                "binary_assets": binary_assets,
                "release_notes": notes,
                "standing": t.standing,
                "pypi": t.pypi,
                "docker_tags": t.docker_tags,
                "helm": t.helm,
                "toolchains": plan.toolchains.rows().into_iter().collect::<serde_json::Map<_, _>>(),
                "outputs": t.outputs,
            });
            outln!("{}", serde_json::to_string_pretty(&json).expect("json"));
        }
        PlanFormat::Plain => match &t.version {
            None => outln!("{}", t.error.as_deref().unwrap_or("invalid tag")),
            Some(v) => {
                let kind = if v.promotion {
                    "promotion (builds nothing; releases the commit of the plain tag)"
                } else if v.is_prerelease {
                    "pre-release"
                } else {
                    "release"
                };
                if v.pep440 != v.version {
                    outln!(
                        "tag {}: version {} (PEP 440 normal form {}) — {kind}",
                        t.tag,
                        v.version,
                        v.pep440
                    );
                } else {
                    outln!("tag {}: version {} — {kind}", t.tag, v.version);
                }
                outln!(
                    "  github release: {}{}",
                    if t.github_release { "yes" } else { "no" },
                    if t.github_release && plan.release.draft {
                        " (draft)"
                    } else {
                        ""
                    }
                );
                if t.github_release {
                    if let (true, Some(title)) = (plan.release.named(), &t.release_title) {
                        outln!("  title: {title}");
                    }
                    if let (true, true, Some(f)) = (
                        plan.release.named(),
                        plan.release.checksums && has_files,
                        &t.checksums_file,
                    ) {
                        outln!("  checksums file: {f}");
                    }
                    if !plan.release.assets.is_empty() {
                        outln!("  more files: {}", plan.release.assets.join(", "));
                    }
                    if !binary_assets.is_empty() {
                        outln!("  binaries: {}", binary_assets.join(", "));
                    }
                    if let Some(path) = plan.release.notes.strip_prefix("changelog:") {
                        match (&t.error, &notes) {
                            (Some(e), _) => outln!("  notes: {e}"),
                            (None, Some(n)) => outln!(
                                "  notes: the section of {} in {path} ({} line{})",
                                v.version,
                                n.lines().count(),
                                if n.lines().count() == 1 { "" } else { "s" }
                            ),
                            (None, None) => outln!(
                                "  notes: the section of {} in {path} (not in the working tree)",
                                v.version
                            ),
                        }
                    }
                }
                outln!("  latest: {}", if t.latest { "yes" } else { "no" });
                if let Some(s) = t.standing.filter(|_| !v.is_prerelease) {
                    let yes = |b: bool| if b { "yes" } else { "no" };
                    outln!(
                        "  highest release: overall {}, of {}.x {}, of {}.{}.x {} ({} tags read)",
                        yes(s.newest),
                        v.major,
                        yes(s.newest_in_major),
                        v.major,
                        v.minor,
                        yes(s.newest_in_minor),
                        tags.len()
                    );
                }
                for (image, refs) in &t.docker_tags {
                    outln!("  docker {image}:");
                    for r in refs {
                        outln!("    {r}");
                    }
                }
                for p in &t.pypi {
                    outln!("  {}: {}", p.repository, p.name);
                }
                for h in &t.helm {
                    outln!(
                        "  helm {}: version {}, appVersion {}, to {} (login: {})",
                        h.chart,
                        h.version,
                        h.app_version,
                        h.registry,
                        h.username_secret
                            .as_deref()
                            .map(|s| format!("secret {s}"))
                            .unwrap_or_else(|| "GITHUB_TOKEN".into())
                    );
                }
                let tools: Vec<String> = plan
                    .toolchains
                    .pairs()
                    .into_iter()
                    .map(|(tool, version)| format!("{tool} {version}"))
                    .collect();
                outln!("  toolchains: {}", tools.join(", "));
            }
        },
    }
    if let (Some(_), Some(e), PlanFormat::Plain) = (&t.version, &t.error, format) {
        eprintln!("error: {e}");
    }
    if t.valid { exit::OK } else { exit::DRIFT }
}

/// The commit a tag names, if git knows it.
fn git_rev(root: &std::path::Path, tag: &str) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("refs/tags/{tag}^{{commit}}"),
        ])
        .output()
        .ok()?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && s.len() == 40).then_some(s)
}

/// The tags of the repository at `root` (none outside a git repository).
fn git_tags(root: &std::path::Path) -> Vec<String> {
    let Ok(out) = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["tag", "--list"])
        .output()
    else {
        return Vec::new();
    };
    if !out.status.success() {
        return Vec::new();
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}
