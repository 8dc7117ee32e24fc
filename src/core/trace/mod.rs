//! Distributed tracing in the pure core: W3C Trace Context headers ([`context`]) and which
//! requests carry them ([`propagation`]).

pub mod context;
pub mod propagation;
