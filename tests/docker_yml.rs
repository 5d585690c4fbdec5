//! The rendered docker.yml of every fixture (and of a spec that uses the
//! paths the fixtures do not: QEMU, mirrors, per-arch with signing, colliding
//! variant slugs) keeps the security and wiring rules of DESIGN.md.

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;
use wfgen::plan::Plan;
use yaml_serde::Value;

const FIXTURES: &[&str] = &["opsml", "llm-proxy", "model-server", "cluster-tool"];

const STRESS: &str = "wfgen: 1
project: { name: stress, repository: acme/stress }
versioning: { prereleases: [rc] }
docker:
  - image: ghcr.io/acme/stress
    mirrors: [acme/stress]
    context: images/app
    dockerfile: images/app/{variant}.Dockerfile
    build-args: { VERSION: '{version}', FLAVOR: '{variant}' }
    target: runtime
    labels: { org.opencontainers.image.vendor: acme, org.opencontainers.image.title: 'stress {variant} {version}' }
    platforms: [linux/amd64, linux/arm64, linux/arm/v7, linux/ppc64le]
    variants:
      a.b: { tags: ['{version}-ab'], platforms: [linux/amd64] }
      a-b: { tags: ['{version}-a-b', '{major}.{minor}-a-b'] }
      full: { tags: ['{version}', latest], build-args: { EXTRA: x y } }
    login: { username-secret: DOCKERHUB_USERNAME, password-secret: DOCKERHUB_TOKEN }
  - image: quay.io/acme/tool
    per-arch: true
    platforms: [linux/amd64, linux/s390x]
    tags: ['{version}-{arch}']
    login: { username-secret: QUAY_USER, password-secret: QUAY_TOKEN }
release: { sign: true, sbom: true, provenance: true }
";

fn specs() -> Vec<(String, String)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut out: Vec<(String, String)> = FIXTURES
        .iter()
        .map(|f| {
            let path = format!("{root}/fixtures/{f}/wfgen.yaml");
            (f.to_string(), std::fs::read_to_string(&path).expect(&path))
        })
        .collect();
    out.push(("stress".into(), STRESS.into()));
    out
}

/// (plan, docker.yml text) of a spec.
fn docker_yml(name: &str, yaml: &str) -> (Plan, String) {
    let (spec, _) = wfgen::parse_spec("wfgen.yaml", yaml).unwrap_or_else(|e| panic!("{name}: {e}"));
    let plan = Plan::new(&spec);
    let files = wfgen::render::render(&plan, &wfgen::render::header("wfgen.yaml", "0"));
    let text = files
        .into_iter()
        .find(|f| f.path == ".github/workflows/docker.yml")
        .unwrap_or_else(|| panic!("{name}: no docker.yml"))
        .text;
    (plan, text)
}

/// action -> its inputs, from data/action-inputs.tsv.
fn action_inputs() -> BTreeMap<String, BTreeSet<String>> {
    let tsv = include_str!("../data/action-inputs.tsv");
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let inputs = cols[2]
                .split(',')
                .map(|i| i.trim_end_matches('*').to_string())
                .collect();
            (cols[0].to_string(), inputs)
        })
        .collect()
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_mapping()?.get(Value::String(key.into()))
}

fn jobs(wf: &Value) -> Vec<(String, &Value)> {
    s(wf, "jobs")
        .and_then(Value::as_mapping)
        .expect("jobs")
        .iter()
        .map(|(k, v)| (k.as_str().unwrap().to_string(), v))
        .collect()
}

