/**
 * Contains the byte-level BPE trainer, the tokenizer (through HuggingFace tokenizers) and the chat
 * template.
 */
package aha.sampler.tokenizer;
