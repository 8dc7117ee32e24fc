//! Error tracking in the pure core: options, stack parsing, grouping fingerprints, breadcrumbs,
//! group statistics and the tracker that holds them. The JS class (js/error-tracking.js)
//! installs the global handlers and automatic breadcrumbs.

pub mod breadcrumbs;
pub mod fingerprint;
pub mod groups;
pub mod options;
pub mod stack;
pub mod tracker;
