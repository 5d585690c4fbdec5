//! The helm-publish.yml plan: a `plan` job that runs the tag script for the
//! chart version and appVersions, then per chart a job that lints and
//! packages it (build stage) and one that pushes the package (publish
//! stage), as a checked job graph ([`workflow`]).

use serde::Serialize;

use super::Permission;
use super::graph::{Graph, Job, Stage};

use crate::jobids;
use crate::spec::registry::chart_host;
use crate::spec::validate::{ChartCheck, Problems, Section};
use crate::spec::{Spec, names};
use crate::ypath;
use crate::ypath::Part;

#[derive(Debug, Clone, Serialize)]
pub struct HelmPlan {
    pub charts: Vec<ChartPlan>,
    /// `concurrency.group` prefix; the group is `<prefix>-<tag>`.
    pub concurrency: String,
    /// Tag-script outputs that the `plan` job exposes to the chart jobs.
    pub plan_outputs: Vec<String>,
    /// Directory (relative to the checkout) that `helm package` writes to.
    pub package_dir: String,
    /// `timeout-minutes` of the plan job and of each chart job.
    pub plan_timeout: u32,
    pub chart_timeout: u32,
    /// Permissions of the plan job and of each chart's lint-and-package job.
    pub read_permissions: Vec<Permission>,
    /// The registry secrets the push jobs read, by name (the publish call
    /// passes them; the build stage gets none).
    pub secrets: Vec<String>,
    /// Permissions the calling job in release.yml must grant.
    pub caller_permissions: Vec<Permission>,
}

/// The Helm version the jobs install.

#[derive(Debug, Clone, Serialize)]
pub struct ChartPlan {
    pub index: usize,
    pub chart: String,
    /// Last path component of the chart directory.
    pub name: String,
    /// Job id in helm-publish.yml.
    pub job: String,
    pub registry: String,
    /// Host of the registry, for `helm registry login`.
    pub registry_host: String,
    /// The credentials of that host.
    pub login: super::registries::LoginPlan,
    /// Permissions of the push job (`packages: write` on ghcr.io only).
    pub push_permissions: Vec<Permission>,
    /// Chart version template (placeholders), expanded by the tag script;
    /// None: the release version as SemVer 2.
    pub version: Option<String>,
    /// Name of the tag-script output holding this chart's version.
    pub version_output: String,
    /// appVersion template (placeholders), expanded by the tag script.
    pub app_version: String,
    /// Name of the tag-script output holding this chart's appVersion.
    pub app_version_output: String,
    /// Job id of the push (publish stage).
    pub push_job: String,
    /// Artifact holding the packaged chart, from the build stage to the push.
    pub artifact: String,
    /// `if:` of the lint-and-package job (build stage).
    pub build_if: String,
    /// `if:` of the push job (publish stage; see docker.yml's `publish_if`).
    pub publish_if: String,
}

/// What helm-publish.yml.j2 sees: the plan and the job graph.
#[derive(Debug, Clone, Serialize)]
pub struct HelmWorkflow<'a> {
    #[serde(flatten)]
    pub plan: &'a HelmPlan,
    pub jobs: Graph<HelmBody>,
}

/// The part of a helm-publish.yml job that differs by kind; the template
/// lays out each kind's steps.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum HelmBody {
    /// The tag script: the chart versions and appVersions as outputs.
    Plan,
    /// Lint and package `charts[chart]`, and keep the package.
    Chart { chart: usize },
    /// Push the package of `charts[chart]`.
    Push { chart: usize },
}

/// Runner of helm-publish.yml's jobs.
pub const RUNNER: &str = super::runners::SCRIPTS;

