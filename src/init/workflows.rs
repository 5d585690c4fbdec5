//! What the repository's existing workflows say about its images: which
//! Dockerfile builds which image, with which build arguments, platforms and
//! tags (`docker/build-push-action`, `docker/metadata-action`, `docker
//! build`/`push` lines), the registry logins, and Helm chart registries.
//!
//! Values are resolved as far as they can be without running anything:
//! `${{ github.repository }}` and its owner from the remote, `env.X` and
//! shell variables from the env blocks and assignments of the script,
//! `matrix.X` over every matrix combination, and anything that names the
//! release version becomes `{version}`. A reference that keeps an unknown
//! part is not used.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;
use yaml_serde::Value;

use super::repo::{self, Repo};
use crate::spec::names::DOCKER_PLATFORMS;

/// Stands for a part of a value that could not be resolved.
const MARK: char = '\u{1}';
const MAX_ROWS: usize = 256;

static EXPR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\$\{\{\s*(.*?)\s*\}\}").expect("regex"));
static SHELL_VAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)").expect("regex"));
static SECRET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$").expect("regex"));
static STEP_TAGS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\$\{\{\s*steps\.([A-Za-z0-9_-]+)\.outputs\.tags\s*\}\}$").expect("regex"));
static ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$").expect("regex")
});
/// An image name without a tag, with a namespace (`owner/name` at least):
/// single names are local images, not pushed ones.
static IMAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)+$").expect("regex")
});
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_{][A-Za-z0-9_.{}-]{0,127}$").expect("regex"));
static OCI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^oci://[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+$").expect("regex"));

/// One image build the workflows run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Build {
    /// The workflow file and the job.
    pub workflow: String,
    pub job: String,
    /// Dockerfile path from the repository root.
    pub dockerfile: String,
    pub context: String,
    pub image: String,
    /// Tags, with `{version}` for the release version; only fully known ones.
    pub tags: Vec<String>,
    /// Build arguments whose values are fully known.
    pub build_args: Vec<(String, String)>,
    pub platforms: Vec<String>,
    /// The Dockerfile stage built (`--target`), when known.
    pub target: Option<String>,
    /// The workflow joins per-platform images into a manifest afterwards.
    pub manifest: bool,
}

#[derive(Debug, Default)]
pub struct Evidence {
    pub builds: Vec<Build>,
    /// Images the workflows push or name (image, source).
    pub images: Vec<(String, String)>,
    /// Registry logins: (host, username secret, password secret, source).
    pub logins: Vec<(String, String, String, String)>,
    /// Helm chart registries (`oci://...`, source).
    pub helm_registries: Vec<(String, String)>,
    /// Image names the workflows push.
    pub pushed: BTreeSet<String>,
    /// `docker tag SOURCE TARGET`: (source name, target name, where).
    pub retags: Vec<(String, String, String)>,
}

/// Values known while a step is read.
struct Scope<'a> {
    repo: Option<&'a str>,
    env: Vec<BTreeMap<String, String>>,
    row: &'a BTreeMap<String, String>,
    locals: BTreeMap<String, String>,
}

/// The input `k` of a step's `with:`, as a string.
fn step_with(step: &Value, k: &str) -> Option<String> {
    step.get("with").and_then(|w| w.get(k)).and_then(scalar)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn env_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_mapping)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), scalar(v)?)))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether an expression names the release version (or its tag).
fn is_version_expr(e: &str) -> bool {
    let last = e.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(
        e,
        "github.ref_name"
            | "github.event.release.tag_name"
            | "github.event.inputs.version"
            | "github.event.inputs.tag"
            | "inputs.version"
            | "inputs.tag"
    ) || ((e.starts_with("steps.") || e.starts_with("needs.")) && (last.contains("version") || last == "tag"))
}

