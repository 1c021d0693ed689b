import Testing

/// The suites that sample the live /proc with kept files. They run one test at a time, not
/// alongside each other: a live sampler keeps fds on every process it reads, and one test counts
/// the fds kept on its own children.
@Suite(.serialized) enum LiveSampling {}
