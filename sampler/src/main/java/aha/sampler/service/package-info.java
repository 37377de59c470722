/**
 * Contains the Vert.x sampling service: sampler verticles (one per model replica), the verifier
 * worker pool, and the facade a trainer calls for scored groups.
 */
package aha.sampler.service;
