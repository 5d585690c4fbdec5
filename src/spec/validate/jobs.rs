//! What the jobs run: the gates, the spec's own jobs (`jobs:`), and the
//! steps (`setup:` of any level, `steps:` of a job) and environments
//! (`env:`) of every build and gate job.

use super::*;

/// A reusable workflow of this repository, as a gate or a job calls it.
const LOCAL_WORKFLOW: &str = r"^\./\.github/workflows/[A-Za-z0-9_.-]+\.ya?ml$";

/// A job id.
const JOB_ID: &str = r"^[A-Za-z_][A-Za-z0-9_-]*$";

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

/// The setup steps and environments of the spec, its binaries and Python
/// packages, and the setup of the release.
pub(super) fn setup_and_env(spec: &Spec, c: &mut Problems) {
    steps(spec, c, ypath!["setup"], &spec.setup);
    env_map(c, ypath!["env"], &spec.env);
    for (i, b) in spec.binaries.iter().enumerate() {
        steps(spec, c, ypath!["binaries", i, "setup"], &b.setup);
        env_map(c, ypath!["binaries", i, "env"], &b.env);
    }
    for (i, py) in spec.python.iter().enumerate() {
        steps(spec, c, ypath!["python", i, "setup"], &py.setup);
        env_map(c, ypath!["python", i, "env"], &py.env);
    }
    steps(spec, c, ypath!["release", "setup"], &spec.release.setup);
}

/// `gates:`: each a job id of its own that no job of release.yml takes,
/// running a command or calling a reusable workflow of the repository.
pub(super) fn gates(spec: &Spec, c: &mut Problems) {
    for (i, g) in spec.gates.iter().enumerate() {
        gate(spec, c, &ypath!["gates", i], g);
    }
    c.unique_ids(
        spec.gates
            .iter()
            .enumerate()
            .map(|(i, g)| (ypath!["gates", i, "name"], g.name.as_str())),
        "gate name",
    );
}

fn gate(spec: &Spec, c: &mut Problems, p: &YPath, g: &Gate) {
    c.name(
        p.key("name"),
        &g.name,
        JOB_ID,
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
        no_expr(c, p.key("run"), run);
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
                "write `./.github/workflows/<file>.yml`; it is called with the inputs tag, version, prerelease and sha"
                    .into(),
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
    steps(spec, c, p.key("setup"), &g.setup);
    env_map(c, p.key("env"), &g.env);
}

/// `triggers.pull-request: build`: gate names that would be the id of one
/// of pull-request.yml's own jobs.
pub(super) fn pull_request_gates(spec: &Spec, c: &mut Problems) {
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

/// `jobs:`: ids that collide with nothing, a body (`steps` or `uses`), actions
/// with a pin, known permission scopes, secrets by name, no `${{ }}`.
pub(super) fn custom_jobs(spec: &Spec, c: &mut Problems) {
    let taken: Vec<String> = spec
        .gates
        .iter()
        .map(|g| g.name.clone())
        .chain(spec.python.iter().map(|p| p.workflow_name()))
        .collect();
    for (i, j) in spec.jobs.iter().enumerate() {
        let p = ypath!["jobs", i];
        job_id(c, &p, j, &taken);
        job_body(c, &p, j);
        no_expr(c, p.key("runs-on"), &j.runs_on);
        if let Some(e) = &j.environment {
            no_expr(c, p.key("environment"), e);
        }
        secret_names(
            c,
            p.key("secrets"),
            &j.secrets,
            "GitHub reserves names that start with GITHUB_: a called workflow gets the run's own token as `github.token`, with the job's `permissions`; the run steps of a job get no token",
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

/// A job's id: valid, and none that wfgen's jobs, a gate or a Python
/// workflow (`taken`) use.
fn job_id(c: &mut Problems, p: &YPath, j: &CustomJob, taken: &[String]) {
    c.name(
        p.key("id"),
        &j.id,
        JOB_ID,
        "job id",
        "a job id: letters, digits, `-` and `_`, starting with a letter or `_`",
    );
    if !c.reserved_job(p.key("id"), &j.id, "job id", "pick another id") && taken.iter().any(|t| jobids::same(t, &j.id))
    {
        c.err(
            p.key("id"),
            Part::Value,
            format!("job id `{}` is taken by a gate or a Python workflow", j.id),
            "each job of release.yml needs an id of its own: rename the job".into(),
        );
    }
}

/// A job's body: `steps` or `uses`; a call of a reusable workflow of the
/// repository has no environment and no runner of its own.
fn job_body(c: &mut Problems, p: &YPath, j: &CustomJob) {
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
    let Some(u) = &j.uses else { return };
    if !re(LOCAL_WORKFLOW).is_match(u) {
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

/// A list of steps (`setup:` of any level, `steps:` of a job): `run` or
/// `uses`, pinned actions, secret names, no `${{ }}`.
fn steps(spec: &Spec, c: &mut Problems, at: YPath, steps: &[Step]) {
    let builtin = names::builtin_pinned_actions();
    for (k, st) in steps.iter().enumerate() {
        let sp = at.index(k);
        step_keys(c, &sp, st);
        if let Some(u) = &st.uses {
            step_action(spec, c, &sp, st, u, &builtin);
        }
    }
}

/// The keys of a step: `run` or `uses`, `shell` and `with` where they
/// belong, a one-line name, input names, secret names, no `${{ }}`.
fn step_keys(c: &mut Problems, sp: &YPath, st: &Step) {
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
}

/// The action `u` of a `uses` step: a path of this repository, or a pinned
/// action that restores no cache.
fn step_action(spec: &Spec, c: &mut Problems, sp: &YPath, st: &Step, u: &str, builtin: &BTreeSet<String>) {
    if u.starts_with("./") {
        if u.contains("..") || u.contains(['\n', '\r', ' ', '@']) {
            c.err(
                sp.key("uses"),
                Part::Value,
                format!("`{u}` is not a path of an action of this repository"),
                "write `./path/to/action`, a directory holding action.yml".into(),
            );
        }
        return;
    }
    // Setup actions that cache by default: a release restores no
    // cache another workflow could have written (zizmor: cache-poisoning).
    let caching = [
        ("actions/setup-node", "package-manager-cache", "toolchains.node"),
        ("actions/setup-go", "cache", "toolchains.go"),
        ("astral-sh/setup-uv", "enable-cache", "the uv builder"),
    ];
    if let Some((_, input, instead)) = caching.iter().find(|(a, _, _)| *a == u)
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
    if !re(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?$").is_match(u) {
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

/// Secret names passed by name (a job's or a step's `secrets:`): valid names,
/// not GitHub's own; `reserved_help` says what to use instead of GITHUB_*.
fn secret_names(c: &mut Problems, at: YPath, names: &[String], reserved_help: &str) {
    for (k, s) in names.iter().enumerate() {
        c.name(
            at.index(k),
            s,
            SECRET,
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

/// No `${{ }}` in a value of the spec: values reach scripts through `env:`.
pub(super) fn no_expr(c: &mut Problems, path: YPath, value: &str) {
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
fn env_map(c: &mut Problems, at: YPath, env: &BTreeMap<String, String>) {
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
