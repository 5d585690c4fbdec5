//! The pull-request.yml plan (`triggers.pull-request`): what a pull request
//! runs of the release, without publishing anything.
//!
//! `plan`: one read-only job that runs the release's own tag script (the
//! script of every `plan` job) on a tag made from the spec's grammar and the
//! pull request's number, and fails when the script refuses it.

use serde::Serialize;

use super::Plan;
use super::version::Grammar;
use crate::spec::{PullRequest, Scheme};

/// What pull-request.yml.j2 sees.
#[derive(Debug, Clone, Serialize)]
pub struct PullRequestWorkflow {
    /// The tag the pull request plans, with `{number}` where the pull
    /// request's number goes, e.g. `v0.0.0-rc.{number}`.
    pub tag_template: String,
    pub runner: String,
}

/// Where the pull request's number goes in [`synthetic_tag`].
pub const NUMBER: &str = "{number}";

/// The workflow, when the spec runs anything on pull requests.
pub fn plan(p: &Plan) -> Option<PullRequestWorkflow> {
    match p.pull_request {
        PullRequest::None => None,
        PullRequest::Plan => Some(PullRequestWorkflow {
            tag_template: synthetic_tag(&p.grammar),
            runner: super::release::RUNNER.into(),
        }),
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
            let (spec, _) = crate::spec::parse("wfgen.yaml", &text).unwrap();
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
