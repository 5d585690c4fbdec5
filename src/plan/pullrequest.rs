//! The pull-request.yml plan (`triggers.pull-request`): what a pull request
//! runs of the release, without publishing anything.
//!
//! `plan`: one read-only job that runs the release's own tag script (the
//! script of every `plan` job) on a tag made from the spec's grammar and the
//! pull request's number, and fails when the script refuses it.
//!
//! `build`: that job, then the release's gate jobs, then the builds: the
//! binaries' matrix jobs (`bin-rust`, `bin-rust-container`, `bin-go`, as
//! build-assets.yml's), the Python wheel, sdist and pure build jobs
//! (`wheels-<package>`, `sdist-<package>`), a job per image variant (a leg
//! per platform, built and not pushed; an image built from the release's
//! binaries also waits for the binary jobs and takes their artifacts) and
//! per chart (linted and packaged, not pushed). The jobs are those of the
//! release workflows, rendered from the same template macros
//! (templates/jobs.j2, templates/builds.j2) with `publish` off: every job
//! reads the repository only, no job names a secret or asks for an OIDC
//! token. There is no provenance job, and a setup step that names secrets
//! (`setup[].secrets`) is left out of the pull request's jobs: GitHub gives
//! a pull request's run no secrets, and such a step is taken to need them
//! (see [`without_secret_steps`]). They are jobs of pull-request.yml
//! itself, not calls of docker.yml and helm-publish.yml with a "do not
//! publish" input: GitHub checks every job of a called workflow against the
//! caller's permissions, skipped or not, so a read-only caller cannot call
//! a workflow that has a job which pushes.

use serde::Serialize;

use super::Plan;
use super::build::BuildPlan;
use super::docker::DockerPlan;
use super::graph::{Graph, Job, Stage};
use super::helm::HelmPlan;
use super::python::PythonWorkflow;
use super::release::Input;
use super::steps::SetupStep;
use super::version::Grammar;
use super::{Permission, release};
use crate::jobids;
use crate::spec::{PullRequest, Scheme};

/// What pull-request.yml.j2 sees.
#[derive(Debug, Clone, Serialize)]
pub struct PullRequestWorkflow {
    /// The tag the pull request plans, with `{number}` where the pull
    /// request's number goes, e.g. `v0.0.0-rc.{number}`.
    pub tag_template: String,
    pub runner: String,
    /// `triggers.pull-request: build`: the gates and the builds run too.
    pub build: bool,
    /// The jobs, `plan` first; in build mode the gates, then the builds.
    pub jobs: Graph<PullRequestBody>,
    /// docker.yml's plan, whose build jobs the image jobs repeat.
    pub docker: Option<DockerPlan>,
    /// helm-publish.yml's plan, whose lint-and-package jobs the chart jobs
    /// repeat.
    pub helm: Option<HelmPlan>,
    /// build-assets.yml's plan, whose build jobs the binary jobs repeat,
    /// without the setup steps that name secrets.
    pub binaries: Option<BuildPlan>,
    /// The Python workflows' plans, whose build jobs the wheel, sdist and
    /// pure build jobs repeat, without the setup steps that name secrets.
    pub python: Vec<PythonWorkflow>,
    /// How a gate's reusable workflow is called (as in release.yml).
    pub local: String,
    pub local_comment: Option<String>,
}

/// What a job of pull-request.yml does.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum PullRequestBody {
    /// A job of release.yml's kinds, as release.yml has it (the gates).
    Release(release::ReleaseBody),
    Own(Own),
}

/// The jobs that only pull-request.yml has.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Own {
    /// The tag script on the pull request's tag; in build mode its values
    /// are the job's outputs.
    Plan { outputs: Vec<Input> },
    /// The builds of one variant of an image of docker.yml's plan, one leg
    /// per platform, not pushed.
    Image { image: usize, variant: usize },
    /// One chart of helm-publish.yml's plan, linted and packaged.
    Chart { chart: usize },
    /// One matrix job of build-assets.yml's plan (`binaries.jobs[job]`),
    /// run in the container of its matrix entry when `container`.
    Binaries { job: usize, container: bool },
    /// The wheel matrix of a maturin package (`python[workflow].packages[package]`).
    Wheels { workflow: usize, package: usize },
    /// The sdist of a maturin package.
    Sdist { workflow: usize, package: usize },
    /// The wheel (and sdist) of a pure package.
    Pure { workflow: usize, package: usize },
}