/// helm-publish.yml's jobs: `plan`, then per chart its build and its push.
/// A broken graph is a bug of wfgen's: it panics.
pub fn workflow(h: &HelmPlan) -> HelmWorkflow<'_> {
    let job = |id: &str, name: String, stage: Stage, needs: Vec<String>, timeout: u32, body: HelmBody| Job {
        id: id.to_string(),
        name,
        stage,
        needs,
        runs_on: Some(RUNNER.to_string()),
        permissions: h.read_permissions.clone(),
        timeout: Some(timeout),
        condition: None,
        condition_why: None,
        body,
    };
    let mut jobs = vec![job(
        jobids::PLAN,
        "plan".into(),
        Stage::Plan,
        Vec::new(),
        h.plan_timeout,
        HelmBody::Plan,
    )];
    for (i, c) in h.charts.iter().enumerate() {
        let mut build = job(
            &c.job,
            format!("chart {}", c.name),
            Stage::Build,
            vec![jobids::PLAN.into()],
            h.chart_timeout,
            HelmBody::Chart { chart: i },
        );
        build.condition = Some(c.build_if.clone());
        build.condition_why = Some("A promotion tag builds nothing: the chart of X.Y.Z was pushed by X.Y.Z.".into());
        let mut push = job(
            &c.push_job,
            format!("push chart {}", c.name),
            Stage::Publish,
            vec![jobids::PLAN.into(), c.job.clone()],
            h.chart_timeout,
            HelmBody::Push { chart: i },
        );
        push.permissions = c.push_permissions.clone();
        push.condition = Some(c.publish_if.clone());
        push.condition_why = Some(
            "Only after every build of the release succeeded (release.yml calls the\npublish stage last); a dispatch with stage all pushes what it packaged."
                .into(),
        );
        jobs.extend([build, push]);
    }
    let jobs = Graph { jobs };
    if let Err(e) = jobs.check_called() {
        panic!("helm-publish.yml's job graph is broken (a bug of wfgen): {e}");
    }
    HelmWorkflow { plan: h, jobs }
}

/// Validation of the spec (`spec::validate`) by chart versions as Helm
/// reads them: Helm takes SemVer 2 only, so each chart's `version`
/// template, tried on a release and a pre-release of the spec's own scheme,
/// gives SemVer 2. A template with a placeholder validation refuses is not
/// tried.
pub fn check_versions(spec: &Spec, c: &mut Problems) {
    for (i, h) in spec.helm.iter().enumerate() {
        let Some(t) = &h.version else { continue };
        if !names::only_placeholders(t, names::VERSION_PLACEHOLDERS) {
            continue;
        }
        c.section(Section::Chart(i, ChartCheck::SemVer));
        for v in super::version::samples(spec) {
            let got = super::tags::expand(
                t,
                &super::tags::Values {
                    version: &v,
                    sha: "0123456789abcdef0123456789abcdef01234567",
                    variant: None,
                    arch: None,
                },
            );
            if !super::is_semver2(&got) {
                c.err(
                    ypath!["helm", i, "version"],
                    Part::Value,
                    format!("the chart version `{t}` gives `{got}` for version {}, which is not SemVer 2", v.version),
                    "Helm takes SemVer 2 chart versions only: start with `{major}.{minor}.{patch}`, e.g. `{version}` or `{major}.{minor}.{patch}`".into(),
                );
                break;
            }
        }
    }
}

