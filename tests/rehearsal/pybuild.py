"""The rehearsal's Python builds: real wheels and sdists, named and versioned
as the real tools name and version them (tests/rehearsal/README.md, "Wheels
and sdists"). Run with the real python3 (lib.sh's `pybuild`), never the
python stand-in.

    pybuild.py maturin-wheels OUT DIR TARGET MANYLINUX ARGS
        the wheels `maturin build` writes for the project in DIR: one per
        --interpreter, else abi3; py3-none for `bindings = "bin"` (or any
        bindings but pyo3) in [tool.maturin] or --bindings in ARGS
    pybuild.py wheel TOOL OUT DIR     the py3-none-any wheel
    pybuild.py sdist TOOL OUT DIR     the sdist
    pybuild.py meta TOOL DIR          prints `NAME VERSION` (as declared,
                                      the version in its PEP 440 normal form)

TOOL says where the name and version come from: `maturin`, `poetry`, or
`pep517` (`python -m build`, `uv build`: by [build-system] build-backend).
A version that cannot be found fails (exit 1) naming the file and the key,
as the real tools do; nothing invents 0.0.0.

With `python` in REHEARSAL_WRONG_VERSION (`,`-separated) the build reads the
project as the checked-out commit holds it (`git archive HEAD`), not as the
job's setup steps left it: a broken build that ignores a version the setup
stamped into pyproject.toml (the tag at HEAD is still the tag).
"""

import base64
import gzip
import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    try:
        import tomli as tomllib
    except ModuleNotFoundError:
        sys.exit("pybuild.py: needs Python 3.11+ (tomllib) or the tomli package")

# Every file this writes has this date (zip) or time (tar, gzip): the same
# project gives the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class BuildError(Exception):
    pass


def fail(msg):
    raise BuildError(msg)


def load_toml(path):
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except tomllib.TOMLDecodeError as e:
        fail(f"{path}: invalid TOML: {e}")


def pep440(version):
    """The normal form of a version, as the build backends write it: a SemVer
    pre-release (1.3.0-rc.1 -> 1.3.0rc1) and every PEP 440 spelling
    (1.3.0.rc1, 1.3.0-rc1 -> 1.3.0rc1; 1.3.0-dev2 -> 1.3.0.dev2; 1.3.0-1 ->
    1.3.0.post1); `v` in front dropped. Anything after that stays as is."""
    v = version.lower()
    if v.startswith("v"):
        v = v[1:]
    m = re.match(r"^([0-9]+(?:\.[0-9]+)*)(.*)$", v)
    if not m:
        return version
    base, v = m.group(1), m.group(2)
    pre = post = dev = ""
    m = re.match(r"^[-_.]?(alpha|beta|preview|pre|rc|a|b|c)[-_.]?([0-9]*)(.*)$", v)
    if m:
        label = {"alpha": "a", "beta": "b", "c": "rc", "pre": "rc", "preview": "rc"}.get(m.group(1), m.group(1))
        pre, v = f"{label}{int(m.group(2) or 0)}", m.group(3)
    m = re.match(r"^-([0-9]+)(.*)$", v)
    if m:
        post, v = f".post{int(m.group(1))}", m.group(2)
    else:
        m = re.match(r"^[-_.]?(post|rev|r)[-_.]?([0-9]*)(.*)$", v)
        if m:
            post, v = f".post{int(m.group(2) or 0)}", m.group(3)
    m = re.match(r"^[-_.]?dev[-_.]?([0-9]*)(.*)$", v)
    if m:
        dev, v = f".dev{int(m.group(1) or 0)}", m.group(2)
    return f"{base}{pre}{post}{dev}{v}"


def dist_name(name):
    """The distribution name as file names spell it (PEP 427, PEP 625)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def git_tag_version(project_dir, what):
    """The version of the tag at HEAD (setuptools-scm, hatch-vcs, pdm scm,
    poetry-dynamic-versioning): its leading non-digit prefix (`v`,
    `mlserver-`) stripped, in the PEP 440 normal form."""
    out = subprocess.run(
        ["git", "describe", "--tags", "--exact-match", "HEAD"],
        cwd=COMMITTED_FROM.get(project_dir, project_dir),
        capture_output=True,
        text=True,
    )
    tag = out.stdout.strip()
    if out.returncode != 0 or not tag:
        fail(f"{what}: the version comes from git, and no tag is at HEAD in {project_dir} (git describe --tags --exact-match HEAD)")
    m = re.match(r"^[^0-9]*(.*)$", tag)
    if not m.group(1):
        fail(f"{what}: the tag {tag} at HEAD holds no version")
    return m.group(1)


def version_in_file(path, what):
    """`__version__ = "X"` (or `version = ...`) in a Python file."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        fail(f"{what}: {path}: no such file")
    m = re.search(r"""^\s*__version__\s*(?::\s*str\s*)?=\s*["']([^"']+)["']""", text, re.M)
    if not m:
        fail(f"{what}: no `__version__ = \"...\"` in {path}")
    return m.group(1)