/// Where the pull request's number goes in [`synthetic_tag`].
pub const NUMBER: &str = "{number}";

/// `timeout-minutes` of the plan job.
const PLAN_TIMEOUT: u32 = 10;

/// The plan job's outputs that the gates, image and chart jobs read.
const PLAN_OUTPUTS: [&str; 3] = ["tag", "version", "is-prerelease"];

/// The workflow, when the spec runs anything on pull requests.
pub fn plan(p: &Plan) -> Option<PullRequestWorkflow> {
    let build = match p.pull_request {
        PullRequest::None => return None,
        PullRequest::Plan => false,
        PullRequest::Build => true,
    };
    let runner = release::RUNNER.to_string();
    let mut jobs: Vec<Job<PullRequestBody>> = Vec::new();

    // plan: the tag script, and in build mode the values the builds read
    let outputs = if build { plan_outputs(p) } else { Vec::new() };
    jobs.push(Job {
        id: jobids::PLAN.into(),
        name: "Plan a release of the pull request".into(),
        stage: Stage::Plan,
        needs: Vec::new(),
        runs_on: Some(runner.clone()),
        permissions: vec![Permission::read(
            "contents",
            "check out the pull request and read the repository's tags",
        )],
        timeout: Some(PLAN_TIMEOUT),
        condition: None,
        condition_why: None,
        body: PullRequestBody::Own(Own::Plan { outputs }),
    });
    if !build {
        return Some(workflow(p, runner, false, jobs));
    }

    // gates: the release's, on the pull request's commit, without the setup
    // steps that name secrets
    jobs.extend(gate_jobs(p));
    let after_gates: Vec<String> = jobs.iter().map(|j| j.id.clone()).collect();

    // builds: every binary, wheel, sdist, image variant and chart, after the
    // gates as in a release
    let mut binary_jobs = Vec::new();
    if let Some(b) = &p.build {
        for (i, bj) in b.jobs.iter().enumerate() {
            let id = jobids::pull_request_binaries(&bj.id);
            binary_jobs.push(id.clone());
            jobs.push(build_job(
                id,
                bj.title.clone(),
                after_gates.clone(),
                "${{ matrix.runner }}",
                bj.timeout,
                Own::Binaries {
                    job: i,
                    container: bj.container,
                },
            ));
        }
    }
    jobs.extend(python_jobs(p, &after_gates));
    if let Some(d) = &p.docker {
        for (i, im) in d.images.iter().enumerate() {
            for (k, v) in im.variants.iter().enumerate() {
                // An image of the release's binaries takes them from the
                // binary jobs of this run.
                let mut needs = after_gates.clone();
                if v.has_binaries {
                    needs.extend(binary_jobs.iter().cloned());
                }
                jobs.push(build_job(
                    jobids::pull_request_image(&v.key),
                    format!("Build {} (${{{{ matrix.platform }}}})", v.title),
                    needs,
                    "${{ matrix.runner }}",
                    v.build_timeout,
                    Own::Image { image: i, variant: k },
                ));
            }
        }
    }
    if let Some(h) = &p.helm {
        for (i, c) in h.charts.iter().enumerate() {
            jobs.push(build_job(
                c.job.clone(),
                format!("Lint and package the chart {}", c.name),
                after_gates.clone(),
                super::docker::SCRIPT_RUNNER,
                h.chart_timeout,
                Own::Chart { chart: i },
            ));
        }
    }
    Some(workflow(p, runner, true, jobs))
}

