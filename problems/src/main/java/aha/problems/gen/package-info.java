/** Contains seeded procedural problem generators, their registry, and YAML curricula that mix them. */
package aha.problems.gen;
