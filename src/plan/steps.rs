//! The spec's setup steps and environment, resolved for the jobs that run
//! them: build, wheel, gate and release-setup jobs, and the steps of the
//! spec's own jobs.

use std::collections::BTreeMap;

use serde::Serialize;

use super::pins::Pins;
use crate::spec::names::ENV_PLACEHOLDERS;
use crate::spec::{Step, StepOs, StepShell};

/// `name: value`, an `env:` or `with:` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Var {
    pub name: String,
    pub value: String,
}

/// One step, as the templates print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetupStep {
    pub name: String,
    /// `if:` of an `os` filter (`runner.os == 'Linux'`), none for every system.
    pub cond: Option<String>,
    pub run: Option<String>,
    /// Shell of a `run` step.
    pub shell: String,
    /// `owner/repo@<sha> # vX`, or a `./` action of the repository.
    pub uses: Option<String>,
    pub with: Vec<Var>,
    /// The step's secrets: `NAME: ${{ secrets.NAME }}`.
    pub env: Vec<Var>,
}

/// The steps of a job, in order: each list after the one before it.
pub fn resolve(pins: &Pins, lists: &[&[Step]]) -> Vec<SetupStep> {
    lists.iter().flat_map(|l| l.iter()).map(|st| step(pins, st)).collect()
}

fn step(pins: &Pins, st: &Step) -> SetupStep {
    let name = st.name.clone().unwrap_or_else(|| {
        st.run
            .as_deref()
            .or(st.uses.as_deref())
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    });
    SetupStep {
        name,
        cond: os_condition(&st.os),
        run: st.run.clone(),
        shell: match st.shell.unwrap_or(StepShell::Bash) {
            StepShell::Bash => "bash",
            StepShell::Sh => "sh",
            StepShell::Pwsh => "pwsh",
            StepShell::Python => "python",
            StepShell::Cmd => "cmd",
        }
        .into(),
        uses: st.uses.as_ref().map(|u| {
            if u.starts_with("./") {
                u.clone()
            } else {
                pins.0.get(u).map(|p| p.uses_line()).unwrap_or_else(|| u.clone())
            }
        }),
        with: st
            .with
            .iter()
            .map(|(k, v)| Var {
                name: k.clone(),
                value: v.clone(),
            })
            .collect(),
        env: st
            .secrets
            .iter()
            .map(|s| Var {
                name: s.clone(),
                value: format!("${{{{ secrets.{s} }}}}"),
            })
            .collect(),
    }
}

/// `runner.os == 'Linux' || runner.os == 'macOS'` for an `os` filter; none
/// when the filter is empty or names every system.
pub fn os_condition(os: &[StepOs]) -> Option<String> {
    let mut os: Vec<StepOs> = os.to_vec();
    os.sort();
    os.dedup();
    if os.is_empty() || os.len() == 3 {
        return None;
    }
    Some(
        os.iter()
            .map(|o| {
                format!(
                    "runner.os == '{}'",
                    match o {
                        StepOs::Linux => "Linux",
                        StepOs::Macos => "macOS",
                        StepOs::Windows => "Windows",
                    }
                )
            })
            .collect::<Vec<_>>()
            .join(" || "),
    )
}

/// The environment of a job: the spec's `env` maps, later ones over earlier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct JobEnv {
    /// Values without placeholders: the job's `env:`.
    pub plain: Vec<Var>,
    /// `NAME=template` lines of the values with placeholders, expanded from
    /// the tag by a step of the job into `$GITHUB_ENV` ("" for none).
    pub templated: String,
}

/// The spec's `env` maps of a job, later ones over earlier ones.
pub fn merged<'a>(layers: &[&'a BTreeMap<String, String>]) -> BTreeMap<&'a str, &'a str> {
    layers
        .iter()
        .flat_map(|layer| layer.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .collect()
}

impl JobEnv {
    pub fn new(layers: &[&BTreeMap<String, String>]) -> JobEnv {
        let mut out = JobEnv::default();
        let mut templated = Vec::new();
        for (k, v) in merged(layers) {
            if ENV_PLACEHOLDERS.iter().any(|p| v.contains(&format!("{{{p}}}"))) {
                templated.push(format!("{k}={v}"));
            } else {
                out.plain.push(Var {
                    name: k.into(),
                    value: v.into(),
                });
            }
        }
        out.templated = templated.join("\n");
        out
    }

    pub fn is_empty(&self) -> bool {
        self.plain.is_empty() && self.templated.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_filters() {
        assert_eq!(os_condition(&[]), None);
        assert_eq!(
            os_condition(&[StepOs::Macos, StepOs::Linux]).as_deref(),
            Some("runner.os == 'Linux' || runner.os == 'macOS'")
        );
        assert_eq!(os_condition(&[StepOs::Linux, StepOs::Macos, StepOs::Windows]), None);
    }

    #[test]
    fn env_layers_and_placeholders() {
        let top = BTreeMap::from([("A".to_string(), "1".to_string()), ("B".into(), "x".into())]);
        let bin = BTreeMap::from([("B".to_string(), "v{version}".to_string())]);
        let e = JobEnv::new(&[&top, &bin]);
        assert_eq!(
            e.plain,
            vec![Var {
                name: "A".into(),
                value: "1".into()
            }]
        );
        assert_eq!(e.templated, "B=v{version}");
    }
}