pub fn plan(spec: &Spec) -> Option<HelmPlan> {
    if spec.helm.is_empty() {
        return None;
    }
    let mut charts: Vec<ChartPlan> = Vec::new();
    for (i, h) in spec.helm.iter().enumerate() {
        let chart = h.chart.trim_end_matches('/').to_string();
        let name = chart.rsplit('/').next().unwrap_or(&chart).to_string();
        let slug: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        // Two charts of one name (`a/x`, `b/x`): the later one's ids get its
        // position, until no earlier chart has them (GitHub compares job ids
        // ignoring case).
        let mut slug = slug;
        while charts.iter().any(|c| jobids::same(&c.job, &jobids::helm_chart(&slug))) {
            slug = format!("{slug}-{i}");
        }
        let job = jobids::helm_chart(&slug);
        let registry_host = chart_host(&h.registry);
        // Validation refuses a host without credentials.
        let login = super::registries::login(spec, &registry_host, None)
            .unwrap_or_else(|| panic!("no login for {registry_host}: validation lets no such spec through"));
        let push_permissions = if login.username_secret.is_none() {
            vec![Permission::write("packages", "push the chart to ghcr.io")]
        } else {
            Vec::new()
        };
        let push_job = jobids::helm_push(&slug);
        let artifact = format!("helm-{slug}");
        let publish_if = format!(
            "${{{{ !cancelled() && needs.plan.result == 'success' && needs.plan.outputs.promotion != 'true' && (inputs.stage == 'publish' || inputs.stage != 'build' && needs.{job}.result == 'success') }}}}"
        );
        charts.push(ChartPlan {
            push_job,
            artifact,
            publish_if,
            index: i,
            name,
            job,
            chart,
            registry: h.registry.clone(),
            registry_host,
            login,
            push_permissions,
            version: h.version.clone(),
            version_output: format!("helm-version-{i}"),
            app_version: h.app_version.clone(),
            app_version_output: format!("helm-app-version-{i}"),
            build_if: "inputs.stage != 'publish' && needs.plan.outputs.promotion != 'true'".into(),
        });
    }
    let read_permissions = vec![Permission::read("contents", "check out the tag")];
    // What the calling job must grant: what the jobs ask for, no more.
    let caller_permissions = super::graph::merge(
        read_permissions
            .iter()
            .chain(charts.iter().flat_map(|c| &c.push_permissions)),
    );
    let mut secrets: Vec<String> = charts.iter().flat_map(|c| c.login.secrets().cloned()).collect();
    secrets.sort();
    secrets.dedup();
    let mut plan_outputs = vec!["promotion".to_string()];
    for c in &charts {
        plan_outputs.push(c.version_output.clone());
        plan_outputs.push(c.app_version_output.clone());
    }
    Some(HelmPlan {
        charts,
        concurrency: "helm-publish".into(),
        plan_outputs,
        package_dir: "wfgen-charts".into(),
        plan_timeout: 10,
        chart_timeout: 15,
        caller_permissions,
        read_permissions,
        secrets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_job_per_chart_with_its_outputs() {
        let (spec, _) = crate::parse_spec(
            "wfgen.yaml",
            "wfgen: 1
project: { name: proxy }
helm:
  - { chart: deploy/helm/llm-proxy/, registry: 'oci://ghcr.io/sofatutor/charts' }
  - { chart: other/llm-proxy, registry: 'oci://ghcr.io/sofatutor/charts', app-version: 'v{version}' }
  - { chart: my.chart, registry: 'oci://ghcr.io/sofatutor/charts' }
",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let h = plan(&spec).unwrap();
        let jobs: Vec<_> = h.charts.iter().map(|c| c.job.as_str()).collect();
        assert_eq!(jobs, ["chart-llm-proxy", "chart-llm-proxy-1", "chart-my-chart"]);
        assert_eq!(h.charts[1].push_job, "push-llm-proxy-1");
        // The job graph: each push waits for the plan and its chart's build.
        let wf = workflow(&h);
        assert_eq!(
            wf.jobs.ids_of(Stage::Build),
            ["chart-llm-proxy", "chart-llm-proxy-1", "chart-my-chart"]
        );
        assert_eq!(
            wf.jobs.ids_of(Stage::Publish),
            ["push-llm-proxy", "push-llm-proxy-1", "push-my-chart"]
        );
        assert_eq!(
            wf.jobs.get("push-llm-proxy-1").unwrap().needs,
            ["plan", "chart-llm-proxy-1"]
        );
        assert_eq!(wf.jobs.check_called(), Ok(()));
        assert_eq!(h.charts[1].artifact, "helm-llm-proxy-1");
        assert_eq!(h.charts[0].chart, "deploy/helm/llm-proxy");
        assert_eq!(h.charts[0].registry_host, "ghcr.io");
        assert_eq!(h.charts[1].app_version, "v{version}");
        assert_eq!(
            h.plan_outputs,
            [
                "promotion",
                "helm-version-0",
                "helm-app-version-0",
                "helm-version-1",
                "helm-app-version-1",
                "helm-version-2",
                "helm-app-version-2"
            ]
        );
        // Every output the plan job exposes is one the tag script writes.
        let names = crate::plan::Plan::new(&spec).output_names();
        assert!(h.plan_outputs.iter().all(|o| names.contains(o)));
        assert!(
            h.caller_permissions
                .iter()
                .any(|p| p.name == "packages" && p.access == crate::plan::Access::Write)
        );
    }
}

#[cfg(test)]
mod id_tests {
    #[test]
    fn chart_ids_stay_unique_when_names_collide() {
        // `a-2` first, then two charts named `a`: the third one's `chart-a-2`
        // is taken by the first; and `B` and `b` are one job id for GitHub.
        let (spec, _) = crate::parse_spec(
            "wfgen.yaml",
            "wfgen: 1
project: { name: x }
helm:
  - { chart: p/a-2, registry: 'oci://ghcr.io/x/c' }
  - { chart: q/a, registry: 'oci://ghcr.io/x/c' }
  - { chart: r/a, registry: 'oci://ghcr.io/x/c' }
  - { chart: s/B, registry: 'oci://ghcr.io/x/c' }
  - { chart: t/b, registry: 'oci://ghcr.io/x/c' }
",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let h = super::plan(&spec).unwrap();
        let ids: Vec<(&str, &str, &str)> = h
            .charts
            .iter()
            .map(|c| (c.job.as_str(), c.push_job.as_str(), c.artifact.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("chart-a-2", "push-a-2", "helm-a-2"),
                ("chart-a", "push-a", "helm-a"),
                ("chart-a-2-2", "push-a-2-2", "helm-a-2-2"),
                ("chart-B", "push-B", "helm-B"),
                ("chart-b-4", "push-b-4", "helm-b-4"),
            ]
        );
    }
}