impl Scope<'_> {
    fn owner(&self) -> Option<&str> {
        self.repo.and_then(|r| r.split('/').next())
    }

    fn env(&self, name: &str) -> Option<&String> {
        self.env.iter().rev().find_map(|m| m.get(name))
    }

    fn expr(&self, e: &str, depth: usize) -> String {
        let known = match e {
            "github.repository" => self.repo.map(str::to_string),
            "github.repository_owner" => self.owner().map(str::to_string),
            "github.event.repository.name" => self.repo.and_then(|r| r.split('/').nth(1)).map(str::to_string),
            _ => None,
        };
        if let Some(k) = known {
            return k;
        }
        if let Some(k) = e.strip_prefix("matrix.") {
            return self.row.get(k).cloned().unwrap_or_else(|| MARK.to_string());
        }
        if let Some(k) = e.strip_prefix("env.") {
            return match self.env(k) {
                Some(v) if depth < 4 => self.resolve(v, depth + 1),
                None if k.to_ascii_uppercase().contains("VERSION") => "{version}".into(),
                _ => MARK.to_string(),
            };
        }
        if is_version_expr(e) {
            return "{version}".into();
        }
        MARK.to_string()
    }

    /// `${{ }}` expressions resolved.
    fn resolve(&self, s: &str, depth: usize) -> String {
        EXPR.replace_all(s, |c: &regex::Captures| self.expr(&c[1], depth))
            .into_owned()
    }

    /// Shell variables of a script token resolved.
    fn shell(&self, s: &str, depth: usize) -> String {
        if s.contains("$(") || s.contains('`') {
            return MARK.to_string();
        }
        SHELL_VAR
            .replace_all(s, |c: &regex::Captures| {
                let name = c.get(1).or(c.get(3)).map_or("", |m| m.as_str());
                match name {
                    "GITHUB_REPOSITORY" => self.repo.map(str::to_string).unwrap_or_else(|| MARK.to_string()),
                    "GITHUB_REPOSITORY_OWNER" => self.owner().map(str::to_string).unwrap_or_else(|| MARK.to_string()),
                    "GITHUB_REF_NAME" => "{version}".into(),
                    _ => {
                        let versionish = name.to_ascii_uppercase().contains("VERSION") || name == "TAG";
                        if let Some(v) = self.locals.get(name).filter(|_| depth < 4) {
                            let v = self.shell(v, depth + 1);
                            if v.contains(MARK) && versionish {
                                "{version}".into()
                            } else {
                                v
                            }
                        } else if let Some(v) = self.env(name).filter(|_| depth < 4) {
                            self.resolve(v, depth + 1)
                        } else if versionish {
                            "{version}".into()
                        } else {
                            MARK.to_string()
                        }
                    }
                }
            })
            .into_owned()
    }
}

/// `name[:tag][@digest]` split into a pushed image name (lowercase) and its
/// tag when both are known.
fn split_ref(r: &str) -> Option<(String, Option<String>)> {
    let r = r.trim().trim_matches(['"', '\'']);
    let r = r.split('@').next().unwrap_or(r);
    let slash = r.rfind('/').unwrap_or(0);
    let (name, tag) = match r[slash..].rfind(':') {
        Some(i) => (&r[..slash + i], Some(&r[slash + i + 1..])),
        None => (r, None),
    };
    let name = name.to_ascii_lowercase();
    if !IMAGE.is_match(&name) {
        return None;
    }
    let tag = tag.filter(|t| !t.contains(MARK) && TAG.is_match(t)).map(str::to_string);
    Some((name, tag))
}

/// Lines or comma-separated items of an action input.
fn items(s: &str) -> Vec<String> {
    s.split(['\n', ','])
        .map(str::trim)
        .filter(|x| !x.is_empty() && !x.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn clean_path(p: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => out.push(s),
        }
    }
    Some(if out.is_empty() { ".".into() } else { out.join("/") })
}

