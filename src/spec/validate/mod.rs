//! Semantic validation of a parsed [`Spec`]: names, targets, placeholders,
//! runners, pins. Every problem is located in wfgen.yaml and has a help text.
//!
//! One module per part of the spec, each a set of small checks;
//! [`validate`] runs them part by part. The checks that need what the plan
//! resolves (a registry's login, an image's binary legs) run in the plan
//! (`plan::check`): each problem keeps its [`Section`] of the report, so
//! that the loader reports the problems of both in one order.

mod binaries;
mod docker;
mod helm;
mod jobs;
mod pins;
mod python;
mod release;
mod versioning;

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;

use super::names::{self, placeholders};
use super::registry::{chart_host, image_host, is_chart_registry};
use super::*;
use crate::diag::Problem;
use crate::jobids;
use crate::ypath;
use crate::ypath::{Located, Part, YPath};

/// Where a problem goes in the report: problems are reported part of the
/// spec by part, in this order, and an image's or a chart's together, check
/// by check. The spec's own checks and the plan's (`plan::check`: the checks
/// that need what the plan resolves, such as a registry's login or an
/// image's binary legs) each say where their problems go, and the report
/// merges the two ([`Problems::into_report`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Project,
    Versioning,
    Triggers,
    /// The toolchains, and the setup steps and environments of the jobs.
    Setup,
    Gates,
    Binaries,
    /// The names of the binaries' release files (the plan's).
    AssetNames,
    Python,
    Registries,
    /// `docker[i]`.
    Image(usize, ImageCheck),
    /// No image twice.
    Images,
    /// `helm[i]`.
    Chart(usize, ChartCheck),
    Release,
    Runners,
    Jobs,
    Pins,
}

/// The checks of one image, in the order of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ImageCheck {
    /// The image's name and its mirrors'.
    Names,
    /// A login for every host it is pushed to (the plan's).
    Logins,
    /// `login`, platforms, Dockerfile stage, labels.
    Settings,
    /// The release binaries it takes, a leg for each platform (the plan's).
    Binaries,
    /// Tags, Dockerfile, build arguments, variants.
    Tags,
}

/// The checks of one chart, in the order of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChartCheck {
    /// The chart directory and the registry.
    Paths,
    /// A login for the registry's host (the plan's).
    Login,
    /// The placeholders of `app-version` and `version`.
    Versions,
    /// The chart version is SemVer 2 (the plan's).
    SemVer,
}

/// The problems found so far, each located in wfgen.yaml through `loc` and
/// kept with the [`Section`] of the report it goes in.
pub struct Problems<'a> {
    loc: &'a Located,
    section: Section,
    out: Vec<(Section, Problem)>,
}

impl<'a> Problems<'a> {
    fn new(loc: &'a Located) -> Self {
        Problems {
            loc,
            section: Section::Project,
            out: Vec::new(),
        }
    }

    /// The problems found from now on go in `section` of the report.
    pub fn section(&mut self, section: Section) {
        self.section = section;
    }

    /// Every problem, section by section; in one section, in the order
    /// found.
    pub fn into_report(self) -> Vec<Problem> {
        let mut out = self.out;
        out.sort_by_key(|(section, _)| *section);
        out.into_iter().map(|(_, p)| p).collect()
    }
}