def module_file(project_dir, module):
    """The file of a module or package (flat or src/ layout)."""
    rel = module.replace(".", "/")
    for cand in (f"{rel}/__init__.py", f"{rel}.py", f"src/{rel}/__init__.py", f"src/{rel}.py"):
        path = os.path.join(project_dir, cand)
        if os.path.isfile(path):
            return path
    return os.path.join(project_dir, f"{rel}/__init__.py")


def project_table(pyproject):
    return pyproject.get("project") or {}


def is_dynamic(project, key):
    return key in (project.get("dynamic") or [])


def static_version(pyproject, file, backend):
    project = project_table(pyproject)
    if "version" in project:
        return project["version"]
    if is_dynamic(project, "version"):
        return None
    fail(f"{file}: [project] version: missing, and `version` is not in [project] dynamic ({backend})")


# ---- maturin ----------------------------------------------------------------------


def find_workspace_root(start):
    d = os.path.abspath(start)
    while True:
        path = os.path.join(d, "Cargo.toml")
        if os.path.isfile(path) and "workspace" in load_toml(path):
            return path
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def maturin_meta(project_dir):
    file = os.path.join(project_dir, "pyproject.toml")
    pyproject = load_toml(file)
    project = project_table(pyproject)
    version = project.get("version") if not is_dynamic(project, "version") else None
    manifest = (pyproject.get("tool", {}).get("maturin", {}) or {}).get("manifest-path", "Cargo.toml")
    cargo_file = os.path.normpath(os.path.join(project_dir, manifest))
    package = {}
    if version is None or "name" not in project:
        if not os.path.isfile(cargo_file):
            if version is None:
                fail(f"{file}: [project] version: missing or dynamic, and there is no {cargo_file} to take it from (maturin)")
        else:
            package = load_toml(cargo_file).get("package") or {}
    if version is None:
        v = package.get("version")
        if isinstance(v, dict) and v.get("workspace") is True:
            root = find_workspace_root(os.path.dirname(cargo_file))
            if root is None:
                fail(f"{cargo_file}: [package] version.workspace = true, and no Cargo.toml with [workspace] above it")
            v = (load_toml(root).get("workspace", {}).get("package") or {}).get("version")
            if not isinstance(v, str):
                fail(f"{root}: [workspace.package] version: missing (the crate {cargo_file} takes it with version.workspace = true)")
        if not isinstance(v, str):
            fail(f"{cargo_file}: [package] version: missing ({file} has no static [project] version)")
        version = v
    name = project.get("name") or package.get("name")
    if not name:
        fail(f"{file}: [project] name: missing, and {cargo_file} has no [package] name")
    return name, pep440(version)


# ---- poetry -------------------------------------------------------------------------


def poetry_meta(project_dir, file, pyproject):
    tool = pyproject.get("tool", {})
    poetry = tool.get("poetry") or {}
    project = project_table(pyproject)
    name = project.get("name") or poetry.get("name")
    if not name:
        fail(f"{file}: [project] name and [tool.poetry] name: missing (poetry)")
    if (tool.get("poetry-dynamic-versioning") or {}).get("enable") is True:
        version = git_tag_version(project_dir, f"{file}: [tool.poetry-dynamic-versioning] enable = true")
    elif "version" in project:
        version = project["version"]
    elif "version" in poetry:
        version = poetry["version"]
    else:
        fail(f"{file}: [tool.poetry] version (or [project] version): missing (poetry)")
    return name, pep440(version)


# ---- python -m build, uv build: by the build backend ----------------------------------

SETUPTOOLS = ("setuptools.build_meta", "setuptools.build_meta:__legacy__")


