//! Registry credentials, shared by docker.yml and helm-publish.yml: which
//! secrets log in to a registry host. ghcr.io takes the workflow's
//! GITHUB_TOKEN; any other host needs an entry in the spec's `registries:`
//! (or, for an image's own host, the image's `login:` shorthand).

use serde::Serialize;

use crate::spec::Login;
use crate::spec::Spec;
use crate::spec::registry::image_host;

/// The host whose login is the workflow's GITHUB_TOKEN.
pub const GHCR: &str = "ghcr.io";

/// How a job logs in to one registry host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoginPlan {
    pub registry: String,
    /// None: ghcr.io with GITHUB_TOKEN.
    pub username_secret: Option<String>,
    pub password_secret: Option<String>,
}

impl LoginPlan {
    /// The secrets this login reads, by name.
    pub fn secrets(&self) -> impl Iterator<Item = &String> {
        self.username_secret.iter().chain(&self.password_secret)
    }
}

/// The login of `host`: `own` (an image's `login:`, for its own host), then
/// `registries.<host>`, then GITHUB_TOKEN on ghcr.io. None: the spec gives no
/// credentials for the host (validation refuses such a spec).
pub fn login(spec: &Spec, host: &str, own: Option<&Login>) -> Option<LoginPlan> {
    let with = |l: &Login| LoginPlan {
        registry: host.to_string(),
        username_secret: Some(l.username_secret.clone()),
        password_secret: Some(l.password_secret.clone()),
    };
    if let Some(l) = own.or_else(|| spec.registries.get(host)) {
        return Some(with(l));
    }
    (host == GHCR).then(|| LoginPlan {
        registry: host.to_string(),
        username_secret: None,
        password_secret: None,
    })
}

/// The host an image's `login:` is for: its own host; for an image on
/// ghcr.io (which needs no login), the one other host of its mirrors, as in
/// specs written before `registries:` existed.
pub fn login_host(image: &crate::spec::DockerImage) -> String {
    let own = image_host(&image.image);
    if own != GHCR {
        return own;
    }
    let others: std::collections::BTreeSet<String> = image
        .mirrors
        .iter()
        .map(|m| image_host(m))
        .filter(|h| h != GHCR)
        .collect();
    match others.len() {
        1 => others.into_iter().next().expect("one host"),
        _ => own,
    }
}

/// The secret names a registry host's credentials conventionally get:
/// `DOCKERHUB_USERNAME`/`_TOKEN` for docker.io, `QUAY_USERNAME`/`_TOKEN` for
/// quay.io, `REGISTRY_…` when the host gives no usable word (a secret name
/// cannot start with a digit or GITHUB_).
pub fn secret_names(host: &str) -> (String, String) {
    let stem: String = host
        .split(['.', ':'])
        .find(|s| !s.is_empty() && *s != "docker" && *s != "registry")
        .unwrap_or("")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    let stem = if host == "docker.io" {
        "DOCKERHUB".to_string()
    } else if stem.is_empty() || stem.starts_with(|c: char| c.is_ascii_digit()) || stem.starts_with("GITHUB") {
        "REGISTRY".to_string()
    } else {
        stem
    };
    (format!("{stem}_USERNAME"), format!("{stem}_TOKEN"))
}

/// The `registries:` entry of a host as a user would write it, for help texts.
pub fn example(host: &str) -> String {
    let (user, password) = secret_names(host);
    format!("registries: {{ {host}: {{ username-secret: {user}, password-secret: {password} }} }}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_name_secrets_after_the_host() {
        assert_eq!(
            example("docker.io"),
            "registries: { docker.io: { username-secret: DOCKERHUB_USERNAME, password-secret: DOCKERHUB_TOKEN } }"
        );
        assert!(example("quay.io").contains("QUAY_USERNAME"));
        assert!(example("registry.example.com").contains("EXAMPLE_TOKEN"));
        assert_eq!(secret_names("10.0.0.1:5000").0, "REGISTRY_USERNAME");
    }
}
