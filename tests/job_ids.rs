//! No valid spec makes two jobs of one workflow share an id (as GitHub
//! compares them, ignoring case): the ids made from names (gates, jobs,
//! Python packages and workflows, image variants, charts) against each
//! other and against wfgen's own ids, in every workflow. Rendering checks
//! each workflow's job graph (and panics on a duplicate); the files are
//! read back as YAML besides.

mod common;

use std::collections::BTreeSet;

use wfgen::plan::Plan;
use yaml_serde::Value;

/// Names as close to wfgen's own ids as validation lets through.
const NEAR: &str = "wfgen: 1
project: { name: near, repository: acme/near }
triggers: { pull-request: build }
gates:
  # Like ids of release.yml, build-assets.yml, docker.yml, but not one.
  - { name: publish, run: make a }
  - { name: docker, run: make b }
  - { name: gates, run: make c }
  - { name: build-rust, run: make d }
  - { name: provenance, run: make e }
  - { name: digests, run: make f }
  - { name: Lint, run: make g }
binaries:
  - name: tool
    kind: rust
    targets: [x86_64-unknown-linux-gnu, { target: x86_64-unknown-linux-gnu, container: 'rockylinux:8', suffix: -el8 }]
  - { name: gotool, kind: go, targets: [linux/amd64] }
python:
  # ab and a-b are two PyPI projects; x and x-client share a workflow.
  - { name: ab, build: pure }
  - { name: a-b, build: pure }
  - { name: a-b-c, abi3: true, platforms: [linux-x86_64] }
  - { name: x, workflow: release-x-client, build: pure }
  - { name: x-client, build: pure }
docker:
  # Variant slugs that collide: the keys stay apart.
  - image: ghcr.io/acme/near
    variants: [a.b, a-b, a_b, a-b-1]
    tags: ['{version}-{variant}']
    scan: { fail-on: high }
  - image: ghcr.io/acme/near2
    per-arch: true
    platforms: [linux/amd64, linux/arm64]
    tags: ['{version}-{arch}']
helm:
  # Chart names that collide, and two that differ in case only.
  - { chart: p/a-2, registry: 'oci://ghcr.io/acme/c' }
  - { chart: q/a, registry: 'oci://ghcr.io/acme/c' }
  - { chart: r/a, registry: 'oci://ghcr.io/acme/c' }
  - { chart: s/B, registry: 'oci://ghcr.io/acme/c' }
  - { chart: t/b, registry: 'oci://ghcr.io/acme/c' }
jobs:
  - { id: smoke, stage: verify, steps: [{ run: make smoke }] }
  - { id: release-y, stage: after-release, steps: [{ run: make y }] }
release: { setup: [{ run: make notes }], notify: { slack-webhook-secret: SLACK } }
";

#[test]
fn no_two_jobs_of_a_workflow_share_an_id() {
    let specs = common::fixtures()
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(common::fixture_spec(&f)).unwrap();
            (f, text)
        })
        .chain([("near".to_string(), NEAR.to_string())]);
    for (name, yaml) in specs {
        let (spec, _) = wfgen::parse_spec("wfgen.yaml", &yaml).unwrap_or_else(|e| panic!("{name}: {e}"));
        let files = wfgen::render::render(&Plan::new(&spec), &wfgen::render::header("wfgen.yaml", "0"));
        for f in files {
            let wf: Value = yaml_serde::from_str(&f.text).unwrap_or_else(|e| panic!("{name} {}: {e}", f.path));
            let jobs = wf["jobs"]
                .as_mapping()
                .unwrap_or_else(|| panic!("{name} {}: no jobs", f.path));
            let mut seen = BTreeSet::new();
            for id in jobs.keys() {
                let id = id.as_str().unwrap().to_ascii_lowercase();
                assert!(seen.insert(id.clone()), "{name} {}: two jobs are `{id}`", f.path);
            }
        }
    }
}

/// The near spec's ids: what the plan makes of colliding names.
#[test]
fn colliding_names_get_ids_of_their_own() {
    let (spec, _) = wfgen::parse_spec("wfgen.yaml", NEAR).unwrap_or_else(|e| panic!("{e}"));
    let files = wfgen::render::render(&Plan::new(&spec), &wfgen::render::header("wfgen.yaml", "0"));
    let ids = |file: &str| -> Vec<String> {
        let f = files
            .iter()
            .find(|f| f.path == format!(".github/workflows/{file}"))
            .unwrap_or_else(|| panic!("no {file}"));
        let wf: Value = yaml_serde::from_str(&f.text).unwrap();
        wf["jobs"]
            .as_mapping()
            .unwrap()
            .keys()
            .map(|k| k.as_str().unwrap().to_string())
            .collect()
    };
    let charts: Vec<String> = ids("helm-publish.yml")
        .into_iter()
        .filter(|i| i.starts_with("chart-"))
        .collect();
    assert_eq!(charts, ["chart-a-2", "chart-a", "chart-a-2-2", "chart-B", "chart-b-4"]);
    let release = ids("release.yml");
    for id in [
        "publish-ab",
        "publish-a-b",
        "release-ab",
        "release-a-b",
        "release-x-client",
        "release-assets",
    ] {
        assert!(
            release.contains(&id.to_string()),
            "release.yml has no job {id}: {release:?}"
        );
    }
    let images: Vec<String> = ids("docker.yml")
        .into_iter()
        .filter(|i| i.starts_with("build-"))
        .collect();
    assert_eq!(
        images,
        [
            "build-0-a-b",
            "build-0-a-b-1",
            "build-0-a-b-2",
            "build-0-a-b-1-3",
            "build-1"
        ]
    );
}
