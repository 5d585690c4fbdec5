//! The job graph of every workflow: typed jobs in stages, with their needs,
//! runners, permissions, timeouts and conditions decided by the plan, and
//! checked before anything is rendered.
//!
//! A release runs in stages (plan, gates, build, verify, publish,
//! after-release, notify): nothing a user can pull or download changes
//! before every build and verify job has succeeded. [`Graph::check`] refuses
//! a graph of release.yml (or pull-request.yml) that breaks this, or that has
//! unknown needs, cycles or duplicate ids. The workflows that release.yml
//! calls (docker.yml, helm-publish.yml, build-assets.yml, the Python
//! workflows) have jobs of the same stages; release.yml calls their publish
//! stage after every build, and [`Graph::check_called`] holds each of them
//! to what is theirs: a publish job waits for what it publishes and for
//! every check of it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// The stages of a release, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// The tag is checked and every value computed.
    Plan,
    /// The quality gates.
    Gates,
    /// Binaries, wheels, chart packages, images pushed by digest only.
    Build,
    /// Scans and checks of what was built; a failure stops the release.
    Verify,
    /// Image tags, chart pushes, PyPI uploads, the GitHub release.
    Publish,
    /// Jobs after the release is out.
    AfterRelease,
    /// Tell people how it went.
    Notify,
}

/// The access of a permission; `Read < Write`, so merging takes the max.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    None,
    Read,
    Write,
}

impl std::fmt::Display for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Access::None => "none",
            Access::Read => "read",
            Access::Write => "write",
        })
    }
}

/// One entry of a job's `permissions:`, with the reason as its comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Permission {
    pub name: String,
    pub access: Access,
    pub why: String,
}

impl Permission {
    pub fn read(name: &str, why: &str) -> Self {
        Permission {
            name: name.into(),
            access: Access::Read,
            why: why.into(),
        }
    }

    pub fn write(name: &str, why: &str) -> Self {
        Permission {
            name: name.into(),
            access: Access::Write,
            why: why.into(),
        }
    }
}

/// The union of permissions, by name, each at its highest access (and that
/// entry's reason); sorted by name.
pub fn merge<'a>(perms: impl IntoIterator<Item = &'a Permission>) -> Vec<Permission> {
    let mut by_name: BTreeMap<&str, &Permission> = BTreeMap::new();
    for p in perms {
        let e = by_name.entry(p.name.as_str()).or_insert(p);
        if p.access > e.access {
            *e = p;
        }
    }
    by_name.into_values().cloned().collect()
}

/// A job of the graph: what every job has; the body is the caller's.
#[derive(Debug, Clone, Serialize)]
pub struct Job<B> {
    pub id: String,
    pub name: String,
    pub stage: Stage,
    pub needs: Vec<String>,
    /// `runs-on`; None for a reusable-workflow call.
    pub runs_on: Option<String>,
    pub permissions: Vec<Permission>,
    /// `timeout-minutes`; None for a reusable-workflow call.
    pub timeout: Option<u32>,
    /// The `if:` condition, as GitHub reads it.
    pub condition: Option<String>,
    /// A comment above the condition, saying why.
    pub condition_why: Option<String>,
    #[serde(flatten)]
    pub body: B,
}

/// Jobs in the order they are written.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Graph<B> {
    pub jobs: Vec<Job<B>>,
}

/// What is wrong with a job graph: a bug of wfgen's or a spec that
/// validation should have refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphError {
    DuplicateId(String),
    UnknownNeed {
        job: String,
        need: String,
    },
    Cycle(Vec<String>),
    /// A job waits for a job of a later stage.
    StageOrder {
        job: String,
        need: String,
    },
    /// A publish job that does not wait (directly or not) for a build or
    /// verify job: it could publish while that job fails.
    PublishesEarly {
        job: String,
        missing: String,
    },
    /// An after-release job that does not wait for a publish job.
    RunsBeforeRelease {
        job: String,
        missing: String,
    },
    /// A publish job of a called workflow that waits for no build job.
    PublishesNothingBuilt {
        job: String,
    },
    /// A publish job of a called workflow that does not wait for a verify
    /// job of what it publishes (a scan of the image it tags).
    PublishesUnverified {
        job: String,
        missing: String,
    },
}

