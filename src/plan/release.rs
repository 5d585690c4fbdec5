//! The release.yml plan: every job of the orchestrator and what it needs,
//! decided here so that the template only lays the jobs out.

use serde::Serialize;

use super::{GatePlan, Permission, Plan};

#[derive(Debug, Clone, Serialize)]
pub struct ReleaseWorkflow {
    /// The expression that gives the tag: the dispatch input and/or the pushed ref.
    pub tag_expr: String,
    /// Promotion tags exist (a stable suffix): steps and conditions for them.
    pub promotion: bool,
    pub gates: Vec<GatePlan>,
    /// What every artifact workflow call waits for: the plan and the gates.
    pub call_needs: Vec<String>,
    /// The reusable workflow calls, in order.
    pub calls: Vec<Call>,
    pub publish: Vec<PublishJob>,
    pub github_release: Option<GithubReleaseJob>,
    pub notify: Option<NotifyJob>,
}

/// A job that calls one of the artifact workflows.
#[derive(Debug, Clone, Serialize)]
pub struct Call {
    pub job: String,
    pub name: String,
    pub file: String,
    /// What the called workflow's jobs need; a called job gets at most this.
    pub permissions: Vec<Permission>,
    /// Secrets passed by name (never `secrets: inherit`).
    pub secrets: Vec<String>,
}