#[test]
fn docker_yml_keeps_the_rules() {
    let inputs = action_inputs();
    let uses_re = Regex::new(r"(?m)^\s+uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v?\S+$").unwrap();
    let any_uses = Regex::new(r"(?m)^\s+uses: ").unwrap();
    let plan_out_re = Regex::new(r"needs\.plan\.outputs\.([A-Za-z0-9_-]+)").unwrap();
    let secret_re = Regex::new(r"secrets\.([A-Za-z0-9_]+)").unwrap();
    for (name, yaml) in specs() {
        let (plan, text) = docker_yml(&name, &yaml);
        let wf: Value = yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));

        assert_eq!(
            text.matches("uses: ").count(),
            uses_re.captures_iter(&text).count(),
            "{name}: every uses is pinned to a full SHA with a version comment"
        );
        assert_eq!(any_uses.find_iter(&text).count(), uses_re.captures_iter(&text).count());

        let top = s(&wf, "permissions")
            .and_then(Value::as_mapping)
            .expect("top permissions");
        assert!(top.is_empty(), "{name}: permissions: {{}} at the top");
        let conc = s(&wf, "concurrency").expect("concurrency");
        assert_eq!(
            s(conc, "group").and_then(Value::as_str),
            Some("docker-${{ inputs.tag }}-${{ inputs.stage }}"),
            "{name}: the build and publish calls of one release do not wait for each other"
        );
        assert_eq!(s(conc, "cancel-in-progress").and_then(Value::as_bool), Some(false));

        let on = s(&wf, "on").expect("on");
        let call = s(on, "workflow_call").expect("workflow_call");
        assert!(s(on, "workflow_dispatch").is_some());
        let declared: BTreeSet<String> = s(call, "secrets")
            .and_then(Value::as_mapping)
            .map(|m| m.keys().map(|k| k.as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        for c in secret_re.captures_iter(&text) {
            let sname = &c[1];
            assert!(
                sname == "GITHUB_TOKEN" || declared.contains(sname),
                "{name}: secret {sname} is not declared"
            );
        }

        let plan_job = s(s(&wf, "jobs").unwrap(), "plan").expect("plan job");
        let exposed: BTreeSet<String> = s(plan_job, "outputs")
            .and_then(Value::as_mapping)
            .expect("plan outputs")
            .keys()
            .map(|k| k.as_str().unwrap().to_string())
            .collect();
        let script_outputs = plan.output_names();
        for o in &exposed {
            assert!(o == "sha" || script_outputs.contains(o), "{name}: {o}");
        }
        for c in plan_out_re.captures_iter(&text) {
            assert!(
                exposed.contains(&c[1]),
                "{name}: needs.plan.outputs.{} is not exposed",
                &c[1]
            );
        }

        for (id, job) in jobs(&wf) {
            assert!(
                s(job, "timeout-minutes").and_then(Value::as_u64).is_some(),
                "{name}/{id}: timeout-minutes"
            );
            let perms = s(job, "permissions")
                .and_then(Value::as_mapping)
                .expect("job permissions");
            for (k, v) in perms {
                let k = k.as_str().unwrap();
                let v = v.as_str().unwrap();
                assert!(
                    matches!(
                        (k, v),
                        ("contents", "read")
                            | ("packages", "write")
                            | ("id-token", "write")
                            | ("attestations", "write")
                            | ("artifact-metadata", "write")
                    ) || id.starts_with("scan-")
                        && matches!(
                            (k, v),
                            ("actions", "read") | ("packages", "read") | ("security-events", "write")
                        ),
                    "{name}/{id}: {k}: {v}"
                );
            }
            let steps = s(job, "steps").and_then(Value::as_sequence).expect("steps");
            for step in steps {
                if let Some(run) = s(step, "run").and_then(Value::as_str) {
                    assert!(!run.contains("${{"), "{name}/{id}: expression in run:\n{run}");
                }
                let Some(uses) = s(step, "uses").and_then(Value::as_str) else {
                    continue;
                };
                let action = uses.split('@').next().unwrap();
                let known = inputs.get(action).unwrap_or_else(|| panic!("{name}/{id}: {action}"));
                if let Some(with) = s(step, "with").and_then(Value::as_mapping) {
                    for k in with.keys() {
                        let k = k.as_str().unwrap();
                        assert!(known.contains(k), "{name}/{id}: {action} has no input {k}");
                    }
                }
                if action == "actions/checkout" {
                    let pc = s(step, "with").and_then(|w| s(w, "persist-credentials"));
                    assert_eq!(pc.and_then(Value::as_bool), Some(false), "{name}/{id}");
                }
                if action == "docker/setup-qemu-action" {
                    let ci = s(step, "with").and_then(|w| s(w, "cache-image"));
                    assert_eq!(
                        ci.and_then(Value::as_bool),
                        Some(false),
                        "{name}/{id}: no cache in a release"
                    );
                }
            }
            // Jobs that push to ghcr.io, and only those, may write packages.
            let writes_packages = perms.contains_key(Value::String("packages".into()));
            let logs_in_to_ghcr = steps
                .iter()
                .any(|st| s(st, "with").and_then(|w| s(w, "registry")).and_then(Value::as_str) == Some("ghcr.io"));
            assert_eq!(writes_packages, logs_in_to_ghcr, "{name}/{id}");
            // OIDC only where something is signed or attested.
            let oidc = perms.contains_key(Value::String("id-token".into()));
            let signs = steps.iter().any(|st| {
                let uses = s(st, "uses").and_then(Value::as_str).unwrap_or("");
                uses.starts_with("actions/attest-build-provenance@") || uses.starts_with("sigstore/cosign-installer@")
            });
            assert_eq!(oidc, signs, "{name}/{id}");
        }
    }
}

#[test]
fn each_variant_builds_its_own_dockerfile_and_args() {
    let (_, text) = docker_yml("model-server", &specs()[2].1);
    let wf: Value = yaml_serde::from_str(&text).unwrap();
    for variant in ["all", "slim", "sklearn", "xgboost", "huggingface"] {
        let job = s(s(&wf, "jobs").unwrap(), &format!("build-0-{variant}")).expect(variant);
        let build = s(job, "steps")
            .and_then(Value::as_sequence)
            .unwrap()
            .iter()
            .find(|st| s(st, "id").and_then(Value::as_str) == Some("build"))
            .unwrap();
        let with = s(build, "with").unwrap();
        assert_eq!(
            s(with, "build-args").and_then(Value::as_str),
            Some(format!("${{{{ needs.plan.outputs.docker-build-args-0-{variant} }}}}").as_str())
        );
        let merge = s(s(&wf, "jobs").unwrap(), &format!("manifest-0-{variant}")).expect(variant);
        let script = s(merge, "steps")
            .and_then(Value::as_sequence)
            .unwrap()
            .iter()
            .find(|st| s(st, "id").and_then(Value::as_str) == Some("manifest"))
            .unwrap();
        assert_eq!(
            s(s(script, "env").unwrap(), "TAGS").and_then(Value::as_str),
            Some(format!("${{{{ needs.plan.outputs.docker-tags-0-{variant} }}}}").as_str())
        );
    }
}

#[test]
fn rendering_is_deterministic() {
    for (name, yaml) in specs() {
        assert_eq!(docker_yml(&name, &yaml).1, docker_yml(&name, &yaml).1, "{name}");
    }
}