impl std::fmt::Display for GraphError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GraphError::DuplicateId(id) => write!(f, "two jobs have the id `{id}`"),
            GraphError::UnknownNeed { job, need } => write!(f, "job `{job}` needs `{need}`, which is no job"),
            GraphError::Cycle(ids) => write!(f, "the jobs {} need each other", ids.join(" -> ")),
            GraphError::StageOrder { job, need } => {
                write!(f, "job `{job}` needs `{need}`, a job of a later stage")
            }
            GraphError::PublishesEarly { job, missing } => write!(
                f,
                "publish job `{job}` does not wait for `{missing}`: it could publish while that job fails"
            ),
            GraphError::RunsBeforeRelease { job, missing } => write!(
                f,
                "after-release job `{job}` does not wait for `{missing}`: it could run before the release is out"
            ),
            GraphError::PublishesNothingBuilt { job } => {
                write!(
                    f,
                    "publish job `{job}` waits for no build job: it has nothing to publish"
                )
            }
            GraphError::PublishesUnverified { job, missing } => write!(
                f,
                "publish job `{job}` does not wait for `{missing}`, which checks what it publishes: it could publish while that check fails"
            ),
        }
    }
}

impl<B> Graph<B> {
    pub fn get(&self, id: &str) -> Option<&Job<B>> {
        self.jobs.iter().find(|j| j.id == id)
    }

    /// The ids of the jobs of one stage.
    pub fn ids_of(&self, stage: Stage) -> Vec<String> {
        self.jobs
            .iter()
            .filter(|j| j.stage == stage)
            .map(|j| j.id.clone())
            .collect()
    }

    /// Every job that `id` waits for, directly or not.
    pub fn ancestors(&self, id: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&str> = self
            .get(id)
            .map(|j| j.needs.iter().map(String::as_str).collect())
            .unwrap_or_default();
        while let Some(n) = todo.pop() {
            if seen.insert(n.to_string())
                && let Some(j) = self.get(n)
            {
                todo.extend(j.needs.iter().map(String::as_str));
            }
        }
        seen
    }

    /// release.yml's rules: refuses duplicate ids, unknown needs, cycles,
    /// needs of a later stage, a publish job that does not wait for every
    /// build and verify job, and an after-release job that does not wait for
    /// every publish job.
    pub fn check(&self) -> Result<(), GraphError> {
        self.check_shape()?;
        let before_publish: Vec<&str> = self
            .jobs
            .iter()
            .filter(|j| matches!(j.stage, Stage::Build | Stage::Verify))
            .map(|j| j.id.as_str())
            .collect();
        for j in self.jobs.iter().filter(|j| j.stage == Stage::Publish) {
            let waits = self.ancestors(&j.id);
            if let Some(missing) = before_publish.iter().find(|b| !waits.contains(**b)) {
                return Err(GraphError::PublishesEarly {
                    job: j.id.clone(),
                    missing: missing.to_string(),
                });
            }
        }
        self.check_after_release()
    }

    /// The rules of a workflow that release.yml calls stage by stage (its
    /// `stage` input): release.yml keeps the release all or nothing, since it
    /// calls the publish stage after every build of the release; a dispatch
    /// with `stage: all` publishes each thing once it is built and checked.
    /// So each publish job waits for a build job, and for every verify job
    /// that checks a build it waits for; and what [`Graph::check`] refuses
    /// besides the publish rule (ids, needs, cycles, stage order).
    pub fn check_called(&self) -> Result<(), GraphError> {
        self.check_shape()?;
        for j in self.jobs.iter().filter(|j| j.stage == Stage::Publish) {
            let waits = self.ancestors(&j.id);
            let built: BTreeSet<&str> = waits
                .iter()
                .filter(|w| self.get(w).is_some_and(|b| b.stage == Stage::Build))
                .map(String::as_str)
                .collect();
            if built.is_empty() {
                return Err(GraphError::PublishesNothingBuilt { job: j.id.clone() });
            }
            let checks = self.jobs.iter().filter(|v| {
                v.stage == Stage::Verify && self.ancestors(&v.id).iter().any(|a| built.contains(a.as_str()))
            });
            if let Some(missing) = checks.into_iter().find(|v| !waits.contains(&v.id)) {
                return Err(GraphError::PublishesUnverified {
                    job: j.id.clone(),
                    missing: missing.id.clone(),
                });
            }
        }
        self.check_after_release()
    }

