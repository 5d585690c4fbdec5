//! The cut.yml plan (`triggers.cut`): cutting a release from the Actions
//! tab. One job, on the spec's release branch: it chooses the tag as `wfgen
//! next` does (plan::cutscript), checks that the branch has not moved since
//! the run started, checks the version files against the tag's version (the
//! release's own script), creates the annotated tag (on HEAD; for the
//! promotion of a pre-release in a repository without version files, on the
//! pre-release's commit) and pushes it, then starts release.yml on the tag
//! with a workflow_dispatch: a tag pushed with the run's GITHUB_TOKEN starts
//! no workflow, a dispatch does, and a dispatch on the tag makes the release
//! run's ref, concurrency group and provenance name the tag.

use serde::Serialize;

use super::Plan;
use super::graph::{Graph, Job, Permission, Stage};
use super::release::RUNNER;
use crate::jobids;

/// What cut.yml.j2 sees.
#[derive(Debug, Clone, Serialize)]
pub struct CutWorkflow {
    /// The branch releases are cut from.
    pub branch: String,
    /// The bumps of the `bump` input, `version` first (the version input).
    pub bumps: Vec<&'static str>,
    /// The grammar's env of the tag script: (name, value).
    pub grammar_env: Vec<(String, String)>,
    pub script: &'static str,
    /// `versioning.version-files`, checked before the tag is made.
    pub version_files: Vec<String>,
    pub scheme: crate::spec::Scheme,
    pub version_files_script: &'static str,
    /// A promotion of a pre-release tags the pre-release's commit: only
    /// where no version file carries the version (else that commit reads
    /// the pre-release's version, which the release refuses, and HEAD is
    /// tagged once its files read the release's).
    pub promote_on_pre_release: bool,
    /// The release workflow the run starts.
    pub release_file: &'static str,
    pub jobs: Graph<CutBody>,
}

/// What the job of cut.yml does.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CutBody {
    Cut,
}

/// `timeout-minutes` of the cut job.
const CUT_TIMEOUT: u32 = 10;

/// The workflow, when the spec has `triggers.cut`.
pub fn plan(p: &Plan) -> Option<CutWorkflow> {
    let cut = p.cut.as_ref()?;
    let grammar_env = super::cutscript::grammar_env(&p.grammar, p.prerelease_format.as_deref())
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let jobs = Graph {
        jobs: vec![Job {
            id: jobids::CUT.into(),
            name: "Cut a release".into(),
            stage: Stage::Plan,
            needs: Vec::new(),
            runs_on: Some(RUNNER.to_string()),
            permissions: vec![
                Permission::write("contents", "create and push the release tag"),
                Permission::write("actions", "start release.yml on the tag"),
            ],
            timeout: Some(CUT_TIMEOUT),
            condition: None,
            condition_why: None,
            body: CutBody::Cut,
        }],
    };
    jobs.check().expect("cut.yml's job graph is valid");
    Some(CutWorkflow {
        branch: cut.branch.clone(),
        bumps: vec!["version", "patch", "minor", "major", "pre", "promote"],
        grammar_env,
        script: super::cutscript::script(),
        version_files: p.version_files.clone(),
        scheme: p.grammar.scheme,
        version_files_script: super::versionfiles::script(),
        promote_on_pre_release: p.version_files.is_empty(),
        release_file: "release.yml",
        jobs,
    })
}
