//! Error tracking in the pure core: stack parsing, grouping fingerprints, breadcrumbs and group
//! statistics. The platform layer installs the global handlers and automatic breadcrumbs.

pub mod breadcrumbs;
pub mod fingerprint;
pub mod groups;
pub mod stack;