    /// Every after-release job waits for every publish job.
    fn check_after_release(&self) -> Result<(), GraphError> {
        let publish = self.ids_of(Stage::Publish);
        for j in self.jobs.iter().filter(|j| j.stage == Stage::AfterRelease) {
            let waits = self.ancestors(&j.id);
            if let Some(missing) = publish.iter().find(|p| !waits.contains(*p)) {
                return Err(GraphError::RunsBeforeRelease {
                    job: j.id.clone(),
                    missing: missing.clone(),
                });
            }
        }
        Ok(())
    }

    /// Unique ids, known needs of no later stage, no cycle.
    fn check_shape(&self) -> Result<(), GraphError> {
        // GitHub compares job ids ignoring case.
        let mut ids = BTreeSet::new();
        for j in &self.jobs {
            if !ids.insert(j.id.to_ascii_lowercase()) {
                return Err(GraphError::DuplicateId(j.id.clone()));
            }
        }
        for j in &self.jobs {
            for n in &j.needs {
                let Some(need) = self.get(n) else {
                    return Err(GraphError::UnknownNeed {
                        job: j.id.clone(),
                        need: n.clone(),
                    });
                };
                if need.stage > j.stage {
                    return Err(GraphError::StageOrder {
                        job: j.id.clone(),
                        need: n.clone(),
                    });
                }
            }
        }
        // Cycles: depth-first search with the path on a stack.
        fn visit<'a, B>(
            g: &'a Graph<B>,
            id: &'a str,
            state: &mut BTreeMap<&'a str, bool>,
            path: &mut Vec<&'a str>,
        ) -> Result<(), GraphError> {
            match state.get(id) {
                Some(true) => return Ok(()),
                Some(false) => {
                    let from = path.iter().position(|p| *p == id).unwrap_or(0);
                    let mut cycle: Vec<String> = path[from..].iter().map(|s| s.to_string()).collect();
                    cycle.push(id.to_string());
                    return Err(GraphError::Cycle(cycle));
                }
                None => {}
            }
            state.insert(id, false);
            path.push(id);
            if let Some(j) = g.get(id) {
                for n in &j.needs {
                    visit(g, n, state, path)?;
                }
            }
            path.pop();
            state.insert(id, true);
            Ok(())
        }
        let mut state = BTreeMap::new();
        for j in &self.jobs {
            visit(self, &j.id, &mut state, &mut Vec::new())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: &str, stage: Stage, needs: &[&str]) -> Job<()> {
        Job {
            id: id.into(),
            name: id.into(),
            stage,
            needs: needs.iter().map(|s| s.to_string()).collect(),
            runs_on: None,
            permissions: Vec::new(),
            timeout: None,
            condition: None,
            condition_why: None,
            body: (),
        }
    }

    #[test]
    fn a_sound_graph_passes() {
        let g = Graph {
            jobs: vec![
                job("plan", Stage::Plan, &[]),
                job("lint", Stage::Gates, &["plan"]),
                job("build", Stage::Build, &["plan", "lint"]),
                job("docker", Stage::Build, &["plan", "lint"]),
                job("tags", Stage::Publish, &["build", "docker"]),
                job("release", Stage::Publish, &["tags"]),
            ],
        };
        assert_eq!(g.check(), Ok(()));
        assert_eq!(g.ids_of(Stage::Build), ["build", "docker"]);
    }

