//! `wfgen next`, `wfgen tag`, `wfgen bump` and `wfgen plan --cut`: cutting a
//! release from the command line. The rules are in [`crate::cut`]; this
//! module reads the repository, prints, and picks exit codes.

use std::path::Path;

use super::{PlanFormat, exit};
use crate::cut::next::{self, Bump, Next, Request};
use crate::cut::tag::{self, Repo};
use crate::plan::Plan;
use crate::spec::LoadedSpec;

/// The bump of `wfgen next`, `tag` and `plan --cut`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BumpKind {
    /// v1.2.3 -> v1.2.4
    Patch,
    /// v1.2.3 -> v1.3.0
    Minor,
    /// v1.2.3 -> v2.0.0
    Major,
    /// v1.2.3 -> v1.3.0-rc.1; v1.3.0-rc.1 -> v1.3.0-rc.2
    Pre,
    /// v1.3.0-rc.2 -> v1.3.0 (on the pre-release's commit); with a
    /// stable-suffix, v1.2.3 -> v1.2.3-stable
    Promote,
}

impl From<BumpKind> for Bump {
    fn from(b: BumpKind) -> Bump {
        match b {
            BumpKind::Patch => Bump::Patch,
            BumpKind::Minor => Bump::Minor,
            BumpKind::Major => Bump::Major,
            BumpKind::Pre => Bump::Pre,
            BumpKind::Promote => Bump::Promote,
        }
    }
}

/// The arguments `next`, `tag` and `plan --cut` share.
#[derive(Debug, Clone, clap::Args)]
pub struct NextArgs {
    /// The pre-release label (with `pre`), one of versioning.prereleases.
    #[arg(long)]
    pub label: Option<String>,
    /// Count from this tag instead of the highest one (a backport:
    /// `patch --from v1.4.8`).
    #[arg(long, value_name = "TAG")]
    pub from: Option<String>,
}

fn compute(spec: &LoadedSpec, plan: &Plan, bump: BumpKind, args: &NextArgs, tags: &[String]) -> Result<Next, i32> {
    let req = Request {
        bump: Some(bump.into()),
        label: args.label.clone(),
        from: args.from.clone(),
    };
    next::next(
        &plan.grammar,
        spec.spec.versioning.prerelease_format.as_deref(),
        tags,
        &req,
    )
    .map_err(|r| {
        eprintln!("error: {r}");
        exit::DRIFT
    })
}

/// `wfgen next KIND`: prints the next tag; exit 1 when there is none.
pub fn next_cmd(spec: &LoadedSpec, bump: BumpKind, args: &NextArgs, tags_file: Option<&Path>) -> i32 {
    let plan = Plan::new(&spec.spec);
    let tags = match super::plan_cmd::read_tags(spec, tags_file) {
        Ok(t) => t,
        Err(code) => return code,
    };
    match compute(spec, &plan, bump, args, &tags) {
        Ok(n) => {
            outln!("{}", n.tag);
            exit::OK
        }
        Err(code) => code,
    }
}

/// The branches releases are cut from: `triggers.cut.branch`, else the
/// remote's default branch, else `main`.
fn release_branches(spec: &LoadedSpec, repo: &Repo, remote: &str) -> Vec<String> {
    let branch = match &spec.spec.triggers.cut {
        Some(c) => c.branch.clone(),
        None => repo.default_branch(remote).unwrap_or_else(|| "main".to_string()),
    };
    vec![branch]
}

/// `wfgen tag KIND`: checks, then an annotated tag (and `--push`).
pub fn tag_cmd(spec: &LoadedSpec, bump: BumpKind, args: &NextArgs, push: bool, remote: &str) -> i32 {
    let plan = Plan::new(&spec.spec);
    let repo = Repo::new(&spec.root);
    let tags = repo.tags();
    let n = match compute(spec, &plan, bump, args, &tags) {
        Ok(n) => n,
        Err(code) => return code,
    };
    // A backport (--from) is cut from the branch of its line.
    let branches = if args.from.is_some() {
        Vec::new()
    } else {
        release_branches(spec, &repo, remote)
    };
    let head = match tag::preflight(&repo, &branches, push) {
        Ok(h) => h,
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            eprintln!(
                "  help: nothing was tagged; `wfgen next {}` shows the tag without the checks",
                bump_name(bump)
            );
            return exit::DRIFT;
        }
    };
    if push {
        match tag::remote_has(&repo, remote, &n.tag) {
            Ok(false) => {}
            Ok(true) => {
                eprintln!(
                    "error: {remote} has the tag `{}` already; fetch its tags (git fetch --tags {remote})",
                    n.tag
                );
                return exit::DRIFT;
            }
            Err(e) => {
                eprintln!("error: cannot list the tags of {remote}: {e}");
                return exit::DRIFT;
            }
        }
    }
    // Where the version files carry the version, the release checks them
    // against the tag: HEAD is tagged only when they read the tag's version
    // (as cut.yml checks them before it tags). A promotion of a pre-release
    // then tags HEAD too: the pre-release's commit reads the pre-release's
    // version, which the release refuses.
    let has_files = !n.version.promotion && !spec.spec.versioning.version_files.is_empty();
    let files_decide = n.on_tag_of.is_some() && has_files;
    if has_files {
        let b = match crate::cut::target(&plan, &n.tag).and_then(|(_, t)| {
            crate::cut::bump::bump(&spec.root, &spec.spec.versioning.version_files, &t).map_err(|e| e.join("; "))
        }) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {e}");
                return exit::FATAL;
            }
        };
        if b.differs() {
            let why = match &n.on_tag_of {
                Some(t) => format!(
                    "the commit of {t} reads the pre-release's version, and HEAD another, which the release's version check refuses"
                ),
                None => "HEAD reads another version, which the release's version check refuses".to_string(),
            };
            eprintln!("error: the version files do not read {}: {why}", n.version.version);
            for c in b.changes.iter().filter(|c| c.from != c.to) {
                eprintln!("  {}: {} reads {}", c.file, c.what, c.from);
            }
            eprintln!(
                "  help: run `wfgen bump {}`, commit and push that, then `wfgen tag {}` again: it tags HEAD",
                n.version.version,
                bump_name(bump)
            );
            return exit::DRIFT;
        }
    }
    let (commit, on) = match n.on_tag_of.as_ref().filter(|_| !files_decide) {
        Some(t) => match repo.commit(t) {
            Ok(c) => (c, format!("the commit of {t}")),
            Err(e) => {
                eprintln!("error: {e}");
                return exit::DRIFT;
            }
        },
        None => (head.commit.clone(), format!("HEAD of {}", head.branch)),
    };
    if let Err(e) = tag::create(&repo, &n.tag, &commit, &format!("Release {}", n.tag)) {
        eprintln!("error: cannot create the tag `{}`: {e}", n.tag);
        return exit::DRIFT;
    }
    outln!("tagged {} on {} ({on})", n.tag, &commit[..commit.len().min(12)]);
    if push {
        if let Err(e) = tag::push(&repo, remote, &n.tag) {
            eprintln!("error: the tag `{}` is made here but not pushed: {e}", n.tag);
            eprintln!(
                "  help: push it with `git push {remote} refs/tags/{}`, or delete it with `git tag -d {}`",
                n.tag, n.tag
            );
            return exit::DRIFT;
        }
        outln!("pushed {} to {remote}: its push starts the release", n.tag);
    } else {
        outln!("push it to start the release: git push {remote} refs/tags/{}", n.tag);
    }
    exit::OK
}