def pep517_meta(project_dir):
    file = os.path.join(project_dir, "pyproject.toml")
    pyproject = load_toml(file)
    system = pyproject.get("build-system") or {}
    # No build-backend: pip and build fall back to setuptools' legacy backend.
    backend = system.get("build-backend", "setuptools.build_meta:__legacy__")
    if backend == "poetry.core.masonry.api":
        return poetry_meta(project_dir, file, pyproject)
    if backend == "maturin":
        return maturin_meta(project_dir)
    project = project_table(pyproject)
    tool = pyproject.get("tool", {})
    name = project.get("name")
    if not name:
        fail(f"{file}: [project] name: missing ({backend})")
    version = static_version(pyproject, file, backend)
    if version is not None:
        return name, pep440(version)
    if backend == "hatchling.build":
        hv = tool.get("hatch", {}).get("version") or {}
        if hv.get("source") == "vcs":
            version = git_tag_version(project_dir, f'{file}: [tool.hatch.version] source = "vcs"')
        elif "path" in hv:
            version = version_in_file(os.path.join(project_dir, hv["path"]), f"{file}: [tool.hatch.version] path")
        else:
            fail(f"{file}: [tool.hatch.version]: missing (version is dynamic; hatchling needs a path or a source)")
    elif backend in SETUPTOOLS:
        requires = " ".join(system.get("requires") or [])
        dyn = (tool.get("setuptools", {}).get("dynamic") or {}).get("version")
        if "setuptools_scm" in tool or "setuptools-scm" in requires or "setuptools_scm" in requires:
            version = git_tag_version(project_dir, f"{file}: setuptools-scm")
        elif isinstance(dyn, dict) and "attr" in dyn:
            module, _, attr = dyn["attr"].rpartition(".")
            if attr != "__version__":
                fail(f"{file}: [tool.setuptools.dynamic] version: the rehearsal reads `__version__` attributes only, not {dyn['attr']}")
            version = version_in_file(module_file(project_dir, module), f"{file}: [tool.setuptools.dynamic] version attr")
        elif isinstance(dyn, dict) and "file" in dyn:
            files = dyn["file"] if isinstance(dyn["file"], list) else [dyn["file"]]
            path = os.path.join(project_dir, files[0])
            try:
                with open(path, encoding="utf-8") as f:
                    version = f.read().strip()
            except FileNotFoundError:
                fail(f"{file}: [tool.setuptools.dynamic] version file: {path}: no such file")
            if not version:
                fail(f"{file}: [tool.setuptools.dynamic] version file: {path} is empty")
        else:
            fail(f"{file}: [tool.setuptools.dynamic] version: missing (version is dynamic)")
    elif backend == "pdm.backend":
        pv = tool.get("pdm", {}).get("version") or {}
        if pv.get("source") == "scm":
            version = git_tag_version(project_dir, f'{file}: [tool.pdm.version] source = "scm"')
        elif pv.get("source") == "file" and "path" in pv:
            version = version_in_file(os.path.join(project_dir, pv["path"]), f"{file}: [tool.pdm.version] path")
        else:
            fail(f"{file}: [tool.pdm.version]: missing (version is dynamic; pdm-backend needs source = \"file\" or \"scm\")")
    elif backend == "flit_core.buildapi":
        module = (tool.get("flit", {}).get("module") or {}).get("name") or dist_name(name)
        version = version_in_file(module_file(project_dir, module), f"{file}: flit_core dynamic version")
    else:
        fail(f"{file}: [build-system] build-backend = {backend!r}: the rehearsal does not know where it takes the version")
    return name, pep440(version)


def meta(tool, project_dir):
    if tool == "maturin":
        return maturin_meta(project_dir)
    if tool == "poetry":
        file = os.path.join(project_dir, "pyproject.toml")
        return poetry_meta(project_dir, file, load_toml(file))
    if tool == "pep517":
        return pep517_meta(project_dir)
    fail(f"unknown build tool {tool!r} (maturin, poetry, pep517)")


# ---- the files ------------------------------------------------------------------------


def metadata_text(name, version):
    return f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: rehearsal build of {name}\n"


def record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}\n"


def write_wheel(out, name, version, tag):
    """A wheel: the marker module, METADATA, WHEEL and RECORD."""
    dist = dist_name(name)
    info = f"{dist}-{version}.dist-info"
    files = [
        (f"{dist}/__init__.py", f'# rehearsal wheel {dist} {version} {tag}\n__version__ = "{version}"\n'.encode()),
        (f"{info}/METADATA", metadata_text(name, version).encode()),
        (
            f"{info}/WHEEL",
            f"Wheel-Version: 1.0\nGenerator: rehearsal\nRoot-Is-Purelib: {'true' if tag.endswith('-any') else 'false'}\nTag: {tag}\n".encode(),
        ),
    ]
    record = "".join(record_line(p, d) for p, d in files) + f"{info}/RECORD,,\n"
    files.append((f"{info}/RECORD", record.encode()))
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, f"{dist}-{version}-{tag}.whl")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for p, d in files:
            zi = zipfile.ZipInfo(p, ZIP_DATE)
            zi.external_attr = 0o644 << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, d)
    return path


