//! Semantic validation of a parsed [`Spec`]: names, targets, placeholders,
//! runners, pins. Every problem is located in wfgen.yaml and has a help text.

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;

use super::names::{self, placeholders};
use super::registry::{chart_host, image_host};
use super::*;
use crate::diag::Problem;
use crate::jobids;
use crate::ypath;
use crate::ypath::{Located, Part, YPath};

struct Ctx<'a> {
    loc: &'a Located,
    out: Vec<Problem>,
}

impl Ctx<'_> {
    fn err(&mut self, path: YPath, part: Part, message: String, help: String) {
        let span = self.loc.span(&path, part);
        self.out.push(Problem::new(message).at(span).help(help));
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
        self.out.push(Problem::new(message).at(span).help(help));
    }

    fn name(&mut self, path: YPath, value: &str, re: &Regex, what: &str, help: &str) {
        if !re.is_match(value) {
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

/// A reusable workflow of this repository, as a gate or a job calls it.
const LOCAL_WORKFLOW: &str = r"^\./\.github/workflows/[A-Za-z0-9_.-]+\.ya?ml$";

/// Secret names passed by name (a job's or a step's `secrets:`): valid names,
/// not GitHub's own; `reserved_help` says what to use instead of GITHUB_*.
fn secret_names(c: &mut Ctx, at: YPath, names: &[String], reserved_help: &str) {
    let secret = re(r"^[A-Za-z_][A-Za-z0-9_]*$");
    for (k, s) in names.iter().enumerate() {
        c.name(
            at.index(k),
            s,
            &secret,
            "secret name",
            "the name of a repository or environment secret: letters, digits and `_`",
        );
        if s.starts_with("GITHUB_") {
            c.err(
                at.index(k),
                Part::Value,
                format!("`{s}` is not a secret you can pass"),
                reserved_help.into(),
            );
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

/// Validates a spec; returns every problem found (empty when valid).
pub fn validate(spec: &Spec, loc: &Located) -> Vec<Problem> {
    let mut c = Ctx { loc, out: Vec::new() };
    let ident = re(r"^[A-Za-z0-9][A-Za-z0-9._-]*$");
    let job_id = re(r"^[A-Za-z_][A-Za-z0-9_-]*$");
    let secret = re(r"^[A-Za-z_][A-Za-z0-9_]*$");
    let rel_path = re(r"^[A-Za-z0-9_.@+-][A-Za-z0-9_./@+-]*$");
    let file_name = re(r"^[A-Za-z0-9_.@+{}-]+$");
    let asset_path = re(r"^[A-Za-z0-9_.@+*?\[\]-][A-Za-z0-9_./@+*?\[\]-]*$");

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
        &ident,
        "project name",
        "use letters, digits, `.`, `_` and `-`, starting with a letter or digit",
    );
    if let Some(r) = &spec.project.repository {
        c.name(
            ypath!["project", "repository"],
            r,
            &re(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"),
            "repository",
            "write the GitHub repository as `owner/name`",
        );
    }

    // versioning
    let v = &spec.versioning;
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
    if let Some(s) = &v.stable_suffix {
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
    if v.build_metadata == crate::spec::BuildMetadata::Allow {
        let pypi = spec.python.iter().any(|p| p.publish != crate::spec::Publish::None);
        if v.scheme == crate::spec::Scheme::Pep440 {
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
    for (i, f) in v.version_files.iter().enumerate() {
        if !rel_path.is_match(f) || f.split('/').any(|s| s == "..") {
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

    if !spec.triggers.tags && !spec.triggers.dispatch {
        c.err(
            ypath!["triggers"],
            Part::Key,
            "with `tags: false` and `dispatch: false` nothing can start a release".into(),
            "keep `tags: true` (releases on pushed tags) or `dispatch: true` (releases run by hand)".into(),
        );
    }

    if spec.triggers.pull_request == PullRequest::Build {
        pull_request_build(spec, &mut c);
    }

    // toolchains, setup and env of every build and gate job
    toolchains(&mut c, &spec.toolchains);
    steps(spec, &mut c, ypath!["setup"], &spec.setup);
    env_map(&mut c, ypath!["env"], &spec.env);
    for (i, b) in spec.binaries.iter().enumerate() {
        steps(spec, &mut c, ypath!["binaries", i, "setup"], &b.setup);
        env_map(&mut c, ypath!["binaries", i, "env"], &b.env);
    }
    for (i, py) in spec.python.iter().enumerate() {
        steps(spec, &mut c, ypath!["python", i, "setup"], &py.setup);
        env_map(&mut c, ypath!["python", i, "env"], &py.env);
    }
    steps(spec, &mut c, ypath!["release", "setup"], &spec.release.setup);

    // gates
    for (i, g) in spec.gates.iter().enumerate() {
        let p = ypath!["gates", i];
        c.name(
            p.key("name"),
            &g.name,
            &job_id,
            "gate name",
            "a gate's name is its job id: letters, digits, `-` and `_`, starting with a letter or `_`",
        );
        c.reserved_job(p.key("name"), &g.name, "gate name", "pick another name");
        match (&g.run, &g.uses) {
            (Some(_), Some(_)) | (None, None) => c.err(
                p.clone(),
                Part::Key,
                format!("gate `{}` needs either `run` or `uses`", g.name),
                "e.g. `run: make test`, or `uses: ./.github/workflows/e2e.yml` for a reusable workflow of yours".into(),
            ),
            _ => {}
        }
        if let Some(run) = &g.run {
            no_expr(&mut c, p.key("run"), run);
            if run.trim().is_empty() {
                c.err(
                    p.key("run"),
                    Part::Value,
                    "a gate needs a command to run".into(),
                    "e.g. `run: make test`".into(),
                );
            }
        }
        if let Some(u) = &g.uses {
            if !re(LOCAL_WORKFLOW).is_match(u) {
                c.err(
                    p.key("uses"),
                    Part::Value,
                    format!("`{u}` is not a reusable workflow of this repository"),
                    "write `./.github/workflows/<file>.yml`; it is called with the inputs tag, version, prerelease and sha".into(),
                );
            }
            for (key, set) in [("setup", !g.setup.is_empty()), ("env", !g.env.is_empty())] {
                if set {
                    c.err(
                        p.key(key),
                        Part::Key,
                        format!("`{key}` does nothing for a gate that calls a reusable workflow"),
                        "put the steps and the environment in the called workflow's jobs".into(),
                    );
                }
            }
        }
        steps(spec, &mut c, p.key("setup"), &g.setup);
        env_map(&mut c, p.key("env"), &g.env);
    }
    c.unique_ids(
        spec.gates
            .iter()
            .enumerate()
            .map(|(i, g)| (ypath!["gates", i, "name"], g.name.as_str())),
        "gate name",
    );

    // binaries
    for (i, b) in spec.binaries.iter().enumerate() {
        let p = ypath!["binaries", i];
        c.name(
            p.key("name"),
            &b.name,
            &ident,
            "binary name",
            "use letters, digits, `.`, `_` and `-`",
        );
        if b.targets.is_empty() {
            c.err(
                p.key("targets"),
                Part::Value,
                format!("binary `{}` has no targets", b.name),
                "list at least one target, e.g. `[x86_64-unknown-linux-gnu]`".into(),
            );
        }
        binary_build_keys(&mut c, &p, b);
        binary_targets(&mut c, &p, b);
        if b.kind == BinaryKind::Go && !b.features.is_empty() {
            c.err(
                p.key("features"),
                Part::Value,
                "Go binaries have no cargo features".into(),
                "remove `features`, or set `kind: rust`".into(),
            );
        }
        if let Some(pkg) = &b.package
            && (pkg.trim().is_empty() || pkg.contains(char::is_whitespace))
        {
            c.err(
                p.key("package"),
                Part::Value,
                format!("`{pkg}` is not a package name or path"),
                "a cargo package name, or a Go main package path such as `./cmd/tool`".into(),
            );
        }
    }
    c.unique(
        spec.binaries
            .iter()
            .enumerate()
            .map(|(i, b)| (ypath!["binaries", i, "name"], b.name.as_str())),
        "binary name",
    );
    asset_collisions(&mut c, spec);

    // python
    for (i, py) in spec.python.iter().enumerate() {
        let p = ypath!["python", i];
        c.name(
            p.key("name"),
            &py.name,
            &re(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$"),
            "Python distribution name",
            "PEP 508 names use letters, digits, `.`, `_` and `-`",
        );
        if let Some(w) = &py.workflow {
            c.name(
                p.key("workflow"),
                w,
                &re(r"^[A-Za-z_][A-Za-z0-9_-]*$"),
                "workflow name",
                "the file name without `.yml`, also a job id: letters, digits, `-` and `_`, starting with a letter",
            );
            // Compared ignoring case: a checkout on macOS or Windows has one
            // file for both.
            if ["release", "build-assets", "docker", "helm-publish", "pull-request"]
                .iter()
                .any(|f| f.eq_ignore_ascii_case(w))
            {
                c.err(
                    p.key("workflow"),
                    Part::Value,
                    format!("workflow name `{w}` is taken by another wfgen workflow"),
                    "pick another name, e.g. `release-server`".into(),
                );
            } else {
                c.reserved_job(
                    p.key("workflow"),
                    w,
                    "workflow name",
                    "the workflow's name is also the id of the job that calls it; pick another name",
                );
            }
        }
        let wf = py.workflow_name();
        if py.workflow.is_none() && jobids::release_job(&wf).is_some() {
            c.err(
                p.key("name"),
                Part::Value,
                format!("the workflow of `{}` is named `{wf}`, a job of release.yml", py.name),
                format!(
                    "a Python workflow's name is also the id of the job that calls it: set `workflow` to another name, e.g. `{wf}-python`; release.yml uses {}",
                    jobids::release_jobs_list()
                ),
            );
        }
        if spec.gates.iter().any(|g| jobids::same(&g.name, &wf)) {
            c.err(
                p.key(if py.workflow.is_some() { "workflow" } else { "name" }),
                Part::Value,
                format!("workflow `{wf}` has the name of a gate"),
                "release.yml calls each Python workflow as a job of that name: rename the gate or set `workflow`"
                    .into(),
            );
        }
        if !rel_path.is_match(&py.path) || py.path.split('/').any(|s| s == "..") {
            c.err(
                p.key("path"),
                Part::Value,
                format!("`{}` is not a relative path inside the repository", py.path),
                "the directory holding pyproject.toml, from the repository root".into(),
            );
        }
        match py.build {
            PythonBuild::Pure => {
                for (key, set) in [
                    ("platforms", !py.platforms.is_empty()),
                    ("features", !py.features.is_empty()),
                    ("python", !py.python.is_empty()),
                    ("abi3", py.abi3),
                    ("bindings", py.bindings.is_some()),
                    ("manylinux", py.manylinux.is_some()),
                    ("maturin-args", !py.maturin_args.is_empty()),
                    ("before-script-linux", py.before_script_linux.is_some()),
                ] {
                    if set {
                        c.err(
                            p.key(key),
                            Part::Key,
                            format!("`{key}` does not apply to a pure Python package"),
                            "a pure package builds one `py3-none-any` wheel (with `builder`): remove this key, or set `build: maturin`"
                                .into(),
                        );
                    }
                }
            }
            PythonBuild::Maturin => {
                if py.builder.is_some() {
                    c.err(
                        p.key("builder"),
                        Part::Key,
                        "`builder` is for pure packages".into(),
                        "maturin builds this package's wheels and sdist (its version is `toolchains.maturin`): remove `builder`, or set `build: pure`".into(),
                    );
                }
                maturin_keys(&mut c, &p, py);
                for (j, pl) in py.platforms.iter().enumerate() {
                    c.known(
                        p.key("platforms").index(j),
                        pl,
                        names::PYTHON_PLATFORMS,
                        "Python platform",
                    );
                }
                c.unique(
                    py.platforms
                        .iter()
                        .enumerate()
                        .map(|(j, t)| (p.key("platforms").index(j), t.as_str())),
                    "platform",
                );
                if py.abi3 && !py.python.is_empty() {
                    c.err(
                        p.key("abi3"),
                        Part::Key,
                        "`abi3: true` and a `python` list exclude each other".into(),
                        "an abi3 wheel serves every Python version: remove `python`, or `abi3`".into(),
                    );
                }
                for (j, ver) in py.python.iter().enumerate() {
                    if !re(r"^3\.[0-9]{1,2}t?$").is_match(ver) {
                        c.err(
                            p.key("python").index(j),
                            Part::Value,
                            format!("`{ver}` is not a CPython version"),
                            "write versions as quoted strings, e.g. \"3.12\"".into(),
                        );
                    }
                }
            }
        }
        if let Some(t) = &py.token_secret {
            c.name(
                p.key("token-secret"),
                t,
                &secret,
                "secret name",
                "secret names use letters, digits and `_`, e.g. `PYPI_TOKEN`",
            );
            if t.to_ascii_uppercase().starts_with("GITHUB_") {
                c.err(
                    p.key("token-secret"),
                    Part::Value,
                    format!("`{t}`: secret names cannot start with GITHUB_"),
                    "GitHub reserves the GITHUB_ prefix; name it e.g. `PYPI_TOKEN`".into(),
                );
            }
            if py.publish == crate::spec::Publish::None {
                c.err(
                    p.key("token-secret"),
                    Part::Key,
                    "a token for a package that is not published".into(),
                    "remove `token-secret`, or set `publish`".into(),
                );
            }
        }
        if py.environment.trim().is_empty() {
            c.err(
                p.key("environment"),
                Part::Value,
                "the publish environment name is empty".into(),
                "name the GitHub environment of the publish job, e.g. `pypi`".into(),
            );
        }
    }
    python_names(spec, &mut c);

    // registries
    let used: BTreeSet<String> = spec
        .docker
        .iter()
        .flat_map(|d| std::iter::once(&d.image).chain(&d.mirrors))
        .map(|n| image_host(n))
        .chain(spec.helm.iter().map(|h| chart_host(&h.registry)))
        .collect();
    let host_re = re(r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$");
    for (host, l) in &spec.registries {
        let p = ypath!["registries", host.as_str()];
        if !host_re.is_match(host) {
            c.err(
                p.clone(),
                Part::Key,
                format!("`{host}` is not a registry host"),
                "write the host alone, without a scheme or path, e.g. `docker.io`, `quay.io`, `registry.example.com:5000`"
                    .into(),
            );
        } else if !used.contains(host) {
            let hosts: Vec<&str> = used.iter().map(String::as_str).collect();
            c.err(
                p.clone(),
                Part::Key,
                format!("no image or chart is pushed to {host}"),
                if hosts.is_empty() {
                    "remove the entry: the spec pushes no image and no chart".into()
                } else {
                    format!(
                        "the spec pushes to {}; Docker Hub is `docker.io`; remove the entry or fix its host",
                        hosts.join(", ")
                    )
                },
            );
        }
        login_secrets(&mut c, &p, l);
    }

    // docker
    let image_re =
        re(r"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)+$|^[a-z0-9]+([._-][a-z0-9]+)*$");
    for (i, d) in spec.docker.iter().enumerate() {
        let p = ypath!["docker", i];
        c.name(
            p.key("image"),
            &d.image,
            &image_re,
            "image name",
            "an image name without a tag, lowercase, e.g. `ghcr.io/owner/app` or `owner/app` (docker.io)",
        );
        for (j, m) in d.mirrors.iter().enumerate() {
            c.name(
                p.key("mirrors").index(j),
                m,
                &image_re,
                "image name",
                "an image name without a tag, lowercase",
            );
        }
        // Every host the image is pushed to needs credentials: ghcr.io has
        // GITHUB_TOKEN, the image's own host may use `login`, the others
        // their `registries` entry.
        let own_host = crate::plan::registries::login_host(d);
        let hosts: BTreeSet<String> = std::iter::once(&d.image)
            .chain(&d.mirrors)
            .map(|n| image_host(n))
            .collect();
        for h in &hosts {
            let own = d.login.as_ref().filter(|_| *h == own_host);
            if crate::plan::registries::login(spec, h, own).is_some() {
                continue;
            }
            let (at, help) = if *h == own_host {
                (
                    p.key("image"),
                    format!(
                        "add `{}` with the names of your secrets (or `login:` on this image); ghcr.io needs none",
                        crate::plan::registries::example(h)
                    ),
                )
            } else {
                let j = d.mirrors.iter().position(|m| image_host(m) == *h).unwrap_or(0);
                (
                    p.key("mirrors").index(j),
                    format!(
                        "add `{}` with the names of your secrets; `login:` is for one host ({own_host})",
                        crate::plan::registries::example(h)
                    ),
                )
            };
            c.err(at, Part::Value, format!("pushing to {h} needs a registry login"), help);
        }
        if let Some(l) = &d.login {
            login_secrets(&mut c, &p.key("login"), l);
        }
        let check_platforms = |c: &mut Ctx, platforms: &[String], at: YPath| {
            if platforms.is_empty() {
                c.err(
                    at.clone(),
                    Part::Value,
                    "an image needs at least one platform".into(),
                    "e.g. `platforms: [linux/amd64, linux/arm64]`".into(),
                );
            }
            for (j, pl) in platforms.iter().enumerate() {
                c.known(at.index(j), pl, names::DOCKER_PLATFORMS, "Docker platform");
            }
            c.unique(
                platforms.iter().enumerate().map(|(j, t)| (at.index(j), t.as_str())),
                "platform",
            );
        };
        check_platforms(&mut c, &d.platforms, p.key("platforms"));
        if let Some(t) = &d.target {
            c.name(
                p.key("target"),
                t,
                &re(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"),
                "Dockerfile stage",
                "the name after `AS` in a `FROM ... AS <stage>` line of the Dockerfile, e.g. `runtime`",
            );
        }
        let label_key = re(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$");
        let mut label_ph: Vec<&str> = names::VERSION_PLACEHOLDERS.to_vec();
        if !d.variants.is_empty() {
            label_ph.push("variant");
        }
        for (k, val) in &d.labels {
            let lp = p.key("labels").key(k.as_str());
            if !label_key.is_match(k) {
                c.err(
                    lp.clone(),
                    Part::Key,
                    format!("`{k}` is not a valid label name"),
                    "label names are reverse-DNS words of letters, digits, `.`, `_` and `-`, e.g. `org.opencontainers.image.vendor`".into(),
                );
            }
            if val.contains(['\n', '\r']) {
                c.err(
                    lp.clone(),
                    Part::Value,
                    format!("the label `{k}` holds a line break"),
                    "a label value is one line".into(),
                );
            }
            c.placeholders(lp, val, &label_ph, &|n| {
                if n == "variant" {
                    "there are no `variants` in this image".into()
                } else {
                    "a label is the same for every platform".into()
                }
            });
        }
        if let Variants::Map(m) = &d.variants {
            for (name, var) in m {
                if let Some(pl) = &var.platforms {
                    check_platforms(&mut c, pl, p.key("variants").key(name.as_str()).key("platforms"));
                }
            }
        }
        // Images from the release's binaries: each binary has a Linux leg
        // for every platform the image (or variant) builds.
        let mut bin_sets: Vec<(YPath, &Vec<crate::spec::ImageBinary>, &Vec<String>)> =
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
        for (at, list, platforms) in bin_sets {
            for (j, ib) in list.iter().enumerate() {
                let bp = at.index(j);
                let Some(b) = crate::plan::imagebins::binary(spec, ib) else {
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
                    continue;
                };
                c.name(
                    bp.key("build-arg"),
                    &ib.build_arg,
                    &re(r"^[A-Za-z_][A-Za-z0-9_]*$"),
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
                if ib.libc.is_some() && b.kind == crate::spec::BinaryKind::Go {
                    c.err(
                        bp.key("libc"),
                        Part::Key,
                        format!("`{}` is a Go binary: it has one Linux build per platform", ib.name),
                        "remove `libc`".into(),
                    );
                    continue;
                }
                for pl in platforms {
                    if let Err(why) = crate::plan::imagebins::leg(b, ib, pl) {
                        c.err(bp.key("name"), Part::Value, why, "every platform of the image needs a Linux build of the binary (`libc` chooses between gnu and musl)".into());
                        break;
                    }
                }
            }
        }

        let has_variants = !d.variants.is_empty();
        let variant_why = |_: &str| "there are no `variants` in this image".to_string();
        let mut tag_ph: Vec<&str> = names::VERSION_PLACEHOLDERS.to_vec();
        if has_variants {
            tag_ph.push("variant");
        }
        if d.per_arch {
            tag_ph.push("arch");
        }
        let tag_why = |n: &str| {
            match n {
            "arch" => "`{arch}` tags exist only with `per-arch: true`; a multi-arch manifest serves every platform under one tag".to_string(),
            "variant" => variant_why(n),
            _ => String::new(),
        }
        };
        let check_tags = |c: &mut Ctx, tags: &[String], base: YPath| {
            for (j, t) in tags.iter().enumerate() {
                let tp = base.index(j);
                c.placeholders(tp.clone(), t, &tag_ph, &tag_why);
                let literal = placeholders(t).map(|ps| {
                    let mut s = t.clone();
                    for (_, r) in ps.into_iter().rev() {
                        s.replace_range(r, "x");
                    }
                    s
                });
                if let Ok(lit) = literal
                    && !re(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$").is_match(&lit)
                {
                    c.err(
                        tp.clone(),
                        Part::Value,
                        format!("`{t}` cannot become a Docker tag"),
                        "tags use letters, digits, `_`, `.` and `-`, and do not start with `.` or `-`".into(),
                    );
                }
                if d.per_arch && !t.contains("{arch}") {
                    c.err(tp, Part::Value, format!("with `per-arch: true` the tag `{t}` would be pushed once per platform, each overwriting the last"), "put `{arch}` in every tag, e.g. `{version}-{arch}`".into());
                }
            }
            if tags.is_empty() {
                c.err(
                    base,
                    Part::Value,
                    "an image needs at least one tag".into(),
                    "e.g. `tags: [\"{version}\"]`".into(),
                );
            }
        };
        check_tags(&mut c, &d.tags, p.key("tags"));
        c.placeholders(
            p.key("dockerfile"),
            &d.dockerfile_path(),
            if has_variants { &["variant"] } else { &[] },
            &|n| {
                if n == "variant" {
                    variant_why(n)
                } else {
                    "the Dockerfile path is the same for every version".into()
                }
            },
        );
        let mut arg_ph: Vec<&str> = names::VERSION_PLACEHOLDERS.to_vec();
        if has_variants {
            arg_ph.push("variant");
        }
        let arg_why = |n: &str| {
            if n == "arch" {
                "buildx passes the platform as the TARGETARCH build argument".to_string()
            } else {
                variant_why(n)
            }
        };
        for (k, val) in &d.build_args {
            c.name(
                p.key("build-args").key(k.as_str()),
                k,
                &re(r"^[A-Za-z_][A-Za-z0-9_]*$"),
                "build argument name",
                "build argument names use letters, digits and `_`",
            );
            c.placeholders(p.key("build-args").key(k.as_str()), val, &arg_ph, &arg_why);
        }
        if let Variants::Map(m) = &d.variants {
            let mut effective: BTreeMap<String, String> = BTreeMap::new();
            for (name, var) in m {
                let vp = p.key("variants").key(name.as_str());
                c.name(
                    vp.clone(),
                    name,
                    &re(r"^[a-z0-9][a-z0-9._-]*$"),
                    "variant name",
                    "variant names are lowercase letters, digits, `.`, `_` and `-` (they become part of tags)",
                );
                if let Some(df) = &var.dockerfile {
                    c.placeholders(vp.key("dockerfile"), df, &["variant"], &|_| {
                        "the Dockerfile path is the same for every version".into()
                    });
                }
                for (k, val) in &var.build_args {
                    c.placeholders(vp.key("build-args").key(k.as_str()), val, &arg_ph, &arg_why);
                }
                if let Some(t) = &var.tags {
                    check_tags(&mut c, t, vp.key("tags"));
                }
                for t in var.tags.as_ref().unwrap_or(&d.tags) {
                    if !t.contains("{variant}")
                        && let Some(other) = effective.insert(t.clone(), name.clone())
                    {
                        c.err(
                            vp.clone(),
                            Part::Key,
                            format!("variants `{other}` and `{name}` both push the tag `{t}`"),
                            "put `{variant}` in the image's tags, or give each variant its own `tags`".into(),
                        );
                    }
                }
            }
        }
        if let Variants::List(l) = &d.variants {
            for (j, name) in l.iter().enumerate() {
                c.name(
                    p.key("variants").index(j),
                    name,
                    &re(r"^[a-z0-9][a-z0-9._-]*$"),
                    "variant name",
                    "variant names are lowercase letters, digits, `.`, `_` and `-` (they become part of tags)",
                );
            }
            if l.len() > 1
                && let Some((j, t)) = d.tags.iter().enumerate().find(|(_, t)| !t.contains("{variant}"))
            {
                c.err(
                    p.key("tags").index(j),
                    Part::Value,
                    format!("every variant would push the tag `{t}`"),
                    "put `{variant}` in each tag, or write `variants` as a map with each variant's own `tags`".into(),
                );
            }
            c.unique(
                l.iter()
                    .enumerate()
                    .map(|(j, t)| (p.key("variants").index(j), t.as_str())),
                "variant",
            );
        }
    }
    c.unique(
        spec.docker
            .iter()
            .enumerate()
            .map(|(i, d)| (ypath!["docker", i, "image"], d.image.as_str())),
        "image",
    );

    // helm
    for (i, h) in spec.helm.iter().enumerate() {
        let p = ypath!["helm", i];
        if !rel_path.is_match(&h.chart) || h.chart.split('/').any(|s| s == "..") {
            c.err(
                p.key("chart"),
                Part::Value,
                format!("`{}` is not a chart directory inside the repository", h.chart),
                "the directory holding Chart.yaml, from the repository root".into(),
            );
        }
        if !re(r"^oci://[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)*$").is_match(&h.registry) {
            c.err(
                p.key("registry"),
                Part::Value,
                format!("`{}` is not an OCI registry", h.registry),
                "write it as `oci://ghcr.io/<owner>/charts`".into(),
            );
        } else {
            let host = chart_host(&h.registry);
            if crate::plan::registries::login(spec, &host, None).is_none() {
                c.err(
                    p.key("registry"),
                    Part::Value,
                    format!("pushing charts to {host} needs a registry login"),
                    format!(
                        "add `{}` with the names of your secrets; ghcr.io needs none",
                        crate::plan::registries::example(&host)
                    ),
                );
            }
        }
        c.placeholders(
            p.key("app-version"),
            &h.app_version,
            names::VERSION_PLACEHOLDERS,
            &|_| "appVersion is the same for every image variant and platform".into(),
        );
        if let Some(t) = &h.version {
            let before = c.out.len();
            c.placeholders(p.key("version"), t, names::VERSION_PLACEHOLDERS, &|_| {
                "the chart version is the same for every image variant and platform".into()
            });
            // Helm takes SemVer 2 only: try the template on a release and a
            // pre-release of the spec's own scheme.
            if c.out.len() == before {
                for v in crate::plan::version::samples(spec) {
                    let got = crate::plan::tags::expand(
                        t,
                        &crate::plan::tags::Values {
                            version: &v,
                            sha: "0123456789abcdef0123456789abcdef01234567",
                            variant: None,
                            arch: None,
                        },
                    );
                    if !crate::plan::is_semver2(&got) {
                        c.err(
                            p.key("version"),
                            Part::Value,
                            format!("the chart version `{t}` gives `{got}` for version {}, which is not SemVer 2", v.version),
                            "Helm takes SemVer 2 chart versions only: start with `{major}.{minor}.{patch}`, e.g. `{version}` or `{major}.{minor}.{patch}`".into(),
                        );
                        break;
                    }
                }
            }
        }
    }

    // release
    let r = &spec.release;
    let release_ph: Vec<&str> = names::VERSION_PLACEHOLDERS.iter().copied().chain(["tag"]).collect();
    let release_why = |_: &str| "a release is one tag, not one image or platform".to_string();
    c.placeholders(ypath!["release", "title"], &r.title, &release_ph, &release_why);
    if r.title.trim().is_empty() {
        c.err(
            ypath!["release", "title"],
            Part::Value,
            "the release title is empty".into(),
            "leave the key out for the tag as the title, or write e.g. `{tag}` or `myapp {version}`".into(),
        );
    }
    c.placeholders(
        ypath!["release", "checksums-file"],
        &r.checksums_file,
        &release_ph,
        &release_why,
    );
    if !file_name.is_match(&r.checksums_file) {
        c.err(
            ypath!["release", "checksums-file"],
            Part::Value,
            format!("`{}` is not a file name", r.checksums_file),
            "the checksums file is attached next to the release files: a name without `/`, e.g. `SHA256SUMS` or `myapp_{version}_checksums.txt`".into(),
        );
    } else if r.checksums_file.contains("{tag}") && spec.versioning.tag_prefix.contains('/') {
        c.err_in(
            ypath!["release", "checksums-file"],
            "{tag}",
            format!(
                "the tags have the prefix `{}`, so `{{tag}}` would put a `/` in the file name",
                spec.versioning.tag_prefix
            ),
            "use `{version}` in the checksums file name".into(),
        );
    }
    for (i, a) in r.assets.iter().enumerate() {
        let ap = ypath!["release", "assets", i];
        if a.starts_with('/') || a.split('/').any(|s| s == "..") || !asset_path.is_match(a) {
            c.err(
                ap,
                Part::Value,
                format!("`{a}` is not a path in the repository"),
                "release assets are files of the tagged commit: a relative path without `..`, globs allowed, e.g. `LICENSE` or `docs/*.pdf`".into(),
            );
        }
    }
    if let Some(path) = r.notes.strip_prefix("changelog:") {
        if path.is_empty() || !rel_path.is_match(path) || path.split('/').any(|s| s == "..") {
            c.err(
                ypath!["release", "notes"],
                Part::Value,
                if path.is_empty() {
                    "`changelog:` names no changelog file".into()
                } else {
                    format!("`{path}` is not a path in the repository")
                },
                "write `changelog:` and the path of the changelog in the repository, e.g. `changelog:CHANGELOG.md`"
                    .into(),
            );
        }
    } else if r.notes != "generated"
        && r.notes != "none"
        && (!rel_path.is_match(&r.notes) || r.notes.split('/').any(|s| s == ".."))
    {
        c.err(
            ypath!["release", "notes"],
            Part::Value,
            format!(
                "`{}` is neither `generated`, `none` nor a path in the repository",
                r.notes
            ),
            "use `generated`, `none`, the path of a notes file such as `NOTES.md`, or `changelog:CHANGELOG.md`".into(),
        );
    }
    if let Some(n) = &r.notify {
        c.name(
            ypath!["release", "notify", "slack-webhook-secret"],
            &n.slack_webhook_secret,
            &secret,
            "secret name",
            "secret names use letters, digits and `_`",
        );
    }

    // runners
    let mut known_keys: Vec<&str> = Vec::new();
    known_keys.extend(names::RUST_TARGETS);
    known_keys.extend(names::GO_TARGETS);
    known_keys.extend(names::PYTHON_PLATFORMS);
    known_keys.extend(names::DOCKER_PLATFORMS);
    for (k, label) in &spec.runners {
        let p = ypath!["runners", k.as_str()];
        if !known_keys.contains(&k.as_str()) {
            let help = match super::load::did_you_mean(k, &known_keys) {
                Some(s) => format!(
                    "did you mean `{s}`? keys are Rust targets, Go targets, Python platforms and Docker platforms"
                ),
                None => "keys are Rust targets, Go targets, Python platforms and Docker platforms".into(),
            };
            c.err(p.clone(), Part::Key, format!("unknown target or platform `{k}`"), help);
        }
        if names::RETIRED_RUNNERS.contains(&label.as_str()) {
            c.err(
                p,
                Part::Value,
                format!("runner `{label}` is retired by GitHub"),
                format!("use a current label instead, e.g. `{}`", successor(label)),
            );
        } else if !re(r"^[A-Za-z0-9][A-Za-z0-9._-]*$").is_match(label) {
            c.err(
                p,
                Part::Value,
                format!("`{label}` is not a runner label"),
                "a runner label such as `ubuntu-24.04` or the label of your self-hosted runner".into(),
            );
        }
    }

    // your own jobs
    custom_jobs(spec, &mut c, &job_id);

    // pins
    for (action, pin) in &spec.pins {
        let p = ypath!["pins", action.as_str()];
        if !re(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?$").is_match(action) {
            c.err(
                p.clone(),
                Part::Key,
                format!("`{action}` is not an action name"),
                "write actions as `owner/repo` or `owner/repo/path`".into(),
            );
        }
        if !re(r"^[0-9a-f]{40}$").is_match(&pin.sha) {
            c.err(
                p.key("sha"),
                Part::Value,
                format!("`{}` is not a full commit SHA", pin.sha),
                "pins are full 40-character lowercase hex commit SHAs; a tag or short SHA can move".into(),
            );
        }
        if pin.version.trim().is_empty() || pin.version.contains(char::is_whitespace) {
            c.err(
                p.key("version"),
                Part::Value,
                "the pin's version is empty or has spaces".into(),
                "the version named in the `# vX.Y.Z` comment, e.g. `v4.2.2`".into(),
            );
        }
    }

    c.out
}

fn successor(label: &str) -> &'static str {
    match label {
        l if l.starts_with("ubuntu") => "ubuntu-24.04",
        "macos-13" | "macos-12" | "macos-11" | "macos-10.15" => "macos-15-intel (x86_64) or macos-14 (arm64)",
        l if l.starts_with("windows") => "windows-2022",
        _ => "ubuntu-24.04",
    }
}

/// GitHub's job permission scopes.
const PERMISSION_SCOPES: &[&str] = &[
    "actions",
    "artifact-metadata",
    "attestations",
    "checks",
    "contents",
    "deployments",
    "discussions",
    "id-token",
    "issues",
    "models",
    "packages",
    "pages",
    "pull-requests",
    "security-events",
    "statuses",
];

/// `jobs:`: ids that collide with nothing, a body (`steps` or `uses`), actions
/// with a pin, known permission scopes, secrets by name, no `${{ }}`.
/// The build keys of a binary: the Rust ones on Rust binaries, the Go ones
/// on Go binaries, each value a word the build passes on as it is.
fn binary_build_keys(c: &mut Ctx, p: &YPath, b: &crate::spec::Binary) {
    let rust_only = [
        ("bin", b.bin.is_some()),
        ("profile", b.profile.is_some()),
        ("cargo-args", b.cargo_args.is_some()),
    ];
    let go_only = [
        ("ldflags", b.ldflags.is_some()),
        ("flags", b.flags.is_some()),
        ("tags", !b.tags.is_empty()),
    ];
    let (wrong, kind) = match b.kind {
        BinaryKind::Rust => (&go_only[..], "a Rust binary (it is for `kind: go`)"),
        BinaryKind::Go => (&rust_only[..], "a Go binary (it is for `kind: rust`)"),
    };
    for (key, set) in wrong {
        if *set {
            c.err(
                p.key(*key),
                Part::Key,
                format!("`{key}` does nothing for {kind}"),
                "remove it, or check `kind`".into(),
            );
        }
    }
    let word = re(r"^[^\s]+$");
    if let Some(bin) = &b.bin {
        c.name(
            p.key("bin"),
            bin,
            &re(r"^[A-Za-z0-9_-]+$"),
            "cargo binary name",
            "the `name` of a `[[bin]]` target of the package, or the package's own binary",
        );
    }
    if let Some(profile) = &b.profile {
        c.name(
            p.key("profile"),
            profile,
            &re(r"^[A-Za-z][A-Za-z0-9_-]*$"),
            "cargo profile",
            "`release`, `dev`, or a `[profile.<name>]` of Cargo.toml",
        );
    }
    const SET_BY_WFGEN: &[&str] = &[
        "--target",
        "--release",
        "-r",
        "--profile",
        "-p",
        "--package",
        "--bin",
        "--features",
        "-F",
    ];
    for (j, a) in b.cargo_args.iter().flatten().enumerate() {
        let at = p.key("cargo-args").index(j);
        if !word.is_match(a) {
            c.err(
                at,
                Part::Value,
                format!("`{a}` is not one argument"),
                "give each argument as its own list item, without spaces".into(),
            );
        } else if SET_BY_WFGEN.contains(&a.split('=').next().unwrap_or(a)) {
            c.err(
                at,
                Part::Value,
                format!("wfgen sets `{a}` itself"),
                "use `targets`, `profile`, `bin`, `package` and `features` instead".into(),
            );
        }
    }
    for (j, f) in b.flags.iter().flatten().enumerate() {
        if !word.is_match(f) {
            c.err(
                p.key("flags").index(j),
                Part::Value,
                format!("`{f}` is not one flag"),
                "give each flag as its own list item, without spaces (ldflags go in `ldflags`)".into(),
            );
        } else if f.starts_with("-ldflags") || f.starts_with("-tags") || f == "-o" {
            c.err(
                p.key("flags").index(j),
                Part::Value,
                format!("wfgen sets `{f}` itself"),
                "use `ldflags` and `tags`; the output path is wfgen's".into(),
            );
        }
    }
    for (j, t) in b.tags.iter().enumerate() {
        c.name(
            p.key("tags").index(j),
            t,
            &re(r"^[A-Za-z0-9_.]+$"),
            "Go build tag",
            "build tags are words of letters, digits, `_` and `.`",
        );
    }
    for (j, inc) in b.include.iter().enumerate() {
        let at = p.key("include").index(j);
        let paths: Vec<(YPath, &str)> = match inc {
            crate::spec::Include::File(f) => vec![(at.clone(), f.as_str())],
            crate::spec::Include::Dir(d) => vec![(at.key("from"), d.from.as_str()), (at.key("to"), d.to.as_str())],
        };
        for (pp, path) in paths {
            let bad = path.is_empty()
                || path.starts_with('/')
                || path.split('/').any(|c| c == "..")
                || path.contains([':', '\\', '\n', '\r']);
            if bad {
                c.err(pp, Part::Value, format!("`{path}` is not a path inside the repository"), "write a relative path from the repository root, without `..`, `:` or `\\`, e.g. `README.md`, `LICENSE*` or `{ from: ui/dist, to: ui }`".into());
            }
        }
        if let crate::spec::Include::Dir(d) = inc
            && d.from.contains(['*', '?', '['])
        {
            c.err(
                at.key("from"),
                Part::Value,
                format!("`from: {}` is a glob; `from` names one directory", d.from),
                "write the directory's path (its files go under `to`), or list files and globs as plain entries of `include`".into(),
            );
        }
        if b.archive == crate::spec::ArchiveFormat::None {
            c.err(
                at,
                Part::Value,
                "`include` needs an archive; this binary has `archive: none`".into(),
                "use `archive: auto` (tar.gz, zip on Windows), or remove `include`".into(),
            );
        }
    }
    if let Some(l) = &b.ldflags {
        match placeholders(l) {
            Err((_, msg)) => c.err(
                p.key("ldflags"),
                Part::Value,
                format!("malformed placeholder in `{l}`: {msg}"),
                "placeholders are written `{name}`, e.g. `{version}`".into(),
            ),
            Ok(found) => {
                for (name, range) in found {
                    if !["version", "sha", "date"].contains(&name.as_str()) {
                        c.err_in(p.key("ldflags"), &l[range], format!("placeholder `{{{name}}}` cannot be used in ldflags"), "ldflags take `{version}` (the tag without its prefix), `{sha}` (the commit) and `{date}` (the commit date)".into());
                    }
                }
            }
        }
        if l.contains(['\n', '\r']) {
            c.err(
                p.key("ldflags"),
                Part::Value,
                "ldflags hold a line break".into(),
                "write the flags on one line".into(),
            );
        }
    }
}

/// The targets of a binary: known names, each leg's `container`, `glibc`
/// and `suffix` where they make sense, one name per leg; and its `asset`
/// template.
fn binary_targets(c: &mut Ctx, p: &YPath, b: &crate::spec::Binary) {
    let (known, what) = match b.kind {
        BinaryKind::Rust => (names::RUST_TARGETS, "Rust target"),
        BinaryKind::Go => (names::GO_TARGETS, "Go target (goos/goarch)"),
    };
    let suffix_re = re(r"^[A-Za-z0-9._+-]+$");
    let image_re = re(r"^[a-z0-9][A-Za-z0-9._/:@-]*$");
    let glibc_re = re(r"^2\.[0-9]{1,2}$");
    let mut seen: BTreeMap<(&str, &str), bool> = BTreeMap::new();
    for (j, t) in b.targets.iter().enumerate() {
        let tp = p.key("targets").index(j);
        let name_at = match t {
            Target::Name(_) => tp.clone(),
            Target::Leg(_) => tp.key("target"),
        };
        c.known(name_at.clone(), t.name(), known, what);
        let linux = t.name().contains("-linux-");
        if let Some(leg) = t.leg() {
            if let Some(image) = &leg.container {
                if b.kind == BinaryKind::Go {
                    c.err(
                        tp.key("container"),
                        Part::Key,
                        "`container` is for Rust targets".into(),
                        "Go targets cross-compile on Linux with CGO_ENABLED=0: remove `container`".into(),
                    );
                } else if !linux {
                    c.err(
                        tp.key("container"),
                        Part::Key,
                        format!(
                            "`{}` is not a Linux target: it cannot be built in a container",
                            t.name()
                        ),
                        "GitHub runs job containers on Linux runners only: use `container` with a `*-linux-*` target"
                            .into(),
                    );
                }
                if !image_re.is_match(image) || image.contains("${{") {
                    c.err(
                        tp.key("container"),
                        Part::Value,
                        format!("`{image}` is not a container image"),
                        "an image reference such as `rockylinux:9`, `quay.io/org/image:tag` or `image@sha256:<digest>`"
                            .into(),
                    );
                }
            }
            if let Some(glibc) = &leg.glibc {
                if b.kind == BinaryKind::Go {
                    c.err(
                        tp.key("glibc"),
                        Part::Key,
                        "`glibc` is for Rust targets".into(),
                        "Go binaries built with CGO_ENABLED=0 need no C library: remove `glibc`".into(),
                    );
                } else if !t.name().contains("-linux-gnu") {
                    c.err(
                        tp.key("glibc"),
                        Part::Key,
                        format!(
                            "`{}` does not link glibc: a glibc floor needs a `*-linux-gnu*` target",
                            t.name()
                        ),
                        if t.name().contains("-linux-musl") {
                            "a musl executable is static and runs on any glibc: remove `glibc`".into()
                        } else {
                            "a glibc floor is for Linux gnu targets: remove `glibc`".into()
                        },
                    );
                } else if leg.container.is_some() {
                    c.err(
                        tp.key("glibc"),
                        Part::Key,
                        "a leg has either `container` or `glibc`".into(),
                        "a container builds against its own glibc; a glibc floor is built with cargo-zigbuild on the runner: keep one, or make two legs with distinct suffixes".into(),
                    );
                }
                if !glibc_re.is_match(glibc) {
                    c.err(
                        tp.key("glibc"),
                        Part::Value,
                        format!("`{glibc}` is not a glibc version"),
                        "write the oldest glibc the executable must run on, e.g. \"2.17\" or \"2.28\" (quoted)".into(),
                    );
                }
            }
            if let Some(suffix) = &leg.suffix
                && !suffix_re.is_match(suffix)
            {
                c.err(
                    tp.key("suffix"),
                    Part::Value,
                    format!("`{suffix}` is not a suffix of a file name"),
                    "letters, digits, `.`, `_`, `+` and `-`, e.g. `-rocky`".into(),
                );
            }
        }
        let leg_form = t.leg().is_some();
        if let Some(first_leg_form) = seen.insert((t.name(), t.suffix()), leg_form) {
            let (at, part) = match t.leg() {
                Some(l) if l.suffix.is_some() => (tp.key("suffix"), Part::Value),
                _ => (name_at, Part::Value),
            };
            if leg_form || first_leg_form {
                c.err(
                    at,
                    part,
                    format!("two legs of `{}` without distinct suffixes", t.name()),
                    "each leg of one target needs its own `suffix` (e.g. `{ target: x86_64-unknown-linux-gnu, container: \"rockylinux:9\", suffix: -rocky }`): it names the leg's release file and artifact".into(),
                );
            } else {
                c.err(
                    at,
                    part,
                    format!("duplicate target `{}`", t.name()),
                    "each target may appear once; a second leg of a target needs a `suffix` of its own".into(),
                );
            }
        }
    }
    if let Some(asset) = &b.asset {
        let at = p.key("asset");
        c.placeholders(at.clone(), asset, names::ASSET_PLACEHOLDERS, &|_| {
            "an asset name is made of the binary and its leg, and the version".into()
        });
        let chars = re(r"^[A-Za-z0-9._+{}-]+$");
        if !chars.is_match(asset) {
            c.err(
                at,
                Part::Value,
                format!("`{asset}` is not the base name of a file"),
                "letters, digits, `.`, `_`, `+`, `-` and placeholders, e.g. `{name}_{version}_{os}_{arch}`".into(),
            );
        }
    }
}

/// No two release files of the binaries (over every binary and leg) get the
/// same name, `{version}` as written.
fn asset_collisions(c: &mut Ctx, spec: &Spec) {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for (i, b) in spec.binaries.iter().enumerate() {
        for (j, t) in b.targets.iter().enumerate() {
            let file = crate::plan::assetnames::file_name(b, t);
            let leg = format!("`{}` {}{}", b.name, t.name(), t.suffix());
            let Some(other) = names.insert(file.clone(), leg.clone()) else {
                continue;
            };
            if other == leg {
                // The same leg twice: `binary_targets` says so.
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

/// The secret names of a registry login: valid names, none of GitHub's.
fn login_secrets(c: &mut Ctx, at: &YPath, l: &crate::spec::Login) {
    let secret = re(r"^[A-Za-z_][A-Za-z0-9_]*$");
    for (key, s) in [
        ("username-secret", &l.username_secret),
        ("password-secret", &l.password_secret),
    ] {
        c.name(
            at.key(key),
            s,
            &secret,
            "secret name",
            "secret names use letters, digits and `_`",
        );
        if s.to_ascii_uppercase().starts_with("GITHUB_") {
            c.err(
                at.key(key),
                Part::Value,
                format!("`{s}`: secret names cannot start with GITHUB_"),
                "GitHub reserves the GITHUB_ prefix; ghcr.io needs no login".into(),
            );
        }
    }
}

/// Python distribution names, as PyPI tells them apart (PEP 503: lowercase,
/// every run of `-`, `_` and `.` one `-`): two names of one project would
/// give their jobs one id (`publish-*`, `wheels-*`, the default workflow).
/// And workflow names, which are job ids of release.yml: two that differ in
/// case only are one job for GitHub.
fn python_names(spec: &Spec, c: &mut Ctx) {
    let normalized = |n: &str| -> String {
        let mut out = String::new();
        for ch in n.chars() {
            if matches!(ch, '-' | '_' | '.') {
                if !out.ends_with('-') {
                    out.push('-');
                }
            } else {
                out.push(ch.to_ascii_lowercase());
            }
        }
        out
    };
    let mut seen: Vec<(&str, String)> = Vec::new();
    for (i, py) in spec.python.iter().enumerate() {
        let n = normalized(&py.name);
        match seen.iter().find(|(_, s)| *s == n) {
            Some((first, _)) if *first == py.name => c.err(
                ypath!["python", i, "name"],
                Part::Value,
                format!("duplicate Python distribution `{}`", py.name),
                "each Python distribution may appear once".into(),
            ),
            Some((first, _)) => c.err(
                ypath!["python", i, "name"],
                Part::Value,
                format!("Python distribution `{}` is `{first}` for PyPI", py.name),
                format!(
                    "PyPI compares names lowercase, with every run of `-`, `_` and `.` as one `-` (both are `{n}`): list the distribution once"
                ),
            ),
            None => seen.push((&py.name, n)),
        }
    }
    let mut workflows: Vec<String> = Vec::new();
    for (i, py) in spec.python.iter().enumerate() {
        let wf = py.workflow_name();
        match workflows.iter().find(|w| jobids::same(w, &wf)) {
            Some(w) if *w != wf => c.err(
                ypath!["python", i, if py.workflow.is_some() { "workflow" } else { "name" }],
                Part::Value,
                format!("workflow `{wf}` differs from the workflow `{w}` in case only"),
                "each workflow's name is the id of the job that calls it, and GitHub compares job ids ignoring case: write the name as the other package does".into(),
            ),
            Some(_) => {}
            None => workflows.push(wf),
        }
    }
}

fn custom_jobs(spec: &Spec, c: &mut Ctx, job_id: &Regex) {
    let workflow = re(LOCAL_WORKFLOW);
    let taken: Vec<String> = spec
        .gates
        .iter()
        .map(|g| g.name.clone())
        .chain(spec.python.iter().map(|p| p.workflow_name()))
        .collect();
    for (i, j) in spec.jobs.iter().enumerate() {
        let p = ypath!["jobs", i];
        c.name(
            p.key("id"),
            &j.id,
            job_id,
            "job id",
            "a job id: letters, digits, `-` and `_`, starting with a letter or `_`",
        );
        if !c.reserved_job(p.key("id"), &j.id, "job id", "pick another id")
            && taken.iter().any(|t| jobids::same(t, &j.id))
        {
            c.err(
                p.key("id"),
                Part::Value,
                format!("job id `{}` is taken by a gate or a Python workflow", j.id),
                "each job of release.yml needs an id of its own: rename the job".into(),
            );
        }
        match (&j.uses, j.steps.is_empty()) {
            (Some(_), false) => c.err(
                p.key("uses"),
                Part::Key,
                "a job has `steps` or `uses`, not both".into(),
                "keep `steps` for commands run in release.yml, or `uses` for a reusable workflow of yours".into(),
            ),
            (None, true) => c.err(
                p.clone(),
                Part::Key,
                format!("job `{}` has nothing to run", j.id),
                "add `steps: [{ run: make smoke }]`, or `uses: ./.github/workflows/deploy.yml`".into(),
            ),
            _ => {}
        }
        if let Some(u) = &j.uses {
            if !workflow.is_match(u) {
                c.err(
                    p.key("uses"),
                    Part::Value,
                    format!("`{u}` is not a reusable workflow of this repository"),
                    "write `./.github/workflows/<file>.yml`; a workflow of another repository would need a pin, so call it from a workflow of yours".into(),
                );
            }
            if j.environment.is_some() {
                c.err(
                    p.key("environment"),
                    Part::Key,
                    "a job that calls a reusable workflow cannot have an environment".into(),
                    "GitHub allows `environment:` only on the jobs of the called workflow: set it there".into(),
                );
            }
            if j.runs_on != "ubuntu-24.04" {
                c.err(
                    p.key("runs-on"),
                    Part::Key,
                    "a job that calls a reusable workflow has no runner".into(),
                    "set `runs-on` in the called workflow's jobs".into(),
                );
            }
        }
        no_expr(c, p.key("runs-on"), &j.runs_on);
        if let Some(e) = &j.environment {
            no_expr(c, p.key("environment"), e);
        }
        secret_names(
            c,
            p.key("secrets"),
            &j.secrets,
            "GitHub reserves names that start with GITHUB_; the job's token comes from `permissions`",
        );
        for scope in j.permissions.keys() {
            if !PERMISSION_SCOPES.contains(&scope.as_str()) {
                c.err(
                    p.key("permissions").key(scope),
                    Part::Key,
                    format!("unknown permission `{scope}`"),
                    format!("GitHub's permissions: {}", PERMISSION_SCOPES.join(", ")),
                );
            }
        }
        steps(spec, c, p.key("steps"), &j.steps);
    }
    c.unique_ids(
        spec.jobs
            .iter()
            .enumerate()
            .map(|(i, j)| (ypath!["jobs", i, "id"], j.id.as_str())),
        "job id",
    );
}

/// The maturin keys of a Python package: `manylinux` against its
/// platforms and upload, `bindings` against `python` and `abi3`,
/// `maturin-args` that wfgen passes itself, `before-script-linux`.
fn maturin_keys(c: &mut Ctx, p: &YPath, py: &crate::spec::PythonPackage) {
    use crate::spec::Manylinux;
    let platforms: Vec<&str> = if py.platforms.is_empty() {
        names::DEFAULT_PYTHON_PLATFORMS.to_vec()
    } else {
        py.platforms.iter().map(String::as_str).collect()
    };
    let manylinux_legs = platforms.iter().any(|pl| pl.starts_with("linux-"));
    let musllinux_legs = platforms.iter().any(|pl| pl.starts_with("musllinux-"));
    if let Some(m) = py.manylinux {
        let w = m.word();
        if m == Manylinux::Off {
            if py.publish != crate::spec::Publish::None {
                c.err(
                    p.key("manylinux"),
                    Part::Value,
                    "`manylinux: off` builds Linux wheels tagged `linux_*`, which PyPI refuses".into(),
                    "pick a manylinux version such as \"2_28\" (maturin then builds in its container), or set `publish: none`".into(),
                );
            } else if !manylinux_legs && !musllinux_legs {
                c.err(
                    p.key("manylinux"),
                    Part::Key,
                    "`manylinux` is for the Linux wheels, and this package builds none".into(),
                    "remove `manylinux`, or add a Linux platform to `platforms`".into(),
                );
            }
        } else if m.is_musllinux() && !musllinux_legs {
            c.err(
                p.key("manylinux"),
                Part::Value,
                format!("`{w}` is for the musllinux-x86_64 and musllinux-aarch64 wheels, and this package builds none"),
                "add `musllinux-x86_64` or `musllinux-aarch64` to `platforms` (they are musllinux_1_2 wheels unless `manylinux` says otherwise), or remove `manylinux`".into(),
            );
        } else if !m.is_musllinux() && !manylinux_legs {
            c.err(
                p.key("manylinux"),
                Part::Value,
                format!("`{w}` is for the linux-x86_64 and linux-aarch64 wheels, and this package builds none"),
                "add `linux-x86_64` or `linux-aarch64` to `platforms`, or remove `manylinux` (the musllinux platforms take `musllinux_1_1` or `musllinux_1_2`)".into(),
            );
        }
    }
    if let Some(b) = py.bindings.filter(|b| b.any_python()) {
        let w = b.word();
        if !py.python.is_empty() {
            c.err(
                p.key("python"),
                Part::Key,
                format!("a `bindings: {w}` wheel serves every Python version: one wheel per platform"),
                "remove `python` (it lists the versions of pyo3 extension modules)".into(),
            );
        }
        if py.abi3 {
            c.err(
                p.key("abi3"),
                Part::Key,
                format!(
                    "`abi3` is for pyo3 extension modules; a `bindings: {w}` wheel already serves every Python version"
                ),
                "remove `abi3`".into(),
            );
        }
    }
    // What wfgen passes to `maturin build` itself, and the key that sets it.
    let taken: &[(&[&str], &str)] = &[
        (
            &["--out", "-o"],
            "wfgen passes `--out dist`: the wheels go to `dist/` of `path`",
        ),
        (&["--target"], "the target of each wheel comes from `platforms`"),
        (
            &["--interpreter", "-i"],
            "the interpreters come from `python` (none with `abi3` or the bindings that serve every Python)",
        ),
        (&["--release", "-r"], "wfgen passes --release"),
        (
            &["--profile"],
            "wfgen passes --release, and cargo refuses --profile beside it",
        ),
        (
            &["--manylinux"],
            "set `manylinux` instead (`--compatibility pypi` is fine)",
        ),
        (&["--bindings", "-b"], "set `bindings` instead"),
        (&["--features", "-F"], "set `features` instead"),
        (&["--sdist"], "the sdist is built once, by its own job (`sdist`)"),
    ];
    let word = re(r"^[A-Za-z0-9_.,:=/+@%-]+$");
    for (j, a) in py.maturin_args.iter().enumerate() {
        let at = p.key("maturin-args").index(j);
        if a.contains("${{") {
            no_expr(c, at, a);
            continue;
        }
        if !word.is_match(a) {
            c.err(
                at,
                Part::Value,
                format!("`{a}` is not one argument wfgen can pass to maturin"),
                "write one argument per item, of letters, digits and `-_.,:=/+@%`: maturin-action splits `args` at blanks and runs maturin through a shell in the Linux container".into(),
            );
            continue;
        }
        let hit = taken.iter().find(|(opts, _)| {
            opts.iter().any(|o| {
                a == o
                    || (o.starts_with("--") && a.starts_with(&format!("{o}=")))
                    || (!o.starts_with("--") && *o != "-r" && a.starts_with(o) && !a.starts_with("--"))
            })
        });
        if let Some((opts, why)) = hit {
            c.err(
                at,
                Part::Value,
                format!("`maturin-args` cannot set `{}`: wfgen decides it", opts[0]),
                format!("{why}; remove `{a}` from `maturin-args`"),
            );
        }
    }
    if let Some(script) = &py.before_script_linux {
        let at = p.key("before-script-linux");
        if script.contains("${{") {
            no_expr(c, at, script);
        } else if script.trim().is_empty() {
            c.err(
                at,
                Part::Value,
                "`before-script-linux` is empty".into(),
                "write the commands to run before maturin in the Linux container, e.g. `dnf install -y protobuf-compiler`, or remove the key".into(),
            );
        } else if !manylinux_legs && !musllinux_legs {
            c.err(
                at,
                Part::Key,
                "`before-script-linux` runs in the Linux builds only, and this package builds none".into(),
                "remove it, or add a Linux platform to `platforms`; `setup` steps run on every runner".into(),
            );
        }
    }
}

/// A list of steps (`setup:` of any level, `steps:` of a job): `run` or
/// `uses`, pinned actions, secret names, no `${{ }}`.
fn steps(spec: &Spec, c: &mut Ctx, at: YPath, steps: &[crate::spec::Step]) {
    let action = re(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?$");
    let builtin = crate::spec::names::builtin_pinned_actions();
    for (k, st) in steps.iter().enumerate() {
        let sp = at.index(k);
        match (&st.run, &st.uses) {
            (Some(_), Some(_)) | (None, None) => c.err(
                sp.clone(),
                Part::Key,
                "a step has either `run` or `uses`".into(),
                "e.g. `{ run: make build.ui }` or `{ uses: owner/action, with: { key: value } }`".into(),
            ),
            _ => {}
        }
        if let Some(r) = &st.run {
            no_expr(c, sp.key("run"), r);
            if r.trim().is_empty() {
                c.err(
                    sp.key("run"),
                    Part::Value,
                    "a step needs a command to run".into(),
                    "e.g. `run: make build.ui`".into(),
                );
            }
        }
        if st.uses.is_some() && st.shell.is_some() {
            c.err(
                sp.key("shell"),
                Part::Key,
                "`shell` is for `run` steps".into(),
                "an action chooses its own shell: remove `shell`".into(),
            );
        }
        if st.run.is_some() && !st.with.is_empty() {
            c.err(
                sp.key("with"),
                Part::Key,
                "`with` is for `uses` steps".into(),
                "give a command its values through `env` of the spec, or in the command itself".into(),
            );
        }
        if let Some(n) = &st.name {
            no_expr(c, sp.key("name"), n);
            if n.contains(['\n', '\r']) {
                c.err(
                    sp.key("name"),
                    Part::Value,
                    "a step name is one line".into(),
                    "shorten the name to one line".into(),
                );
            }
        }
        for (key, v) in &st.with {
            no_expr(c, sp.key("with").key(key), v);
            if !re(r"^[A-Za-z_][A-Za-z0-9_-]*$").is_match(key) {
                c.err(
                    sp.key("with").key(key),
                    Part::Key,
                    format!("`{key}` is not an input name"),
                    "an action's inputs are letters, digits, `-` and `_`".into(),
                );
            }
        }
        secret_names(
            c,
            sp.key("secrets"),
            &st.secrets,
            "GitHub reserves names that start with GITHUB_",
        );
        if let Some(u) = &st.uses {
            if u.starts_with("./") {
                if u.contains("..") || u.contains(['\n', '\r', ' ', '@']) {
                    c.err(
                        sp.key("uses"),
                        Part::Value,
                        format!("`{u}` is not a path of an action of this repository"),
                        "write `./path/to/action`, a directory holding action.yml".into(),
                    );
                }
                continue;
            }
            // Setup actions that cache by default: a release restores no
            // cache another workflow could have written (zizmor: cache-poisoning).
            let caching = [
                ("actions/setup-node", "package-manager-cache", "toolchains.node"),
                ("actions/setup-go", "cache", "toolchains.go"),
                ("astral-sh/setup-uv", "enable-cache", "the uv builder"),
            ];
            if let Some((_, input, instead)) = caching.iter().find(|(a, _, _)| a == u)
                && st.with.get(*input).map(|v| v.as_str()) != Some("false")
            {
                c.err(
                    sp.key("uses"),
                    Part::Value,
                    format!("`{u}` restores a cache in a release workflow"),
                    format!("a cache that another workflow wrote could poison what the release publishes (zizmor: cache-poisoning): add `with: {{ {input}: \"false\" }}`, or use {instead}"),
                );
            }
            if u == "actions/setup-python" && st.with.contains_key("cache") {
                c.err(
                    sp.key("with").key("cache"),
                    Part::Key,
                    "`actions/setup-python` with `cache` restores a cache in a release workflow".into(),
                    "a cache that another workflow wrote could poison what the release publishes (zizmor: cache-poisoning): remove `cache`".into(),
                );
            }
            if !action.is_match(u) {
                c.err(
                    sp.key("uses"),
                    Part::Value,
                    format!("`{u}` is not an action name"),
                    "write `owner/repo` or `owner/repo/path` without `@ref` (the pin gives the commit), or `./path` for an action of this repository".into(),
                );
            } else if !spec.pins.contains_key(u) && !builtin.contains(u) {
                c.err(
                    sp.key("uses"),
                    Part::Value,
                    format!("action `{u}` has no pin"),
                    format!(
                        "every action runs at a full commit SHA: add it to `pins:`, e.g.\n  pins:\n    {u}: {{ version: v1.2.3, sha: <40-hex commit of v1.2.3> }}"
                    ),
                );
            }
        }
    }
}

/// `triggers.pull-request: build`: gate names that would be the id of one
/// of pull-request.yml's own jobs.
fn pull_request_build(spec: &Spec, c: &mut Ctx) {
    for (i, g) in spec.gates.iter().enumerate() {
        if let Some(prefix) = jobids::PULL_REQUEST_PREFIXES
            .iter()
            .find(|p| jobids::starts_with(&g.name, p))
        {
            c.err(
                ypath!["gates", i, "name"],
                Part::Value,
                format!(
                    "gate name `{}` starts like a job of pull-request.yml ({prefix}*)",
                    g.name
                ),
                format!(
                    "pick another name; with `pull-request: build`, pull-request.yml names its jobs plan, {}",
                    jobids::PULL_REQUEST_PREFIXES
                        .iter()
                        .map(|p| format!("{p}*"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
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
    let mut c = Ctx { loc, out: Vec::new() };
    for (i, b) in spec.binaries.iter().enumerate() {
        for (j, inc) in b.include.iter().enumerate() {
            let (at, path, dir) = match inc {
                crate::spec::Include::File(f) => (ypath!["binaries", i, "include", j], f.as_str(), false),
                crate::spec::Include::Dir(d) => (ypath!["binaries", i, "include", j, "from"], d.from.as_str(), true),
            };
            if super::tree::names_something(root, path, dir) {
                continue;
            }
            // The path up to its first glob segment, and the whole pattern
            // (git's own patterns match `LICENSE*` as a path).
            let stem: Vec<&str> = path.split('/').take_while(|s| !s.contains(['*', '?', '['])).collect();
            let ignored = [stem.join("/"), path.to_string()]
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| super::tree::git_ignores(root, p))
                .collect::<Vec<_>>();
            // Without git to ask, say nothing: the build job checks it.
            if ignored.iter().any(|g| *g != Some(false)) {
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
    c.out
}

/// `toolchains:`: every version pinned, never `latest`.
fn toolchains(c: &mut Ctx, t: &crate::spec::Toolchains) {
    let rows: [(&str, &Option<String>, &str, &str); 7] = [
        (
            "rust",
            &t.rust,
            r"^(stable|file|\d+\.\d+(\.\d+)?|(nightly|beta)-\d{4}-\d{2}-\d{2})$",
            "`stable`, a version such as `1.86.0`, a dated `nightly-2025-06-01`, or `file` (the repository's rust-toolchain.toml)",
        ),
        (
            "go",
            &t.go,
            r"^(go\.mod|\d+\.\d+\.\d+)$",
            "`go.mod` (its go and toolchain lines), or a full version such as `1.24.6`",
        ),
        (
            "python",
            &t.python,
            r"^3\.\d+(\.\d+)?$",
            "a CPython version such as `3.12` or `3.12.11`",
        ),
        (
            "node",
            &t.node,
            r"^\d+(\.\d+){0,2}$",
            "a Node.js version such as `22` or `22.17.1`",
        ),
        (
            "helm",
            &t.helm,
            r"^v?\d+\.\d+\.\d+$",
            "a Helm release such as `v3.17.3`",
        ),
        (
            "maturin",
            &t.maturin,
            r"^v?\d+\.\d+\.\d+$",
            "a maturin release such as `1.16.0`",
        ),
        (
            "cosign",
            &t.cosign,
            r"^v?\d+\.\d+\.\d+$",
            "a cosign release such as `v3.0.5`",
        ),
    ];
    for (tool, value, pattern, help) in rows {
        let Some(v) = value else { continue };
        if !re(pattern).is_match(v) {
            let what = if v.eq_ignore_ascii_case("latest") || v == "*" || v.ends_with(".x") {
                format!("`{v}` is not a pinned {tool} version")
            } else {
                format!("`{v}` is not a {tool} version wfgen can install")
            };
            c.err(
                ypath!["toolchains", tool],
                Part::Value,
                what,
                format!("every tool is pinned so that a release builds the same twice: write {help}"),
            );
        }
    }
}

/// No `${{ }}` in a value of the spec: values reach scripts through `env:`.
fn no_expr(c: &mut Ctx, path: YPath, value: &str) {
    if value.contains("${{") {
        c.err(
            path,
            Part::Value,
            "a value of the spec cannot hold a `${{ }}` expression".into(),
            "expressions are a script-injection risk (zizmor: template-injection): steps read the release from environment variables (RELEASE_TAG and the like in your jobs; `env:` with {tag}, {version}, {sha} or {date} in builds and gates), and their secrets from `secrets:`".into(),
        );
    }
}

/// An `env:` map of the spec: names wfgen can set, one-line values, only
/// the placeholders a job expands from the tag.
fn env_map(c: &mut Ctx, at: YPath, env: &std::collections::BTreeMap<String, String>) {
    let name = re(r"^[A-Za-z_][A-Za-z0-9_]*$");
    for (k, v) in env {
        let p = at.key(k.as_str());
        let upper = k.to_ascii_uppercase();
        if !name.is_match(k) || upper.starts_with("GITHUB_") || upper.starts_with("RUNNER_") || upper == "CI" {
            c.err(
                p,
                Part::Key,
                format!("`{k}` is not an environment variable name wfgen can set"),
                "letters, digits and `_`, not starting with GITHUB_ or RUNNER_ (GitHub sets those)".into(),
            );
        } else if v.contains(['\n', '\r']) {
            c.err(
                p,
                Part::Value,
                format!("the value of `{k}` holds a line break"),
                "an environment value is one line".into(),
            );
        } else {
            no_expr(c, p.clone(), v);
            c.placeholders(p, v, names::ENV_PLACEHOLDERS, &|_| {
                "an `env` value is expanded from the tag in the job".into()
            });
        }
    }
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
    fn docker_hub_needs_login() {
        let l = lines(&format!("{HEAD}docker:\n  - image: acme/app\n"));
        assert_eq!(l, ["wfgen.yaml:4:12: pushing to docker.io needs a registry login"]);
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
