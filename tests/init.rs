//! `wfgen init` on small repositories laid out like four real projects
//! (tests/data/init/<project>/: only the files init reads, minimal
//! contents), with their tag spellings and GitHub remotes: the spec it
//! writes (snapshot), its key facts, and that the spec generates workflows
//! the judges accept. Also: an empty directory, a repository of odd and
//! unreadable files, and an existing spec that init must not overwrite.

mod common;

use common::{TempRepo, wfgen};
use wfgen::spec::{PythonBuild, Scheme, Spec, Variants};

/// A git repository holding a copy of `tests/data/init/<tree>`, committed,
/// with `origin` set to `remote` and lightweight `tags`.
fn repo_of(tree: &str, remote: Option<&str>, tags: &[&str]) -> TempRepo {
    let src = common::repo_root().join("tests/data/init").join(tree);
    let repo = TempRepo::new();
    for e in walkdir::WalkDir::new(&src).into_iter().map(|e| e.unwrap()) {
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            repo.write(&rel, &std::fs::read_to_string(e.path()).unwrap());
        }
    }
    if let Some(r) = remote {
        repo.git(&["remote", "add", "origin", r]);
    }
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--allow-empty", "-m", "init"]);
    for t in tags {
        repo.git(&["tag", t]);
    }
    repo
}

/// Runs `wfgen init` in the repository; returns the spec it wrote, parsed.
fn init(repo: &TempRepo) -> (String, Spec) {
    let out = wfgen().current_dir(repo.path()).arg("init").output().unwrap();
    assert!(
        out.status.success(),
        "wfgen init failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = repo.read("wfgen.yaml");
    let (spec, _) = wfgen::parse_spec("wfgen.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    (text, spec)
}

/// `wfgen validate` and `generate` accept the spec, and the judges accept
/// the workflows. The repository's own workflows (init's evidence) go
/// first: the judges look at what wfgen writes.
fn generates_clean_workflows(repo: &TempRepo, what: &str) {
    let _ = std::fs::remove_dir_all(repo.join(".github/workflows"));
    wfgen().current_dir(repo.path()).arg("validate").assert().success();
    repo.generate();
    let files = repo.workflows();
    assert!(files.iter().any(|f| f == ".github/workflows/release.yml"), "{files:?}");
    common::assert_actionlint_clean(repo.path(), what);
    common::assert_zizmor_clean(repo.path(), what);
    common::assert_workflow_schema_clean(repo.path(), &files, what);
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => true }, {
        insta::assert_snapshot!(name, text);
    });
}

fn variant_names(v: &Variants) -> Vec<String> {
    v.entries().into_iter().map(|(n, _)| n).collect()
}

const OPSML_TAGS: &[&str] = &[
    "v2.1.5",
    "v2.3.0",
    "v3.0.0-alpha.1",
    "v3.0.0-rc.2",
    "v3.0.0-rc.10",
    "v3.0.0-rc.16",
];

