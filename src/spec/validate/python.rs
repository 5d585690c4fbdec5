//! `python:`: distribution and workflow names, the keys of a pure or a
//! maturin build, the upload's token and environment.

use super::*;

pub(super) fn check(spec: &Spec, c: &mut Problems) {
    for (i, py) in spec.python.iter().enumerate() {
        package(spec, c, &ypath!["python", i], py);
    }
    distinct_names(spec, c);
}

fn package(spec: &Spec, c: &mut Problems, p: &YPath, py: &PythonPackage) {
    c.name(
        p.key("name"),
        &py.name,
        r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$",
        "Python distribution name",
        "PEP 508 names use letters, digits, `.`, `_` and `-`",
    );
    workflow(spec, c, p, py);
    if !inside_repository(&py.path) {
        c.err(
            p.key("path"),
            Part::Value,
            format!("`{}` is not a relative path inside the repository", py.path),
            "the directory holding pyproject.toml, from the repository root".into(),
        );
    }
    match py.build {
        PythonBuild::Pure => pure_keys(c, p, py),
        PythonBuild::Maturin => maturin(c, p, py),
    }
    if let Some(t) = &py.token_secret {
        token_secret(c, p, py, t);
    }
    if py.environment.trim().is_empty() {
        c.err(
            p.key("environment"),
            Part::Value,
            "the publish environment name is empty".into(),
            "name the GitHub environment of the publish job, e.g. `pypi`".into(),
        );
    }
}

/// The package's workflow: its name (`workflow`, else made from the
/// distribution's) is also the id of the job of release.yml that calls it.
fn workflow(spec: &Spec, c: &mut Problems, p: &YPath, py: &PythonPackage) {
    if let Some(w) = &py.workflow {
        c.name(
            p.key("workflow"),
            w,
            r"^[A-Za-z_][A-Za-z0-9_-]*$",
            "workflow name",
            "the file name without `.yml`, also a job id: letters, digits, `-` and `_`, starting with a letter",
        );
        // Compared ignoring case: a checkout on macOS or Windows has one
        // file for both.
        if ["release", "build-assets", "docker", "helm-publish", "pull-request"]
            .iter()
            .any(|f| f.eq_ignore_ascii_case(w))
        {
            c.err(
                p.key("workflow"),
                Part::Value,
                format!("workflow name `{w}` is taken by another wfgen workflow"),
                "pick another name, e.g. `release-server`".into(),
            );
        } else {
            c.reserved_job(
                p.key("workflow"),
                w,
                "workflow name",
                "the workflow's name is also the id of the job that calls it; pick another name",
            );
        }
    }
    let wf = py.workflow_name();
    if py.workflow.is_none() && jobids::release_job(&wf).is_some() {
        c.err(
            p.key("name"),
            Part::Value,
            format!("the workflow of `{}` is named `{wf}`, a job of release.yml", py.name),
            format!(
                "a Python workflow's name is also the id of the job that calls it: set `workflow` to another name, e.g. `{wf}-python`; release.yml uses {}",
                jobids::release_jobs_list()
            ),
        );
    }
    if spec.gates.iter().any(|g| jobids::same(&g.name, &wf)) {
        c.err(
            p.key(if py.workflow.is_some() { "workflow" } else { "name" }),
            Part::Value,
            format!("workflow `{wf}` has the name of a gate"),
            "release.yml calls each Python workflow as a job of that name: rename the gate or set `workflow`".into(),
        );
    }
}

/// The maturin keys on a pure package.
fn pure_keys(c: &mut Problems, p: &YPath, py: &PythonPackage) {
    for (key, set) in [
        ("platforms", !py.platforms.is_empty()),
        ("features", !py.features.is_empty()),
        ("python", !py.python.is_empty()),
        ("abi3", py.abi3),
        ("bindings", py.bindings.is_some()),
        ("manylinux", py.manylinux.is_some()),
        ("maturin-args", !py.maturin_args.is_empty()),
        ("before-script-linux", py.before_script_linux.is_some()),
    ] {
        if set {
            c.err(
                p.key(key),
                Part::Key,
                format!("`{key}` does not apply to a pure Python package"),
                "a pure package builds one `py3-none-any` wheel (with `builder`): remove this key, or set `build: maturin`"
                    .into(),
            );
        }
    }
}

