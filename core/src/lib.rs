//! canaria's core: validates `deploymentSettings` and compiles them into
//! CloudFormation exactly as `serverless-plugin-canary-deployments` 0.8.0
//! does for every configuration it handled correctly, and correctly where it
//! did not.
//!
//! The core knows nothing about its hosts. The N-API addon, the WebAssembly
//! build and the CLI all call the functions here and convert at their edge.
//!
//! ```
//! use serde_json::json;
//! let template = json!({"Resources": {
//!     "HelloLambdaFunction": {"Type": "AWS::Lambda::Function", "Properties": {}},
//!     "HelloLambdaVersionAbc": {"Type": "AWS::Lambda::Version",
//!         "Properties": {"FunctionName": {"Ref": "HelloLambdaFunction"}}}
//! }});
//! let service: canaria_core::Service = serde_json::from_value(json!({
//!     "stackName": "svc-dev", "stage": "dev",
//!     "functions": {"hello": {"deploymentSettings": {"type": "AllAtOnce", "alias": "Live"}}}
//! })).unwrap();
//! let plan = canaria_core::canary::plan(&template, &service);
//! assert!(plan.resources.contains_key("HelloLambdaFunctionAliasLive"));
//! ```

#![forbid(unsafe_code)]

pub mod alerts;
pub mod canary;
pub mod compile;
pub mod diagnostic;
mod input;
mod js;
mod json_api;
pub mod naming;
mod plan;
pub mod quota;
pub mod render;
mod service;
pub mod suggest;
pub mod validate;
pub mod variables;
pub mod yaml;

pub use diagnostic::{Diagnostic, Location, Severity};
pub use json_api::{
    InputError, alerts_pass, canary_pass, compile, load_yaml, resolve_config, to_yaml, traffic_shift, validate,
};
pub use plan::Plan;
pub use service::Service;
