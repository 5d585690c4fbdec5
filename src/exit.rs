//! Exit codes of the command line: 0 clean, 1 drift or rejected
//! tag, 2 usage, 3 fatal. A leaf module: the check decides its code here
//! without depending on the command line.

/// Success; no drift; `plan`: the release accepts the tag.
pub const OK: i32 = 0;
/// Drift found (`check`); `plan`: the release rejects the tag.
pub const DRIFT: i32 = 1;
/// Usage error (unknown command or option).
pub const USAGE: i32 = 2;
/// Fatal: no spec, an invalid spec, I/O errors, a refused overwrite.
pub const FATAL: i32 = 3;
