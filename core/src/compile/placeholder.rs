//! Stable stand-ins for what `sls package` derives from the clock or from
//! the code zip. A template compiled twice from the same configuration is
//! byte-identical; a differential test against `sls package` normalises
//! exactly these places (see docs/compile.md).

/// `Date.now()` where the Framework reads the clock: the API Gateway
/// deployment suffix (`ApiGatewayDeployment<ms>`) and `${sls:instanceId}`.
/// Thirteen zeros, the width of a real millisecond timestamp.
pub const CLOCK_MILLIS: &str = "0000000000000";

/// The clock part of the artifact directory,
/// `<prefix>/<service>/<stage>/<ms>-<ISO date>`: the epoch.
pub const ARTIFACT_DIRECTORY_CLOCK: &str = "0000000000000-1970-01-01T00:00:00.000Z";

/// The suffix of `<Function>LambdaVersion<hash>`. The real suffix hashes the
/// code zip together with the function's configuration.
pub const VERSION_SUFFIX: &str = "Placeholder";

/// `CodeSha256` of a function version: the base64 SHA-256 of the code zip,
/// here that of an all-zero digest.
pub const CODE_SHA256: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/// `ForceDeploy` of a `Custom::S3` resource with `forceDeploy: true`: the
/// Framework writes `Date.now()` so that every deploy reruns the custom
/// resource; here the epoch, a number as the Framework's is.
pub const FORCE_DEPLOY: u64 = 0;
