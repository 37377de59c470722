/** The {@code aha} command line: one picocli command class per verb, errors mapped to exit codes. */
package aha.runs.cli;