impl Problems<'_> {
    fn push(&mut self, problem: Problem) {
        self.out.push((self.section, problem));
    }

    /// A problem at the node at `path` (its key or its value, as `part` says).
    pub fn err(&mut self, path: YPath, part: Part, message: String, help: String) {
        let span = self.loc.span(&path, part);
        self.push(Problem::new(message).at(span).help(help));
    }

    /// A problem about `needle` inside the string value at `path`.
    fn err_in(&mut self, path: YPath, needle: &str, message: String, help: String) {
        let span = self
            .loc
            .span(&path, Part::Value)
            .map(|(s, e)| match self.loc.text()[s..e].find(needle) {
                Some(i) if !needle.is_empty() => (s + i, s + i + needle.len()),
                _ => (s, e),
            });
        self.push(Problem::new(message).at(span).help(help));
    }

    /// A problem unless `value` matches `pattern`: "not a valid `what`".
    pub fn name(&mut self, path: YPath, value: &str, pattern: &'static str, what: &str, help: &str) {
        if !re(pattern).is_match(value) {
            self.err(
                path,
                Part::Value,
                format!("`{value}` is not a valid {what}"),
                help.to_string(),
            );
        }
    }

    fn known(&mut self, path: YPath, value: &str, known: &[&str], what: &str) {
        if known.contains(&value) {
            return;
        }
        let list = known.join(", ");
        let help = match super::load::did_you_mean(value, known) {
            Some(s) => format!("did you mean `{s}`? known {what}s: {list}"),
            None => format!("known {what}s: {list}"),
        };
        self.err(path, Part::Value, format!("unknown {what} `{value}`"), help);
    }

    /// Checks the placeholders of the string at `path` against `allowed`;
    /// `why` explains, per placeholder that exists but is not allowed here, why.
    fn placeholders(&mut self, path: YPath, value: &str, allowed: &[&str], why: &dyn Fn(&str) -> String) {
        match placeholders(value) {
            Err((_, msg)) => self.err(
                path,
                Part::Value,
                format!("malformed placeholder in `{value}`: {msg}"),
                "placeholders are written `{name}`, e.g. `{version}`".into(),
            ),
            Ok(found) => {
                for (name, range) in found {
                    let text = &value[range];
                    if allowed.contains(&name.as_str()) {
                        continue;
                    }
                    let allowed_list = allowed
                        .iter()
                        .map(|a| format!("{{{a}}}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    if names::PLACEHOLDERS.contains(&name.as_str()) {
                        self.err_in(
                            path.clone(),
                            text,
                            format!("placeholder `{text}` cannot be used here"),
                            format!("{}; allowed here: {allowed_list}", why(&name)),
                        );
                    } else {
                        let help = match super::load::did_you_mean(&name, allowed) {
                            Some(s) => format!("did you mean `{{{s}}}`? allowed here: {allowed_list}"),
                            None => format!("allowed here: {allowed_list}"),
                        };
                        self.err_in(path.clone(), text, format!("unknown placeholder `{text}`"), help);
                    }
                }
            }
        }
    }

    /// A problem when `value`, a job id of release.yml, is one that wfgen's
    /// own jobs use (GitHub compares job ids ignoring case); returns whether
    /// it is.
    fn reserved_job(&mut self, path: YPath, value: &str, what: &str, help: &str) -> bool {
        let Some(own) = jobids::release_job(value) else {
            return false;
        };
        let message = match own.strip_suffix('*') {
            Some(prefix) if value.starts_with(prefix) => {
                format!("{what} `{value}` starts like the jobs `{own}` of release.yml")
            }
            Some(_) => format!(
                "{what} `{value}` starts like the jobs `{own}` of release.yml (GitHub compares job ids ignoring case)"
            ),
            None if own == value => format!("{what} `{value}` is a job of release.yml"),
            None => {
                format!("{what} `{value}` is the job `{own}` of release.yml (GitHub compares job ids ignoring case)")
            }
        };
        self.err(
            path,
            Part::Value,
            message,
            format!("{help}; release.yml uses {}", jobids::release_jobs_list()),
        );
        true
    }

    /// Job ids that must differ, as GitHub compares them (ignoring case):
    /// a problem at each one that an earlier one takes.
    fn unique_ids<'s>(&mut self, items: impl Iterator<Item = (YPath, &'s str)>, what: &str) {
        let mut seen: Vec<&str> = Vec::new();
        for (path, v) in items {
            match seen.iter().find(|s| jobids::same(s, v)) {
                Some(s) if *s == v => self.err(
                    path,
                    Part::Value,
                    format!("duplicate {what} `{v}`"),
                    format!("each {what} may appear once"),
                ),
                Some(s) => self.err(
                    path,
                    Part::Value,
                    format!("duplicate {what} `{v}`: `{s}` is the same job id"),
                    format!("each {what} may appear once, and GitHub compares job ids ignoring case"),
                ),
                None => seen.push(v),
            }
        }
    }

    fn unique<'s>(&mut self, items: impl Iterator<Item = (YPath, &'s str)>, what: &str) {
        let mut seen = BTreeSet::new();
        for (path, v) in items {
            if !seen.insert(v.to_string()) {
                self.err(
                    path,
                    Part::Value,
                    format!("duplicate {what} `{v}`"),
                    format!("each {what} may appear once"),
                );
            }
        }
    }
}

/// The regex of `s`, compiled once per process: validation uses a few dozen
/// fixed patterns, and compiling them took most of its time.
fn re(s: &'static str) -> Regex {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<BTreeMap<&'static str, Regex>>> = std::sync::OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    cache
        .entry(s)
        .or_insert_with(|| Regex::new(s).expect("valid regex"))
        .clone()
}

