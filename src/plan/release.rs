//! The release.yml plan: every job of the orchestrator and what it needs,
//! decided here so that the template only lays the jobs out.

use serde::Serialize;

use super::graph::{Graph, Job, Stage};
use super::{Access, Permission, Plan};
use crate::jobids;
use crate::spec::{CustomStage, LocalCalls, PermissionLevel, When};

/// What release.yml.j2 sees: the trigger and the job graph.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseWorkflow {
    /// The expression that gives the tag: the dispatch input and/or the pushed ref.
    pub tag_expr: String,
    /// Promotion tags exist (a stable suffix): steps and conditions for them.
    pub promotion: bool,
    /// How a workflow of this repository is called: `$/` or `./`.
    pub local: String,
    /// The comment after a `./` call: zizmor's line-level ignore of its
    /// `self-repository` audit, and why.
    pub local_comment: Option<String>,
    /// `on.push.tags` globs; empty when tag triggers are off.
    pub tag_globs: Vec<String>,
    /// workflow_dispatch with a `tag` input.
    pub dispatch: bool,
    pub tag_prefix: String,
    /// The `plan` output that names the GitHub release's own tag: a
    /// promotion releases its plain tag (`release-tag`); without promotions
    /// it is the pushed tag (`tag`).
    pub release_tag_output: &'static str,
    /// semver | pep440, for the version-file check.
    pub scheme: crate::spec::Scheme,
    /// Files whose version must equal the tag's.
    pub version_files: Vec<String>,
    /// The "Check the version files" step's script (env VERSION, SCHEME,
    /// VERSION_FILES): plan::versionfiles.
    pub version_files_script: &'static str,
    pub jobs: Graph<ReleaseBody>,
}

/// The part of a release.yml job that differs by kind; the template lays
/// out each kind's steps.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ReleaseBody {
    /// The tag script, the version files, the dispatch and promotion checks.
    Plan {
        /// The job's outputs and their expressions.
        outputs: Vec<Input>,
        /// Under workflow_dispatch, the run must be on the tag.
        dispatch: bool,
        /// Minutes a promotion waits for the plain tag's release run.
        promotion_wait_minutes: u32,
        /// A GitHub release can be created: a run over a published one stops.
        release_check: bool,
        /// `release.notes: changelog:PATH`: the changelog whose section of
        /// the version must exist, checked before anything is built.
        changelog: Option<String>,
        /// The awk program that prints a changelog's section.
        changelog_awk: Option<String>,
        /// `release.assets`: each must match a file, checked likewise.
        assets: Vec<String>,
        /// The same as bash words.
        assets_words: String,
    },
    Gate {
        run: String,
        /// The toolchains of the builds, installed the same way.
        toolchains: Vec<Toolchain>,
        /// The pinned versions (rust, go, python, node).
        versions: Box<super::toolchains::Toolchains>,
        /// The spec's setup steps (top-level, then the gate's).
        setup: Vec<super::steps::SetupStep>,
        env: super::steps::JobEnv,
        /// The tag prefix, which `{version}` of env values leaves out.
        tag_prefix: String,
    },
    /// `release.setup`: make the release's extra files, check them
    /// against `release.assets` and upload them for the GitHub release job.
    ReleaseAssets {
        setup: Vec<super::steps::SetupStep>,
        env: super::steps::JobEnv,
        toolchains: Vec<Toolchain>,
        versions: Box<super::toolchains::Toolchains>,
        tag_prefix: String,
        assets_words: String,
        artifact: String,
    },
    /// A reusable workflow of this repository.
    Call {
        file: String,
        /// The inputs (`with:`).
        with: Vec<Input>,
        /// Secrets passed by name (never `secrets: inherit`).
        secrets: Vec<String>,
    },
    /// One of the spec's `jobs:` with steps.
    Custom(CustomJob),
    /// The identity check of everything built (plan::identity).
    Identity {
        check: super::identity::IdentityCheck,
        /// The placeholders' values, from the plan job's outputs.
        env: Vec<Input>,
    },
    /// A PyPI upload (trusted publishing does not accept reusable workflows).
    Pypi(PypiJob),
    GithubRelease(GithubReleaseJob),
    Notify {
        slack_webhook_secret: String,
    },
}

/// A name and its value (a GitHub expression or a literal), for `with:`,
/// `env:` and `outputs:`.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    pub name: String,
    pub value: String,
}

impl Input {
    pub fn new(name: &str, value: impl Into<String>) -> Input {
        Input {
            name: name.into(),
            value: value.into(),
        }
    }

    /// `name: ${{ needs.plan.outputs.<output> }}`.
    fn plan_output(name: &str, output: &str) -> Input {
        Input::new(name, format!("${{{{ needs.plan.outputs.{output} }}}}"))
    }
}

/// A `steps` job of the spec's `jobs:`.
#[derive(Debug, Clone, Serialize)]
pub struct CustomJob {
    /// The release values and the secrets, as the job's environment.
    pub env: Vec<Input>,
    pub environment: Option<String>,
    pub steps: Vec<super::steps::SetupStep>,
}

