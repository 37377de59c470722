/**
 * Sampling over a cluster: {@link aha.sampler.cluster.SamplerNode}, a policy replica that takes
 * items of work from a trainer over the (clustered) Vert.x event bus, and {@link
 * aha.sampler.cluster.ClusterDispatcher}, the trainer's side, which deals a request's items over its
 * local sampling service and the nodes, scores what comes back, re-dispatches what a lost or stalled
 * node held, and serves the policy's weights by version. Both speak only the event bus; which
 * cluster manager joins the processes (Hazelcast, in {@code aha.runs.cluster}) is the caller's
 * choice. docs/scale-out.md says how to run one.
 */
package aha.sampler.cluster;