/// A secret's name.
const SECRET: &str = r"^[A-Za-z_][A-Za-z0-9_]*$";

/// A relative path inside the repository, as the spec writes paths.
const REL_PATH: &str = r"^[A-Za-z0-9_.@+-][A-Za-z0-9_./@+-]*$";

/// Whether `path` is a relative path inside the repository: [`REL_PATH`]
/// without a `..` segment.
fn inside_repository(path: &str) -> bool {
    re(REL_PATH).is_match(path) && !path.split('/').any(|s| s == "..")
}

/// Validates a spec: every problem found, by section of the report (none
/// when valid). The loader adds the plan's checks to them.
pub(crate) fn validate<'a>(spec: &Spec, loc: &'a Located) -> Problems<'a> {
    let mut c = Problems::new(loc);
    project(spec, &mut c);
    c.section(Section::Versioning);
    versioning::check(spec, &mut c);
    c.section(Section::Triggers);
    triggers(spec, &mut c);
    c.section(Section::Setup);
    pins::toolchains(&mut c, &spec.toolchains);
    jobs::setup_and_env(spec, &mut c);
    c.section(Section::Gates);
    jobs::gates(spec, &mut c);
    c.section(Section::Binaries);
    binaries::check(spec, &mut c);
    c.section(Section::Python);
    python::check(spec, &mut c);
    c.section(Section::Registries);
    docker::registries(spec, &mut c);
    docker::images(spec, &mut c);
    helm::check(spec, &mut c);
    c.section(Section::Release);
    release::check(spec, &mut c);
    c.section(Section::Runners);
    pins::runners(spec, &mut c);
    c.section(Section::Jobs);
    jobs::custom_jobs(spec, &mut c);
    c.section(Section::Pins);
    pins::pins(spec, &mut c);
    c
}

/// `wfgen:` and `project:`.
fn project(spec: &Spec, c: &mut Problems) {
    if spec.wfgen != 1 {
        c.err(
            ypath!["wfgen"],
            Part::Value,
            format!("unsupported spec format {}", spec.wfgen),
            "this wfgen reads spec format 1: write `wfgen: 1`".into(),
        );
    }
    c.name(
        ypath!["project", "name"],
        &spec.project.name,
        r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        "project name",
        "use letters, digits, `.`, `_` and `-`, starting with a letter or digit",
    );
    if let Some(r) = &spec.project.repository {
        c.name(
            ypath!["project", "repository"],
            r,
            r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$",
            "repository",
            "write the GitHub repository as `owner/name`",
        );
    }
}

/// `triggers:`: something starts a release; with `pull-request: build`,
/// no gate takes the name of a job of pull-request.yml.
fn triggers(spec: &Spec, c: &mut Problems) {
    if !spec.triggers.tags && !spec.triggers.dispatch {
        c.err(
            ypath!["triggers"],
            Part::Key,
            "with `tags: false` and `dispatch: false` nothing can start a release".into(),
            "keep `tags: true` (releases on pushed tags) or `dispatch: true` (releases run by hand)".into(),
        );
    }
    if let Some(cut) = &spec.triggers.cut
        && let Some((key, message, help)) =
            crate::spec::prerelease::cut_problem(cut, &spec.triggers, spec.versioning.version_files.is_empty())
    {
        let at = match key {
            Some(k) => ypath!["triggers", "cut", k],
            None => ypath!["triggers", "cut"],
        };
        c.err(at, Part::Value, message, help);
    }
    if spec.triggers.pull_request == PullRequest::Build {
        jobs::pull_request_gates(spec, c);
    }
}

