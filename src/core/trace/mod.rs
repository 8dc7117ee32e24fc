//! Distributed tracing in the pure core: W3C Trace Context headers ([`context`]), which
//! requests carry them ([`propagation`]), a request's span ([`request`]), spans ([`span`]) and the trace of a page view
//! ([`tracer`]).

pub mod context;
pub mod propagation;
pub mod request;
pub mod span;
pub mod tracer;