/// The matrix combinations of a job (GitHub's rules for include/exclude).
fn rows(job: &Value) -> Vec<BTreeMap<String, String>> {
    let Some(m) = job
        .get("strategy")
        .and_then(|s| s.get("matrix"))
        .and_then(Value::as_mapping)
    else {
        return vec![BTreeMap::new()];
    };
    fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, String>) {
        if let Some(s) = scalar(v) {
            out.insert(prefix.to_string(), s);
        } else if let Some(m) = v.as_mapping() {
            for (k, v) in m {
                if let Some(k) = k.as_str() {
                    flatten(&format!("{prefix}.{k}"), v, out);
                }
            }
        }
    }
    let entry = |v: &Value| {
        let mut out = BTreeMap::new();
        if let Some(m) = v.as_mapping() {
            for (k, v) in m {
                if let Some(k) = k.as_str() {
                    flatten(k, v, &mut out);
                }
            }
        }
        out
    };
    let mut keys: Vec<String> = Vec::new();
    let mut out: Vec<BTreeMap<String, String>> = vec![BTreeMap::new()];
    for (k, v) in m {
        let Some(k) = k.as_str() else { continue };
        if k == "include" || k == "exclude" {
            continue;
        }
        let Some(seq) = v.as_sequence() else { continue };
        keys.push(k.to_string());
        let mut next = Vec::new();
        for r in &out {
            for item in seq {
                let mut r = r.clone();
                flatten(k, item, &mut r);
                next.push(r);
                if next.len() >= MAX_ROWS {
                    break;
                }
            }
        }
        out = next;
    }
    for ex in m.get("exclude").and_then(Value::as_sequence).into_iter().flatten() {
        let ex = entry(ex);
        out.retain(|r| !ex.iter().all(|(k, v)| r.get(k) == Some(v)));
    }
    let includes: Vec<BTreeMap<String, String>> = m
        .get("include")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .map(entry)
        .collect();
    if keys.is_empty() && !includes.is_empty() {
        return includes.into_iter().take(MAX_ROWS).collect();
    }
    for inc in includes {
        let mut matched = false;
        for r in out.iter_mut() {
            if inc.iter().all(|(k, v)| !keys.contains(k) || r.get(k) == Some(v)) {
                matched = true;
                for (k, v) in &inc {
                    if !keys.contains(k) {
                        r.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        if !matched && out.len() < MAX_ROWS {
            out.push(inc);
        }
    }
    out
}

/// A shell script as commands (lists of words), after `\` continuations
/// are joined; quotes removed, `;`, `&&`, `||` and `|` split commands.
fn commands(script: &str) -> Vec<Vec<String>> {
    let joined = script.replace("\\\r\n", " ").replace("\\\n", " ");
    let mut out = Vec::new();
    for line in joined.lines() {
        let mut cmd: Vec<String> = Vec::new();
        let mut word = String::new();
        let mut in_word = false;
        let mut chars = line.chars().peekable();
        let mut quote: Option<char> = None;
        while let Some(c) = chars.next() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some('"'), '\\') => {
                    if let Some(n) = chars.next() {
                        word.push(n);
                    }
                }
                (Some(_), c) => word.push(c),
                (None, '"' | '\'') => {
                    quote = Some(c);
                    in_word = true;
                }
                (None, '#') if !in_word => break,
                (None, ';' | '&' | '|') => {
                    if in_word {
                        cmd.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                    if !cmd.is_empty() {
                        out.push(std::mem::take(&mut cmd));
                    }
                }
                (None, c) if c.is_whitespace() => {
                    if in_word {
                        cmd.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                }
                (None, c) => {
                    word.push(c);
                    in_word = true;
                }
            }
        }
        if in_word {
            cmd.push(word);
        }
        if !cmd.is_empty() {
            out.push(cmd);
        }
    }
    out
}

/// Options of `docker build` that take a value.
const BUILD_VALUE_OPTS: &[&str] = &[
    "-t",
    "--tag",
    "-f",
    "--file",
    "--build-arg",
    "--platform",
    "--target",
    "--label",
    "--cache-from",
    "--cache-to",
    "--secret",
    "--progress",
    "--network",
    "-o",
    "--output",
    "--iidfile",
    "--metadata-file",
    "--ssh",
    "--add-host",
    "--build-context",
    "--shm-size",
    "--ulimit",
    "--annotation",
    "--attest",
    "--builder",
    "--allow",
    "--cgroup-parent",
    "--isolation",
    "-m",
    "--memory",
    "--call",
    "--provenance",
    "--sbom",
];

/// One build as a step writes it, before its references are split.
struct Site {
    context: String,
    file: Option<String>,
    refs: Vec<String>,
    args: Vec<(String, String)>,
    platforms: Vec<String>,
    target: Option<String>,
}

struct Reader<'a> {
    repo: Option<&'a str>,
    ev: Evidence,
    /// (workflow file, image) of every push.
    pushed: BTreeSet<(String, String)>,
}

impl Reader<'_> {
    fn platforms(&self, list: &[String], runs_on: &str) -> Vec<String> {
        let mut p: Vec<String> = list
            .iter()
            .flat_map(|s| items(s))
            .filter(|p| DOCKER_PLATFORMS.contains(&p.as_str()))
            .collect();
        if p.is_empty() && list.iter().all(|s| !s.contains(MARK)) {
            // The runner's own platform.
            p.push(
                if runs_on.contains("arm") {
                    "linux/arm64"
                } else {
                    "linux/amd64"
                }
                .into(),
            );
        }
        p
    }

    fn add_build(&mut self, source: &str, site: Site, manifest: bool) {
        let Site {
            context,
            file,
            refs,
            args,
            platforms,
            target,
        } = site;
        let context = context.as_str();
        if context.contains(MARK) || context.contains("://") {
            return;
        }
        let Some(context) = clean_path(if context.is_empty() || context == "{{defaultContext}}" {
            "."
        } else {
            context
        }) else {
            return;
        };
        let dockerfile = match file.as_deref() {
            Some(f) if f.contains(MARK) => return,
            Some(f) => match clean_path(f) {
                Some(f) => f,
                None => return,
            },
            None => repo::join(&context, "Dockerfile"),
        };
        let build_args: Vec<(String, String)> = args.iter().filter(|(_, v)| !v.contains(MARK)).cloned().collect();
        let mut by_image: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in &refs {
            if let Some((name, tag)) = split_ref(r) {
                let tags = by_image.entry(name).or_default();
                if let Some(t) = tag.filter(|t| !tags.contains(t)) {
                    tags.push(t);
                }
            }
        }
        for (image, tags) in by_image {
            let (workflow, job) = source.split_once(" (job ").unwrap_or((source, ""));
            let b = Build {
                workflow: workflow.to_string(),
                job: job.trim_end_matches(')').to_string(),
                dockerfile: dockerfile.clone(),
                context: context.clone(),
                image,
                tags,
                build_args: build_args.clone(),
                platforms: platforms.clone(),
                target: target.clone().filter(|t| !t.contains(MARK) && !t.is_empty()),
                manifest,
            };
            if !self.ev.builds.contains(&b) {
                self.ev.builds.push(b);
            }
        }
    }

    fn seen(&mut self, r: &str, source: &str, pushed: bool) {
        if let Some((name, _)) = split_ref(r) {
            if pushed {
                let file = source.split(" (job ").next().unwrap_or(source).to_string();
                self.pushed.insert((file, name.clone()));
            }
            if !self.ev.images.iter().any(|(n, _)| *n == name) {
                self.ev.images.push((name, source.to_string()));
            }
        }
    }

    fn workflow(&mut self, file: &str, doc: &Value) {
        let text = yaml_serde::to_string(doc).unwrap_or_default();
        let manifest = text.contains("imagetools create") || text.contains("manifest create");
        let wf_env = env_map(doc.get("env"));
        let Some(jobs) = doc.get("jobs").and_then(Value::as_mapping) else {
            return;
        };
        for (id, job) in jobs {
            let id = id.as_str().unwrap_or("?");
            let source = format!("{file} (job {id})");
            let job_env = env_map(job.get("env"));
            let steps = job
                .get("steps")
                .and_then(Value::as_sequence)
                .cloned()
                .unwrap_or_default();
            for row in rows(job) {
                let mut meta: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
                for step in &steps {
                    let scope = Scope {
                        repo: self.repo,
                        env: vec![wf_env.clone(), job_env.clone(), env_map(step.get("env"))],
                        row: &row,
                        locals: BTreeMap::new(),
                    };
                    let runs_on = job
                        .get("runs-on")
                        .map(|r| match r {
                            Value::Sequence(s) => s.iter().filter_map(scalar).collect::<Vec<_>>().join(" "),
                            other => scalar(other).unwrap_or_default(),
                        })
                        .map(|r| scope.resolve(&r, 0))
                        .unwrap_or_default();
                    let uses = step.get("uses").and_then(Value::as_str).unwrap_or("");
                    let action = uses.split('@').next().unwrap_or("");
                    match action {
                        "docker/metadata-action" => self.metadata_step(step, &scope, &source, &mut meta),
                        "docker/login-action" => self.login_step(step, &scope, &source),
                        _ => {}
                    }
                    if action == "docker/build-push-action"
                        && !self.build_push_step(step, &scope, &source, &meta, &runs_on, manifest)
                    {
                        continue;
                    }
                    self.run_step(step, scope, &source, &runs_on, manifest);
                }
            }
        }
    }

    /// A `docker/metadata-action` step: the images it names, and its tags
    /// by step id (`meta`) for the build steps that use them.
    fn metadata_step(
        &mut self,
        step: &Value,
        scope: &Scope,
        source: &str,
        meta: &mut BTreeMap<String, (Vec<String>, Vec<String>)>,
    ) {
        let with = |k: &str| step_with(step, k);
        let images: Vec<String> = with("images")
            .map(|s| items(&s))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| {
                let name = i
                    .split(',')
                    .find_map(|kv| kv.trim().strip_prefix("name="))
                    .unwrap_or(if i.contains('=') { "" } else { &i })
                    .to_string();
                let r = scope.resolve(&name, 0);
                split_ref(&r).map(|(n, _)| n)
            })
            .collect();
        for i in &images {
            self.seen(i, source, false);
        }
        let tags = metadata_tags(with("tags").as_deref(), with("flavor").as_deref());
        if let Some(sid) = step.get("id").and_then(Value::as_str) {
            meta.insert(sid.to_string(), (images, tags));
        }
    }

    /// A `docker/build-push-action` step: the images it names, and its
    /// build when it pushes; whether it pushes (a step that does not is
    /// read no further).
    fn build_push_step(
        &mut self,
        step: &Value,
        scope: &Scope,
        source: &str,
        meta: &BTreeMap<String, (Vec<String>, Vec<String>)>,
        runs_on: &str,
        manifest: bool,
    ) -> bool {
        let with = |k: &str| step_with(step, k);
        let push = with("push").unwrap_or_default();
        let mut refs: Vec<String> = Vec::new();
        for t in with("tags").map(|s| items(&s)).unwrap_or_default() {
            if let Some(c) = STEP_TAGS.captures(&t) {
                if let Some((images, tags)) = meta.get(&c[1]) {
                    for i in images {
                        refs.push(i.clone());
                        refs.extend(tags.iter().map(|t| format!("{i}:{t}")));
                    }
                }
            } else {
                refs.push(scope.resolve(&t, 0));
            }
        }
        let pushes = push == "true" || push.contains("${{");
        for r in &refs {
            self.seen(r, source, pushes);
        }
        if !pushes {
            return false;
        }
        let args: Vec<(String, String)> = with("build-args")
            .map(|s| {
                s.lines()
                    .filter_map(|l| l.trim().split_once('='))
                    .map(|(k, v)| (k.trim().to_string(), scope.resolve(v.trim(), 0)))
                    .collect()
            })
            .unwrap_or_default();
        let plats: Vec<String> = with("platforms").map(|p| scope.resolve(&p, 0)).into_iter().collect();
        let platforms = self.platforms(&plats, runs_on);
        let context = scope.resolve(&with("context").unwrap_or_else(|| ".".into()), 0);
        let site = Site {
            context,
            file: with("file").map(|f| scope.resolve(&f, 0)),
            refs,
            args,
            platforms,
            target: with("target").map(|t| scope.resolve(&t, 0)),
        };
        self.add_build(source, site, manifest);
        true
    }

    /// A `docker/login-action` step: the host and the secrets it logs in with.
    fn login_step(&mut self, step: &Value, scope: &Scope, source: &str) {
        let with = |k: &str| step_with(step, k);
        let registry = with("registry")
            .map(|r| scope.resolve(&r, 0))
            .unwrap_or_else(|| "docker.io".into());
        let host = registry
            .trim_start_matches("https://")
            .split('/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let host = match host.as_str() {
            "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => "docker.io".to_string(),
            _ => host,
        };
        let secret = |k: &str| with(k).and_then(|v| SECRET.captures(&v).map(|c| c[1].to_string()));
        if let (Some(u), Some(p)) = (secret("username"), secret("password"))
            && !host.is_empty()
            && !host.contains(MARK)
        {
            let l = (host, u, p, source.to_string());
            if !self.ev.logins.contains(&l) {
                self.ev.logins.push(l);
            }
        }
    }

    /// A `run` step: its script, with the variables it assigns.
    fn run_step(&mut self, step: &Value, scope: Scope, source: &str, runs_on: &str, manifest: bool) {
        if let Some(run) = step.get("run").and_then(Value::as_str) {
            let wd = step
                .get("working-directory")
                .and_then(Value::as_str)
                .map(|w| scope.resolve(w, 0))
                .unwrap_or_else(|| ".".into());
            let helm = run.to_ascii_lowercase().contains("helm")
                || step
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.to_ascii_lowercase().contains("helm"));
            let mut scope = scope;
            let script = scope.resolve(run, 0);
            for line in script.lines() {
                if let Some(c) = ASSIGN.captures(line) {
                    let v = c[2].trim();
                    let v = v
                        .strip_prefix('"')
                        .and_then(|v| v.strip_suffix('"'))
                        .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                        .unwrap_or(v);
                    scope.locals.entry(c[1].to_string()).or_insert_with(|| v.to_string());
                }
            }
            self.script(source, &scope, &script, &wd, runs_on, manifest, helm);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn script(
        &mut self,
        source: &str,
        scope: &Scope,
        script: &str,
        wd: &str,
        runs_on: &str,
        manifest: bool,
        helm: bool,
    ) {
        for cmd in commands(script) {
            let words: Vec<String> = cmd
                .iter()
                .skip_while(|w| {
                    ASSIGN.is_match(w)
                        || [
                            "sudo", "time", "exec", "env", "then", "do", "else", "elif", "if", "while", "!",
                        ]
                        .contains(&w.as_str())
                })
                .map(|w| scope.shell(w, 0))
                .collect();
            if helm {
                for w in &words {
                    let w = w.trim_end_matches('/').to_ascii_lowercase();
                    if OCI.is_match(&w) && !self.ev.helm_registries.iter().any(|(r, _)| *r == w) {
                        self.ev.helm_registries.push((w, source.to_string()));
                    }
                }
            }
            let w: Vec<&str> = words.iter().map(String::as_str).collect();
            if !matches!(w.first(), Some(&"docker") | Some(&"podman")) {
                continue;
            }
            let rest: &[&str] = match &w[1..] {
                ["buildx", "build", rest @ ..] | ["buildx", "b", rest @ ..] | ["image", "build", rest @ ..] => {
                    self.build_cmd(source, rest, wd, runs_on, manifest);
                    continue;
                }
                ["build", rest @ ..] => {
                    self.build_cmd(source, rest, wd, runs_on, manifest);
                    continue;
                }
                ["push", rest @ ..] | ["image", "push", rest @ ..] | ["manifest", "push", rest @ ..] => rest,
                ["manifest", "create", rest @ ..] => &rest[..rest.len().min(1)],
                ["tag", rest @ ..] | ["image", "tag", rest @ ..] => {
                    let mut names = rest.iter().filter(|a| !a.starts_with('-'));
                    if let (Some(a), Some(b)) = (names.next(), names.next()) {
                        self.seen(b, source, false);
                        if let (Some((a, _)), Some((b, _))) = (split_ref(a), split_ref(b)) {
                            let r = (a, b, source.to_string());
                            if !self.ev.retags.contains(&r) {
                                self.ev.retags.push(r);
                            }
                        }
                    }
                    continue;
                }
                ["buildx", "imagetools", "create", rest @ ..] => {
                    let mut it = rest.iter();
                    while let Some(a) = it.next() {
                        if *a == "-t" || *a == "--tag" {
                            if let Some(v) = it.next() {
                                self.seen(v, source, true);
                            }
                        } else if let Some(v) = a.strip_prefix("--tag=") {
                            self.seen(v, source, true);
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            for a in rest.iter().filter(|a| !a.starts_with('-')) {
                self.seen(a, source, true);
            }
        }
    }

    fn build_cmd(&mut self, source: &str, args: &[&str], wd: &str, runs_on: &str, manifest: bool) {
        let mut tags = Vec::new();
        let mut file = None;
        let mut build_args = Vec::new();
        let mut platforms = Vec::new();
        let mut target = None;
        let mut positional = Vec::new();
        let mut push = false;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let (opt, inline) = match a.split_once('=') {
                Some((o, v)) if o.starts_with("--") => (o, Some(v.to_string())),
                _ => (*a, None),
            };
            if opt == "--push" {
                push = true;
                continue;
            }
            if BUILD_VALUE_OPTS.contains(&opt) {
                let Some(v) = inline.or_else(|| it.next().map(|s| s.to_string())) else {
                    break;
                };
                match opt {
                    "-t" | "--tag" => tags.push(v),
                    "-f" | "--file" => file = Some(v),
                    "--build-arg" => {
                        if let Some((k, val)) = v.split_once('=') {
                            build_args.push((k.to_string(), val.to_string()));
                        }
                    }
                    "--platform" => platforms.push(v),
                    "--target" => target = Some(v),
                    _ => {}
                }
            } else if !a.starts_with('-') {
                positional.push(a.to_string());
            }
        }
        let Some(context) = positional.last() else { return };
        let context = repo::join(wd, context);
        let file = file.map(|f| repo::join(wd, &f));
        for t in &tags {
            self.seen(t, source, push);
        }
        let site = Site {
            context,
            file,
            refs: tags,
            args: build_args,
            platforms: self.platforms(&platforms, runs_on),
            target,
        };
        self.add_build(source, site, manifest);
    }
}

/// The tags a `docker/metadata-action` step makes for a release tag, as
/// wfgen tag templates (`type=semver`/`pep440` patterns, `type=sha`,
/// `type=raw`; `latest` unless the flavor turns it off).
fn metadata_tags(tags: Option<&str>, flavor: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut versioned = false;
    let Some(tags) = tags else {
        return vec!["{version}".into(), "latest".into()];
    };
    for line in tags.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let attrs: BTreeMap<&str, &str> = line
            .split(',')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect();
        let kind = attrs.get("type").copied();
        let prefix = attrs
            .get("prefix")
            .copied()
            .unwrap_or(if kind == Some("sha") { "sha-" } else { "" });
        let suffix = attrs.get("suffix").copied().unwrap_or("");
        let t = match kind {
            Some("semver") | Some("pep440") => {
                versioned = true;
                attrs.get("pattern").map(|p| {
                    p.replace("{{version}}", "{version}")
                        .replace("{{major}}", "{major}")
                        .replace("{{minor}}", "{minor}")
                        .replace("{{patch}}", "{patch}")
                })
            }
            Some("sha") if attrs.get("format").copied() != Some("long") => Some("{sha7}".to_string()),
            Some("raw") => attrs.get("value").map(|v| v.to_string()),
            _ => None,
        };
        if let Some(t) = t.map(|t| format!("{prefix}{t}{suffix}"))
            && !t.contains("{{")
            && !t.contains("${{")
            && TAG.is_match(&t)
            && !out.contains(&t)
        {
            out.push(t);
        }
    }
    let latest_off = flavor.is_some_and(|f| f.replace(' ', "").contains("latest=false"));
    if versioned && !latest_off && !out.iter().any(|t| t == "latest") {
        out.push("latest".into());
    }
    out
}

/// Reads every workflow of `.github/workflows`.
pub fn scan(repo: &Repo, github: Option<&str>) -> Evidence {
    let mut r = Reader {
        repo: github,
        ev: Evidence::default(),
        pushed: BTreeSet::new(),
    };
    for (name, is_dir) in repo.list(".github/workflows") {
        if is_dir || !(name.ends_with(".yml") || name.ends_with(".yaml")) {
            continue;
        }
        let rel = format!(".github/workflows/{name}");
        let Some(doc) = repo.read(&rel).and_then(|t| yaml_serde::from_str::<Value>(&t).ok()) else {
            continue;
        };
        r.workflow(&rel, &doc);
    }
    let mut ev = r.ev;
    // A `docker build` whose image its workflow does not push is a test build.
    ev.builds
        .retain(|b| r.pushed.contains(&(b.workflow.clone(), b.image.clone())));
    ev.pushed = r.pushed.into_iter().map(|(_, i)| i).collect();
    ev.builds.sort();
    ev
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kv: &[(&str, &str)]) -> BTreeMap<String, String> {
        kv.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn matrix_rows() {
        let job: Value = yaml_serde::from_str(
            "strategy:\n  matrix:\n    phase: [a, b]\n    arch: [amd64, arm64]\n    include:\n      - { arch: amd64, platform: linux/amd64 }\n      - { arch: arm64, platform: linux/arm64 }\n      - { phase: c, arch: amd64 }\n    exclude:\n      - { phase: b, arch: arm64 }\n",
        )
        .unwrap();
        let r = rows(&job);
        assert_eq!(r.len(), 4, "{r:?}");
        assert_eq!(
            r[0],
            row(&[("phase", "a"), ("arch", "amd64"), ("platform", "linux/amd64")])
        );
        assert_eq!(r[3], row(&[("phase", "c"), ("arch", "amd64")]));
        let only: Value = yaml_serde::from_str(
            "strategy:\n  matrix:\n    include:\n      - { image: ubuntu }\n      - { image: rocky }\n",
        )
        .unwrap();
        assert_eq!(rows(&only), [row(&[("image", "ubuntu")]), row(&[("image", "rocky")])]);
    }

    #[test]
    fn shell_commands() {
        let c = commands(
            "DOCKER_BUILDKIT=1 docker build . \\\n  --build-arg RUNTIMES=\"\" \\\n  -t $IMG-slim && docker push $IMG # done\n",
        );
        assert_eq!(
            c,
            [
                vec![
                    "DOCKER_BUILDKIT=1",
                    "docker",
                    "build",
                    ".",
                    "--build-arg",
                    "RUNTIMES=",
                    "-t",
                    "$IMG-slim"
                ],
                vec!["docker", "push", "$IMG"]
            ]
        );
    }

    #[test]
    fn refs() {
        assert_eq!(
            split_ref("ghcr.io/NVIDIA/aicr:{version}"),
            Some(("ghcr.io/nvidia/aicr".into(), Some("{version}".into())))
        );
        assert_eq!(
            split_ref("localhost:5000/a/b"),
            Some(("localhost:5000/a/b".into(), None))
        );
        assert_eq!(split_ref("llm-proxy:latest"), None);
        assert_eq!(split_ref("a/b:\u{1}-x"), Some(("a/b".into(), None)));
        assert_eq!(split_ref("\u{1}/b:1"), None);
    }

    #[test]
    fn a_docker_buildx_line() {
        let d = tempfile::tempdir().unwrap();
        let wf = d.path().join(".github/workflows");
        std::fs::create_dir_all(&wf).unwrap();
        std::fs::write(
            wf.join("release.yml"),
            "env:\n  REGISTRY: ghcr.io\njobs:\n  image:\n    runs-on: ubuntu-24.04-arm\n    steps:\n      - working-directory: server\n        run: |\n          IMAGE=\"$REGISTRY/${{ github.repository }}\"\n          docker buildx build --target runtime --build-arg V=${GITHUB_REF_NAME#v} \\\n            -f docker/Dockerfile -t \"$IMAGE:${GITHUB_REF_NAME#v}\" --push .\n",
        )
        .unwrap();
        let repo = Repo::scan(d.path());
        let ev = scan(&repo, Some("Acme/Tool"));
        assert_eq!(ev.builds.len(), 1, "{ev:?}");
        let b = &ev.builds[0];
        assert_eq!(b.image, "ghcr.io/acme/tool");
        assert_eq!(b.tags, ["{version}"]);
        assert_eq!(b.dockerfile, "server/docker/Dockerfile");
        assert_eq!(b.context, "server");
        assert_eq!(b.target.as_deref(), Some("runtime"));
        assert_eq!(b.build_args, [("V".to_string(), "{version}".to_string())]);
        assert_eq!(b.platforms, ["linux/arm64"]);
        assert_eq!(
            (b.workflow.as_str(), b.job.as_str()),
            (".github/workflows/release.yml", "image")
        );
    }

    #[test]
    fn metadata() {
        assert_eq!(
            metadata_tags(
                Some(
                    "type=ref,event=branch\ntype=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=sha\n"
                ),
                None
            ),
            ["{version}", "{major}.{minor}", "sha-{sha7}", "latest"]
        );
        assert_eq!(
            metadata_tags(Some("type=raw,value=edge"), Some("latest=false")),
            ["edge"]
        );
    }
}