/// The files of the repository that the spec names: the changelog or notes
/// file of `release.notes` must be there, and each `binaries[].include`
/// entry must name something there or be ignored by git.
/// Run by the loader only when the spec sits in a git work tree (`root`
/// holds `.git`): a spec copied anywhere else is checked as a spec alone.
/// An include that git ignores is taken for a build output (opsml's UI
/// bundle, made by a `setup` step, sits in an ignored `build/`): the build
/// job checks it once the setup steps have run.
pub fn repository(spec: &Spec, loc: &Located, root: &std::path::Path) -> Vec<Problem> {
    let mut c = Problems::new(loc);
    for (i, b) in spec.binaries.iter().enumerate() {
        for (j, inc) in b.include.iter().enumerate() {
            let (at, path, dir) = match inc {
                crate::spec::Include::File(f) => (ypath!["binaries", i, "include", j], f.as_str(), false),
                crate::spec::Include::Dir(d) => (ypath!["binaries", i, "include", j, "from"], d.from.as_str(), true),
            };
            if !include_is_missing(root, path, dir) {
                continue;
            }
            let what = if dir {
                "directory"
            } else if path.contains(['*', '?', '[']) {
                "glob"
            } else {
                "file"
            };
            c.err(
                at,
                Part::Value,
                format!("the {what} `{path}` of `include` names nothing in the repository"),
                "paths are relative to the repository root: fix the path, or commit the file; if a \
                 `setup` step makes it before the build, list it in .gitignore (a build output belongs \
                 there) and the build job checks it instead"
                    .into(),
            );
        }
    }
    let r = &spec.release;
    if r.github_release != GithubRelease::Never && r.notes != "generated" && r.notes != "none" {
        let (path, what) = match r.notes.strip_prefix("changelog:") {
            Some(p) => (p, "changelog"),
            None => (r.notes.as_str(), "notes file"),
        };
        if !root.join(path).is_file() {
            c.err(
                ypath!["release", "notes"],
                Part::Value,
                format!("the {what} `{path}` is not a file of the repository"),
                format!(
                    "every release reads it: commit {path}, fix the path (relative to the repository root, {}), or use `notes: generated`",
                    root.display()
                ),
            );
        }
    }
    c.into_report()
}

/// Whether an `include` entry names nothing in the work tree at `root` and
/// git says it ignores none of it (without git to ask, it is not missing:
/// the build job checks it).
fn include_is_missing(root: &std::path::Path, path: &str, dir: bool) -> bool {
    if super::tree::names_something(root, path, dir) {
        return false;
    }
    // The path up to its first glob segment, and the whole pattern
    // (git's own patterns match `LICENSE*` as a path).
    let stem: Vec<&str> = path.split('/').take_while(|s| !s.contains(['*', '?', '['])).collect();
    let ignored = [stem.join("/"), path.to_string()]
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| super::tree::git_ignores(root, p))
        .collect::<Vec<_>>();
    ignored.iter().all(|g| *g == Some(false))
}

#[cfg(test)]
mod tests {
    fn lines(text: &str) -> Vec<String> {
        match crate::spec::load::parse("wfgen.yaml", text) {
            Ok(_) => vec![],
            Err(p) => p.oneline(),
        }
    }
    const HEAD: &str = "wfgen: 1\nproject: { name: demo }\n";

    #[test]
    fn unknown_target_is_located() {
        let l = lines(&format!(
            "{HEAD}binaries:\n  - name: x\n    kind: rust\n    targets: [x86_64-unknown-linux-gnu, x86_64-unknown-linux-gnux]\n"
        ));
        assert_eq!(l, ["wfgen.yaml:6:41: unknown Rust target `x86_64-unknown-linux-gnux`"]);
    }

    #[test]
    fn retired_runner_is_refused() {
        let l = lines(&format!("{HEAD}runners:\n  x86_64-unknown-linux-gnu: ubuntu-20.04\n"));
        assert_eq!(l, ["wfgen.yaml:4:29: runner `ubuntu-20.04` is retired by GitHub"]);
    }

    #[test]
    fn unknown_and_misplaced_placeholders() {
        let l = lines(&format!(
            "{HEAD}docker:\n  - image: ghcr.io/a/b\n    tags: [\"{{versoin}}\", \"{{arch}}-x\"]\n"
        ));
        assert_eq!(l.len(), 2, "{l:?}");
        assert_eq!(l[0], "wfgen.yaml:5:13: unknown placeholder `{versoin}`");
        assert_eq!(l[1], "wfgen.yaml:5:26: placeholder `{arch}` cannot be used here");
    }

    #[test]
    fn bad_pin_sha() {
        let l = lines(&format!(
            "{HEAD}pins:\n  actions/checkout: {{ version: v4, sha: abc123 }}\n"
        ));
        assert_eq!(l, ["wfgen.yaml:4:41: `abc123` is not a full commit SHA"]);
    }

    #[test]
    fn version_files_of_unknown_formats_are_refused() {
        let l = lines(&format!(
            "{HEAD}versioning:\n  version-files: [Cargo.toml, setup.py, charts/a/Chart.yaml, web/package.json, py/pyproject.toml]\n"
        ));
        assert_eq!(
            l,
            ["wfgen.yaml:4:31: the release cannot read the version of `setup.py`"]
        );
    }
}