/// A toolchain that gates install as the builds do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Toolchain {
    /// dtolnay/rust-toolchain, stable (as build-assets.yml).
    Rust,
    /// actions/setup-go from go.mod (as build-assets.yml).
    Go,
    /// actions/setup-python (as the Python workflows' builds).
    Python,
}

/// A top-level PyPI publish job.
#[derive(Debug, Clone, Serialize)]
pub struct PypiJob {
    /// The distribution published.
    pub package: String,
    pub environment: String,
    pub url: String,
    pub artifact_pattern: String,
    /// Normalized distribution name, the prefix of its wheel and sdist files.
    pub dist_name: String,
    /// The same with `-`: older build backends name sdists so.
    pub dist_name_dashed: String,
    /// An sdist was built and must be published.
    pub sdist: bool,
    /// PEP 740 attestations of the uploads (release.provenance, with
    /// trusted publishing only).
    pub attestations: bool,
    /// The secret holding the PyPI API token; None: trusted publishing.
    pub token_secret: Option<String>,
    pub repository_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GithubReleaseJob {
    /// `release.notes: changelog:PATH`: the changelog whose section of the
    /// version is the notes.
    pub changelog: Option<String>,
    /// `release.notes: PATH`: the notes file of the tagged commit.
    pub notes_file: Option<String>,
    /// The notes' arguments of `gh release create`, as bash words.
    pub notes_args: &'static str,
    /// Files are attached (binaries, Python distributions or assets).
    pub has_files: bool,
    /// Files come from the artifact jobs (binaries or Python distributions).
    pub has_artifacts: bool,
    /// The title and checksums file name are plan outputs (else the tag and
    /// SHA256SUMS).
    pub named: bool,
    /// More files of the tagged commit (globs).
    pub assets: Vec<String>,
    /// The same as bash words.
    pub assets_words: String,
    /// The awk program that prints a changelog's section (notes `changelog`).
    pub changelog_awk: Option<String>,
    /// The job checks out the tag (notes file, changelog, assets).
    pub checkout: bool,
    /// Artifact downloads into dist/: (step name, pattern).
    pub downloads: Vec<Download>,
    pub checksums: bool,
    pub sign: bool,
    pub draft: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Download {
    pub name: String,
    pub pattern: String,
}

/// Runner of release.yml's own jobs.
pub const RUNNER: &str = "ubuntu-24.04";
/// The artifact of the files `release.setup` makes.
pub const RELEASE_ASSETS_ARTIFACT: &str = "release-assets";

/// The outputs of the `plan` job that release.yml's jobs read (the called
/// workflows run the tag script themselves).
const PLAN_OUTPUTS: [&str; 6] = [
    "tag",
    "version",
    "is-prerelease",
    "promotion",
    "github-release",
    "latest",
];

/// Minutes a promotion run waits for the release run of its plain tag.
const PROMOTION_WAIT: u32 = 80;

/// Strings as bash words that read back as themselves (globs stay unexpanded).
fn bash_words(list: &[String]) -> String {
    list.iter()
        .map(|a| crate::plan::tagscript::quote(a))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn plan(p: &Plan) -> ReleaseWorkflow {
    let wf = workflow(p);
    if let Err(e) = wf.jobs.check() {
        panic!("release.yml's job graph is broken (a bug of wfgen): {e}");
    }
    wf
}

/// A call of a reusable workflow of this repository, in one stage.
struct Call {
    id: String,
    name: String,
    file: String,
    with: Vec<Input>,
    /// What the called workflow's jobs ask for (GitHub checks every job of
    /// the callee against the grant, whatever the stage).
    permissions: Vec<Permission>,
    secrets: Vec<String>,
}

impl Call {
    fn new(
        id: &str,
        name: &str,
        file: &str,
        stage: Option<&str>,
        permissions: &[Permission],
        secrets: &[String],
    ) -> Call {
        Call {
            id: id.into(),
            name: name.into(),
            file: file.into(),
            with: std::iter::once(Input::plan_output("tag", "tag"))
                .chain(stage.map(|s| Input::new("stage", s)))
                .collect(),
            permissions: permissions.to_vec(),
            secrets: secrets.to_vec(),
        }
    }

    fn job(self, stage: Stage, needs: Vec<String>, condition: Option<String>) -> Job<ReleaseBody> {
        let mut j = job(
            &self.id,
            self.name,
            stage,
            needs,
            ReleaseBody::Call {
                file: self.file,
                with: self.with,
                secrets: self.secrets,
            },
        );
        j.permissions = self.permissions;
        j.condition = condition;
        j
    }
}

/// The spec's `jobs:` of one stage.
fn spec_jobs(p: &Plan, stage: CustomStage) -> impl Iterator<Item = &crate::spec::CustomJob> {
    p.jobs.iter().filter(move |j| j.stage == stage)
}

/// The `if:` of a job that runs only for releases or only for pre-releases.
fn when_condition(when: When) -> Option<String> {
    match when {
        When::Always => None,
        When::Release => Some("needs.plan.outputs.is-prerelease == 'false'".into()),
        When::Prerelease => Some("needs.plan.outputs.is-prerelease == 'true'".into()),
    }
}

/// The inputs of a call of the user's reusable workflow (a gate or a job),
/// and the plan outputs they come from.
fn release_values() -> [(&'static str, &'static str); 4] {
    [
        ("tag", "tag"),
        ("version", "version"),
        ("prerelease", "is-prerelease"),
        ("sha", "sha"),
    ]
}

/// A call of the user's reusable workflow `./.github/workflows/<file>` (a
/// gate or one of `jobs:`) with the release values as its inputs.
fn user_workflow_call(uses: &str, secrets: Vec<String>) -> ReleaseBody {
    ReleaseBody::Call {
        file: uses.trim_start_matches("./.github/workflows/").to_string(),
        with: release_values()
            .iter()
            .map(|(name, output)| Input::plan_output(name, output))
            .collect(),
        secrets,
    }
}

/// One of the spec's `jobs:`: a call of the user's reusable workflow with the
/// release's values, or steps after a checkout of the tag with them in env.
fn custom_job(
    p: &Plan,
    cj: &crate::spec::CustomJob,
    stage: Stage,
    needs: Vec<String>,
    condition: Option<String>,
) -> Job<ReleaseBody> {
    let release_values = release_values();
    let secrets: Vec<String> = cj.secrets.clone();
    let body = match &cj.uses {
        Some(file) => user_workflow_call(file, secrets),
        None => {
            ReleaseBody::Custom(CustomJob {
                env: release_values
                    .iter()
                    .map(|(name, output)| Input::plan_output(&format!("RELEASE_{}", name.to_ascii_uppercase()), output))
                    // The images of the build stage, by digest: a smoke test
                    // pulls exactly what will be tagged.
                    .chain(p.docker.as_ref().map(|_| {
                        Input::new(
                            "RELEASE_IMAGES",
                            format!("${{{{ needs.{}.outputs.images }}}}", jobids::DOCKER_BUILD),
                        )
                    }))
                    .chain(secrets.iter().map(|s| Input::new(s, format!("${{{{ secrets.{s} }}}}"))))
                    .collect(),
                environment: cj.environment.clone(),
                steps: super::steps::resolve(&p.pins, &[&cj.steps]),
            })
        }
    };
    let custom = matches!(body, ReleaseBody::Custom(_));
    let mut j = job(&cj.id, cj.id.clone(), stage, needs, body);
    if custom {
        j.runs_on = Some(cj.runs_on.clone());
        j.timeout = Some(CUSTOM_TIMEOUT);
    }
    j.permissions = cj
        .permissions
        .iter()
        .map(|(name, level)| Permission {
            name: name.clone(),
            access: match level {
                PermissionLevel::Read => Access::Read,
                PermissionLevel::Write => Access::Write,
                PermissionLevel::None => Access::None,
            },
            why: String::new(),
        })
        .collect();
    j.condition = condition;
    j
}

/// `timeout-minutes` of a `steps` job of the spec's `jobs:`.
const CUSTOM_TIMEOUT: u32 = 30;

fn job(id: &str, name: String, stage: Stage, needs: Vec<String>, body: ReleaseBody) -> Job<ReleaseBody> {
    let call = matches!(body, ReleaseBody::Call { .. });
    Job {
        id: id.to_string(),
        name,
        stage,
        needs,
        runs_on: (!call).then(|| RUNNER.to_string()),
        permissions: Vec::new(),
        timeout: None,
        condition: None,
        condition_why: None,
        body,
    }
}

/// The gate jobs, after `plan`: each checks out the commit and installs the
/// toolchains of the builds (Rust, Go, Python), or calls the spec's reusable
/// workflow with the release values. pull-request.yml runs the same jobs.
pub fn gate_jobs(p: &Plan) -> Vec<Job<ReleaseBody>> {
    let mut jobs = Vec::new();
    let toolchains = build_toolchains(p);
    for g in &p.gates {
        let body = match (&g.uses, &g.run) {
            (Some(file), _) => user_workflow_call(file, Vec::new()),
            (None, run) => ReleaseBody::Gate {
                run: run.clone().unwrap_or_default(),
                toolchains: toolchains.clone(),
                versions: Box::new(p.toolchains.clone()),
                setup: g.setup.clone(),
                env: g.env.clone(),
                tag_prefix: p.grammar.prefix.clone(),
            },
        };
        let call = matches!(body, ReleaseBody::Call { .. });
        let mut j = job(
            &g.id,
            format!("Gate: {}", g.id),
            Stage::Gates,
            vec![jobids::PLAN.into()],
            body,
        );
        if !call {
            j.timeout = Some(60);
        }
        j.permissions.push(Permission::read("contents", ""));
        jobs.push(j);
    }
    jobs
}

/// The toolchains of the builds, which the gates and the release-assets
/// job install the same way: those the builds need, and those the spec's
/// `toolchains:` names (a Go repository whose release ships only images).
fn build_toolchains(p: &Plan) -> Vec<Toolchain> {
    let named = |t: &str| p.toolchains.named.iter().any(|n| n == t);
    let mut toolchains = Vec::new();
    if p.build.as_ref().is_some_and(|b| b.has_rust) || named("rust") {
        toolchains.push(Toolchain::Rust);
    }
    if p.build.as_ref().is_some_and(|b| b.has_go) || named("go") {
        toolchains.push(Toolchain::Go);
    }
    if !p.python.is_empty() || named("python") {
        toolchains.push(Toolchain::Python);
    }
    toolchains
}

/// How a workflow of this repository is called: `$/` or `./`.
pub fn local_prefix(p: &Plan) -> &'static str {
    match p.local_calls {
        LocalCalls::SelfRepository => "$/",
        LocalCalls::Relative => "./",
    }
}

/// The comment after a `./` call: zizmor's line-level ignore of its
/// `self-repository` audit, and why.
pub fn local_comment(p: &Plan) -> Option<String> {
    (p.local_calls == LocalCalls::Relative)
        .then(|| "# zizmor: ignore[self-repository] output.local-calls: relative, for GitHub Enterprise Server".into())
}

fn workflow(p: &Plan) -> ReleaseWorkflow {
    let tag_expr = match (!p.tag_globs.is_empty(), p.dispatch) {
        (true, true) => "inputs.tag || github.ref_name",
        (false, true) => "inputs.tag",
        _ => "github.ref_name",
    }
    .to_string();
    let promotion = p.grammar.stable_suffix.is_some();
    let not_promotion = promotion.then(|| "needs.plan.outputs.promotion != 'true'".to_string());
    let r = &p.release;
    let identity = super::identity::plan(p);
    let mut jobs: Vec<Job<ReleaseBody>> = vec![plan_job(p, identity.as_ref())];

    // gates, with the toolchains of the builds
    jobs.extend(gate_jobs(p));
    let after_gates: Vec<String> = jobs.iter().map(|j| j.id.clone()).collect();

    // build: every artifact workflow, images by digest and charts packaged only;
    // publish: the publish stage of the workflows that have one
    let (build_calls, publish_calls) = calls(p);
    // release.setup makes the release's extra files in a job of its own.
    let release_assets = r.github_release != crate::spec::GithubRelease::Never && !p.release.setup.is_empty();
    if release_assets {
        jobs.push(release_assets_job(p, after_gates.clone(), not_promotion.clone()));
    }
    // Images built from the release's binaries take the artifacts of
    // build-assets.yml, from the same run.
    let images_after_binaries = p.docker.as_ref().is_some_and(|d| d.uses_binaries) && p.build.is_some();
    for c in build_calls {
        let mut needs = after_gates.clone();
        if images_after_binaries && c.id == jobids::DOCKER_BUILD {
            needs.push(jobids::BUILD_ASSETS.into());
        }
        jobs.push(c.job(Stage::Build, needs, not_promotion.clone()));
    }
    // verify: the identity check of what was built, and your jobs, after
    // every build and before anything is published
    let built_only: Vec<String> = jobs.iter().map(|j| j.id.clone()).collect();
    jobs.extend(verify_jobs(p, identity, &built_only, &not_promotion));
    let publish_condition = publish_condition(p, promotion, &not_promotion);
    // Every publish job waits for the plan, the gates, every build and every
    // verify job.
    let built: Vec<String> = jobs.iter().map(|j| j.id.clone()).collect();
    let mut publish: Vec<Job<ReleaseBody>> = publish_calls
        .into_iter()
        .map(|c| c.job(Stage::Publish, built.clone(), publish_condition.clone()))
        .collect();
    publish.extend(pypi_jobs(p, &built, &publish_condition));
    let published: Vec<String> = publish.iter().map(|j| j.id.clone()).collect();
    jobs.extend(publish);

    if r.github_release != crate::spec::GithubRelease::Never {
        let needs = built.iter().chain(&published).cloned().collect();
        jobs.push(github_release_job(p, needs, release_assets));
    }

    // after-release: your jobs once everything is published
    let released: Vec<String> = jobs.iter().map(|j| j.id.clone()).collect();
    for cj in spec_jobs(p, CustomStage::AfterRelease) {
        let when = when_condition(cj.when).map(|w| format!(" && {w}")).unwrap_or_default();
        let condition = format!("${{{{ !cancelled() && !failure(){when} }}}}");
        let mut j = custom_job(p, cj, Stage::AfterRelease, released.clone(), Some(condition));
        j.condition_why =
            Some("Once every job before succeeded or was skipped (a promotion publishes no image).".into());
        jobs.push(j);
    }

    if let Some(secret) = &r.slack_webhook_secret {
        let mut j = job(
            jobids::NOTIFY,
            "Tell Slack".into(),
            Stage::Notify,
            jobs.iter().map(|j| j.id.clone()).collect(),
            ReleaseBody::Notify {
                slack_webhook_secret: secret.clone(),
            },
        );
        j.timeout = Some(5);
        j.condition = Some("always()".into());
        jobs.push(j);
    }

    ReleaseWorkflow {
        tag_expr,
        promotion,
        local: local_prefix(p).into(),
        local_comment: local_comment(p),
        tag_globs: p.tag_globs.clone(),
        dispatch: p.dispatch,
        tag_prefix: p.grammar.prefix.clone(),
        release_tag_output: if promotion { super::RELEASE_TAG_OUTPUT } else { "tag" },
        scheme: p.grammar.scheme,
        version_files: p.version_files.clone(),
        version_files_script: super::versionfiles::script(),
        jobs: Graph { jobs },
    }
}

/// The `plan` job: the tag script, and the outputs every other job reads
/// (with those the identity check takes its values from).
fn plan_job(p: &Plan, identity: Option<&super::identity::IdentityCheck>) -> Job<ReleaseBody> {
    let r = &p.release;
    let promotion = p.grammar.stable_suffix.is_some();
    let mut plan_job = job(
        jobids::PLAN,
        "Plan the release".into(),
        Stage::Plan,
        Vec::new(),
        ReleaseBody::Plan {
            outputs: PLAN_OUTPUTS
                .iter()
                .copied()
                .chain(
                    if r.named() {
                        ["release-title", "checksums-file"].as_slice()
                    } else {
                        [].as_slice()
                    }
                    .iter()
                    .copied(),
                )
                .chain(p.grammar.stable_suffix.is_some().then_some(super::RELEASE_TAG_OUTPUT))
                .chain(identity.iter().flat_map(|i| i.plan_outputs()))
                .map(|o| Input::new(o, format!("${{{{ steps.plan.outputs.{o} }}}}")))
                .chain(std::iter::once(Input::new(
                    "sha",
                    "${{ steps.checkout.outputs.commit }}",
                )))
                .collect(),
            dispatch: p.dispatch,
            promotion_wait_minutes: PROMOTION_WAIT,
            release_check: r.github_release != crate::spec::GithubRelease::Never,
            changelog: r
                .notes
                .strip_prefix("changelog:")
                .filter(|_| r.github_release != crate::spec::GithubRelease::Never)
                .map(String::from),
            changelog_awk: (r.notes.starts_with("changelog:") && r.github_release != crate::spec::GithubRelease::Never)
                .then(|| crate::plan::changelog::AWK.to_string()),
            // Files that release.setup makes are checked where they are made.
            assets: if r.github_release != crate::spec::GithubRelease::Never && p.release.setup.is_empty() {
                r.assets.clone()
            } else {
                Vec::new()
            },
            assets_words: bash_words(&r.assets),
        },
    );
    plan_job.timeout = Some(if promotion { PROMOTION_WAIT + 10 } else { 10 });
    plan_job.permissions.push(Permission::read(
        "contents",
        "check out the tag and read the repository's tags",
    ));
    if promotion {
        plan_job.permissions.push(Permission::read(
            "actions",
            "wait for the release run of the promoted tag",
        ));
    }
    plan_job
}

/// The calls of the other workflows: those of the build stage (every
/// artifact workflow, images by digest and charts packaged only), and those
/// of the publish stage, of the workflows that have one.
fn calls(p: &Plan) -> (Vec<Call>, Vec<Call>) {
    let mut build_calls: Vec<Call> = Vec::new();
    let mut publish_calls: Vec<Call> = Vec::new();
    if let Some(b) = &p.build {
        build_calls.push(Call::new(
            jobids::BUILD_ASSETS,
            "Build the binaries",
            "build-assets.yml",
            None,
            &b.caller_permissions,
            &b.secrets,
        ));
    }
    for w in &p.python {
        let names: Vec<&str> = w.packages.iter().map(|p| p.name.as_str()).collect();
        let name = format!("Build the Python packages: {}", names.join(", "));
        build_calls.push(Call::new(&w.job, &name, &w.file, None, &w.caller_permissions, &[]));
    }
    if let Some(d) = &p.docker {
        let (perms, secrets) = (&d.caller_permissions, &d.secrets);
        build_calls.push(Call::new(
            jobids::DOCKER_BUILD,
            "Build the images, pushed by digest only",
            "docker.yml",
            Some("build"),
            perms,
            secrets,
        ));
        publish_calls.push(Call::new(
            jobids::DOCKER_PUBLISH,
            "Publish the image tags",
            "docker.yml",
            Some("publish"),
            perms,
            secrets,
        ));
    }
    if let Some(h) = &p.helm {
        let perms = &h.caller_permissions;
        build_calls.push(Call::new(
            jobids::HELM_BUILD,
            "Lint and package the Helm charts",
            "helm-publish.yml",
            Some("build"),
            perms,
            &[],
        ));
        publish_calls.push(Call::new(
            jobids::HELM_PUBLISH,
            "Push the Helm charts",
            "helm-publish.yml",
            Some("publish"),
            perms,
            &h.secrets,
        ));
    }
    (build_calls, publish_calls)
}

/// The job that runs `release.setup` to make the release's extra files.
fn release_assets_job(p: &Plan, needs: Vec<String>, not_promotion: Option<String>) -> Job<ReleaseBody> {
    let mut j = job(
        jobids::RELEASE_ASSETS,
        "Make the release assets".into(),
        Stage::Build,
        needs,
        ReleaseBody::ReleaseAssets {
            setup: p.release.setup.clone(),
            env: p.release.env.clone(),
            toolchains: build_toolchains(p),
            versions: Box::new(p.toolchains.clone()),
            tag_prefix: p.grammar.prefix.clone(),
            assets_words: bash_words(&p.release.assets),
            artifact: RELEASE_ASSETS_ARTIFACT.into(),
        },
    );
    j.timeout = Some(30);
    j.permissions.push(Permission::read("contents", "check out the tag"));
    // A build like the others, for every release with a GitHub release
    // in its spec: every publish job waits for it, so it must not be
    // skipped for a version without one (a pre-release under `stable`).
    j.condition = not_promotion;
    j
}

/// The verify stage: the identity check of what was built, and the spec's
/// verify jobs, each after every build (`built_only`).
fn verify_jobs(
    p: &Plan,
    identity: Option<super::identity::IdentityCheck>,
    built_only: &[String],
    not_promotion: &Option<String>,
) -> Vec<Job<ReleaseBody>> {
    let mut jobs = Vec::new();
    if let Some(check) = identity {
        let env = check
            .values
            .iter()
            .map(|(name, output)| Input::plan_output(name, output))
            .collect();
        let mut j = job(
            jobids::VERIFY_IDENTITY,
            "Check what was built against the release plan".into(),
            Stage::Verify,
            built_only.to_vec(),
            ReleaseBody::Identity { check, env },
        );
        j.timeout = Some(15);
        // A promotion builds nothing.
        j.condition = not_promotion.clone();
        jobs.push(j);
    }
    for cj in spec_jobs(p, CustomStage::Verify) {
        jobs.push(custom_job(
            p,
            cj,
            Stage::Verify,
            built_only.to_vec(),
            when_condition(cj.when),
        ));
    }
    jobs
}

/// The `if:` of the publish jobs. A verify job skipped by its `when` must
/// not hold back publishing, which then asks for "no job failed" instead of
/// "every job succeeded".
fn publish_condition(p: &Plan, promotion: bool, not_promotion: &Option<String>) -> Option<String> {
    if spec_jobs(p, CustomStage::Verify).any(|j| j.when != When::Always) {
        Some(format!(
            "${{{{ !cancelled() && !failure(){} }}}}",
            if promotion {
                " && needs.plan.outputs.promotion != 'true'"
            } else {
                ""
            }
        ))
    } else {
        not_promotion.clone()
    }
}

/// A job per Python package published to PyPI or TestPyPI, after every
/// job of `built`.
fn pypi_jobs(p: &Plan, built: &[String], publish_condition: &Option<String>) -> Vec<Job<ReleaseBody>> {
    let mut publish = Vec::new();
    for pk in p
        .python
        .iter()
        .flat_map(|w| &w.packages)
        .filter(|pk| pk.publish != "none")
    {
        let test = pk.publish == "testpypi";
        let mut j = job(
            &pk.publish_job,
            format!("Publish {} to {}", pk.name, if test { "TestPyPI" } else { "PyPI" }),
            Stage::Publish,
            built.to_vec(),
            ReleaseBody::Pypi(PypiJob {
                package: pk.name.clone(),
                environment: pk.environment.clone(),
                url: format!(
                    "https://{}/project/{}/",
                    if test { "test.pypi.org" } else { "pypi.org" },
                    pk.name
                ),
                artifact_pattern: pk.artifact_pattern.clone(),
                dist_name: pk.slug.clone(),
                dist_name_dashed: pk.slug.replace('_', "-"),
                sdist: pk.sdist,
                attestations: p.release.provenance && pk.token_secret.is_none(),
                token_secret: pk.token_secret.clone(),
                repository_url: pk.repository_url.clone(),
            }),
        );
        j.timeout = Some(20);
        if pk.token_secret.is_none() {
            j.permissions.push(Permission::write("id-token", "trusted publishing"));
        }
        j.condition = publish_condition.clone();
        publish.push(j);
    }
    publish
}

/// The GitHub release job, after `needs` (every build and publish job);
/// `release_assets`: a job of its own makes the release's extra files.
fn github_release_job(p: &Plan, needs: Vec<String>, release_assets: bool) -> Job<ReleaseBody> {
    let r = &p.release;
    let promotion = p.grammar.stable_suffix.is_some();
    let has_files = p.build.is_some() || !p.python.is_empty();
    let mut permissions = Vec::new();
    if promotion && has_files {
        permissions.push(Permission::read("actions", "artifacts of the promoted release's run"));
    }
    permissions.push(Permission::write("contents", "create the release"));
    if promotion && !has_files && release_assets {
        permissions.push(Permission::read("actions", "artifacts of the promoted release's run"));
    }
    if r.sign && (has_files || !r.assets.is_empty()) {
        permissions.push(Permission::write("id-token", "keyless signatures"));
    }
    // Where the notes come from, and what `gh release create` is told.
    let (changelog, notes_file, notes_args) = match r.notes.as_str() {
        "generated" => (None, None, "--generate-notes"),
        "none" => (None, None, "--notes \"\""),
        n => match n.strip_prefix("changelog:") {
            Some(path) => (Some(path.to_string()), None, "--notes-file \"$RUNNER_TEMP/notes.md\""),
            None => (None, Some(n.to_string()), "--notes-file \"$NOTES_FILE\""),
        },
    };
    let checkout = changelog.is_some() || notes_file.is_some() || (!r.assets.is_empty() && !release_assets);
    let mut j = job(
        jobids::GITHUB_RELEASE,
        "GitHub release".into(),
        Stage::Publish,
        needs,
        ReleaseBody::GithubRelease(GithubReleaseJob {
            changelog_awk: changelog.is_some().then(|| crate::plan::changelog::AWK.to_string()),
            changelog,
            notes_file,
            notes_args,
            has_files: has_files || !r.assets.is_empty(),
            has_artifacts: has_files || release_assets,
            named: r.named(),
            // Made by the release-assets job: downloaded instead.
            assets: if release_assets { Vec::new() } else { r.assets.clone() },
            assets_words: bash_words(&r.assets),
            checkout,
            downloads: release_downloads(p, release_assets),
            checksums: r.checksums,
            sign: r.sign,
            draft: r.draft,
        }),
    );
    j.timeout = Some(30);
    j.permissions = permissions;
    j.condition = Some("${{ !cancelled() && !failure() && needs.plan.outputs.github-release == 'true' }}".into());
    j.condition_why = Some("Only when no job failed: jobs skipped for a promotion tag do not count.".into());
    j
}

/// The artifacts the GitHub release job downloads.
fn release_downloads(p: &Plan, release_assets: bool) -> Vec<Download> {
    let mut downloads = Vec::new();
    if p.build.is_some() {
        downloads.push(Download {
            name: "Download the binaries".into(),
            pattern: "bin-*".into(),
        });
    }
    if !p.python.is_empty() {
        downloads.push(Download {
            name: "Download the wheels".into(),
            pattern: "wheels-*".into(),
        });
        downloads.push(Download {
            name: "Download the sdists".into(),
            pattern: "sdist-*".into(),
        });
    }
    if release_assets {
        downloads.push(Download {
            name: "Download the release assets".into(),
            pattern: RELEASE_ASSETS_ARTIFACT.into(),
        });
    }
    downloads
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Access;

    fn release_of(path: &str) -> ReleaseWorkflow {
        let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
        let (spec, _) = crate::parse_spec("wfgen.yaml", &text).unwrap();
        plan(&Plan::new(&spec))
    }

    fn ids(r: &ReleaseWorkflow, stage: Stage) -> Vec<String> {
        r.jobs.ids_of(stage)
    }

    fn perms(j: &Job<ReleaseBody>) -> Vec<String> {
        j.permissions
            .iter()
            .map(|p| format!("{}: {}", p.name, p.access))
            .collect()
    }

    #[test]
    fn opsml_builds_then_publishes() {
        let r = release_of("fixtures/opsml/wfgen.yaml");
        assert_eq!(r.tag_expr, "inputs.tag || github.ref_name");
        assert_eq!(ids(&r, Stage::Gates), ["lint", "test"]);
        assert_eq!(
            ids(&r, Stage::Build),
            ["build-assets", "release-server", "release-client", "docker-build"]
        );
        assert_eq!(
            ids(&r, Stage::Publish),
            [
                "docker-publish",
                "publish-opsml",
                "publish-opsml-client",
                "github-release"
            ]
        );
        // Publishing waits for every build and the identity check of what
        // was built: all or nothing.
        for id in ["docker-publish", "publish-opsml"] {
            assert_eq!(
                r.jobs.get(id).unwrap().needs,
                [
                    "plan",
                    "lint",
                    "test",
                    "build-assets",
                    "release-server",
                    "release-client",
                    "docker-build",
                    "verify-identity"
                ]
            );
        }
        let gh = r.jobs.get("github-release").unwrap();
        assert_eq!(gh.needs.last().map(String::as_str), Some("publish-opsml-client"));
        assert_eq!(
            perms(gh),
            ["contents: write"],
            "no promotion, no signing: contents only"
        );
        let ReleaseBody::GithubRelease(body) = &gh.body else {
            panic!()
        };
        assert!(body.has_files);
        assert_eq!(r.jobs.check(), Ok(()));
    }

    #[test]
    fn dispatch_only_and_secrets_and_notes() {
        let r = release_of("fixtures/model-server/wfgen.yaml");
        assert_eq!(r.tag_expr, "inputs.tag");
        for id in ["docker-build", "docker-publish"] {
            let ReleaseBody::Call { secrets, .. } = &r.jobs.get(id).unwrap().body else {
                panic!()
            };
            assert_eq!(secrets, &["DOCKERHUB_TOKEN", "DOCKERHUB_USERNAME"]);
        }
        let ReleaseBody::GithubRelease(gh) = &r.jobs.get("github-release").unwrap().body else {
            panic!()
        };
        assert!(gh.draft);
    }

    /// cluster-tool: title, checksums file, assets and changelog notes are
    /// checked by the plan job (before anything is built) and used by the
    /// GitHub release job; model-server sets none of them: nothing changes.
    #[test]
    fn release_title_checksums_assets_and_changelog() {
        let r = release_of("fixtures/cluster-tool/wfgen.yaml");
        let ReleaseBody::Plan {
            outputs,
            changelog,
            assets,
            assets_words,
            ..
        } = &r.jobs.get("plan").unwrap().body
        else {
            panic!()
        };
        let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
        assert!(
            names.contains(&"release-title") && names.contains(&"checksums-file"),
            "{names:?}"
        );
        assert_eq!(changelog.as_deref(), Some("CHANGELOG.md"));
        // release.setup makes a file of release.assets: the release-assets
        // job finds them all, not the plan job.
        assert!(assets.is_empty(), "{assets:?}");
        assert_eq!(assets_words, "LICENSE 'docs/*.md' THIRD_PARTY_NOTICES.md");
        let ReleaseBody::ReleaseAssets {
            assets_words, setup, ..
        } = &r.jobs.get("release-assets").unwrap().body
        else {
            panic!()
        };
        assert_eq!(assets_words, "LICENSE 'docs/*.md' THIRD_PARTY_NOTICES.md");
        assert_eq!(setup.len(), 1);
        let ReleaseBody::GithubRelease(gh) = &r.jobs.get("github-release").unwrap().body else {
            panic!()
        };
        assert!(gh.named && gh.checkout && gh.has_files && gh.has_artifacts);
        assert!(gh.assets.is_empty() && gh.downloads.iter().any(|d| d.pattern == RELEASE_ASSETS_ARTIFACT));
        assert!(
            r.jobs
                .get("github-release")
                .unwrap()
                .needs
                .contains(&"release-assets".to_string())
        );
        assert_eq!(gh.changelog.as_deref(), Some("CHANGELOG.md"));
        assert_eq!(gh.notes_file, None);
        assert_eq!(gh.notes_args, "--notes-file \"$RUNNER_TEMP/notes.md\"");
        assert!(gh.changelog_awk.is_some());

        let r = release_of("fixtures/model-server/wfgen.yaml");
        let ReleaseBody::Plan {
            outputs,
            changelog,
            assets,
            ..
        } = &r.jobs.get("plan").unwrap().body
        else {
            panic!()
        };
        assert!(!outputs.iter().any(|o| o.name == "release-title"));
        assert!(changelog.is_none() && assets.is_empty());
        let ReleaseBody::GithubRelease(gh) = &r.jobs.get("github-release").unwrap().body else {
            panic!()
        };
        assert!(!gh.named && gh.assets.is_empty() && gh.changelog_awk.is_none());
    }

    #[test]
    fn promotion_and_notify() {
        let r = release_of("fixtures/llm-proxy/wfgen.yaml");
        assert!(r.promotion);
        let plan_job = r.jobs.get("plan").unwrap();
        assert!(
            plan_job
                .permissions
                .iter()
                .any(|p| p.name == "actions" && p.access == Access::Read),
            "a promotion reads the plain tag's run"
        );
        for id in ["docker-build", "helm-build", "docker-publish", "helm-publish"] {
            assert_eq!(
                r.jobs.get(id).unwrap().condition.as_deref(),
                Some("needs.plan.outputs.promotion != 'true'"),
                "{id}: a promotion builds and pushes nothing"
            );
        }
        let gh = r.jobs.get("github-release").unwrap();
        let ReleaseBody::GithubRelease(body) = &gh.body else {
            panic!()
        };
        assert!(!body.has_files, "images and charts are not release files");
        assert!(gh.permissions.iter().all(|p| p.name != "actions"));
        let r = release_of("fixtures/cluster-tool/wfgen.yaml");
        let n = r.jobs.get("notify").unwrap();
        assert_eq!(
            n.needs.last().map(String::as_str),
            Some("homebrew"),
            "notify comes last"
        );
        // The spec's after-release job waits for the release, only for releases.
        let h = r.jobs.get("homebrew").unwrap();
        assert_eq!(h.stage, Stage::AfterRelease);
        assert_eq!(h.needs.last().map(String::as_str), Some("github-release"));
        assert_eq!(
            h.condition.as_deref(),
            Some("${{ !cancelled() && !failure() && needs.plan.outputs.is-prerelease == 'false' }}")
        );
        let ReleaseBody::Custom(c) = &h.body else { panic!() };
        assert!(
            c.env
                .iter()
                .any(|e| e.name == "HOMEBREW_TAP_TOKEN" && e.value == "${{ secrets.HOMEBREW_TAP_TOKEN }}")
        );
        assert_eq!(n.stage, Stage::Notify);
        let ReleaseBody::Notify { slack_webhook_secret } = &n.body else {
            panic!()
        };
        assert_eq!(slack_webhook_secret, "SLACK_WEBHOOK_URL");
        assert!(
            r.jobs
                .get("github-release")
                .unwrap()
                .permissions
                .iter()
                .any(|p| p.name == "id-token"),
            "signing needs an OIDC token"
        );
    }
}