/// The outputs of the plan job in build mode: the values the gates, image
/// and chart jobs read, each once, and the commit.
fn plan_outputs(p: &Plan) -> Vec<Input> {
    let mut names: Vec<String> = PLAN_OUTPUTS.iter().map(|s| s.to_string()).collect();
    if let Some(d) = &p.docker {
        for im in &d.images {
            for v in &im.variants {
                if !v.build_args.is_empty() {
                    names.push(v.build_args_output.clone());
                }
                if !v.labels.is_empty() {
                    names.push(v.labels_output.clone());
                }
            }
        }
    }
    if let Some(h) = &p.helm {
        for c in &h.charts {
            names.push(c.version_output.clone());
            names.push(c.app_version_output.clone());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    names.retain(|n| seen.insert(n.clone()));
    names
        .iter()
        .map(|n| Input::new(n, format!("${{{{ steps.plan.outputs.{n} }}}}")))
        .chain(std::iter::once(Input::new(
            "sha",
            "${{ steps.checkout.outputs.commit }}",
        )))
        .collect()
}

/// The release's gates, without the setup steps that name secrets.
fn gate_jobs(p: &Plan) -> Vec<Job<PullRequestBody>> {
    release::gate_jobs(p)
        .into_iter()
        .map(|j| Job {
            body: PullRequestBody::Release(match j.body {
                release::ReleaseBody::Gate {
                    run,
                    toolchains,
                    versions,
                    setup,
                    env,
                    tag_prefix,
                } => release::ReleaseBody::Gate {
                    run,
                    toolchains,
                    versions,
                    setup: without_secret_steps(setup),
                    env,
                    tag_prefix,
                },
                other => other,
            }),
            id: j.id,
            name: j.name,
            stage: j.stage,
            needs: j.needs,
            runs_on: j.runs_on,
            permissions: j.permissions,
            timeout: j.timeout,
            condition: j.condition,
            condition_why: j.condition_why,
        })
        .collect()
}

/// The build jobs of the Python packages: a maturin package's wheels (and
/// sdist), a pure package's wheel and sdist in one job.
fn python_jobs(p: &Plan, after_gates: &[String]) -> Vec<Job<PullRequestBody>> {
    let mut jobs = Vec::new();
    for (workflow, pw) in p.python.iter().enumerate() {
        for (package, pkg) in pw.packages.iter().enumerate() {
            if pkg.build == "maturin" {
                jobs.push(build_job(
                    pkg.wheel_job.clone(),
                    format!("wheels {} (${{{{ matrix.platform }}}})", pkg.name),
                    after_gates.to_vec(),
                    "${{ matrix.runner }}",
                    pkg.wheel_timeout,
                    Own::Wheels { workflow, package },
                ));
                if pkg.sdist {
                    jobs.push(build_job(
                        pkg.sdist_job.clone(),
                        format!("sdist {}", pkg.name),
                        after_gates.to_vec(),
                        &pkg.sdist_runner,
                        pkg.sdist_timeout,
                        Own::Sdist { workflow, package },
                    ));
                }
            } else {
                // The id of a maturin package's wheel job (`wheels-<package>`;
                // gate names cannot start with `wheels-` or `sdist-`): the job
                // builds the wheel, and the sdist beside it.
                jobs.push(build_job(
                    pkg.wheel_job.clone(),
                    format!("build {}", pkg.name),
                    after_gates.to_vec(),
                    &pkg.sdist_runner,
                    pkg.sdist_timeout,
                    Own::Pure { workflow, package },
                ));
            }
        }
    }
    jobs
}

/// A job of the build stage, which checks out the pull request.
fn build_job(
    id: String,
    name: String,
    needs: Vec<String>,
    runs_on: &str,
    timeout: u32,
    body: Own,
) -> Job<PullRequestBody> {
    Job {
        id,
        name,
        stage: Stage::Build,
        needs,
        runs_on: Some(runs_on.into()),
        permissions: vec![Permission::read("contents", "check out the pull request")],
        timeout: Some(timeout),
        condition: None,
        condition_why: None,
        body: PullRequestBody::Own(body),
    }
}

/// The setup steps a pull request's job runs: those that name no secret.
/// GitHub gives a pull request's run no secrets (none at all from a fork),
/// and pull-request.yml names none; a step that names one is taken to need
/// it (a login, a private download), so it is left out rather than run
/// without it.
pub fn without_secret_steps(steps: Vec<SetupStep>) -> Vec<SetupStep> {
    steps.into_iter().filter(|s| s.env.is_empty()).collect()
}

fn workflow(p: &Plan, runner: String, build: bool, jobs: Vec<Job<PullRequestBody>>) -> PullRequestWorkflow {
    let jobs = Graph { jobs };
    if let Err(e) = jobs.check() {
        panic!("pull-request.yml's job graph is broken (a bug of wfgen): {e}");
    }
    PullRequestWorkflow {
        tag_template: synthetic_tag(&p.grammar),
        runner,
        build,
        jobs,
        docker: if build { p.docker.clone() } else { None },
        helm: if build { p.helm.clone() } else { None },
        binaries: p.build.clone().filter(|_| build).map(|mut b| {
            for j in &mut b.jobs {
                j.setup = without_secret_steps(std::mem::take(&mut j.setup));
            }
            // No provenance job and no secrets in a pull request.
            b.provenance = false;
            b.secrets.clear();
            b
        }),
        python: if build {
            p.python
                .iter()
                .cloned()
                .map(|mut w| {
                    for pkg in &mut w.packages {
                        pkg.setup = without_secret_steps(std::mem::take(&mut pkg.setup));
                        pkg.linux_setup = without_secret_steps(std::mem::take(&mut pkg.linux_setup));
                    }
                    w.provenance = false;
                    w
                })
                .collect()
        } else {
            Vec::new()
        },
        local: release::local_prefix(p).into(),
        local_comment: release::local_comment(p),
    }
}

/// A tag of version 0.0.0 that the grammar accepts, as a pre-release whose
/// number is the pull request's when the grammar has a pre-release label:
/// `v0.0.0-rc.{number}` (semver), `v0.0.0rc{number}` or `v0.0.0.dev{number}`
/// (pep440), else the release `v0.0.{number}`.
pub fn synthetic_tag(g: &Grammar) -> String {
    let prefix = &g.prefix;
    let version = match g.scheme {
        Scheme::Semver => {
            let label = g.labels.iter().find(|l| *l == "rc").or(g.labels.first());
            match label {
                Some(l) => format!("0.0.0-{l}.{NUMBER}"),
                None => format!("0.0.{NUMBER}"),
            }
        }
        Scheme::Pep440 => {
            let pre = ["rc", "b", "a"]
                .into_iter()
                .find(|l| g.pep440_labels.iter().any(|x| x == l));
            match pre {
                Some(l) => format!("0.0.0{l}{NUMBER}"),
                None if g.pep440_labels.iter().any(|x| x == "dev") => format!("0.0.0.dev{NUMBER}"),
                None => format!("0.0.{NUMBER}"),
            }
        }
    };
    format!("{prefix}{version}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Versioning;

    fn grammar(yaml: &str) -> Grammar {
        let v: Versioning = yaml_serde::from_str(yaml).unwrap();
        Grammar::new(&v, false)
    }

    /// The synthetic tag of every grammar is one the release accepts, for
    /// small and large pull request numbers.
    #[test]
    fn synthetic_tags_are_accepted() {
        for (yaml, want) in [
            ("{}", "v0.0.0-rc.{number}"),
            ("{ prereleases: [beta, alpha] }", "v0.0.0-beta.{number}"),
            ("{ prereleases: [], tag-prefix: '' }", "0.0.{number}"),
            ("{ scheme: pep440 }", "v0.0.0rc{number}"),
            ("{ scheme: pep440, prereleases: [alpha] }", "v0.0.0a{number}"),
            ("{ scheme: pep440, prereleases: [dev] }", "v0.0.0.dev{number}"),
            (
                "{ scheme: pep440, prereleases: [], tag-prefix: app- }",
                "app-0.0.{number}",
            ),
            (
                "{ stable-suffix: -stable, tag-prefix: release/ }",
                "release/0.0.0-rc.{number}",
            ),
        ] {
            let g = grammar(yaml);
            let t = synthetic_tag(&g);
            assert_eq!(t, want, "{yaml}");
            for n in ["1", "42", "123456"] {
                let tag = t.replace(NUMBER, n);
                assert!(g.parse(&tag).is_ok(), "{yaml}: {tag} refused: {:?}", g.parse(&tag));
            }
        }
    }

    fn plan_of(yaml: &str) -> Plan {
        let (spec, _) = crate::parse_spec("wfgen.yaml", yaml).unwrap_or_else(|e| panic!("{e}"));
        Plan::new(&spec)
    }

    const BUILD: &str = "wfgen: 1\nproject: { name: x, repository: acme/x }\ntriggers: { pull-request: build }\ngates:\n  - { name: lint, run: make lint }\n  - { name: e2e, uses: ./.github/workflows/e2e.yml }\nregistries:\n  docker.io: { username-secret: HUB_USER, password-secret: HUB_TOKEN }\ndocker:\n  - image: ghcr.io/acme/x\n    mirrors: [acme/x]\n    build-args: { V: \"{version}\" }\n    labels: { t: \"x {variant}\" }\n    platforms: [linux/amd64, linux/riscv64]\n    tags: [\"{version}-{variant}\"]\n    variants: [a, b]\nhelm:\n  - chart: deploy/x\n    registry: oci://ghcr.io/acme/charts\n";

    /// The text of the rendered pull-request.yml.
    fn rendered(p: &Plan) -> String {
        crate::render::render(p, "")
            .into_iter()
            .find(|f| f.path.ends_with("/pull-request.yml"))
            .unwrap()
            .text
    }

    /// (job id, its needs) of every job of pull-request.yml.
    fn job_needs(wf: &PullRequestWorkflow) -> Vec<(&str, Vec<&str>)> {
        wf.jobs
            .jobs
            .iter()
            .map(|j| (j.id.as_str(), j.needs.iter().map(String::as_str).collect()))
            .collect()
    }

    /// Build mode: plan, the gates after it, every image variant and chart
    /// after the gates; every job reads the repository only.
    #[test]
    fn build_mode_jobs() {
        let wf = plan(&plan_of(BUILD)).unwrap();
        assert!(wf.build);
        let ids = job_needs(&wf);
        assert_eq!(
            ids,
            [
                ("plan", vec![]),
                ("lint", vec!["plan"]),
                ("e2e", vec!["plan"]),
                ("image-0-a", vec!["plan", "lint", "e2e"]),
                ("image-0-b", vec!["plan", "lint", "e2e"]),
                ("chart-x", vec!["plan", "lint", "e2e"]),
            ]
        );
        for j in &wf.jobs.jobs {
            let perms: Vec<String> = j
                .permissions
                .iter()
                .map(|p| format!("{}: {}", p.name, p.access))
                .collect();
            assert_eq!(perms, ["contents: read"], "{}", j.id);
            assert_eq!(j.timeout.is_some(), j.id != "e2e", "{}", j.id);
        }
        // The plan mode has the plan job alone, without outputs.
        let wf = plan(&plan_of(&BUILD.replace("pull-request: build", "pull-request: plan"))).unwrap();
        assert!(!wf.build && wf.docker.is_none() && wf.helm.is_none());
        assert_eq!(wf.jobs.jobs.len(), 1);
        assert!(matches!(&wf.jobs.jobs[0].body, PullRequestBody::Own(Own::Plan { outputs }) if outputs.is_empty()));
    }

    /// The rendered workflow: every `needs.plan.outputs.X` a job reads is an
    /// output of the plan job; nothing names a secret, logs in, pushes or
    /// asks for an OIDC token.
    #[test]
    fn build_mode_renders_read_only() {
        let p = plan_of(BUILD);
        let text = &rendered(&p);
        let wf: yaml_serde::Value = yaml_serde::from_str(text).unwrap();
        let outputs = wf["jobs"]["plan"]["outputs"].as_mapping().unwrap();
        let mut read = 0;
        for part in text.split("needs.plan.outputs.").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            assert!(
                outputs.contains_key(name.as_str()),
                "{name} is no output of the plan job"
            );
            read += 1;
        }
        assert!(read > 10, "{read}");
        for bad in [
            "secrets.",
            "github.token",
            "id-token",
            ": write",
            "docker/login-action",
            "push: true",
            "push-by-digest",
            "helm push",
            "upload-artifact",
            "attest",
            "cosign",
            "pull_request_target",
        ] {
            assert!(!text.contains(bad), "pull-request.yml contains `{bad}`");
        }
        assert_eq!(text.matches("push: false").count(), 2);
        assert_eq!(text.matches("helm package").count(), 1);
        assert_eq!(text.matches("persist-credentials: false").count(), 5);
        assert_eq!(wf["concurrency"]["cancel-in-progress"].as_bool(), Some(true));
        assert_eq!(
            wf["on"].as_mapping().unwrap().keys().collect::<Vec<_>>(),
            [&yaml_serde::Value::from("pull_request")]
        );
    }

    const BUILDS: &str = "wfgen: 1\nproject: { name: x, repository: acme/x }\ntriggers: { pull-request: build }\ngates:\n  - name: lint\n    run: make lint\n    setup: [{ name: Private registry, run: make login, secrets: [GATE_TOKEN] }]\nsetup:\n  - { name: Fetch the models, run: make models, secrets: [MODELS_TOKEN] }\n  - { name: Install protoc, run: make protoc }\nbinaries:\n  - { name: x, kind: rust, package: x, targets: [x86_64-unknown-linux-gnu, aarch64-apple-darwin], asset: \"x-{version}-{target}\" }\n  - { name: y, kind: go, package: ./cmd/y, targets: [linux/amd64] }\npython:\n  - { name: x-py, path: py, build: maturin, platforms: [linux-x86_64] }\n  - { name: x-pure, path: pure, build: pure, workflow: release-pure }\ndocker:\n  - image: ghcr.io/acme/x\n    binaries: [{ name: x, build-arg: X_BINARY }]\n    platforms: [linux/amd64]\n  - image: ghcr.io/acme/y\n    platforms: [linux/amd64]\nrelease:\n  provenance: true\n  sbom: true\n";

    /// Build mode with binaries and Python packages: the binary, wheel,
    /// sdist and pure build jobs after the gates; the image of the
    /// release's binaries after the binary jobs too; no setup step that
    /// names a secret, no provenance, read-only.
    #[test]
    fn build_mode_binaries_and_wheels() {
        let p = plan_of(BUILDS);
        assert!(p.build.as_ref().unwrap().provenance);
        assert!(!p.build.as_ref().unwrap().secrets.is_empty());
        let wf = plan(&p).unwrap();
        let ids = job_needs(&wf);
        assert_eq!(
            ids,
            [
                ("plan", vec![]),
                ("lint", vec!["plan"]),
                ("bin-rust", vec!["plan", "lint"]),
                ("bin-go", vec!["plan", "lint"]),
                ("wheels-x-py", vec!["plan", "lint"]),
                ("sdist-x-py", vec!["plan", "lint"]),
                ("wheels-x-pure", vec!["plan", "lint"]),
                ("image-0", vec!["plan", "lint", "bin-rust", "bin-go"]),
                ("image-1", vec!["plan", "lint"]),
            ]
        );
        let b = wf.binaries.as_ref().unwrap();
        assert!(!b.provenance && b.secrets.is_empty());
        for j in &b.jobs {
            let names: Vec<&str> = j.setup.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, ["Install protoc"], "{}", j.id);
        }
        for w in &wf.python {
            assert!(!w.provenance);
            for pkg in &w.packages {
                assert!(pkg.setup.iter().chain(&pkg.linux_setup).all(|s| s.env.is_empty()));
                assert_eq!(pkg.linux_setup.len(), 1);
            }
        }

        let text = &rendered(&p);
        let parsed: yaml_serde::Value = yaml_serde::from_str(text).unwrap();
        for bad in [
            "secrets.",
            "github.token",
            "id-token",
            ": write",
            "attest",
            "inputs.tag",
            "refs/tags/",
            "make models",
            "make login",
            "upload-release-assets: true",
        ] {
            assert!(!text.contains(bad), "pull-request.yml contains `{bad}`");
        }
        for want in [
            "cargo \"$CARGO_SUBCOMMAND\"",
            "go build",
            "command: build",
            "command: sdist",
            "python -m build --sdist --wheel --outdir dist",
            "Download the release's binaries",
            "anchore/sbom-action",
        ] {
            assert!(text.contains(want), "pull-request.yml lacks `{want}`");
        }
        let jobs = parsed["jobs"].as_mapping().unwrap();
        for (id, j) in jobs {
            let perms = j["permissions"].as_mapping().unwrap();
            assert_eq!(perms.len(), 1, "{id:?}");
            assert_eq!(perms.get("contents").and_then(|v| v.as_str()), Some("read"), "{id:?}");
            if id.as_str() != Some("plan") {
                for st in j["steps"].as_sequence().unwrap() {
                    if st["uses"].as_str().is_some_and(|u| u.starts_with("actions/checkout@")) {
                        assert_eq!(st["with"]["ref"].as_str(), Some("${{ needs.plan.outputs.sha }}"));
                    }
                }
            }
        }
        // The release files named with the pull request's version.
        assert!(text.contains("TAG: ${{ needs.plan.outputs.tag }}"));
        assert_eq!(jobs.len(), 9);
    }

    /// Every fixture's grammar accepts its synthetic tag, and only an
    /// opted-in spec gets the workflow.
    #[test]
    fn fixtures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for f in [
            "wfgen.yaml",
            "fixtures/opsml/wfgen.yaml",
            "fixtures/llm-proxy/wfgen.yaml",
            "fixtures/cluster-tool/wfgen.yaml",
            "fixtures/model-server/wfgen.yaml",
        ] {
            let text = std::fs::read_to_string(root.join(f)).unwrap();
            let (spec, _) = crate::parse_spec("wfgen.yaml", &text).unwrap();
            let p = Plan::new(&spec);
            let tag = synthetic_tag(&p.grammar).replace(NUMBER, "7");
            assert!(p.grammar.parse(&tag).is_ok(), "{f}: {tag}");
            assert_eq!(
                plan(&p).is_some(),
                spec.triggers.pull_request != PullRequest::None,
                "{f}"
            );
        }
    }
}
