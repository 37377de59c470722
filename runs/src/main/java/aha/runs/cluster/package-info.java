/**
 * The processes of a cluster (docs/scale-out.md): a clustered Vert.x whose membership, failure
 * detection and messaging come from the Hazelcast cluster manager. {@link
 * aha.runs.cluster.ClusterFile} reads a cluster file into {@link aha.runs.cluster.ClusterSettings}
 * (whom to join, how to keep strangers out); {@link aha.runs.cluster.ClusterVertx} starts a member;
 * {@link aha.runs.cluster.RunVertx} is the Vert.x a run trains on, a member of its cluster when
 * {@code run.cluster} names one. What travels between the members is {@code aha.sampler.cluster}'s.
 */
package aha.runs.cluster;
