/**
 * Sampler nodes on other machines (issue W2-D, docs/scale-out.md): a clustered Vert.x whose
 * membership, failure detection and messaging come from the Hazelcast cluster manager. {@link
 * aha.runs.cluster.ClusterSettings} says whom to join and how to keep strangers out; {@link
 * aha.runs.cluster.ClusterVertx} starts a member.
 */
package aha.runs.cluster;
