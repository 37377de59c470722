/**
 * Reflection ("aha") tracking: markers such as "wait, let me check" in responses, and transitions
 * where a reflection turns a stated answer into a different final answer.
 */
package aha.grpo.reflection;