/// A maturin package: no `builder`, its maturin keys, known platforms,
/// CPython versions or `abi3`.
fn maturin(c: &mut Problems, p: &YPath, py: &PythonPackage) {
    if py.builder.is_some() {
        c.err(
            p.key("builder"),
            Part::Key,
            "`builder` is for pure packages".into(),
            "maturin builds this package's wheels and sdist (its version is `toolchains.maturin`): remove `builder`, or set `build: pure`".into(),
        );
    }
    maturin_keys(c, p, py);
    for (j, pl) in py.platforms.iter().enumerate() {
        c.known(
            p.key("platforms").index(j),
            pl,
            names::PYTHON_PLATFORMS,
            "Python platform",
        );
    }
    c.unique(
        py.platforms
            .iter()
            .enumerate()
            .map(|(j, t)| (p.key("platforms").index(j), t.as_str())),
        "platform",
    );
    if py.abi3 && !py.python.is_empty() {
        c.err(
            p.key("abi3"),
            Part::Key,
            "`abi3: true` and a `python` list exclude each other".into(),
            "an abi3 wheel serves every Python version: remove `python`, or `abi3`".into(),
        );
    }
    for (j, ver) in py.python.iter().enumerate() {
        if !re(r"^3\.[0-9]{1,2}t?$").is_match(ver) {
            c.err(
                p.key("python").index(j),
                Part::Value,
                format!("`{ver}` is not a CPython version"),
                "write versions as quoted strings, e.g. \"3.12\"".into(),
            );
        }
    }
}

fn token_secret(c: &mut Problems, p: &YPath, py: &PythonPackage, t: &str) {
    c.name(
        p.key("token-secret"),
        t,
        SECRET,
        "secret name",
        "secret names use letters, digits and `_`, e.g. `PYPI_TOKEN`",
    );
    if t.to_ascii_uppercase().starts_with("GITHUB_") {
        c.err(
            p.key("token-secret"),
            Part::Value,
            format!("`{t}`: secret names cannot start with GITHUB_"),
            "GitHub reserves the GITHUB_ prefix; name it e.g. `PYPI_TOKEN`".into(),
        );
    }
    if py.publish == Publish::None {
        c.err(
            p.key("token-secret"),
            Part::Key,
            "a token for a package that is not published".into(),
            "remove `token-secret`, or set `publish`".into(),
        );
    }
}

/// Python distribution names, as PyPI tells them apart (PEP 503: lowercase,
/// every run of `-`, `_` and `.` one `-`): two names of one project would
/// give their jobs one id (`publish-*`, `wheels-*`, the default workflow).
/// And workflow names, which are job ids of release.yml: two that differ in
/// case only are one job for GitHub.
fn distinct_names(spec: &Spec, c: &mut Problems) {
    let normalized = |n: &str| -> String {
        let mut out = String::new();
        for ch in n.chars() {
            if matches!(ch, '-' | '_' | '.') {
                if !out.ends_with('-') {
                    out.push('-');
                }
            } else {
                out.push(ch.to_ascii_lowercase());
            }
        }
        out
    };
    let mut seen: Vec<(&str, String)> = Vec::new();
    for (i, py) in spec.python.iter().enumerate() {
        let n = normalized(&py.name);
        match seen.iter().find(|(_, s)| *s == n) {
            Some((first, _)) if *first == py.name => c.err(
                ypath!["python", i, "name"],
                Part::Value,
                format!("duplicate Python distribution `{}`", py.name),
                "each Python distribution may appear once".into(),
            ),
            Some((first, _)) => c.err(
                ypath!["python", i, "name"],
                Part::Value,
                format!("Python distribution `{}` is `{first}` for PyPI", py.name),
                format!(
                    "PyPI compares names lowercase, with every run of `-`, `_` and `.` as one `-` (both are `{n}`): list the distribution once"
                ),
            ),
            None => seen.push((&py.name, n)),
        }
    }
    let mut workflows: Vec<String> = Vec::new();
    for (i, py) in spec.python.iter().enumerate() {
        let wf = py.workflow_name();
        match workflows.iter().find(|w| jobids::same(w, &wf)) {
            Some(w) if *w != wf => c.err(
                ypath!["python", i, if py.workflow.is_some() { "workflow" } else { "name" }],
                Part::Value,
                format!("workflow `{wf}` differs from the workflow `{w}` in case only"),
                "each workflow's name is the id of the job that calls it, and GitHub compares job ids ignoring case: write the name as the other package does".into(),
            ),
            Some(_) => {}
            None => workflows.push(wf),
        }
    }
}