/// A top-level PyPI publish job (trusted publishing does not accept reusable workflows).
#[derive(Debug, Clone, Serialize)]
pub struct PublishJob {
    pub job: String,
    pub name: String,
    /// The distribution published.
    pub package: String,
    /// The plan and every artifact call: a failed build publishes nothing.
    pub needs: Vec<String>,
    pub environment: String,
    pub url: String,
    pub artifact_pattern: String,
    /// Normalized distribution name, the prefix of its wheel and sdist files.
    pub dist_name: String,
    pub repository_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GithubReleaseJob {
    pub needs: Vec<String>,
    pub permissions: Vec<Permission>,
    /// generated | none | file
    pub notes: String,
    /// The notes file, when notes is `file`.
    pub notes_file: Option<String>,
    /// Files are attached (binaries or Python distributions).
    pub has_files: bool,
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

#[derive(Debug, Clone, Serialize)]
pub struct NotifyJob {
    pub needs: Vec<String>,
    pub slack_webhook_secret: String,
}

pub fn plan(p: &Plan) -> ReleaseWorkflow {
    let tag_expr = match (!p.tag_globs.is_empty(), p.dispatch) {
        (true, true) => "inputs.tag || github.ref_name",
        (false, true) => "inputs.tag",
        _ => "github.ref_name",
    }
    .to_string();
    let promotion = p.grammar.stable_suffix.is_some();
    let gate_ids: Vec<String> = p.gates.iter().map(|g| g.id.clone()).collect();
    let call_needs: Vec<String> = std::iter::once("plan".to_string())
        .chain(gate_ids.iter().cloned())
        .collect();

    let mut calls = Vec::new();
    if let Some(b) = &p.build {
        calls.push(Call {
            job: "build-assets".into(),
            name: "Build the binaries".into(),
            file: "build-assets.yml".into(),
            permissions: b.caller_permissions.clone(),
            secrets: Vec::new(),
        });
    }
    for w in &p.python {
        let names: Vec<&str> = w.packages.iter().map(|p| p.name.as_str()).collect();
        calls.push(Call {
            job: w.job.clone(),
            name: format!("Build the Python packages: {}", names.join(", ")),
            file: w.file.clone(),
            permissions: w.caller_permissions.clone(),
            secrets: Vec::new(),
        });
    }
    if let Some(d) = &p.docker {
        calls.push(Call {
            job: "docker".into(),
            name: "Build and push the images".into(),
            file: "docker.yml".into(),
            permissions: d.caller_permissions.clone(),
            secrets: d.secrets.clone(),
        });
    }
    if let Some(h) = &p.helm {
        calls.push(Call {
            job: "helm-publish".into(),
            name: "Publish the Helm charts".into(),
            file: "helm-publish.yml".into(),
            permissions: h.caller_permissions.clone(),
            secrets: Vec::new(),
        });
    }
    let call_jobs: Vec<String> = calls.iter().map(|c| c.job.clone()).collect();

    let publish: Vec<PublishJob> = p
        .python
        .iter()
        .flat_map(|w| &w.packages)
        .filter(|pk| pk.publish != "none")
        .map(|pk| {
            let test = pk.publish == "testpypi";
            PublishJob {
                job: pk.publish_job.clone(),
                name: format!("Publish {} to {}", pk.name, if test { "TestPyPI" } else { "PyPI" }),
                package: pk.name.clone(),
                needs: std::iter::once("plan".to_string())
                    .chain(call_jobs.iter().cloned())
                    .collect(),
                environment: pk.environment.clone(),
                url: format!(
                    "https://{}/project/{}/",
                    if test { "test.pypi.org" } else { "pypi.org" },
                    pk.name
                ),
                artifact_pattern: pk.artifact_pattern.clone(),
                dist_name: pk.slug.clone(),
                repository_url: pk.repository_url.clone(),
            }
        })
        .collect();
    let publish_jobs: Vec<String> = publish.iter().map(|j| j.job.clone()).collect();

    let r = &p.release;
    let has_files = p.build.is_some() || !p.python.is_empty();
    let github_release = (r.github_release != crate::spec::GithubRelease::Never).then(|| {
        let mut permissions = Vec::new();
        if promotion && has_files {
            permissions.push(Permission::new(
                "actions",
                "read",
                "artifacts of the promoted release's run",
            ));
        }
        permissions.push(Permission::new("contents", "write", "create the release"));
        if r.sign && has_files {
            permissions.push(Permission::new("id-token", "write", "keyless signatures"));
        }
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
        let (notes, notes_file) = match r.notes.as_str() {
            "generated" | "none" => (r.notes.clone(), None),
            path => ("file".to_string(), Some(path.to_string())),
        };
        GithubReleaseJob {
            needs: call_needs
                .iter()
                .chain(&call_jobs)
                .chain(&publish_jobs)
                .cloned()
                .collect(),
            permissions,
            notes,
            notes_file,
            has_files,
            downloads,
            checksums: r.checksums,
            sign: r.sign,
            draft: r.draft,
        }
    });

    let notify = r.slack_webhook_secret.as_ref().map(|secret| NotifyJob {
        needs: call_needs
            .iter()
            .chain(&call_jobs)
            .chain(&publish_jobs)
            .cloned()
            .chain(github_release.as_ref().map(|_| "github-release".to_string()))
            .collect(),
        slack_webhook_secret: secret.clone(),
    });

    ReleaseWorkflow {
        tag_expr,
        promotion,
        gates: p.gates.clone(),
        call_needs,
        calls,
        publish,
        github_release,
        notify,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release_of(path: &str) -> ReleaseWorkflow {
        let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
        let (spec, _) = crate::spec::parse("wfgen.yaml", &text).unwrap();
        plan(&Plan::new(&spec))
    }

    #[test]
    fn opsml_calls_every_artifact_workflow_after_the_gates() {
        let r = release_of("fixtures/opsml/wfgen.yaml");
        assert_eq!(r.tag_expr, "inputs.tag || github.ref_name");
        assert_eq!(r.call_needs, ["plan", "lint", "test"]);
        let jobs: Vec<&str> = r.calls.iter().map(|c| c.job.as_str()).collect();
        assert_eq!(jobs, ["build-assets", "release-server", "release-client", "docker"]);
        // Publishing waits for every build: all or nothing.
        for p in &r.publish {
            assert_eq!(
                p.needs,
                ["plan", "build-assets", "release-server", "release-client", "docker"]
            );
        }
        let gh = r.github_release.as_ref().unwrap();
        assert!(gh.has_files);
        assert_eq!(gh.needs.last().map(String::as_str), Some("publish-opsml-client"));
        let perms: Vec<String> = gh
            .permissions
            .iter()
            .map(|p| format!("{}: {}", p.name, p.access))
            .collect();
        assert_eq!(perms, ["contents: write"], "no promotion, no signing: contents only");
    }

    #[test]
    fn dispatch_only_and_secrets_and_notes() {
        let r = release_of("fixtures/model-server/wfgen.yaml");
        assert_eq!(r.tag_expr, "inputs.tag");
        let docker = r.calls.iter().find(|c| c.job == "docker").unwrap();
        assert_eq!(docker.secrets, ["DOCKERHUB_TOKEN", "DOCKERHUB_USERNAME"]);
        assert!(r.github_release.as_ref().unwrap().draft);
    }

    #[test]
    fn promotion_and_notify() {
        let r = release_of("fixtures/llm-proxy/wfgen.yaml");
        assert!(r.promotion);
        let gh = r.github_release.as_ref().unwrap();
        assert!(!gh.has_files, "images and charts are not release files");
        assert!(gh.permissions.iter().all(|p| p.name != "actions"));
        let r = release_of("fixtures/cluster-tool/wfgen.yaml");
        let n = r.notify.as_ref().unwrap();
        assert_eq!(n.needs.last().map(String::as_str), Some("github-release"));
        assert_eq!(n.slack_webhook_secret, "SLACK_WEBHOOK_URL");
        let gh = r.github_release.as_ref().unwrap();
        assert!(
            gh.permissions.iter().any(|p| p.name == "id-token"),
            "signing needs an OIDC token"
        );
    }
}