#[test]
fn opsml_workspace_maturin_and_per_distro_images() {
    let repo = repo_of("opsml", Some("https://github.com/demml/opsml.git"), OPSML_TAGS);
    let (text, spec) = init(&repo);
    snapshot("opsml", &text);
    assert_eq!(spec.project.name, "opsml");
    assert_eq!(spec.project.repository.as_deref(), Some("demml/opsml"));
    assert_eq!(spec.versioning.scheme, Scheme::Semver);
    assert_eq!(spec.versioning.tag_prefix, "v");
    assert_eq!(spec.versioning.version_files, ["Cargo.toml", "py-opsml/pyproject.toml"]);
    // The Python of the repository's .tool-versions (asdf), for the wheels'
    // tools and the gates; not its gitleaks.
    assert_eq!(spec.toolchains.python.as_deref(), Some("3.12.8"), "{text}");
    assert!(spec.toolchains.node.is_none() && spec.toolchains.rust.is_none());
    // The workspace members' binaries with their packages; not the xtask.
    let bins: Vec<(&str, Option<&str>)> = spec
        .binaries
        .iter()
        .map(|b| (b.name.as_str(), b.package.as_deref()))
        .collect();
    assert_eq!(
        bins,
        [("opsml", Some("opsml-cli")), ("opsml-server", Some("opsml-server"))]
    );
    // The maturin package in a subdirectory; not the test and example pyprojects.
    assert_eq!(spec.python.len(), 1);
    assert_eq!(spec.python[0].name, "opsml");
    assert_eq!(spec.python[0].path, "py-opsml");
    assert_eq!(spec.python[0].build, PythonBuild::Maturin);
    assert!(spec.python[0].abi3);
    // One image, a variant per docker/official/<distro>/Dockerfile.
    assert_eq!(spec.docker.len(), 1);
    let d = &spec.docker[0];
    assert_eq!(d.image, "demml/opsml");
    assert_eq!(d.dockerfile.as_deref(), Some("docker/official/{variant}/Dockerfile"));
    assert_eq!(variant_names(&d.variants), ["debian", "rocky", "ubuntu"]);
    assert!(d.per_arch);
    // The workflows build the rocky image for amd64 only.
    let (_, rocky) = d.variants.entries().into_iter().find(|(n, _)| n == "rocky").unwrap();
    assert_eq!(rocky.platforms.as_deref(), Some(&["linux/amd64".to_string()][..]));
    assert_eq!(d.platforms, ["linux/amd64", "linux/arm64"]);
    let hub = spec.registries.get("docker.io").map(|l| l.username_secret.as_str());
    assert_eq!(hub, Some("DOCKER_USERNAME"));
    let gates: Vec<(&str, &str)> = spec
        .gates
        .iter()
        .map(|g| (g.name.as_str(), g.run.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(gates, [("lint", "make lints"), ("test", "make test.unit")]);
    assert!(
        text.contains("# from py-opsml/pyproject.toml [project] name, build-backend maturin"),
        "{text}"
    );
    generates_clean_workflows(&repo, "the workflows of init's opsml spec");
}

const MLSERVER_TAGS: &[&str] = &[
    "1.6.0",
    "1.6.1",
    "1.7.0.dev3",
    "1.7.0.rc1",
    "1.7.0",
    "1.7.1",
    "1.7.2-rc1",
    "v1.2.0.dev2",
    "stable",
    "2.x-dep",
];

#[test]
fn mlserver_pep440_runtimes_and_per_runtime_images() {
    let repo = repo_of(
        "mlserver",
        Some("https://github.com/SeldonIO/MLServer.git"),
        MLSERVER_TAGS,
    );
    let (text, spec) = init(&repo);
    snapshot("mlserver", &text);
    assert_eq!(spec.project.name, "mlserver");
    assert_eq!(spec.versioning.scheme, Scheme::Pep440);
    assert_eq!(spec.versioning.tag_prefix, "");
    assert_eq!(spec.versioning.prereleases, ["rc", "alpha", "beta", "dev"]);
    // The root package and every runtimes/* package, pure, in one workflow.
    let py: Vec<(&str, &str)> = spec.python.iter().map(|p| (p.name.as_str(), p.path.as_str())).collect();
    assert_eq!(
        py,
        [
            ("mlserver", "."),
            ("mlserver-huggingface", "runtimes/huggingface"),
            ("mlserver-sklearn", "runtimes/sklearn"),
            ("mlserver-xgboost", "runtimes/xgboost"),
        ]
    );
    assert!(spec.python.iter().all(|p| p.build == PythonBuild::Pure));
    assert!(
        spec.python
            .iter()
            .all(|p| p.workflow.as_deref() == Some("release-python"))
    );
    // Built with Poetry, as their poetry-core backend says.
    assert!(
        spec.python
            .iter()
            .all(|p| p.builder == Some(wfgen::spec::PythonBuilder::Poetry)),
        "{text}"
    );
    // One image, a variant per build the workflows run: all, slim, each runtime.
    assert_eq!(spec.docker.len(), 1);
    let d = &spec.docker[0];
    assert_eq!(d.image, "seldonio/mlserver");
    assert_eq!(
        variant_names(&d.variants),
        ["all", "huggingface", "sklearn", "slim", "xgboost"]
    );
    let (_, sklearn) = d.variants.entries().into_iter().find(|(n, _)| n == "sklearn").unwrap();
    assert_eq!(
        sklearn.build_args.get("RUNTIMES").map(String::as_str),
        Some("mlserver-sklearn")
    );
    assert!(text.contains("also builds seldonio/mlserver-sc"), "{text}");
    // Retagged and pushed to Quay: a mirror, with the secrets the workflow logs in with.
    assert_eq!(d.mirrors, ["quay.io/seldon-certified/mlserver"]);
    let quay = spec.registries.get("quay.io").map(|l| l.password_secret.as_str());
    assert_eq!(quay, Some("QUAY_PASSWORD"));
    // Its real tags 1.7.0.rc1 and 1.7.2-rc1 are release tags: the grammar
    // takes every spelling PEP 440 normalises.
    assert!(text.contains("# not: 2.x-dep, stable, v1.2.0.dev2"), "{text}");
    generates_clean_workflows(&repo, "the workflows of init's mlserver spec");
}

#[test]
fn mlserver_like_runtimes_without_workflows() {
    let repo = repo_of("mlserver", None, &[]);
    std::fs::remove_dir_all(repo.join(".github")).unwrap();
    let (text, spec) = init(&repo);
    let d = &spec.docker[0];
    assert_eq!(d.image, "ghcr.io/owner/mlserver", "{text}");
    // ARG RUNTIMES="all" and runtimes/*: the default and one variant per runtime.
    assert_eq!(variant_names(&d.variants), ["all", "huggingface", "sklearn", "xgboost"]);
    assert_eq!(spec.versioning.scheme, Scheme::Pep440, "python only, no tags: {text}");
    assert!(text.contains("replace `owner`"), "{text}");
}

const AICR_TAGS: &[&str] = &["v0.9.5", "v0.9.8", "v0.9.9", "v0.10.0"];

#[test]
fn aicr_go_binaries_and_validator_images() {
    let repo = repo_of("aicr", Some("git@github.com:NVIDIA/aicr.git"), AICR_TAGS);
    let (text, spec) = init(&repo);
    snapshot("aicr", &text);
    assert_eq!(spec.project.name, "aicr");
    let bins: Vec<(&str, &str, usize)> = spec
        .binaries
        .iter()
        .map(|b| (b.name.as_str(), b.package.as_deref().unwrap(), b.targets.len()))
        .collect();
    assert_eq!(bins, [("aicr", "./cmd/aicr", 4), ("aicrd", "./cmd/aicrd", 2)]);
    let images: Vec<&str> = spec.docker.iter().map(|d| d.image.as_str()).collect();
    assert_eq!(
        images,
        [
            "ghcr.io/nvidia/aicr-validators/conformance",
            "ghcr.io/nvidia/aicr-validators/deployment",
            "ghcr.io/nvidia/aicr-validators/performance",
        ]
    );
    // The workflow joins the per-arch builds into manifests: multi-arch here.
    assert!(
        spec.docker
            .iter()
            .all(|d| !d.per_arch && d.platforms == ["linux/amd64", "linux/arm64"])
    );
    assert!(spec.release.sbom && spec.release.draft);
    assert!(text.contains("images built by ko"), "{text}");
    let gates: Vec<&str> = spec.gates.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(gates, ["format", "lint", "test"]);
    generates_clean_workflows(&repo, "the workflows of init's aicr spec");
}

const LLM_PROXY_TAGS: &[&str] = &["v0.1.0", "v0.1.1", "v0.1.1-stable", "v0.1.2", "v0.1.2-stable", "v0.1.3"];

#[test]
fn llm_proxy_image_chart_and_promotion_tags() {
    let repo = repo_of(
        "llm-proxy",
        Some("https://github.com/sofatutor/llm-proxy"),
        LLM_PROXY_TAGS,
    );
    let (text, spec) = init(&repo);
    snapshot("llm_proxy", &text);
    assert_eq!(spec.project.name, "llm-proxy");
    assert_eq!(spec.versioning.stable_suffix.as_deref(), Some("-stable"));
    assert_eq!(spec.docker.len(), 1, "not the devcontainer's Dockerfile: {text}");
    let d = &spec.docker[0];
    assert_eq!(d.image, "ghcr.io/sofatutor/llm-proxy");
    assert_eq!(d.tags, ["{version}", "{major}.{minor}", "sha-{sha7}", "latest"]);
    assert_eq!(d.build_args.get("POSTGRES_SUPPORT").map(String::as_str), Some("true"));
    assert_eq!(spec.helm.len(), 1, "not the subchart: {text}");
    assert_eq!(spec.helm[0].chart, "deploy/helm/llm-proxy");
    assert_eq!(spec.helm[0].registry, "oci://ghcr.io/sofatutor/charts");
    generates_clean_workflows(&repo, "the workflows of init's llm-proxy spec");
}

#[test]
fn an_empty_directory_without_git() {
    let d = tempfile::tempdir().unwrap();
    let out = wfgen().current_dir(d.path()).arg("init").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(d.path().join("wfgen.yaml")).unwrap();
    let (spec, _) = wfgen::parse_spec("wfgen.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_ne!(spec.project.name, "my-project");
    assert!(text.contains("not a git repository"), "{text}");
    assert!(spec.binaries.is_empty() && spec.docker.is_empty() && spec.python.is_empty());
}

#[test]
fn a_git_repository_without_tags_or_remote() {
    let repo = repo_of("llm-proxy", None, &[]);
    let (text, spec) = init(&repo);
    assert_eq!(spec.versioning.tag_prefix, "v");
    assert!(text.contains("no tags yet"), "{text}");
    // go.mod names the GitHub repository when no remote does.
    assert_eq!(spec.project.repository.as_deref(), Some("sofatutor/llm-proxy"));
}

#[test]
fn odd_and_unreadable_files_give_a_valid_spec() {
    let repo = TempRepo::new();
    repo.write("Cargo.toml", "[workspace\nmembers = [");
    repo.write("go.mod", "");
    repo.write(".goreleaser.yaml", "builds: [ {");
    repo.write("Makefile", "\u{0}\u{1}: :\n\t\n::=\n");
    repo.write("justfile", "[private]\n@");
    std::fs::write(repo.join("pyproject.toml"), [0xff, 0xfe, 0x00, b'[']).unwrap();
    repo.write(
        "big/pyproject.toml",
        &format!("[project]\nname = \"big\"\n#{}\n", "x".repeat(2 << 20)),
    );
    repo.write("odd name/pyproject.toml", "[project]\nname = \"Not A Valid Name!\"\n");
    repo.write("list/pyproject.toml", "project = [1, 2]\n");
    repo.write("space dir/Dockerfile", "FROM scratch\n");
    repo.write("Dockerfile.j2", "FROM {{ base }}\n");
    repo.write("charts/x/Chart.yaml", "\u{0}");
    repo.write(".github/workflows/a.yml", "{{{{ not yaml");
    repo.write(".github/workflows/b.yml", "- a list\n- of things\n");
    repo.write(
        ".github/workflows/c.yml",
        "jobs:\n  j: 3\n  k:\n    strategy: { matrix: '${{ fromJSON(x) }}' }\n    steps: oops\n  l:\n    runs-on: [self-hosted, arm64]\n    strategy: { matrix: { a: [1, 2], include: 7, exclude: [3] } }\n    steps:\n      - uses: docker/build-push-action@v6\n        with: { push: true, tags: [1, 2], file: ../../etc/passwd }\n      - uses: docker/build-push-action@v6\n        with: { push: true, tags: 'x/y:${{ matrix.a }}', context: 'git://h/r', file: 7 }\n      - uses: docker/metadata-action@v5\n        id: m\n        with: { images: '${{ secrets.X }},name=,enable=false', tags: 'type=raw,value=${{ x }}' }\n      - run: \"docker build -t a/b:1 -f\"\n      - run: \"docker push \\\"a/b\\\"\\\\\\nIMG=$IMG$IMG; docker push $IMG\"\n",
    );
    repo.write("cmd/tool/main.go", "package main\n");
    std::fs::write(repo.join("cmd/bad.go"), [0xff, 0xfe]).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink("/etc/passwd", repo.join("Chart.yaml")).unwrap();
        std::fs::create_dir_all(repo.join("loop")).unwrap();
        symlink("..", repo.join("loop/up")).unwrap();
        symlink("nowhere", repo.join("loop/Dockerfile")).unwrap();
        symlink("/etc/hostname", repo.join("loop/pyproject.toml")).unwrap();
        let fifo = repo.join("fifo/pyproject.toml");
        std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    }
    let out = wfgen()
        .current_dir(repo.path())
        .args(["init", "--stdout"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    wfgen::parse_spec("wfgen.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(text.contains("Cargo.toml is not valid TOML"), "{text}");
    assert!(text.contains("a name or path wfgen cannot use"), "{text}");
}

#[test]
fn an_existing_spec_is_not_overwritten_without_force() {
    let repo = repo_of("llm-proxy", None, &[]);
    repo.write("wfgen.yaml", "# mine\n");
    let out = wfgen().current_dir(repo.path()).arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(repo.read("wfgen.yaml"), "# mine\n");
    // --stdout prints and writes nothing.
    let out = wfgen()
        .current_dir(repo.path())
        .args(["init", "--stdout"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("wfgen: 1"));
    assert_eq!(repo.read("wfgen.yaml"), "# mine\n");
    // --force replaces it.
    wfgen()
        .current_dir(repo.path())
        .args(["init", "--force"])
        .assert()
        .success();
    assert!(repo.read("wfgen.yaml").contains("name: llm-proxy"));
    // So does a spec under .github/ named with --spec.
    repo.write(".github/wfgen.yaml", "# mine\n");
    let out = wfgen()
        .current_dir(repo.path())
        .args(["--spec", ".github/wfgen.yaml", "init"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(repo.read(".github/wfgen.yaml"), "# mine\n");
}

#[test]
fn dockerfile_layouts_without_workflows() {
    let repo = TempRepo::new();
    repo.git(&["remote", "add", "origin", "git@github.com:Acme/Tool.git"]);
    for f in [
        "Dockerfile",
        "agent.Dockerfile",
        "Dockerfile.dev",
        "images/alpine/Dockerfile",
        "images/debian/Dockerfile",
        "services/api/Dockerfile",
        "services/worker/Dockerfile",
        "tools/api/Dockerfile",
    ] {
        repo.write(f, "FROM scratch\n");
    }
    let out = wfgen()
        .current_dir(repo.path())
        .args(["init", "--stdout"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (spec, _) = wfgen::parse_spec("wfgen.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let images: Vec<(&str, &str)> = spec
        .docker
        .iter()
        .map(|d| (d.image.as_str(), d.dockerfile.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        images,
        [
            ("ghcr.io/acme/tool-images", "images/{variant}/Dockerfile"),
            ("ghcr.io/acme/tool", "Dockerfile"),
            ("ghcr.io/acme/tool-agent", "agent.Dockerfile"),
            ("ghcr.io/acme/tool-api", "services/api/Dockerfile"),
            ("ghcr.io/acme/tool-worker", "services/worker/Dockerfile"),
            ("ghcr.io/acme/tool-tools-api", "tools/api/Dockerfile"),
        ],
        "{text}"
    );
    assert_eq!(variant_names(&spec.docker[0].variants), ["alpine", "debian"]);
    assert!(text.contains("Dockerfile.dev: a dev Dockerfile"), "{text}");
}

/// Where each published Python package's version comes from, as init lists
/// it in the spec's comments: a maturin package's dynamic version from the
/// Cargo workspace it inherits from, a Poetry package's static version, a
/// hatch-vcs package's tag. The file sources go into version-files, so
/// `wfgen validate` on init's spec warns of no unchecked source.
#[test]
fn version_sources_of_maturin_poetry_and_hatch_vcs_packages() {
    let repo = TempRepo::new();
    repo.write(
        "Cargo.toml",
        "[workspace]\nresolver = \"2\"\nmembers = [\"py-fast\"]\n\n[workspace.package]\nversion = \"2.1.0\"\n",
    );
    repo.write(
        "py-fast/Cargo.toml",
        "[package]\nname = \"fast\"\nversion.workspace = true\n\n[lib]\ncrate-type = [\"cdylib\"]\n\n[dependencies]\npyo3 = { version = \"0.22\", features = [\"abi3-py39\"] }\n",
    );
    repo.write(
        "py-fast/pyproject.toml",
        "[project]\nname = \"fast\"\ndynamic = [\"version\"]\nrequires-python = \">=3.9\"\n\n[build-system]\nrequires = [\"maturin>=1.5,<2\"]\nbuild-backend = \"maturin\"\n",
    );
    repo.write(
        "py-poetry/pyproject.toml",
        "[tool.poetry]\nname = \"poet\"\nversion = \"2.1.0\"\ndescription = \"\"\nauthors = []\n\n[build-system]\nrequires = [\"poetry-core>=1\"]\nbuild-backend = \"poetry.core.masonry.api\"\n",
    );
    repo.write(
        "py-vcs/pyproject.toml",
        "[project]\nname = \"vcs\"\ndynamic = [\"version\"]\n\n[build-system]\nrequires = [\"hatchling\", \"hatch-vcs\"]\nbuild-backend = \"hatchling.build\"\n\n[tool.hatch.version]\nsource = \"vcs\"\n",
    );
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "init"]);
    let (text, spec) = init(&repo);
    assert_eq!(
        spec.versioning.version_files,
        ["Cargo.toml", "py-poetry/pyproject.toml"],
        "{text}"
    );
    for line in [
        "    - Cargo.toml  # [workspace.package] version 2.1.0\n",
        "    - py-poetry/pyproject.toml  # [tool.poetry] version 2.1.0\n",
        "  # where the version of each published package comes from:\n",
        "  # - python fast: Cargo.toml [workspace.package] version (py-fast/pyproject.toml declares the version dynamic)\n",
        "  # - python poet: py-poetry/pyproject.toml [tool.poetry] version\n",
        "  # - python vcs: the tag (hatch-vcs): the wheel gets the tag's version, nothing to check\n",
    ] {
        assert!(text.contains(line), "no {line:?} in:\n{text}");
    }
    let names: Vec<&str> = spec.python.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["fast", "poet", "vcs"]);
    let validate = |repo: &TempRepo| {
        let out = wfgen().current_dir(repo.path()).arg("validate").output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let stderr = validate(&repo);
    assert!(!stderr.contains("warning"), "{stderr}");
    // Without Cargo.toml in version-files, validate warns of the maturin
    // package's source: the check above is not vacuous.
    repo.write(
        "wfgen.yaml",
        &text.replace("    - Cargo.toml  # [workspace.package] version 2.1.0\n", ""),
    );
    let stderr = validate(&repo);
    assert!(
        stderr.contains("warning: the version of fast comes from `[workspace.package] version` of `Cargo.toml`"),
        "{stderr}"
    );
    assert!(!stderr.contains("of poet") && !stderr.contains("of vcs"), "{stderr}");
}
