//! A table of bad specs: each is refused by `wfgen generate` with exit 3,
//! `wfgen.yaml:LINE:COL:` at the offending place, a help, no panic, and
//! nothing written (no `.github` appears in the scratch repository).

mod common;

const BASE: &str = "wfgen: 1\nproject:\n  name: demo\n";

fn base(more: &str) -> Vec<u8> {
    format!("{BASE}{more}").into_bytes()
}

/// (case, spec bytes, the position `LINE:COL` that must be reported, a word
/// of the message).
fn cases() -> Vec<(&'static str, Vec<u8>, String, &'static str)> {
    let s = |t: &str| t.as_bytes().to_vec();
    let p = |l: usize, c: usize| format!("{l}:{c}");
    vec![
        (
            "build metadata with pep440",
            base("versioning: { scheme: pep440, build-metadata: allow }\n"),
            p(4, 47),
            "is for semver tags",
        ),
        (
            "build metadata with a PyPI upload",
            base("versioning: { build-metadata: allow }\npython:\n  - { name: demo, path: ., build: pure }\n"),
            p(4, 31),
            "published to PyPI",
        ),
        (
            "a semver prerelease-format with a leading dash",
            base("versioning: { prerelease-format: \"-{label}{n}\" }\n"),
            p(4, 34),
            "cannot spell a pre-release tag",
        ),
        (
            "a prerelease-format with canonical PEP 440 tags",
            base("versioning: { scheme: pep440, pep440-spelling: canonical, prerelease-format: \".{label}{n}\" }\n"),
            p(4, 78),
            "pep440-spelling: canonical",
        ),
        (
            "a cut branch that is no branch name",
            base("triggers:\n  cut: { branch: \"main..x\" }\n"),
            p(5, 18),
            "not a branch name",
        ),
        (
            "a cut without dispatch",
            base("triggers:\n  dispatch: false\n  cut: {}\n"),
            p(6, 8),
            "dispatch: false",
        ),
        (
            "a setup action without a pin",
            base("setup:\n  - { uses: acme/setup-thing }\n"),
            p(5, 13),
            "has no pin",
        ),
        (
            "an expression in env",
            base("env:\n  TOKEN: \"${{ secrets.NPM_TOKEN }}\"\n"),
            p(5, 10),
            "expression",
        ),
        (
            "an env value with an image placeholder",
            base("env:\n  BUILD: \"{version}-{arch}\"\n"),
            p(5, 21),
            "cannot be used here",
        ),
        (
            "an env name GitHub owns",
            base("binaries:\n  - name: demo\n    kind: go\n    targets: [linux/amd64]\n    env: { GITHUB_TOKEN: x }\n"),
            p(8, 12),
            "not an environment variable name",
        ),
        (
            "toolchains.rust latest",
            base("toolchains:\n  rust: latest\n"),
            p(5, 9),
            "not a pinned",
        ),
        (
            "toolchains.go of a minor line",
            base("toolchains:\n  go: \"1.24\"\n"),
            p(5, 7),
            "not a go version",
        ),
        (
            "a gate with run and uses",
            base("gates:\n  - { name: e2e, run: make e2e, uses: ./.github/workflows/e2e.yml }\n"),
            p(5, 5),
            "either",
        ),
        (
            "a gate calling another repository's workflow",
            base("gates:\n  - { name: e2e, uses: acme/ci/.github/workflows/e2e.yml@main }\n"),
            p(5, 24),
            "not a reusable workflow",
        ),
        (
            "a gate calling a workflow, with setup",
            base("gates:\n  - { name: e2e, uses: ./.github/workflows/e2e.yml, setup: [{ run: make }] }\n"),
            p(5, 53),
            "does nothing",
        ),
        (
            "actions/setup-node with its cache",
            base("setup:\n  - { uses: actions/setup-node, with: { node-version: \"22\" } }\n"),
            p(5, 13),
            "restores a cache",
        ),
        (
            "a step with run and uses",
            base("setup:\n  - { run: make, uses: actions/setup-node }\n"),
            p(5, 5),
            "either",
        ),
        (
            "a step secret GitHub owns",
            base("release:\n  setup: [{ run: make notices, secrets: [GITHUB_TOKEN] }]\n"),
            p(5, 42),
            "not a secret you can pass",
        ),
        (
            "a step for an unknown system",
            base("setup:\n  - { run: make, os: [freebsd] }\n"),
            p(5, 23),
            "unknown value",
        ),
        (
            "a shell on an action step",
            base("setup:\n  - { uses: actions/setup-python, shell: bash }\n"),
            p(5, 35),
            "for `run` steps",
        ),
        (
            "triggers.pull-request of an unknown mode",
            base("triggers:\n  pull-request: always\n"),
            p(5, 17),
            "unknown value",
        ),
        (
            "pull-request: build and a gate named like a binary job of pull-request.yml",
            base(
                "triggers:\n  pull-request: build\ngates:\n  - { name: bin-check, run: make check }\nbinaries:\n  - { name: demo, kind: go, package: ./cmd/demo, targets: [linux/amd64] }\n",
            ),
            p(7, 13),
            "starts like a job of pull-request.yml (bin-*)",
        ),
        (
            "pull-request: build and a gate named like a wheel job of pull-request.yml",
            base("triggers:\n  pull-request: build\ngates:\n  - { name: wheels-check, run: make check }\n"),
            p(7, 13),
            "starts like a job of pull-request.yml (wheels-*)",
        ),
        (
            "pull-request: build and a gate named like a chart job of pull-request.yml",
            base("triggers:\n  pull-request: build\ngates:\n  - { name: chart-lint, run: make lint }\n"),
            p(7, 13),
            "starts like a job of pull-request.yml",
        ),
        (
            "a gate named like the job of release.setup",
            base("gates:\n  - { name: release-assets, run: make check }\nrelease:\n  setup: [{ run: make notes }]\n"),
            p(5, 13),
            "is a job of release.yml",
        ),
        (
            "a gate named like a job of release.yml but for its case",
            base("gates:\n  - { name: Plan, run: make check }\n"),
            p(5, 13),
            "ignoring case",
        ),
        (
            "two Python distributions that are one PyPI project",
            base("python:\n  - { name: demo.py, build: pure }\n  - { name: Demo_Py, build: pure }\n"),
            p(6, 13),
            "for PyPI",
        ),
        (
            "a Python package whose default workflow is a job of release.yml",
            base("python:\n  - { name: assets, build: pure }\n"),
            p(5, 13),
            "release-assets",
        ),
        (
            "a Python workflow named like pull-request.yml",
            base("python:\n  - { name: demo, workflow: pull-request }\n"),
            p(5, 29),
            "taken",
        ),
        (
            "release.title with an unknown placeholder",
            base("release:\n  title: \"{tag} {varsion}\"\n"),
            p(5, 17),
            "unknown placeholder",
        ),
        (
            "release.title with an image placeholder",
            base("release:\n  title: \"{version} {arch}\"\n"),
            p(5, 21),
            "cannot be used here",
        ),
        (
            "release.checksums-file with a directory",
            base("release:\n  checksums-file: dist/SHA256SUMS\n"),
            p(5, 19),
            "not a file name",
        ),
        (
            "release.checksums-file with {tag} and a tag prefix with /",
            base("versioning:\n  tag-prefix: release/\nrelease:\n  checksums-file: \"sums-{tag}.txt\"\n"),
            p(7, 25),
            "would put a `/`",
        ),
        (
            "release.assets with an absolute path",
            base("release:\n  assets: [LICENSE, /etc/passwd]\n"),
            p(5, 21),
            "not a path in the repository",
        ),
        (
            "release.assets out of the repository",
            base("release:\n  assets:\n    - docs/*.md\n    - ../secrets/*\n"),
            p(7, 7),
            "not a path in the repository",
        ),
        (
            "release.notes changelog: without a path",
            base("release:\n  notes: \"changelog:\"\n"),
            p(5, 10),
            "names no changelog",
        ),
        (
            "release.notes changelog: with an absolute path",
            base("release:\n  notes: changelog:/CHANGELOG.md\n"),
            p(5, 10),
            "not a path in the repository",
        ),
        // The robustness cases of the issue, with exactly its inputs.
        (
            "254 nested block sequences",
            format!("{}x\n", "- ".repeat(254)).into_bytes(),
            p(1, 129),
            "nested",
        ),
        (
            "deep flow nesting, 10,000 levels",
            base(&format!("x: {}{}\n", "[".repeat(10_000), "]".repeat(10_000))),
            p(4, 67),
            "nested",
        ),
        (
            "deep flow nesting, 200 KB",
            base(&format!("x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000))),
            p(4, 67),
            "nested",
        ),
        (
            "deep flow mappings",
            base(&format!("x: {}1{}\n", "{a: ".repeat(2_000), "}".repeat(2_000))),
            p(4, 256),
            "nested",
        ),
        (
            "deep block mappings",
            (0..100)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect::<String>()
                .into_bytes(),
            p(65, 65),
            "nested",
        ),
        (
            "too large",
            "a: b\n".repeat(110_000).into_bytes(),
            p(104_858, 4),
            "bytes",
        ),
        (
            "a NUL byte",
            s("wfgen: 1\nproject:\n  name: \"de\0mo\"\n"),
            p(3, 12),
            "control character",
        ),
        (
            "a BEL byte",
            s("wfgen: 1\nproject:\n  name: de\x07mo\n"),
            p(3, 11),
            "control character",
        ),
        (
            "not UTF-8",
            b"wfgen: 1\nproject:\n  name: d\xffmo\n".to_vec(),
            p(3, 10),
            "UTF-8",
        ),
        ("an alias bomb", alias_bomb(), p(3, 10), "alias"),
        (
            "a leading BOM, an unknown key",
            s("\u{feff}wfgen: 1\nproject:\n  name: demo\n  bogus: 1\n"),
            p(4, 3),
            "bogus",
        ),
        (
            "U+FEFF in a value, an unknown key after it",
            s("wfgen: 1\nproject:\n  name: \"\u{feff}demo\"\n  bogus: 1\n"),
            p(4, 3),
            "bogus",
        ),
        (
            "U+FEFF in a gate, an unknown value after it",
            base(
                "gates:\n  - { name: t, run: \"\u{feff}make test\" }\nbinaries:\n  - { name: x, kind: cpp, targets: [linux/amd64] }\n",
            ),
            p(7, 22),
            "cpp",
        ),
        (
            "an error after a line of 40,000 columns",
            base(&format!(
                "gates:\n  - {{ name: t, run: \"{}\", bogus: 1 }}\n",
                "a".repeat(40_000)
            )),
            p(5, 40_025),
            "bogus",
        ),
        (
            "an error on the line after a line of 40,000 columns",
            base(&format!(
                "gates:\n  - name: t\n    run: \"{}\"\n    bogus: 1\n",
                "a".repeat(40_000)
            )),
            p(7, 5),
            "bogus",
        ),
        (
            "an error after a script line of 40,000 columns",
            base(&format!(
                "gates:\n  - name: t\n    run: |\n      {}\n      b\n    bogus: 1\n",
                "a".repeat(40_000)
            )),
            p(9, 5),
            "bogus",
        ),
        // Broken YAML.
        (
            "a tab as indentation",
            s("wfgen: 1\nproject:\n\tname: demo\n"),
            p(3, 1),
            "character",
        ),
        (
            "an unclosed flow sequence",
            s("wfgen: 1\nproject: [\n"),
            p(3, 1),
            "YAML",
        ),
        (
            "an unclosed quote",
            s("wfgen: 1\nproject:\n  name: \"demo\n"),
            p(4, 1),
            "end of stream",
        ),
        (
            "a duplicate key",
            s("wfgen: 1\nwfgen: 1\nproject: {name: d}\n"),
            p(1, 1),
            "duplicate",
        ),
        ("a bad indentation", base("   bad: x\n"), p(4, 7), "mapping"),
        ("an unknown alias", base("x: *nope\n"), p(4, 4), "anchor"),
        ("a key that is a list", base("[a]: b\n"), p(1, 1), "key"),
        (
            "two documents",
            s("wfgen: 1\n---\nproject: {name: d}\n"),
            p(2, 1),
            "document",
        ),
        // Wrong types.
        (
            "wfgen is a word",
            s("wfgen: one\nproject: {name: d}\n"),
            p(1, 8),
            "wfgen",
        ),
        ("project is a list", s("wfgen: 1\nproject: [a]\n"), p(2, 10), "project"),
        (
            "name is a mapping",
            s("wfgen: 1\nproject:\n  name: {a: b}\n"),
            p(3, 9),
            "name",
        ),
        (
            "targets is a string",
            base("binaries:\n  - { name: x, kind: go, targets: linux/amd64 }\n"),
            p(5, 35),
            "list",
        ),
        (
            "python versions unquoted",
            base("python:\n  - name: x\n    python: [3.10]\n"),
            p(6, 14),
            "quote",
        ),
        ("gates is a mapping", base("gates: {a: b}\n"), p(4, 8), "gates"),
        (
            "checksums is a word",
            base("release:\n  checksums: maybe\n"),
            p(5, 14),
            "checksums",
        ),
        // Unknown keys at every level.
        ("unknown top-level key", base("bogus: 1\n"), p(4, 1), "bogus"),
        ("unknown key in project", base("  repo: a/b\n"), p(4, 3), "repository"),
        (
            "unknown key in versioning",
            base("versioning:\n  tag_prefix: v\n"),
            p(5, 3),
            "tag-prefix",
        ),
        (
            "unknown key in a gate",
            base("gates:\n  - { name: t, run: x, timeout: 5 }\n"),
            p(5, 24),
            "timeout",
        ),
        (
            "unknown key in a binary",
            base("binaries:\n  - { name: x, kind: go, targets: [linux/amd64], pkg: . }\n"),
            p(5, 50),
            "pkg",
        ),
        (
            "unknown key in an image",
            base("docker:\n  - { image: ghcr.io/a/b, tag: [x] }\n"),
            p(5, 27),
            "tag",
        ),
        (
            "unknown key in release",
            base("release:\n  checksum: true\n"),
            p(5, 3),
            "checksums",
        ),
        (
            "unknown key in notify",
            base("release:\n  notify: { slack: X }\n"),
            p(5, 13),
            "slack",
        ),
        // Missing keys.
        ("missing wfgen", s("project: {name: d}\n"), p(1, 1), "wfgen"),
        ("missing project", s("wfgen: 1\n"), p(1, 1), "project"),
        (
            "missing project.name",
            s("wfgen: 1\nproject: {repository: a/b}\n"),
            p(2, 1),
            "name",
        ),
        // Bad names and values.
        (
            "an unknown binary kind",
            base("binaries:\n  - { name: x, kind: cpp, targets: [linux/amd64] }\n"),
            p(5, 22),
            "cpp",
        ),
        (
            "an unknown target",
            base("binaries:\n  - { name: x, kind: go, targets: [linux/amd65] }\n"),
            p(5, 36),
            "linux/amd65",
        ),
        (
            "a project name with spaces",
            s("wfgen: 1\nproject:\n  name: my demo\n"),
            p(3, 9),
            "name",
        ),
        (
            "an image name with upper case",
            base("docker:\n  - { image: ghcr.io/A/B }\n"),
            p(5, 14),
            "image",
        ),
        (
            "an unsupported format version",
            s("wfgen: 2\nproject: {name: d}\n"),
            p(1, 8),
            "2",
        ),
        // Registries: credentials per host.
        (
            "a mirror on a host without credentials",
            base(
                "docker:\n  - image: ghcr.io/a/b\n    mirrors: [docker.io/a/b, quay.io/a/b]\nregistries:\n  docker.io: { username-secret: U, password-secret: P }\n",
            ),
            p(6, 30),
            "quay.io",
        ),
        (
            "a registries entry no image or chart uses",
            base(
                "docker:\n  - image: quay.io/a/b\nregistries:\n  quay.io: { username-secret: U, password-secret: P }\n  index.docker.io: { username-secret: U, password-secret: P }\n",
            ),
            p(8, 3),
            "no image or chart",
        ),
        (
            "a registries host with a scheme",
            base("registries:\n  \"https://quay.io\": { username-secret: U, password-secret: P }\n"),
            p(5, 3),
            "registry host",
        ),
        (
            "a chart on a registry without credentials",
            base("helm:\n  - { chart: deploy/chart, registry: \"oci://registry.example.com/charts\" }\n"),
            p(5, 38),
            "registry.example.com",
        ),
        (
            "a registry secret under GITHUB_",
            base(
                "docker:\n  - image: quay.io/a/b\nregistries:\n  quay.io: { username-secret: GITHUB_USER, password-secret: P }\n",
            ),
            p(7, 31),
            "GITHUB_",
        ),
        (
            "a chart version that is not SemVer 2",
            base(
                "helm:\n  - { chart: deploy/chart, registry: \"oci://ghcr.io/a/charts\", version: \"{major}.{minor}\" }\n",
            ),
            p(5, 73),
            "SemVer 2",
        ),
        (
            "a label name with a space",
            base("docker:\n  - image: ghcr.io/a/b\n    labels: { \"my label\": x }\n"),
            p(6, 15),
            "label name",
        ),
        (
            "a Dockerfile stage with a space",
            base("docker:\n  - image: ghcr.io/a/b\n    target: \"run time\"\n"),
            p(6, 13),
            "stage",
        ),
        (
            "an unknown platform of a variant",
            base(
                "docker:\n  - image: ghcr.io/a/b\n    tags: ['{variant}-{version}']\n    variants:\n      slim: { platforms: [linux/amd65] }\n",
            ),
            p(8, 27),
            "linux/amd65",
        ),
        // Images from the release's binaries.
        (
            "an image binary the spec does not build",
            base("docker:\n  - image: ghcr.io/a/b\n    binaries: [{ name: server, build-arg: SERVER_BIN }]\n"),
            p(6, 24),
            "not a binary",
        ),
        (
            "an image platform without a Linux target of the binary",
            base(
                "binaries:\n  - { name: s, kind: rust, targets: [x86_64-unknown-linux-gnu] }\ndocker:\n  - image: ghcr.io/a/b\n    platforms: [linux/amd64, linux/arm64]\n    binaries: [{ name: s, build-arg: S_BIN }]\n",
            ),
            p(9, 24),
            "aarch64-unknown-linux-gnu",
        ),
        (
            "gnu and musl legs and no libc",
            base(
                "binaries:\n  - { name: s, kind: rust, targets: [x86_64-unknown-linux-gnu, x86_64-unknown-linux-musl] }\ndocker:\n  - image: ghcr.io/a/b\n    binaries: [{ name: s, build-arg: S_BIN }]\n",
            ),
            p(8, 24),
            "libc",
        ),
        // Build keys of binaries.
        (
            "a Go key on a Rust binary",
            base("binaries:\n  - { name: s, kind: rust, ldflags: '-s', targets: [x86_64-unknown-linux-gnu] }\n"),
            p(5, 28),
            "does nothing",
        ),
        (
            "a cargo argument wfgen sets",
            base(
                "binaries:\n  - { name: s, kind: rust, cargo-args: [--locked, --release], targets: [x86_64-unknown-linux-gnu] }\n",
            ),
            p(5, 51),
            "sets",
        ),
        (
            "an unknown placeholder in ldflags",
            base("binaries:\n  - { name: s, kind: go, ldflags: '-X main.v={tag}', targets: [linux/amd64] }\n"),
            p(5, 46),
            "ldflags",
        ),
        (
            "an include outside the repository",
            base(
                "binaries:\n  - { name: s, kind: rust, include: [../secrets.txt], targets: [x86_64-unknown-linux-gnu] }\n",
            ),
            p(5, 38),
            "inside the repository",
        ),
        (
            "an include directory given as a glob",
            base(
                "binaries:\n  - { name: s, kind: rust, include: [{ from: ui/*, to: ui }], targets: [x86_64-unknown-linux-gnu] }\n",
            ),
            p(5, 46),
            "names one directory",
        ),
        (
            "a PyPI token secret under GITHUB_",
            base("python:\n  - { name: pkg, build: pure, token-secret: GITHUB_TOKEN }\n"),
            p(5, 45),
            "GITHUB_",
        ),
        // Legs of targets and asset names.
        (
            "a container on a macOS target",
            base(
                "binaries:\n  - name: s\n    kind: rust\n    targets:\n      - { target: aarch64-apple-darwin, container: \"rockylinux:9\" }\n",
            ),
            p(8, 41),
            "not a Linux target",
        ),
        (
            "a container on a Go target",
            base(
                "binaries:\n  - name: s\n    kind: go\n    targets: [{ target: linux/amd64, container: \"alpine:3\" }]\n",
            ),
            p(7, 38),
            "Rust targets",
        ),
        (
            "a glibc floor on a musl target",
            base(
                "binaries:\n  - name: s\n    kind: rust\n    targets: [{ target: x86_64-unknown-linux-musl, glibc: \"2.17\" }]\n",
            ),
            p(7, 52),
            "does not link glibc",
        ),
        (
            "a glibc floor on a Windows target",
            base(
                "binaries:\n  - name: s\n    kind: rust\n    targets: [{ target: x86_64-pc-windows-msvc, glibc: \"2.17\" }]\n",
            ),
            p(7, 49),
            "does not link glibc",
        ),
        (
            "a glibc floor in a container",
            base(
                "binaries:\n  - name: s\n    kind: rust\n    targets: [{ target: x86_64-unknown-linux-gnu, container: \"rockylinux:9\", glibc: \"2.17\" }]\n",
            ),
            p(7, 78),
            "either `container` or `glibc`",
        ),
        (
            "two legs of one target without suffixes",
            base(
                "binaries:\n  - name: s\n    kind: rust\n    targets:\n      - x86_64-unknown-linux-gnu\n      - { target: x86_64-unknown-linux-gnu, container: \"rockylinux:9\" }\n",
            ),
            p(9, 19),
            "distinct suffixes",
        ),
        (
            "two legs of one target with one suffix",
            base(
                "binaries:\n  - name: s\n    kind: rust\n    targets:\n      - { target: x86_64-unknown-linux-gnu, suffix: -el }\n      - { target: x86_64-unknown-linux-gnu, container: \"rockylinux:9\", suffix: -el }\n",
            ),
            p(9, 80),
            "distinct suffixes",
        ),
        (
            "two binaries with one asset name",
            base(
                "binaries:\n  - { name: a, kind: go, asset: \"tool_{os}_{arch}\", targets: [linux/amd64] }\n  - { name: b, kind: go, asset: \"tool_{os}_{arch}\", targets: [linux/amd64] }\n",
            ),
            p(6, 33),
            "would be named",
        ),
        (
            "an asset name without the target",
            base(
                "binaries:\n  - { name: a, kind: rust, asset: \"{name}-{version}\", targets: [x86_64-unknown-linux-gnu, aarch64-apple-darwin] }\n",
            ),
            p(5, 35),
            "would be named",
        ),
        (
            "an unknown placeholder in an asset name",
            base(
                "binaries:\n  - { name: a, kind: go, asset: \"{name}_{versoin}_{os}_{arch}\", targets: [linux/amd64] }\n",
            ),
            p(5, 41),
            "unknown placeholder",
        ),
        (
            "a directory in an asset name",
            base("binaries:\n  - { name: a, kind: go, asset: \"dist/{name}-{target}\", targets: [linux/amd64] }\n"),
            p(5, 33),
            "base name of a file",
        ),
        (
            "an include outside the repository beside legs",
            base(
                "binaries:\n  - { name: s, kind: rust, include: [/etc/passwd], targets: [{ target: x86_64-unknown-linux-gnu, suffix: -a }] }\n",
            ),
            p(5, 38),
            "inside the repository",
        ),
        (
            "a suffix with a slash",
            base(
                "binaries:\n  - { name: s, kind: rust, targets: [{ target: x86_64-unknown-linux-gnu, suffix: /x }] }\n",
            ),
            p(5, 82),
            "suffix",
        ),
        (
            "docker binaries of a suffix no leg has",
            base(
                "binaries:\n  - { name: s, kind: rust, targets: [x86_64-unknown-linux-gnu] }\ndocker:\n  - image: ghcr.io/a/b\n    binaries: [{ name: s, build-arg: S_BIN, suffix: -rocky }]\n",
            ),
            p(8, 24),
            "suffix `-rocky`",
        ),
        // The Python build keys: maturin's on a pure package, a pure
        // package's on a maturin one, values maturin-action does not take,
        // arguments wfgen passes itself.
        (
            "manylinux on a pure package",
            base("python:\n  - { name: pkg, build: pure, manylinux: \"2_28\" }\n"),
            p(5, 31),
            "does not apply to a pure Python package",
        ),
        (
            "maturin-args on a pure package",
            base("python:\n  - { name: pkg, build: pure, maturin-args: [--locked] }\n"),
            p(5, 31),
            "does not apply to a pure Python package",
        ),
        (
            "before-script-linux on a pure package",
            base("python:\n  - { name: pkg, build: pure, before-script-linux: make deps }\n"),
            p(5, 31),
            "does not apply to a pure Python package",
        ),
        (
            "bindings on a pure package",
            base("python:\n  - { name: pkg, build: pure, bindings: bin }\n"),
            p(5, 31),
            "does not apply to a pure Python package",
        ),
        (
            "builder on a maturin package",
            base("python:\n  - { name: pkg, builder: poetry }\n"),
            p(5, 18),
            "is for pure packages",
        ),
        (
            "manylinux with maturin's platform tag spelling",
            base("python:\n  - { name: pkg, manylinux: manylinux_2_28 }\n"),
            p(5, 29),
            "unknown value",
        ),
        (
            "manylinux of a deprecated image",
            base("python:\n  - { name: pkg, manylinux: \"2_24\" }\n"),
            p(5, 29),
            "unknown value",
        ),
        (
            "manylinux off for PyPI",
            base("python:\n  - { name: pkg, manylinux: \"off\" }\n"),
            p(5, 29),
            "PyPI refuses",
        ),
        (
            "a musllinux policy without musllinux platforms",
            base("python:\n  - { name: pkg, platforms: [linux-x86_64], manylinux: musllinux_1_2 }\n"),
            p(5, 56),
            "builds none",
        ),
        (
            "maturin-args with --out",
            base("python:\n  - { name: pkg, maturin-args: [--locked, --out, wheels] }\n"),
            p(5, 43),
            "cannot set `--out`",
        ),
        (
            "maturin-args with --target=",
            base("python:\n  - { name: pkg, maturin-args: [--target=aarch64-unknown-linux-gnu] }\n"),
            p(5, 33),
            "cannot set `--target`",
        ),
        (
            "maturin-args with -i",
            base("python:\n  - { name: pkg, maturin-args: [-i, python3.12] }\n"),
            p(5, 33),
            "cannot set `--interpreter`",
        ),
        (
            "maturin-args with --release",
            base("python:\n  - { name: pkg, maturin-args: [--release] }\n"),
            p(5, 33),
            "cannot set `--release`",
        ),
        (
            "maturin-args with a command substitution",
            base("python:\n  - { name: pkg, maturin-args: ['$(curl evil)'] }\n"),
            p(5, 33),
            "not one argument",
        ),
        (
            "bindings bin with a python list",
            base("python:\n  - { name: pkg, bindings: bin, python: [\"3.12\"] }\n"),
            p(5, 33),
            "serves every Python version",
        ),
        (
            "before-script-linux without a Linux wheel",
            base(
                "python:\n  - { name: pkg, platforms: [macos-aarch64], before-script-linux: dnf install -y protobuf-compiler }\n",
            ),
            p(5, 46),
            "Linux builds only",
        ),
        // `${{` in values.
        (
            "${{ in maturin-args",
            base("python:\n  - { name: pkg, maturin-args: ['--config ${{ github.ref }}'] }\n"),
            p(5, 33),
            "${{",
        ),
        (
            "${{ in before-script-linux",
            base("python:\n  - name: pkg\n    before-script-linux: |\n      yum install -y ${{ github.head_ref }}\n"),
            p(6, 26),
            "${{",
        ),
        (
            "${{ in a gate",
            base("gates:\n  - { name: t, run: 'echo ${{ github.token }}' }\n"),
            p(5, 21),
            "${{",
        ),
        (
            "${{ in the project name",
            s("wfgen: 1\nproject:\n  name: \"${{ github.actor }}\"\n"),
            p(3, 9),
            "${{",
        ),
        (
            "${{ in the tag prefix",
            base("versioning:\n  tag-prefix: \"${{ x }}\"\n"),
            p(5, 15),
            "${{",
        ),
    ]
}

fn alias_bomb() -> Vec<u8> {
    let mut lines = vec!["wfgen: 1".to_string(), "a0: &a0 [x,x,x,x,x,x,x,x,x]".to_string()];
    for i in 1..10 {
        lines.push(format!("a{i}: &a{i} [{}]", vec![format!("*a{}", i - 1); 9].join(",")));
    }
    lines.push("project:\n  name: demo".into());
    (lines.join("\n") + "\n").into_bytes()
}

#[test]
fn every_bad_spec_is_refused_at_its_place_with_a_help_and_nothing_written() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for (name, spec, at, word) in &cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("wfgen.yaml"), spec).unwrap();
        let out = common::wfgen()
            .current_dir(dir.path())
            .arg("generate")
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let mut problems = Vec::new();
        if out.status.code() != Some(3) {
            problems.push(format!("exit {:?}, want 3", out.status.code()));
        }
        if !stderr.contains(&format!("wfgen.yaml:{at}:")) {
            problems.push(format!("no `wfgen.yaml:{at}:`"));
        }
        if !stderr.contains("help:") {
            problems.push("no help".into());
        }
        if !stderr.to_lowercase().contains(&word.to_lowercase()) {
            problems.push(format!("no {word:?} in the message"));
        }
        if stderr.contains("panicked") {
            problems.push("a panic".into());
        }
        if dir.path().join(".github").exists() {
            problems.push(".github was written".into());
        }
        if !problems.is_empty() {
            let head: String = stderr
                .lines()
                .filter(|l| l.contains("wfgen.yaml"))
                .take(4)
                .map(|l| {
                    let l: String = l.chars().take(160).collect();
                    format!("\n    {l}")
                })
                .collect();
            failures.push(format!("{name}: {}{head}", problems.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The spec sections that make release.yml write each of its own jobs.
fn making(id: &str) -> &'static str {
    match id {
        "plan" => "",
        "build-assets" | "verify-identity" => "binaries:\n  - { name: demo, kind: go, targets: [linux/amd64] }\n",
        "docker-build" | "docker-publish" => "docker:\n  - { image: ghcr.io/acme/demo }\n",
        "helm-build" | "helm-publish" => "helm:\n  - { chart: deploy/demo, registry: 'oci://ghcr.io/acme/charts' }\n",
        "release-assets" => "release:\n  setup: [{ run: make notes }]\n",
        "github-release" => "release:\n  github-release: always\n",
        "notify" => "release:\n  notify: { slack-webhook-secret: SLACK_WEBHOOK_URL }\n",
        "publish-demo-py" => "python:\n  - { name: demo-py, build: pure }\n",
        other => panic!("no spec makes release.yml's job `{other}`: add one to `making`"),
    }
}

/// Validates `spec` and snapshots the report: exit 3, located, a help, no
/// panic; `generate` exits 3 and writes nothing.
fn refused(name: &str, spec: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wfgen.yaml"), spec).unwrap();
    let run = |args: &[&str]| {
        common::wfgen()
            .current_dir(dir.path())
            .args(args)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap()
    };
    let out = run(&["--color", "never", "validate"]);
    let report = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(3), "{name}: validate\n{report}");
    assert!(
        report.contains("wfgen.yaml:") && report.contains("help:") && !report.contains("panicked"),
        "{name}: {report}"
    );
    insta::with_settings!({
        snapshot_path => "snapshots",
        omit_expression => true,
        description => format!("wfgen --color never validate, with wfgen.yaml:\n{spec}"),
    }, {
        insta::assert_snapshot!(name, report);
    });
    let out = run(&["generate"]);
    assert_eq!(out.status.code(), Some(3), "{name}: generate");
    assert!(!dir.path().join(".github").exists(), "{name}: generate wrote files");
}

/// Each name of the spec that becomes a job id of release.yml (a gate, one
/// of `jobs:`, a Python workflow) is refused where it takes an id of
/// release.yml's own jobs, at the name, with a help that lists them: every
/// fixed id of `wfgen::jobids::RELEASE_JOBS` and `publish-*`, beside the
/// sections that make that job (generating the spec with another id shows
/// the job is there). Before, a gate named `release-assets` beside
/// `release.setup` passed validation and `generate` panicked.
#[test]
fn a_name_that_takes_an_id_of_release_yml_is_refused_at_its_place() {
    let ids = wfgen::jobids::RELEASE_JOBS
        .iter()
        .map(|s| s.to_string())
        .chain(std::iter::once(wfgen::jobids::pypi_publish("demo-py")));
    for id in ids {
        let job = |id: &str| format!("jobs:\n  - {{ id: {id}, stage: verify, steps: [{{ run: make smoke }}] }}\n");
        // The job is there when nothing collides.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("wfgen.yaml"),
            format!("{BASE}{}{}", making(&id), job("smoke")),
        )
        .unwrap();
        let out = common::wfgen()
            .current_dir(dir.path())
            .arg("generate")
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let release = std::fs::read_to_string(dir.path().join(".github/workflows/release.yml")).unwrap();
        assert!(
            release.contains(&format!("\n  {id}:\n")),
            "release.yml has no job `{id}`"
        );
        refused(
            &format!("reserved_job_id_{}", id.replace('-', "_")),
            &format!("{BASE}{}{}", making(&id), job(&id)),
        );
    }
    refused(
        "reserved_gate_release_assets",
        &format!(
            "{BASE}gates:\n  - {{ name: release-assets, run: make check }}\nrelease:\n  setup: [{{ run: make notes }}]\n"
        ),
    );
    refused(
        "reserved_ids_ignore_case",
        &format!(
            "{BASE}gates:\n  - {{ name: Plan, run: make check }}\n  - {{ name: lint, run: make lint }}\n  - {{ name: LINT, run: make lint }}\njobs:\n  - {{ id: Publish-Demo-Py, stage: verify, steps: [{{ run: make smoke }}] }}\npython:\n  - {{ name: demo-py, build: pure }}\n"
        ),
    );
    refused(
        "reserved_python_names",
        &format!(
            "{BASE}python:\n  - {{ name: assets, build: pure }}\n  - {{ name: demo.py, build: pure }}\n  - {{ name: Demo_Py, build: pure }}\n  - {{ name: x, workflow: Python, build: pure }}\n  - {{ name: y, workflow: python, build: pure }}\nrelease:\n  setup: [{{ run: make notes }}]\n"
        ),
    );
}