/// The maturin keys of a Python package: `manylinux` against its
/// platforms and upload, `bindings` against `python` and `abi3`,
/// `maturin-args` that wfgen passes itself, `before-script-linux`.
fn maturin_keys(c: &mut Problems, p: &YPath, py: &PythonPackage) {
    let platforms: Vec<&str> = if py.platforms.is_empty() {
        names::DEFAULT_PYTHON_PLATFORMS.to_vec()
    } else {
        py.platforms.iter().map(String::as_str).collect()
    };
    let linux = LinuxWheels {
        manylinux: platforms.iter().any(|pl| pl.starts_with("linux-")),
        musllinux: platforms.iter().any(|pl| pl.starts_with("musllinux-")),
    };
    if let Some(m) = py.manylinux {
        manylinux(c, p, py, m, &linux);
    }
    if let Some(b) = py.bindings.filter(|b| b.any_python()) {
        bindings(c, p, py, b);
    }
    for (j, a) in py.maturin_args.iter().enumerate() {
        maturin_arg(c, p.key("maturin-args").index(j), a);
    }
    if let Some(script) = &py.before_script_linux {
        before_script_linux(c, p, script, &linux);
    }
}

/// Which Linux wheels a maturin package builds.
struct LinuxWheels {
    /// Some `linux-*` platform: manylinux wheels.
    manylinux: bool,
    /// Some `musllinux-*` platform.
    musllinux: bool,
}

fn manylinux(c: &mut Problems, p: &YPath, py: &PythonPackage, m: Manylinux, linux: &LinuxWheels) {
    let w = m.word();
    if m == Manylinux::Off {
        if py.publish != Publish::None {
            c.err(
                p.key("manylinux"),
                Part::Value,
                "`manylinux: off` builds Linux wheels tagged `linux_*`, which PyPI refuses".into(),
                "pick a manylinux version such as \"2_28\" (maturin then builds in its container), or set `publish: none`".into(),
            );
        } else if !linux.manylinux && !linux.musllinux {
            c.err(
                p.key("manylinux"),
                Part::Key,
                "`manylinux` is for the Linux wheels, and this package builds none".into(),
                "remove `manylinux`, or add a Linux platform to `platforms`".into(),
            );
        }
    } else if m.is_musllinux() && !linux.musllinux {
        c.err(
            p.key("manylinux"),
            Part::Value,
            format!("`{w}` is for the musllinux-x86_64 and musllinux-aarch64 wheels, and this package builds none"),
            "add `musllinux-x86_64` or `musllinux-aarch64` to `platforms` (they are musllinux_1_2 wheels unless `manylinux` says otherwise), or remove `manylinux`".into(),
        );
    } else if !m.is_musllinux() && !linux.manylinux {
        c.err(
            p.key("manylinux"),
            Part::Value,
            format!("`{w}` is for the linux-x86_64 and linux-aarch64 wheels, and this package builds none"),
            "add `linux-x86_64` or `linux-aarch64` to `platforms`, or remove `manylinux` (the musllinux platforms take `musllinux_1_1` or `musllinux_1_2`)".into(),
        );
    }
}