fn bump_name(b: BumpKind) -> &'static str {
    Bump::from(b).name()
}

/// `wfgen bump VERSION [--check]`.
pub fn bump_cmd(spec: &LoadedSpec, version: &str, check: bool) -> i32 {
    let plan = Plan::new(&spec.spec);
    let files = &spec.spec.versioning.version_files;
    if files.is_empty() {
        eprintln!("error: versioning.version-files lists no file, so there is nothing to bump");
        eprintln!("  help: list the files that hold the release version, e.g. `version-files: [Cargo.toml]`");
        return exit::DRIFT;
    }
    let (tag, target) = match crate::cut::target(&plan, version) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::DRIFT;
        }
    };
    let b = match crate::cut::bump::bump(&spec.root, files, &target) {
        Ok(b) => b,
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            return exit::FATAL;
        }
    };
    for line in b.lines() {
        outln!("{line}");
    }
    if check {
        if b.differs() {
            eprintln!(
                "error: the version files do not all read the version of {tag}; `wfgen bump {version}` writes it"
            );
            return exit::DRIFT;
        }
        return exit::OK;
    }
    if let Err(e) = crate::cut::bump::write(&spec.root, &b) {
        eprintln!("error: {e}");
        return exit::FATAL;
    }
    exit::OK
}

/// `wfgen plan --cut KIND`: the tag a cut makes, the version files it
/// writes, then the plan of that tag.
pub fn plan_cut(
    spec: &LoadedSpec,
    bump: BumpKind,
    args: &NextArgs,
    tags_file: Option<&Path>,
    format: PlanFormat,
) -> i32 {
    let plan = Plan::new(&spec.spec);
    let mut tags = match super::plan_cmd::read_tags(spec, tags_file) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let n = match compute(spec, &plan, bump, args, &tags) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let repo = Repo::new(&spec.root);
    let sha = match &n.on_tag_of {
        Some(t) => repo.commit(t).ok(),
        None => repo.commit("HEAD").ok(),
    };
    if format == PlanFormat::Plain {
        let base = n.base.as_deref().map(|b| format!(" of {b}")).unwrap_or_default();
        outln!("cut: {}{base} -> {}", bump_name(bump), n.tag);
        let files = !n.version.promotion && !spec.spec.versioning.version_files.is_empty();
        let on = match &n.on_tag_of {
            Some(t) if files => format!(
                "HEAD, once its version files read {} (the commit of {t} reads the pre-release's version)",
                n.version.version
            ),
            Some(t) => format!("the commit of {t}"),
            None if files => format!("HEAD, once its version files read {}", n.version.version),
            None => "HEAD".to_string(),
        };
        outln!("  tag: {} on {on}", n.tag);
        let files = &spec.spec.versioning.version_files;
        if files.is_empty() || n.version.promotion {
            outln!("  version files: none change");
        } else {
            match crate::cut::target(&plan, &n.tag)
                .and_then(|(_, t)| crate::cut::bump::bump(&spec.root, files, &t).map_err(|e| e.join("; ")))
            {
                Ok(b) => {
                    outln!("  version files (`wfgen bump {}`):", n.tag);
                    for line in b.lines() {
                        outln!("    {line}");
                    }
                }
                Err(e) => outln!("  version files: cannot be bumped: {e}"),
            }
        }
        outln!();
    }
    tags.push(n.tag.clone());
    super::plan_cmd::show(spec, &plan, &n.tag, sha, &tags, format)
}