    #[test]
    fn broken_graphs_are_refused() {
        let g = Graph {
            jobs: vec![job("plan", Stage::Plan, &[]), job("plan", Stage::Gates, &[])],
        };
        assert_eq!(g.check(), Err(GraphError::DuplicateId("plan".into())));
        let g = Graph {
            jobs: vec![job("plan", Stage::Plan, &[]), job("Plan", Stage::Gates, &[])],
        };
        assert_eq!(
            g.check(),
            Err(GraphError::DuplicateId("Plan".into())),
            "one id for GitHub"
        );
        let g = Graph {
            jobs: vec![job("a", Stage::Build, &["nope"])],
        };
        assert!(matches!(g.check(), Err(GraphError::UnknownNeed { .. })));
        let g = Graph {
            jobs: vec![job("a", Stage::Build, &["b"]), job("b", Stage::Build, &["a"])],
        };
        assert_eq!(
            g.check(),
            Err(GraphError::Cycle(vec!["a".into(), "b".into(), "a".into()]))
        );
        let g = Graph {
            jobs: vec![job("a", Stage::Build, &["b"]), job("b", Stage::Publish, &[])],
        };
        assert!(matches!(g.check(), Err(GraphError::StageOrder { .. })));
        // The bug this module exists for: image tags beside a failing build.
        let g = Graph {
            jobs: vec![
                job("plan", Stage::Plan, &[]),
                job("bins", Stage::Build, &["plan"]),
                job("images", Stage::Build, &["plan"]),
                job("tags", Stage::Publish, &["images"]),
            ],
        };
        assert_eq!(
            g.check(),
            Err(GraphError::PublishesEarly {
                job: "tags".into(),
                missing: "bins".into()
            })
        );
        assert!(g.check().unwrap_err().to_string().contains("could publish while"));
        let g = Graph {
            jobs: vec![
                job("plan", Stage::Plan, &[]),
                job("tags", Stage::Publish, &["plan"]),
                job("release", Stage::Publish, &["plan"]),
                job("homebrew", Stage::AfterRelease, &["tags"]),
            ],
        };
        assert_eq!(
            g.check(),
            Err(GraphError::RunsBeforeRelease {
                job: "homebrew".into(),
                missing: "release".into()
            })
        );
    }

    #[test]
    fn called_workflows_publish_what_they_built_and_checked() {
        // docker.yml: each variant publishes after its own build and scan;
        // the digests job and the other variant do not hold it back.
        let g = Graph {
            jobs: vec![
                job("plan", Stage::Plan, &[]),
                job("digests", Stage::Build, &["plan", "build-0", "build-1"]),
                job("build-0", Stage::Build, &["plan"]),
                job("scan-0", Stage::Verify, &["plan", "build-0"]),
                job("manifest-0", Stage::Publish, &["plan", "build-0", "scan-0"]),
                job("build-1", Stage::Build, &["plan"]),
                job("manifest-1", Stage::Publish, &["plan", "build-1"]),
            ],
        };
        assert_eq!(g.check_called(), Ok(()));
        assert!(
            matches!(g.check(), Err(GraphError::PublishesEarly { .. })),
            "release.yml's rule is all or nothing"
        );
        // The tags of an image whose scan they do not wait for.
        let mut g = g;
        g.jobs[4].needs = vec!["plan".into(), "build-0".into()];
        assert_eq!(
            g.check_called(),
            Err(GraphError::PublishesUnverified {
                job: "manifest-0".into(),
                missing: "scan-0".into()
            })
        );
        let g = Graph {
            jobs: vec![job("plan", Stage::Plan, &[]), job("push", Stage::Publish, &["plan"])],
        };
        assert_eq!(
            g.check_called(),
            Err(GraphError::PublishesNothingBuilt { job: "push".into() })
        );
        // The shape rules hold for called workflows too.
        let g = Graph {
            jobs: vec![job("a", Stage::Build, &["b"]), job("b", Stage::Build, &["a"])],
        };
        assert!(matches!(g.check_called(), Err(GraphError::Cycle(_))));
    }

    #[test]
    fn permissions_merge_to_the_highest_access() {
        let a = [
            Permission::read("contents", "check out"),
            Permission::write("packages", "push"),
            Permission::read("packages", "pull"),
            Permission::write("contents", "release"),
        ];
        let m = merge(&a);
        assert_eq!(
            m,
            [
                Permission::write("contents", "release"),
                Permission::write("packages", "push")
            ]
        );
        assert!(Access::Read < Access::Write);
    }
}