/// Bindings whose wheel serves every Python version: no `python`, no `abi3`.
fn bindings(c: &mut Problems, p: &YPath, py: &PythonPackage, b: Bindings) {
    let w = b.word();
    if !py.python.is_empty() {
        c.err(
            p.key("python"),
            Part::Key,
            format!("a `bindings: {w}` wheel serves every Python version: one wheel per platform"),
            "remove `python` (it lists the versions of pyo3 extension modules)".into(),
        );
    }
    if py.abi3 {
        c.err(
            p.key("abi3"),
            Part::Key,
            format!(
                "`abi3` is for pyo3 extension modules; a `bindings: {w}` wheel already serves every Python version"
            ),
            "remove `abi3`".into(),
        );
    }
}

/// What wfgen passes to `maturin build` itself, and the key that sets it.
const SET_BY_WFGEN: &[(&[&str], &str)] = &[
    (
        &["--out", "-o"],
        "wfgen passes `--out dist`: the wheels go to `dist/` of `path`",
    ),
    (&["--target"], "the target of each wheel comes from `platforms`"),
    (
        &["--interpreter", "-i"],
        "the interpreters come from `python` (none with `abi3` or the bindings that serve every Python)",
    ),
    (&["--release", "-r"], "wfgen passes --release"),
    (
        &["--profile"],
        "wfgen passes --release, and cargo refuses --profile beside it",
    ),
    (
        &["--manylinux"],
        "set `manylinux` instead (`--compatibility pypi` is fine)",
    ),
    (&["--bindings", "-b"], "set `bindings` instead"),
    (&["--features", "-F"], "set `features` instead"),
    (&["--sdist"], "the sdist is built once, by its own job (`sdist`)"),
];

/// One item of `maturin-args`: one argument, not one that wfgen passes.
fn maturin_arg(c: &mut Problems, at: YPath, a: &str) {
    if a.contains("${{") {
        jobs::no_expr(c, at, a);
        return;
    }
    if !re(r"^[A-Za-z0-9_.,:=/+@%-]+$").is_match(a) {
        c.err(
            at,
            Part::Value,
            format!("`{a}` is not one argument wfgen can pass to maturin"),
            "write one argument per item, of letters, digits and `-_.,:=/+@%`: maturin-action splits `args` at blanks and runs maturin through a shell in the Linux container".into(),
        );
        return;
    }
    let hit = SET_BY_WFGEN.iter().find(|(opts, _)| {
        opts.iter().any(|o| {
            a == *o
                || (o.starts_with("--") && a.starts_with(&format!("{o}=")))
                || (!o.starts_with("--") && *o != "-r" && a.starts_with(o) && !a.starts_with("--"))
        })
    });
    if let Some((opts, why)) = hit {
        c.err(
            at,
            Part::Value,
            format!("`maturin-args` cannot set `{}`: wfgen decides it", opts[0]),
            format!("{why}; remove `{a}` from `maturin-args`"),
        );
    }
}

fn before_script_linux(c: &mut Problems, p: &YPath, script: &str, linux: &LinuxWheels) {
    let at = p.key("before-script-linux");
    if script.contains("${{") {
        jobs::no_expr(c, at, script);
    } else if script.trim().is_empty() {
        c.err(
            at,
            Part::Value,
            "`before-script-linux` is empty".into(),
            "write the commands to run before maturin in the Linux container, e.g. `dnf install -y protobuf-compiler`, or remove the key".into(),
        );
    } else if !linux.manylinux && !linux.musllinux {
        c.err(
            at,
            Part::Key,
            "`before-script-linux` runs in the Linux builds only, and this package builds none".into(),
            "remove it, or add a Linux platform to `platforms`; `setup` steps run on every runner".into(),
        );
    }
}
