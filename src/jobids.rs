//! The ids of wfgen's own jobs, in every workflow it writes: the fixed ids
//! and the patterns of the ids made from names. The plan names its jobs
//! with these and nothing else; validation refuses a name of the spec that
//! becomes a job id (a gate, one of `jobs:`, a Python workflow) when one of
//! these takes it. Both layers read this module, neither imports the other
//! for it.
//!
//! GitHub compares job ids ignoring case (`Plan` and `plan` are one job):
//! [`same`] and [`starts_with`] compare so.

/// Declares job ids (or the prefixes of ids) as constants, and the list of
/// them: a new constant is in the list by construction.
macro_rules! ids {
    ($(#[$list_doc:meta])* $list:ident { $($(#[$doc:meta])* $name:ident = $id:literal,)* }) => {
        $($(#[$doc])* pub const $name: &str = $id;)*
        $(#[$list_doc])*
        pub const $list: &[&str] = &[$($name),*];
    };
}

ids! {
    /// The fixed job ids of release.yml, in the order the jobs are written.
    RELEASE_JOBS {
        /// The tag script: every workflow's first job (release.yml,
        /// pull-request.yml, docker.yml, helm-publish.yml).
        PLAN = "plan",
        /// The call of build-assets.yml.
        BUILD_ASSETS = "build-assets",
        /// The call of docker.yml's build stage.
        DOCKER_BUILD = "docker-build",
        /// The call of helm-publish.yml's build stage.
        HELM_BUILD = "helm-build",
        /// The job of `release.setup`, which makes the release's extra files.
        RELEASE_ASSETS = "release-assets",
        /// The identity check of everything built, before any publish job.
        VERIFY_IDENTITY = "verify-identity",
        /// The call of docker.yml's publish stage.
        DOCKER_PUBLISH = "docker-publish",
        /// The call of helm-publish.yml's publish stage.
        HELM_PUBLISH = "helm-publish",
        GITHUB_RELEASE = "github-release",
        /// `release.notify`.
        NOTIFY = "notify",
    }
}

ids! {
    /// The prefixes of release.yml's job ids made from names.
    RELEASE_PREFIXES {
        /// A PyPI upload: `publish-<distribution>` ([`pypi_publish`]).
        PUBLISH = "publish-",
    }
}

/// release.yml's PyPI upload of a distribution: `publish-<name>`, lowercase,
/// `.` as `-` (names that PEP 503 tells apart give different ids).
pub fn pypi_publish(distribution: &str) -> String {
    format!("{PUBLISH}{}", distribution.replace('.', "-").to_ascii_lowercase())
}

ids! {
    /// The prefixes of pull-request.yml's build jobs
    /// (`triggers.pull-request: build`), beside `plan` and the gates.
    PULL_REQUEST_PREFIXES {
        /// One matrix job of build-assets.yml ([`pull_request_binaries`]).
        BIN = "bin-",
        /// A maturin package's wheels, or a pure package's build.
        WHEELS = "wheels-",
        /// A maturin package's sdist.
        SDIST = "sdist-",
        /// One variant of an image ([`pull_request_image`]).
        IMAGE = "image-",
        /// One chart, linted and packaged (helm-publish.yml's [`CHART`] job).
        CHART = "chart-",
    }
}

/// pull-request.yml's job of build-assets.yml's matrix job `id`:
/// `build-rust` gives `bin-rust`.
pub fn pull_request_binaries(id: &str) -> String {
    format!("{BIN}{}", id.strip_prefix(BUILD).unwrap_or(id))
}

/// pull-request.yml's job of the image variant `key`: `image-<key>`.
pub fn pull_request_image(key: &str) -> String {
    format!("{IMAGE}{key}")
}

/// cut.yml's one job: choose, create and push the tag, start the release.
pub const CUT: &str = "cut";

// docker.yml: `plan`, `digests`, and per (image, variant) key the builds,
// the scan and the publish job.

/// docker.yml's job that lists the build stage's images by digest.
pub const DIGESTS: &str = "digests";
/// The prefix of docker.yml's builds (`build-<key>`), of the pure builds of
/// the Python workflows (`build-<package>`), and of build-assets.yml's jobs.
pub const BUILD: &str = "build-";
/// docker.yml: the scan of a variant's builds.
pub const SCAN: &str = "scan-";
/// docker.yml: a variant's multi-arch manifest and its tags.
pub const MANIFEST: &str = "manifest-";
/// docker.yml, per-arch: the tags of each platform's digest.
pub const TAGS: &str = "tags-";

/// docker.yml's job of the platform builds of variant `key`.
pub fn docker_build(key: &str) -> String {
    format!("{BUILD}{key}")
}

/// docker.yml's scan of the builds of variant `key`.
pub fn docker_scan(key: &str) -> String {
    format!("{SCAN}{key}")
}

/// docker.yml's publish job of variant `key`: the manifest, or per-arch the
/// tags of each platform.
pub fn docker_publish(key: &str, per_arch: bool) -> String {
    format!("{}{key}", if per_arch { TAGS } else { MANIFEST })
}

// helm-publish.yml: `plan`, and per chart its build and its push.

/// helm-publish.yml: the push of a chart.
pub const PUSH: &str = "push-";

/// helm-publish.yml's lint-and-package job of the chart slug `slug`.
pub fn helm_chart(slug: &str) -> String {
    format!("{CHART}{slug}")
}

/// helm-publish.yml's push of the chart slug `slug`.
pub fn helm_push(slug: &str) -> String {
    format!("{PUSH}{slug}")
}

// build-assets.yml and the Python workflows.

ids! {
    /// build-assets.yml's matrix jobs, in the order they are written.
    BUILD_ASSETS_JOBS {
        BUILD_RUST = "build-rust",
        /// The Rust legs built in a container image.
        BUILD_RUST_CONTAINER = "build-rust-container",
        BUILD_GO = "build-go",
    }
}

/// The job that attests build provenance of build-assets.yml's and of a
/// Python workflow's files.
pub const PROVENANCE: &str = "provenance";

/// A Python workflow's wheel matrix of a maturin package (`slug`: the
/// distribution's name, lowercase, `_` and `.` as `-`).
pub fn python_wheels(slug: &str) -> String {
    format!("{WHEELS}{slug}")
}

/// A Python workflow's sdist of a maturin package.
pub fn python_sdist(slug: &str) -> String {
    format!("{SDIST}{slug}")
}

/// A Python workflow's build of a pure package.
pub fn python_pure(slug: &str) -> String {
    format!("{BUILD}{slug}")
}

/// Whether two job ids are one for GitHub, which compares them ignoring case.
pub fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Whether `id` starts with `prefix`, ignoring case as GitHub does.
pub fn starts_with(id: &str, prefix: &str) -> bool {
    id.len() >= prefix.len() && id.is_char_boundary(prefix.len()) && same(&id[..prefix.len()], prefix)
}

/// The id of release.yml's own jobs that `id` is (ignoring case): a fixed
/// id, or the pattern `publish-*`.
pub fn release_job(id: &str) -> Option<String> {
    if let Some(f) = RELEASE_JOBS.iter().find(|f| same(f, id)) {
        return Some(f.to_string());
    }
    RELEASE_PREFIXES
        .iter()
        .find(|p| starts_with(id, p))
        .map(|p| format!("{p}*"))
}

/// What release.yml names its own jobs: the fixed ids and the patterns, as a
/// help text lists them.
pub fn release_jobs_list() -> String {
    RELEASE_JOBS
        .iter()
        .map(|s| s.to_string())
        .chain(RELEASE_PREFIXES.iter().map(|p| format!("{p}*")))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_compare_as_github_does() {
        assert!(same("Plan", "plan") && !same("plan", "plans"));
        assert!(starts_with("Publish-x", PUBLISH) && !starts_with("publis", PUBLISH));
        assert!(!starts_with("é", "e"));
        assert_eq!(release_job("Release-Assets").as_deref(), Some("release-assets"));
        assert_eq!(release_job("PUBLISH-opsml").as_deref(), Some("publish-*"));
        assert_eq!(release_job("lint"), None);
        assert!(release_jobs_list().ends_with("notify, publish-*"));
    }

    #[test]
    fn patterns() {
        assert_eq!(pull_request_binaries(BUILD_RUST_CONTAINER), "bin-rust-container");
        assert_eq!(docker_publish("0-a", true), "tags-0-a");
        assert_eq!(docker_publish("0-a", false), "manifest-0-a");
        assert_eq!(pypi_publish("My.Pkg_x"), "publish-my-pkg_x");
        assert_eq!(helm_push("a"), "push-a");
    }
}