def write_sdist(out, project_dir, name, version):
    """An sdist: {dist}-{ver}/PKG-INFO and {dist}-{ver}/pyproject.toml."""
    dist = dist_name(name)
    top = f"{dist}-{version}"
    with open(os.path.join(project_dir, "pyproject.toml"), "rb") as f:
        pyproject = f.read()
    files = [(f"{top}/PKG-INFO", metadata_text(name, version).encode()), (f"{top}/pyproject.toml", pyproject)]
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, f"{top}.tar.gz")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for p, d in files:
            ti = tarfile.TarInfo(p)
            ti.size, ti.mtime, ti.mode = len(d), 0, 0o644
            t.addfile(ti, io.BytesIO(d))
    with open(path, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(buf.getvalue())
    return path


def maturin_platform(target, manylinux):
    arch = {
        "x86_64": "x86_64",
        "x86_64-unknown-linux-gnu": "x86_64",
        "x86_64-unknown-linux-musl": "x86_64",
        "x86_64-apple-darwin": "x86_64",
        "aarch64": "aarch64",
        "aarch64-unknown-linux-gnu": "aarch64",
        "aarch64-unknown-linux-musl": "aarch64",
        "aarch64-apple-darwin": "aarch64",
        "arm64": "aarch64",
        "x64": "x64",
        "x86_64-pc-windows-msvc": "x64",
    }.get(target, target or "x86_64")
    if arch == "x64":
        return "win_amd64"
    if manylinux.startswith("musllinux"):
        return f"{manylinux}_{arch}"
    if manylinux == "off":
        return f"linux_{arch}"
    if manylinux.startswith("2_") and manylinux != "2_17":
        return f"manylinux_{manylinux}_{arch}"
    if manylinux:
        return f"manylinux_2_17_{arch}.manylinux2014_{arch}"
    return "macosx_11_0_arm64" if arch == "aarch64" else "macosx_10_12_x86_64"


def maturin_wheels(out, project_dir, target, manylinux, args):
    name, version = maturin_meta(project_dir)
    pyproject = load_toml(os.path.join(project_dir, "pyproject.toml"))
    bindings = (pyproject.get("tool", {}).get("maturin", {}) or {}).get("bindings", "")
    interpreters, words, i = [], args.split(), 0
    in_interp = False
    while i < len(words):
        w = words[i]
        if w in ("--bindings", "-b") and i + 1 < len(words):
            bindings, i = words[i + 1], i + 2
            continue
        if w in ("--interpreter", "-i"):
            in_interp = True
        elif w.startswith("-"):
            in_interp = False
        elif in_interp:
            interpreters.append(w)
        i += 1
    if bindings and bindings != "pyo3":
        abis = ["py3-none"]
    elif not interpreters:
        abis = ["cp38-abi3"]
    else:
        abis = []
        for interp in interpreters:
            cp = "cp" + interp.removeprefix("python").replace(".", "")
            abis.append(f"{cp}-{cp}")
    platform = maturin_platform(target, manylinux)
    return [write_wheel(out, name, version, f"{abi}-{platform}") for abi in abis]


# A project directory read from the commit -> the working tree's (git runs there).
COMMITTED_FROM = {}


def committed(project_dir):
    """The project directory to read: with `python` in REHEARSAL_WRONG_VERSION,
    a copy of the checked-out commit (`git archive HEAD`) at the same place
    below the repository root; else `project_dir` itself."""
    if "python" not in os.environ.get("REHEARSAL_WRONG_VERSION", "").split(","):
        return project_dir
    def git(*args, cwd=project_dir):
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True).stdout

    root = git("rev-parse", "--show-toplevel").decode().strip()
    copy = tempfile.mkdtemp(prefix="rehearsal-committed-")
    # The whole tree (in a subdirectory, git archive takes only that one).
    with tarfile.open(fileobj=io.BytesIO(git("archive", "HEAD", cwd=root))) as t:
        try:
            t.extractall(copy, filter="data")
        except TypeError:  # Python < 3.11.4: no extraction filters
            t.extractall(copy)
    rel = os.path.relpath(os.path.abspath(project_dir), root)
    at = os.path.normpath(os.path.join(copy, rel))
    COMMITTED_FROM[at] = project_dir
    print(f"rehearsal: REHEARSAL_WRONG_VERSION=python: building {rel} as the commit holds it", file=sys.stderr)
    return at


def main(argv):
    if len(argv) >= 1 and argv[0] == "maturin-wheels" and len(argv) == 6:
        paths = maturin_wheels(argv[1], committed(argv[2]), argv[3], argv[4], argv[5])
    elif len(argv) == 4 and argv[0] in ("wheel", "sdist"):
        tool, out, project_dir = argv[1:]
        project_dir = committed(project_dir)
        name, version = meta(tool, project_dir)
        if argv[0] == "wheel":
            paths = [write_wheel(out, name, version, "py3-none-any")]
        else:
            paths = [write_sdist(out, project_dir, name, version)]
    elif len(argv) == 3 and argv[0] == "meta":
        name, version = meta(argv[1], argv[2])
        print(f"{name} {version}")
        return 0
    else:
        sys.exit(__doc__)
    for p in paths:
        print(f"Built {os.path.basename(p)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
