//! `wfgen plan TAG`: what a release of a tag does. The answer is the
//! release manifest (`plan::manifest`); this module reads the repository
//! facts it needs and prints it.

use super::{PlanFormat, exit};
use crate::plan::Plan;
use crate::plan::manifest::{self, FileKind, Manifest, NotesSource, ReleaseKind, RepoFacts};
use crate::spec::LoadedSpec;

pub fn run(
    spec: &LoadedSpec,
    tag: &str,
    sha: Option<&str>,
    tags_file: Option<&std::path::Path>,
    format: PlanFormat,
) -> i32 {
    let plan = Plan::new(&spec.spec);
    let tags = match read_tags(spec, tags_file) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let sha = match sha {
        Some(s) => Some(s.to_string()),
        None => git_rev(&spec.root, tag),
    };
    show(spec, &plan, tag, sha, &tags, format)
}

/// The repository's tags: from `--tags FILE`, else `git tag --list`. Err:
/// the exit code, the problem printed.
pub fn read_tags(spec: &LoadedSpec, tags_file: Option<&std::path::Path>) -> Result<Vec<String>, i32> {
    Ok(match tags_file {
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
                return Err(exit::FATAL);
            }
        },
        None => git_tags(&spec.root),
    })
}

/// Prints the manifest of `tag` at commit `sha` among `tags`; the exit code.
pub fn show(
    spec: &LoadedSpec,
    plan: &Plan,
    tag: &str,
    sha: Option<String>,
    tags: &[String],
    format: PlanFormat,
) -> i32 {
    let t = plan.evaluate(
        tag,
        sha.as_deref().unwrap_or("0000000000000000000000000000000000000000"),
        tags,
    );
    // The changelog of the working tree, as the release job reads it at the tag.
    let changelog = plan
        .release
        .notes
        .strip_prefix("changelog:")
        .and_then(|path| crate::limits::read_regular(&spec.root.join(path)).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let facts = RepoFacts {
        sha,
        changelog,
        tags_read: tags.len(),
    };
    let m = manifest::manifest(plan, t, &facts);
    match format {
        PlanFormat::Json => outln!("{}", serde_json::to_string_pretty(&m).expect("json")),
        PlanFormat::Plain => plain(plan, &m, &facts),
    }
    if let (Some(_), Some(e), PlanFormat::Plain) = (&m.version, &m.error, format) {
        eprintln!("error: {e}");
    }
    if m.valid { exit::OK } else { exit::DRIFT }
}

/// The manifest as text.
fn plain(plan: &Plan, m: &Manifest, facts: &RepoFacts) {
    let (Some(version), Some(kind)) = (&m.version, m.kind) else {
        outln!("{}", m.error.as_deref().unwrap_or("invalid tag"));
        return;
    };
    let kind_text = match kind {
        ReleaseKind::Promotion => "promotion (builds nothing; releases the commit of the plain tag)",
        ReleaseKind::Prerelease => "pre-release",
        ReleaseKind::Release => "release",
    };
    // The PEP 440 form matters where Python files carry it, or tags use it.
    let pep440_matters = !plan.python.is_empty() || plan.grammar.scheme == crate::spec::Scheme::Pep440;
    match &m.pep440 {
        Some(p) if p != version && pep440_matters => outln!(
            "tag {}: version {version} (PEP 440 normal form {p}) — {kind_text}",
            m.tag
        ),
        _ => outln!("tag {}: version {version} — {kind_text}", m.tag),
    }
    let r = m.github_release.as_ref();
    outln!(
        "  github release: {}{}",
        if r.is_some() { "yes" } else { "no" },
        if r.is_some() && plan.release.draft {
            " (draft)"
        } else {
            ""
        }
    );
    if let Some(r) = r {
        if plan.release.named() {
            outln!("  title: {}", r.title);
            if let Some(f) = &r.checksums_file {
                outln!("  checksums file: {f}");
            }
        }
        if !r.assets.is_empty() {
            outln!("  more files: {}", r.assets.join(", "));
        }
        let binaries: Vec<&str> = r
            .files
            .iter()
            .filter(|f| matches!(f.kind, FileKind::Archive | FileKind::Executable))
            .map(|f| f.name.as_str())
            .collect();
        if !binaries.is_empty() {
            outln!("  binaries: {}", binaries.join(", "));
        }
        if let (NotesSource::Changelog, Some(path)) = (r.notes.source, &r.notes.path) {
            match (&m.error, &r.notes.text) {
                (Some(e), _) => outln!("  notes: {e}"),
                (None, Some(n)) => outln!(
                    "  notes: the section of {version} in {path} ({} line{})",
                    n.lines().count(),
                    if n.lines().count() == 1 { "" } else { "s" }
                ),
                (None, None) => outln!("  notes: the section of {version} in {path} (not in the working tree)"),
            }
        }
    }
    outln!("  latest: {}", if m.latest { "yes" } else { "no" });
    if let (Some(s), Some(false)) = (m.standing, m.prerelease) {
        let yes = |b: bool| if b { "yes" } else { "no" };
        let (major, minor) = (m.major.unwrap_or(0), m.minor.unwrap_or(0));
        outln!(
            "  highest release: overall {}, of {major}.x {}, of {major}.{minor}.x {} ({} tags read)",
            yes(s.newest),
            yes(s.newest_in_major),
            yes(s.newest_in_minor),
            facts.tags_read
        );
    }
    // Image name -> its references, as pushed.
    let mut by_name: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for im in &m.images {
        for r in &im.tags {
            if let Some((name, _)) = r.rsplit_once(':') {
                by_name.entry(name).or_default().push(r);
            }
        }
    }
    for (image, refs) in by_name {
        outln!("  docker {image}:");
        for r in refs {
            outln!("    {r}");
        }
    }
    for p in &m.pypi {
        outln!("  {}: {}", p.repository, p.name);
    }
    for h in &m.charts {
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
    if let Some(c) = &m.identity_check {
        outln!(
            "  identity check: {} ({}), before anything is published: {}",
            c.job,
            c.workflow,
            c.checks
        );
    }
    let tools: Vec<String> = manifest::used_toolchains(plan, kind == ReleaseKind::Promotion)
        .into_iter()
        .map(|(tool, version)| format!("{tool} {version}"))
        .collect();
    outln!(
        "  toolchains: {}",
        if tools.is_empty() {
            "none".to_string()
        } else {
            tools.join(", ")
        }
    );
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
