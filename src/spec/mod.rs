//! spec: the serde model of wfgen.yaml, loading and validation with spans.

pub mod load;
mod model;
pub mod names;
pub mod prerelease;
pub mod registry;
pub mod tree;
pub mod validate;
pub mod versionsource;

pub use load::{LoadError, LoadedSpec, find_spec, from_text, load, parse, schema_json};
pub use model::*;
